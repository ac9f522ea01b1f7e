import sys
from pathlib import Path

import pika
import pytest

SUPPORT = Path(__file__).parent / "support"
sys.path.insert(0, str(SUPPORT))


@pytest.fixture
def broker(rabbit_config):
    """A pika channel on the test's own vhost, for publishing raw messages and peeking."""
    connection = pika.BlockingConnection(pika.URLParameters(rabbit_config["AMQP_URI"]))
    channel = connection.channel()
    channel.confirm_delivery()
    yield channel
    connection.close()

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


@pytest.fixture
def recorder(container_factory, service_config, tmp_path):
    """A service consuming intake's case_registered events, each recorded once
    (support/recorder_service.py); it fails while the file FAIL_FLAG_FILE names exists."""
    import recorder_service as support
    support.create_tables(service_config["DATABASE_URL"])
    config = {**service_config, "FAIL_FLAG_FILE": str(tmp_path / "fail")}
    container = container_factory(support.Recorder, config)
    container.start()
    return container

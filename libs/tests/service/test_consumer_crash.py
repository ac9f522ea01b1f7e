"""A consumer killed with SIGKILL while events are being published loses none of them.

Each announcement's 150 events reach the consumer in one message (reintegra.messaging.carrier),
so the kill lands in the middle of a carrier: it comes back whole after the restart, and the
events handled before the kill have no second effect."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pika
import yaml
from nameko.testing.services import entrypoint_hook

import recorder_service as support

SUPPORT_DIR = Path(support.__file__).parent


def start_recorder(config_path: Path, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{SUPPORT_DIR}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(config_path), "recorder_service:Recorder"],
        env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT)


def consumers_on(amqp_uri: str, queue: str) -> int:
    # A passive declare of a missing queue closes the channel, so each look uses its own.
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.consumer_count
    except pika.exceptions.ChannelClosedByBroker:
        return 0
    finally:
        connection.close()


def test_a_consumer_killed_mid_stream_processes_every_event_after_restart(
        container_factory, service_config, tmp_path, eventually):
    url = f"sqlite:///{tmp_path / 'recorder.sqlite'}"
    support.create_tables(url)
    config_path = tmp_path / "recorder.yml"
    config_path.write_text(yaml.safe_dump({"AMQP_URI": service_config["AMQP_URI"], "DATABASE_URL": url,
                                           "RETRY": {"max_attempts": 5, "first_delay_ms": 100}}))
    queue = "evt-intake-case_registered--recorder.on_case_registered"
    recorder = start_recorder(config_path, tmp_path / "recorder.log")
    announcer_url = f"sqlite:///{tmp_path / 'announcer.sqlite'}"
    support.create_tables(announcer_url)
    announcer = container_factory(support.Announcer, {**service_config, "DATABASE_URL": announcer_url})
    announcer.start()
    try:
        eventually(lambda: consumers_on(service_config["AMQP_URI"], queue) == 1, timeout=30)
        expected = [f"case-{i}" for i in range(300)]
        with entrypoint_hook(announcer, "announce") as announce:
            announce(expected[:150])
            eventually(lambda: len(support.received_case_ids(url)) >= 20, timeout=30)
            recorder.send_signal(signal.SIGKILL)
            recorder.wait()
            announce(expected[150:])
        recorder = start_recorder(config_path, tmp_path / "recorder.log")
        eventually(lambda: len(support.received_case_ids(url)) >= 300, timeout=60)
        received = support.received_case_ids(url)
        assert sorted(received) == sorted(expected)
    finally:
        recorder.kill()
        recorder.wait()

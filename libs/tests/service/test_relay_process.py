"""The outbox relay run as its own process (reintegra.messaging.relay_process), against a real
RabbitMQ vhost and a real database."""
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest
from nameko.testing.services import entrypoint_hook

import recorder_service as support
from reintegra.messaging.storage import Store


@pytest.fixture
def quiet_announcer(container_factory, service_config, tmp_path):
    """The announcer with its own relay off: what it announces waits in its outbox."""
    url = f"sqlite:///{tmp_path / 'announcer.sqlite'}"
    support.create_tables(url)
    container = container_factory(support.Announcer,
                                  {**service_config, "DATABASE_URL": url, "OUTBOX_RELAY": False})
    container.start()
    return container, url


@pytest.fixture
def relay_process(rabbit_config, tmp_path):
    """Starts `python -m reintegra.messaging.relay_process` on a config file whose
    placeholders come from the environment, as a service's config.yml does."""
    started = []
    config = tmp_path / "config.yml"
    config.write_text("AMQP_URI: ${RELAY_TEST_AMQP_URI:amqp://nowhere}\n"
                      "DATABASE_URL: ${RELAY_TEST_DATABASE_URL:sqlite:///nowhere.sqlite}\n")

    def start(database_url: str, *options: str) -> subprocess.Popen:
        env = {**os.environ, "RELAY_TEST_AMQP_URI": rabbit_config["AMQP_URI"],
               "RELAY_TEST_DATABASE_URL": database_url}
        process = subprocess.Popen(
            [sys.executable, "-m", "reintegra.messaging.relay_process", "intake", str(config),
             *options],
            env=env, cwd=tmp_path, stdout=(tmp_path / "relay.log").open("ab"),
            stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def pending(url: str) -> int:
    store = Store(url, source="intake")
    try:
        return store.outbox_backlog()
    finally:
        store.dispose()


def test_events_waiting_in_a_service_outbox_are_published_by_the_relay_process(
        recorder, quiet_announcer, relay_process, service_config, eventually):
    announcer, url = quiet_announcer
    with entrypoint_hook(announcer, "announce") as announce:
        announce([f"case-{i}" for i in range(30)])
    assert pending(url) == 30  # nothing left the announcer's own process

    relay_process(url)

    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) == 30)
    assert sorted(support.received_case_ids(service_config["DATABASE_URL"])) == sorted(
        f"case-{i}" for i in range(30))
    eventually(lambda: pending(url) == 0)


def test_the_relay_process_keeps_publishing_what_is_committed_after_it_started(
        recorder, quiet_announcer, relay_process, service_config, eventually):
    announcer, url = quiet_announcer
    relay_process(url)
    for round_ in range(3):
        with entrypoint_hook(announcer, "announce") as announce:
            announce([f"case-{round_}-{i}" for i in range(5)])
    eventually(lambda: len(support.received_case_ids(service_config["DATABASE_URL"])) == 15)
    eventually(lambda: pending(url) == 0)


def test_the_relay_process_stops_cleanly_on_sigterm(
        recorder, quiet_announcer, relay_process, service_config, eventually):
    announcer, url = quiet_announcer
    process = relay_process(url)
    with entrypoint_hook(announcer, "announce") as announce:
        announce(["case-before-stop"])
    eventually(lambda: pending(url) == 0)  # it is relaying

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=10) == 0


def test_the_relay_process_serves_the_outbox_backlog_on_its_metrics_port(
        quiet_announcer, relay_process, eventually):
    announcer, url = quiet_announcer
    with entrypoint_hook(announcer, "announce") as announce:
        announce(["case-unheard"])  # nobody consumes it here: it stays in the outbox
    port = _free_port()

    relay_process(url, "--metrics-port", str(port))

    eventually(lambda: 'reintegra_outbox_backlog{service="intake"} 1.0' in _metrics(port))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _metrics(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as answer:
            return answer.read().decode()
    except OSError:
        return ""  # not listening yet

"""A service's outbox relay as a process of its own.

    python -m reintegra.messaging.relay_process payments services/payments/config.yml

Inside a service the relay is one green thread among its workers, so it only publishes when
they pause: while payments pays a large batch, events pile up and reach monitoring and
notifications minutes late, and the CPU spent publishing them is taken from the payouts.
Run as its own process it publishes beside the service, on another core.

It reads the service's config file as `nameko run --config` does (`${VAR:default}` from the
environment), relays the outbox of the service's DATABASE_URL until SIGTERM or SIGINT, and
serves the outbox backlog gauge on `--metrics-port` when one is given. Run the service
itself with `OUTBOX_RELAY=false`, and one relay per database: two relays would publish the
same events twice (consumers absorb that, at a cost). docs/operations.md says when.
"""
from __future__ import annotations

import argparse
import logging
import logging.config
import signal
import sys

import yaml
from nameko.cli.main import setup_yaml_parser

from reintegra import metrics
from reintegra.garbage_collection import collect_in_larger_batches
from reintegra.messaging.dependencies import outbox_publisher
from reintegra.messaging.relay import OutboxRelay
from reintegra.messaging.storage import Store

log = logging.getLogger(__name__)


def load_config(path: str) -> dict:
    setup_yaml_parser()  # the `${VAR:default}` placeholders, as nameko resolves them
    with open(path) as config_file:
        return yaml.safe_load(config_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("service", help="the service whose outbox this relays, e.g. payments")
    parser.add_argument("config", help="the service's config file, e.g. services/payments/config.yml")
    parser.add_argument("--metrics-port", type=int, default=0,
                        help="serve /metrics (the outbox backlog) on this port")
    parser.add_argument("--idle-seconds", type=float, default=0.2,
                        help="how long to wait for new events when the outbox is empty")
    parser.add_argument("--batch-size", type=int, default=500,
                        help="events published (and then marked, in one write) per round")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    if config.get("LOGGING"):
        logging.config.dictConfig(config["LOGGING"])
    metrics.serve_metrics(args.metrics_port, config.get("METRICS_ADDRESS", "127.0.0.1"))

    store = Store(config["DATABASE_URL"], source=args.service)
    publish_batch, publisher = outbox_publisher(config)
    backlog = metrics.OUTBOX_BACKLOG.labels(args.service)
    relay = OutboxRelay(store, publish_batch, batch_size=args.batch_size,
                        idle_seconds=args.idle_seconds, on_backlog=backlog.set)
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, lambda *_frame: relay.stop())
    collect_in_larger_batches()
    log.info("outbox relay started", extra={"service": args.service})
    try:
        relay.run()
    finally:
        publisher.close()
        store.dispose()
    log.info("outbox relay stopped", extra={"service": args.service})
    return 0


if __name__ == "__main__":
    sys.exit(main())

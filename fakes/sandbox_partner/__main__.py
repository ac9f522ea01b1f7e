"""Command line: ``python -m sandbox_partner --port P --data-dir DIR [--settle-delay-ms N]``."""
import argparse
import os
import signal
import threading
from pathlib import Path

from .app import Partner, http_server
from .settings import DEFAULT_API_KEY, DEFAULT_API_USER, DEFAULT_TOKEN, PartnerSettings


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sandbox_partner", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--settle-delay-ms", type=int, default=1000)
    parser.add_argument("--token", default=os.environ.get("SANDBOX_PARTNER_TOKEN", DEFAULT_TOKEN))
    parser.add_argument("--api-user", default=DEFAULT_API_USER)
    parser.add_argument("--api-key", default=os.environ.get("SANDBOX_PARTNER_API_KEY", DEFAULT_API_KEY))
    parser.add_argument("--callback-attempts", type=int, default=5)
    parser.add_argument("--callback-backoff-ms", type=int, default=200)
    parser.add_argument("--voucher-validity-days", type=int, default=30)
    parser.add_argument("--access-log", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    settings = PartnerSettings(
        token=args.token, api_user=args.api_user, api_key=args.api_key,
        settle_delay_ms=args.settle_delay_ms, callback_attempts=args.callback_attempts,
        callback_backoff_ms=args.callback_backoff_ms, voucher_validity_days=args.voucher_validity_days)
    partner = Partner(settings, args.data_dir)
    server = http_server(partner, args.host, args.port, args.access_log)
    # shutdown() waits for serve_forever() to return, so it cannot run on the serving thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    partner.start()
    print(f"sandbox partner listening on http://{args.host}:{server.port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        partner.stop()


if __name__ == "__main__":
    main()

"""python -m stripe_server --port P [--webhook-url URL --webhook-secret whsec_...] [...]

Prints one line, `stripe_server listening on http://HOST:PORT`, once it accepts requests
(useful with --port 0, which picks a free port).
"""
import argparse
import sys

from werkzeug.serving import WSGIRequestHandler, make_server

from . import ids
from .app import create_app
from .config import DEFAULT_API_VERSION, ServerConfig
from .fixtures import Fixtures
from .state import State


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m stripe_server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--fixtures", help="path to Stripe's fixtures3.json (default: the copy in reference/)")
    parser.add_argument("--api-key", action="append", default=[],
                        help="accept only this key (repeatable); default: any sk_test_/rk_test_ key")
    parser.add_argument("--api-version", default=DEFAULT_API_VERSION)
    parser.add_argument("--platform-country", default="DE")
    parser.add_argument("--webhook-url", help="endpoint receiving every event (account and Connect)")
    parser.add_argument("--webhook-secret", help="its signing secret (default: a random whsec_...)")
    parser.add_argument("--settle-after", type=float, default=None,
                        help="seconds after which payouts settle and automatic payouts run by themselves")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def config_from(args):
    secret = args.webhook_secret or (ids.new_id("whsec") if args.webhook_url else None)
    return ServerConfig(host=args.host, port=args.port, fixtures_path=args.fixtures,
                        api_keys=tuple(args.api_key), api_version=args.api_version,
                        platform_country=args.platform_country.upper(), webhook_url=args.webhook_url,
                        webhook_secret=secret, settle_after=args.settle_after)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = config_from(args)
    state = State(config, Fixtures.load(config.fixtures_path))
    handler = WSGIRequestHandler if args.verbose else QuietHandler
    server = make_server(config.host, config.port, create_app(state), threaded=True, request_handler=handler)
    print(f"stripe_server listening on http://{config.host}:{server.server_port}", flush=True)
    if config.webhook_url and not args.webhook_secret:
        print(f"stripe_server webhook secret {config.webhook_secret}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

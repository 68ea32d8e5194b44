"""Starts one simulator on a free loopback port and prints the port on stdout.

  python3 serve.py keycloak
  python3 serve.py sts --moto http://127.0.0.1:PORT"""
import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from werkzeug.serving import make_server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind")
    parser.add_argument("--moto")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve https with this certificate")
    args = parser.parse_args()
    if args.kind == "sts":
        import sts
        app = sts.create_app(args.moto)
    else:
        import importlib
        app = importlib.import_module(args.kind).create_app()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ssl_context = None
    if args.tls:
        import ssl
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_context.load_cert_chain(*args.tls)
    server = make_server("127.0.0.1", args.port, app, threaded=True, ssl_context=ssl_context)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

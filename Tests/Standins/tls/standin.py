"""An https origin for the tests of Slipway's TLS clients (the health probe and the platform
API client): a certificate authority made for the run with trustme, a server certificate it
issues for --name, the authority's PEM written to --ca-out. Not a stand-in for any vendor's API.

GET any path answers 200 "ok". It prints "port N" once listening on a free loopback port and
exits when its standard input closes, so it never outlives the test."""
import argparse
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True, help="the host name the certificate is issued for")
    parser.add_argument("--ca-out", required=True, help="where to write the authority's PEM")
    arguments = parser.parse_args()
    authority = trustme.CA()
    authority.cert_pem.write_to_path(arguments.ca_out)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(arguments.name).configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"port {server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()

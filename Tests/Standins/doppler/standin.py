#!/usr/bin/env python3
"""A STAND-IN for Doppler's API, for Slipway's tests only: the real API cannot be reached from the
test machines. It answers the one endpoint Slipway calls, in the shapes of Doppler's API
documentation (README.md beside this file cites it).

    python3 standin.py --token TOKEN [--config PROJECT/CONFIG=JSON_OBJECT ...]

It binds a free loopback port, prints `port N` and serves until its standard input closes (the
test process holds the other end, so it never outlives the test). Each --config seeds one
config's secrets; GET /__standin/log (not Doppler's) answers the calls it received, and
POST /__standin/fault {"status": S, "count": N} (not Doppler's either) makes the next N downloads
answer S with Doppler's error shape.
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONFIGS = {}
LOG = []
FAULTS = []
LOCK = threading.Lock()
ARGS = None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/__standin/log":
            with LOCK:
                return self.answer(200, list(LOG))
        with LOCK:
            LOG.append({"method": "GET", "path": url.path, "query": query})
        with LOCK:
            fault = FAULTS.pop(0) if FAULTS else None
        if fault is not None and url.path == "/v3/configs/config/secrets/download":
            return self.answer(fault, {"messages": ["Service Unavailable (a fault the test asked for)"], "success": False})
        if url.path != "/v3/configs/config/secrets/download":
            return self.answer(404, {"messages": ["Not found"], "success": False})
        # Doppler takes a token as a bearer credential (or as the user of basic auth; not used here).
        if self.headers.get("Authorization") != "Bearer " + ARGS.token:
            return self.answer(401, {"messages": ["Invalid Auth token"], "success": False})
        key = query.get("project", "") + "/" + query.get("config", "")
        if key not in CONFIGS:
            return self.answer(404, {"messages": ["Could not find requested config '%s'" % query.get("config", "")], "success": False})
        if query.get("format", "json") != "json":
            return self.answer(400, {"messages": ["this stand-in answers format=json only"], "success": False})
        return self.answer(200, CONFIGS[key])


    def do_POST(self):
        if urlsplit(self.path).path != "/__standin/fault":
            return self.answer(404, {"messages": ["Not found"], "success": False})
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        with LOCK:
            FAULTS.extend([int(body.get("status", 503))] * int(body.get("count", 1)))
        return self.answer(200, {"faults": len(FAULTS)})


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--config", action="append", default=[])
    ARGS = parser.parse_args()
    for entry in ARGS.config:
        key, _, secrets = entry.partition("=")
        CONFIGS[key] = json.loads(secrets)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("port %d" % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()

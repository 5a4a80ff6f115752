#!/usr/bin/env python3
"""tps_server.py - a trusted push server for the push tests.

    tps_server.py PORT DOCROOT LOGFILE

Serves DOCROOT on 127.0.0.1:PORT (GET and POST) and appends one JSON
line per request to LOGFILE: {"method", "path", "query", "body"}.
Special paths:
  /slow/NAME          waits 3 s, then serves NAME (keeps a pull busy)
  /code/NNN           answers with HTTP status NNN
  /flaky/N/NAME       answers 500 to the first N requests, then 200 NAME
  /big                6000 bytes of XML (over the 5 KB cap)
The test stops it by PID.
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, ROOT, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()
counts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", ctype="text/xml"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve(self, name):
        path = os.path.join(ROOT, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                self.reply(200, f.read())
        except OSError:
            self.reply(404, b"not found", "text/plain")

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(n, 65536)).decode("utf-8", "replace")
        with lock:
            with open(LOG, "a") as f:
                f.write(json.dumps({"method": self.command, "path": u.path,
                                    "query": u.query, "body": body}) + "\n")
        parts = u.path.strip("/").split("/")
        if parts[0] == "slow" and len(parts) == 2:
            time.sleep(3)
            return self.serve(parts[1])
        if parts[0] == "code" and len(parts) == 2:
            return self.reply(int(parts[1]), b"")
        if parts[0] == "flaky" and len(parts) == 3:
            with lock:
                counts[u.path] = counts.get(u.path, 0) + 1
                k = counts[u.path]
            if k <= int(parts[1]):
                return self.reply(500, b"")
            return self.serve(parts[2])
        if parts[0] == "big":
            return self.reply(200, b"<Response><Topline>" + b"x" * 6000 +
                              b"</Topline></Response>")
        return self.serve(u.path)

    do_GET = handle_any
    do_POST = handle_any


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()

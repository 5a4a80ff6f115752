#!/usr/bin/env python3
"""agent_sim.py - a simulated phone Push Agent for the gateway tests.

    agent_sim.py PORT LOGFILE PLAN

Answers POST /forms/push on 127.0.0.1:PORT.  PLAN is a comma-separated
list of answers used one per request, the last one repeating:
  NNN        HTTP 200 with x-Push-Status: NNN (402: HTTP 403)
  http500    HTTP 500 without x-Push-Status
  sleepS     wait S seconds (float), then x-Push-Status 200
  close      close the connection without an answer
Each request appends one JSON line to LOGFILE: {"n", "xmldata",
"inflight" (requests being answered at that moment, this one included),
"answer"}.  The test stops it by PID.
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG, PLAN = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
lock = threading.Lock()
state = {"n": 0, "inflight": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(n, 65536)).decode("utf-8", "replace")
        form = urllib.parse.parse_qs(body)
        with lock:
            k = state["n"]
            state["n"] += 1
            state["inflight"] += 1
            inflight = state["inflight"]
            plan = PLAN[min(k, len(PLAN) - 1)]
        with open(LOG, "a") as f:
            f.write(json.dumps({"n": k, "path": self.path,
                                "xmldata": (form.get("XMLData") or [""])[0],
                                "inflight": inflight, "answer": plan}) + "\n")
        # The request stops counting as in flight before its answer is
        # written: once the answer is out, the gateway may start the
        # next one at once, and counting that overlap would blame the
        # gateway for the simulator's own bookkeeping.
        done = [False]

        def finished():
            if not done[0]:
                done[0] = True
                with lock:
                    state["inflight"] -= 1

        try:
            if plan == "close":
                time.sleep(0.05)
                finished()
                self.close_connection = True
                return
            if plan.startswith("sleep"):
                time.sleep(float(plan[5:]))
                plan = "200"
            finished()
            if plan == "http500":
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            code = int(plan)
            self.send_response(403 if code == 402 else 200)
            self.send_header("x-Push-Status", "%d status" % code)
            self.send_header("Content-Length", "0")
            self.end_headers()
        finally:
            finished()


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer.allow_reuse_address = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()

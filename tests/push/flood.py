#!/usr/bin/env python3
"""flood.py - N pushes over one kept-alive HTTP connection (bounded).

    flood.py PORT N XML [SECONDS]

Prints one line "code count" per x-Push-Status code seen, then "errors N".
Stops by itself after N pushes or SECONDS (default 60).
"""
import http.client
import sys
import time
import urllib.parse
from collections import Counter

port, n, xml = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
body = "XMLData=" + urllib.parse.quote(xml)
hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
seen, errors, end = Counter(), 0, time.monotonic() + limit
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
for i in range(n):
    if time.monotonic() > end:
        break
    try:
        conn.request("POST", "/forms/push", body, hdrs)
        r = conn.getresponse()
        r.read()
        seen[(r.getheader("x-Push-Status") or "none").split()[0]] += 1
    except Exception:
        errors += 1
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
for code, count in sorted(seen.items()):
    print(code, count)
print("errors", errors)

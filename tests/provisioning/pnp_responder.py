#!/usr/bin/env python3
"""pnp_responder.py - a SIP PnP responder for pnphone's tests.

Joins sip.mcast.net (224.0.1.75:5060) on the interface of --iface-addr,
answers each multicast SUBSCRIBE (Event: ua-profile) 200 OK and sends the
NOTIFY exactly as the AudioCodes 400HD manual shows it (seed 003): the
SUBSCRIBE's Via, From (the phone's own, with the phone's tag), To (no tag),
Call-ID and Event copied unswapped; Max-Forwards 20; CSeq 1 NOTIFY;
Content-Type application/url; Subscription-State terminated;reason=timeout;
the URL as the body.  That NOTIFY matches no dialog on the phone's side,
which is the point: real PnP servers send it so.

Every datagram received is appended to --log with a timestamp, so tests can
check the SUBSCRIBE's shape, its retransmissions and the phone's answer to
the NOTIFY.  Runs until killed.

Modes: ok-then-notify (default), notify-first, ok-only, no-reply,
wrong-callid, wrong-ctype, empty-body, late-notify (the 200 at once, the
NOTIFY only when the responder gets SIGUSR1: the test sends it once the
phone's window has closed).
"""
import argparse
import random
import signal
import socket
import struct
import sys
import time

GROUP = "224.0.1.75"
PORT = 5060
COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact",
           "o": "event", "c": "content-type", "l": "content-length"}


def parse(data):
    head = data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    lines = head.split("\r\n")
    hdrs = {}
    for line in lines[1:]:
        if ":" not in line:
            continue
        name, value = line.split(":", 1)
        name = name.strip().lower()
        name = COMPACT.get(name, name)
        hdrs.setdefault(name, value.strip())
    return lines[0], hdrs


def uri_hostport(value):
    """host:port of the URI in a Contact/From value, without the user."""
    uri = value
    if "<" in uri:
        uri = uri[uri.index("<") + 1:uri.index(">")]
    uri = uri.split(":", 1)[1] if uri.lower().startswith("sip:") else uri
    uri = uri.split(";", 1)[0]
    if "@" in uri:
        uri = uri.split("@", 1)[1]
    return uri


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--mode", default="ok-then-notify")
    ap.add_argument("--iface-addr", default="127.0.0.1")
    ap.add_argument("--reply-port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", required=True, help="file written once bound")
    a = ap.parse_args()

    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    rx.bind((GROUP, PORT))
    mreq = struct.pack("4s4s", socket.inet_aton(GROUP),
                       socket.inet_aton(a.iface_addr))
    rx.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.bind((a.iface_addr, a.reply_port))
    me = "%s:%d" % tx.getsockname()
    log = open(a.log, "a", buffering=1)
    with open(a.ready, "w") as f:
        f.write(me + "\n")

    import selectors
    sel = selectors.DefaultSelector()
    sel.register(rx, selectors.EVENT_READ)
    sel.register(tx, selectors.EVENT_READ)
    seen = set()
    later = []                # late-notify: (message, destination)
    release = []              # SIGUSR1 came: send what waits

    signal.signal(signal.SIGUSR1, lambda signum, frame: release.append(1))
    while True:
        # a signal does not interrupt select (PEP 475): poll while
        # something waits for it
        events = sel.select(0.05 if later else None)
        while later and release:
            m, dst = later.pop(0)
            tx.sendto(m.encode(), dst)
            log.write("=== %.3f sent to %s:%d\n%s\n" % (
                time.time(), dst[0], dst[1], m))
        for key, _ in events:
            data, src = key.fileobj.recvfrom(65535)
            log.write("=== %.3f from %s:%d to %s\n%s\n" % (
                time.time(), src[0], src[1],
                "group" if key.fileobj is rx else "unicast",
                data.decode("utf-8", "replace")))
            if key.fileobj is not rx:
                continue
            first, h = parse(data)
            if not first.startswith("SUBSCRIBE ") or "call-id" not in h:
                continue
            if h["call-id"] in seen or a.mode == "no-reply":
                continue          # a retransmission: answered already
            seen.add(h["call-id"])
            phone = uri_hostport(h.get("contact", h.get("from", "")))
            ok = ("SIP/2.0 200 OK\r\n"
                  "Via: %s\r\n"
                  "From: %s\r\n"
                  "To: %s;tag=%08x\r\n"
                  "Call-ID: %s\r\n"
                  "CSeq: %s\r\n"
                  "Contact: <sip:%s>\r\n"
                  "Expires: 0\r\n"
                  "Content-Length: 0\r\n\r\n" % (
                      h["via"], h["from"], h["to"], random.getrandbits(32),
                      h["call-id"], h.get("cseq", "1 SUBSCRIBE"), phone))
            callid = h["call-id"]
            ctype = "application/url"
            body = a.url
            if a.mode == "wrong-callid":
                callid = "x" + callid
            elif a.mode == "wrong-ctype":
                ctype = "text/plain"
            elif a.mode == "empty-body":
                body = ""
            notify = ("NOTIFY sip:%s SIP/2.0\r\n"
                      "Via: %s\r\n"
                      "Max-Forwards: 20\r\n"
                      "Contact: <sip:%s>\r\n"
                      "To: %s\r\n"
                      "From: %s\r\n"
                      "Call-ID: %s\r\n"
                      "CSeq: 1 NOTIFY\r\n"
                      "Content-Type: %s\r\n"
                      "Subscription-State: terminated;reason=timeout\r\n"
                      "Event: %s\r\n"
                      "Content-Length: %d\r\n\r\n%s" % (
                          phone, h["via"], me, h["to"], h["from"], callid,
                          ctype, h.get("event", "ua-profile"),
                          len(body.encode()), body))
            host, port = phone.rsplit(":", 1)
            msgs = [(ok, src), (notify, (host, int(port)))]
            if a.mode == "notify-first":
                msgs.reverse()
            if a.mode == "ok-only":
                msgs = msgs[:1]
            if a.mode == "late-notify":
                later.append(msgs[1])
                msgs = msgs[:1]
            for m, dst in msgs:
                tx.sendto(m.encode(), dst)
                log.write("=== %.3f sent to %s:%d\n%s\n" % (
                    time.time(), dst[0], dst[1], m))


if __name__ == "__main__":
    sys.exit(main())

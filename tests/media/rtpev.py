#!/usr/bin/env python3
"""rtpev.py - the RTP end of a SIP peer (sipp) that has none of its own,
for the RFC 4733 tests.

  rtpev.py peer PORT LOG [--inject PT] [--audio-pt PT] [--clock HZ]
                         [--rate HZ] [--seconds N]
      Listen on 127.0.0.1:PORT (the port the sipp scenario puts in its
      SDP) and write every packet received as a JSON line to LOG.  With
      --inject, once the phone's first packet has arrived, answer it
      from PORT with an audio stream (--audio-pt, default 0: PCMU
      silence; another PT gets Opus silence) on an RTP clock of --clock
      Hz (default 8000) carrying telephone-events (PT) whose durations
      count --rate Hz ticks (default: the clock) that a receiver must
      get right: see INJECTED below.  Stops after N seconds (default 20)
      or on SIGTERM.

  rtpev.py check LOG DIGITS [--pt PT] [--rate HZ] [--clock HZ] [--tone MS]
      Check that the events in LOG obey RFC 4733 section 2.5 as a
      strict receiver (Asterisk) reads them, and that they are DIGITS:
      durations in 20 ms steps of the telephone-event's clock (--rate),
      timestamps on the audio's (--clock, default --rate).  Prints one
      FIGURES line; exit status 1 with the reasons on a violation.
"""
import json
import select
import signal
import socket
import struct
import sys
import time

DIGITS = "0123456789*#ABCD"
PTIME_MS = 20
OPUS_SILENCE = b"\xf8\xff\xfe"       # one 20 ms CELT frame of silence

# What --inject sends, digit by digit, and what the receiver must
# report: "3358A#".
#   3  a plain event: 5 updates, 3 end packets
#   3  the same digit again (a new timestamp: a second key press); its
#      last end packet is held back ...
#   5  ... and arrives, late, after this event's first packet: the old
#      event must not be reported again
#   8  its updates are lost: only the end packets arrive
#   A  its end packet repeated with the same sequence number (the
#      Debian sipp pcaps do this)
#   -  event 16 (not DTMF) and a 3-byte (malformed) event: nothing
#   #  a plain event after all that
INJECTED = "3358A#"


def hdr(m, pt, seq, ts, ssrc):
    return struct.pack("!BBHII", 0x80, (0x80 if m else 0) | pt,
                       seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)


def ev_payload(code, end, dur, vol=10):
    return struct.pack("!BBH", code, (0x80 if end else 0) | vol, dur)


def injected_packets(te_pt, audio_pt=0, clock=8000, rate=8000):
    """Yield (delay_ms, packet) pairs: the stream --inject sends."""
    ssrc = 0x5eed4733
    seq = [1000]
    ts = [8000 * 7]
    held = []
    tick = PTIME_MS * clock // 1000         # timestamp step, audio clock
    step = PTIME_MS * rate // 1000          # duration step, event clock
    silence = b"\xff" * tick if audio_pt == 0 else OPUS_SILENCE

    def nxt():
        s = seq[0]
        seq[0] += 1
        return s

    def audio(n):
        for _ in range(n):
            yield PTIME_MS, hdr(False, audio_pt, nxt(), ts[0], ssrc) + silence
            ts[0] += tick

    def event(digit, updates=5, ends=3, hold_last_end=False,
              drop_updates=False, same_seq_ends=False, late=None):
        code = DIGITS.index(digit)
        ets = ts[0]
        dur = 0
        for i in range(updates):
            dur += step
            s = nxt()
            if not drop_updates:
                yield PTIME_MS, hdr(i == 0, te_pt, s, ets, ssrc) + \
                    ev_payload(code, False, dur)
            if i == 0 and late:
                yield 1, late.pop()
        end_seq = None
        for i in range(ends):
            s = nxt() if not same_seq_ends or end_seq is None else end_seq
            end_seq = s
            p = hdr(drop_updates and i == 0, te_pt, s, ets, ssrc) + \
                ev_payload(code, True, dur)
            if hold_last_end and i == ends - 1:
                held.append(p)
            else:
                yield (1 if same_seq_ends and i else PTIME_MS), p
        ts[0] += (updates + ends) * tick

    yield from audio(10)
    yield from event("3")
    yield from audio(5)
    yield from event("3", hold_last_end=True)
    yield from audio(3)
    yield from event("5", late=held)
    yield from audio(5)
    yield from event("8", drop_updates=True)
    yield from audio(5)
    yield from event("A", same_seq_ends=True)
    yield from audio(3)
    # not DTMF: event 16, then a 3-byte payload
    yield PTIME_MS, hdr(True, te_pt, nxt(), ts[0], ssrc) + \
        ev_payload(16, True, step)
    ts[0] += tick
    yield PTIME_MS, hdr(True, te_pt, nxt(), ts[0], ssrc) + b"\x05\x8a\x00"
    ts[0] += tick
    yield from audio(5)
    yield from event("#")
    yield from audio(10)


def peer(argv):
    port, logname = int(argv[0]), argv[1]
    inject = None
    seconds = 20.0
    audio_pt, clock, rate = 0, 8000, None
    i = 2
    while i < len(argv):
        if argv[i] == "--inject":
            inject = int(argv[i + 1])
        elif argv[i] == "--audio-pt":
            audio_pt = int(argv[i + 1])
        elif argv[i] == "--clock":
            clock = int(argv[i + 1])
        elif argv[i] == "--rate":
            rate = int(argv[i + 1])
        elif argv[i] == "--seconds":
            seconds = float(argv[i + 1])
        else:
            sys.exit("rtpev.py peer: unknown option " + argv[i])
        i += 2
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    log = open(logname, "w")
    start = time.monotonic()
    phone = None
    sending = None
    next_send = 0.0
    while not stop and time.monotonic() - start < seconds:
        now = time.monotonic()
        wait = 0.2
        if sending is not None:
            wait = max(0.0, min(wait, next_send - now))
        try:
            r, _, _ = select.select([sock], [], [], wait)
        except InterruptedError:
            continue
        now = time.monotonic()
        if r:
            data, addr = sock.recvfrom(2048)
            rec = {"t": round(now - start, 4), "from": addr[1],
                   "len": len(data)}
            if len(data) >= 12 and data[0] >> 6 == 2:
                b0, b1, seq, ts, ssrc = struct.unpack("!BBHII", data[:12])
                off = 12 + 4 * (b0 & 0x0F)
                if b0 & 0x10 and len(data) >= off + 4:
                    off += 4 + 4 * struct.unpack("!H", data[off + 2:off + 4])[0]
                rec.update(m=b1 >> 7, pt=b1 & 0x7F, seq=seq, ts=ts,
                           ssrc=ssrc, payload=data[off:].hex())
            log.write(json.dumps(rec) + "\n")
            log.flush()
            if phone is None:
                phone = addr
                if inject is not None:
                    sending = injected_packets(inject, audio_pt, clock,
                                               rate or clock)
                    next_send = now + 0.3
        if sending is not None and now >= next_send:
            try:
                delay, pkt = next(sending)
            except StopIteration:
                sending = None
                continue
            sock.sendto(pkt, phone)
            next_send = now + delay / 1000.0
    log.close()


def check(argv):
    logname, want = argv[0], argv[1]
    te_pt, rate, tone_ms, clock = 101, 8000, 100, None
    i = 2
    while i < len(argv):
        if argv[i] == "--pt":
            te_pt = int(argv[i + 1])
        elif argv[i] == "--rate":
            rate = int(argv[i + 1])
        elif argv[i] == "--clock":
            clock = int(argv[i + 1])
        elif argv[i] == "--tone":
            tone_ms = int(argv[i + 1])
        else:
            sys.exit("rtpev.py check: unknown option " + argv[i])
        i += 2
    pkts = [json.loads(l) for l in open(logname) if l.strip()]
    pkts = [p for p in pkts if "pt" in p]
    errs = []
    clock = clock or rate
    step = PTIME_MS * rate // 1000
    tone = tone_ms * rate // 1000
    if not pkts:
        print("no RTP packet arrived")
        return 1
    # one source: events share the audio's SSRC, and its sequence
    ssrcs = sorted({p["ssrc"] for p in pkts})
    if len(ssrcs) != 1:
        errs.append("%d SSRCs: %s" % (len(ssrcs), ssrcs))
    for a, b in zip(pkts, pkts[1:]):
        if (a["seq"] + 1) & 0xFFFF != b["seq"]:
            errs.append("sequence %d followed by %d" % (a["seq"], b["seq"]))
    events = []             # [ts, [packets]] in order of arrival
    last_audio_ts = None
    after_event = None      # (ts, duration) of the event just sent
    for p in pkts:
        if p["pt"] != te_pt:
            # audio resumes after the event, not inside it (the
            # duration counts event ticks, the timestamps audio ticks)
            if after_event and \
                    ((p["ts"] - after_event[0] -
                      after_event[1] * clock // rate)
                     & 0xFFFFFFFF) >= 0x80000000:
                errs.append("audio ts %d inside the event at ts %d "
                            "(duration %d)" % (p["ts"], after_event[0],
                                               after_event[1]))
            after_event = None
            last_audio_ts = p["ts"]
            continue
        pl = bytes.fromhex(p["payload"])
        if len(pl) != 4:
            errs.append("event payload of %d bytes (seq %d)" % (len(pl), p["seq"]))
            continue
        code, flags, dur = struct.unpack("!BBH", pl)
        e = {"code": code, "end": flags >> 7, "r": (flags >> 6) & 1,
             "vol": flags & 0x3F, "dur": dur, "m": p["m"], "seq": p["seq"]}
        if not events or events[-1][0] != p["ts"]:
            if events and ((p["ts"] - events[-1][0]) & 0xFFFFFFFF) >= 0x80000000:
                errs.append("event ts %d not after the previous event's %d"
                            % (p["ts"], events[-1][0]))
            if last_audio_ts is not None and \
                    ((p["ts"] - last_audio_ts) & 0xFFFFFFFF) >= 0x80000000:
                errs.append("event ts %d before the audio's %d"
                            % (p["ts"], last_audio_ts))
            events.append([p["ts"], [], 0])
        events[-1][1].append(e)
        events[-1][2] = max(events[-1][2], dur)
        after_event = (events[-1][0], events[-1][2])
    got = ""
    ends = []
    for ts, ev, _ in events:
        codes = {e["code"] for e in ev}
        if len(codes) != 1:
            errs.append("ts %d: several event codes %s" % (ts, sorted(codes)))
        code = ev[0]["code"]
        if code > 15:
            errs.append("ts %d: event %d is no DTMF digit" % (ts, code))
            continue
        got += DIGITS[code]
        d = DIGITS[code]
        if ev[0]["m"] != 1:
            errs.append("%s (ts %d): first packet without the marker bit" % (d, ts))
        if any(e["m"] for e in ev[1:]):
            errs.append("%s (ts %d): marker bit on a later packet" % (d, ts))
        if any(e["r"] for e in ev):
            errs.append("%s (ts %d): R bit set" % (d, ts))
        vols = {e["vol"] for e in ev}
        if len(vols) != 1:
            errs.append("%s (ts %d): volume changes %s" % (d, ts, sorted(vols)))
        upd = [e for e in ev if not e["end"]]
        end = [e for e in ev if e["end"]]
        first_end = next((k for k, e in enumerate(ev) if e["end"]), len(ev))
        if any(not e["end"] for e in ev[first_end:]):
            errs.append("%s (ts %d): an update after the end" % (d, ts))
        if len(end) != 3:
            errs.append("%s (ts %d): %d end packets, want 3" % (d, ts, len(end)))
        if not upd:
            errs.append("%s (ts %d): no update before the end" % (d, ts))
        durs = [e["dur"] for e in upd]
        if durs and durs[0] != step:
            errs.append("%s (ts %d): first duration %d, want %d (one packet)"
                        % (d, ts, durs[0], step))
        for a, b in zip(durs, durs[1:]):
            if b - a != step:
                errs.append("%s (ts %d): duration %d then %d, want steps of %d"
                            % (d, ts, a, b, step))
        edurs = {e["dur"] for e in end}
        if len(edurs) > 1:
            errs.append("%s (ts %d): end packets differ in duration %s"
                        % (d, ts, sorted(edurs)))
        if end and durs and end[0]["dur"] < durs[-1]:
            errs.append("%s (ts %d): end duration %d below the last update's %d"
                        % (d, ts, end[0]["dur"], durs[-1]))
        if end and end[0]["dur"] != tone:
            errs.append("%s (ts %d): duration %d, want %d (%d ms)"
                        % (d, ts, end[0]["dur"], tone, tone_ms))
        ends.append(len(end))
    if got != want:
        errs.append("digits '%s', want '%s'" % (got, want))
    vol = sorted({e["vol"] for _, ev, _ in events for e in ev})
    print("FIGURES pt=%d rate=%d step=%d tone=%d events=%d digits=%s "
          "packets=%d event_packets=%d volume=%s end_packets=%s ssrcs=%d"
          % (te_pt, rate, step, tone, len(events), got, len(pkts),
             sum(len(ev) for _, ev, _ in events), vol, ends, len(ssrcs)))
    for e in errs:
        print("RFC 4733: " + e)
    return 1 if errs else 0


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "peer":
        peer(sys.argv[2:])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        return check(sys.argv[2:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())

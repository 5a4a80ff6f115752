#!/usr/bin/env python3
"""rtpsend.py - the RTP end of a sipp caller: plays a test signal to the
phone as a plan of segments, each in its own codec and from its own
source port, for the codec-switch and latch tests.

  rtpsend.py PORT --wav8 A8.wav [--wav48 A48.wav] --plan SEG[,SEG...]
             [--pt CODEC=PT]... [--stranger SPORT] [--log FILE]

  SEG is CODEC:SECONDS[:SRCPORT], CODEC one of pcmu, pcma, opus.

Listens on 127.0.0.1:PORT (the port of the sipp scenario's SDP) until
the phone's first packet shows where the phone is, then, 0.3 s later,
sends 20 ms frames of the signal (--wav8 for G.711, --wav48 for Opus,
the same signal at two rates, looped; one timeline across segments, so
the recording lines up with either file) with one SSRC and one unbroken
sequence: timestamps step by each codec's own clock, and the marker bit
starts each segment.  A segment with SRCPORT sends from that port (the
peer behind a NAT, or after its mapping changed) instead of PORT.
--stranger: one well-formed PCMU packet (another SSRC) from SPORT, 40 ms
before the stream starts.  --pt maps a codec to the payload type of the
SDP (defaults: pcmu 0, pcma 8, opus 107).  --log: one JSON object with
what was sent, and how many of the phone's packets each source port
holds at the end (PORT's are read on the way: 0).  G.711 is encoded here (the segment/mantissa rule of
ITU-T G.711), Opus with libopus through ctypes.
"""
import ctypes
import ctypes.util
import json
import os
import select
import socket
import struct
import sys
import time
import wave

PTIME = 0.020


def ulaw(x):
    """One 16-bit sample to mu-law (G.711: bias 132, 8 segments)."""
    sign = 0x80 if x < 0 else 0
    m = min(-x if x < 0 else x, 32635) + 132
    seg = m.bit_length() - 8              # 0..7 for 132..32767
    return ~(sign | seg << 4 | (m >> (seg + 3)) & 0x0F) & 0xFF


def alaw(x):
    """One 16-bit sample to A-law (G.711: even bits inverted)."""
    sign = 0x80 if x >= 0 else 0
    m = min(-x - 1 if x < 0 else x, 32767) >> 3      # 13 bits
    if m < 32:
        v = m >> 1
    else:
        seg = m.bit_length() - 5              # 1..7
        v = seg << 4 | (m >> seg) & 0x0F
    return (sign | v) ^ 0x55


ULAW = bytes(ulaw(x) for x in range(-32768, 32768))
ALAW = bytes(alaw(x) for x in range(-32768, 32768))


def read_wav(path):
    w = wave.open(path, "rb")
    if w.getnchannels() != 1 or w.getsampwidth() != 2:
        sys.exit("rtpsend.py: %s is not 16-bit mono" % path)
    data = w.readframes(w.getnframes())
    return w.getframerate(), struct.unpack("<%dh" % (len(data) // 2), data)


class Opus:
    def __init__(self):
        lib = ctypes.CDLL(ctypes.util.find_library("opus") or "libopus.so.0")
        lib.opus_encoder_create.restype = ctypes.c_void_p
        lib.opus_encode.argtypes = [ctypes.c_void_p,
                                    ctypes.POINTER(ctypes.c_int16),
                                    ctypes.c_int, ctypes.c_char_p,
                                    ctypes.c_int32]
        err = ctypes.c_int()
        self.lib = lib
        self.enc = lib.opus_encoder_create(48000, 1, 2049, ctypes.byref(err))
        if not self.enc:
            sys.exit("rtpsend.py: opus_encoder_create failed")

    def encode(self, pcm):
        buf = (ctypes.c_int16 * len(pcm))(*pcm)
        out = ctypes.create_string_buffer(1500)
        n = self.lib.opus_encode(self.enc, buf, len(pcm), out, 1500)
        if n < 0:
            sys.exit("rtpsend.py: opus_encode failed")
        return out.raw[:n]


def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    return s


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    port = int(argv[0])
    opts = {"pt": {"pcmu": 0, "pcma": 8, "opus": 107}, "plan": None,
            "wav8": None, "wav48": None, "stranger": None, "log": None}
    i = 1
    while i + 1 < len(argv):
        k, v = argv[i].lstrip("-"), argv[i + 1]
        if k == "pt":
            name, num = v.split("=")
            opts["pt"][name] = int(num)
        elif k in opts:
            opts[k] = v
        else:
            sys.exit("rtpsend.py: unknown option " + argv[i])
        i += 2
    plan = []
    for seg in opts["plan"].split(","):
        f = seg.split(":")
        plan.append((f[0], float(f[1]), int(f[2]) if len(f) > 2 else None))
    sig = {8000: read_wav(opts["wav8"])[1]}
    if opts["wav48"]:
        sig[48000] = read_wav(opts["wav48"])[1]
    opus = Opus() if any(c == "opus" for c, _, _ in plan) else None

    main_sock = udp(port)
    socks = {None: main_sock}
    for _, _, src in plan:
        if src is not None and src not in socks:
            socks[src] = udp(src)
    # wait for the phone's first packet: where to send
    r, _, _ = select.select([main_sock], [], [], 15)
    if not r:
        sys.exit("rtpsend.py: nothing from the phone in 15 s")
    _, phone = main_sock.recvfrom(2048)
    time.sleep(0.3)
    t0 = time.monotonic()
    report = {"phone_port": phone[1], "segments": []}
    if opts["stranger"]:
        s = socks["stranger"] = udp(int(opts["stranger"]))
        s.sendto(struct.pack("!BBHII", 0x80, 0x80, 4711, 4711, 0xbad5eed) +
                 ULAW[0x8000:0x8000 + 1] * 160, phone)
        report["stranger"] = int(opts["stranger"])
        time.sleep(0.04)
    ssrc = struct.unpack("!I", os.urandom(4))[0]
    seq = struct.unpack("!H", os.urandom(2))[0]
    ts = struct.unpack("!I", os.urandom(4))[0]
    frame = 0                       # 20 ms frames since the start
    start = time.monotonic()
    for codec, secs, src in plan:
        rate = 48000 if codec == "opus" else 8000
        n = rate // 50
        x = sig[rate]
        sock = socks[src]
        seg = {"codec": codec, "pt": opts["pt"][codec], "src":
               sock.getsockname()[1], "start_s": round(time.monotonic() - t0, 3),
               "packets": 0}
        for k in range(int(round(secs / PTIME))):
            # paced on absolute deadlines: no drift over the plan
            delay = start + frame * PTIME - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            off = frame * n % len(x)
            pcm = (x + x)[off:off + n] if off + n > len(x) else x[off:off + n]
            if codec == "opus":
                payload = opus.encode(pcm)
            else:
                table = ULAW if codec == "pcmu" else ALAW
                payload = bytes(table[v + 32768] for v in pcm)
            hdr = struct.pack("!BBHII", 0x80,
                              (0x80 if k == 0 else 0) | opts["pt"][codec],
                              seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
            sock.sendto(hdr + payload, phone)
            seq += 1
            ts += n
            frame += 1
            seg["packets"] += 1
            # what the phone sends is read and forgotten
            while select.select([main_sock], [], [], 0)[0]:
                main_sock.recvfrom(2048)
        report["segments"].append(seg)
    # symmetric RTP: which of our ports the phone's packets went to
    # (the kernel kept them; only PORT was read on the way)
    time.sleep(0.1)
    report["received"] = {}
    for sock in socks.values():
        got = 0
        while select.select([sock], [], [], 0)[0]:
            sock.recvfrom(2048)
            got += 1
        report["received"][str(sock.getsockname()[1])] = got
    if opts["log"]:
        with open(opts["log"], "w") as f:
            json.dump(report, f)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

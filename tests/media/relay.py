#!/usr/bin/env python3
"""relay.py - a seeded, impairing SIP+RTP relay between two phones on 127.0.0.1.

  relay.py --sip PORT --to PORT --rtp PORT [--seed N] [--drop P]
           [--delay MS] [--jitter MS] [--inject] [--stats FILE]

The caller sends its INVITE to 127.0.0.1:--sip; the relay passes SIP
datagrams on to 127.0.0.1:--to and the answers back (the callee answers
to the relay because of rport), rewriting the SDP audio ports so that RTP
and RTCP of both sides go through it: the caller talks to --rtp/+1, the
callee to --rtp+2/+3.  RTP is impaired: each packet is dropped with
probability --drop, else delayed by --delay plus uniform(0, --jitter) ms,
which reorders packets closer together than the jitter.  RTCP is passed
on at once.  --inject also sends the callee bad RTP: truncated, version
1, a CSRC count or extension that overruns the packet, an unknown
payload type and wild sequence jumps, from the caller's relay port (the
latched source), and well-formed RTP from a stranger's port.  On SIGTERM
the counters go to --stats as JSON, with the RTP packets that came from
each side by payload type ("pt_a", "pt_b": {"PT": count}).
"""
import argparse, heapq, json, os, random, re, select, signal, socket, struct, sys, time

ap = argparse.ArgumentParser()
ap.add_argument('--sip', type=int, required=True)
ap.add_argument('--to', type=int, required=True)
ap.add_argument('--rtp', type=int, required=True)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--drop', type=float, default=0.0)
ap.add_argument('--delay', type=float, default=0.0)
ap.add_argument('--jitter', type=float, default=0.0)
ap.add_argument('--inject', action='store_true')
ap.add_argument('--stats', default=None)
a = ap.parse_args()
rnd = random.Random(a.seed)
H = '127.0.0.1'

def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((H, port))
    s.setblocking(False)
    return s

sip = udp(a.sip)
# side 'a' faces the caller, side 'b' the callee
rtp = {'a': udp(a.rtp), 'b': udp(a.rtp + 2)}
rtcp = {'a': udp(a.rtp + 1), 'b': udp(a.rtp + 3)}
stranger = udp(a.rtp + 4)
media = {'a': None, 'b': None}        # where each phone wants its RTP
caller = None
stats = {'rtp_in': 0, 'dropped': 0, 'forwarded': 0, 'reordered': 0,
         'rtcp': 0, 'injected_bad': 0, 'injected_stranger': 0, 'sip': 0,
         'pt_a': {}, 'pt_b': {}}
queue = []                            # (due, n, side, data)
seqn = 0
last_sent = {'a': -1, 'b': -1}
last_hdr = None                       # a real caller->callee RTP header

def rewrite(msg, side):
    """Point the SDP's audio port at the relay port facing SIDE's peer."""
    head, sep, body = msg.partition(b'\r\n\r\n')
    if not sep or b'm=audio ' not in body:
        return msg
    m = re.search(rb'm=audio (\d+)', body)
    media[side] = int(m.group(1))
    port = a.rtp if side == 'a' else a.rtp + 2
    body = body[:m.start(1)] + str(port).encode() + body[m.end(1):]
    body = re.sub(rb'a=rtcp:\d+', b'a=rtcp:%d' % (port + 1), body)
    head = re.sub(rb'(?im)^(content-length|l)[ \t]*:[ \t]*\d+',
                  lambda mm: mm.group(1) + b': %d' % len(body), head)
    return head + sep + body

def on_sip():
    global caller
    data, src = sip.recvfrom(65535)
    stats['sip'] += 1
    if src[1] == a.to:                          # from the callee
        if caller:
            sip.sendto(rewrite(data, 'b'), caller)
    else:
        caller = src
        sip.sendto(rewrite(data, 'a'), (H, a.to))

def on_rtp(side):
    global seqn, last_hdr
    data, src = rtp[side].recvfrom(65535)
    other = 'b' if side == 'a' else 'a'
    stats['rtp_in'] += 1
    if len(data) >= 12:
        pts = stats['pt_' + side]
        pt = str(data[1] & 0x7f)
        pts[pt] = pts.get(pt, 0) + 1
    if media[other] is None:
        return
    if side == 'a' and len(data) >= 12:
        last_hdr = data[:12]
    if rnd.random() < a.drop:
        stats['dropped'] += 1
        return
    due = time.monotonic() + (a.delay + rnd.random() * a.jitter) / 1000.0
    seqn += 1
    heapq.heappush(queue, (due, seqn, other, data))

def on_rtcp(side):
    data, src = rtcp[side].recvfrom(65535)
    other = 'b' if side == 'a' else 'a'
    stats['rtcp'] += 1
    if media[other] is not None:
        rtcp[other].sendto(data, (H, media[other] + 1))

def send_due():
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, side, data = heapq.heappop(queue)
        seq = struct.unpack('!H', data[2:4])[0] if len(data) >= 4 else 0
        if last_sent[side] >= 0 and ((seq - last_sent[side]) & 0xffff) > 0x8000:
            stats['reordered'] += 1
        last_sent[side] = seq
        rtp[side].sendto(data, (H, media[side]))   # from the port facing it
        stats['forwarded'] += 1

def inject(n):
    """One bad packet toward the callee, from the relay's latched port."""
    if media['b'] is None or last_hdr is None:
        return
    v, pt, seq, ts, ssrc = struct.unpack('!BBHII', last_hdr)
    kind = n % 6
    if kind == 0:
        pkt = last_hdr[:7]                                  # truncated
    elif kind == 1:
        pkt = bytes([0x40]) + last_hdr[1:] + b'\0' * 160    # version 1
    elif kind == 2:
        pkt = bytes([0x8f]) + last_hdr[1:] + b'\0' * 8      # 15 CSRCs, 2 there
    elif kind == 3:
        pkt = bytes([0x90]) + last_hdr[1:] + b'\xbe\xde\xff\xff' + b'\0' * 8
    elif kind == 4:
        pkt = struct.pack('!BBHII', 0x80, 77, seq, ts, ssrc) + b'\0' * 160
    else:
        pkt = struct.pack('!BBHII', 0x80, pt & 0x7f, (seq + 20000 + n) & 0xffff,
                          ts, ssrc) + b'\xff' * 160       # wild seq jump
    rtp['b'].sendto(pkt, (H, media['b']))
    stats['injected_bad'] += 1
    if n % 3 == 0:
        good = struct.pack('!BBHII', 0x80, pt & 0x7f, seq, ts, ssrc) + b'\xff' * 160
        stranger.sendto(good, (H, media['b']))
        stats['injected_stranger'] += 1

def done(*_):
    if a.stats:
        with open(a.stats, 'w') as f:
            json.dump(stats, f)
    sys.exit(0)

signal.signal(signal.SIGTERM, done)
signal.signal(signal.SIGINT, done)
socks = {sip: on_sip}
for side in 'ab':
    socks[rtp[side]] = (lambda s=side: on_rtp(s))
    socks[rtcp[side]] = (lambda s=side: on_rtcp(s))
socks[stranger] = lambda: stranger.recvfrom(65535)
next_inject, n_inject = time.monotonic() + 1.0, 0
next_dump = 0.0
while True:
    timeout = 0.05
    if queue:
        timeout = max(0.0, min(timeout, queue[0][0] - time.monotonic()))
    r, _, _ = select.select(list(socks), [], [], timeout)
    for s in r:
        try:
            socks[s]()
        except (BlockingIOError, ConnectionRefusedError):
            pass
    try:
        send_due()
    except ConnectionRefusedError:
        pass
    if a.inject and time.monotonic() >= next_inject:
        inject(n_inject)
        n_inject += 1
        next_inject = time.monotonic() + 0.1
    if a.stats and time.monotonic() >= next_dump:
        next_dump = time.monotonic() + 0.5
        with open(a.stats + '.tmp', 'w') as f:
            json.dump(stats, f)
        os.replace(a.stats + '.tmp', a.stats)

#!/bin/bash
# ssrc_rate.sh - a new SSRC when the codec we send changes clock rate.
# RFC 3550 section 5.2 (and RFC 7160) keep one clock per SSRC: timestamps
# of two rates under one SSRC read as a jump to a receiver.  sipp calls
# pnphone offering Opus (48 kHz) and PCMU, then re-offers PCMU alone
# (sipp/codec_rate_uac.xml); a listener on the SDP's ports records what
# pnphone sends.  Checks: the Opus packets share one SSRC, the PCMU ones
# another; an RTCP BYE for the first is sent;
# sequence numbers run on within each SSRC; call_stats keep counting
# every packet sent.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=31300
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3
# sipp_start reads scenarios from tests/interop/sipp/; ours are here
S=../../media/sipp

python3 - "$(port 45)" "$T/wire.json" >"$T/listener.out" 2>&1 <<'PY' &
import json, select, socket, struct, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rtp.bind(("127.0.0.1", port))
rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rtcp.bind(("127.0.0.1", port + 1))
log = []
end = time.time() + 12
while time.time() < end:
    r, _, _ = select.select([rtp, rtcp], [], [], 0.2)
    for s in r:
        d = s.recv(2048)
        if s is rtp and len(d) >= 12:
            log.append({"rtp": d[1] & 127, "seq": struct.unpack("!H", d[2:4])[0],
                        "ssrc": struct.unpack("!I", d[8:12])[0]})
        elif s is rtcp:
            off = 0
            while off + 8 <= len(d):           # each packet of the compound
                pt, words = d[off + 1], struct.unpack("!H", d[off + 2:off + 4])[0]
                if pt == 203:
                    log.append({"bye": struct.unpack("!I", d[off + 4:off + 8])[0]})
                off += 4 * (words + 1)
    with open(out, "w") as f:
        json.dump(log, f)
PY
PN_PID[listener]=$!
PN_PIDS+=("$!")
wait_port udp "$(port 45)" 5 || fail "the listener does not listen"

pn_conf_std "$T/alice.conf" 10 20 "call.auto_answer=on" "push.listen="
pn_start alice "$T/alice.conf"
pn_expect alice ready
sipp_start caller "$S/codec_rate_uac.xml" "$(port 0)" "127.0.0.1:$(port 10)" \
	-s alice -key rtp_port "$(port 45)"
pn_expect alice call_established '.codec == "opus"'
pn_expect alice call_ended
sipp_expect caller 20
st=$(pn_wait alice call_stats '.final') || fail "no final call_stats"
sleep 0.5
python3 - "$T/wire.json" "$(jq '.rtp.packets_sent' <<<"$st")" <<'PY' || note_fail "what pnphone sent is wrong (above)"
import json, sys
log, sent = json.load(open(sys.argv[1])), int(sys.argv[2])
pkts = [e for e in log if "rtp" in e]
opus = [e for e in pkts if e["rtp"] == 111 or e["rtp"] == 107]
pcmu = [e for e in pkts if e["rtp"] == 0]
byes = [e["bye"] for e in log if "bye" in e]
print(f"FIGURES opus {len(opus)} packets, pcmu {len(pcmu)}, SSRCs "
      f"{sorted(set(hex(e['ssrc']) for e in pkts))}, BYE for "
      f"{[hex(b) for b in byes]}, call_stats packets_sent {sent}")
ok = True
def one(lst, what):
    global ok
    s = set(e["ssrc"] for e in lst)
    if len(s) != 1:
        print(f"{what}: {len(s)} SSRCs"); ok = False
        return None
    seqs = [e["seq"] for e in lst]
    if any((b - a) & 0xffff != 1 for a, b in zip(seqs, seqs[1:])):
        print(f"{what}: the sequence numbers do not run on"); ok = False
    return s.pop()
if len(opus) < 50 or len(pcmu) < 50:
    print("too few packets of each codec"); ok = False
else:
    a, b = one(opus, "opus"), one(pcmu, "pcmu")
    if a is not None and a == b:
        print("the PCMU packets kept the Opus SSRC"); ok = False
    # The BYE and the first PCMU packet come 20 ms apart on two ports:
    # which the listener reads first is not theirs to say (under
    # emulation it reads both at once).  A BYE for the Opus SSRC can
    # only be the codec change's: the call's last BYE is for the PCMU one.
    if a is not None and a not in byes:
        print("no RTCP BYE for the Opus SSRC"); ok = False
    if sent < len(pkts):
        print(f"call_stats counts {sent} packets sent, the wire {len(pkts)}"); ok = False
sys.exit(0 if ok else 1)
PY
pn_stop alice || note_fail "pnphone exited non-zero"
pn_done

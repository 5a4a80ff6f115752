#!/bin/bash
# sdp_answer.sh - pnphone's SDP answers, to the letter of RFC 3264, to a
# caller that numbers its codecs its own way and holds and resumes the
# call (sipp, tests/media/sipp/sdp_reinvite_uac.xml).  Asterisk numbers
# Opus 107 where pnphone offers 111; a strict peer expects the answer to
# use the offer's numbers.  Checks, from sipp's message trace:
#  - the answer uses the offer's payload numbers (section 6.1): Opus as
#    107 first, telephone-event/8000 as 100, none of pnphone's own 111
#    and 101; c= is pnphone's address, never 0.0.0.0;
#  - the re-INVITE with a=sendonly is answered a=recvonly (section 6.1),
#    and pnphone stops sending RTP (its packets_sent stands still during
#    the hold) while it says so (status: sending false);
#  - the re-INVITE with a=sendrecv is answered sendrecv, and RTP flows
#    again;
#  - every answer keeps the o= session id and its m= port, and its o=
#    version is the one before plus one (section 8: a changed
#    description MUST increment it);
#  - a re-INVITE without SDP (Asterisk sends them) gets an offer in the
#    200 in the same session, Opus still 107, and the ACK's answer keeps
#    the call and its RTP going;
#  - the phone reports call_held and call_resumed by remote, and the
#    call's end.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30700
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3 jq
# sipp_start reads scenarios from tests/interop/sipp/; ours are here
S=../../media/sipp

# sent NAME: packets_sent of the phone's call, from a status query
sent() {
	local n
	n=$(pn_count "$1" status)
	pn_cmd "$1" status
	pn_wait_count "$1" status $((n + 1)) >"$T/status.json" ||
		fail "no answer to status"
	jq -r '.calls[0].rtp | "\(.packets_sent) \(.sending)"' "$T/status.json"
}

pn_conf_std "$T/alice.conf" 10 20 "call.codecs=opus,pcmu" \
	"call.auto_answer=on" "push.listen=127.0.0.1:$(port 46)"
pn_start alice "$T/alice.conf"
pn_expect alice ready

sipp_start uac "$S/sdp_reinvite_uac.xml" "$(port 0)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_established '.codec == "opus"'
pn_expect alice call_held '.by == "remote"'
# the hold lasts 4 s: one status at its start, one a second later
sleep 0.3
read -r s1 sending1 <<<"$(sent alice)"
sleep 1
read -r s2 sending2 <<<"$(sent alice)"
log "on hold: packets_sent $s1 then $s2, sending $sending1, $sending2"
[ "$sending1" = false ] && [ "$sending2" = false ] ||
	note_fail "on hold by the peer, status says sending $sending1, $sending2"
[ "$s1" = "$s2" ] ||
	note_fail "held with a=sendonly, pnphone went on sending RTP ($s1, then $s2 packets)"
pn_expect alice call_resumed '.by == "remote"'
sleep 0.5
read -r s3 sending3 <<<"$(sent alice)"
log "resumed: packets_sent $s3, sending $sending3"
[ "$sending3" = true ] && [ "$s3" -gt "$s2" ] ||
	note_fail "resumed, pnphone sends no RTP (sending $sending3, packets $s2, then $s3)"
# the re-INVITE without SDP comes 1 s after the resume, 2.5 s of call
# after it: of the 2 s until the next status, 1.5 s are after it (some
# 100 packets; had it stopped the sending, some 25)
sleep 2
read -r s4 sending4 <<<"$(sent alice)"
log "after the re-INVITE without SDP: packets_sent $s4, sending $sending4"
[ "$sending4" = true ] && [ "$((s4 - s3))" -ge 75 ] ||
	note_fail "after a re-INVITE without SDP, pnphone sends no RTP (sending $sending4, packets $s3, then $s4)"
pn_expect alice call_ended '.by == "remote"' 15
sipp_expect uac

python3 - "$T/uac.msg" <<'PY' || note_fail "the answers break RFC 3264 (above)"
import re, sys
text = open(sys.argv[1], errors="replace").read()
# each message sipp received: its SDP bodies come after a 200 to INVITE
answers = []
for msg in re.split(r"\n-{5,}[^\n]*\n", text):
    m = re.search(r"^SIP/2\.0 200", msg, re.M)
    if m and re.search(r"^CSeq:\s*\d+ INVITE", msg, re.M | re.I):
        i = msg.find("v=0")
        if i >= 0:
            answers.append(msg[i:].replace("\r", ""))
bad = []
if len(answers) != 4:
    print(f"sdp_answer: {len(answers)} SDPs in 200s in sipp's trace, want 4")
    sys.exit(1)
def field(sdp, key):
    m = re.search(rf"^{key}=(.*)$", sdp, re.M)
    return m.group(1).strip() if m else ""
def direction(sdp):
    d = re.findall(r"^a=(sendrecv|sendonly|recvonly|inactive)\s*$", sdp, re.M)
    return d[-1] if d else "sendrecv"
first = answers[0]
o0 = field(first, "o").split()
m0 = field(first, "m").split()
# the fourth is pnphone's offer to the re-INVITE without SDP: the same
# session, at the same version if nothing changed (else one more)
for n, (sdp, want) in enumerate(zip(answers, ("sendrecv", "recvonly", "sendrecv", "sendrecv"))):
    o = field(sdp, "o").split()
    mline = field(sdp, "m").split()
    where = f"answer {n + 1}" if n < 3 else "the offer in the 200 to a re-INVITE without SDP"
    if len(o) != 6 or len(mline) < 4:
        bad.append(f"{where}: malformed o= or m= line")
        continue
    if mline[3] != "107":
        bad.append(f"{where}: m= lists {' '.join(mline[3:])}, Opus 107 first wanted")
    if not re.search(r"^a=rtpmap:107 opus/48000/2$", sdp, re.M | re.I):
        bad.append(f"{where}: no a=rtpmap:107 opus/48000/2")
    if not re.search(r"^a=rtpmap:100 telephone-event/8000$", sdp, re.M):
        bad.append(f"{where}: no a=rtpmap:100 telephone-event/8000")
    for pt in ("111", "101"):
        if pt in mline[3:]:
            bad.append(f"{where}: uses pnphone's own number {pt}")
    c = field(sdp, "c")
    if c != "IN IP4 127.0.0.1":
        bad.append(f"{where}: c={c}, want IN IP4 127.0.0.1")
    if direction(sdp) != want:
        bad.append(f"{where}: a={direction(sdp)}, want a={want}")
    if o[1] != o0[1]:
        bad.append(f"{where}: o= session id {o[1]}, the first answer had {o0[1]}")
    if n < 3 and int(o[2]) != int(o0[2]) + n:
        bad.append(f"{where}: o= version {o[2]}, want {int(o0[2]) + n}")
    if n == 3 and int(o[2]) - int(o0[2]) not in (2, 3):
        bad.append(f"{where}: o= version {o[2]}, want {int(o0[2]) + 2} or {int(o0[2]) + 3}")
    if mline[1] != m0[1] or mline[1] == "0":
        bad.append(f"{where}: m= port {mline[1]}, the first answer had {m0[1]}")
for b in bad:
    print("sdp_answer: " + b)
print(f"sdp_answer: 3 answers and 1 offer checked, {len(bad)} problems")
sys.exit(1 if bad else 0)
PY
pn_stop alice || note_fail "pnphone exited non-zero"
pn_done

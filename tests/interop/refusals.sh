#!/bin/bash
# refusals.sh - what the phone refuses in a call that is up, and the
# calls it must not set up.
#  1. An INFO in the call (DTMF relay) is answered 200 and its digit
#     reported; a re-INVITE that offers no codec of ours
#     (sipp/uac_reinvite_488.xml)
#     gets 488 with Warning 305 (RFC 3261 section 14.2), not a 200 with
#     m=audio 0; the call goes on: the next re-INVITE (hold) gets 200,
#     and the phone's audio keeps flowing meanwhile.
#  2. A callee that answers our offer with no codec we offered
#     (sipp/inv_answer_unusable.xml): the phone ACKs, then sends BYE with
#     Reason: SIP;cause=488; call_ended says 488, no call_established.
#  3. A REFER outside any call (sipp/uac_refer_outside.xml) gets 403 and
#     the phone dials nobody.
#  4. An INFO outside any call (sipp/uac_info_outside.xml) gets 481 (RFC
#     6086 section 4.2.2), and its digit is not reported.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22900
. "$top_srcdir/tests/interop/lib.sh"
need sipp

pn_conf_std "$T/alice.conf" 10 20 call.auto_answer=on \
	call.auto_answer_delay=0 rtp.rtcp_interval=1
pn_start alice "$T/alice.conf"
pn_expect alice ready

# 1.
sipp_start reinv uac_reinvite_488.xml "$(port 0)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_established '.call == 1 and .codec == "pcmu"'
pn_expect alice dtmf_received '.call == 1 and .digit == "7" and .via == "info"'
pn_expect alice reinvite_refused '.call == 1 and .code == 488'
pn_expect alice call_held '.call == 1 and .by == "remote"'
pn_expect alice call_ended '.call == 1 and .by == "remote"'
sipp_expect reinv
python3 - "$T/reinv.msg" <<'PY' || note_fail "the answers to the re-INVITEs are wrong (above)"
import re, sys
text = open(sys.argv[1], errors="replace").read()
msgs = re.split(r"\n(?=(?:UDP|TCP) message (?:sent|received))", text)
answers = [m for m in msgs if "message received" in m and
           re.search(r"^SIP/2.0 (200|488) ", m, re.M) and
           re.search(r"^CSeq: *[0-9]+ INVITE", m, re.M | re.I)]
codes = [re.search(r"^SIP/2.0 ([0-9]+)", m, re.M).group(1) for m in answers]
ok = True
if codes != ["200", "488", "200"]:
    print("answers to the INVITEs:", codes, "expected 200, 488, 200"); ok = False
else:
    if not re.search(r"^Warning: *305 ", answers[1], re.M):
        print("the 488 has no Warning 305"); ok = False
    if re.search(r"^m=audio 0 ", answers[1], re.M):
        print("the 488 carries a rejected stream"); ok = False
    if not re.search(r"^a=recvonly", answers[2], re.M):
        print("the answer to the hold is not recvonly"); ok = False
sys.exit(0 if ok else 1)
PY
# The stream ran on through the refused re-INVITE: the final figures
# count about 50 packets a second for the 2.5 s the call lasted.
ev=$(pn_wait alice call_stats '.call == 1 and .final == true') ||
	note_fail "no final call_stats"
sent=$(jq '.rtp.packets_sent' <<<"$ev")
log "call 1 sent $sent RTP packets"
[ "${sent:-0}" -ge 75 ] || note_fail "the call's audio stopped after the refused re-INVITE ($sent packets sent)"

# 2.
sipp_start bad_answer inv_answer_unusable.xml "$(port 1)"
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 1)"
pn_expect alice call_ended '.call == 2 and .code == 488 and .by == "local"'
sipp_expect bad_answer
[ "$(pn_count alice call_established)" = 1 ] ||
	note_fail "the call without a usable answer showed as established"

# 3.
sipp_start refer uac_refer_outside.xml "$(port 2)" "127.0.0.1:$(port 10)" -s alice
sipp_expect refer
[ "$(pn_count alice call_outgoing)" = 1 ] ||
	note_fail "a REFER outside a call made the phone dial"

# 4.
sipp_start info uac_info_outside.xml "$(port 3)" "127.0.0.1:$(port 10)" -s alice
sipp_expect info
[ "$(pn_count alice dtmf_received '.digit == "5"')" = 0 ] ||
	note_fail "an INFO outside a call was reported as a digit"
pn_alive_check alice
pn_stop alice || note_fail "pnphone did not exit 0 after quit"
pn_done

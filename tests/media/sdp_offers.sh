#!/bin/bash
# sdp_offers.sh - offers pnphone cannot use, and one it must read past
# (sipp callers, tests/media/sipp/):
#  - G722 only, and PCMU but RTP/SAVP: refused with 488 and a Warning
#    305 (RFC 3261 section 13.3.1.1), not a 200 that sets up a call
#    without sound; the phone reports the call's end and stays up;
#  - a disabled audio m-line (port 0) before the live one (RFC 3264
#    section 8.2): the answer keeps port 0 for the first and answers the
#    second with a real port, and the call has audio;
#  - audio on IPv6 (c=IN IP6 ::1) to a phone on IPv4: the call is
#    answered, and an error says why it has no audio.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
PN_BASE=30800
. "$top_srcdir/tests/interop/lib.sh"
need sipp python3 jq
S=../../media/sipp

pn_conf_std "$T/alice.conf" 10 20 "call.codecs=opus,pcmu,pcma" \
	"call.auto_answer=on" "push.listen="
pn_start alice "$T/alice.conf"
pn_expect alice ready

# refused N NAME PROTO FMT MAP: the Nth refused call
refused() {
	local n=$1
	shift
	sipp_start "$1" "$S/sdp_offer_uac.xml" "$(port 0)" "127.0.0.1:$(port 10)" \
		-s alice -key proto "$2" -key fmt "$3" -key map "$4"
	sipp_expect "$1"
	grep -q '^Warning: 305 ' "$T/$1.msg" ||
		note_fail "$1: the 488 has no Warning 305"
	pn_wait_count alice call_ended "$n" '.code == 488' >/dev/null ||
		note_fail "$1: the phone did not report the call ended with 488"
}
refused 1 g722 RTP/AVP 9 G722/8000
refused 2 savp RTP/SAVP 0 PCMU/8000
[ "$(pn_count alice call_established)" = 0 ] ||
	note_fail "a call without a usable codec was answered"

sipp_start first "$S/sdp_disabled_first_uac.xml" "$(port 0)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_established '.codec == "pcmu" and .audio == true'
pn_expect alice call_ended '.by == "remote"'
sipp_expect first
python3 - "$T/first.msg" <<'PY' || note_fail "the answer to a disabled stream first is wrong (above)"
import re, sys
text = open(sys.argv[1], errors="replace").read()
for msg in re.split(r"\n-{5,}[^\n]*\n", text):
    if re.search(r"^SIP/2\.0 200", msg, re.M) and re.search(r"^CSeq:\s*1 INVITE", msg, re.M):
        ms = re.findall(r"^m=audio (\d+) ", msg[msg.find("v=0"):], re.M)
        print(f"sdp_offers: FIGURES answer m= ports {ms}")
        sys.exit(0 if len(ms) == 2 and ms[0] == "0" and ms[1] != "0" else 1)
print("sdp_offers: no 200 to the INVITE in sipp's trace")
sys.exit(1)
PY
[ "$(pn_count alice error '.message | test("no audio")')" = 0 ] ||
	note_fail "the phone found no audio: $(pn_grep alice error)"

# Audio on IPv6 to an IPv4 phone: it cannot send there, and says why.
sipp_start ipv6 "$S/sdp_ipv6_uac.xml" "$(port 1)" "127.0.0.1:$(port 10)" -s alice
pn_expect alice call_established '.audio == false'
pn_expect alice error '.message | test("no audio: the peer.s audio address ::1 is not of our address family")'
pn_expect alice call_ended '.by == "remote"'
sipp_expect ipv6
pn_stop alice || note_fail "pnphone exited non-zero"
pn_done

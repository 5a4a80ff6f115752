#!/bin/bash
# reinvite_ends.sh - a re-INVITE of ours (hold) gets a response that ends
# the dialog usage: 408 Request Timeout or 480 Temporarily Unavailable
# (RFC 3261 section 12.2.1.2, RFC 5057).  Debian's nua ends the call but
# sends no BYE, and the peer would keep it up; pnphone sends it.  Against
# sipp, each time with a route set of two entries (sipp itself):
#  1. the phone dials (sipp/inv_408.xml): the 200 has Record-Route rr=2,
#     rr=1; hold gets 408; the BYE goes to the Contact, Route rr=1 then
#     rr=2 (the route set reversed at the UAC, RFC 3261 12.1.2);
#  2. the phone answers (sipp/uac_reinvite_480.xml): the INVITE has
#     Record-Route rr=1, rr=2; hold gets 480; the BYE goes to sipp's
#     Contact, Route rr=1 then rr=2 (as recorded at the UAS, 12.1.1);
# each time the BYE's CSeq is the re-INVITE's plus one, and call_ended
# gives the code, by remote.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=23400
. "$top_srcdir/tests/interop/lib.sh"
need sipp

# cseqs NAME: "re-INVITE BYE" CSeq numbers from sipp's log.
check_cseqs() {
	local l r b
	l=$(grep -h 're-INVITE CSeq' "$T/$1.log" | tail -1)
	log "$1: $l"
	r=$(printf '%s\n' "$l" | sed -n 's/.*re-INVITE CSeq \([0-9]*\),.*/\1/p')
	b=$(printf '%s\n' "$l" | sed -n 's/.*BYE CSeq \([0-9]*\).*/\1/p')
	[ -n "$r" ] && [ -n "$b" ] && [ "$b" = $((r + 1)) ] ||
		note_fail "$1: the BYE's CSeq is not the re-INVITE's plus one"
}

pn_conf_std "$T/alice.conf" 10 20 call.auto_answer=on \
	call.auto_answer_delay=0
pn_start alice "$T/alice.conf"
pn_expect alice ready

# 1.
sipp_start uas inv_408.xml "$(port 0)"
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_established
pn_cmd alice hold
pn_expect alice call_ended '.code == 408 and .by == "remote"'
sipp_expect uas
check_cseqs uas

# 2.
sipp_start caller uac_reinvite_480.xml "$(port 1)" \
	"127.0.0.1:$(port 10)" -s alice
pn_expect alice call_established '.call == 2'
pn_cmd alice hold
pn_expect alice call_ended '.call == 2 and .code == 480 and .by == "remote"'
sipp_expect caller
check_cseqs caller

pn_stop alice || note_fail "pnphone did not exit 0 after quit"
pn_done

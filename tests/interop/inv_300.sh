#!/bin/bash
# inv_300.sh - a 300 with alternatives (sipp/inv_300.xml): the phone tries
# the Contact with the highest q first (sip:high, q=1.0: sipp/inv_486.xml
# there answers 486), then the next one (sip:low, q=0.5: sipp/inv_200.xml
# answers), never the mailto: (RFC 3261 8.1.3.4).  Checks the order of
# the call_redirected events, the call established at low, hangup, and
# that all three sipps pass.  Then a 6xx from an alternative ends the
# search (RFC 3261 21.6): sip:high answers 603 (sipp/inv_603.xml), and
# sip:low (where nobody listens) is never tried: the call ends at once
# with 603.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=23200
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start redir inv_300.xml "$(port 0)" -key low_port "$(port 1)" -key high_port "$(port 2)"
sipp_start low inv_200.xml "$(port 1)"
sipp_start high inv_486.xml "$(port 2)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_established '.codec == "pcmu"'
got=$(pn_grep alice call_redirected | jq -r '.to + " " + (.code | tostring)' | tr '\n' ',')
log "redirected to: $got"
[ "$got" = "sip:high@127.0.0.1:$(port 2) 300,sip:low@127.0.0.1:$(port 1) 300," ] ||
	note_fail "the alternatives were not tried highest q first, then the next: $got"
pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
sipp_expect high
sipp_expect low
sipp_expect redir

sipp_start redir2 inv_300.xml "$(port 3)" -key low_port "$(port 5)" -key high_port "$(port 4)"
sipp_start decline inv_603.xml "$(port 4)"
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 3)"
pn_expect alice call_ended '.call == 2 and .code == 603'
[ "$(pn_count alice call_redirected '.call == 2')" = 1 ] ||
	note_fail "after a 603 from an alternative the phone tried another"
sipp_expect decline
sipp_expect redir2
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done

#!/bin/bash
# inv_487.sh - the caller gives up while it rings (sipp/inv_487.xml).
# The test sends hangup after 180.  Checks: the phone sends CANCEL, ACKs
# the 487 (sipp passes), reports call_ended code 487 by local; quit
# exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21800
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_487.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_ringing '.code == 180'
pn_cmd alice "hangup"
ev=$(pn_wait alice call_ended) || fail "no call_ended after hangup"
log "got $ev"
jq -e '.by == "local" and .code == 487' <<<"$ev" >/dev/null ||
	fail "call_ended should say code 487, by local: $ev"
sipp_expect uas
pn_alive_check alice
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done

#!/bin/bash
# keepalive_auth.sh - a registrar that challenges the OPTIONS keep-alives
# (sipp/reg_options_401.xml).  The phone answers the 401 with the
# account's credentials and goes on sending keep-alives every
# account.keepalive seconds, with credentials; before, nua kept the
# challenged OPTIONS waiting and every later one queued behind it, so
# the NAT binding was no longer kept open.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=23000
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start registrar reg_options_401.xml "$(port 0)" -m 4
pn_conf_std "$T/alice.conf" 10 20 account.register=on \
	"account.registrar=sip:127.0.0.1:$(port 0)" account.keepalive=1
pn_start alice "$T/alice.conf"
pn_expect alice registered '.code == 200'
sleep 4.5
pn_stop alice 15 || note_fail "pnphone did not exit 0 after quit"
sipp_expect registrar 15
n=$(sipp_count_requests registrar OPTIONS)
auth=$(awk '/^(UDP|TCP) message received/ { inopt = 0; next }
	/^OPTIONS sip:/ { inopt = 1; next }
	inopt && /^Authorization: *Digest/ { n++ }
	END { print n + 0 }' "$T/registrar.msg")
log "the registrar got $n OPTIONS, $auth of them with credentials, in 4.5 s"
[ "$auth" -ge 3 ] ||
	note_fail "the keep-alives stopped after the challenge ($n OPTIONS, $auth with credentials)"
pn_done

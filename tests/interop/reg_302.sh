#!/bin/bash
# reg_302.sh - the registrar redirects (sipp/reg_302.xml answers 302 with
# Contact <sip:127.0.0.1:PN_BASE+1>); a second sipp there (reg_200.xml)
# must receive the REGISTER, answer 200, and later receive the
# un-REGISTER.  Checks both sipps' exit status (the first one also fails
# if the phone retries it instead of following the redirect), registered
# code 200, unregistered at quit, exit 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21300
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start redir reg_302.xml "$(port 0)" -key other_port "$(port 1)"
sipp_start target reg_200.xml "$(port 1)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)"
pn_start alice "$T/alice.conf"

ev=$(pn_wait alice registered '.code == 200') ||
	fail "not registered after the 302 (the redirect target got $(sipp_count_requests target REGISTER) REGISTER)"
log "registered: $ev"
jq -e --arg r ":$(port 1)" '.registrar | contains($r)' <<<"$ev" >/dev/null ||
	log "note: registered names the registrar $(jq -r .registrar <<<"$ev"), not the redirect target"
sipp_expect redir
pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
if ! sipp_wait target; then
	fail "the redirect target $(port 1), where the binding is, never got the un-REGISTER; the phone reported: $(pn_grep alice unregistered)"
fi
pn_expect alice unregistered '.code == 200'
pn_done

#!/bin/bash
# reg_423.sh - 423 Interval Too Brief (sipp/reg_423.xml).  The phone asks
# for 60 s; the registrar wants Min-Expires 120.  Checks: the next REGISTER
# asks for exactly 120 (regexp in the scenario), registered reports
# expires 120, un-REGISTER at quit, exit 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21200
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start reg reg_423.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)" \
	"account.expires=60"
pn_start alice "$T/alice.conf"

pn_expect alice registered '.code == 200 and .expires == 120'
pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_expect reg
pn_done

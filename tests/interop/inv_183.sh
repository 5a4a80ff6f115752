#!/bin/bash
# inv_183.sh - early media, then the callee hangs up (sipp/inv_183.xml:
# 100, 183 with SDP, 200 with SDP, then a BYE from sipp).
# Checks: call_early code 183, call_established codec pcmu (the answer
# offers only PCMU + telephone-event), the phone answers the BYE with 200
# (sipp passes), call_ended by remote; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21900
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start uas inv_183.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
pn_expect alice call_early '.code == 183'
pn_expect alice call_established '.codec == "pcmu"'
pn_expect alice call_ended '.by == "remote"'
sipp_expect uas
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done

#!/bin/bash
# reg_407.sh - REGISTER challenged with 407 Proxy-Authenticate
# (sipp/reg_407.xml).  Checks: the phone re-sends with Proxy-Authorization
# whose MD5 response is right for alice/secret (digest_verify on every
# Proxy-Authorization the scenario logged, since sipp's verifyauth reads
# only Authorization); registered code 200; un-REGISTER at quit; exit 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21100
. "$top_srcdir/tests/interop/lib.sh"
need sipp md5sum

sipp_start reg reg_407.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)" \
	"account.expires=3600"
pn_start alice "$T/alice.conf"

pn_expect alice registered '.code == 200 and .expires == 3600'
pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_expect reg

n=0
while IFS= read -r line; do
	h=${line#PROXY-AUTH REGISTER }
	digest_verify "$h" REGISTER alice secret ||
		fail "wrong Proxy-Authorization digest: $h"
	n=$((n + 1))
done < <(grep '^PROXY-AUTH REGISTER ' "$T/reg.log")
[ "$n" -ge 1 ] || fail "no Proxy-Authorization was logged"
log "$n Proxy-Authorization header(s) verified"
pn_done

#!/bin/bash
# reg_refresh_auth.sh - challenges throughout a registration's life
# (sipp/reg_refresh_auth.xml), the sofia-sip#319 case.  account.expires 10:
#   first REGISTER 401 -> authenticated -> 200 (expires 10)
#   the refresh (within 15 s) 401 with a new nonce -> authenticated -> 200
#   un-REGISTER at quit 407 with a new nonce -> must be re-sent with a right
#   Proxy-Authorization -> 200
# Checks: two registered events, sipp passes (it fails when the challenged
# un-REGISTER never comes back), every logged Proxy-Authorization is a
# correct digest, unregistered code 200, and the phone exits 0 within 15 s.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=21600
. "$top_srcdir/tests/interop/lib.sh"
need sipp md5sum

sipp_start reg reg_refresh_auth.xml "$(port 0)"
pn_conf_std "$T/alice.conf" 10 20 \
	"account.register=on" "account.registrar=sip:127.0.0.1:$(port 0)" \
	"account.expires=10"
pn_start alice "$T/alice.conf"

pn_expect alice registered '.code == 200 and .expires == 10'
pn_wait_count alice registered 2 '.code == 200' 20 >/dev/null ||
	fail "the refresh challenged with a new nonce did not end in registered"
log "refreshed after a new challenge"

pn_stop alice 15
rc=$?
sipp_wait reg 15
src=$?
if [ "$src" != 0 ]; then
	n=$(sipp_count_requests reg REGISTER)
	fail "registrar scenario failed (sipp $src, $n REGISTERs received): the 407-challenged un-REGISTER was not re-sent correctly (sofia-sip#319?)"
fi
[ "$rc" = 0 ] || fail "pnphone exited with $rc after quit"
pn_expect alice unregistered '.code == 200'

n=0
while IFS= read -r line; do
	h=${line#PROXY-AUTH REGISTER }
	digest_verify "$h" REGISTER alice secret ||
		fail "wrong Proxy-Authorization digest: $h"
	n=$((n + 1))
done < <(grep '^PROXY-AUTH REGISTER ' "$T/reg.log")
[ "$n" -ge 1 ] || fail "no Proxy-Authorization was logged"
pn_done

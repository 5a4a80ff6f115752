#!/bin/bash
# reg_failover.sh - several registrars, the first one dead; keep-alives.
# Checks: with account.registrar = a port nobody listens on, then a
# kamailio, the phone reports the transport failure of the first with
# retry_in 0 (next registrar at once), registers at the second with
# digest auth, and sends OPTIONS keep-alives to the registrar it is
# registered with every account.keepalive seconds (counted in kamailio's
# log).  A call into the AOR's domain (sip:bob@127.0.0.1, the first
# server's host, dead too) goes through the registrar the phone is
# registered with, as a preloaded Route, and reaches bob registered
# there.  At quit it un-REGISTERs there and exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=28300
. "$top_srcdir/tests/interop/lib.sh"
need kamailio
need sipp

kam_start "$(port 40)"
dead="sip:127.0.0.1:$(port 45)"
live="sip:127.0.0.1:$(port 40)"
pn_conf_std "$T/alice.conf" 10 20 "account.register=on" \
	"account.registrar=$dead,$live" "account.keepalive=1"
pn_start alice "$T/alice.conf"

pn_expect alice registration_failed ".registrar == \"$dead\" and .retry_in == 0 and .code >= 500"
pn_expect alice registered ".registrar == \"$live\" and .code == 200"
sleep 3.5
n=$(grep -c "REQ OPTIONS .* from 127.0.0.1:$(port 10) " "$T/kamailio.log")
log "kamailio got $n OPTIONS keep-alives from the phone in 3.5 s"
[ "$n" -ge 2 ] || fail "expected at least 2 OPTIONS keep-alives in 3.5 s at 1 s intervals, got $n"
[ "$n" -le 5 ] || fail "too many keep-alives: $n in 3.5 s at 1 s intervals"

pn_conf_std "$T/bob.conf" 11 30 "account.register=on" \
	"account.registrar=$live" "account.aor=sip:bob@127.0.0.1" \
	"account.user=bob" call.auto_answer=on call.auto_answer_delay=0
pn_start bob "$T/bob.conf"
pn_expect bob registered '.code == 200'
pn_cmd alice "dial bob"
pn_expect alice call_established
pn_expect bob call_established
grep -q "REQ INVITE sip:bob@127.0.0.1 from 127.0.0.1:$(port 10) " \
	"$T/kamailio.log" ||
	fail "the INVITE to sip:bob@127.0.0.1 did not go through kamailio"
pn_cmd alice hangup
pn_expect alice call_ended
pn_expect bob call_ended
pn_stop bob || fail "bob did not exit 0 after quit"

pn_stop alice 15 || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
grep -q "REQ REGISTER .* from 127.0.0.1:$(port 10) " "$T/kamailio.log" ||
	fail "kamailio never saw the phone's REGISTER"
pn_done

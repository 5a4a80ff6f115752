#!/bin/bash
# reg_fallback.sh - back to the first registrar once it is up again
# (account.registrar_fallback).  Two sipp registrars: the first
# (sipp/reg_fallback.xml) answers 503, then accepts; the second
# (sipp/reg_200.xml) accepts.  Checks: the phone registers at the second
# at once; account.registrar_fallback = 2 s later it REGISTERs at the
# first again, with the Call-ID of its first REGISTER there (RFC 3261
# section 10.2), is registered there, and un-REGISTERs at the second
# (the second scenario passes only then); at quit the phone
# un-REGISTERs at the first.
# Then the same with quit sent as soon as the phone is back at the first,
# and a second registrar (sipp/reg_leave_401.xml) that challenges the
# un-REGISTER 1.5 s later: quit waits, answers the challenge, and the
# binding there is gone.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=23500
. "$top_srcdir/tests/interop/lib.sh"
need sipp

first="sip:127.0.0.1:$(port 0)"
second="sip:127.0.0.1:$(port 1)"
sipp_start first reg_fallback.xml "$(port 0)"
sipp_start second reg_200.xml "$(port 1)"
pn_conf_std "$T/alice.conf" 10 20 "account.register=on" \
	"account.registrar=$first,$second" account.registrar_fallback=2
pn_start alice "$T/alice.conf"

pn_expect alice registration_failed ".registrar == \"$first\" and .retry_in == 0"
pn_expect alice registered ".registrar == \"$second\""
pn_expect alice registered ".registrar == \"$first\""
sipp_expect second 10
n=$(sipp_callids first REGISTER | wc -l)
[ "$n" = 1 ] || note_fail "the first registrar saw $n Call-IDs, not 1"

pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_expect alice unregistered '.code == 200'
sipp_expect first

third="sip:127.0.0.1:$(port 3)"
sipp_start first2 reg_fallback.xml "$(port 2)"
sipp_start third reg_leave_401.xml "$(port 3)"
pn_conf_std "$T/bob.conf" 11 30 "account.register=on" \
	"account.registrar=sip:127.0.0.1:$(port 2),$third" \
	account.registrar_fallback=2
pn_start bob "$T/bob.conf"
pn_expect bob registered ".registrar == \"$third\""
pn_expect bob registered ".registrar == \"sip:127.0.0.1:$(port 2)\""
pn_cmd bob quit
sipp_expect third 10
sipp_expect first2 10
pn_done

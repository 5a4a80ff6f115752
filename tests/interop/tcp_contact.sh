#!/bin/bash
# tcp_contact.sh - sip.transport = tcp on a phone that listens on UDP and
# TCP.  nua's Contact names no transport then, and a registrar or peer
# would send our calls and in-dialog requests over UDP; RFC 3261 section
# 19.1.1: a Contact for TCP says transport=tcp.  Against sipp on TCP:
#  1. REGISTER (sipp/reg_200.xml): the Contact has transport=tcp, and the
#     un-REGISTER at quit names the same binding;
#  2. a call (sipp/inv_200.xml; sip.transport = tcp puts transport=tcp in
#     the target URI): the INVITE's Contact has transport=tcp;
#  3. a call that comes in over TCP (sipp/uac/uac_inv_basic.xml): our
#     200's Contact has transport=tcp;
#  4. and one that comes in over UDP does not.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=23100
. "$top_srcdir/tests/interop/lib.sh"
need sipp

both="udp:127.0.0.1:$(port 10),tcp:127.0.0.1:$(port 10)"

# contacts NAME: the Contact lines of the messages sipp received
contacts() {
	awk '/^(UDP|TCP) message sent/ { got = 0; next }
	     /^(UDP|TCP) message received/ { got = 1; next }
	     got && tolower($0) ~ /^(contact|m):/ { print }' "$T/$1.msg"
}

# 1. and 2.
sipp_start reg reg_200.xml "$(port 0)" -t t1
sipp_start proxy inv_200.xml "$(port 1)" -t t1
pn_conf_std "$T/alice.conf" 10 20 "sip.listen=$both" sip.transport=tcp \
	account.register=on "account.registrar=sip:127.0.0.1:$(port 0)"
pn_start alice "$T/alice.conf"
pn_expect alice registered '.code == 200'
pn_cmd alice "dial sip:bob@127.0.0.1:$(port 1)"
pn_expect alice call_established
pn_cmd alice "hangup"
pn_expect alice call_ended
sipp_expect proxy
pn_stop alice || note_fail "pnphone did not exit 0 after quit"
sipp_expect reg
log "REGISTER contacts: $(contacts reg | tr -d '\r' | tr '\n' ' ')"
[ "$(contacts reg | grep -c 'transport=tcp')" = 2 ] ||
	note_fail "the REGISTER and un-REGISTER Contacts do not both say transport=tcp"
log "INVITE contact: $(contacts proxy | head -1)"
contacts proxy | head -1 | grep -q 'transport=tcp' ||
	note_fail "the INVITE over TCP has a Contact without transport=tcp"

# 3. and 4.
pn_conf_std "$T/bob.conf" 11 30 "sip.listen=udp:127.0.0.1:$(port 11),tcp:127.0.0.1:$(port 11)" \
	call.auto_answer=on call.auto_answer_delay=0
pn_start bob "$T/bob.conf"
pn_expect bob ready
sipp_start in_tcp uac/uac_inv_basic.xml "$(port 2)" "127.0.0.1:$(port 11)" -s bob -t t1
sipp_expect in_tcp
sipp_start in_udp uac/uac_inv_basic.xml "$(port 3)" "127.0.0.1:$(port 11)" -s bob
sipp_expect in_udp
log "200 over TCP: $(contacts in_tcp | tail -1)"
log "200 over UDP: $(contacts in_udp | tail -1)"
contacts in_tcp | tail -1 | grep -q 'transport=tcp' ||
	note_fail "the 200 to an INVITE over TCP has a Contact without transport=tcp"
contacts in_udp | tail -1 | grep -q 'transport=' &&
	note_fail "the 200 to an INVITE over UDP names a transport"
pn_stop bob || note_fail "bob did not exit 0 after quit"
pn_done

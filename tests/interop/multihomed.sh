#!/bin/bash
# multihomed.sh - sip.listen = udp:0.0.0.0:5060 on a host with two
# networks, the way a laptop with a container bridge or a VPN has them.
# The PBX is on the second one.  sofia's "*" binds every address and sends
# every request from the first, which also goes into Via and Contact: the
# registrar answers an address it has no route to, and a strict peer
# (Asterisk's PJSIP) sends its requests there.  pnphone binds the address
# that routes to the registrar.
#
# Two network namespaces of the test's own: the phone's, with a decoy
# network first (198.51.100.2/24, the default route, nobody there) and
# the LAN second (198.18.5.10/24); and the LAN's, where sipp answers on
# 198.18.5.1 with no route back to the decoy.  Against sipp there:
#  1. REGISTER and the un-REGISTER at quit (sipp/reg_200.xml);
#  2. a call the phone makes (sipp/inv_200_lan.xml);
#  3. a call the phone takes (sipp/uac/uac_inv_basic.xml, auto answer);
# every Via and Contact the phone sends, and its SDP c=, name 198.18.5.10,
# never the decoy.
#  4. A phone with no registrar and no proxy binds the default route's
#     address (the decoy, here); one with an outbound proxy on the LAN
#     binds the LAN's, whatever its registrar.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

if [ -z "${PN_MH_LAN:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
		echo "SKIP: network namespaces need root and iproute2" >&2
		exit 77
	fi
	ph="pnmh-$$-phone"
	lan="pnmh-$$-lan"
	if ! ip netns add "$ph" 2>/dev/null; then
		echo "SKIP: cannot create a network namespace here" >&2
		exit 77
	fi
	if ! ip netns add "$lan" 2>/dev/null; then
		ip netns del "$ph"
		echo "SKIP: cannot create a network namespace here" >&2
		exit 77
	fi
	# The decoy is made first: sofia lists addresses in interface order.
	if ip -n "$ph" link set lo up && ip -n "$lan" link set lo up &&
		ip -n "$ph" link add pnd0 type veth peer name pnd1 &&
		ip -n "$ph" addr add 198.51.100.2/24 dev pnd0 &&
		ip -n "$ph" link set pnd0 up && ip -n "$ph" link set pnd1 up &&
		ip -n "$ph" route add default via 198.51.100.1 &&
		ip -n "$ph" link add pnl0 type veth peer name pnl1 netns "$lan" &&
		ip -n "$ph" addr add 198.18.5.10/24 dev pnl0 &&
		ip -n "$ph" link set pnl0 up &&
		ip -n "$lan" addr add 198.18.5.1/24 dev pnl1 &&
		ip -n "$lan" link set pnl1 up; then
		PN_MH_LAN=$lan ip netns exec "$ph" bash "$0" "$@"
		rc=$?
	else
		rc=99
	fi
	ip netns del "$ph"
	ip netns del "$lan"
	exit $rc
fi

# Inside the phone's namespace every port is ours.
PN_BASE=23300
. "$top_srcdir/tests/interop/lib.sh"
need sipp
ME=198.18.5.10
PBX=198.18.5.1

# lan_sipp NAME SCENARIO PORT [SIPP ARGS...]: sipp_start, on the LAN.
lan_sipp() {
	local name=$1 scen=$2 p=$3 i
	shift 3
	(
		cd "$T" || exit 99
		exec ip netns exec "$PN_MH_LAN" sipp -sf "$IDIR/sipp/$scen" \
			-nostdin -m 1 -i "$PBX" -p "$p" -mp $((6000 + 10 * (p - 5060))) \
			-timeout 30s -timeout_error \
			-trace_err -error_file "$T/$name.errors" \
			-trace_msg -message_file "$T/$name.msg" \
			-default_behaviors all,-bye "$@"
	) </dev/null >"$T/$name.screen" 2>&1 &
	PN_PID[$name]=$!
	PN_PIDS+=("$!")
	log "started sipp $name (pid $!) $scen on $PBX:$p $*"
	for i in $(seq 50); do
		ip netns exec "$PN_MH_LAN" ss -Hlnu "sport = :$p" | grep -q . &&
			return 0
		sleep 0.1
	done
	log "sipp $name does not listen on $p"
}

# sent_by NAME: the Via, Contact and c= lines of what sipp received from
# the phone (the Vias of requests only: a response's are sipp's own).
sent_by() {
	awk '/message sent/ { got = 0; next }
	     /message received/ { got = 1; first = 1; next }
	     !got { next }
	     first && NF { req = $0 !~ /^SIP\//; first = 0 }
	     (req && tolower($0) ~ /^(via|v):/) ||
	     tolower($0) ~ /^(contact|m):/ || /^c=/ { print }' "$T/$1.msg" |
		tr -d '\r'
}

# check NAME WHAT: every line sent_by gives names $ME; there is one.
check() {
	local lines
	lines=$(sent_by "$1")
	log "$2: $(printf '%s' "$lines" | tr '\n' '|')"
	[ -n "$lines" ] || { note_fail "$2: sipp received nothing"; return; }
	printf '%s\n' "$lines" | grep -v -F "$ME" | grep -q . &&
		note_fail "$2: a Via, Contact or c= not at $ME"
	grep -q -F 198.51.100 "$T/$1.msg" &&
		note_fail "$2: the decoy's address went out"
}

lan_sipp reg reg_200.xml 5060
lan_sipp callee inv_200_lan.xml 5062
pn_conf_std "$T/alice.conf" 10 20 "sip.listen=udp:0.0.0.0:5060" \
	"account.aor=sip:alice@$PBX" account.register=on \
	"account.registrar=sip:$PBX:5060" provisioning.pnp=off \
	call.auto_answer=on call.auto_answer_delay=0
pn_start alice "$T/alice.conf"
pn_expect alice ready '.bound == "sip:198.18.5.10:5060;transport=udp"'

# 1. (an answer to an address with no route back never comes)
pn_expect alice registered '.code == 200'

# 2.
pn_cmd alice "dial sip:bob@$PBX:5062"
pn_expect alice call_established
pn_cmd alice hangup
pn_expect alice call_ended
sipp_expect callee

# 3.
lan_sipp caller uac/uac_inv_basic.xml 5064 "$ME:5060" -s alice
sipp_expect caller
pn_expect alice call_ended

pn_stop alice || note_fail "pnphone did not exit 0 after quit"
sipp_expect reg
check reg "REGISTER, un-REGISTER"
[ "$(sent_by reg | grep -ci '^contact:')" = 2 ] ||
	note_fail "sipp did not get both REGISTERs"
check callee "INVITE, ACK, BYE"
check caller "our answers to an INVITE"

# 4.
pn_conf_std "$T/bob.conf" 11 30 "sip.listen=udp:0.0.0.0:5070" \
	provisioning.pnp=off
pn_start bob "$T/bob.conf"
pn_expect bob ready '.bound == "sip:198.51.100.2:5070;transport=udp"'
pn_stop bob || note_fail "bob did not exit 0 after quit"
pn_conf_std "$T/carol.conf" 12 40 "sip.listen=udp:0.0.0.0:5080" \
	provisioning.pnp=off "account.outbound_proxy=sip:$PBX:5090" \
	"account.registrar=sip:198.51.100.1"
pn_start carol "$T/carol.conf"
pn_expect carol ready '.bound == "sip:198.18.5.10:5080;transport=udp"'
pn_stop carol || note_fail "carol did not exit 0 after quit"
pn_done

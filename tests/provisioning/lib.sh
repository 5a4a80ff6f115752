# lib.sh - helpers for the provisioning tests.  Sourced, never run.
#
# Each test runs inside a network namespace of its own, created here (its
# loopback up and a route for 224.0.0.0/4 on it), so the PnP multicast
# and every server stay inside: the script re-executes itself in the
# namespace and the namespace is deleted when it ends.  Inside, the ports
# are the test's own: the phone on 127.0.0.1:5060 (like the seed's
# phone), the PnP responder on the group 224.0.1.75:5060, kamailio on
# 5080, HTTP 8088, HTTPS 8443, TFTP 69.  Then tests/interop/lib.sh does
# the process handling (PIDs, logs, temp dir $T, pn_* helpers).
#
#   : "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
#   . "$top_srcdir/tests/provisioning/lib.sh"

if [ -z "${PN_NETNS:-}" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
		echo "SKIP: network namespaces need root and iproute2" >&2
		exit 77
	fi
	ns="pnprov-$$-$(basename "$0" .sh)"
	if ! ip netns add "$ns" 2>/dev/null; then
		echo "SKIP: cannot create a network namespace here" >&2
		exit 77
	fi
	# tftpd-hpa resolves its address with AI_ADDRCONFIG, which finds
	# nothing when loopback is the only interface: a veth pair (both
	# ends in here, one down) gives it a non-loopback address.
	if ip -n "$ns" link set lo up &&
		ip -n "$ns" route add 224.0.0.0/4 dev lo &&
		ip -n "$ns" link add pnv0 type veth peer name pnv1 &&
		ip -n "$ns" addr add 198.18.0.1/32 dev pnv0 &&
		ip -n "$ns" link set pnv0 up; then
		PN_NETNS=$ns ip netns exec "$ns" bash "$0" "$@"
		rc=$?
	else
		rc=99
	fi
	ip netns del "$ns"
	exit $rc
fi

# Inside the namespace every port is ours; PN_BASE only names the block
# lib.sh's sipp probe of kamailio uses.
PN_BASE=30000
. "$top_srcdir/tests/interop/lib.sh"
PDIR=$top_srcdir/tests/provisioning
need python3 kamailio sipp

KAM_PORT=5080
MAC=00163e5a1b2c
mkdir -p "$T/www" "$T/tftp" "$T/state"
chmod 755 "$T" "$T/www" "$T/tftp"

# prov_conf FILE [KEY=VALUE...]: a phone out of the box (no account) on
# udp:127.0.0.1:5060 with its state in $T/state.
prov_conf() {
	local file=$1
	shift
	pn_conf "$file" "sip.listen=udp:127.0.0.1:5060" \
		"rtp.port_min=20000" "rtp.port_max=20009" \
		"provisioning.state_dir=$T/state" "provisioning.mac=$MAC" \
		"provisioning.model=440HD" "provisioning.random_delay=0" "$@"
}

# account_file FILE: a pnphone-syntax provisioned file: alice at kamailio.
account_file() {
	cat >"$1" <<-EOT
	# provisioned by the test
	account.aor = sip:alice@127.0.0.1
	account.user = alice
	account.password = secret
	account.registrar = sip:127.0.0.1:$KAM_PORT
	account.register = on
	account.keepalive = 0
	EOT
	chmod 644 "$1"
}

# wait_file FILE [TIMEOUT]: until FILE exists and is not empty.
wait_file() {
	local deadline=$(( $(now_ms) + ${2:-$PN_TIMEOUT} * 1000 ))
	until [ -s "$1" ]; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# responder_start NAME URL [MODE]: the seed-exact PnP responder; what it
# receives and sends goes to $T/NAME.log.
responder_start() {
	local name=$1 url=$2 mode=${3:-ok-then-notify}
	python3 "$PDIR/pnp_responder.py" --url "$url" --mode "$mode" \
		--log "$T/$name.log" --ready "$T/$name.ready" \
		</dev/null >"$T/$name.screen" 2>&1 &
	PN_PID[$name]=$!
	PN_PIDS+=("$!")
	wait_file "$T/$name.ready" 5 || fail "responder $name did not start"
	log "started PnP responder $name (pid $!) mode $mode url $url"
}

# http_start [https]: serve $T/www on 8088 (http) or 8443 (https, with
# the certificate make_ca made).
http_start() {
	local kind=${1:-http} port=8088 cert=- key=-
	if [ "$kind" = https ]; then
		port=8443 cert=$T/ca/server.pem key=$T/ca/server.key
	fi
	python3 "$PDIR/https_server.py" "$T/www" "$port" "$cert" "$key" \
		"$T/$kind.ready" </dev/null >"$T/$kind.log" 2>&1 &
	PN_PID[$kind]=$!
	PN_PIDS+=("$!")
	wait_file "$T/$kind.ready" 5 || fail "$kind server did not start"
	wait_port tcp "$port" 5 || fail "$kind server does not listen"
	log "started $kind server (pid $!) on 127.0.0.1:$port"
}

# tftp_start: tftpd-hpa serving $T/tftp on 127.0.0.1:69.
tftp_start() {
	need in.tftpd
	in.tftpd -4 -l -L -s -a 127.0.0.1:69 "$T/tftp" </dev/null \
		>"$T/tftpd.log" 2>&1 &
	PN_PID[tftpd]=$!
	PN_PIDS+=("$!")
	wait_port udp 69 5 || fail "tftpd does not listen"
	log "started tftpd (pid $!) on 127.0.0.1:69"
}

# make_ca [NAME]: a test CA and a server certificate for 127.0.0.1 in
# $T/NAME (default ca).
make_ca() {
	local d=$T/${1:-ca}
	need openssl
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pnphone test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >"$d/log" 2>&1 || fail "openssl CA"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$d/server.key" -out "$d/server.csr" >>"$d/log" 2>&1 || fail "openssl csr"
	printf 'subjectAltName=IP:127.0.0.1\n' >"$d/ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/ext" -out "$d/server.pem" \
		>>"$d/log" 2>&1 || fail "openssl sign"
}

# expect_registered NAME: the phone registered its provisioned account.
expect_registered() {
	pn_expect "$1" registered '.code == 200 and (.aor | contains("alice"))' \
		$(( PN_TIMEOUT > 15 ? PN_TIMEOUT : 15 ))
}

# stop NAME: stop a helper started above, by its PID.
stop() {
	local pid=${PN_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "PN_PID[$1]"
}

# seed_last_good: provision a first phone over HTTP (PnP), so that the
# state dir holds a last good file; its checksum goes to $GOOD_SUM.
seed_last_good() {
	account_file "$T/www/good.cfg"
	responder_start seed "http://127.0.0.1:8088/good.cfg"
	prov_conf "$T/phone.conf" "$@"
	pn_start seed_phone "$T/phone.conf"
	pn_expect seed_phone provisioned
	expect_registered seed_phone
	pn_stop seed_phone || fail "seed phone did not exit cleanly"
	stop seed
	GOOD_SUM=$(md5sum <"$T/state/provisioned.conf")
}

# failure_case NAME MODE URL EVENT JQ_CONDITION [TIMEOUT]: a phone with a
# last good file meets a responder in MODE giving URL; EVENT must say why
# it was refused, and the phone must still register the last good account
# with the kept file untouched.
failure_case() {
	local name=$1 mode=$2 url=$3 ev=$4 cond=$5 to=${6:-$PN_TIMEOUT}
	log "---- case $name"
	responder_start "r_$name" "$url" "$mode"
	pn_start "$name" "$T/phone.conf"
	pn_expect "$name" "$ev" "$cond" "$to"
	expect_registered "$name"
	pn_stop "$name" || note_fail "$name: phone did not exit cleanly"
	stop "r_$name"
	[ "$(md5sum <"$T/state/provisioned.conf")" = "$GOOD_SUM" ] ||
		note_fail "$name: the last good file changed"
	[ "$(pn_count "$name" provisioned ".unchanged == false")" = 0 ] ||
		note_fail "$name: something was provisioned"
}

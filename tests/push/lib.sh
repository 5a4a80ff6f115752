# tests/push/lib.sh - helpers of the push tests, on top of
# tests/interop/lib.sh (sourced by it here).  A test sets PN_BASE (its
# block of 100 ports in 33000-34999) and sources this file.
#
# Ports inside a block: +10.. the phones' SIP, +20.. their RTP (as in
# interop/lib.sh), +45 the trusted push server (tps_server.py), +46..+49
# the phones' Push Agents.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/interop/lib.sh"
need curl python3
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

PDIR=$top_srcdir/tests/push
PNPUSH=$top_builddir/pnphone-push
TPS_PORT=$(port 45)
TPS="http://127.0.0.1:$TPS_PORT"

# push_conf FILE N [KEY=VALUE...]: phone N (0..3): SIP +10+N, RTP
# +20+10N.., push agent on +46+N; PnP off; trusts the test server.
push_conf() {
	local file=$1 n=$2 kv
	shift 2
	local -A set=()
	local -a defs=()
	for kv in "$@"; do set[${kv%%=*}]=1; done
	for kv in "push.listen=127.0.0.1:$(port $((46 + n)))" \
		"push.tpslist=127.0.0.1:$TPS_PORT" "provisioning.pnp=off"; do
		[ -n "${set[${kv%%=*}]:-}" ] || defs+=("$kv")
	done
	pn_conf_std "$file" $((10 + n)) $((20 + 10 * n)) "${defs[@]}" "$@"
}

# agent_url N: the push URL of phone N.
agent_url() {
	printf 'http://127.0.0.1:%s/forms/push\n' "$(port $((46 + $1)))"
}

# tps_start: the trusted push server on +45, serving $T/www.
tps_start() {
	mkdir -p "$T/www"
	: >"$T/tps.log"
	python3 "$PDIR/tps_server.py" "$TPS_PORT" "$T/www" "$T/tps.log" \
		>"$T/tps.err" 2>&1 &
	PN_PID[tps]=$!
	PN_PIDS+=("$!")
	wait_port tcp "$TPS_PORT" 10 || fail "the test push server does not start"
}

# push_wait_agent N: wait until phone N's agent listens.
push_wait_agent() {
	wait_port tcp "$(port $((46 + $1)))" 10 || fail "push agent $1 does not listen"
}

# push_post N XML [CURL ARGS...]: POST XML as the XMLData form field to
# phone N; prints "HTTP PUSHSTATUS" (e.g. "200 200"), the full answer
# in $T/last.hdr.
push_post() {
	local n=$1 xml=$2
	shift 2
	curl -s -m 10 -o /dev/null -D "$T/last.hdr" \
		--data-urlencode "XMLData=$xml" "$@" "$(agent_url "$n")"
	push_status_of "$T/last.hdr"
}

# push_status_of HDRFILE: "HTTP PUSHSTATUS" of a saved answer.
push_status_of() {
	local http ps
	http=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$1" | tr -d '\r')
	ps=$(sed -n 's/^x-Push-Status: \([0-9]*\).*/\1/ip' "$1" | tr -d '\r' | head -n1)
	printf '%s %s\n' "${http:-000}" "${ps:-none}"
}

# expect_push WANT GOT WHAT: note a failure unless GOT is WANT.
expect_push() {
	if [ "$2" = "$1" ]; then
		log "ok: $3 -> $2"
	else
		note_fail "$3: got '$2', want '$1'"
	fi
}

# pm TYPE HREF [MODE] [EXTRA]: a push message.
pm() {
	printf '<?xml version="1.0"?><Push type="%s" mode="%s"%s><go href="%s"/></Push>' \
		"$1" "${3:-normal}" "${4:-}" "$2"
}

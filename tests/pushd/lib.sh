# tests/pushd/lib.sh - helpers of the gateway tests, on top of
# tests/push/lib.sh (and so tests/interop/lib.sh).  A test sets PN_BASE
# (its block of 100 ports in 36000-36999) and sources this file.
#
# Ports inside a block: as in push/lib.sh (+0.. sipp, +10.. phones' SIP,
# +46.. their Push Agents), +60 the gateway, +61..+69 simulated agents.
#
# The gateway runs as the "phone" named gw for the interop helpers: its
# --json events go to $T/gw.out (appended across restarts), so
# pn_expect / pn_wait_count / pn_count work on it.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/push/lib.sh"

PUSHD=$top_builddir/pnphone-pushd
GW_PORT=$(port 60)
GW="http://127.0.0.1:$GW_PORT"
API="$GW/vpns/service/eventpushmessage"
[ -x "$PUSHD" ] || { log "ERROR: $PUSHD is not built"; exit 99; }

# gw_conf [KEY=VALUE...]: $T/gw.conf with the test catalog:
#   event 1 (shop, topline template), 2 (not published), 3 (unknown
#   app), 4 (app not published), 5 (display template), 6 (no template:
#   the request's data).  Fast timeouts; KEY=VALUE pairs override.
gw_conf() {
	local kv
	local -A set=()
	local -a lines=(
		"pushd.listen=127.0.0.1:$GW_PORT" "pushd.store=$T/store.db"
		"pushd.timeout=2000" "pushd.retries=2" "pushd.retry_delay=200"
		"pushd.max_inflight=8"
		"app.shop.name=Shop" "app.draft.published=off"
		"event.1.name=Order shipped" "event.1.app=shop"
		"event.1.text=Order {order} for {name} has shipped"
		"event.2.app=shop" "event.2.published=off"
		"event.3.app=nosuchapp" "event.4.app=draft"
		"event.5.app=shop" "event.5.type=display"
		"event.5.title=News" "event.5.text={news}"
		"event.6.app=shop")
	for kv in "$@"; do set[${kv%%=*}]=1; done
	: >"$T/gw.conf"
	for kv in "${lines[@]}"; do
		[ -n "${set[${kv%%=*}]:-}" ] ||
			printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$T/gw.conf"
	done
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$T/gw.conf"
	done
}

# gw_init: create the store.
gw_init() {
	"$PUSHD" --config "$T/gw.conf" --init-store >>"$T/gw.err" 2>&1 ||
		fail "pnphone-pushd --init-store failed"
}

# gw_start: start the gateway (events appended to $T/gw.out) and wait
# for its "ready" (the Nth one after N-1 restarts).
gw_start() {
	local n
	touch "$T/gw.out"
	n=$(( $(pn_count gw ready) + 1 ))
	# shellcheck disable=SC2086
	$PN_WRAPPER "$PUSHD" --config "$T/gw.conf" --json \
		</dev/null >>"$T/gw.out" 2>>"$T/gw.err" &
	PN_PID[gw]=$!
	PN_PIDS+=("$!")
	log "started pnphone-pushd (pid $!)"
	pn_wait_count gw ready "$n" true 10 >/dev/null || fail "the gateway does not start"
}

# gw_stop [SIGNAL]: stop the gateway (TERM by default); its exit status.
gw_stop() {
	local rc
	kill -"${1:-TERM}" "${PN_PID[gw]}" 2>/dev/null
	wait_pid_exit "${PN_PID[gw]}" 10
	rc=$?
	log "the gateway exited with status $rc"
	return $rc
}

# api FILE CTYPE: POST FILE to the API; prints the HTTP status, the
# answer body in $T/resp.
api() {
	curl -s -m 10 -o "$T/resp" -w '%{http_code}' -H "Content-Type: $2" \
		--data-binary @"$1" "$API"
}

# api_json JSON / api_xml XML: the same with a literal body.
api_json() {
	printf '%s' "$1" >"$T/req"
	api "$T/req" "application/json;charset=UTF-8"
}
api_xml() {
	printf '%s' "$1" >"$T/req"
	api "$T/req" "text/xml;charset=UTF-8"
}

# ev_json ID KSIDS [PRIORITY] [PAIRS] [DATA]: a JSON event request; KSIDS
# is a space-separated list; PAIRS a JSON array of {name, content}.
ev_json() {
	local subs="" k
	for k in $2; do subs="$subs${subs:+,}{\"ksid\":\"$k\"}"; done
	printf '{"event":{"message":{"content":{"priorityService":"%s","mimeType":"text/plain"%s},"subscribers":{"subscriber":[%s]}},"eventNamePairs":{"key":%s},"eventid":"%s"}}' \
		"${3:-false}" "${5:+,\"data\":\"$5\"}" "$subs" "${4:-[]}" "$1"
}

# ev_xml ID KSIDS [PRIORITY] [PAIRS-XML] [DATA]
ev_xml() {
	local subs="" k
	for k in $2; do subs="$subs<subscriber ksid=\"$k\"/>"; done
	printf "<?xml version='1.0' encoding='UTF-8'?><event><eventid>%s</eventid><eventNamePairs>%s</eventNamePairs><message><subscribers>%s</subscribers><content><mimeType>text/plain</mimeType><priorityService>%s</priorityService>%s</content></message></event>" \
		"$1" "${4:-}" "$subs" "${3:-false}" "${5:+<data>$5</data>}"
}

# sim_start NAME K PLAN: a simulated Push Agent on port +61+K
# (agent_sim.py), its log $T/NAME.log.
sim_start() {
	local p
	p=$(port $((61 + $2)))
	: >"$T/$1.log"
	python3 "$top_srcdir/tests/pushd/agent_sim.py" "$p" "$T/$1.log" "$3" \
		>"$T/$1.err" 2>&1 &
	PN_PID[$1]=$!
	PN_PIDS+=("$!")
	wait_port tcp "$p" 10 || fail "agent_sim $1 does not start"
}

# subscribe MAC EXTN PORT: subscribe a phone at 127.0.0.1:PORT the way
# pnphone does; prints its ksid.
subscribe() {
	curl -s -m 10 "$GW/vpns/subscribe?port=$3&MAC=$1+Extn=$2+ip=127.0.0.1+SetID=PN00D01A" |
		jq -r .ksid
}

# msg_status ID: the message's status JSON (GET).
msg_status() {
	curl -s -m 10 "$GW/vpns/service/message/$1"
}

# wait_msg ID JQ [TIMEOUT]: wait until the status of message ID
# satisfies JQ.
wait_msg() {
	local deadline
	deadline=$(( $(now_ms) + ${3:-$PN_TIMEOUT} * 1000 ))
	until msg_status "$1" | jq -e "$2" >/dev/null 2>&1; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			log "message $1 never satisfied $2: $(msg_status "$1" | jq -c .)"
			return 1
		fi
		sleep 0.1
	done
}

# check WHAT WANT GOT: note a failure unless GOT is WANT.
check() {
	if [ "$3" = "$2" ]; then
		log "ok: $1 -> $3"
	else
		note_fail "$1: got '$3', want '$2'"
	fi
}

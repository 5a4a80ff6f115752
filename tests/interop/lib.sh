# lib.sh - helpers for pnphone's interop tests.  Sourced, never run.
#
# A test sets PN_BASE (its own block of 100 ports, 21000 + 100*N) and
# sources this file:
#
#   : "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
#   : "${top_builddir:=$top_srcdir}"
#   PN_BASE=21300
#   . "$top_srcdir/tests/interop/lib.sh"
#
# Port layout inside a block (every peer binds 127.0.0.1 only):
#   +0 .. +4    sipp instance k (SIP)     +50+4k, +52+4k  its media ports
#               (kam_start probes from +4)
#   +10, +11    first / second phone      +20..+29 / +30..+39  their RTP
#   +12, +13    more phones, in tests without kamailio / sipp media
#               (RTP +40..+49 / +50..+59)
#   +40         kamailio                  +45..+49  tiny helper servers
#   +80         baresip (SIP)             +82..+89  its RTP, +90 its console
#
# Everything a test starts runs in the background with its PID recorded;
# the EXIT trap sends TERM, then KILL after 3 s, prints the logs when the
# test failed and removes the temp dir $T (set PN_KEEP=1 to keep it).
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip (a tool is
# truly absent), 99 hard error (e.g. the phone binary was not built).
#
# Environment knobs:
#   PN_TIMEOUT  default timeout of waits in seconds (10)
#   PN_WRAPPER  command prefix for the phone, e.g.
#               "valgrind -q --error-exitcode=99 --leak-check=full
#               --suppressions=$PWD/tests/valgrind.supp"
#               (a valgrind error then shows as exit status 99 at quit)
#   PN_EMULATED set when the whole suite runs under CPU emulation
#               (tools/test-arm sets it): as under a valgrind PN_WRAPPER,
#               the phones cannot keep real time there
#   PN_KEEP=1   keep the temp dir and say where it is
#   PN_VERBOSE=1  print the logs even when the test passes

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PN_BASE:?the test must set PN_BASE (its port block) before sourcing lib.sh}"
: "${PN_TIMEOUT:=10}"
: "${PN_WRAPPER:=}"
: "${PN_EMULATED:=}"
: "${PN_KEEP:=0}"
: "${PN_VERBOSE:=0}"

IDIR=$top_srcdir/tests/interop
PNPHONE=$top_builddir/pnphone
PN_TEST=$(basename "$0" .sh)

# realtime: whether the phones keep real time here (no PN_WRAPPER, no
# emulation).  The audio tests judge quality only then; otherwise they
# print their figures, and still fail on silence or a dead phone.
realtime() {
	[ -z "$PN_WRAPPER" ] && [ -z "$PN_EMULATED" ]
}

declare -a PN_PIDS=()          # every background process we started
declare -A PN_PID=()           # NAME -> PID (phones, sipp, helpers)
declare -A PN_FD=()            # NAME -> fd of the phone's stdin fifo
PN_FAILED=0

# ---------------------------------------------------------------- basics

log() {
	printf '[%s %s] %s\n' "$(date +%T.%3N)" "$PN_TEST" "$*" >&2
}

# fail MSG: the phone did not behave; exit 1 (the trap prints the logs).
fail() {
	printf '[%s %s] FAIL: %s\n' "$(date +%T.%3N)" "$PN_TEST" "$*" >&2
	PN_FAILED=1
	exit 1
}

# note_fail MSG: record a failure but go on checking (pn_done exits 1).
note_fail() {
	printf '[%s %s] FAIL: %s\n' "$(date +%T.%3N)" "$PN_TEST" "$*" >&2
	PN_FAILED=1
}

# pn_done: end of a test: exit 1 if note_fail was called, else 0.
pn_done() {
	if [ "$PN_FAILED" = 1 ]; then
		log "FAILED (see the FAIL lines above)"
		exit 1
	fi
	log "PASS"
	exit 0
}

# skip MSG: exit 77 (automake SKIP).  Only for tools that are truly absent.
skip() {
	printf '[%s %s] SKIP: %s\n' "$(date +%T.%3N)" "$PN_TEST" "$*" >&2
	exit 77
}

# need TOOL...: skip unless every tool is installed.
need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed (tools/bootstrap installs it)"
	done
}

# now_ms: milliseconds since the epoch.
now_ms() {
	local ns
	ns=$(date +%s%N)
	printf '%s\n' $((ns / 1000000))
}

# port N: the port PN_BASE+N.
port() {
	printf '%s\n' $((PN_BASE + $1))
}

# alive NAME: is the process started under NAME still running?
alive() {
	local pid=${PN_PID[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# wait_pid_exit PID TIMEOUT: wait for a child to exit; its exit status, or
# 124 (after KILLing it) when it is still running at the timeout.
wait_pid_exit() {
	local pid=$1 to=$2 deadline
	deadline=$(( $(now_ms) + to * 1000 ))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$(now_ms)" -ge "$deadline" ]; then
			log "process $pid still running after ${to}s: killing it"
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.1
	done
	wait "$pid" 2>/dev/null
}

# ---------------------------------------------------------------- cleanup

pn_cleanup() {
	local rc=$? pid f i n
	trap - EXIT
	for pid in "${PN_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for i in $(seq 30); do
		f=0
		for pid in "${PN_PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && f=1
		done
		[ "$f" = 0 ] && break
		sleep 0.1
	done
	for pid in "${PN_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if { [ "$rc" != 0 ] && [ "$rc" != 77 ]; } || [ "$PN_VERBOSE" = 1 ]; then
		for f in "$T"/*; do
			[ -f "$f" ] || continue
			case $f in *.in) continue ;; esac
			[ -s "$f" ] || continue
			case $f in
			*.screen) n=40 ;;
			*) n=300 ;;
			esac
			printf '\n======== %s (last %s lines) ========\n' "${f##*/}" "$n" >&2
			tail -n "$n" "$f" | cut -c1-600 >&2
		done
	fi
	if [ "$PN_KEEP" = 1 ]; then
		log "temp dir kept: $T"
	else
		rm -rf "$T"
	fi
	exit "$rc"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/pn-$PN_TEST.XXXXXX") || exit 99
trap pn_cleanup EXIT
trap 'exit 1' INT TERM HUP

need jq
if [ ! -x "$PNPHONE" ]; then
	log "ERROR: $PNPHONE is not built"
	exit 99
fi

# wait_port udp|tcp PORT [TIMEOUT]: wait until something listens on
# 127.0.0.1:PORT.
wait_port() {
	local deadline
	if ! command -v ss >/dev/null 2>&1; then
		sleep 0.5       # no iproute2: give the peer a moment instead
		return 0
	fi
	deadline=$(( $(now_ms) + ${3:-$PN_TIMEOUT} * 1000 ))
	until ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# ---------------------------------------------------------------- the phone

# pn_conf FILE KEY=VALUE...: write a config file (key = value lines).
pn_conf() {
	local file=$1 kv
	shift
	: >"$file"
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$file"
	done
}

# pn_conf_std FILE SIPOFF RTPOFF [KEY=VALUE...]: a config for a phone on
# udp:127.0.0.1:PN_BASE+SIPOFF with RTP ports PN_BASE+RTPOFF..+9, no
# keep-alives, no registration, account alice/secret and the provisioned
# state in $T/state (never the machine's /var/lib/pnphone, which a phone
# reads at start), unless one of the KEY=VALUE pairs sets that key.
pn_conf_std() {
	local file=$1 sipoff=$2 rtpoff=$3 kv k
	shift 3
	local -A set=()
	local -a out=()
	for kv in "$@"; do set[${kv%%=*}]=1; done
	for kv in "sip.listen=udp:127.0.0.1:$(port "$sipoff")" \
		"rtp.port_min=$(port "$rtpoff")" "rtp.port_max=$(port $((rtpoff + 9)))" \
		"account.aor=sip:alice@127.0.0.1" "account.user=alice" \
		"account.password=secret" "account.register=off" \
		"account.keepalive=0" "provisioning.state_dir=$T/state"; do
		k=${kv%%=*}
		[ -n "${set[$k]:-}" ] || out+=("$kv")
	done
	pn_conf "$file" "${out[@]}" "$@"
}

# pn_start NAME CONFFILE [ARGS...]: start the phone with --json; its stdin
# is the fifo $T/NAME.in (kept open here, so it never sees EOF), stdout
# $T/NAME.out, stderr $T/NAME.err.
pn_start() {
	local name=$1 conf=$2 fd
	shift 2
	rm -f "$T/$name.in"
	mkfifo "$T/$name.in" || fail "mkfifo $T/$name.in"
	# read-write open: never blocks, and a reader always exists, so a
	# phone that died cannot SIGPIPE the test
	exec {fd}<>"$T/$name.in"
	PN_FD[$name]=$fd
	: >"$T/$name.out"
	(
		exec {fd}>&-
		cd "$T" || exit 99
		# shellcheck disable=SC2086
		exec $PN_WRAPPER "$PNPHONE" --config "$conf" --json "$@"
	) <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.err" &
	PN_PID[$name]=$!
	PN_PIDS+=("$!")
	log "started phone $name (pid $!) with $conf"
}

# pn_cmd NAME LINE: send one command line to the phone.
pn_cmd() {
	if [ "${#2}" -gt 200 ]; then
		log "$1 <- ${2:0:60}... (${#2} characters)"
	else
		log "$1 <- $2"
	fi
	printf '%s\n' "$2" >&"${PN_FD[$1]}"
}

# pn_grep NAME EVENT [JQ_CONDITION]: every event line (compact JSON) of
# that name satisfying the condition, in order.  Non-JSON lines are
# ignored.  Exit status 2 on a jq error (a bad condition).
pn_grep() {
	local name=$1 ev=$2 cond=${3:-true}
	jq -cR --arg ev "$ev" \
		"fromjson? | select(type == \"object\" and .event == \$ev) | select($cond)" \
		"$T/$name.out" 2>"$T/jq.err" || return 2
}

# pn_count NAME EVENT [JQ_CONDITION]: how many such events so far.
pn_count() {
	local out
	out=$(pn_grep "$@") || { log "jq error: $(cat "$T/jq.err")"; printf '0\n'; return 2; }
	if [ -z "$out" ]; then printf '0\n'; else printf '%s\n' "$out" | wc -l; fi
}

# pn_wait_count NAME EVENT N [JQ_CONDITION] [TIMEOUT]: wait until the Nth
# matching event exists; print it.  Scans the whole output every time.
# Returns 1 on timeout or when the phone exited without it.
pn_wait_count() {
	local name=$1 ev=$2 n=$3 cond=${4:-true} to=${5:-$PN_TIMEOUT}
	local deadline line out last=0
	deadline=$(( $(now_ms) + to * 1000 ))
	while :; do
		alive "$name" || last=1
		out=$(pn_grep "$name" "$ev" "$cond")
		if [ $? = 2 ]; then
			log "jq error in condition '$cond': $(cat "$T/jq.err")"
			return 1
		fi
		line=$(printf '%s\n' "$out" | sed -n "${n}p")
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		if [ "$last" = 1 ]; then
			log "$name exited without event $ev #$n ($cond)"
			return 1
		fi
		if [ "$(now_ms)" -ge "$deadline" ]; then
			log "timeout (${to}s) waiting for $name event $ev #$n ($cond)"
			return 1
		fi
		sleep 0.1
	done
}

# pn_wait NAME EVENT [JQ_CONDITION] [TIMEOUT]: wait for the first matching
# event (anywhere in the output so far or later); print it.
pn_wait() {
	pn_wait_count "$1" "$2" 1 "${3:-true}" "${4:-$PN_TIMEOUT}"
}

# pn_wait_after NAME FIRST EVENT [JQ_CONDITION] [TIMEOUT]: wait for an
# EVENT (satisfying the condition) that comes after the first FIRST event
# in the phone's output; for "registered again after provisioned", where
# counting events would race with what happened before FIRST.
pn_wait_after() {
	local name=$1 first=$2 ev=$3 cond=${4:-true} to=${5:-$PN_TIMEOUT}
	local deadline prog
	prog="[inputs | fromjson? | select(type == \"object\")]
		| (map(.event) | index(\$f)) as \$i
		| \$i != null and
		  ((.[\$i + 1:] | map(select(.event == \$e) | select($cond))
		   | length) > 0)"
	deadline=$(( $(now_ms) + to * 1000 ))
	while :; do
		if [ "$(jq -nR --arg f "$first" --arg e "$ev" "$prog" \
			"$T/$name.out" 2>/dev/null)" = true ]; then
			return 0
		fi
		if [ "$(now_ms)" -ge "$deadline" ]; then
			log "timeout (${to}s) waiting for $name event $ev after $first"
			return 1
		fi
		sleep 0.1
	done
}

# pn_expect NAME EVENT [JQ_CONDITION] [TIMEOUT]: pn_wait or fail.
pn_expect() {
	local line
	line=$(pn_wait "$@") || fail "$1: no event $2${3:+ with $3}"
	log "$1 -> $line"
}

# pn_exit_status NAME [TIMEOUT]: wait for the phone to exit; its status
# (124 if it had to be killed).
pn_exit_status() {
	local pid=${PN_PID[$1]}
	wait_pid_exit "$pid" "${2:-$PN_TIMEOUT}"
}

# pn_stop NAME [TIMEOUT]: send quit, wait for the exit, return its status.
pn_stop() {
	local rc
	pn_cmd "$1" quit
	pn_exit_status "$1" "${2:-$PN_TIMEOUT}"
	rc=$?
	log "phone $1 exited with status $rc"
	return $rc
}

# pn_alive_check NAME: the phone is still running and answers status.
pn_alive_check() {
	local n
	alive "$1" || fail "$1 is not running any more"
	n=$(pn_count "$1" status)
	pn_cmd "$1" status
	pn_wait_count "$1" status $((n + 1)) true 5 >/dev/null ||
		fail "$1 does not answer the status command"
}

# ---------------------------------------------------------------- sipp

# sipp_start NAME SCENARIO PORT [SIPP ARGS...]: run sipp in the background
# on 127.0.0.1:PORT with tests/interop/sipp/SCENARIO; messages go to
# $T/NAME.msg, unexpected ones to $T/NAME.errors, <log> actions to
# $T/NAME.log.  PORT must be PN_BASE+0..4 (the media port follows it).
# SIPP_TIMEOUT (default 30s) bounds the whole run.  With -t t1 among the
# SIPP ARGS, sipp serves TCP instead of UDP.
sipp_start() {
	local name=$1 scen=$2 sport=$3 k proto
	shift 3
	k=$((sport - PN_BASE))
	if [ "$k" -lt 0 ] || [ "$k" -gt 4 ]; then
		fail "sipp port $sport outside PN_BASE+0..4"
	fi
	(
		cd "$T" || exit 99
		exec sipp -sf "$IDIR/sipp/$scen" -nostdin -m 1 \
			-i 127.0.0.1 -p "$sport" -mp $((PN_BASE + 50 + 4 * k)) \
			-timeout "${SIPP_TIMEOUT:-30s}" -timeout_error \
			-trace_err -error_file "$T/$name.errors" \
			-trace_msg -message_file "$T/$name.msg" \
			-trace_logs -log_file "$T/$name.log" \
			-default_behaviors all,-bye \
			"$@"
	) </dev/null >"$T/$name.screen" 2>&1 &
	PN_PID[$name]=$!
	PN_PIDS+=("$!")
	log "started sipp $name (pid $!) $scen on 127.0.0.1:$sport $*"
	# let sipp bind its socket before the phone sends anything (-t t1:
	# sipp on TCP)
	case " $* " in
	*" -t t1 "*) proto=tcp ;;
	*) proto=udp ;;
	esac
	wait_port "$proto" "$sport" 5 || log "sipp $name does not listen on $sport"
}

# sipp_wait NAME [TIMEOUT]: wait for sipp to finish; its exit status
# (0 = the scenario passed, 124 = still running at the timeout).
sipp_wait() {
	local rc
	wait_pid_exit "${PN_PID[$1]}" "${2:-$PN_TIMEOUT}"
	rc=$?
	log "sipp $1 exited with status $rc"
	return $rc
}

# sipp_expect NAME [TIMEOUT]: sipp_wait or fail (with sipp's own errors).
sipp_expect() {
	sipp_wait "$@" && return 0
	[ -s "$T/$1.errors" ] && log "sipp $1 errors: $(tail -n 20 "$T/$1.errors")"
	fail "sipp scenario $1 did not pass"
}

# sipp_count_requests NAME METHOD: how many METHOD requests sipp received.
sipp_count_requests() {
	local n
	n=$(grep -c "^$2 sip:" "$T/$1.msg" 2>/dev/null) || true
	printf '%s\n' "${n:-0}"
}

# sipp_callids NAME METHOD: the distinct Call-IDs of the METHOD requests
# sipp received, in order of appearance (one a line).
sipp_callids() {
	awk -v m="$2" '
		/^(UDP|TCP) message received/ { inreq = 0; next }
		$0 ~ "^" m " sip:" { inreq = 1; next }
		inreq && tolower($0) ~ /^(call-id|i):/ {
			sub(/^[^:]*: */, ""); sub(/\r$/, "")
			if (!seen[$0]++) print
			inreq = 0
		}' "$T/$1.msg" 2>/dev/null
}

# sipp_same_callid NAME METHOD: fail unless all METHOD requests sipp got
# share one Call-ID (RFC 3261 10.2 for REGISTER; sipp can only follow one).
sipp_same_callid() {
	local n
	n=$(sipp_callids "$1" "$2" | wc -l)
	[ "$n" -le 1 ] ||
		fail "the phone used $n different Call-IDs for $2 to the same peer ($(sipp_callids "$1" "$2" | tr '\n' ' ')); RFC 3261 10.2 says all REGISTERs to a registrar SHOULD share one, and the sipp scenario cannot follow a new one"
}

# ---------------------------------------------------------------- digest

# digest_param HEADER NAME: the value of a parameter of a digest header.
digest_param() {
	local re1="(^|[ ,])$2=\"([^\"]*)\"" re2="(^|[ ,])$2=([^ ,\"]+)"
	if [[ $1 =~ $re1 ]] || [[ $1 =~ $re2 ]]; then
		printf '%s' "${BASH_REMATCH[2]}"
	fi
}

md5hex() {
	printf '%s' "$1" | md5sum | cut -d' ' -f1
}

# digest_verify HEADER METHOD USER PASSWORD: is the (Proxy-)Authorization
# header value a correct MD5 digest response for that user?  (sipp's
# verifyauth reads only Authorization, so 407 flows are checked here.)
digest_verify() {
	local h=$1 method=$2 user=$3 pass=$4
	local realm nonce uri resp qop nc cnonce ha1 ha2 want
	realm=$(digest_param "$h" realm)
	nonce=$(digest_param "$h" nonce)
	uri=$(digest_param "$h" uri)
	resp=$(digest_param "$h" response)
	qop=$(digest_param "$h" qop)
	nc=$(digest_param "$h" nc)
	cnonce=$(digest_param "$h" cnonce)
	[ "$(digest_param "$h" username)" = "$user" ] || return 1
	ha1=$(md5hex "$user:$realm:$pass")
	ha2=$(md5hex "$method:$uri")
	if [ -n "$qop" ]; then
		want=$(md5hex "$ha1:$nonce:$nc:$cnonce:$qop:$ha2")
	else
		want=$(md5hex "$ha1:$nonce:$ha2")
	fi
	[ "$want" = "$resp" ]
}

# ---------------------------------------------------------------- kamailio

# kam_start PORT: run kamailio from kamailio.cfg.in on 127.0.0.1:PORT
# (udp+tcp) and wait until it answers OPTIONS (probed with sipp from
# PN_BASE+4).
kam_start() {
	local kport=$1 deadline
	mkdir -p "$T/kamrun"
	sed "s/@PORT@/$kport/g" "$IDIR/kamailio.cfg.in" >"$T/kamailio.cfg"
	kamailio -f "$T/kamailio.cfg" -DD -E -P "$T/kamailio.pid" -m 64 -M 8 \
		-w "$T" -Y "$T/kamrun" </dev/null >"$T/kamailio.log" 2>&1 &
	PN_PID[kamailio]=$!
	PN_PIDS+=("$!")
	log "started kamailio (pid $!) on 127.0.0.1:$kport"
	deadline=$(( $(now_ms) + PN_TIMEOUT * 1000 ))
	while :; do
		alive kamailio || fail "kamailio exited at start"
		if (cd "$T" && sipp -sf "$IDIR/sipp/uac_options.xml" \
			"127.0.0.1:$kport" -nostdin -m 1 -i 127.0.0.1 \
			-p $((PN_BASE + 4)) -mp $((PN_BASE + 66)) \
			-timeout 2s -timeout_error) </dev/null >"$T/kamprobe.screen" 2>&1; then
			log "kamailio answers OPTIONS"
			return 0
		fi
		[ "$(now_ms)" -ge "$deadline" ] && fail "kamailio does not answer OPTIONS"
		sleep 0.2
	done
}

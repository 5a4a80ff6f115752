#!/bin/bash
# missing_libs.sh - a phone whose optional libraries cannot be loaded (an
# embedded image built without them, a broken package) keeps running and
# says which library it lacks, to the user and to whoever sent the
# request.  common/dynlib.h loads libmicrohttpd, libxml2, libcurl and
# portaudio when a feature first needs them; here each in turn is made
# to read as empty for one phone ("file too short"), by bind-mounting
# /dev/null over it in a mount namespace of the phone's own.  A library
# that is not there at all ("No such file") takes the same path.
#  - libmicrohttpd: a push finds its connection closed, one push_error
#    event (not one per try) names the library, a second push is refused
#    the same way, and the port still listens for the next;
#  - libxml2: a push is answered 202 Internal Error, and push_rejected
#    names the library;
#  - libcurl: a push is answered 202 too, not 501 (its href is fine: the
#    phone cannot parse it), and again on the next push (that verdict is
#    not kept); provisioning from an http URL fails with the reason and
#    the phone runs on its own configuration;
#  - portaudio: the devices command answers an error that names it.
# Every phone still answers status at the end.  Root only.
PN_BASE=33900
. "$(dirname "$0")/lib.sh"

unshare -m true 2>/dev/null || skip "no mount namespace (not root?)"

soname() {   # NAME: the SONAME configure found (config.h)
	sed -n "s/^#define $1_SONAME \"\(.*\)\"\$/\1/p" "$top_builddir/config.h"
}
# the directory of the C library the phone runs with: on a multiarch
# system ldconfig lists every architecture's copy of a library
LIBDIR=$(dirname "$(readlink -f "$(ldd "$PNPHONE" | awk '$1 ~ /^libc\.so/ { print $3 }')")")
libpath() {  # SONAME: the file the dynamic loader opens for it
	local p
	for p in $(ldconfig -p | awk -v s="$1" '$1 == s { print $NF }'); do
		if [ "$(dirname "$(readlink -f "$p")")" = "$LIBDIR" ]; then
			printf '%s\n' "$p"
			return
		fi
	done
}
declare -A LIB=()
for k in MHD XML CURL PORTAUDIO; do
	so=$(soname "$k")
	[ -n "$so" ] || fail "config.h has no ${k}_SONAME"
	p=$(libpath "$so")
	[ -n "$p" ] || fail "$so is not installed (tools/bootstrap installs it)"
	LIB[$k]=$p
done

# hide.sh FILE -- CMD...: CMD in a mount namespace where FILE reads as
# empty.  unshare execs in place, so the phone keeps the PID started.
cat >"$T/hide.sh" <<'SH'
#!/bin/sh
f=$1; shift 2
exec unshare -m sh -c 'mount --bind /dev/null "$0" && exec "$@"' "$f" "$@"
SH
chmod +x "$T/hide.sh"
INNER=$PN_WRAPPER

tps_start
printf '<?xml version="1.0"?><Response><Topline>Hello</Topline></Response>' >"$T/www/t.xml"
printf 'call.auto_answer = on\n' >"$T/www/p.cfg"
PUSH=$(pm topline "$TPS/t.xml")

# phone K LIB [KEY=VALUE...]: start phone K (one at a time, on the same
# ports) with LIB unreadable, wait for ready.
phone() {
	local k=$1 lib=$2
	shift 2
	PN_WRAPPER="$T/hide.sh ${LIB[$lib]} -- $INNER"
	push_conf "$T/$k.conf" 0 "$@"
	pn_start "$k" "$T/$k.conf"
	pn_expect "$k" ready
	push_wait_agent 0
}
# done_with K: K still answers, then quits cleanly.
done_with() {
	pn_alive_check "$1"
	pn_stop "$1" || note_fail "$1 did not quit cleanly"
}

# ---- libmicrohttpd
phone m MHD
expect_push "000 none" "$(push_post 0 "$PUSH")" "no libmicrohttpd: refused"
pn_expect m push_error '.message | test("libmicrohttpd")'
expect_push "000 none" "$(push_post 0 "$PUSH")" "no libmicrohttpd: refused again"
wait_port tcp "$(port 46)" 5 || note_fail "m: the Push Agent's port is closed"
sleep 0.5
[ "$(pn_count m push_error)" = 1 ] || note_fail "m: $(pn_count m push_error) push_error events for one reason"
[ -s "$T/m.err" ] && note_fail "m: wrote to stderr: $(head -n 2 "$T/m.err")"
done_with m

# ---- libxml2
phone x XML
expect_push "200 202" "$(push_post 0 "$PUSH")" "no libxml2: 202"
pn_expect x push_rejected '.code == 202 and (.why | test("libxml2"))'
pn_grep x push_topline true | grep -q . && note_fail "x: shown without a parser"
done_with x

# ---- libcurl: pushes, and provisioning from an http URL
phone c CURL "provisioning.url=http://127.0.0.1:$TPS_PORT/p.cfg"
pn_expect c provisioning_failed '.stage == "fetch" and (.reason | test("libcurl"))'
expect_push "200 202" "$(push_post 0 "$PUSH")" "no libcurl: 202"
expect_push "200 202" "$(push_post 0 "$PUSH")" "no libcurl: 202 again"
pn_wait_count c push_rejected 2 '.code == 202 and (.why | test("libcurl"))' >/dev/null ||
	note_fail "c: push_rejected does not say libcurl twice"
pn_grep c provisioned true | grep -q . && note_fail "c: provisioned without libcurl?"
grep -q p.cfg "$T/tps.log" && note_fail "c: the provisioning server was reached"
done_with c

# ---- portaudio
phone p PORTAUDIO
pn_cmd p devices
pn_expect p error '.message | test("portaudio")'
pn_grep p devices true | grep -q . && note_fail "p: a device list without portaudio"
done_with p

pn_done

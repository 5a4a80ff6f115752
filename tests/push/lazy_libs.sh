#!/bin/bash
# lazy_libs.sh - the phone loads libmicrohttpd, libxml2, libcurl and
# portaudio when a feature first needs them, not at start
# (common/dynlib.h): an idle phone with its Push Agent listening maps none
# of them (nor GnuTLS, which libmicrohttpd brings); a push (answered by
# libmicrohttpd, parsed with libxml2, its href checked and pulled with
# libcurl) brings those, and still not portaudio; the devices command
# brings portaudio.  The first push is answered and pulled as usual, on
# the connection that made the server start, and the phone keeps running.
PN_BASE=33800
. "$(dirname "$0")/lib.sh"

# mapped NAME LIB: is a file whose name starts with LIB mapped by phone NAME?
mapped() {
	grep -q "/$2[^/]*\$" "/proc/${PN_PID[$1]}/maps"
}

tps_start
printf '<?xml version="1.0"?><Response><Topline>Hello</Topline></Response>' >"$T/www/t.xml"
push_conf "$T/a.conf" 0
pn_start a "$T/a.conf"
push_wait_agent 0
pn_expect a ready

for lib in libmicrohttpd.so libgnutls.so libxml2.so libcurl.so \
	libportaudio.so libasound.so libjack.so libicuuc.so; do
	mapped a "$lib" && note_fail "an idle phone has $lib loaded"
done
log "idle: $(grep -E '^(VmRSS|RssAnon)' "/proc/${PN_PID[a]}/status" | tr -s ' \n' ' ')"

expect_push "200 200" "$(push_post 0 "$(pm topline "$TPS/t.xml")")" "200 topline"
pn_expect a push_topline '.text == "Hello"'
mapped a libmicrohttpd.so || note_fail "a push was answered without libmicrohttpd?"
mapped a libxml2.so || note_fail "a push was parsed without libxml2 mapped?"
mapped a libcurl.so || note_fail "a push was pulled without libcurl mapped?"
mapped a libportaudio.so && note_fail "a push loaded portaudio"

# the second push finds them loaded and ready
expect_push "200 200" "$(push_post 0 "$(pm topline "$TPS/t.xml")")" "200 again"
pn_wait_count a push_topline 2 true 10 >/dev/null || note_fail "no second topline"

pn_cmd a devices
pn_wait_count a devices 1 true 20 >/dev/null ||
	pn_wait_count a error 1 true 5 >/dev/null ||
	note_fail "devices: neither a list nor an error"
mapped a libportaudio.so || note_fail "devices did not load portaudio"

pn_alive_check a
pn_done

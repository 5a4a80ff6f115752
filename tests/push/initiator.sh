#!/bin/bash
# initiator.sh - pnphone-push against a running phone, as a user would:
# topline and display served by pnphone-push itself, a message from a
# file, exit statuses for accepted, refused, untrusted and unreachable.
PN_BASE=33100
. "$(dirname "$0")/lib.sh"
[ -x "$PNPUSH" ] || { log "ERROR: $PNPUSH is not built"; exit 99; }

SERVE=127.0.0.1:$(port 44)
push_conf "$T/a.conf" 0 "push.tpslist=127.0.0.1:$(port 44)"
pn_start a "$T/a.conf"
push_wait_agent 0
PHONE=127.0.0.1:$(port 46)

"$PNPUSH" --listen "$SERVE" topline 'Lunch <is> served' "$PHONE" >"$T/o1" 2>&1
rc=$?
[ $rc = 0 ] || note_fail "topline: exit $rc: $(cat "$T/o1")"
grep -q '^x-Push-Status: 200 Push Message Accepted' "$T/o1" || note_fail "topline: no 200 line"
pn_expect a push_topline '.text == "Lunch <is> served"'

printf '<wml><card title="News"><p>Rain at noon</p></card></wml>' >"$T/news.wml"
"$PNPUSH" --barge --listen "$SERVE" display "$T/news.wml" "http://$PHONE/forms/push" >"$T/o2" 2>&1 ||
	note_fail "display: exit $?: $(cat "$T/o2")"
pn_expect a push_display '.text == "Rain at noon" and .mode == "barge"'

# 204 is success too; 205 is not
pn_cmd a "state text_entry other"
"$PNPUSH" -q --listen "$SERVE" display "$T/news.wml" "$PHONE" >"$T/o3" 2>&1 ||
	note_fail "display 204: exit $?: $(cat "$T/o3")"
grep -q '^x-Push-Status: 204' "$T/o3" || note_fail "display 204: $(cat "$T/o3")"
"$PNPUSH" -q --listen "$SERVE" topline x "$PHONE" >"$T/o4" 2>&1
rc=$?
[ $rc = 1 ] || note_fail "topline in text entry: exit $rc, want 1"
grep -q '^x-Push-Status: 205' "$T/o4" || note_fail "205: $(cat "$T/o4")"
pn_cmd a "state text_entry none"

# send FILE: an invalid message is 301, exit 1
printf '<Push type="nope"><go href="http://127.0.0.1/x"/></Push>' >"$T/bad.xml"
"$PNPUSH" send "$T/bad.xml" "$PHONE" >"$T/o5" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^x-Push-Status: 301 XML document not valid' "$T/o5" ||
	note_fail "send bad: exit $rc: $(cat "$T/o5")"
# untrusted: serving from a port the phone does not trust -> 402
"$PNPUSH" --listen 127.0.0.1:$(port 43) topline x "$PHONE" >"$T/o6" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^x-Push-Status: 402' "$T/o6" || note_fail "untrusted: exit $rc: $(cat "$T/o6")"
# nobody listening: exit 3
"$PNPUSH" -t 2 send "$T/bad.xml" 127.0.0.1:$(port 42) >"$T/o7" 2>&1
rc=$?
[ $rc = 3 ] || note_fail "unreachable: exit $rc, want 3"
# usage: exit 2
"$PNPUSH" topline >/dev/null 2>&1
[ $? = 2 ] || note_fail "usage error: not exit 2"
"$PNPUSH" --help | grep -q Examples || note_fail "--help has no examples"

pn_alive_check a
pn_done

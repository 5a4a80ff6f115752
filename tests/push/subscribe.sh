#!/bin/bash
# subscribe.sh - the subscription service: once registered (a sipp
# registrar), the phone sends each push.subscribelist server
# ?MAC=..+Extn=..+ip=..+SetID=.., retries a server that does not answer
# 200 (every push.subscribe_retry s, here 1 s) and stops after its 200;
# a subscribe push with <Subscribe type="me"> re-subscribes that server.
PN_BASE=33400
. "$(dirname "$0")/lib.sh"
need sipp

tps_start
echo ok >"$T/www/sub"
printf '<Response><Subscribe type="me"><Url href="%s/sub"/></Subscribe></Response>' "$TPS" >"$T/www/me.xml"
printf '<Response><Subscribe type="me"><Url href="%s/other"/></Subscribe></Response>' "$TPS" >"$T/www/notlisted.xml"
sipp_start reg reg_200.xml "$(port 0)"
push_conf "$T/a.conf" 0 "account.register=on" \
	"account.registrar=sip:127.0.0.1:$(port 0)" \
	"push.subscribelist=$TPS/flaky/2/sub,$TPS/sub" \
	"push.subscribe_retry=1" "push.set_id=4620D01A"
pn_start a "$T/a.conf"
pn_expect a registered
pn_expect a push_subscribed ".url == \"$TPS/sub\" and .attempt == 1"
pn_expect a push_subscribed ".url == \"$TPS/flaky/2/sub\" and .attempt == 3"
n=$(pn_count a push_subscribe_failed ".url == \"$TPS/flaky/2/sub\" and .retry_in == 1")
[ "$n" = 2 ] || note_fail "want 2 failed attempts with retry_in 1, got $n"
q=$(jq -r 'select(.path == "/sub") | .query' "$T/tps.log" | head -n1)
log "query: $q"
[[ $q =~ ^MAC=([0-9a-f]{2}:){5}[0-9a-f]{2}\+Extn=alice\+ip=127\.0\.0\.1\+SetID=4620D01A$ ]] ||
	note_fail "the subscription query is not the documented form: '$q'"
n=$(jq -r 'select(.path == "/flaky/2/sub") | .method' "$T/tps.log" | grep -c GET)
[ "$n" = 3 ] || note_fail "want 3 GETs to the flaky server, got $n"

# a subscribe push naming one listed server; then one naming another
expect_push "200 200" "$(push_post 0 "$(pm subscribe "$TPS/me.xml")")" "subscribe me"
pn_wait_count a push_subscribed 3 ".url == \"$TPS/sub\"" 5 >/dev/null ||
	pn_expect a push_subscribed ".url == \"$TPS/sub\" and .attempt == 1"
[ "$(pn_count a push_subscribed ".url == \"$TPS/sub\"")" -ge 2 ] ||
	note_fail "the subscribe push did not re-subscribe $TPS/sub"
pn_alive_check a
pn_done

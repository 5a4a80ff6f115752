#!/bin/bash
# push_follows.sh - a provisioned file that moves the Push Agent, applied
# live.  Checks: the phone (static provisioning.url, no PnP) fetches the
# file at start and its Push Agent listens where the file says; after the
# file changes, the provision command applies it live and the agent
# moves: the old address no longer answers, the new one answers 200.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=32500
. "$top_srcdir/tests/interop/lib.sh"
need curl
need python3

mkdir -p "$T/www" "$T/state"
printf 'push.listen = 127.0.0.1:%s\npush.tpslist = /\n' "$(port 47)" >"$T/www/p.cfg"
(cd "$T/www" && exec python3 -m http.server "$(port 45)" --bind 127.0.0.1) \
	>"$T/http.log" 2>&1 &
PN_PIDS+=("$!")
wait_port tcp "$(port 45)" || fail "the HTTP server does not answer"

pn_conf_std "$T/phone.conf" 10 20 "provisioning.pnp=off" \
	"provisioning.url=http://127.0.0.1:$(port 45)/p.cfg" \
	"provisioning.state_dir=$T/state" \
	"push.listen=127.0.0.1:$(port 46)" "push.tpslist=/"
pn_start phone "$T/phone.conf"
pn_expect phone provisioned '.changed == ["push.listen"]'
pn_expect phone ready

push_status() {
	curl -s -m 3 -D - -o /dev/null -X POST --data-urlencode \
		"XMLData=<Push type=\"topline\"><go href=\"http://127.0.0.1:$(port 45)/t.xml\"/></Push>" \
		"http://127.0.0.1:$1/forms/push" | tr -d '\r' |
		sed -n 's/^x-Push-Status: \([0-9]*\).*/\1/p'
}
[ "$(push_status "$(port 46)")" = "" ] || fail "the local push.listen still answers after provisioning"
[ "$(push_status "$(port 47)")" = 200 ] || fail "the provisioned push.listen does not answer 200"

printf 'push.listen = 127.0.0.1:%s\npush.tpslist = /\n' "$(port 48)" >"$T/www/p.cfg"
pn_cmd phone provision
pn_wait_count phone provisioned 2 true 10 >/dev/null || fail "provision did not apply the new file"
pn_wait_after phone provisioned ready true 10 >/dev/null
sleep 0.5
[ "$(push_status "$(port 47)")" = "" ] || fail "the agent still answers on the old address"
[ "$(push_status "$(port 48)")" = 200 ] || fail "the agent did not move to the new address"

pn_stop phone || fail "the phone did not exit 0"
pn_done

#!/bin/bash
# deliver.sh - delivery to simulated Push Agents (agent_sim.py): retries
# on 202, HTTP 5xx and no answer, then failed; refused at once on 205
# and 402; at most pushd.max_inflight pushes at once; each attempt's
# x-Push-Status in GET /vpns/service/message/MSGID and --status; then a
# kill -9 during a delivery: after the restart every attempt recorded
# before the kill is still there, and the queued deliveries are resumed.
PN_BASE=36100
. "$(dirname "$0")/lib.sh"

gw_conf "pushd.max_inflight=2" "pushd.timeout=1500" "pushd.retries=2" \
	"pushd.retry_delay=150"
gw_init
gw_start
sim_start a 0 "202,http500,200"
sim_start b 1 "205"
sim_start c 2 "close"
sim_start d 3 "sleep2"
sim_start e 4 "402"
ka=$(subscribe 02:00:00:00:00:0a 3001 "$(port 61)")
kb=$(subscribe 02:00:00:00:00:0b 3002 "$(port 62)")
kc=$(subscribe 02:00:00:00:00:0c 3003 "$(port 63)")
kd=$(subscribe 02:00:00:00:00:0d 3004 "$(port 64)")
ke=$(subscribe 02:00:00:00:00:0e 3005 "$(port 65)")
# a subscriber whose agent does not exist at all
kf=$(subscribe 02:00:00:00:00:0f 3006 "$(port 69)")
# subscribing again keeps the ksid
check "same phone, same ksid" "$ka" "$(subscribe 02:00:00:00:00:0A 3001 "$(port 61)")"

check "event (http)" 200 "$(api_json "$(ev_json 6 "$ka $kb $kc $kd $ke $kf" true '[]' 'Hello')")"
m=$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")
wait_msg "$m" '.summary.queued == 0' 20 || note_fail "message $m did not finish"
msg_status "$m" >"$T/status.json"
d() { jq -c --argjson k "$1" ".deliveries[] | select(.ksid == \$k) | $2" "$T/status.json"; }
check "a: 202, 500, then 200" '["delivered",3,[202,null,200],[200,500,200]]' "$(d "$ka" '[.state, .attempts, [.history[].pushStatus], [.history[].http]]')"
check "b: 205 refused at once" '["refused",1,205]' "$(d "$kb" '[.state, .attempts, .pushStatus]')"
check "c: no answer, failed after 3" '["failed",3]' "$(d "$kc" '[.state, .attempts]')"
check "d: timeouts, failed after 3" '["failed",3]' "$(d "$kd" '[.state, .attempts]')"
check "e: 402 refused" '["refused",1,402,403]' "$(d "$ke" '[.state, .attempts, .pushStatus, .http]')"
check "f: nobody there" '["failed",3]' "$(d "$kf" '[.state, .attempts]')"
check "summary" '{"queued":0,"delivered":1,"refused":2,"failed":3}' "$(jq -c .summary "$T/status.json")"
check "barge push sent" 1 "$(jq -r 'select(.n == 0) | .xmldata' "$T/a.log" | grep -c 'mode="barge"')"
href=$(jq -r 'select(.n == 0) | .xmldata' "$T/a.log" | sed -n 's/.*href="\([^"]*\)".*/\1/p')
check "href" "$GW/vpns/content/$m/$ka" "$href"
check "content" '<Response><Topline>Hello</Topline></Response>' "$(curl -s "$href" | tail -n1)"
check "pulled recorded" true "$(msg_status "$m" | jq --argjson k "$ka" '.deliveries[] | select(.ksid == $k) | .pulled')"
# the CLI reads the same store (while the gateway runs)
"$PUSHD" --config "$T/gw.conf" --status "$m" >"$T/cli.json" 2>"$T/cli.err" ||
	note_fail "--status failed: $(cat "$T/cli.err")"
check "--status = GET" "$(jq -c .summary "$T/status.json")" "$(jq -c .summary "$T/cli.json")"
"$PUSHD" --config "$T/gw.conf" --status 9999 >/dev/null 2>&1
check "--status of no message" 1 "$?"

# ---- bounded concurrency: 6 pushes to one slow agent, 2 at a time
sim_start slow 5 "sleep1"
ks=""
for i in 1 2 3 4 5 6; do ks="$ks $(subscribe 02:00:00:00:01:0$i 40$i "$(port 66)")"; done
api_json "$(ev_json 6 "$ks" false '[]' 'Six')" >/dev/null
m2=$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")
wait_msg "$m2" '.summary.delivered == 6' 15 || note_fail "the 6 pushes were not delivered"
check "in flight at most 2" 2 "$(jq -s 'map(.inflight) | max' "$T/slow.log")"

# ---- kill -9 during a delivery
api_json "$(ev_json 6 "$ks" false '[]' 'Killed')" >/dev/null
m3=$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")
# The snapshot that shows the delivery under way is the last thing
# before the kill: on a slow machine (ARM under emulation) a wait, then
# a snapshot, saw all six delivered and left nothing to resume.
deadline=$(( $(now_ms) + 10000 ))
until msg_status "$m3" >"$T/before.json" &&
	jq -e '.summary.delivered >= 2' "$T/before.json" >/dev/null 2>&1; do
	[ "$(now_ms)" -lt "$deadline" ] || { note_fail "no delivery before the kill"; break; }
	sleep 0.1
done
gw_stop KILL
jq -e '.summary.delivered < 6' "$T/before.json" >/dev/null ||
	note_fail "the whole delivery ended before the kill: nothing to resume"
log "killed during delivery: $(jq -c .summary "$T/before.json")"
gw_start
check "resumed on restart" true "$(pn_grep gw ready | tail -n1 | jq '.resumed >= 1')"
wait_msg "$m3" '.summary.delivered == 6' 15 || note_fail "the restart did not finish the delivery"
msg_status "$m3" >"$T/after.json"
lost=$(jq -n --slurpfile b "$T/before.json" --slurpfile a "$T/after.json" '
	[$b[0].deliveries[] | .ksid as $k | .history[] | {k: $k, n, at, pushStatus}] -
	[$a[0].deliveries[] | .ksid as $k | .history[] | {k: $k, n, at, pushStatus}] | length')
check "attempts lost by the kill" 0 "$lost"
check "earlier message kept" "$(jq -c .summary "$T/status.json")" "$(msg_status "$m" | jq -c .summary)"
check "subscribers kept" 12 "$(pn_grep gw ready | tail -n1 | jq .subscribers)"
alive gw || fail "the gateway died"
pn_done

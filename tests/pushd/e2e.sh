#!/bin/bash
# e2e.sh - end to end on loopback: two pnphone phones register (sipp
# registrars) and subscribe to the gateway (push.subscribelist); the
# gateway restarts and still knows them; an event to both plus an
# unknown ksid shows the substituted text on both phones and names the
# unknown one in invalidSubscribers; with phone a in a text-entry screen
# priorityService false is refused (205 recorded), true barges in.
PN_BASE=36200
. "$(dirname "$0")/lib.sh"
need sipp

gw_conf
gw_init
gw_start
sipp_start rega reg_200.xml "$(port 0)"
sipp_start regb reg_200.xml "$(port 1)"
for n in 0 1; do
	name=$([ $n = 0 ] && echo a || echo b)
	push_conf "$T/$name.conf" $n "account.register=on" \
		"account.registrar=sip:127.0.0.1:$(port $n)" \
		"account.aor=sip:200$((n + 1))@127.0.0.1" \
		"account.user=200$((n + 1))" \
		"push.tpslist=127.0.0.1:$GW_PORT" \
		"push.subscribelist=$GW/vpns/subscribe?port=$(port $((46 + n)))" \
		"push.set_id=PN00D01A"
	pn_start "$name" "$T/$name.conf"
done
pn_expect a push_subscribed
pn_expect b push_subscribed
ka=$(pn_grep gw subscribed '.ufid == "2001"' | head -n1 | jq .ksid)
kb=$(pn_grep gw subscribed '.ufid == "2002"' | head -n1 | jq .ksid)
[ -n "$ka" ] && [ -n "$kb" ] && [ "$ka" != "$kb" ] || fail "the phones did not subscribe: '$ka' '$kb'"
check "a's push port" "$(port 46)" "$(pn_grep gw subscribed '.ufid == "2001"' | head -n1 | jq .port)"

# restart between the subscription and the event
gw_stop
gw_start
check "subscribers after the restart" 2 "$(pn_grep gw ready | tail -n1 | jq .subscribers)"

pairs='[{"name":"order","content":"A-7"},{"name":"name","content":"Carol"}]'
check "event (http)" 200 "$(api_json "$(ev_json 1 "$ka $kb 999" false "$pairs")")"
check "invalidSubscribers" '[999]' "$(jq -c '[.messageResponse.invalidSubscribers[].ksid]' "$T/resp")"
m=$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")
want="Order A-7 for Carol has shipped"
pn_expect a push_topline ".text == \"$want\""
pn_expect b push_topline ".text == \"$want\""
wait_msg "$m" '.summary.delivered == 2 and all(.deliveries[]; .pulled)' 10 ||
	note_fail "message $m: not delivered and pulled by both"

# phone a in a Web text-entry screen: a normal topline is refused (205)
pn_cmd a "state text_entry web"
pn_expect a state '.value == "web"'
api_xml "$(ev_xml 1 "$ka" false '<key name="order" content="N-1"/><key name="name" content="Dan"/>')" >/dev/null
m2=$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().find("messages/message").get("msgId"))' "$T/resp")
wait_msg "$m2" '.summary.refused == 1' 10 || note_fail "the normal push was not refused"
check "205 recorded" '[205,"refused"]' "$(msg_status "$m2" | jq -c '.deliveries[0] | [.pushStatus, .state]')"
pn_expect a push_answered '.code == 205'
# priorityService true: barge
api_xml "$(ev_xml 1 "$ka" true '<key name="order" content="B-1"/><key name="name" content="Eve"/>')" >/dev/null
pn_expect a push_topline '.text == "Order B-1 for Eve has shipped" and .mode == "barge"'
check "no normal text shown" 0 "$(pn_count a push_topline '.text | test("N-1")')"
pn_alive_check a
pn_alive_check b
alive gw || fail "the gateway died"
pn_done

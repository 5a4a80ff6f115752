#!/bin/bash
# codes.sh - every response code of the Volt MX "Events Push Payload" API
# over real HTTP, in XML and in JSON, with the guide's exact
# descriptions: 200 (msgId; invalidSubscribers with msgId -1), 400 (bad
# JSON/XML, wrong types, missing fields, huge body, unknown content type,
# DOCTYPE), 404, 405, 406, 407, and 500 (the store is locked by another
# writer).  The gateway keeps running throughout.
PN_BASE=36000
. "$(dirname "$0")/lib.sh"

gw_conf "pushd.retries=0"
gw_init
gw_start
k1=$(subscribe 00:11:22:33:44:01 2001 "$(port 61)")
k2=$(subscribe 00:11:22:33:44:02 2002 "$(port 62)")
check "ksids" "1 2" "$k1 $k2"

# xml_get XPATH: text (or @attribute) out of $T/resp (python's etree)
xml_get() {
	python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
p = sys.argv[2]
if "@" in p:
    path, attr = p.split("@")
    n = r.find(path) if path else r
    print("" if n is None else n.get(attr, ""))
else:
    n = r.find(p)
    print("" if n is None else (n.text or ""))
' "$T/resp" "$1" 2>/dev/null || echo "(not XML)"
}

# jcode / xcode WANT_CODE WANT_DESC WHAT: check the answer in $T/resp
jcheck() {
	check "$3 (json code)" "$1" "$(jq -r .messageResponse.code "$T/resp" 2>/dev/null)"
	check "$3 (json description)" "$2" "$(jq -j .messageResponse.description "$T/resp" 2>/dev/null)"
	if [ "$1" != 200 ]; then
		check "$3 (json messages)" "0 0" "$(jq -r '[(.messageResponse.messages|length), (.messageResponse.invalidSubscribers|length)]|join(" ")' "$T/resp")"
	fi
}
xcheck() {
	check "$3 (xml root)" "messageResponse" "$(python3 -c 'import sys,xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().tag)' "$T/resp" 2>/dev/null)"
	check "$3 (xml code)" "$1" "$(xml_get code)"
	check "$3 (xml description)" "$2" "$(xml_get description)"
}

D400J="Invalid request format. "
D400X="Invalid request format."

# ---- 200
check "200 json http" 200 "$(api_json "$(ev_json 1 "$k1 $k2" false '[{"name":"order","content":"A-1"},{"name":"name","content":"Bob"}]')")"
jcheck 200 "Request Queued. " "200 json"
check "200 json msgId" 1 "$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")"
check "200 json invalidSubscribers" "[]" "$(jq -c .messageResponse.invalidSubscribers "$T/resp")"
check "200 xml http" 200 "$(api_xml "$(ev_xml 1 "$k1" false '<key name="order" content="B-2"/><key><name>name</name><content>Ann</content></key>')")"
xcheck 200 "Request Queued. " "200 xml"
check "200 xml msgId" 2 "$(xml_get 'messages/message@msgId')"
check "200 xml no invalidSubscribers" "" "$(xml_get invalidSubscribers)"
check "message 1 text" "Order A-1 for Bob has shipped" "$(msg_status 1 | jq -r .text)"
check "message 2 text" "Order B-2 for Ann has shipped" "$(msg_status 2 | jq -r .text)"

# ---- 200 with invalid subscribers
api_json "$(ev_json 1 "999 $k1 abc")" >/dev/null
jcheck 200 "Request Queued. " "200 json, 2 invalid"
check "json invalid ksids" '[999,"abc"]' "$(jq -c '[.messageResponse.invalidSubscribers[].ksid]' "$T/resp")"
check "json invalid fields" '["deviceId","ksid","ufid"]' "$(jq -c '.messageResponse.invalidSubscribers[0]|keys' "$T/resp")"
check "json msgId with one valid" 3 "$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")"
api_json "$(ev_json 1 "999")" >/dev/null
jcheck 200 "Request Queued. " "200 json, none valid"
check "json msgId none valid" -1 "$(jq -r '.messageResponse.messages[0].msgId' "$T/resp")"
api_xml "$(ev_xml 1 "998 997")" >/dev/null
xcheck 200 "Request Queued. " "200 xml, none valid"
check "xml msgId none valid" -1 "$(xml_get 'messages/message@msgId')"
check "xml invalid ksids" "998 997" "$(python3 -c 'import sys,xml.etree.ElementTree as E; print(" ".join(s.get("ksid") for s in E.parse(sys.argv[1]).getroot().iter("subscriber")))' "$T/resp")"
# a ufid that does not match the subscriber makes it invalid
api_json '{"event":{"eventid":"1","message":{"subscribers":{"subscriber":{"ksid":1,"ufid":"9999"}},"content":{"mimeType":"text/plain","data":"x"}}}}' >/dev/null
check "wrong ufid is invalid" '-1 9999' "$(jq -r '[.messageResponse.messages[0].msgId, .messageResponse.invalidSubscribers[0].ufid]|join(" ")' "$T/resp")"

# ---- 400, JSON
bad_json() {
	local what=$1 http
	shift
	http=$(api_json "$1")
	check "$what (http)" 400 "$http"
	jcheck 400 "$D400J" "$what"
}
bad_json "not JSON" '{"event": {'
bad_json "eventid an object" '{"event":{"eventid":{},"message":{"subscribers":{"subscriber":[{"ksid":"1"}]},"content":{"mimeType":"text/plain"}}}}'
bad_json "subscriber a string" '{"event":{"eventid":"1","message":{"subscribers":{"subscriber":["1"]},"content":{"mimeType":"text/plain"}}}}'
bad_json "no ksid" '{"event":{"eventid":"1","message":{"subscribers":{"subscriber":[{"ufid":"1"}]},"content":{"mimeType":"text/plain"}}}}'
bad_json "no content" '{"event":{"eventid":"1","message":{"subscribers":{"subscriber":[{"ksid":"1"}]}}}}'
bad_json "no mimeType" '{"event":{"eventid":"1","message":{"subscribers":{"subscriber":[{"ksid":"1"}]},"content":{}}}}'
bad_json "no eventid" '{"event":{"message":{"subscribers":{"subscriber":[{"ksid":"1"}]},"content":{"mimeType":"text/plain"}}}}'
bad_json "no subscriber" "$(ev_json 1 "")"
bad_json "priorityService maybe" "$(ev_json 1 "$k1" maybe)"
bad_json "an array" '[1,2]'
bad_json "duplicate keys" '{"event":{"eventid":"1","eventid":"2"}}'
bad_json "no text at all" "$(ev_json 6 "$k1")"
printf '\xff\xfe{"event":1}' >"$T/req"
check "not UTF-8 (http)" 400 "$(api "$T/req" application/json)"
jcheck 400 "$D400J" "not UTF-8"
# unknown content type: answered in the format of the body
printf '%s' "$(ev_json 1 "$k1")" >"$T/req"
check "text/plain (http)" 400 "$(api "$T/req" text/plain)"
jcheck 400 "$D400J" "unknown content type, JSON body"
# a body over pushd.max_body (1 MiB)
{ printf '{"event":{"eventid":"1","pad":"'; head -c 1100000 /dev/zero | tr '\0' x; printf '"}}'; } >"$T/req"
check "huge body (http)" 400 "$(api "$T/req" application/json)"
jcheck 400 "$D400J" "huge body"

# ---- 400, XML
bad_xml() {
	local what=$1 http
	shift
	http=$(api_xml "$1")
	check "$what (http)" 400 "$http"
	xcheck 400 "$D400X" "$what"
}
bad_xml "not well-formed" '<event><eventid>1</eventid><message>'
bad_xml "wrong root" '<push><eventid>1</eventid></push>'
bad_xml "no eventid" "$(ev_xml "" "$k1")"
bad_xml "no subscriber" "$(ev_xml 1 "")"
bad_xml "priorityService maybe" "$(ev_xml 1 "$k1" maybe)"
bad_xml "XXE" '<?xml version="1.0"?><!DOCTYPE event [<!ENTITY x SYSTEM "file:///etc/passwd">]><event><eventid>&x;</eventid></event>'
bad_xml "billion laughs" '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><event><eventid>&b;</eventid></event>'
bad_xml "elements in eventid" '<event><eventid><x/></eventid></event>'
printf '<event>' >"$T/req"
check "unknown content type, XML body (http)" 400 "$(api "$T/req" application/octet-stream)"
xcheck 400 "$D400X" "unknown content type, XML body"

# ---- 404 405 406 407, both formats
for c in "404 3 Invalid Volt MX Application ID associated with Event." \
	 "405 4 Associated Application is not Published." \
	 "406 77 Invalid Volt MX Event ID. " \
	 "407 2 Event is not Published."; do
	code=${c%% *}; rest=${c#* }; id=${rest%% *}; desc=${rest#* }
	check "$code json (http)" "$code" "$(api_json "$(ev_json "$id" "$k1")")"
	jcheck "$code" "$desc" "$code json"
	check "$code xml (http)" "$code" "$(api_xml "$(ev_xml "$id" "$k1")")"
	xcheck "$code" "$desc" "$code xml"
done

# ---- 500: another writer holds the store's write lock
python3 -c '
import sqlite3, sys, time, os
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
db.execute("ROLLBACK")
' "$T/store.db" "$T/locked" 3 &
locker=$!
PN_PIDS+=("$locker")
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
check "500 json (http)" 500 "$(api_json "$(ev_json 1 "$k1")")"
check "500 json body" '{"500":"Server failed to process the request."}' "$(jq -c . "$T/resp")"
check "500 xml (http)" 500 "$(api_xml "$(ev_xml 1 "$k1")")"
xcheck 500 "Server failed to process the request." "500 xml"
check "500 xml messages" "" "$(xml_get messages)"
wait "$locker"
# and it works again once the lock is gone
check "after the lock (http)" 200 "$(api_json "$(ev_json 1 "$k1" false '[]' 'back')")"

# ---- the whole exchange as the guide prints it, byte for byte (XML)
api_xml "$(ev_xml 406 "$k1")" >/dev/null
printf '<messageResponse>\n    <code>406</code>\n    <description>Invalid Volt MX Event ID. </description>\n    <messages></messages>\n</messageResponse>\n' >"$T/want"
cmp -s "$T/want" "$T/resp" || note_fail "406 XML answer differs from the guide's: $(cat "$T/resp")"

alive gw || fail "the gateway died"
check "status of an unknown message (http)" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$GW/vpns/service/message/12345")"
gw_stop
check "exit status after TERM" 0 "$?"
pn_done

#!/bin/bash
# codes.sh - each of the 16 x-Push-Status codes over real HTTP (curl), in
# the situation that causes it, with the HTTP status that goes with it.
PN_BASE=33000
. "$(dirname "$0")/lib.sh"

tps_start
printf '<?xml version="1.0"?><Response><Topline>Hello</Topline></Response>' >"$T/www/t.xml"
printf '<wml><card title="T"><p>Page</p></card></wml>' >"$T/www/p.wml"
echo ok >"$T/www/sub"
printf '<Response><Subscribe type="all"><Url href="%s/sub"/></Subscribe></Response>' "$TPS" >"$T/www/s.xml"

push_conf "$T/a.conf" 0 "push.subscribelist=$TPS/sub"
pn_start a "$T/a.conf"
push_wait_agent 0

ok="$TPS/t.xml"
# 200: a topline to an idle phone; the text is shown
expect_push "200 200" "$(push_post 0 "$(pm topline "$ok")")" "200 topline"
pn_expect a push_topline '.text == "Hello"'
grep -qi '^x-Avaya-Push-Status: 200 Push Message Accepted' "$T/last.hdr" ||
	note_fail "no x-Avaya-Push-Status header"

# 202: a push while the agent is still pulling the previous one
expect_push "200 200" "$(push_post 0 "$(pm topline "$TPS/slow/t.xml")")" "200 slow pull"
expect_push "200 202" "$(push_post 0 "$(pm topline "$ok")")" "202 busy with a pull"
pn_wait_count a push_topline 2 true 10 >/dev/null || note_fail "the slow pull did not finish"

# 204 and 205: text entry (other application / web) with display normal
pn_cmd a "state text_entry other"
expect_push "200 204" "$(push_post 0 "$(pm display "$TPS/p.wml")")" "204 display in text entry"
pn_expect a push_display_kept
pn_cmd a "state text_entry web"
expect_push "200 205" "$(push_post 0 "$(pm display "$ok")")" "205 display in web text entry"
expect_push "200 205" "$(push_post 0 "$(pm topline "$ok")")" "205 topline in text entry"
pn_cmd a "state text_entry none"
pn_expect a push_display '.deferred == true and .text == "Page"'

# 208: audio while a local procedure runs
pn_cmd a "state local_procedure on"
expect_push "200 208" "$(push_post 0 "$(pm audio "$ok")")" "208 audio in a local procedure"
pn_cmd a "state local_procedure off"

# 301..307: the message itself
expect_push "200 301" "$(push_post 0 "$(pm receive "$ok")")" "301 unknown type"
expect_push "200 302" "$(push_post 0 '<Push type="topline"><go href="x"></Push>')" "302 not well-formed"
expect_push "200 303" "$(curl -s -m 10 -o /dev/null -D "$T/last.hdr" --data 'other=1' "$(agent_url 0)"; push_status_of "$T/last.hdr")" "303 no XMLData"
expect_push "200 303" "$(push_post 0 '')" "303 empty XMLData"
expect_push "200 304" "$(push_post 0 "<?xml version=\"1.0\" encoding=\"x-unknown-9\"?><Push type=\"topline\"><go href=\"$ok\"/></Push>")" "304 unknown encoding"
expect_push "200 305" "$(push_post 0 '<Response><Topline>x</Topline></Response>')" "305 root"
expect_push "200 306" "$(push_post 0 "<Push type=\"topline\"><go href=\"$ok\" method=\"post\"/></Push>")" "306 post without postfield"
pad=$(head -c 6000 /dev/zero | tr '\0' ' ')
expect_push "200 307" "$(push_post 0 "<Push type=\"topline\"><go href=\"$ok\"/>$pad</Push>")" "307 over 5 KB"

# the agent keeps its verdict on the last message and on the last href:
# the same message again gets the same answer and the same reason, and a
# different one after it is judged afresh
for i in 1 2; do
	expect_push "200 301" "$(push_post 0 "$(pm receive "$ok")")" "301 again ($i)"
done
[ "$(pn_grep a push_rejected '.code == 301' | jq -r .why | sort -u | wc -l)" = 1 ] ||
	note_fail "a repeated 301 gave different reasons"
for i in 1 2; do
	expect_push "403 402" "$(push_post 0 "$(pm topline "http://127.0.0.2:$TPS_PORT/t.xml")")" "402 again ($i)"
	expect_push "200 200" "$(push_post 0 "$(pm topline "$ok")")" "200 between ($i)"
	pn_wait_count a push_topline $((2 + i)) true 10 >/dev/null || note_fail "pull $i did not finish"
done

# 402 (HTTP 403): untrusted, or not http
expect_push "403 402" "$(push_post 0 "$(pm topline "http://127.0.0.2:$TPS_PORT/t.xml")")" "402 untrusted"
expect_push "403 402" "$(push_post 0 "$(pm topline "ftp://127.0.0.1:$TPS_PORT/t.xml")")" "402 ftp"
# 501: not a full URL, or longer than 1024
expect_push "200 501" "$(push_post 0 "$(pm topline "/t.xml")")" "501 relative"
long="$TPS/$(head -c 1100 /dev/zero | tr '\0' a)"
expect_push "200 501" "$(push_post 0 "$(pm topline "$long")")" "501 too long"

# 503: a second subscribe push within the minute
expect_push "200 200" "$(push_post 0 "$(pm subscribe "$TPS/s.xml")")" "200 subscribe"
pn_expect a push_subscribed
expect_push "200 503" "$(push_post 0 "$(pm subscribe "$TPS/s.xml")")" "503 subscribe within a minute"

# 403 for anything but POST /forms/push, with x-Push-Status too
curl -s -m 10 -o /dev/null -D "$T/last.hdr" "$(agent_url 0)"
expect_push "403 402" "$(push_status_of "$T/last.hdr")" "GET /forms/push"
curl -s -m 10 -o /dev/null -D "$T/last.hdr" --data-urlencode "XMLData=$(pm topline "$ok")" \
	"http://127.0.0.1:$(port 46)/forms/other"
expect_push "403 402" "$(push_status_of "$T/last.hdr")" "POST /forms/other"

# 201: push.tpslist empty; 503: push.subscribelist empty
push_conf "$T/b.conf" 1 "push.tpslist="
pn_start b "$T/b.conf"
push_wait_agent 1
expect_push "200 201" "$(push_post 1 "$(pm topline "$ok")")" "201 push disabled"
push_conf "$T/c.conf" 2
pn_start c "$T/c.conf"
push_wait_agent 2
expect_push "200 503" "$(push_post 2 "$(pm subscribe "$TPS/s.xml")")" "503 no subscribelist"

pn_alive_check a
pn_stop a || note_fail "phone a did not exit cleanly"
pn_done

#!/bin/bash
# hostile.sh - hostile input to the Push Agent: a 1 MB body (with and
# without Content-Length), slow clients, wrong methods and paths, broken
# URL encoding, XXE and billion laughs, 10,000 pushes in a loop.  The
# right codes come back, nothing is fetched that should not be, the phone
# keeps running, and a call still works afterwards.
PN_BASE=33300
. "$(dirname "$0")/lib.sh"
need sipp

tps_start
printf '<Response><Topline>T</Topline></Response>' >"$T/www/t.xml"
push_conf "$T/a.conf" 0
pn_start a "$T/a.conf"
push_wait_agent 0
URL=$(agent_url 0)
ok="$TPS/t.xml"

# 1 MB body: answered at once from its Content-Length (HTTP 413, 307)
head -c 1048576 /dev/zero | tr '\0' a >"$T/big"
curl -s -m 10 -o /dev/null -D "$T/last.hdr" --data-binary @"$T/big" "$URL"
expect_push "413 307" "$(push_status_of "$T/last.hdr")" "1 MB body"
# ... and chunked, without a length: never more than 1 MB is read
curl -s -m 10 -o /dev/null -D "$T/last.hdr" -H 'Transfer-Encoding: chunked' \
	--data-binary @"$T/big" "$URL"
log "1 MB chunked -> $(push_status_of "$T/last.hdr")"
# a 5 KB+ XMLData inside a small body: 307
expect_push "200 307" "$(push_post 0 "<Push type=\"topline\"><go href=\"$ok\"/><!--$(head -c 5200 /dev/zero | tr '\0' x)--></Push>")" "XMLData over 5 KB"

# slow clients: five connections that send half a request and wait do
# not stop a real push
for i in 1 2 3 4 5; do
	exec {fd}<>/dev/tcp/127.0.0.1/"$(port 46)"
	printf 'POST /forms/push HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nXMLData=' >&$fd
	eval "slow$i=$fd"
done
expect_push "200 200" "$(push_post 0 "$(pm topline "$ok")")" "push beside slow clients"
pn_wait_count a push_pulled 1 true 5 >/dev/null

# wrong method and path: 403
for m in GET PUT DELETE OPTIONS; do
	curl -s -m 5 -o /dev/null -D "$T/last.hdr" -X "$m" "$URL"
	expect_push "403 402" "$(push_status_of "$T/last.hdr")" "$m /forms/push"
done
curl -s -m 5 -o /dev/null -D "$T/last.hdr" --data 'XMLData=x' "http://127.0.0.1:$(port 46)/"
expect_push "403 402" "$(push_status_of "$T/last.hdr")" "POST /"
curl -s -m 5 -o /dev/null -D "$T/last.hdr" --data 'XMLData=x' "http://127.0.0.1:$(port 46)/forms/push/../push"
log "dot-dot path -> $(push_status_of "$T/last.hdr")"

# broken URL encoding: 302
curl -s -m 5 -o /dev/null -D "$T/last.hdr" --data 'XMLData=%3CPush%ZZtype' "$URL"
expect_push "200 302" "$(push_status_of "$T/last.hdr")" "broken %-encoding"
curl -s -m 5 -o /dev/null -D "$T/last.hdr" --data 'XMLData=%3CPush%' "$URL"
expect_push "200 302" "$(push_status_of "$T/last.hdr")" "truncated %-encoding"

# multipart and raw XML bodies are accepted too
curl -s -m 5 -o /dev/null -D "$T/last.hdr" --form-string "XMLData=$(pm topline "$ok")" "$URL"
expect_push "200 200" "$(push_status_of "$T/last.hdr")" "multipart/form-data"
pn_wait_count a push_pulled 2 true 5 >/dev/null
curl -s -m 5 -o /dev/null -D "$T/last.hdr" -H 'Content-Type: text/xml' \
	--data-binary "$(pm topline "$ok")" "$URL"
expect_push "200 200" "$(push_status_of "$T/last.hdr")" "raw text/xml"
pn_wait_count a push_pulled 3 true 5 >/dev/null

# XXE and billion laughs: refused (301), nothing fetched
: >"$T/tps.log"
expect_push "200 301" "$(push_post 0 "<?xml version=\"1.0\"?><!DOCTYPE Push [<!ENTITY x SYSTEM \"$TPS/xxe\">]><Push type=\"topline\"><go href=\"&x;\"/></Push>")" "XXE"
expect_push "200 301" "$(push_post 0 "<!DOCTYPE Push SYSTEM \"$TPS/dtd\"><Push type=\"topline\"><go href=\"$ok\"/></Push>")" "external DTD"
lol='<!ENTITY a "aaaaaaaaaa">'
for i in b c d e f g h i j; do
	p=$(printf '%s' "${prev:-a}")
	lol="$lol<!ENTITY $i \"&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;\">"
	prev=$i
done
expect_push "200 301" "$(push_post 0 "<?xml version=\"1.0\"?><!DOCTYPE Push [$lol]><Push type=\"topline\"><go href=\"$ok/&j;\"/></Push>")" "billion laughs"
[ -s "$T/tps.log" ] && note_fail "the agent fetched something: $(cat "$T/tps.log")"

# 10,000 pushes on one connection (the state refuses them: no pull)
pn_cmd a "state text_entry web"
rss0=$(awk '/VmRSS/ {print $2}' /proc/"${PN_PID[a]}"/status)
python3 "$PDIR/flood.py" "$(port 46)" 10000 "$(pm topline "$ok")" 90 >"$T/flood.out"
rss1=$(awk '/VmRSS/ {print $2}' /proc/"${PN_PID[a]}"/status)
log "flood: $(tr '\n' ' ' <"$T/flood.out"); VmRSS $rss0 -> $rss1 kB"
grep -qx '205 10000' "$T/flood.out" || note_fail "flood: not 10000 x 205: $(cat "$T/flood.out")"
grep -qx 'errors 0' "$T/flood.out" || note_fail "flood: connection errors"
# AddressSanitizer keeps freed memory in quarantine (256 MB), so RSS says
# nothing about leaks there; its leak checker and valgrind do.
if grep -q __asan_init "$PNPHONE" 2>/dev/null; then
	log "VmRSS check skipped: pnphone is built with AddressSanitizer"
elif [ -n "$PN_WRAPPER" ]; then
	# the PID is valgrind's, whose own memory grows as it goes (74 to 90
	# MB over the flood); its leak check at exit covers the phone
	log "VmRSS check skipped: the phone runs under PN_WRAPPER"
elif [ -n "$rss0" ] && [ -n "$rss1" ] && [ "$rss1" -gt $((rss0 + 8192)) ]; then
	note_fail "VmRSS grew by more than 8 MB during the flood ($rss0 -> $rss1 kB)"
fi
pn_cmd a "state text_entry none"

# the phone still takes a call
sipp_start caller ../../push/sipp/push_call.xml "$(port 0)" -s alice "127.0.0.1:$(port 10)"
pn_expect a call_incoming
pn_cmd a answer
pn_expect a call_established
pn_cmd a hold
pn_expect a call_held
pn_cmd a hangup
sipp_expect caller 20
pn_alive_check a
pn_stop a || note_fail "the phone did not exit cleanly"
pn_done

#!/bin/bash
# pnp_late.sh - a PnP server that answers the SUBSCRIBE at once but sends
# its NOTIFY (the seed's, unswapped) only after the phone's 5 s window
# (once the phone says ready, on a signal to the responder):
# by then the phone runs on its local configuration and the PnP agent is
# gone.  The phone must refuse that NOTIFY (481: the subscription is over),
# say so with a pnp_notify_late event (code, reason, call_id, url), keep
# running, and take nothing from it.  A late NOTIFY of another event
# package (message-summary) is refused 481 as before, without that event.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/provisioning/lib.sh"

account_file "$T/www/late.cfg"
http_start
responder_start late "http://127.0.0.1:8088/late.cfg" late-notify
prov_conf "$T/phone.conf"
pn_start phone "$T/phone.conf"

line=$(pn_wait phone pnp_discovering) || fail "no pnp_discovering"
callid=$(jq -r .call_id <<<"$line")
pn_expect phone pnp_response '.code == 200'
pn_expect phone pnp_timeout '' 8
pn_expect phone ready
# the UA has the port now: the NOTIFY goes out
kill -USR1 "${PN_PID[late]}"
pn_expect phone pnp_notify_late \
	".code == 481 and .call_id == \"$callid\" and .url == \"http://127.0.0.1:8088/late.cfg\"" 8
# the responder got the 481 for its NOTIFY
deadline=$(( $(now_ms) + 3000 ))
until awk '/to unicast/{p=1; next} /^===/{p=0} p' "$T/late.log" |
	grep -q '^SIP/2.0 481 '; do
	[ "$(now_ms)" -ge "$deadline" ] && { note_fail "the late NOTIFY was not answered 481"; break; }
	sleep 0.1
done
pn_alive_check phone
[ "$(pn_count phone pnp_notify)" = 0 ] || note_fail "the late NOTIFY was taken"
[ "$(pn_count phone provisioned)" = 0 ] || note_fail "provisioned from a late NOTIFY"
[ -e "$T/state/provisioned.conf" ] && note_fail "a state file was written"

# Another event package, out of any dialog: 481, and no PnP event.
python3 - "$T/mwi.log" <<'PYEOF' || note_fail "the message-summary NOTIFY was not answered 481"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(3)
port = s.getsockname()[1]
body = "Messages-Waiting: yes\r\n"
msg = ("NOTIFY sip:00163e5a1b2c@127.0.0.1:5060 SIP/2.0\r\n"
       "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKmwi1\r\n"
       "Max-Forwards: 70\r\n"
       "From: <sip:voicemail@127.0.0.1>;tag=mwi1\r\n"
       "To: <sip:00163e5a1b2c@127.0.0.1>\r\n"
       "Call-ID: mwi-late-1\r\n"
       "CSeq: 1 NOTIFY\r\n"
       "Event: message-summary\r\n"
       "Subscription-State: active\r\n"
       "Content-Type: application/simple-message-summary\r\n"
       "Content-Length: %d\r\n\r\n%s" % (port, len(body), body))
s.sendto(msg.encode(), ("127.0.0.1", 5060))
data = s.recv(65535).decode("utf-8", "replace")
open(sys.argv[1], "w").write(data)
sys.exit(0 if data.startswith("SIP/2.0 481 ") else 1)
PYEOF
sleep 0.3
[ "$(pn_count phone pnp_notify_late)" = 1 ] ||
	note_fail "a message-summary NOTIFY was reported as a late PnP NOTIFY"
pn_alive_check phone
pn_stop phone || note_fail "phone did not exit cleanly"
pn_done

#!/bin/bash
# pnp_http.sh - out of the box: PnP finds the server, HTTP brings the file,
# the phone registers the provisioned account at kamailio.
# The responder answers the multicast SUBSCRIBE and sends the NOTIFY byte
# for byte as the AudioCodes seed shows (unswapped From/To, no To tag).
# Checks: the SUBSCRIBE's shape (Request-URI, Event, Expires 0, Accept,
# Contact, Supported, User-Agent); the phone answers the NOTIFY 200; the
# events pnp_discovering, pnp_response, pnp_notify, provisioning_fetch,
# provisioned; registered at kamailio; the file kept in the state dir,
# mode 0600; --show-config says where each value comes from; a restart
# with PnP unanswered starts on the last good file and registers.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/provisioning/lib.sh"

kam_start "$KAM_PORT"
account_file "$T/www/$MAC.cfg"
http_start
responder_start pnp "http://127.0.0.1:8088/"
prov_conf "$T/phone.conf"
pn_start phone "$T/phone.conf"

pn_expect phone pnp_discovering
pn_expect phone pnp_response '.code == 200'
pn_expect phone pnp_notify ".url == \"http://127.0.0.1:8088/$MAC.cfg\""
pn_expect phone provisioning_fetch '.bytes > 100'
pn_expect phone provisioned '(.changed | index("account.aor")) != null'
expect_registered phone

sub=$(awk '/^=== .* to group/{p=1; next} /^===/{p=0} p' "$T/pnp.log")
for re in '^SUBSCRIBE sip:224\.0\.1\.75:5060 SIP/2\.0' \
	'^(Event|o): ua-profile;profile-type="application";vendor="pnphone";model="440HD";version="' \
	'^Expires: 0' '^Accept: application/url' \
	"^(Contact|m): <sip:$MAC@127\\.0\\.0\\.1:5060>" '^Supported: ' \
	'^User-Agent: pnphone/' '^Via: SIP/2\.0/UDP 127\.0\.0\.1(:5060)?;rport'; do
	grep -Eq "$re" <<<"$sub" || note_fail "SUBSCRIBE lacks $re"
done
grep -q '^SIP/2.0 200 OK' <(awk '/to unicast/{p=1; next} /^===/{p=0} p' "$T/pnp.log") ||
	note_fail "the phone did not answer the seed's NOTIFY 200 OK"

[ "$(stat -c %a "$T/state/provisioned.conf")" = 600 ] ||
	note_fail "state file mode is not 0600"
grep -q "^provisioning.url = http://127.0.0.1:8088/$MAC.cfg" "$T/state/provisioned.conf" ||
	note_fail "the learned URL is not kept"
"$PNPHONE" --config "$T/phone.conf" --show-config >"$T/show" ||
	note_fail "--show-config failed"
grep -Eq '^account.aor +provisioned +sip:alice@127.0.0.1$' "$T/show" ||
	note_fail "--show-config: account.aor not from provisioned"
grep -Eq '^provisioning.mac +local +' "$T/show" ||
	note_fail "--show-config: provisioning.mac not local"
grep -Eq '^call.waiting +default +on$' "$T/show" ||
	note_fail "--show-config: call.waiting not default"
grep -q secret "$T/show" && note_fail "--show-config shows the password"

pn_stop phone || note_fail "phone did not exit cleanly"

# Second boot: nobody answers PnP now; after the 5 s window the last
# good file runs.
kill "${PN_PID[pnp]}"
kill "${PN_PID[http]}"
pn_start phone2 "$T/phone.conf"
expect_registered phone2
pn_expect phone2 pnp_timeout '' 8
pn_stop phone2 || note_fail "phone2 did not exit cleanly"
pn_done

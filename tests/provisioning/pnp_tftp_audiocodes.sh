#!/bin/bash
# pnp_tftp_audiocodes.sh - the seed's own NOTIFY body, "tftp://127.0.0.1"
# (no path: the phone asks for <mac>.cfg), served by tftpd-hpa, holding an
# AudioCodes 400HD-style file (voip/line/0/..., ';' comments, keys pnphone
# ignores).  Checks: the URL, the mapped
# keys (aor, registrar, display name, period), registration at kamailio;
# then `provision` with the file unchanged: "unchanged", no re-register.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/provisioning/lib.sh"

kam_start "$KAM_PORT"
sed "s/@PORT@/$KAM_PORT/" "$PDIR/audiocodes.cfg.in" >"$T/tftp/$MAC.cfg"
chmod 644 "$T/tftp/$MAC.cfg"
tftp_start
responder_start pnp "tftp://127.0.0.1"
prov_conf "$T/phone.conf"
pn_start phone "$T/phone.conf"

pn_expect phone pnp_notify ".url == \"tftp://127.0.0.1/$MAC.cfg\""
pn_expect phone provisioning_fetch '.bytes > 200'
pn_expect phone provisioned '(.changed | index("account.display_name")) != null'
expect_registered phone
"$PNPHONE" --config "$T/phone.conf" --show-config >"$T/show"
for kv in "account.aor +provisioned +sip:alice@127.0.0.1" \
	"account.registrar +provisioned +sip:127.0.0.1:$KAM_PORT" \
	"account.display_name +provisioned +Alice Example" \
	"provisioning.period +provisioned +86400" \
	"account.expires +provisioned +600"; do
	grep -Eq "^$kv\$" "$T/show" || note_fail "--show-config lacks $kv"
done

pn_cmd phone provision
pn_expect phone provisioned '.unchanged == true'
sleep 0.5
[ "$(pn_count phone registered)" = 1 ] ||
	note_fail "an unchanged file made the phone register again"
pn_stop phone || note_fail "phone did not exit cleanly"
pn_done

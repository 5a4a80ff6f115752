#!/bin/sh
# JSON events carry the English explanation in "explain" for scripts, and
# the localised one in "explain_local" only when the language is not
# English.  A registration to a closed TCP port fails at once with 503.
set -u
. "${top_srcdir:-.}/tests/i18n/lib.sh"
i18n_requirements
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A TCP port nothing listens on: bind one, note it, let it go.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) ||
	port=9
conf() {
	cat <<EOC
sip.listen = udp:127.0.0.1:0,tcp:127.0.0.1:0
account.aor = sip:alice@127.0.0.1
account.register = on
account.registrar = sip:127.0.0.1:$port;transport=tcp
provisioning.state_dir = $tmp/state
$1
EOC
}
conf 'ui.language = fa' > "$tmp/fa.conf"
conf '' > "$tmp/en.conf"

# run CONF: pnphone --json until the first registration_failed (at most
# 10 s), then SIGINT.
run() {
	# Emptied here, not only by the redirection below: that one happens
	# in the child, and a poll before it would find the last run's event
	# (and kill the child before it even started).
	: > "$tmp/out"
	LANG=C.UTF-8 "$PNPHONE" --json --config "$1" < /dev/null \
		> "$tmp/out" 2> "$tmp/err" &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q registration_failed "$tmp/out"; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -INT $pid 2>/dev/null
	wait $pid
	grep registration_failed "$tmp/out" | head -n 1 > "$tmp/event"
	[ -s "$tmp/event" ] || { cat "$tmp/out" "$tmp/err"; fail "no registration_failed event"; }
}

"$MSGIDS" 503 > "$tmp/ids" || fail "no catalogue entry for 503"
explain=$(sed -n 2p "$tmp/ids")
local_fa=$(po_lookup fa "$explain") || fail "fa.po: no translation of \"$explain\""

run "$tmp/fa.conf"
grep -qF "\"explain\":\"$explain\"" "$tmp/event" ||
	{ cat "$tmp/event"; fail "fa: explain is not the English text"; }
grep -qF "\"explain_local\":\"$local_fa\"" "$tmp/event" ||
	{ cat "$tmp/event"; fail "fa: explain_local is not the Persian text"; }
grep -qF '"reason":"Service Unavailable"' "$tmp/event" ||
	{ cat "$tmp/event"; fail "fa: the reason phrase changed"; }
echo "ok: ui.language=fa: explain in English, explain_local in Persian"

run "$tmp/en.conf"
grep -qF "\"explain\":\"$explain\"" "$tmp/event" ||
	{ cat "$tmp/event"; fail "en: explain is not the English text"; }
if grep -q '"explain_local"' "$tmp/event"; then
	cat "$tmp/event"
	fail "en: explain_local present for English"
fi
echo "ok: English: explain only"
exit 0

#!/bin/sh
# ui.language selects the language whatever LANG says: with LANG=C.UTF-8
# and with LANG=C (where glibc ignores LANGUAGE), "ui.language = vi" and
# "ui.language = fa" print the catalogue's text byte for byte.  Needs no
# fa_IR or vi_VN locale.
set -u
. "${top_srcdir:-.}/tests/i18n/lib.sh"
i18n_requirements
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '# test\nui.language = vi\n' > "$tmp/vi.conf"
printf 'ui.language = fa\n' > "$tmp/fa.conf"

explain_expected vi 403 > "$tmp/vi.exp"
explain_expected fa 403 > "$tmp/fa.exp"

LANG=C.UTF-8 "$PNPHONE" --config "$tmp/vi.conf" --explain 403 > "$tmp/out" ||
	fail "pnphone failed"
check_explain "LANG=C.UTF-8 ui.language=vi" "$tmp/vi.exp" "$tmp/out" \
	"403 Forbidden" "cấm" "máy chủ"
# --explain before --config: the configuration is still read first
LANG=C "$PNPHONE" --explain 403 --config "$tmp/vi.conf" > "$tmp/out" ||
	fail "pnphone failed"
check_explain "LANG=C ui.language=vi" "$tmp/vi.exp" "$tmp/out" "cấm"
LANG=C.UTF-8 "$PNPHONE" --config "$tmp/fa.conf" --explain 403 > "$tmp/out" ||
	fail "pnphone failed"
check_explain "LANG=C.UTF-8 ui.language=fa" "$tmp/fa.exp" "$tmp/out" \
	"403 Forbidden" "رمز"
env -u LANG "$PNPHONE" --config "$tmp/fa.conf" --explain 403 > "$tmp/out" ||
	fail "pnphone failed"
check_explain "no LANG, ui.language=fa" "$tmp/fa.exp" "$tmp/out" "رمز"

# The key unset: LANG=C.UTF-8 stays English.
explain_expected en 403 > "$tmp/en.exp"
: > "$tmp/empty.conf"
LANG=C.UTF-8 "$PNPHONE" --config "$tmp/empty.conf" --explain 403 \
	> "$tmp/out" || fail "pnphone failed"
check_explain "LANG=C.UTF-8" "$tmp/en.exp" "$tmp/out" "refused"
exit 0

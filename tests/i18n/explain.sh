#!/bin/sh
# pnphone --explain under LANG=fa_IR.UTF-8, vi_VN.UTF-8 and C prints the
# catalogue's text, byte for byte (expected bytes from po/*.po and the
# table in code).  Skips only when a locale cannot be generated.
set -u
. "${top_srcdir:-.}/tests/i18n/lib.sh"
i18n_requirements
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
I18N_LOCPATH="$tmp/locales"
# An empty configuration: a system pnphone.conf must not set ui.language.
: > "$tmp/empty.conf"

have_locale fa_IR.UTF-8 || skip "cannot generate the fa_IR.UTF-8 locale"
have_locale vi_VN.UTF-8 || skip "cannot generate the vi_VN.UTF-8 locale"

run() {
	_lang=$1
	shift
	env $I18N_ENV LANG="$_lang" "$PNPHONE" --config "$tmp/empty.conf" "$@"
}

for code in 403 180 486; do
	explain_expected en $code > "$tmp/en.exp"
	explain_expected fa $code > "$tmp/fa.exp"
	explain_expected vi $code > "$tmp/vi.exp"
	run fa_IR.UTF-8 --explain $code > "$tmp/fa.out" || fail "pnphone failed"
	run vi_VN.UTF-8 --explain $code > "$tmp/vi.out" || fail "pnphone failed"
	run C --explain $code > "$tmp/en.out" || fail "pnphone failed"
	case $code in
	403)
		check_explain "fa 403" "$tmp/fa.exp" "$tmp/fa.out" \
			"403 Forbidden" "سرور" "رمز" "account.password"
		check_explain "vi 403" "$tmp/vi.exp" "$tmp/vi.out" \
			"403 Forbidden" "máy chủ" "cấm" "kiểm tra"
		check_explain "C 403" "$tmp/en.exp" "$tmp/en.out" \
			"403 Forbidden" "refused" "check account.user"
		;;
	*)
		check_explain "fa $code" "$tmp/fa.exp" "$tmp/fa.out" "تماس"
		check_explain "vi $code" "$tmp/vi.exp" "$tmp/vi.out" "bạn gọi"
		check_explain "C $code" "$tmp/en.exp" "$tmp/en.out" "you called"
		;;
	esac
done

# LC_MESSAGES alone selects the language too; LANGUAGE refines it.
env $I18N_ENV LANG=C LC_MESSAGES=vi_VN.UTF-8 "$PNPHONE" \
	--config "$tmp/empty.conf" --explain 403 > "$tmp/out"
explain_expected vi 403 > "$tmp/exp"
check_explain "LC_MESSAGES=vi_VN.UTF-8" "$tmp/exp" "$tmp/out"
env $I18N_ENV LANG=vi_VN.UTF-8 LANGUAGE=fa "$PNPHONE" \
	--config "$tmp/empty.conf" --explain 403 > "$tmp/out"
explain_expected fa 403 > "$tmp/exp"
check_explain "LANG=vi_VN.UTF-8 LANGUAGE=fa" "$tmp/exp" "$tmp/out"

# ui.language wins over LANG, and "en" gives English back.
printf 'ui.language = vi\n' > "$tmp/vi.conf"
printf 'ui.language = en\n' > "$tmp/en.conf"
explain_expected vi 403 > "$tmp/exp"
env $I18N_ENV LANG=fa_IR.UTF-8 "$PNPHONE" --config "$tmp/vi.conf" \
	--explain 403 > "$tmp/out"
check_explain "LANG=fa_IR.UTF-8 ui.language=vi" "$tmp/exp" "$tmp/out"
explain_expected en 403 > "$tmp/exp"
env $I18N_ENV LANG=vi_VN.UTF-8 "$PNPHONE" --config "$tmp/en.conf" \
	--explain 403 > "$tmp/out"
check_explain "LANG=vi_VN.UTF-8 ui.language=en" "$tmp/exp" "$tmp/out"
exit 0

#!/bin/sh
# The catalogues are complete and valid: every source file with _() or
# N_() is listed in po/POTFILES.in, every message of the current sources is
# translated in po/fa.po and po/vi.po (none fuzzy, none untranslated), and
# msgfmt --check accepts both.  When a message changes, update the
# catalogues with "make -C po update-po" and translate what it marks.
set -u
. "${top_srcdir:-.}/tests/i18n/lib.sh"
grep -q '^#define ENABLE_NLS 1' "$top_builddir/config.h" ||
	skip "NLS disabled (configure --disable-nls)"
for t in xgettext msgmerge msgfmt msgattrib; do
	command -v $t >/dev/null 2>&1 ||
		fail "$t not found: install gettext (tools/bootstrap)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. POTFILES.in lists every source that marks text (outside comments),
# and only files that exist.
grep -v '^#' "$PO/POTFILES.in" | grep . | sort > "$tmp/listed"
while read -r f; do
	[ -f "$top_srcdir/$f" ] || fail "po/POTFILES.in: $f does not exist"
done < "$tmp/listed"
(cd "$top_srcdir" && find . \( -path ./tests -o -path ./bench -o \
	-path ./_build -o -path ./.git -o -path './pnphone-*' \) -prune -o \
	\( -name '*.c' -o -name '*.h' \) -print) | sed 's|^\./||' | sort |
while read -r f; do
	if grep -E '(^|[^A-Za-z0-9_])N?_\("' "$top_srcdir/$f" |
	   grep -qvE '^[[:space:]]*(/?\*|//)'; then
		echo "$f"
	fi
done > "$tmp/marked"
comm -13 "$tmp/listed" "$tmp/marked" > "$tmp/unlisted"
if [ -s "$tmp/unlisted" ]; then
	echo "sources with _() or N_() missing from po/POTFILES.in:"
	cat "$tmp/unlisted"
	fail "po/POTFILES.in is out of date"
fi
echo "ok: po/POTFILES.in lists the $(wc -l < "$tmp/marked") marked sources"

# 2. The messages of the sources as they are now (the options of po/Makevars).
xgettext --default-domain=pnphone --directory="$top_srcdir" \
	--files-from="$PO/POTFILES.in" --keyword=_ --keyword=N_ --keyword=P_:1,2 \
	--from-code=UTF-8 --output="$tmp/pnphone.pot" ||
	fail "xgettext failed"

status=0
for l in fa vi; do
	msgfmt --check --output-file=/dev/null "$PO/$l.po" ||
		fail "msgfmt --check rejects po/$l.po"
	msgmerge --quiet --output-file="$tmp/$l.po" "$PO/$l.po" \
		"$tmp/pnphone.pot" || fail "msgmerge failed on po/$l.po"
	stats=$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null \
		"$tmp/$l.po" 2>&1)
	case $stats in
	*fuzzy* | *untranslated*)
		echo "po/$l.po against the sources: $stats"
		echo "-- not translated (or changed) in po/$l.po:"
		msgattrib --no-wrap --no-location --only-fuzzy "$tmp/$l.po" |
			grep '^msgid ' | grep -v '^msgid ""$'
		msgattrib --no-wrap --no-location --untranslated "$tmp/$l.po" |
			grep '^msgid ' | grep -v '^msgid ""$'
		status=1
		;;
	*)
		echo "ok: po/$l.po: $stats"
		;;
	esac
done
[ $status -eq 0 ] || fail "catalogues incomplete: run make -C po update-po and translate"
exit 0

# tests/i18n/lib.sh - sourced by the translation tests.
#
# The harness exports top_builddir and top_srcdir (tests/local.mk).  The
# catalogues come from the build tree (po/locale, see po/Rules-locale); the
# expected texts come from the .po files, independently of gettext().

: "${top_builddir:=.}"
: "${top_srcdir:=.}"
: "${MSGCAT:=msgcat}"
PNPHONE="$top_builddir/pnphone"
MSGIDS="$top_builddir/tests/i18n/status_msgids"
PO="$top_srcdir/po"
PNPHONE_LOCALEDIR="$top_builddir/po/locale"
export PNPHONE_LOCALEDIR
unset LANGUAGE LC_ALL LC_MESSAGES LC_CTYPE

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

i18n_requirements() {
	grep -q '^#define ENABLE_NLS 1' "$top_builddir/config.h" ||
		skip "NLS disabled (configure --disable-nls)"
	command -v "$MSGCAT" >/dev/null 2>&1 ||
		fail "$MSGCAT not found: install gettext (tools/bootstrap)"
	[ -x "$PNPHONE" ] || fail "$PNPHONE not built"
	[ -x "$MSGIDS" ] || fail "$MSGIDS not built"
	for l in fa vi; do
		[ -f "$PNPHONE_LOCALEDIR/$l/LC_MESSAGES/pnphone.mo" ] ||
			fail "$PNPHONE_LOCALEDIR/$l/LC_MESSAGES/pnphone.mo missing"
	done
}

# po_lookup LANG MSGID: the msgstr of MSGID in po/LANG.po; fails when the
# entry is missing, fuzzy or untranslated.  Single-line msgids only (every
# catalogue text is one line).
po_lookup() {
	_id=$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g')
	_str=$("$MSGCAT" --no-wrap --no-location "$PO/$1.po" | awk -v id="$_id" '
		/^#,.*fuzzy/ { fuzzy = 1; next }
		/^$/ { fuzzy = 0; next }
		$0 == "msgid \"" id "\"" { want = !fuzzy; next }
		want && /^msgstr "/ { print substr($0, 9, length($0) - 9); exit }
		/^msgid / { want = 0 }')
	[ -n "$_str" ] || return 1
	printf '%s' "$_str" | sed 's/\\"/"/g; s/\\\\/\\/g'
}

# have_locale NAME: NAME (e.g. fa_IR.UTF-8) is usable by setlocale().  When
# the system lacks it, compile it into $I18N_LOCPATH with localedef (no
# root needed) and add LOCPATH to $I18N_ENV, the environment to run pnphone
# with; false only when the locale cannot be generated at all.
I18N_ENV=""
have_locale() {
	_base=${1%%.*}
	if locale -a 2>/dev/null | grep -qi "^$_base\.utf-\{0,1\}8\$"; then
		return 0
	fi
	command -v localedef >/dev/null 2>&1 || return 1
	[ -n "${I18N_LOCPATH:-}" ] || return 1
	mkdir -p "$I18N_LOCPATH"
	localedef -c -i "$_base" -f UTF-8 "$I18N_LOCPATH/$1" >/dev/null 2>&1
	[ -f "$I18N_LOCPATH/$1/LC_CTYPE" ] || return 1
	I18N_ENV="LOCPATH=$I18N_LOCPATH"
}

# explain_expected LANG CODE: what "pnphone --explain CODE" prints in LANG
# (en, fa or vi), built from the table in code (status_msgids) and, for
# fa and vi, the msgstrs of po/LANG.po.  Exits the test on a missing text.
explain_expected() {
	"$MSGIDS" "$2" > "$tmp/ids" || fail "no catalogue entry for $2"
	{ read -r _reason; read -r _explain; read -r _hint; read -r _action; } \
		< "$tmp/ids"
	_label=pnphone
	if [ "$1" != en ]; then
		_explain=$(po_lookup "$1" "$_explain") ||
			fail "$1.po: no translation of \"$_explain\""
		if [ -n "$_hint" ]; then
			_hint=$(po_lookup "$1" "$_hint") ||
				fail "$1.po: no translation of \"$_hint\""
		fi
		_action=$(po_lookup "$1" "$_action") ||
			fail "$1.po: no translation of \"$_action\""
		_label=$(po_lookup "$1" pnphone) ||
			fail "$1.po: no translation of \"pnphone\""
	fi
	printf '%s %s \342\200\224 %s' "$2" "$_reason" "$_explain"
	[ -z "$_hint" ] || printf '; %s' "$_hint"
	printf '\n    %s: %s\n' "$_label" "$_action"
}

# check_explain NAME EXPECTED-FILE ACTUAL-FILE WORD...: byte for byte, and
# each WORD present (so that an empty or English catalogue cannot pass).
check_explain() {
	_name=$1 _exp=$2 _act=$3
	shift 3
	if ! cmp -s "$_exp" "$_act"; then
		echo "$_name: expected:"; cat "$_exp"
		echo "$_name: got:"; cat "$_act"
		fail "$_name: output differs from the catalogue"
	fi
	for _w in "$@"; do
		grep -qF -- "$_w" "$_act" || fail "$_name: '$_w' not in the output"
	done
	echo "ok: $_name"
}

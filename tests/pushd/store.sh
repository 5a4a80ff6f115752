#!/bin/bash
# store.sh - the store is never silently emptied: a missing store, a
# corrupt one, another program's SQLite file and an existing file given
# to --init-store are reported (exit 1) and left byte for byte as they
# were; subscribers and ksids survive a restart; a bad configuration
# exits 2 naming the file, line and key.
PN_BASE=36300
. "$(dirname "$0")/lib.sh"

gw_conf
"$PUSHD" --config "$T/gw.conf" --json >/dev/null 2>"$T/e"
check "missing store: exit" 1 "$?"
grep -q "store.db is missing" "$T/e" || note_fail "missing store not reported: $(cat "$T/e")"
[ -e "$T/store.db" ] && note_fail "a missing store was created"

gw_init
"$PUSHD" --config "$T/gw.conf" --init-store >/dev/null 2>"$T/e"
check "--init-store over a store: exit" 1 "$?"
grep -q "exists already" "$T/e" || note_fail "not reported: $(cat "$T/e")"

gw_start
k=$(subscribe 02:00:00:00:00:01 5001 "$(port 61)")
k2=$(subscribe 02:00:00:00:00:02 5002 "$(port 62)")
gw_stop
gw_start
check "subscribers after restart" 2 "$(pn_grep gw ready | tail -n1 | jq .subscribers)"
check "same ksid after restart" "$k2" "$(subscribe 02:00:00:00:00:02 5002 "$(port 62)")"
check "a new phone gets a new ksid" 3 "$(subscribe 02:00:00:00:00:03 5003 "$(port 63)")"
gw_stop

# corrupt: overwrite the middle of the file
cp "$T/store.db" "$T/good.db"
sz=$(stat -c %s "$T/store.db")
printf 'garbage%.0s' $(seq 200) | dd of="$T/store.db" bs=1 seek=$((sz / 2)) conv=notrunc 2>/dev/null
# and the header too, so that even opening fails
printf 'this is not sqlite at all, sorry' | dd of="$T/store.db" bs=1 seek=0 conv=notrunc 2>/dev/null
sum=$(md5sum <"$T/store.db")
"$PUSHD" --config "$T/gw.conf" --json >/dev/null 2>"$T/e"
check "corrupt store: exit" 1 "$?"
grep -q "left as it is" "$T/e" || note_fail "corrupt store not reported: $(cat "$T/e")"
check "corrupt store untouched" "$sum" "$(md5sum <"$T/store.db")"

# a damaged page inside a valid file: quick_check finds it
cp "$T/good.db" "$T/store.db"
rm -f "$T/store.db-wal" "$T/store.db-shm"
python3 - "$T/store.db" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
ps = int.from_bytes(b[16:18], "big") or 65536
# smash the page header of every page after the schema page
for off in range(ps, len(b), ps):
    b[off:off + 8] = b"\xff" * 8
open(p, "wb").write(b)
PY
sum=$(md5sum <"$T/store.db")
"$PUSHD" --config "$T/gw.conf" --json >/dev/null 2>"$T/e"
check "damaged pages: exit" 1 "$?"
grep -qE "corrupt|not a readable|malformed" "$T/e" || note_fail "damaged store not reported: $(cat "$T/e")"
check "damaged store untouched" "$sum" "$(md5sum <"$T/store.db")"

# another program's database
rm -f "$T/store.db"*
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("create table t(x)"); d.commit()' "$T/store.db"
"$PUSHD" --config "$T/gw.conf" --json >/dev/null 2>"$T/e"
check "foreign database: exit" 1 "$?"
grep -q "not a pnphone-pushd store" "$T/e" || note_fail "foreign db not reported: $(cat "$T/e")"

# configuration errors
printf 'pushd.listen = 127.0.0.1:1\nevent.1.published = maybe\n' >"$T/bad.conf"
"$PUSHD" --config "$T/bad.conf" --check-config >/dev/null 2>"$T/e"
check "bad value: exit" 2 "$?"
check "bad value: message" "pnphone-pushd: $T/bad.conf:2: event.1.published: 'maybe' is not on/off, yes/no, true/false or 1/0" "$(cat "$T/e")"
printf 'event.1.nam = x\n' >"$T/bad.conf"
"$PUSHD" --config "$T/bad.conf" --check-config >/dev/null 2>"$T/e"
check "unknown key: exit" 2 "$?"
grep -q "bad.conf:1: event.1.nam: unknown key" "$T/e" || note_fail "unknown key: $(cat "$T/e")"
"$PUSHD" --config "$top_srcdir/etc/pnphone-pushd.conf" --check-config >/dev/null 2>"$T/e" ||
	note_fail "the sample configuration is not valid: $(cat "$T/e")"
"$PUSHD" --keys | grep -q '^event\.\*\.text' || note_fail "--keys does not list event.*.text"
pn_done

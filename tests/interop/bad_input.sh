#!/bin/bash
# bad_input.sh - the phone survives bad input of every kind.
#  1. config errors: an unknown key, a value out of range -> exit status 2
#     and a stderr message naming FILE:LINE and the key; a line without
#     "=" -> exit status 2 naming FILE:LINE.
#  2. a registrar that answers garbage (a python3 UDP responder on
#     PN_BASE+45: random bytes, NULs, a broken status line, an oversized
#     reply, a 200 whose Content-Length lies) -> registration_failed
#     (the REGISTER times out: 408 after 32 s, or a transport error), and
#     the phone keeps running and answers status.
#  3. an unreachable registrar (PN_BASE+46, nothing listens) ->
#     registration_failed; the phone still answers status.
#  4. garbage sent to the phone's own SIP port (random datagrams, a 60 KB
#     datagram, a truncated INVITE, headers without values) -> the phone
#     still answers status, and still answers a SIP OPTIONS with 200.
#  5. unknown / malformed CLI commands (an unknown word, dial without a
#     URI, a 20000-character line, an empty line) -> error events for the
#     bad ones, and the phone keeps running; quit exits 0.
#  6. help, status and quit already waiting on stdin when the phone
#     starts (a script that does not wait for ready): help is answered,
#     status is refused with "the phone is starting" (not "provisioning":
#     there is none), and the phone exits 0 instead of running on.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22600
. "$top_srcdir/tests/interop/lib.sh"
need python3 sipp

# ---- 1. configuration errors
# conf_error NAME LINE [KEY]: $T/NAME.conf (already written) must be
# refused with exit status 2 and a message naming FILE:LINE (and KEY).
conf_error() {
	local name=$1 line=$2 key=${3:-} rc
	timeout 10 "$PNPHONE" --config "$T/$name.conf" --json </dev/null \
		>"$T/$name.stdout" 2>"$T/$name.stderr"
	rc=$?
	[ "$rc" = 2 ] || note_fail "$name: exit status $rc, expected 2 ($(head -c 300 "$T/$name.stderr"))"
	grep -qF "$T/$name.conf:$line" "$T/$name.stderr" ||
		note_fail "$name: stderr does not name $T/$name.conf:$line: $(head -c 300 "$T/$name.stderr")"
	[ -z "$key" ] || grep -qF "$key" "$T/$name.stderr" ||
		note_fail "$name: stderr does not name the key $key: $(head -c 300 "$T/$name.stderr")"
	log "$name: status $rc, $(head -n 1 "$T/$name.stderr")"
}
printf '%s\n' "sip.listen = udp:127.0.0.1:$(port 12)" "# a comment" \
	"foo.bar = 1" "account.register = off" >"$T/unknown_key.conf"
conf_error unknown_key 3 foo.bar
printf '%s\n' "sip.listen = udp:127.0.0.1:$(port 12)" "" \
	"account.register = off" "account.expires = 5" >"$T/out_of_range.conf"
conf_error out_of_range 4 account.expires
printf '%s\n' "sip.listen = udp:127.0.0.1:$(port 12)" \
	"account.register off" >"$T/no_equals.conf"
conf_error no_equals 2

# ---- 2. + 3. bad registrars
cat >"$T/garbage.py" <<'PY'
# Answers every UDP datagram on 127.0.0.1:PORT with garbage.
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    data, peer = s.recvfrom(65535)
    print("request from %s:%d, %d bytes" % (peer[0], peer[1], len(data)), flush=True)
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]
    for reply in (os.urandom(300),
                  b"\x00" * 64,
                  b"SIP/2.0 abc Broken\r\n" + b"\r\n".join(head) + b"\r\n\r\n",
                  b"SIP/2.0 200 OK\r\n" + b"\r\n".join(head)
                      + b"\r\nContent-Length: 99999\r\n\r\nshort",
                  b"SIP/2.0 200 OK\r\n" + b"X-Long: " + b"A" * 20000 + b"\r\n\r\n",
                  data[::-1]):
        s.sendto(reply, peer)
PY
python3 "$T/garbage.py" "$(port 45)" >"$T/garbage.log" 2>&1 &
PN_PID["garbage"]=$!
PN_PIDS+=("$!")
wait_port udp "$(port 45)" || fail "the garbage responder did not start"

pn_conf_std "$T/p1.conf" 10 20 "account.register=on" \
	"account.registrar=sip:127.0.0.1:$(port 45)"
pn_start p1 "$T/p1.conf"
pn_conf_std "$T/p2.conf" 11 30 "account.register=on" \
	"account.registrar=sip:127.0.0.1:$(port 46)"
pn_start p2 "$T/p2.conf"
pn_expect p1 ready
pn_expect p2 ready

ev=$(pn_wait p2 registration_failed true 40) ||
	fail "unreachable registrar: no registration_failed within 40 s"
log "p2 (unreachable registrar) -> $ev"
pn_alive_check p2

# ---- 4. garbage to the phone's own SIP port
cat >"$T/spray.py" <<'PY'
# Sends malformed datagrams to 127.0.0.1:PORT.
import os, socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
msgs = [os.urandom(n) for n in (1, 20, 500, 1400)]
msgs += [b"\x00" * 100, b"\r\n\r\n", b"A" * 60000,
         b"INVITE sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1\r\n",
         b"INVITE sip:alice@127.0.0.1 SIP/2.0\r\nVia:\r\nFrom:\r\nTo:\r\n"
         b"Call-ID:\r\nCSeq: x INVITE\r\nContent-Length: 10\r\n\r\n",
         b"OPTIONS sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;"
         b"branch=z9hG4bKx\r\nContent-Length: 99999999999999999999\r\n\r\n",
         b"SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\n\r\n"]
for m in msgs:
    s.sendto(m, ("127.0.0.1", port))
print("sent %d datagrams" % len(msgs))
PY
python3 "$T/spray.py" "$(port 11)" >"$T/spray.log" 2>&1 || fail "spray.py failed"
sleep 1
pn_alive_check p2
(cd "$T" && sipp -sf "$IDIR/sipp/uac_options.xml" "127.0.0.1:$(port 11)" \
	-nostdin -m 1 -i 127.0.0.1 -p "$(port 2)" -mp "$(port 58)" \
	-timeout 5s -timeout_error) </dev/null >"$T/options.screen" 2>&1 ||
	note_fail "after the garbage the phone no longer answers OPTIONS with 200"

# ---- 5. bad CLI input
pn_cmd p2 "frobnicate now"
pn_expect p2 error
n=$(pn_count p2 error)
pn_cmd p2 "dial"
pn_wait_count p2 error $((n + 1)) true 5 >/dev/null ||
	note_fail "'dial' without a URI gave no error event"
n=$(pn_count p2 error)
pn_cmd p2 "$(head -c 20000 /dev/zero | tr '\0' 'x')"
pn_wait_count p2 error $((n + 1)) true 5 >/dev/null ||
	note_fail "a 20000-character line gave no error event"
pn_cmd p2 ""
pn_alive_check p2

# ---- 6. quit before ready: read while sofia's nua_create() steps the
# loop, before there is a UA to quit
pn_conf_std "$T/early.conf" 13 50 provisioning.pnp=off
# a fifo filled before the phone starts (held open here: no EOF, and the
# lines are there at the loop's first step, whatever the machine's load)
mkfifo "$T/early.in" || fail "mkfifo"
exec {early}<>"$T/early.in"
printf 'help\nstatus\nquit\n' >&"$early"
timeout 10 "$PNPHONE" --config "$T/early.conf" --json <"$T/early.in" \
	>"$T/early.out" 2>"$T/early.err"
rc=$?
exec {early}>&-
[ "$rc" = 0 ] || note_fail "quit on stdin at start: exit status $rc, expected 0 ($(tail -c 300 "$T/early.out"))"
grep -q '"message":"the phone is starting"' "$T/early.out" ||
	note_fail "status before ready: $(head -c 300 "$T/early.out")"
grep -q '"event":"help"' "$T/early.out" ||
	note_fail "help before ready was not answered: $(head -c 300 "$T/early.out")"

# ---- 2. (the slow one: the REGISTER has to time out)
ev=$(pn_wait p1 registration_failed true 40) ||
	fail "garbage registrar: no registration_failed within 40 s"
log "p1 (garbage registrar) -> $ev"
[ -s "$T/garbage.log" ] || note_fail "the garbage registrar never got a REGISTER"
pn_alive_check p1

pn_stop p1 || note_fail "p1 did not exit 0 after quit"
pn_stop p2 || note_fail "p2 did not exit 0 after quit"
pn_done

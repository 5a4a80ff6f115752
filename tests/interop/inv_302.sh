#!/bin/bash
# inv_302.sh - the callee redirects (sipp/inv_302.xml answers 302 with
# Contact <sip:bob@127.0.0.1:PN_BASE+1>; sipp/inv_200.xml there answers).
# Checks: call_redirected code 302 naming the new target, the phone ACKs
# the 302 and does not retry the first sipp, the call gets established at
# the target (codec pcmu), hangup sends BYE there, call_ended by local;
# both sipps pass; quit exits 0.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PN_BASE=22200
. "$top_srcdir/tests/interop/lib.sh"
need sipp

sipp_start redir inv_302.xml "$(port 0)" -key other_port "$(port 1)"
sipp_start target inv_200.xml "$(port 1)"
pn_conf_std "$T/alice.conf" 10 20
pn_start alice "$T/alice.conf"
pn_expect alice ready

pn_cmd alice "dial sip:bob@127.0.0.1:$(port 0)"
ev=$(pn_wait alice call_redirected '.code == 302') || fail "no call_redirected with code 302"
log "got $ev"
jq -e --arg p ":$(port 1)" '(.to // "") | contains($p)' <<<"$ev" >/dev/null ||
	note_fail "call_redirected does not name the new target sip:bob@127.0.0.1:$(port 1) in \"to\": $ev"
pn_expect alice call_established '.codec == "pcmu"'
pn_cmd alice "hangup"
pn_expect alice call_ended '.by == "local"'
sipp_expect target
sipp_expect redir
pn_stop alice || fail "pnphone did not exit 0 after quit"
pn_done

# Interop tests: real peers (kamailio, sipp, baresip) on 127.0.0.1.
# Each test owns a block of 100 ports (PN_BASE in the script, 21000 +
# 100*N) and a temp dir, so make -j check can run them side by side.
# tests/interop/check-scenarios (not run by make check) plays every sipp
# scenario against a sipp UAC in sipp/uac/, to check the scenarios
# themselves without the phone.
INTEROP_TESTS = \
	tests/interop/reg_401.sh \
	tests/interop/reg_407.sh \
	tests/interop/reg_423.sh \
	tests/interop/reg_302.sh \
	tests/interop/reg_403.sh \
	tests/interop/reg_503.sh \
	tests/interop/reg_refresh_auth.sh \
	tests/interop/reg_failover.sh \
	tests/interop/reg_fallback.sh \
	tests/interop/keepalive_auth.sh \
	tests/interop/stalled_ui.sh \
	tests/interop/reg_refresh_503.sh \
	tests/interop/inv_486.sh \
	tests/interop/inv_487.sh \
	tests/interop/inv_183.sh \
	tests/interop/inv_491.sh \
	tests/interop/reinvite_ends.sh \
	tests/interop/inv_401.sh \
	tests/interop/inv_302.sh \
	tests/interop/inv_300.sh \
	tests/interop/inv_422.sh \
	tests/interop/hangup.sh \
	tests/interop/refusals.sh \
	tests/interop/tcp_contact.sh \
	tests/interop/multihomed.sh \
	tests/interop/call_p2p.sh \
	tests/interop/call_waiting.sh \
	tests/interop/transfer.sh \
	tests/interop/kamailio_register.sh \
	tests/interop/baresip_call.sh \
	tests/interop/bad_input.sh

TESTS += $(INTEROP_TESTS)

EXTRA_DIST += $(INTEROP_TESTS) \
	tests/interop/lib.sh \
	tests/interop/check-scenarios \
	tests/interop/kamailio.cfg.in \
	tests/interop/sipp/reg_200.xml \
	tests/interop/sipp/reg_refresh_503.xml \
	tests/interop/sipp/reg_302.xml \
	tests/interop/sipp/reg_401.xml \
	tests/interop/sipp/reg_403.xml \
	tests/interop/sipp/reg_407.xml \
	tests/interop/sipp/reg_423.xml \
	tests/interop/sipp/reg_503.xml \
	tests/interop/sipp/reg_fallback.xml \
	tests/interop/sipp/reg_leave_401.xml \
	tests/interop/sipp/reg_refresh_auth.xml \
	tests/interop/sipp/reg_options_401.xml \
	tests/interop/sipp/inv_183.xml \
	tests/interop/sipp/inv_200.xml \
	tests/interop/sipp/inv_200_lan.xml \
	tests/interop/sipp/inv_300.xml \
	tests/interop/sipp/inv_302.xml \
	tests/interop/sipp/inv_603.xml \
	tests/interop/sipp/inv_401.xml \
	tests/interop/sipp/inv_422.xml \
	tests/interop/sipp/inv_486.xml \
	tests/interop/sipp/inv_487.xml \
	tests/interop/sipp/inv_491.xml \
	tests/interop/sipp/inv_408.xml \
	tests/interop/sipp/inv_cancel_200.xml \
	tests/interop/sipp/inv_answer_unusable.xml \
	tests/interop/sipp/uac_reinvite_488.xml \
	tests/interop/sipp/uac_reinvite_480.xml \
	tests/interop/sipp/uac_refer_outside.xml \
	tests/interop/sipp/uac_info_outside.xml \
	tests/interop/sipp/uac_bye_after_ack.xml \
	tests/interop/sipp/uac_refused.xml \
	tests/interop/sipp/uac_options.xml \
	tests/interop/sipp/uac_options_404.xml \
	tests/interop/sipp/uac_register_kam.xml \
	tests/interop/sipp/uac/uac_inv_183.xml \
	tests/interop/sipp/uac/uac_inv_302.xml \
	tests/interop/sipp/uac/uac_inv_401.xml \
	tests/interop/sipp/uac/uac_inv_422.xml \
	tests/interop/sipp/uac/uac_inv_486.xml \
	tests/interop/sipp/uac/uac_inv_487.xml \
	tests/interop/sipp/uac/uac_inv_491.xml \
	tests/interop/sipp/uac/uac_inv_408.xml \
	tests/interop/sipp/uac/uac_inv_basic.xml \
	tests/interop/sipp/uac/uac_reg_302.xml \
	tests/interop/sipp/uac/uac_reg_403.xml \
	tests/interop/sipp/uac/uac_reg_423.xml \
	tests/interop/sipp/uac/uac_reg_503.xml \
	tests/interop/sipp/uac/uac_reg_auth.xml \
	tests/interop/sipp/uac/uac_reg_refresh.xml \
	tests/interop/sipp/uac/uac_reg_simple.xml

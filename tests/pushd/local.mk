# tests/pushd/: pnphone-pushd, the event push gateway (ports 36000-36999).
#   test_conf_table  cmocka: conf_new_table and pattern keys (conf/)
#   test_pushd_api   cmocka: request parser, messageResponse, templates,
#                    the event catalogue's codes
PUSHD_UNIT_TESTS = tests/pushd/test_conf_table tests/pushd/test_pushd_api
if HAVE_CMOCKA
check_PROGRAMS += $(PUSHD_UNIT_TESTS)
TESTS += $(PUSHD_UNIT_TESTS)
endif
tests_pushd_test_conf_table_SOURCES = tests/pushd/test_conf_table.c
tests_pushd_test_conf_table_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pushd_test_conf_table_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)
tests_pushd_test_pushd_api_SOURCES = tests/pushd/test_pushd_api.c
tests_pushd_test_pushd_api_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_pushd_test_pushd_api_LDADD = $(PUSHD_LIBS) $(CMOCKA_LIBS)

# Over real HTTP on 127.0.0.1, with curl, python3 (agent_sim.py: a
# simulated Push Agent), sipp registrars and two real pnphone phones:
#   codes.sh    every response code in XML and JSON, bad input
#   deliver.sh  retries, refusals, bounded concurrency, status, kill -9
#   e2e.sh      two phones subscribe, restart, text, invalidSubscribers,
#               priorityService barge vs 205
#   store.sh    missing/corrupt store reported, restart persistence,
#               configuration errors
PUSHD_SH_TESTS = tests/pushd/codes.sh tests/pushd/deliver.sh \
	tests/pushd/e2e.sh tests/pushd/store.sh
TESTS += $(PUSHD_SH_TESTS)
EXTRA_DIST += $(PUSHD_SH_TESTS) tests/pushd/lib.sh tests/pushd/agent_sim.py

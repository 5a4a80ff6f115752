# Unit tests: one cmocka program per module.
UNIT_TESTS = tests/unit/test_conf tests/unit/test_status tests/unit/test_state \
	tests/unit/test_cli tests/unit/test_event tests/unit/test_dynlib \
	tests/unit/test_root
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
UNIT_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
endif

tests_unit_test_conf_SOURCES = tests/unit/test_conf.c
tests_unit_test_conf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_conf_LDADD = $(UNIT_LDADD)
tests_unit_test_status_SOURCES = tests/unit/test_status.c
tests_unit_test_status_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_status_LDADD = $(UNIT_LDADD)
tests_unit_test_state_SOURCES = tests/unit/test_state.c
tests_unit_test_state_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_state_LDADD = $(UNIT_LDADD)
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c
tests_unit_test_cli_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cli_LDADD = $(UNIT_LDADD)
tests_unit_test_event_SOURCES = tests/unit/test_event.c
tests_unit_test_event_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_event_LDADD = $(UNIT_LDADD)
tests_unit_test_dynlib_SOURCES = tests/unit/test_dynlib.c
tests_unit_test_dynlib_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dynlib_LDADD = $(UNIT_LDADD)
tests_unit_test_root_SOURCES = tests/unit/test_root.c
tests_unit_test_root_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_root_LDADD = $(UNIT_LDADD)

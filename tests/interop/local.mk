# Interop tests: real peers (kamailio, sipp, baresip) on 127.0.0.1.
INTEROP_TESTS =
TESTS += $(INTEROP_TESTS)
EXTRA_DIST += $(INTEROP_TESTS) tests/interop/lib.sh

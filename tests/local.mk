# tests/: unit tests (cmocka) and interop tests against real peers.
AM_TESTS_ENVIRONMENT = \
	top_builddir='$(abs_top_builddir)'; top_srcdir='$(abs_top_srcdir)'; \
	export top_builddir top_srcdir;

include tests/unit/local.mk
include tests/interop/local.mk
include tests/i18n/local.mk
include tests/push/local.mk
include tests/pushd/local.mk
include tests/media/local.mk
include tests/provisioning/local.mk
EXTRA_DIST += tests/valgrind.supp

# tests/i18n/: the translations (po/) and the choice of language.
#   test_i18n       every catalogue text translated in fa and vi, seed
#                   meanings, Persian letters, ui.language over LANG=C
#   explain.sh      --explain under fa_IR/vi_VN/C locales, byte for byte
#   language.sh     ui.language with LANG=C and C.UTF-8
#   json.sh         "explain" stays English, "explain_local" translated
#   po-complete.sh  POTFILES.in, and fa.po/vi.po against the sources
# They read the catalogues from po/locale in the build tree (po/Rules-locale).
I18N_SH_TESTS = tests/i18n/explain.sh tests/i18n/language.sh \
	tests/i18n/json.sh tests/i18n/po-complete.sh
check_PROGRAMS += tests/i18n/status_msgids
TESTS += $(I18N_SH_TESTS)
EXTRA_DIST += $(I18N_SH_TESTS) tests/i18n/lib.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/i18n/test_i18n
TESTS += tests/i18n/test_i18n
endif

tests_i18n_status_msgids_SOURCES = tests/i18n/status_msgids.c
tests_i18n_status_msgids_LDADD = libpnphone.a $(PN_LIBS)
tests_i18n_test_i18n_SOURCES = tests/i18n/test_i18n.c
tests_i18n_test_i18n_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_i18n_test_i18n_LDADD = libpnphone.a $(CMOCKA_LIBS) $(PN_LIBS)

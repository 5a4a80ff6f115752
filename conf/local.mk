# conf/: the key = value configuration (parse, validate, typed access, save);
# common/: gettext, and the libraries opened when first needed.
libpnphone_a_SOURCES += conf/conf.c conf/conf.h conf/keys.c common/i18n.h \
	common/i18n.c common/dynlib.c common/dynlib.h \
	common/curl_dl.c common/curl_dl.h common/root.c common/root.h \
	common/route.c common/route.h

# ua/: the SIP user agent on sofia-sip, the phone state, the status
# catalogue, the CLI and main().
bin_PROGRAMS += pnphone
libpnphone_a_SOURCES += \
	ua/status.c ua/status.h \
	ua/state.c ua/state.h \
	ua/event.c ua/event.h \
	ua/cli.c ua/cli.h \
	ua/ua.c ua/ua.h ua/ua_priv.h \
	ua/reg.c ua/call.c
pnphone_SOURCES = ua/main.c
pnphone_LDADD = libpnphone.a $(PN_LIBS)

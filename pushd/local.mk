# pushd/: pnphone-pushd, the event push gateway (Volt MX event push API
# in, Avaya-style pushes out), built on push/ (HTTP server, libcurl on
# the loop, safe XML) and conf/ (its own key table).
#   keys     the gateway's configuration keys   catalog  events and apps
#   api      the Volt MX request and response   tmpl     {name} texts
#   store    SQLite: subscribers, messages,     deliver  bounded, retried
#            deliveries, attempts                        pushes
#   gateway  the HTTP routes                    main.c   the program
noinst_LIBRARIES += libpnphone_pushd.a
libpnphone_pushd_a_SOURCES = \
	pushd/keys.c pushd/keys.h \
	pushd/catalog.c pushd/catalog.h \
	pushd/tmpl.c pushd/tmpl.h \
	pushd/api.c pushd/api.h \
	pushd/store.c pushd/store.h \
	pushd/deliver.c pushd/deliver.h \
	pushd/gateway.c pushd/gateway.h
libpnphone_pushd_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
# pushd calls libxml2 and libcurl itself (pnphone opens them on demand)
PUSHD_LIBS = libpnphone_pushd.a libpnphone.a $(PN_LIBS) $(XML_LIBS) \
	$(CURL_LIBS) $(SQLITE_LIBS)

bin_PROGRAMS += pnphone-pushd
pnphone_pushd_SOURCES = pushd/main.c
pnphone_pushd_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
pnphone_pushd_LDADD = $(PUSHD_LIBS)

dist_sysconf_DATA += etc/pnphone-pushd.conf

# bench/pushd's simulated phones, built on demand: make bench/pushd-sink
EXTRA_PROGRAMS = bench/pushd-sink
bench_pushd_sink_SOURCES = bench/pushd_sink.c
bench_pushd_sink_LDADD = libpnphone.a $(PN_LIBS)
CLEANFILES += bench/pushd-sink

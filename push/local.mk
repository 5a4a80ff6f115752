# push/: the Push Agent (Avaya push interface) and pnphone-push.
#   status   the 16 x-Push-Status codes        tps     TPSLIST matching
#   form     XMLData out of a request body     msg     push message and
#   decide   the decision table                        content (libxml2)
#   fetch    libcurl multi on the su_root      http    libmicrohttpd on it
#   sub      the subscription service          agent   answer, pull, act
#   audio    an audio push played (media/stream.h receive path)
#   schema.c generated from etc/push.xsd (the one schema)
libpnphone_a_SOURCES += \
	push/status.c push/status.h \
	push/tps.c push/tps.h \
	push/form.c push/form.h \
	push/msg.c push/msg.h \
	push/decide.c push/decide.h \
	push/fetch.c push/fetch.h \
	push/http.c push/http.h \
	push/sub.c push/sub.h \
	push/audio.c push/audio.h \
	push/agent.c push/agent.h
nodist_libpnphone_a_SOURCES = push/schema.c
CLEANFILES += push/schema.c
EXTRA_DIST += etc/push.xsd

# The schema goes into the program as a C string, so that the phone never
# depends on finding a file at run time.
push/schema.c: $(top_srcdir)/etc/push.xsd
	$(AM_V_GEN)$(MKDIR_P) push && { \
	  echo '/* Generated from etc/push.xsd by push/local.mk: do not edit. */'; \
	  echo 'extern const char push_schema_xsd[];'; \
	  echo 'const char push_schema_xsd[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/etc/push.xsd; \
	  echo ';'; } >$@-t && mv $@-t $@

# pnphone-push: the Push Initiator (and a trusted push server for one push)
bin_PROGRAMS += pnphone-push
pnphone_push_SOURCES = push/pnphone_push.c
pnphone_push_LDADD = libpnphone.a $(PN_LIBS) $(CURL_LIBS)

# media/: SDP, RTP/RTCP, codecs, jitter buffer, audio devices, the stream.
libpnphone_a_SOURCES += media/sdp.c media/sdp.h \
	media/rtpport.c media/rtpport.h \
	media/g711.c media/g711.h \
	media/wav.c media/wav.h \
	media/ring.c media/ring.h \
	media/audio.c media/audio.h \
	media/rtp.c media/rtp.h \
	media/rtcp.c media/rtcp.h \
	media/jbuf.c media/jbuf.h \
	media/codec.c media/codec.h \
	media/stream.c media/stream.h \
	media/wavsend.c media/wavsend.h \
	media/player.c media/player.h \
	media/clock.c media/clock.h
# speexdsp (the resampler) is media's own dependency.
AM_CFLAGS += $(SPEEXDSP_CFLAGS)
PN_LIBS += $(SPEEXDSP_LIBS)

# media/: SDP media description and RTP port reservation (the RTP engine,
# codecs and devices are the media issue's).
libpnphone_a_SOURCES += media/sdp.c media/sdp.h media/rtpport.c media/rtpport.h

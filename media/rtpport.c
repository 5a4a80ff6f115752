/*
 * rtpport.c - bind an even/odd UDP port pair for RTP and RTCP.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "media/rtpport.h"

struct media_rtpport {
	int rtp_fd, rtcp_fd;
	unsigned port;
};

static int bind_udp(const char *addr, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			return errno = EINVAL, -1;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			return errno = EINVAL, -1;
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;

		close(fd);
		return errno = e, -1;
	}
	return fd;
}

media_rtpport_t *media_rtpport_open(const char *addr, unsigned min,
				    unsigned max)
{
	media_rtpport_t *p;
	unsigned first, span, i;

	if (!addr || min < 1024 || max > 65535 || max <= min)
		return errno = EINVAL, NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	min += min & 1;              /* RTP on the even port of the pair */
	span = (max - min + 1) / 2;  /* number of whole pairs */
	if (span == 0) {
		free(p);
		return errno = EINVAL, NULL;
	}
	/* A random start spreads calls over the range and makes the ports
	 * of the next call harder to guess. */
	first = (unsigned)random() % span;
	for (i = 0; i < span; i++) {
		unsigned port = min + 2 * ((first + i) % span);

		p->rtp_fd = bind_udp(addr, port);
		if (p->rtp_fd < 0) {
			if (errno == EADDRINUSE)
				continue;
			break;
		}
		p->rtcp_fd = bind_udp(addr, port + 1);
		if (p->rtcp_fd < 0) {
			int e = errno;

			close(p->rtp_fd);
			errno = e;
			if (e == EADDRINUSE)
				continue;
			break;
		}
		p->port = port;
		return p;
	}
	if (i == span)
		errno = EADDRINUSE;
	free(p);
	return NULL;
}

media_rtpport_t *media_rtpport_open_at(const char *addr, unsigned port)
{
	if (port == 0 || port > 65534)
		return errno = EINVAL, NULL;
	return media_rtpport_open(addr, port, port + 1);
}

unsigned media_rtpport_port(const media_rtpport_t *p)
{
	return p->port;
}

int media_rtpport_rtp_fd(const media_rtpport_t *p)
{
	return p->rtp_fd;
}

int media_rtpport_rtcp_fd(const media_rtpport_t *p)
{
	return p->rtcp_fd;
}

void media_rtpport_close(media_rtpport_t *p)
{
	if (!p)
		return;
	close(p->rtp_fd);
	close(p->rtcp_fd);
	free(p);
}

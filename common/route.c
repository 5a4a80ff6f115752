/*
 * route.c - the kernel's source address toward a peer (see route.h).
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "common/route.h"

bool pn_route_source(const char *peer, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd;
	bool ok;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, peer, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, peer, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		len = sizeof(*s6);
	} else {
		return false;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&ss, len) == 0 &&
	     getsockname(fd, (struct sockaddr *)&ss, &len) == 0;
	close(fd);
	if (!ok)
		return false;
	if (ss.ss_family == AF_INET6)
		return inet_ntop(AF_INET6, &s6->sin6_addr, buf,
				 (socklen_t)size) != NULL;
	return inet_ntop(AF_INET, &s4->sin_addr, buf,
			 (socklen_t)size) != NULL;
}

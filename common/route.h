/*
 * route.h - which of this host's addresses the kernel would send from.
 *
 * A connected UDP socket sends nothing: connect() only asks the routing
 * table for the route to PEER, and getsockname() then gives the source
 * address of that route.  This is how the phone finds its address on
 * the network a PBX, a peer or the PnP multicast group is on, without
 * DNS and without blocking (ua/ for sip.listen's wildcard and the SDP,
 * provisioning/ for PnP, push/ for the subscription's address).
 *
 *   char me[64];
 *   if (pn_route_source("192.0.2.1", me, sizeof(me))) ... me is numeric
 */
#ifndef PN_COMMON_ROUTE_H
#define PN_COMMON_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

/* PEER: a numeric IPv4 or IPv6 address (no brackets).  Writes the
 * numeric source address into BUF; false when PEER is not numeric or
 * there is no route to it. */
bool pn_route_source(const char *peer, char *buf, size_t size);

#endif

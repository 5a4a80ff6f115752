/*
 * ring.c - SPSC sample ring with free-running indices.
 *
 * head and tail only grow (modulo size_t); their difference is the level,
 * and masking gives the slot.  The producer publishes tail with release
 * after writing the samples, the consumer reads it with acquire before
 * reading them, and the same the other way round for head.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "media/ring.h"

struct media_ring {
	size_t mask;
	_Atomic size_t head;     /* next sample to read (consumer owns) */
	_Atomic size_t tail;     /* next slot to write (producer owns) */
	bool filling;            /* media_ring_play waits (consumer owns) */
	int16_t buf[];
};

media_ring_t *media_ring_new(size_t capacity)
{
	size_t size = 1;
	media_ring_t *r;

	while (size < capacity)
		size <<= 1;
	r = calloc(1, sizeof(*r) + size * sizeof(int16_t));
	if (!r)
		return NULL;
	r->mask = size - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->filling = true;
	return r;
}

void media_ring_free(media_ring_t *r)
{
	free(r);
}

static void copy_in(media_ring_t *r, size_t at, const int16_t *pcm, size_t n)
{
	size_t i = at & r->mask, first = r->mask + 1 - i;

	if (first > n)
		first = n;
	memcpy(r->buf + i, pcm, first * sizeof(int16_t));
	memcpy(r->buf, pcm + first, (n - first) * sizeof(int16_t));
}

static void copy_out(const media_ring_t *r, size_t at, int16_t *pcm, size_t n)
{
	size_t i = at & r->mask, first = r->mask + 1 - i;

	if (first > n)
		first = n;
	memcpy(pcm, r->buf + i, first * sizeof(int16_t));
	memcpy(pcm + first, r->buf, (n - first) * sizeof(int16_t));
}

size_t media_ring_write(media_ring_t *r, const int16_t *pcm, size_t n)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t space = r->mask + 1 - (tail - head);

	if (n > space)
		n = space;
	copy_in(r, tail, pcm, n);
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

size_t media_ring_read(media_ring_t *r, int16_t *pcm, size_t n)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (n > tail - head)
		n = tail - head;
	if (pcm)
		copy_out(r, head, pcm, n);
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	return n;
}

size_t media_ring_skip(media_ring_t *r, size_t n)
{
	return media_ring_read(r, NULL, n);
}

bool media_ring_play(media_ring_t *r, int16_t *pcm, size_t n, size_t fill)
{
	size_t got = 0;
	bool dry = false;

	if (r->filling && media_ring_level(r) >= fill + n)
		r->filling = false;
	if (!r->filling) {
		got = media_ring_read(r, pcm, n);
		if (got < n) {
			dry = true;
			r->filling = true;
		}
	}
	memset(pcm + got, 0, (n - got) * sizeof(int16_t));
	return dry;
}

size_t media_ring_level(const media_ring_t *r)
{
	size_t head = atomic_load_explicit(&((media_ring_t *)r)->head,
					   memory_order_acquire);
	size_t tail = atomic_load_explicit(&((media_ring_t *)r)->tail,
					   memory_order_acquire);

	return tail - head;
}

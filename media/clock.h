/*
 * clock.h - the media pacing clock: wake at a deadline on the monotonic
 * clock, from the su_root loop.
 *
 * Audio runs on 20 ms deadlines.  A su_timer runs on the realtime clock
 * (su_now(): a phone that sets its time by NTP mid-call would move it)
 * and counts whole milliseconds, firing up to one early (common/root.h:
 * sofia's loop cannot wait for less).  This clock is a timerfd on the
 * monotonic clock with absolute deadlines, registered in the root like a
 * socket, so the kernel wakes the loop when the deadline is reached, to
 * its own precision.
 *
 *   media_clock_t *c = media_clock_new(root, on_tick, arg);
 *   media_clock_at(c, media_clock_now_ms() + 20);
 *   ... on_tick(arg) runs once per media_clock_at() ...
 *   media_clock_free(c);
 *
 * The 20 ms pacers (stream, player, wavsend) use media_clock_every()
 * instead: the kernel keeps the period, and a tick costs no
 * timerfd_settime(); each stops its clock when it is done.  Ticks
 * the loop was too late for are not called one by one: FN reads the
 * time and catches up.
 *
 * FN may call media_clock_at() or media_clock_every() again, or free the
 * clock.
 */
#ifndef PN_MEDIA_CLOCK_H
#define PN_MEDIA_CLOCK_H

#include <stdint.h>

struct su_root_s;
typedef struct media_clock media_clock_t;
typedef void media_clock_f(void *arg);

/* Milliseconds, and microseconds, on CLOCK_MONOTONIC. */
uint64_t media_clock_now_ms(void);
uint64_t media_clock_now_us(void);

/* NULL (errno set) when no timerfd can be made or watched. */
media_clock_t *media_clock_new(struct su_root_s *root, media_clock_f *fn,
			       void *arg);
/* Call FN once at DUE_MS (media_clock_now_ms's scale); a deadline already
 * past fires at once.  Replaces the deadline set before. */
void media_clock_at(media_clock_t *c, uint64_t due_ms);
/* Call FN at FIRST_MS and then every PERIOD_MS (> 0) until stopped or
 * replaced by another deadline. */
void media_clock_every(media_clock_t *c, uint64_t first_ms,
		       unsigned period_ms);
/* No more calls of FN. */
void media_clock_stop(media_clock_t *c);
void media_clock_free(media_clock_t *c);

#endif /* PN_MEDIA_CLOCK_H */

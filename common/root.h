/*
 * root.h - the su_root every pnphone program runs on, without sofia's
 * busy wait before each timer.
 *
 * sofia-sip's loop waits for its next su_timer with epoll_wait() and a
 * timeout in whole milliseconds, rounded down: it wakes up to 1 ms
 * before the timer is due and then calls epoll_wait(..., 0) again and
 * again until it is.  nua has a timer every second for as long as it
 * runs; in a call, where the 20 ms media tick wakes the loop at any
 * phase, that made some 580 epoll_wait a second instead of 54, half a
 * millisecond of CPU spinning.
 *
 * pn_root_create() hooks the loop (its one prepoll function): before the
 * loop computes its wait, the timers due within the next millisecond are
 * run.  A timer may so fire up to 1 ms early, which is the resolution
 * sofia's timers have anyway (su_duration_t is in ms).  Timers that need
 * better (the media clock, media/clock.h) are timerfds, not su_timers.
 *
 *   su_root_t *root = pn_root_create(magic);
 *   ... su_root_run(root) ...
 *   su_root_destroy(root);
 */
#ifndef PN_COMMON_ROOT_H
#define PN_COMMON_ROOT_H

struct su_root_s;

/* su_root_create(MAGIC) with the hook; NULL when either fails. */
struct su_root_s *pn_root_create(void *magic);

#endif /* PN_COMMON_ROOT_H */

/*
 * clock.c - a timerfd with absolute deadlines, watched by the su_root.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#define SU_WAKEUP_ARG_T void
#include <sofia-sip/su_wait.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "media/clock.h"

struct media_clock {
	su_root_t *root;
	int fd;
	su_wait_t wait[1];
	int reg;
	media_clock_f *fn;
	void *arg;
};

uint64_t media_clock_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

uint64_t media_clock_now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static int on_expired(su_root_magic_t *m, su_wait_t *w, void *arg)
{
	media_clock_t *c = arg;
	uint64_t n;

	(void)m;
	(void)w;
	/* nothing to read: stopped or re-armed since it woke the loop */
	if (read(c->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 0;
	c->fn(c->arg);   /* may free C */
	return 0;
}

media_clock_t *media_clock_new(su_root_t *root, media_clock_f *fn,
			       void *arg)
{
	media_clock_t *c = calloc(1, sizeof(*c));
	int err;

	if (!c)
		return NULL;
	c->root = root;
	c->fn = fn;
	c->arg = arg;
	c->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (c->fd < 0 || su_wait_create(c->wait, c->fd, SU_WAIT_IN) < 0)
		goto fail;
	c->reg = su_root_register(root, c->wait, on_expired, c, 0);
	if (c->reg <= 0) {
		su_wait_destroy(c->wait);
		goto fail;
	}
	return c;
fail:
	err = errno;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	errno = err;
	return NULL;
}

void media_clock_at(media_clock_t *c, uint64_t due_ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(due_ms / 1000),
			      .tv_nsec = (long)(due_ms % 1000) * 1000000 },
	};

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;   /* zero would disarm it */
	(void)timerfd_settime(c->fd, TFD_TIMER_ABSTIME, &its, NULL);
}

void media_clock_every(media_clock_t *c, uint64_t first_ms,
			unsigned period_ms)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(first_ms / 1000),
			      .tv_nsec = (long)(first_ms % 1000) * 1000000 },
		.it_interval = { .tv_sec = (time_t)(period_ms / 1000),
				 .tv_nsec = (long)(period_ms % 1000) * 1000000 },
	};

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	(void)timerfd_settime(c->fd, TFD_TIMER_ABSTIME, &its, NULL);
}

void media_clock_stop(media_clock_t *c)
{
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };

	(void)timerfd_settime(c->fd, 0, &off, NULL);
}

void media_clock_free(media_clock_t *c)
{
	if (!c)
		return;
	su_root_deregister(c->root, c->reg);
	close(c->fd);
	free(c);
}

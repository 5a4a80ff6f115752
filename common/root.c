/*
 * root.c - su_root_create() plus a prepoll hook that runs the timers
 * sofia would otherwise busy-wait for.
 */
#include "config.h"

#define SU_ROOT_MAGIC_T void
#include <sofia-sip/su_wait.h>

#include "common/root.h"

/* Runs at the top of every loop iteration, before sofia expires its
 * timers and rounds the time to the next one down to whole ms. */
static void run_nearly_due(su_prepoll_magic_t *m, su_root_t *root)
{
	su_timer_queue_t *timers = su_task_timers(su_root_task(root));
	su_duration_t unused = SU_WAIT_FOREVER;

	(void)m;
	if (timers)
		su_timer_expire(timers, &unused, su_time_add(su_now(), 1));
}

su_root_t *pn_root_create(void *magic)
{
	su_root_t *root = su_root_create(magic);

	if (root && su_root_add_prepoll(root, run_nearly_due, NULL) < 0) {
		su_root_destroy(root);
		root = NULL;
	}
	return root;
}

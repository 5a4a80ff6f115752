/*
 * status.c - the 16 x-Push-Status codes (seed 000, Avaya table 6).
 */
#include "config.h"

#include "common/i18n.h"
#include "push/status.h"

static const struct {
	int code;
	int http;
	const char *reason;
	const char *meaning;
} table[] = {
	{ 200, 200, "Push Message Accepted",
	  N_("the phone accepted the push and fetches the content") },
	{ 201, 200, "Push Services Disabled",
	  N_("push is disabled on the phone: its push.tpslist is empty") },
	{ 202, 200, "Internal Error: Push Aborted",
	  N_("the phone could not process the push: busy with another one "
	     "(send it again), or short of a library or of memory (its "
	     "push_rejected event says which)") },
	{ 204, 200, "Not in Push State: Push Accepted",
	  N_("the phone is busy (text entry); the page is kept and shown "
	     "when the phone returns to idle; send it as barge to show it "
	     "now") },
	{ 205, 200, "Not In Push State: Push Aborted",
	  N_("the phone's state refuses this push (text entry, a ringing or "
	     "held call, a local procedure); try barge") },
	{ 208, 200, "Not in Audio Push State: Push Aborted",
	  N_("the phone refuses audio now (on a call, ringing, already "
	     "playing pushed audio, a local procedure); try barge") },
	{ 301, 200, "XML document not valid",
	  N_("the push message does not follow the push schema") },
	{ 302, 200, "XML document not well-formed",
	  N_("the push message is not well-formed XML") },
	{ 303, 200, "No element found",
	  N_("the push message is empty, or there is no XMLData field") },
	{ 304, 200, "Unknown encoding",
	  N_("the push message declares an encoding the phone does not "
	     "support (use UTF-8 or ISO-8859-1)") },
	{ 305, 200, "Invalid root element",
	  N_("the root element of the push message is not <Push>") },
	{ 306, 200, "Empty Post Content",
	  N_("method=\"post\" needs at least one <postfield>") },
	{ 307, 200, "Push Content too large",
	  N_("the push message is larger than 5 KB") },
	{ 402, 403, "Push security failure",
	  N_("the href is not on the phone's trusted push server list "
	     "(push.tpslist), or is not http:// or https://") },
	{ 501, 200, "Invalid Push URI",
	  N_("the href is not a full URL, or is longer than 1024 "
	     "characters") },
	{ 503, 200, "Subscription Service Unavailable",
	  N_("no subscription server is configured (push.subscribelist), "
	     "or a subscribe push came less than a minute after the last") },
};

#define N (sizeof(table) / sizeof(table[0]))

static int find(int code)
{
	for (size_t i = 0; i < N; i++)
		if (table[i].code == code)
			return (int)i;
	return -1;
}

const char *push_status_reason(int code)
{
	int i = find(code);

	return i < 0 ? NULL : table[i].reason;
}

int push_status_http(int code)
{
	int i = find(code);

	return i < 0 ? 500 : table[i].http;
}

const char *push_status_meaning(int code)
{
	int i = find(code);

	return i < 0 ? _("not an x-Push-Status code of the push interface")
		     : _(table[i].meaning);
}

bool push_status_accepted(int code)
{
	return code == PUSH_OK || code == PUSH_BACKGROUND;
}

size_t push_status_count(void)
{
	return N;
}

int push_status_at(size_t i)
{
	return i < N ? table[i].code : 0;
}

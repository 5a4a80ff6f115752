/*
 * test_msg.c - unit tests of push/msg.c, push/form.c and push/status.c:
 * every message-level x-Push-Status code, hostile XML (XXE, billion
 * laughs), the pulled content of each type, and the form decoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "push/form.h"
#include "push/msg.h"
#include "push/status.h"

static push_schema_t *sc;

static int setup(void **st)
{
	char err[128];

	(void)st;
	sc = push_schema_new(err, sizeof(err));
	return sc ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	push_schema_free(sc);
	return 0;
}

static int parse(const char *xml, push_msg_t **m)
{
	char why[256];
	push_msg_t *tmp = NULL;
	int code = push_msg_parse(sc, xml, strlen(xml), m ? m : &tmp, why,
				  sizeof(why));

	if (code != 200)
		assert_true(why[0] != '\0' || code == 202);
	push_msg_free(tmp);
	return code;
}

#define GO "<go href=\"http://127.0.0.1/t.xml\"/>"

static void test_valid(void **st)
{
	push_msg_t *m;

	(void)st;
	assert_int_equal(parse("<?xml version=\"1.0\"?><Push type=\"topline\""
			       " mode=\"barge\" alert=\"2\">" GO "</Push>", &m),
			 200);
	assert_int_equal(m->type, PUSH_TYPE_TOPLINE);
	assert_int_equal(m->mode, PUSH_MODE_BARGE);
	assert_int_equal(m->alert, 2);
	assert_false(m->post);
	assert_string_equal(m->href, "http://127.0.0.1/t.xml");
	assert_string_equal(m->form, "");
	push_msg_free(m);

	assert_int_equal(parse("<Push type=\"Top Line\">" GO "</Push>", &m),
			 200);
	assert_int_equal(m->type, PUSH_TYPE_TOPLINE);
	assert_int_equal(m->mode, PUSH_MODE_NORMAL);
	assert_int_equal(m->alert, 0);
	push_msg_free(m);

	assert_int_equal(parse("<Push type=\"DISPLAY\" mode=\"Normal\">" GO
			       "</Push>", &m), 200);
	assert_int_equal(m->type, PUSH_TYPE_DISPLAY);
	push_msg_free(m);

	assert_int_equal(parse("<Push type=\"audio\">" GO "</Push>", &m), 200);
	assert_int_equal(m->type, PUSH_TYPE_AUDIO);
	push_msg_free(m);

	assert_int_equal(parse("<Push type=\"subscribe\">" GO "</Push>", &m),
			 200);
	assert_int_equal(m->type, PUSH_TYPE_SUBSCRIBE);
	push_msg_free(m);

	assert_int_equal(parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
			       "<Push type=\"display\"><go href=\"http://h/x\""
			       " method=\"post\"><postfield name=\"a\" "
			       "value=\"1\"/><postfield name=\"b c\" "
			       "value=\"x&amp;y\xe9\"/></go></Push>", &m), 200);
	assert_true(m->post);
	assert_string_equal(m->form, "a=1&b%20c=x%26y%C3%A9");
	push_msg_free(m);
}

static void test_codes(void **st)
{
	char big[PUSH_MSG_MAX + 64];

	(void)st;
	/* 302 not well-formed */
	assert_int_equal(parse("<Push type=\"topline\"><go href=\"x\"></Push>",
			       NULL), 302);
	assert_int_equal(parse("<Push type=\"topline\">" GO "</Push><x/>",
			       NULL), 302);
	assert_int_equal(parse("<Push type=\"topline\">\x01" GO "</Push>",
			       NULL), 302);
	/* 303 no element: nothing, blanks, a prolog alone, or text that
	 * never opens an element */
	assert_int_equal(parse("\x01\x02 garbage", NULL), 303);
	assert_int_equal(parse("hello", NULL), 303);
	assert_int_equal(parse("", NULL), 303);
	assert_int_equal(parse("   \n", NULL), 303);
	assert_int_equal(parse("<?xml version=\"1.0\"?>", NULL), 303);
	/* 304 unknown encoding */
	assert_int_equal(parse("<?xml version=\"1.0\" encoding=\"x-nope-42\"?>"
			       "<Push type=\"topline\">" GO "</Push>", NULL),
			 304);
	assert_int_equal(parse("<?xml version=\"1.0\" encoding=\"KOI8-R\"?>"
			       "<Push type=\"topline\">" GO "</Push>", NULL),
			 304);
	/* 305 root */
	assert_int_equal(parse("<Response><Topline>x</Topline></Response>",
			       NULL), 305);
	assert_int_equal(parse("<push type=\"topline\">" GO "</push>", NULL),
			 305);
	/* 301 not valid */
	assert_int_equal(parse("<Push>" GO "</Push>", NULL), 301);
	assert_int_equal(parse("<Push type=\"receive\">" GO "</Push>", NULL),
			 301);
	assert_int_equal(parse("<Push type=\"topline\" mode=\"urgent\">" GO
			       "</Push>", NULL), 301);
	assert_int_equal(parse("<Push type=\"topline\" alert=\"4\">" GO
			       "</Push>", NULL), 301);
	assert_int_equal(parse("<Push type=\"topline\" colour=\"red\">" GO
			       "</Push>", NULL), 301);
	assert_int_equal(parse("<Push type=\"topline\"></Push>", NULL), 301);
	assert_int_equal(parse("<Push type=\"topline\">" GO GO "</Push>",
			       NULL), 301);
	assert_int_equal(parse("<Push type=\"topline\"><go/></Push>", NULL),
			 301);
	assert_int_equal(parse("<Push type=\"topline\"><go href=\"http://h/\""
			       " method=\"put\"/></Push>", NULL), 301);
	assert_int_equal(parse("<Push xmlns=\"urn:x\" type=\"topline\">" GO
			       "</Push>", NULL), 301);
	/* 306 post without postfield */
	assert_int_equal(parse("<Push type=\"topline\"><go href=\"http://h/\""
			       " method=\"post\"/></Push>", NULL), 306);
	assert_int_equal(parse("<Push type=\"topline\"><go href=\"http://h/\""
			       " method=\"POST\"></go></Push>", NULL), 306);
	/* 307 over 5 KB */
	memset(big, ' ', sizeof(big));
	memcpy(big, "<Push type=\"topline\">" GO, strlen("<Push type=\"topline\">" GO));
	strcpy(big + sizeof(big) - 10, "</Push>");
	assert_int_equal(parse(big, NULL), 307);
}

static void test_hostile(void **st)
{
	(void)st;
	/* XXE: refused at the DOCTYPE, nothing is read */
	assert_int_equal(parse("<?xml version=\"1.0\"?><!DOCTYPE Push ["
			       "<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
			       "<Push type=\"topline\"><go href=\"&x;\"/>"
			       "</Push>", NULL), 301);
	assert_int_equal(parse("<!DOCTYPE Push SYSTEM \"http://127.0.0.1:9/d\">"
			       "<Push type=\"topline\">" GO "</Push>", NULL),
			 301);
	/* billion laughs */
	assert_int_equal(parse("<?xml version=\"1.0\"?><!DOCTYPE lolz ["
		"<!ENTITY lol \"lol\">"
		"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
		"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
		"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
		"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
		"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
		"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
		"]><Push type=\"topline\"><go href=\"http://h/&lol9;\"/></Push>",
		NULL), 301);
	/* an undeclared entity is not well-formed */
	assert_int_equal(parse("<Push type=\"topline\"><go href=\"http://h/"
			       "&x;\"/></Push>", NULL), 302);
	/* XInclude is not processed: an unknown element, not valid */
	assert_int_equal(parse("<Push type=\"topline\" xmlns:xi=\"http://www."
			       "w3.org/2001/XInclude\">" GO "<xi:include "
			       "href=\"file:///etc/passwd\"/></Push>", NULL),
			 301);
}

/* The parser context is kept from push to push: whatever one message did
 * to it (stopped at a DOCTYPE, broke off mid-tag, named a thousand new
 * elements) must not change how the next one is read. */
static void test_parser_reuse(void **st)
{
	static const char *const bad[] = {
		"<!DOCTYPE Push [<!ENTITY x \"y\">]><Push type=\"topline\">"
		GO "</Push>",
		"<Push type=\"topline\"><go href=\"x\">",
		"<?xml version=\"1.0\" encoding=\"x-nope\"?><Push/>",
		"<Push type=\"topline\">&undeclared;" GO "</Push>",
		"",
	};
	static const int bad_code[] = { 301, 302, 304, 302, 303 };
	const char *good = "<Push type=\"topline\" mode=\"barge\">" GO
			   "</Push>";
	char xml[512];
	push_msg_t *m;

	(void)st;
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(parse(bad[i], NULL), bad_code[i]);
			m = NULL;
			assert_int_equal(parse(good, &m), 200);
			assert_non_null(m);
			assert_int_equal(m->mode, PUSH_MODE_BARGE);
			assert_string_equal(m->href, "http://127.0.0.1/t.xml");
			push_msg_free(m);
		}
	}
	/* some 6,000 distinct names: the context is rebuilt on the way */
	for (int i = 0; i < 1500; i++) {
		snprintf(xml, sizeof(xml), "<Push type=\"topline\" a%d=\"1\">"
			 GO "<e%d/><f%d/><g%d/></Push>", i, i, i, i);
		assert_int_equal(parse(xml, NULL), 301);
	}
	m = NULL;
	assert_int_equal(parse(good, &m), 200);
	push_msg_free(m);
}

static int content(push_type_t t, const char *xml, push_content_t **c)
{
	char why[256];
	push_content_t *tmp = NULL;
	int code = push_content_parse(sc, t, xml, strlen(xml), c ? c : &tmp,
				      why, sizeof(why));

	push_content_free(tmp);
	return code;
}

static void test_content(void **st)
{
	push_content_t *c;
	char big[2000];
	size_t chars = 0;

	(void)st;
	assert_int_equal(content(PUSH_TYPE_TOPLINE, "<?xml version=\"1.0\"?>"
		"<Response>\n <Topline>Stock Alert:\n  AV @ $15 </Topline>"
		"</Response>", &c), 200);
	assert_string_equal(c->text, "Stock Alert: AV @ $15");
	push_content_free(c);

	/* 312 characters at most (UTF-8 characters, not bytes) */
	strcpy(big, "<Response><Topline>");
	for (int i = 0; i < 400; i++)
		strcat(big, "\xc3\xa9");
	strcat(big, "</Topline></Response>");
	assert_int_equal(content(PUSH_TYPE_TOPLINE, big, &c), 200);
	for (const char *p = c->text; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	assert_int_equal(chars, PUSH_TOPLINE_MAX);
	assert_int_equal(strlen(c->text), 2 * PUSH_TOPLINE_MAX);
	push_content_free(c);

	assert_int_equal(content(PUSH_TYPE_AUDIO, "<Response><Audio "
		"packetsize=\"20\" codec=\"PCMA\"><AudioTimer value=\"99\"/>"
		"<Url href=\"RTPRx://127.0.0.1:4000\"/><Promptline>Hi"
		"</Promptline></Audio></Response>", &c), 200);
	assert_true(c->pcma);
	assert_int_equal(c->packetsize, 20);
	assert_int_equal(c->timer, 30);
	assert_string_equal(c->rtp_host, "127.0.0.1");
	assert_int_equal(c->rtp_port, 4000);
	assert_string_equal(c->text, "Hi");
	assert_false(c->stop);
	push_content_free(c);

	assert_int_equal(content(PUSH_TYPE_AUDIO, "<Response><Audio><Url "
		"href=\"RTPRx://STOP\"/></Audio></Response>", &c), 200);
	assert_true(c->stop);
	assert_false(c->pcma);
	assert_int_equal(c->packetsize, 40);
	assert_int_equal(c->timer, 20);
	push_content_free(c);
	assert_int_equal(content(PUSH_TYPE_AUDIO, "<Response><Audio><Url "
		"href=\"RTPRx://h:0\"/></Audio></Response>", NULL), 301);
	assert_int_equal(content(PUSH_TYPE_AUDIO, "<Response><Audio><Url "
		"href=\"http://h:4000\"/></Audio></Response>", NULL), 301);

	assert_int_equal(content(PUSH_TYPE_SUBSCRIBE, "<Response><Subscribe "
		"type=\"me\"><Url href=\"http://s/sub\"/></Subscribe>"
		"</Response>", &c), 200);
	assert_false(c->sub_all);
	assert_string_equal(c->sub_url, "http://s/sub");
	push_content_free(c);

	/* a WML page names its DTD: allowed, never loaded */
	assert_int_equal(content(PUSH_TYPE_DISPLAY, "<?xml version=\"1.0\"?>"
		"<!DOCTYPE wml PUBLIC \"-//WAPFORUM//DTD WML 1.1//EN\" "
		"\"http://127.0.0.1:9/wml_1.1.xml\"><wml><head><meta "
		"name=\"x\" content=\"y\"/></head><card id=\"c\" "
		"title=\"News\"><p>Line one<br/>line\n two</p></card></wml>",
		&c), 200);
	assert_string_equal(c->text, "Line one line two");
	assert_string_equal(c->title, "News");
	push_content_free(c);

	/* but no entity declarations, in any content */
	assert_int_equal(content(PUSH_TYPE_DISPLAY, "<!DOCTYPE wml [<!ENTITY "
		"x SYSTEM \"file:///etc/passwd\">]><wml>&x;</wml>", NULL), 301);
	assert_int_equal(content(PUSH_TYPE_TOPLINE, "<Topline>x</Topline>",
				 NULL), 305);
	assert_int_equal(content(PUSH_TYPE_TOPLINE, "<Response><Audio><Url "
		"href=\"RTPRx://STOP\"/></Audio></Response>", NULL), 301);
	assert_int_equal(content(PUSH_TYPE_TOPLINE, "<Response><Topline>",
				 NULL), 302);
	assert_int_equal(content(PUSH_TYPE_DISPLAY, "", NULL), 303);
}

static int form(const char *ctype, const char *body, char **out)
{
	size_t len;
	char *tmp = NULL;
	int code = push_form_xmldata(ctype, body, strlen(body),
				     out ? out : &tmp, &len);

	free(tmp);
	return code;
}

static void test_form(void **st)
{
	char *x;
	char buf[32] = "";

	(void)st;
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "a=1&XMLData=%3CPush+type%3D%22topline%22%2F%3E",
			      &x), 0);
	assert_string_equal(x, "<Push type=\"topline\"/>");
	free(x);
	assert_int_equal(form(NULL, "XMLData=<Push/>&b=2", &x), 0);
	assert_string_equal(x, "<Push/>");
	free(x);
	assert_int_equal(form("text/xml; charset=utf-8", "<Push/>", &x), 0);
	assert_string_equal(x, "<Push/>");
	free(x);
	assert_int_equal(form("application/octet-stream", " <Push/>", &x), 0);
	free(x);
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "XMLData=%3CPush%G0", NULL), 302);
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "XMLData=%3CPush%4", NULL), 302);
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "XMLData=%", NULL), 302);
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "xmldata=%3CPush/%3E", NULL), 303);
	assert_int_equal(form("application/x-www-form-urlencoded",
			      "XMLData=", NULL), 303);
	assert_int_equal(form("application/x-www-form-urlencoded", "", NULL),
			 303);
	assert_int_equal(form("text/xml", "", NULL), 303);

	assert_int_equal(push_form_append(buf, sizeof(buf), "a b", "1&2"), 0);
	assert_int_equal(push_form_append(buf, sizeof(buf), "rtpLPort",
					  "4000"), 0);
	assert_string_equal(buf, "a%20b=1%262&rtpLPort=4000");
	assert_int_equal(push_form_append(buf, sizeof(buf), "toolong", "x"),
			 -1);
	assert_string_equal(buf, "a%20b=1%262&rtpLPort=4000");
}

static void test_status(void **st)
{
	(void)st;
	assert_int_equal(push_status_count(), 16);
	for (size_t i = 0; i < push_status_count(); i++) {
		int code = push_status_at(i);

		assert_non_null(push_status_reason(code));
		assert_non_null(push_status_meaning(code));
		assert_int_equal(push_status_http(code),
				 code == 402 ? 403 : 200);
	}
	assert_string_equal(push_status_reason(205),
			    "Not In Push State: Push Aborted");
	assert_null(push_status_reason(203));
	assert_true(push_status_accepted(204));
	assert_false(push_status_accepted(205));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_parser_reuse),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

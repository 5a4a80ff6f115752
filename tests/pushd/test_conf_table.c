/*
 * test_conf_table.c - conf_new_table and pattern keys ("event.*.name"),
 * the generalisation of conf/ that pnphone-pushd's configuration uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"

static const conf_key_t table[] = {
	{ .name = "gw.port", .type = CONF_UINT, .def = "80", .min = 1,
	  .max = 65535, .help = "port" },
	{ .name = "event.*.name", .type = CONF_STRING, .def = "",
	  .help = "name" },
	{ .name = "event.*.on", .type = CONF_BOOL, .def = "on",
	  .help = "published" },
	{ .name = "event.*.level", .type = CONF_UINT, .def = "1", .min = 0,
	  .max = 3, .help = "level" },
	{ .name = "app.*.on", .type = CONF_BOOL, .def = "off",
	  .help = "published" },
};
#define N (sizeof(table) / sizeof(table[0]))

static int load(conf_t *c, const char *text, char *err, size_t errsz)
{
	return conf_load_buffer(c, "gw.conf", text, strlen(text), err, errsz);
}

static void test_fixed_and_defaults(void **state)
{
	conf_t *c = conf_new_table(table, N);
	char err[256];

	(void)state;
	assert_non_null(c);
	assert_int_equal(conf_uint(c, "gw.port"), 80);
	/* an id never given reads as the default */
	assert_true(conf_bool(c, "event.9.on"));
	assert_int_equal(conf_uint(c, "event.9.level"), 1);
	assert_false(conf_is_set(c, "event.9.on"));
	assert_int_equal(conf_id_count(c, "event"), 0);
	/* the phone's keys are not in this table */
	assert_int_equal(conf_set(c, "account.aor", "sip:a@b", err,
				  sizeof(err)), -1);
	assert_string_equal(err, "account.aor: unknown key");
	assert_int_equal(conf_table_count(c), N);
	assert_string_equal(conf_table_at(c, 1)->name, "event.*.name");
	assert_null(conf_table_at(c, N));
	conf_free(c);
}

static void test_ids(void **state)
{
	conf_t *c = conf_new_table(table, N);
	char err[256], id[16];

	(void)state;
	assert_int_equal(load(c, "event.7.name = Seven\n"
			      "app.shop.on = yes\n"
			      "event.sale-2.level = 3\n"
			      "event.7.on = off\n"
			      "gw.port = 8080\n", err, sizeof(err)), 0);
	assert_string_equal(conf_str(c, "event.7.name"), "Seven");
	assert_false(conf_bool(c, "event.7.on"));
	assert_true(conf_bool(c, "event.sale-2.on"));
	assert_int_equal(conf_uint(c, "event.sale-2.level"), 3);
	assert_true(conf_bool(c, "app.shop.on"));
	assert_true(conf_is_set(c, "event.7.on"));
	assert_int_equal(conf_id_count(c, "event"), 2);
	assert_int_equal(conf_id_at(c, "event", 0, id, sizeof(id)), 0);
	assert_string_equal(id, "7");
	assert_int_equal(conf_id_at(c, "event", 1, id, sizeof(id)), 0);
	assert_string_equal(id, "sale-2");
	assert_int_equal(conf_id_at(c, "event", 2, id, sizeof(id)), -1);
	assert_int_equal(conf_id_at(c, "event", 1, id, 3), -1);
	assert_int_equal(conf_id_count(c, "app"), 1);
	assert_int_equal(conf_id_count(c, "ev"), 0);
	/* a second load changes one id and adds another */
	assert_int_equal(load(c, "event.7.name = Sept\nevent.x.name = X\n",
			      err, sizeof(err)), 0);
	assert_string_equal(conf_str(c, "event.7.name"), "Sept");
	assert_int_equal(conf_id_count(c, "event"), 3);
	assert_int_equal(conf_set(c, "event.7.level", "2", err, sizeof(err)),
			 0);
	assert_int_equal(conf_uint(c, "event.7.level"), 2);
	conf_free(c);
}

static void test_errors_all_or_nothing(void **state)
{
	conf_t *c = conf_new_table(table, N);
	char err[256];

	(void)state;
	assert_int_equal(load(c, "event.1.name = one\nevent.1.level = 9\n",
			      err, sizeof(err)), -1);
	assert_string_equal(err, "gw.conf:2: event.1.level: 9 is out of "
			    "range 0..3");
	assert_int_equal(conf_id_count(c, "event"), 0);
	assert_string_equal(conf_str(c, "event.1.name"), "");
	assert_int_equal(load(c, "event.1.name = a\nevent.1.name = b\n", err,
			      sizeof(err)), -1);
	assert_string_equal(err, "gw.conf:2: event.1.name: given twice, on "
			    "lines 1 and 2");
	/* ids: 1..64 of letters, digits, '-', '_' */
	assert_int_equal(load(c, "event..name = a\n", err, sizeof(err)), -1);
	assert_string_equal(err, "gw.conf:1: event..name: unknown key");
	assert_int_equal(load(c, "event.a/b.name = a\n", err, sizeof(err)),
			 -1);
	assert_int_equal(load(c, "event.*.name = a\n", err, sizeof(err)), -1);
	assert_int_equal(load(c, "event.1.nam = a\n", err, sizeof(err)), -1);
	/* 65 characters */
	assert_int_equal(load(c, "event.0123456789012345678901234567890123456"
			      "7890123456789012345678901234.name = a\n", err,
			      sizeof(err)), -1);
	/* 64 */
	assert_int_equal(load(c, "event.012345678901234567890123456789012345"
			      "6789012345678901234567890123.name = a\n", err,
			      sizeof(err)), 0);
	conf_free(c);
}

static void test_save_round_trip(void **state)
{
	conf_t *c = conf_new_table(table, N), *d = conf_new_table(table, N);
	char err[256], path[] = "/tmp/pn-conf-table-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(load(c, "event.b.name = B\nevent.a.name = A\n"
			      "gw.port = 99\napp.z.on = on\n", err,
			      sizeof(err)), 0);
	assert_int_equal(conf_save(c, path, err, sizeof(err)), 0);
	assert_int_equal(conf_load_file(d, path, err, sizeof(err)), 0);
	assert_string_equal(conf_str(d, "event.b.name"), "B");
	assert_string_equal(conf_str(d, "event.a.name"), "A");
	assert_int_equal(conf_uint(d, "gw.port"), 99);
	assert_true(conf_bool(d, "app.z.on"));
	unlink(path);
	conf_free(c);
	conf_free(d);
}

static void test_phone_table_unchanged(void **state)
{
	conf_t *c = conf_new();
	char err[256];

	(void)state;
	assert_non_null(c);
	assert_int_equal(conf_table_count(c), conf_key_count());
	assert_int_equal(conf_set(c, "event.1.name", "x", err, sizeof(err)),
			 -1);
	assert_int_equal(conf_id_count(c, "event"), 0);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_and_defaults),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_errors_all_or_nothing),
		cmocka_unit_test(test_save_round_trip),
		cmocka_unit_test(test_phone_table_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_i18n.c - the Persian and Vietnamese catalogues against the status
 * table in code, and language selection (common/i18n.c).
 *
 * Reads the catalogues the build lays out in po/locale (see po/Rules-locale)
 * through pn_i18n_init(), as pnphone does: PNPHONE_LOCALEDIR when the
 * harness sets it, else $top_builddir/po/locale.
 */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/i18n.h"
#include "ua/status.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const languages[] = { "fa", "vi" };

/* Start every test from the same environment: English, no LANGUAGE. */
static int reset_env(void **state)
{
	(void)state;
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "C", 1);
	pn_i18n_init(NULL);
	return 0;
}

/* Every entry the phone can show: the table, then one code per class that
 * the table lacks, which gives the class's generic entry. */
static size_t all_entries(const ua_status_t **out, size_t max)
{
	size_t n = 0, i;
	int cls, code;

	for (i = 0; i < ua_status_count() && n < max; i++)
		out[n++] = ua_status_at(i);
	for (cls = 100; cls <= 600 && n < max; cls += 100) {
		for (code = cls; code < cls + 100; code++)
			if (ua_status_find(code) == NULL)
				break;
		assert_true(code < cls + 100);
		out[n++] = ua_status_lookup(code);
	}
	return n;
}

/* One text of one entry: translated, i.e. different from the English. */
static int check_text(const char *lang, int code, const char *field,
		      const char *msgid)
{
	const char *t = gettext(msgid);

	if (strcmp(t, msgid) == 0) {
		print_error("%s: %d %s has no translation: \"%s\"\n", lang,
			    code, field, msgid);
		return 1;
	}
	if (t[0] == '\0' || strchr(t, '\n') != NULL) {
		print_error("%s: %d %s: translation empty or multi-line\n",
			    lang, code, field);
		return 1;
	}
	return 0;
}

/* (a) every explain, non-empty hint and action, in fa and in vi */
static void test_catalogue_complete(void **state)
{
	const ua_status_t *e[128];
	size_t n = all_entries(e, ARRAY_LEN(e)), i, l;
	int bad = 0;

	(void)state;
	assert_true(n == ua_status_count() + 6);
	for (l = 0; l < ARRAY_LEN(languages); l++) {
		pn_i18n_init(languages[l]);
		for (i = 0; i < n; i++) {
			bad += check_text(languages[l], e[i]->code, "explain",
					  e[i]->explain);
			if (e[i]->hint[0] != '\0')
				bad += check_text(languages[l], e[i]->code,
						  "hint", e[i]->hint);
			bad += check_text(languages[l], e[i]->code, "action",
					  e[i]->action);
		}
	}
	if (bad)
		fail_msg("%d catalogue texts untranslated", bad);
}

/* English is the msgid itself: no "en" catalogue, and LANG=C. */
static void test_english(void **state)
{
	const ua_status_t *s = ua_status_find(403);

	(void)state;
	assert_string_equal(gettext(s->explain), s->explain);
	pn_i18n_init("en");
	assert_string_equal(gettext(s->explain), s->explain);
	assert_string_equal(gettext(s->action), s->action);
}

/* ui.language wins over LANG=C, where glibc would ignore LANGUAGE. */
static void test_language_over_c_locale(void **state)
{
	const ua_status_t *s = ua_status_find(403);
	char buf[512];

	(void)state;
	pn_i18n_init("vi");
	assert_non_null(strstr(gettext(s->explain), "cấm"));
	ua_status_format(buf, sizeof(buf), 403, NULL);
	assert_non_null(strstr(buf, "403 Forbidden \xe2\x80\x94 "));
	assert_non_null(strstr(buf, "hãy kiểm tra account.user"));
	/* and can be switched again */
	pn_i18n_init("fa");
	assert_non_null(strstr(gettext(s->explain), "رمز"));
	/* the reason phrase is protocol text: never translated */
	ua_status_format(buf, sizeof(buf), 403, NULL);
	assert_non_null(strstr(buf, "403 Forbidden \xe2\x80\x94 "));
}

/* Numbers stay "C" whatever the language (vi_VN writes "1,5"). */
static void test_numeric_stays_c(void **state)
{
	char buf[16];

	(void)state;
	setenv("LC_ALL", "vi_VN.UTF-8", 1);
	pn_i18n_init(NULL);
	snprintf(buf, sizeof(buf), "%.1f", 1.5);
	assert_string_equal(buf, "1.5");
}

struct seed_word {
	int code;
	const char *word;
};

/*
 * Where a seed gives the meaning in a language, the translation says it.
 * Persian (seed 002): 401, 403, 404, 408 and the 2xx/3xx/5xx classes
 * (250, 350, 550 give the class entries).  Vietnamese (seed 004): its
 * phrase for every code it lists.
 */
static const struct seed_word seed_fa[] = {
	{ 401, "احراز هویت" }, { 403, "رمز" }, { 404, "وجود ندارد" },
	{ 408, "مهلت" }, { 200, "موفقیت" }, { 250, "موفقیت" },
	{ 350, "مسیر جدید" }, { 550, "سمت سرور" }, { 500, "سمت سرور" },
};

static const struct seed_word seed_vi[] = {
	{ 100, "đang thử" }, { 180, "đang đổ chuông" },
	{ 181, "đang được chuyển hướng" }, { 182, "xếp hàng đợi" },
	{ 183, "phiên đang tiến hành" }, { 200, "thành công" },
	{ 202, "được chấp nhận" }, { 300, "có nhiều lựa chọn" },
	{ 301, "đã dời đi vĩnh viễn" }, { 302, "đã tạm thời dời đi" },
	{ 305, "dùng proxy" }, { 380, "dịch vụ thay thế" },
	{ 400, "yêu cầu sai" }, { 401, "không được quyền" },
	{ 402, "trả tiền" }, { 403, "cấm" },
	{ 404, "không tìm thấy người dùng" },
	{ 405, "phương thức không được phép" },
	{ 406, "không được chấp nhận" }, { 407, "cấp phép cho proxy" },
	{ 408, "hết giờ" }, { 410, "đã không còn" },
	{ 413, "đơn vị yêu cầu quá lớn" }, { 414, "URI của yêu cầu quá dài" },
	{ 415, "kiểu phương tiện không được hỗ trợ" },
	{ 416, "giản đồ URI không được hỗ trợ" },
	{ 420, "phần mở rộng không đúng" }, { 421, "yêu cầu có phần mở rộng" },
	{ 423, "quãng quá ngắn" }, { 480, "tạm thời không hoạt động" },
	{ 481, "cuộc gọi/giao dịch không tồn tại" },
	{ 482, "phát hiện thấy lặp" },
	{ 483, "quá nhiều chặng trung chuyển" },
	{ 484, "địa chỉ không hoàn chỉnh" }, { 485, "tối nghĩa" },
	{ 486, "đang bận" }, { 487, "yêu cầu bị chấm dứt" },
	{ 488, "không được chấp nhận tại đây" }, { 491, "yêu cầu đang chờ" },
	{ 493, "không giải mã được" }, { 500, "lỗi bên trong máy chủ" },
	{ 501, "chưa khai báo" }, { 502, "gateway sai" },
	{ 503, "dịch vụ không có" }, { 504, "máy chủ bị hết giờ" },
	{ 505, "phiên bản không được hỗ trợ" },
	{ 513, "thông điệp quá lớn" }, { 600, "tất cả mọi nơi đều bận" },
	{ 603, "từ chối" }, { 604, "không tồn tại ở bất cứ đâu" },
	{ 606, "không được chấp nhận" },
	/* the class names of the seed, on the generic entries */
	{ 150, "phản hồi thông tin" }, { 350, "phản hồi chuyển hướng" },
	{ 450, "yêu cầu bị thất bại" }, { 550, "lỗi máy chủ" },
	{ 650, "thất bại toàn cục" },
};

static int check_seed(const char *lang, const struct seed_word *w, size_t n)
{
	size_t i;
	int bad = 0;

	pn_i18n_init(lang);
	for (i = 0; i < n; i++) {
		const ua_status_t *s = ua_status_lookup(w[i].code);
		const char *t;

		assert_non_null(s);
		t = gettext(s->explain);
		if (strstr(t, w[i].word) == NULL) {
			print_error("%s: %d: \"%s\" lacks the seed's \"%s\"\n",
				    lang, w[i].code, t, w[i].word);
			bad++;
		}
	}
	return bad;
}

static void test_seed_meanings(void **state)
{
	int bad;

	(void)state;
	bad = check_seed("fa", seed_fa, ARRAY_LEN(seed_fa));
	bad += check_seed("vi", seed_vi, ARRAY_LEN(seed_vi));
	if (bad)
		fail_msg("%d translations miss the seed's meaning", bad);
}

/* Persian letters, not their Arabic look-alikes: YEH U+064A, KAF U+0643,
 * ALEF MAKSURA U+0649, and some Arabic script in every text. */
static void test_persian_orthography(void **state)
{
	const ua_status_t *e[128];
	size_t n = all_entries(e, ARRAY_LEN(e)), i, f;
	int bad = 0;

	(void)state;
	pn_i18n_init("fa");
	for (i = 0; i < n; i++) {
		const char *texts[] = { e[i]->explain, e[i]->hint,
					e[i]->action };

		for (f = 0; f < ARRAY_LEN(texts); f++) {
			const char *t;

			if (texts[f][0] == '\0')
				continue;
			t = gettext(texts[f]);
			if (!t) {       /* never, but say so if it were */
				print_error("fa: %d: no text\n", e[i]->code);
				bad++;
				continue;
			}
			if (strstr(t, "\xd9\x8a") || strstr(t, "\xd9\x83") ||
			    strstr(t, "\xd9\x89")) {
				print_error("fa: %d: Arabic letter in \"%s\"\n",
					    e[i]->code, t);
				bad++;
			}
			if (!strstr(t, "\xdb\x8c") && !strstr(t, "\xd8\xa7")) {
				print_error("fa: %d: no Persian in \"%s\"\n",
					    e[i]->code, t);
				bad++;
			}
		}
	}
	if (bad)
		fail_msg("%d Persian texts misspelt", bad);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_catalogue_complete, reset_env),
		cmocka_unit_test_setup(test_english, reset_env),
		cmocka_unit_test_setup(test_language_over_c_locale,
				       reset_env),
		cmocka_unit_test_setup(test_numeric_stays_c, reset_env),
		cmocka_unit_test_setup(test_seed_meanings, reset_env),
		cmocka_unit_test_setup(test_persian_orthography, reset_env),
	};
	const char *dir = getenv("PNPHONE_LOCALEDIR");
	const char *top = getenv("top_builddir");
	char path[4096];

#ifndef ENABLE_NLS
	puts("NLS disabled (configure --disable-nls): skipped");
	return 77;
#endif
	if (dir == NULL || dir[0] == '\0') {
		snprintf(path, sizeof(path), "%s/po/locale",
			 top != NULL ? top : ".");
		setenv("PNPHONE_LOCALEDIR", path, 1);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

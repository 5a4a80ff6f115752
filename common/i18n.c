/*
 * i18n.c - choosing the language of user-facing text (see i18n.h).
 */
#include "config.h"

#include "common/i18n.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_c_locale(const char *name)
{
	return name == NULL || strcmp(name, "C") == 0 ||
	       strcmp(name, "POSIX") == 0;
}

void pn_i18n_init(const char *language)
{
	/* UTF-8 locales that exist on any glibc system (C.UTF-8 is built into
	 * glibc 2.35 and later and shipped by Debian's libc-bin before). */
	static const char *const utf8_locales[] = {
		"C.UTF-8", "C.utf8", "en_US.UTF-8",
	};
	const char *dir = getenv("PNPHONE_LOCALEDIR");
	size_t i;

	/* An unknown locale in the environment leaves "C": English. */
	setlocale(LC_ALL, "");
	/* Numbers read and written by the SIP and SDP code stay "1.5". */
	setlocale(LC_NUMERIC, "C");

	if (language != NULL && language[0] != '\0') {
		/* LANGUAGE is the priority list of catalogues that gettext
		 * consults before the LC_MESSAGES locale's own language. */
		setenv("LANGUAGE", language, 1);
		/* glibc ignores LANGUAGE while LC_MESSAGES is "C" or "POSIX"
		 * (LANG unset or LANG=C): switch LC_MESSAGES alone to a UTF-8
		 * locale, which changes nothing else. */
		if (is_c_locale(setlocale(LC_MESSAGES, NULL))) {
			for (i = 0; i < sizeof(utf8_locales) /
					sizeof(utf8_locales[0]); i++)
				if (setlocale(LC_MESSAGES, utf8_locales[i]))
					break;
		}
	}

	bindtextdomain(PACKAGE, dir != NULL && dir[0] != '\0' ? dir
							   : LOCALEDIR);
	/* The catalogues are UTF-8 and so is the rest of pnphone's output
	 * (the em dash of the status lines): never convert to the locale's
	 * charset, which would turn Persian into question marks under an
	 * ASCII LC_CTYPE. */
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* Also drops the translations looked up under an earlier setting. */
	textdomain(PACKAGE);
}

/*
 * i18n.h - user-facing text in the user's language (GNU gettext).
 *
 * Every string a user reads (status explanations, CLI messages, errors)
 * goes through _() where it is printed, or N_() where it sits in a static
 * table and is translated later with _().  The catalogues are po/LANG.po,
 * compiled and installed as LOCALEDIR/LANG/LC_MESSAGES/pnphone.mo.  The
 * wire protocol (SIP reason phrases, JSON field names) never goes through
 * them.
 *
 * Never write _(""): gettext maps the empty msgid to the catalogue header.
 */
#ifndef PN_I18N_H
#define PN_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* Singular S or plural P for the count N, as the language counts. */
#define P_(s, p, n) ngettext(s, p, (unsigned long)(n))

/*
 * Set up translation: the locale from the environment (LANG, LC_ALL,
 * LC_MESSAGES, LANGUAGE), the catalogues from LOCALEDIR or from the
 * directory named by the environment variable PNPHONE_LOCALEDIR when it is
 * set and not empty (for a build that runs uninstalled: make check points
 * it at po/locale in the build tree), and translations always in UTF-8.
 * LC_NUMERIC stays "C", so numbers on the wire never take a decimal comma.
 *
 * LANGUAGE, when not NULL and not empty (the ui.language key), wins over
 * the environment: "fa" gives Persian even with LANG=C or LANG=C.UTF-8.
 * It may be a colon-separated list, as the LANGUAGE variable is.
 *
 * May be called again, e.g. once the configuration is read; each call
 * drops the translations looked up before.
 */
void pn_i18n_init(const char *language);

#endif /* PN_I18N_H */

/*
 * i18n.h - marks user-facing text for translation.
 *
 * Every string a user reads (status explanations, CLI messages, errors)
 * goes through _() where it is printed, or N_() where it sits in a static
 * table and is translated later.  Until the gettext catalogues land these
 * are identities; the wire protocol (SIP reason phrases, JSON field names)
 * never goes through them.
 */
#ifndef PN_I18N_H
#define PN_I18N_H

#define _(s) (s)
#define N_(s) (s)

#endif /* PN_I18N_H */

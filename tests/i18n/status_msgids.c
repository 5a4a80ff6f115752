/*
 * status_msgids.c - prints the catalogue entry of one SIP status code as
 * the table in ua/status.c holds it, untranslated: reason, explain, hint
 * and action, one a line.  The scripts of tests/i18n look these msgids up
 * in the .po files to build the output they expect.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ua/status.h"

int main(int argc, char **argv)
{
	const ua_status_t *st;

	if (argc != 2) {
		fputs("usage: status_msgids CODE\n", stderr);
		return 2;
	}
	st = ua_status_lookup(atoi(argv[1]));
	if (st == NULL)
		return 1;
	printf("%s\n%s\n%s\n%s\n", st->reason, st->explain, st->hint,
	       st->action);
	return 0;
}

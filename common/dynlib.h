/*
 * dynlib.h - open a shared library when a feature first needs it.
 *
 * A phone that never plays through a sound card, never receives a push and
 * never pulls a URL should not carry portaudio (with ALSA, JACK and C++),
 * libmicrohttpd (with GnuTLS), libxml2 (with ICU) or libcurl in its
 * memory: loading them costs some
 * megabytes of resident pages, most of them relocations and constructors,
 * before any of their code is used.  The module that uses such a library
 * keeps a table of pointers to the functions it calls, typed from the
 * library's own header, and fills it here on first use:
 *
 *   static struct { PN_DYNLIB_PTR(Pa_Initialize); ... } pa;
 *   static const pn_dynlib_sym_t syms[] = {
 *           PN_DYNLIB_SYM(pa, Pa_Initialize), ...
 *   };
 *   if (pn_dynlib_open(PORTAUDIO_SONAME, syms, N, err, sizeof(err)) < 0)
 *           ... err says which library or symbol is missing ...
 *   pa.Pa_Initialize();
 *
 * configure finds each SONAME (the library's major version, as the build
 * was compiled against it).  A library once opened stays for the life of
 * the process: unloading portaudio or libxml2 under their own threads and
 * atexit handlers is not safe, and a feature used once is used again.
 */
#ifndef PN_DYNLIB_H
#define PN_DYNLIB_H

#include <stddef.h>

typedef struct {
	const char *name;       /* the symbol, as the library exports it */
	void **ptr;             /* where its address goes */
} pn_dynlib_sym_t;

/* A member of a table: a pointer of FN's own type, named FN. */
#define PN_DYNLIB_PTR(fn) __typeof__(fn) *fn
/* The entry that fills member FN of the table TABLE. */
#define PN_DYNLIB_SYM(table, fn) { #fn, (void **)&(table).fn }

/*
 * Open SONAME (once; later calls find it open) and resolve the N symbols
 * of SYMS.  0 when all are there; -1 with ERR saying what is missing, and
 * then no pointer of SYMS is set.  A failure is remembered for a minute
 * (PN_DYNLIB_RETRY_S): calls meanwhile get the same ERR without trying,
 * so a flood of pushes to a phone without libmicrohttpd costs no
 * dlopen() each (which also leaks a few bytes in glibc each time it
 * fails), and a library installed while the phone runs is found within
 * the minute.
 */
#define PN_DYNLIB_RETRY_S 60
int pn_dynlib_open(const char *soname, const pn_dynlib_sym_t *syms,
		   size_t n, char *err, size_t errsz);

#endif /* PN_DYNLIB_H */

/*
 * opus_probe.c - LD_PRELOAD library that reports, on stderr, the
 * complexity of each Opus encoder of a process the first time it encodes:
 *
 *   opus_probe: encoder complexity N
 *
 * bench/call-cpu preloads it into one call of each phone, so the
 * complexities it compares are read off the running encoders, not taken
 * from documentation.  It sits in front of libopus's opus_encode (one
 * pointer comparison per frame) and asks libopus through its public ctl.
 *
 *   cc -shared -fPIC -O2 opus_probe.c -o opus_probe.so -lopus -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#include <opus.h>

#define TOLD 8                   /* encoders remembered per process */

typedef opus_int32 encode_f(OpusEncoder *, const opus_int16 *, int,
			    unsigned char *, opus_int32);

opus_int32 opus_encode(OpusEncoder *st, const opus_int16 *pcm, int frame,
		       unsigned char *data, opus_int32 max)
{
	static encode_f *real;
	static OpusEncoder *told[TOLD];
	static unsigned n;
	unsigned i;

	if (!real)
		real = (encode_f *)dlsym(RTLD_NEXT, "opus_encode");
	if (!real)
		return OPUS_INTERNAL_ERROR;
	for (i = 0; i < n && told[i] != st; i++)
		;
	if (i == n && n < TOLD) {
		opus_int32 c = -1;

		told[n++] = st;
		opus_encoder_ctl(st, OPUS_GET_COMPLEXITY(&c));
		fprintf(stderr, "opus_probe: encoder complexity %d\n", (int)c);
	}
	return real(st, pcm, frame, data, max);
}

/*
 * wavcmp.c - how well a recording matches the WAV file that was sent.
 *
 *   wavcmp REF.wav REC.wav
 *
 * REF is what a phone played (in a loop), REC what the other phone
 * recorded, at the same rate.  The active part of REC (where it is not
 * silent, less 0.5 s at each end) is cut into 0.5 s segments; each
 * segment is aligned with the looped REF on its own (a jitter buffer may
 * have moved the audio by a frame between segments): a coarse search on
 * signals decimated to 2 kHz, then a fine one at the full rate.  Prints
 * one line:
 *
 *   segments=N snr_db=S corr=C corr_min=M lag_ms=L active_s=A
 *
 * snr_db is the total aligned signal-to-noise ratio (gain 1), corr the
 * mean normalised cross-correlation of the segments, corr_min the worst.
 * Exit 0, or 2 on bad input (also when REC is silent).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/wav.h"

#define SEG_S 0.5
#define TRIM_S 0.5
#define SILENT 200

static float *load(const char *path, size_t *n, unsigned *rate)
{
	char err[256];
	media_wav_t *w = media_wav_open_read(path, err, sizeof(err));
	size_t cap = 1 << 16, len = 0;
	float *out = NULL;
	int16_t buf[4096];

	if (!w) {
		fprintf(stderr, "wavcmp: %s\n", err);
		return NULL;
	}
	*rate = media_wav_rate(w);
	out = malloc(cap * sizeof(float));
	for (;;) {
		size_t got = media_wav_read(w, buf, 4096), i;

		if (got == 0)
			break;
		if (len + got > cap) {
			cap = 2 * (len + got);
			out = realloc(out, cap * sizeof(float));
		}
		for (i = 0; i < got; i++)
			out[len++] = buf[i];
	}
	media_wav_close(w);
	*n = len;
	return out;
}

/* Correlation of X[0..n) with the looped REF starting at LAG, stepping
 * STEP samples (a crude decimation for the coarse search). */
static double corr_at(const float *x, size_t n, const float *ref, size_t nref,
		      size_t lag, size_t step, double *exy, double *ey)
{
	double sxy = 0, syy = 0;
	size_t i, j = lag;

	for (i = 0; i < n; i += step) {
		double y = ref[j];

		sxy += x[i] * y;
		syy += y * y;
		j += step;
		while (j >= nref)
			j -= nref;
	}
	if (exy)
		*exy = sxy;
	if (ey)
		*ey = syy;
	return syy > 0 ? sxy / sqrt(syy) : 0;
}

int main(int argc, char **argv)
{
	float *ref, *rec;
	size_t nref, nrec, first, last, seg, s0, nseg = 0;
	unsigned rr, rrec;
	double sig = 0, noise = 0, csum = 0, cmin = 1, lag_ms = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: wavcmp REF.wav REC.wav\n");
		return 2;
	}
	ref = load(argv[1], &nref, &rr);
	rec = load(argv[2], &nrec, &rrec);
	if (!ref || !rec || nref == 0)
		return 2;
	if (rr != rrec) {
		fprintf(stderr, "wavcmp: rates differ (%u, %u)\n", rr, rrec);
		return 2;
	}
	for (first = 0; first < nrec && fabsf(rec[first]) < SILENT; first++)
		;
	for (last = nrec; last > first && fabsf(rec[last - 1]) < SILENT;
	     last--)
		;
	first += (size_t)(TRIM_S * rr);
	last = last > (size_t)(TRIM_S * rr) ? last - (size_t)(TRIM_S * rr) : 0;
	seg = (size_t)(SEG_S * rr);
	if (last <= first || last - first < seg) {
		fprintf(stderr, "wavcmp: the recording has less than %.1f s "
			"of sound\n", 2 * TRIM_S + SEG_S);
		printf("segments=0 snr_db=0 corr=0 corr_min=0 lag_ms=0 "
		       "active_s=0\n");
		return 2;
	}
	for (s0 = first; s0 + seg <= last; s0 += seg) {
		const float *x = rec + s0;
		size_t step = rr / 2000 ? rr / 2000 : 1, lag, best = 0, l;
		double bc = -1e300, exx = 0, exy, eyy, c, e = 0;
		size_t i;

		for (lag = 0; lag < nref; lag += step) {
			c = corr_at(x, seg, ref, nref, lag, step, NULL, NULL);
			if (c > bc) {
				bc = c;
				best = lag;
			}
		}
		bc = -1e300;
		for (l = best + nref - 2 * step; l <= best + nref + 2 * step;
		     l++) {
			c = corr_at(x, seg, ref, nref, l % nref, 1, NULL, NULL);
			if (c > bc) {
				bc = c;
				lag = l % nref;
			}
		}
		corr_at(x, seg, ref, nref, lag, 1, &exy, &eyy);
		for (i = 0; i < seg; i++) {
			double d = x[i] - ref[(lag + i) % nref];

			exx += (double)x[i] * x[i];
			e += d * d;
		}
		c = exx > 0 && eyy > 0 ? exy / sqrt(exx * eyy) : 0;
		csum += c;
		if (c < cmin)
			cmin = c;
		sig += eyy;
		noise += e;
		lag_ms = (double)lag * 1000.0 / rr;
		nseg++;
	}
	printf("segments=%zu snr_db=%.1f corr=%.3f corr_min=%.3f lag_ms=%.1f "
	       "active_s=%.1f\n", nseg,
	       noise > 0 ? 10 * log10(sig / noise) : 99.0, csum / (double)nseg,
	       cmin, lag_ms, (double)(last - first) / rr);
	free(ref);
	free(rec);
	return 0;
}

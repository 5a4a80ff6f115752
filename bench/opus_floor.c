/*
 * opus_floor.c - the bare libopus cost of one call endpoint: encode and
 * decode SECONDS of a WAV file (48 kHz mono) in 20 ms frames, with the
 * encoder settings pnphone uses (media/codec.c), and print the CPU
 * seconds.  bench/call-cpu builds and runs it as the floor.
 *
 *   opus_floor FILE.wav SECONDS [COMPLEXITY [paced]]
 *
 * COMPLEXITY 0-10 is the encoder's (call.opus_complexity); -1 or none,
 * libopus's default.  "paced" codes one frame every 20 ms, to absolute
 * deadlines, as a call must: the same work, but the process sleeps
 * between frames and each one starts with caches other processes have
 * used meanwhile.  On a shared VM that costs libopus alone well over the
 * tight loop's CPU time; it is the floor of any real-time phone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <opus.h>

#include "media/wav.h"

int main(int argc, char **argv)
{
	char err[256];
	media_wav_t *w;
	OpusEncoder *enc;
	OpusDecoder *dec;
	int16_t pcm[960], out[960];
	unsigned char pkt[1500];
	long frames, i;
	int e, complexity = -1;
	struct timespec a, b, due;
	int paced = argc == 5 && strcmp(argv[4], "paced") == 0;

	if (argc < 3 || argc > 5 || (argc == 5 && !paced))
		return 2;
	if (argc >= 4) {
		complexity = atoi(argv[3]);
		if (complexity < -1 || complexity > 10)
			return 2;
	}
	w = media_wav_open_read(argv[1], err, sizeof(err));
	if (!w) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	frames = atol(argv[2]) * 50;
	enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, &e);
	dec = opus_decoder_create(48000, 1, &e);
	opus_encoder_ctl(enc, OPUS_SET_BITRATE(32000));
	opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(1));
	opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
	if (complexity >= 0)
		opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	clock_gettime(CLOCK_MONOTONIC, &due);
	for (i = 0; i < frames; i++) {
		int n;

		if (paced) {
			due.tv_nsec += 20000000;
			if (due.tv_nsec >= 1000000000) {
				due.tv_nsec -= 1000000000;
				due.tv_sec++;
			}
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					       &due, NULL) == EINTR)
				;
		}

		if (media_wav_read(w, pcm, 960) < 960) {
			media_wav_rewind(w);
			media_wav_read(w, pcm, 960);
		}
		n = opus_encode(enc, pcm, 960, pkt, sizeof(pkt));
		if (n <= 0 || opus_decode(dec, pkt, n, out, 960, 0) < 0)
			return 1;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	opus_encoder_destroy(enc);
	opus_decoder_destroy(dec);
	media_wav_close(w);
	return 0;
}

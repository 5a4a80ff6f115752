/*
 * wav.h - read and write 16-bit PCM WAV files (RIFF/WAVE, format 1).
 *
 * What the file: audio device needs: a reader that hands out mono
 * samples (stereo is mixed down) and can rewind to loop, and a writer that
 * streams mono samples and fixes the RIFF sizes when it is closed, so a
 * recording is a valid file even when the call ends at any moment (the
 * header is rewritten every second too).  Other sample formats are refused
 * with a message saying so.
 */
#ifndef PN_MEDIA_WAV_H
#define PN_MEDIA_WAV_H

#include <stddef.h>
#include <stdint.h>

typedef struct media_wav media_wav_t;

/* Open PATH for reading; NULL and ERR ("not a WAV file", ...) on error. */
media_wav_t *media_wav_open_read(const char *path, char *err, size_t errsz);
/* Create PATH for writing mono at RATE; NULL and ERR on error. */
media_wav_t *media_wav_open_write(const char *path, unsigned rate,
				  char *err, size_t errsz);
unsigned media_wav_rate(const media_wav_t *w);
/* Up to N mono samples; 0 at the end of the data (or on a read error). */
size_t media_wav_read(media_wav_t *w, int16_t *pcm, size_t n);
/* Back to the first sample. */
int media_wav_rewind(media_wav_t *w);
/* Append N samples; -1 on a write error (the file is kept). */
int media_wav_write(media_wav_t *w, const int16_t *pcm, size_t n);
/* Fixes the header of a written file; 0 or -1. */
int media_wav_close(media_wav_t *w);

#endif /* PN_MEDIA_WAV_H */

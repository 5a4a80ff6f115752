/*
 * audio.h - where a call's sound comes from and goes to.
 *
 * A source hands out mono 16-bit samples at the rate its user asks for
 * (the codec's: 8000 Hz for G.711, 48000 Hz for Opus) and a sink takes
 * them at that rate; each resamples to its device's own rate with
 * speexdsp when they differ.  Both are driven from the event loop, one
 * 20 ms frame at a time, and never block: a source that has nothing gives
 * silence, a sink that is full drops.  A portaudio sink starts playing,
 * and starts again after running dry, once 40 ms more than the card takes
 * at a time wait, so that a frame the loop hands over a little late does
 * not click.
 *
 * Devices, as written in audio.source, audio.sink and audio.ring:
 *   null            silence in, nothing out
 *   file:PATH.wav   source: plays a 16-bit PCM WAV file in a loop;
 *                   sink: records a mono 16-bit WAV file at the call's rate
 *   portaudio       the default input or output device
 *   portaudio:NAME  the first device whose name contains NAME
 * The empty string means null.  portaudio runs its stream callback on its
 * own thread; it exchanges samples with the loop only through lock-free
 * single-producer single-consumer rings (ring.h).
 */
#ifndef PN_MEDIA_AUDIO_H
#define PN_MEDIA_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct media_source media_source_t;
typedef struct media_sink media_sink_t;

/* Is SPEC well formed (null, file:PATH, portaudio[:NAME])?  For config
 * checks; says nothing about whether the device exists. */
bool media_audio_spec_ok(const char *spec);

/* NULL and ERR when the device cannot be opened. */
media_source_t *media_source_open(const char *spec, unsigned rate,
				  char *err, size_t errsz);
/* Always fills N samples (silence when the device has none). */
void media_source_read(media_source_t *s, int16_t *pcm, size_t n);
/* Times a portaudio source lost captured samples (the card got ahead of
 * the loop); 0 for other devices. */
unsigned long media_source_overruns(const media_source_t *s);
void media_source_close(media_source_t *s);

media_sink_t *media_sink_open(const char *spec, unsigned rate,
			      char *err, size_t errsz);
void media_sink_write(media_sink_t *s, const int16_t *pcm, size_t n);
/* Times a portaudio sink ran dry and the card played silence (the loop
 * fell behind it); 0 for other devices. */
unsigned long media_sink_underruns(const media_sink_t *s);
void media_sink_close(media_sink_t *s);

/* One portaudio device, for the `devices` command. */
typedef struct media_audio_dev {
	const char *name;
	const char *api;           /* host API: ALSA, JACK, ... */
	int max_in, max_out;       /* channels */
	double rate;               /* default sample rate */
	bool default_in, default_out;
} media_audio_dev_t;

/* Call FN for each portaudio device; the number of devices, or -1 and
 * ERR when portaudio cannot start. */
int media_audio_devices(void (*fn)(void *arg, const media_audio_dev_t *d),
			void *arg, char *err, size_t errsz);

#endif /* PN_MEDIA_AUDIO_H */

/*
 * player.h - a sound played to an audio sink on the event loop, outside
 * any call: the ringer (audio.ring) and a push's alert pings.
 *
 * SOUND says what plays:
 *   ""              the built-in ring: 440+480 Hz, 0.4 s on, 0.2 s off,
 *                   0.4 s on, 2 s off, over and over
 *   "null"          nothing: the player is made, but stays silent and
 *                   never opens the sink
 *   file:PATH.wav   a 16-bit PCM WAV file, in a loop (audio.h's source)
 *   ping:N          N alert pings (1 kHz for 100 ms, 150 ms apart, N in
 *                   1..9), once
 * SINK is an audio.h sink spec (null, file:PATH.wav, portaudio[:NAME]).
 *
 * Frames of 20 ms at 16 kHz go to the sink on the media clock (clock.h),
 * catching up when the loop was late.  A sound that does not loop ends by itself:
 * DONE is called from the timer, once, and may free the player.  The
 * owner stops a looping one with media_player_free(), which closes the
 * sink (a file: sink is then a complete WAV file).
 */
#ifndef PN_MEDIA_PLAYER_H
#define PN_MEDIA_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct su_root_s;
typedef struct media_player media_player_t;
typedef void media_player_done_f(void *arg);

#define MEDIA_PLAYER_RATE 16000

/* Is SOUND one of the forms above?  For config checks. */
bool media_player_sound_ok(const char *sound);

/* NULL and ERR when SOUND is malformed or its file or the sink cannot be
 * opened.  DONE may be NULL. */
media_player_t *media_player_new(struct su_root_s *root, const char *sound,
				 const char *sink, media_player_done_f *done,
				 void *arg, char *err, size_t errsz);
void media_player_free(media_player_t *p);
/* One alert ping (the ping:N sound's unit, 250 ms) at RATE into PCM, for
 * who plays it another way (an audio push, into its stream); the number
 * of samples, or 0 when MAX is too small. */
size_t media_player_ping(int16_t *pcm, size_t max, unsigned rate);

#endif /* PN_MEDIA_PLAYER_H */

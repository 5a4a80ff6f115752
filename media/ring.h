/*
 * ring.h - lock-free single-producer single-consumer ring of samples.
 *
 * The one place where a second thread touches pnphone's data: portaudio
 * calls its stream callback on its own thread, which writes captured
 * samples into one ring and reads playback samples from another, while
 * the event loop does the other end.  One writer and one reader per ring,
 * C11 acquire/release atomics on the two indices, no locks, no
 * allocation after creation.
 */
#ifndef PN_MEDIA_RING_H
#define PN_MEDIA_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct media_ring media_ring_t;

/* Capacity rounded up to a power of two; NULL on ENOMEM. */
media_ring_t *media_ring_new(size_t capacity);
void media_ring_free(media_ring_t *r);
/* Producer side: copies up to N samples, returns how many fit. */
size_t media_ring_write(media_ring_t *r, const int16_t *pcm, size_t n);
/* Consumer side: up to N samples, returns how many were there. */
size_t media_ring_read(media_ring_t *r, int16_t *pcm, size_t n);
/* Consumer side: drop up to N samples. */
size_t media_ring_skip(media_ring_t *r, size_t n);
/* Consumer side, for a sound card's playback: N samples into PCM, or
 * silence, leaving the ring alone, until it holds N + FILL samples: at
 * the start and again after it ran dry.  The producer hands over whole
 * frames at its own pace and the card takes N at a time, so a ring played
 * down to its last sample would run dry at each late frame, a click each
 * time; FILL is the margin that absorbs the frame and its lateness.  True
 * when this call ran dry. */
bool media_ring_play(media_ring_t *r, int16_t *pcm, size_t n, size_t fill);
/* Samples waiting (exact for either side's own view). */
size_t media_ring_level(const media_ring_t *r);

#endif /* PN_MEDIA_RING_H */

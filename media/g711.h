/*
 * g711.h - ITU-T G.711 μ-law (PCMU) and A-law (PCMA) sample conversion.
 *
 * One byte per sample at 8 kHz, so the functions work sample by sample on
 * whole buffers.  Encoding follows the segment tables of G.711 (not a
 * logarithm) so the round trip matches every other implementation bit for
 * bit.
 */
#ifndef PN_MEDIA_G711_H
#define PN_MEDIA_G711_H

#include <stddef.h>
#include <stdint.h>

void media_g711_ulaw_encode(uint8_t *out, const int16_t *in, size_t n);
void media_g711_ulaw_decode(int16_t *out, const uint8_t *in, size_t n);
void media_g711_alaw_encode(uint8_t *out, const int16_t *in, size_t n);
void media_g711_alaw_decode(int16_t *out, const uint8_t *in, size_t n);

#endif /* PN_MEDIA_G711_H */

/*
 * g711.c - μ-law and A-law by their segment definitions (G.711 tables 1
 * and 2), in the 16-bit linear scale.
 */
#include "config.h"

#include "media/g711.h"

#define ULAW_BIAS 0x84   /* 33 in the 14-bit scale */
#define ULAW_CLIP 32635

/* floor(log2(v)) for 1 <= v <= 255; 0 for v == 0. */
static unsigned top_bit(unsigned v)
{
	unsigned s = 0;

	while (v > 1) {
		v >>= 1;
		s++;
	}
	return s;
}

static uint8_t ulaw_enc(int16_t pcm)
{
	int v = pcm;
	unsigned sign = 0, exp, mant;

	if (v < 0) {
		v = -v;
		sign = 0x80;
	}
	if (v > ULAW_CLIP)
		v = ULAW_CLIP;
	v += ULAW_BIAS;
	exp = top_bit((unsigned)v >> 7);
	mant = ((unsigned)v >> (exp + 3)) & 0x0f;
	return (uint8_t)~(sign | (exp << 4) | mant);
}

static int16_t ulaw_dec(uint8_t u)
{
	unsigned exp, mant;
	int v;

	u = (uint8_t)~u;
	exp = (u >> 4) & 7;
	mant = u & 0x0f;
	v = (int)(((mant << 3) + ULAW_BIAS) << exp) - ULAW_BIAS;
	return (int16_t)((u & 0x80) ? -v : v);
}

static uint8_t alaw_enc(int16_t pcm)
{
	int v = pcm >> 3;           /* 13-bit scale */
	unsigned mask, seg, out;

	if (v >= 0) {
		mask = 0xd5;
	} else {
		mask = 0x55;
		v = -v - 1;
	}
	/* segment s > 0 holds [16 << s, 32 << s); segment 0 holds [0, 32) */
	seg = v < 32 ? 0 : top_bit((unsigned)v >> 4);
	if (seg >= 8)
		return (uint8_t)(0x7f ^ mask);
	out = seg << 4;
	out |= (seg < 2 ? ((unsigned)v >> 1) : ((unsigned)v >> seg)) & 0x0f;
	return (uint8_t)(out ^ mask);
}

static int16_t alaw_dec(uint8_t a)
{
	unsigned seg;
	int t;

	a ^= 0x55;
	t = (a & 0x0f) << 4;
	seg = (a & 0x70) >> 4;
	if (seg == 0)
		t += 8;
	else if (seg == 1)
		t += 0x108;
	else
		t = (t + 0x108) << (seg - 1);
	return (int16_t)((a & 0x80) ? t : -t);
}

void media_g711_ulaw_encode(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = ulaw_enc(in[i]);
}

void media_g711_ulaw_decode(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = ulaw_dec(in[i]);
}

void media_g711_alaw_encode(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = alaw_enc(in[i]);
}

void media_g711_alaw_decode(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = alaw_dec(in[i]);
}

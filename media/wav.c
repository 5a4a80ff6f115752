/*
 * wav.c - minimal RIFF/WAVE PCM16 reader and writer.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "media/wav.h"

/* A call reads and writes 96 KB a second at 48 kHz: stdio's 4 KB buffer
 * would be 25 system calls a second each way. */
#define IOBUF (32 * 1024)

struct media_wav {
	FILE *f;
	char *iobuf;            /* f's buffer: glibc sizes its own to 4 KB */
	int writing;
	unsigned rate, channels;
	long data_off;          /* file offset of the first sample */
	uint32_t data_len;      /* bytes of sample data (read: from header) */
	uint32_t pos;           /* bytes read so far */
	uint32_t since_fix;     /* bytes written since the header was fixed */
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static unsigned le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/* Without the memory, stdio's own buffer does. */
static void use_iobuf(media_wav_t *w)
{
	w->iobuf = malloc(IOBUF);
	if (w->iobuf && setvbuf(w->f, w->iobuf, _IOFBF, IOBUF) != 0) {
		free(w->iobuf);
		w->iobuf = NULL;
	}
}

static media_wav_t *fail(media_wav_t *w, char *err, size_t errsz,
			 const char *path, const char *why)
{
	snprintf(err, errsz, "%s: %s", path, why);
	if (w) {
		if (w->f)
			fclose(w->f);
		free(w->iobuf);
		free(w);
	}
	return NULL;
}

media_wav_t *media_wav_open_read(const char *path, char *err, size_t errsz)
{
	media_wav_t *w = calloc(1, sizeof(*w));
	unsigned char h[12], ck[8], fmt[16];
	int have_fmt = 0;

	if (!w)
		return fail(NULL, err, errsz, path, strerror(ENOMEM));
	w->f = fopen(path, "rb");
	if (!w->f)
		return fail(w, err, errsz, path, strerror(errno));
	use_iobuf(w);
	if (fread(h, 1, 12, w->f) != 12 || memcmp(h, "RIFF", 4) != 0 ||
	    memcmp(h + 8, "WAVE", 4) != 0)
		return fail(w, err, errsz, path, _("not a WAV file"));
	/* Walk the chunks: fmt must come before data. */
	for (;;) {
		uint32_t len;

		if (fread(ck, 1, 8, w->f) != 8)
			return fail(w, err, errsz, path,
				    _("WAV file has no data chunk"));
		len = le32(ck + 4);
		if (memcmp(ck, "fmt ", 4) == 0) {
			if (len < 16 || fread(fmt, 1, 16, w->f) != 16)
				return fail(w, err, errsz, path,
					    _("truncated WAV format chunk"));
			if (le16(fmt) != 1 || le16(fmt + 14) != 16)
				return fail(w, err, errsz, path,
					    _("only 16-bit PCM WAV files are "
					      "supported"));
			w->channels = le16(fmt + 2);
			w->rate = le32(fmt + 4);
			if (w->channels < 1 || w->channels > 2 ||
			    w->rate < 8000 || w->rate > 192000)
				return fail(w, err, errsz, path,
					    _("WAV file must be mono or stereo "
					      "at 8000..192000 Hz"));
			have_fmt = 1;
			len -= 16;
		} else if (memcmp(ck, "data", 4) == 0) {
			if (!have_fmt)
				return fail(w, err, errsz, path,
					    _("WAV data before its format"));
			w->data_off = ftell(w->f);
			w->data_len = len - len % (2 * w->channels);
			break;
		}
		if (fseek(w->f, (long)len + (len & 1), SEEK_CUR) != 0)
			return fail(w, err, errsz, path,
				    _("truncated WAV file"));
	}
	if (w->data_len == 0)
		return fail(w, err, errsz, path, _("WAV file holds no audio"));
	return w;
}

static int write_header(media_wav_t *w, uint32_t data_len)
{
	unsigned char h[44];

	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + data_len);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	put16(h + 20, 1);
	put16(h + 22, 1);
	put32(h + 24, w->rate);
	put32(h + 28, w->rate * 2);
	put16(h + 32, 2);
	put16(h + 34, 16);
	memcpy(h + 36, "data", 4);
	put32(h + 40, data_len);
	/* Beside the stream, not through it: no seeks, and the samples
	 * buffered so far go out first, so the header never counts more
	 * than the file has. */
	if (fflush(w->f) != 0 || pwrite(fileno(w->f), h, 44, 0) != 44)
		return -1;
	return 0;
}

media_wav_t *media_wav_open_write(const char *path, unsigned rate,
				  char *err, size_t errsz)
{
	media_wav_t *w = calloc(1, sizeof(*w));

	if (!w)
		return fail(NULL, err, errsz, path, strerror(ENOMEM));
	w->writing = 1;
	w->rate = rate;
	w->channels = 1;
	w->f = fopen(path, "wb");
	if (!w->f)
		return fail(w, err, errsz, path, strerror(errno));
	use_iobuf(w);
	/* room for the header, which write_header() fills in place */
	if (fwrite((unsigned char[44]){ 0 }, 1, 44, w->f) != 44 ||
	    write_header(w, 0) < 0)
		return fail(w, err, errsz, path, strerror(errno));
	w->data_off = 44;
	return w;
}

unsigned media_wav_rate(const media_wav_t *w)
{
	return w->rate;
}

size_t media_wav_read(media_wav_t *w, int16_t *pcm, size_t n)
{
	unsigned char buf[512];
	size_t done = 0;
	unsigned frame = 2 * w->channels;

	while (done < n && w->pos < w->data_len) {
		size_t want = (n - done) * frame, got, i;

		if (want > sizeof(buf))
			want = sizeof(buf) - sizeof(buf) % frame;
		if (want > w->data_len - w->pos)
			want = w->data_len - w->pos;
		got = fread(buf, 1, want, w->f);
		got -= got % frame;
		if (got == 0)
			break;
		w->pos += (uint32_t)got;
		for (i = 0; i < got; i += frame) {
			int s = (int16_t)le16(buf + i);

			if (w->channels == 2)
				s = (s + (int16_t)le16(buf + i + 2)) / 2;
			pcm[done++] = (int16_t)s;
		}
	}
	return done;
}

int media_wav_rewind(media_wav_t *w)
{
	w->pos = 0;
	return fseek(w->f, w->data_off, SEEK_SET);
}

int media_wav_write(media_wav_t *w, const int16_t *pcm, size_t n)
{
	unsigned char buf[512];
	size_t i = 0;

	while (i < n) {
		size_t k = 0;

		while (i < n && k < sizeof(buf)) {
			put16(buf + k, (unsigned)(uint16_t)pcm[i++]);
			k += 2;
		}
		if (fwrite(buf, 1, k, w->f) != k)
			return -1;
		w->data_len += (uint32_t)k;
		w->since_fix += (uint32_t)k;
	}
	/* Keep the header about right so a killed phone leaves a
	 * playable file. */
	if (w->since_fix >= 2 * w->rate) {
		w->since_fix = 0;
		if (write_header(w, w->data_len) < 0)
			return -1;
	}
	return 0;
}

int media_wav_close(media_wav_t *w)
{
	int rc = 0;

	if (!w)
		return 0;
	if (w->writing && write_header(w, w->data_len) < 0)
		rc = -1;
	if (fclose(w->f) != 0)
		rc = -1;
	free(w->iobuf);
	free(w);
	return rc;
}

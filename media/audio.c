/*
 * audio.c - null, WAV file and portaudio sources and sinks.
 *
 * Each source or sink has a kind and, when its device runs at another
 * rate than its user, a speexdsp resampler; the code that pulls samples
 * through the resampler is shared (struct conv).
 */
#include "config.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <portaudio.h>
#include <speex/speex_resampler.h>

#include "common/dynlib.h"
#include "common/i18n.h"
#include "media/audio.h"
#include "media/ring.h"
#include "media/wav.h"

enum kind { K_BAD = -1, K_NULL, K_FILE, K_PA };

#define CHUNK 960              /* input staged per resampler step */
#define PA_RING_MS 400         /* ring capacity */
#define PA_MAX_MS 120          /* latency kept at most in either ring */
#define PA_FILL_MS 40          /* playback margin: a frame and its lateness */

/* Pull-through resampler: input comes from FETCH in chunks, output is
 * handed out in any amounts. */
struct conv {
	SpeexResamplerState *rs;
	int16_t in[CHUNK];
	spx_uint32_t in_len, in_pos;
};

typedef size_t (*fetch_fn)(void *arg, int16_t *pcm, size_t n);

static int conv_init(struct conv *c, unsigned from, unsigned to)
{
	int e = 0;

	memset(c, 0, sizeof(*c));
	if (from == to)
		return 0;
	c->rs = speex_resampler_init(1, from, to,
				     SPEEX_RESAMPLER_QUALITY_VOIP, &e);
	return c->rs ? 0 : -1;
}

static void conv_free(struct conv *c)
{
	if (c->rs)
		speex_resampler_destroy(c->rs);
	c->rs = NULL;
}

/* N samples out, silence for what FETCH cannot give. */
static void conv_pull(struct conv *c, int16_t *out, size_t n, fetch_fn fetch,
		      void *arg)
{
	size_t done = 0;

	if (!c->rs) {
		done = fetch(arg, out, n);
	} else {
		while (done < n) {
			spx_uint32_t il, ol;

			if (c->in_pos == c->in_len) {
				c->in_len = (spx_uint32_t)fetch(arg, c->in,
								CHUNK);
				c->in_pos = 0;
				if (c->in_len == 0)
					break;
			}
			il = c->in_len - c->in_pos;
			ol = (spx_uint32_t)(n - done);
			speex_resampler_process_int(c->rs, 0, c->in + c->in_pos,
						    &il, out + done, &ol);
			c->in_pos += il;
			done += ol;
			if (il == 0 && ol == 0)
				break;
		}
	}
	if (done < n)
		memset(out + done, 0, (n - done) * sizeof(int16_t));
}

/* ---- portaudio ------------------------------------------------------ */

/* portaudio is loaded by the first device that asks for it: a phone on
 * null and file devices never carries it, nor ALSA, JACK and C++ behind
 * it (common/dynlib.h). */
static struct {
	PN_DYNLIB_PTR(Pa_Initialize);
	PN_DYNLIB_PTR(Pa_Terminate);
	PN_DYNLIB_PTR(Pa_GetErrorText);
	PN_DYNLIB_PTR(Pa_GetDeviceCount);
	PN_DYNLIB_PTR(Pa_GetDeviceInfo);
	PN_DYNLIB_PTR(Pa_GetDefaultInputDevice);
	PN_DYNLIB_PTR(Pa_GetDefaultOutputDevice);
	PN_DYNLIB_PTR(Pa_GetHostApiInfo);
	PN_DYNLIB_PTR(Pa_OpenStream);
	PN_DYNLIB_PTR(Pa_StartStream);
	PN_DYNLIB_PTR(Pa_StopStream);
	PN_DYNLIB_PTR(Pa_CloseStream);
	PN_DYNLIB_PTR(Pa_IsStreamActive);
} pa;

static const pn_dynlib_sym_t pa_syms[] = {
	PN_DYNLIB_SYM(pa, Pa_Initialize),
	PN_DYNLIB_SYM(pa, Pa_Terminate),
	PN_DYNLIB_SYM(pa, Pa_GetErrorText),
	PN_DYNLIB_SYM(pa, Pa_GetDeviceCount),
	PN_DYNLIB_SYM(pa, Pa_GetDeviceInfo),
	PN_DYNLIB_SYM(pa, Pa_GetDefaultInputDevice),
	PN_DYNLIB_SYM(pa, Pa_GetDefaultOutputDevice),
	PN_DYNLIB_SYM(pa, Pa_GetHostApiInfo),
	PN_DYNLIB_SYM(pa, Pa_OpenStream),
	PN_DYNLIB_SYM(pa, Pa_StartStream),
	PN_DYNLIB_SYM(pa, Pa_StopStream),
	PN_DYNLIB_SYM(pa, Pa_CloseStream),
	PN_DYNLIB_SYM(pa, Pa_IsStreamActive),
};

/* Load portaudio if need be, and take a reference to it (Pa_Terminate
 * gives it back).  ALSA prints to stderr while portaudio probes cards; a
 * phone without a sound card must stay quiet, so stderr is parked during
 * the probe. */
static int pa_start(char *err, size_t errsz)
{
	int saved, devnull;
	PaError e;

	if (!pa.Pa_Initialize &&
	    pn_dynlib_open(PORTAUDIO_SONAME, pa_syms,
			   sizeof(pa_syms) / sizeof(pa_syms[0]), err,
			   errsz) < 0)
		return -1;
	saved = dup(STDERR_FILENO);
	devnull = open("/dev/null", O_WRONLY);
	if (saved >= 0 && devnull >= 0)
		dup2(devnull, STDERR_FILENO);
	e = pa.Pa_Initialize();
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (devnull >= 0)
		close(devnull);
	if (e != paNoError) {
		snprintf(err, errsz, "%s", _("portaudio cannot start"));
		return -1;
	}
	return 0;
}

static PaDeviceIndex pa_find(const char *name, int input)
{
	PaDeviceIndex i, n;

	if (!name || !*name)
		return input ? pa.Pa_GetDefaultInputDevice()
			     : pa.Pa_GetDefaultOutputDevice();
	n = pa.Pa_GetDeviceCount();
	for (i = 0; i < n; i++) {
		const PaDeviceInfo *d = pa.Pa_GetDeviceInfo(i);

		if (d && d->name && strstr(d->name, name) &&
		    (input ? d->maxInputChannels : d->maxOutputChannels) > 0)
			return i;
	}
	return paNoDevice;
}

struct pa_dev {
	PaStream *stream;
	media_ring_t *ring;
	unsigned rate;
	size_t fill;                /* playback: see media_ring_play */
	size_t max;                 /* PA_MAX_MS in samples */
	int input;
	int jack;                   /* on portaudio's JACK host API */
	/* Written on portaudio's thread, read by the loop: times playback
	 * ran dry (the card played silence) or capture lost samples (the
	 * ring was full), the card's own underflow/overflow flags too. */
	atomic_ulong glitches;
};

static int pa_cb(const void *in, void *out, unsigned long frames,
		 const PaStreamCallbackTimeInfo *ti,
		 PaStreamCallbackFlags flags, void *arg)
{
	struct pa_dev *d = arg;

	bool glitch;

	(void)ti;
	/* A card that takes more than PA_MAX_MS less the fill at a time
	 * gets less fill: the sink never lets the ring grow past PA_MAX_MS. */
	if (d->input)
		glitch = media_ring_write(d->ring, in, frames) < frames ||
			 (flags & paInputOverflow);
	else if (frames + d->fill <= d->max)
		glitch = media_ring_play(d->ring, out, frames, d->fill) ||
			 (flags & paOutputUnderflow);
	else
		glitch = media_ring_play(d->ring, out, frames,
					 d->max > frames ? d->max - frames
							 : 0) ||
			 (flags & paOutputUnderflow);
	if (glitch)
		atomic_fetch_add_explicit(&d->glitches, 1,
					  memory_order_relaxed);
	return paContinue;
}

static int pa_open(struct pa_dev *d, const char *name, int input,
		   char *err, size_t errsz)
{
	PaStreamParameters p;
	const PaDeviceInfo *info;
	const PaHostApiInfo *api;
	PaError e;

	d->input = input;
	if (pa_start(err, errsz) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.device = pa_find(name, input);
	info = p.device == paNoDevice ? NULL : pa.Pa_GetDeviceInfo(p.device);
	if (!info) {
		if (name && *name)
			snprintf(err, errsz, input
				 ? _("no portaudio input device named %s")
				 : _("no portaudio output device named %s"),
				 name);
		else
			snprintf(err, errsz, "%s", input
				 ? _("no portaudio input device")
				 : _("no portaudio output device"));
		pa.Pa_Terminate();
		return -1;
	}
	api = pa.Pa_GetHostApiInfo(info->hostApi);
	d->jack = api && api->type == paJACK;
	p.channelCount = 1;
	p.sampleFormat = paInt16;
	p.suggestedLatency = input ? info->defaultLowInputLatency
				   : info->defaultLowOutputLatency;
	d->rate = (unsigned)info->defaultSampleRate;
	d->fill = (size_t)d->rate * PA_FILL_MS / 1000;
	d->max = (size_t)d->rate * PA_MAX_MS / 1000;
	d->ring = media_ring_new(d->rate * PA_RING_MS / 1000);
	e = d->ring ? pa.Pa_OpenStream(&d->stream, input ? &p : NULL,
				       input ? NULL : &p,
				       info->defaultSampleRate,
				       paFramesPerBufferUnspecified, paNoFlag,
				       pa_cb, d)
		    : paInsufficientMemory;
	if (e == paNoError)
		e = pa.Pa_StartStream(d->stream);
	if (e != paNoError) {
		snprintf(err, errsz, "portaudio %s: %s", info->name,
			 pa.Pa_GetErrorText(e));
		if (d->stream)
			pa.Pa_CloseStream(d->stream);
		media_ring_free(d->ring);
		pa.Pa_Terminate();
		return -1;
	}
	return 0;
}

/* Once the JACK server has gone, portaudio's JACK host API (pa_jack.c,
 * 19.6 to this day) waits 10 minutes in Pa_StopStream, in Pa_CloseStream
 * and in Pa_Terminate (which closes what is still open) for a process
 * callback that never comes: the loop would freeze.  Such a stream is
 * inactive although nobody stopped it; it is left as it is, and with it
 * our reference to portaudio, so that nothing ever waits for it.  No
 * callback can come for it any more, so the ring can go. */
static void pa_close(struct pa_dev *d)
{
	if (!d->jack || pa.Pa_IsStreamActive(d->stream) != 0) {
		pa.Pa_StopStream(d->stream);
		pa.Pa_CloseStream(d->stream);
		pa.Pa_Terminate();
	}
	media_ring_free(d->ring);
}

/* ---- specs ---------------------------------------------------------- */

static enum kind spec_kind(const char *spec, const char **arg)
{
	*arg = NULL;
	if (!spec || !*spec || strcmp(spec, "null") == 0)
		return K_NULL;
	if (strncmp(spec, "file:", 5) == 0 && spec[5]) {
		*arg = spec + 5;
		return K_FILE;
	}
	if (strcmp(spec, "portaudio") == 0)
		return K_PA;
	if (strncmp(spec, "portaudio:", 10) == 0) {
		*arg = spec + 10;
		return K_PA;
	}
	return K_BAD;
}

bool media_audio_spec_ok(const char *spec)
{
	const char *arg;

	return spec_kind(spec, &arg) != K_BAD;
}

/* ---- sources -------------------------------------------------------- */

struct media_source {
	enum kind kind;
	media_wav_t *wav;
	struct pa_dev pa;
	struct conv conv;
	unsigned rate;
};

static size_t fetch_file(void *arg, int16_t *pcm, size_t n)
{
	media_source_t *s = arg;
	size_t got = media_wav_read(s->wav, pcm, n);

	if (got == 0 && media_wav_rewind(s->wav) == 0)
		got = media_wav_read(s->wav, pcm, n);
	return got;
}

static size_t fetch_ring(void *arg, int16_t *pcm, size_t n)
{
	media_source_t *s = arg;

	return media_ring_read(s->pa.ring, pcm, n);
}

media_source_t *media_source_open(const char *spec, unsigned rate,
				  char *err, size_t errsz)
{
	media_source_t *s = calloc(1, sizeof(*s));
	const char *arg;
	unsigned dev_rate = rate;

	if (!s) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	s->rate = rate;
	s->kind = spec_kind(spec, &arg);
	switch (s->kind) {
	case K_NULL:
		break;
	case K_FILE:
		s->wav = media_wav_open_read(arg, err, errsz);
		if (!s->wav)
			goto fail;
		dev_rate = media_wav_rate(s->wav);
		break;
	case K_PA:
		if (pa_open(&s->pa, arg, 1, err, errsz) < 0)
			goto fail;
		dev_rate = s->pa.rate;
		break;
	default:
		snprintf(err, errsz, _("unknown audio device '%s' (null, "
				       "file:PATH.wav, portaudio[:NAME])"),
			 spec);
		goto fail;
	}
	if (conv_init(&s->conv, dev_rate, rate) < 0) {
		snprintf(err, errsz, _("cannot resample %u Hz to %u Hz"),
			 dev_rate, rate);
		media_source_close(s);
		return NULL;
	}
	return s;
fail:
	free(s);
	return NULL;
}

void media_source_read(media_source_t *s, int16_t *pcm, size_t n)
{
	switch (s->kind) {
	case K_FILE:
		conv_pull(&s->conv, pcm, n, fetch_file, s);
		break;
	case K_PA: {
		size_t max = s->pa.max;
		size_t level = media_ring_level(s->pa.ring);

		/* The card's clock runs ahead of ours: drop the excess
		 * rather than let the delay grow. */
		if (level > max)
			media_ring_skip(s->pa.ring, level - max / 2);
		conv_pull(&s->conv, pcm, n, fetch_ring, s);
		break;
	}
	default:
		memset(pcm, 0, n * sizeof(int16_t));
		break;
	}
}

unsigned long media_source_overruns(const media_source_t *s)
{
	if (s->kind != K_PA)
		return 0;
	return atomic_load_explicit(&((media_source_t *)s)->pa.glitches,
				    memory_order_relaxed);
}

void media_source_close(media_source_t *s)
{
	if (!s)
		return;
	if (s->kind == K_FILE)
		media_wav_close(s->wav);
	else if (s->kind == K_PA)
		pa_close(&s->pa);
	conv_free(&s->conv);
	free(s);
}

/* ---- sinks ---------------------------------------------------------- */

struct media_sink {
	enum kind kind;
	media_wav_t *wav;
	struct pa_dev pa;
	SpeexResamplerState *rs;
	unsigned rate;
	int write_failed;
};

media_sink_t *media_sink_open(const char *spec, unsigned rate,
			      char *err, size_t errsz)
{
	media_sink_t *s = calloc(1, sizeof(*s));
	const char *arg;
	int e = 0;

	if (!s) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	s->rate = rate;
	s->kind = spec_kind(spec, &arg);
	switch (s->kind) {
	case K_NULL:
		break;
	case K_FILE:
		s->wav = media_wav_open_write(arg, rate, err, errsz);
		if (!s->wav)
			goto fail;
		break;
	case K_PA:
		if (pa_open(&s->pa, arg, 0, err, errsz) < 0)
			goto fail;
		if (s->pa.rate != rate) {
			s->rs = speex_resampler_init(1, rate, s->pa.rate,
				SPEEX_RESAMPLER_QUALITY_VOIP, &e);
			if (!s->rs) {
				snprintf(err, errsz,
					 _("cannot resample %u Hz to %u Hz"),
					 rate, s->pa.rate);
				media_sink_close(s);
				return NULL;
			}
		}
		break;
	default:
		snprintf(err, errsz, _("unknown audio device '%s' (null, "
				       "file:PATH.wav, portaudio[:NAME])"),
			 spec);
		goto fail;
	}
	return s;
fail:
	free(s);
	return NULL;
}

/* A frame can grow past any fixed buffer (20 ms at 48 kHz is 3840
 * samples for a 192 kHz card), so it is resampled in as many steps as it
 * takes. */
static void sink_pa_write(media_sink_t *s, const int16_t *pcm, size_t n)
{
	int16_t out[2048];
	spx_uint32_t il, ol;

	if (!s->rs)
		media_ring_write(s->pa.ring, pcm, n);
	while (s->rs && n > 0) {
		il = (spx_uint32_t)n;
		ol = sizeof(out) / sizeof(out[0]);
		speex_resampler_process_int(s->rs, 0, pcm, &il, out, &ol);
		media_ring_write(s->pa.ring, out, ol);
		if (il == 0 && ol == 0)
			break;
		pcm += il;
		n -= il;
	}
}

void media_sink_write(media_sink_t *s, const int16_t *pcm, size_t n)
{
	if (s->kind == K_FILE) {
		if (!s->write_failed && media_wav_write(s->wav, pcm, n) < 0)
			s->write_failed = 1;   /* disk full: stop, keep the file */
	} else if (s->kind == K_PA) {
		size_t max = s->pa.max;
		size_t dev_n = n * s->pa.rate / s->rate;

		/* The card's clock runs behind ours: drop rather than let
		 * the delay grow. */
		if (media_ring_level(s->pa.ring) + dev_n <= max)
			sink_pa_write(s, pcm, n);
	}
}

unsigned long media_sink_underruns(const media_sink_t *s)
{
	if (s->kind != K_PA)
		return 0;
	return atomic_load_explicit(&((media_sink_t *)s)->pa.glitches,
				    memory_order_relaxed);
}

void media_sink_close(media_sink_t *s)
{
	if (!s)
		return;
	if (s->kind == K_FILE)
		media_wav_close(s->wav);
	else if (s->kind == K_PA)
		pa_close(&s->pa);
	if (s->rs)
		speex_resampler_destroy(s->rs);
	free(s);
}

/* ---- listing -------------------------------------------------------- */

int media_audio_devices(void (*fn)(void *arg, const media_audio_dev_t *d),
			void *arg, char *err, size_t errsz)
{
	PaDeviceIndex i, n, din, dout;

	if (pa_start(err, errsz) < 0)
		return -1;
	n = pa.Pa_GetDeviceCount();
	din = pa.Pa_GetDefaultInputDevice();
	dout = pa.Pa_GetDefaultOutputDevice();
	for (i = 0; i < n; i++) {
		const PaDeviceInfo *info = pa.Pa_GetDeviceInfo(i);
		const PaHostApiInfo *api;
		media_audio_dev_t d;

		if (!info)
			continue;
		api = pa.Pa_GetHostApiInfo(info->hostApi);
		d.name = info->name ? info->name : "?";
		d.api = api && api->name ? api->name : "?";
		d.max_in = info->maxInputChannels;
		d.max_out = info->maxOutputChannels;
		d.rate = info->defaultSampleRate;
		d.default_in = i == din;
		d.default_out = i == dout;
		fn(arg, &d);
	}
	pa.Pa_Terminate();
	return n < 0 ? 0 : (int)n;
}

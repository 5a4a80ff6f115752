/*
 * opus_floor.c - the bare libopus cost of one call endpoint: encode and
 * decode SECONDS of a WAV file (48 kHz mono) in 20 ms frames, with the
 * encoder settings pnphone uses (media/codec.c), and print the CPU
 * seconds.  bench/call-cpu builds and runs it as the floor.
 *
 *   opus_floor FILE.wav SECONDS [COMPLEXITY [paced]]
 *   opus_floor FILE.wav SECONDS COMPLEXITY rtp PORT PEER_PORT OUT.wav
 *
 * COMPLEXITY 0-10 is the encoder's (call.opus_complexity); -1 or none,
 * libopus's default.  "paced" codes one frame every 20 ms, to absolute
 * deadlines, as a call must: the same work, but the process sleeps
 * between frames and each one starts with caches other processes have
 * used meanwhile.  On a shared VM that costs libopus alone well over the
 * tight loop's CPU time; it is the floor of any real-time phone.
 *
 * "rtp" is the least a phone must do on top of that: paced the same way,
 * each frame goes to PEER_PORT on 127.0.0.1 as an RTP packet from PORT,
 * what the peer sent is read (plain recv, no event loop, no jitter
 * buffer, no RTCP, no SIP) and decoded, and the audio is written to
 * OUT.wav as pnphone's file sink does.  Two of them, pointed at each
 * other, are a call with nothing but the media; the second number printed
 * is how many packets arrived.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <opus.h>

#include "media/rtp.h"
#include "media/wav.h"

#define RTP_HDR MEDIA_RTP_HDR

static int udp_socket(const char *port, const char *peer_port,
		    struct sockaddr_in *peer)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	me.sin_port = htons((uint16_t)atoi(port));
	*peer = me;
	peer->sin_port = htons((uint16_t)atoi(peer_port));
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		perror("opus_floor: socket");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	char err[256];
	media_wav_t *w, *out_wav = NULL;
	OpusEncoder *enc;
	OpusDecoder *dec;
	int16_t pcm[960], out[960];
	uint8_t pkt[1500], rx[1500];
	long frames, i, got = 0;
	int e, complexity = -1, fd = -1;
	struct timespec a, b, due;
	struct sockaddr_in peer;
	media_rtp_hdr_t hdr = { .pt = 111, .ssrc = 0x12345678 };
	int rtp = argc == 8 && strcmp(argv[4], "rtp") == 0;
	int paced = rtp || (argc == 5 && strcmp(argv[4], "paced") == 0);

	if (argc < 3 || argc > 8 || (argc >= 5 && !paced))
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
	if (rtp) {
		fd = udp_socket(argv[5], argv[6], &peer);
		out_wav = media_wav_open_write(argv[7], 48000, err,
					       sizeof(err));
		if (fd < 0 || !out_wav) {
			if (!out_wav)
				fprintf(stderr, "%s\n", err);
			return 2;
		}
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
		if (!rtp) {
			n = opus_encode(enc, pcm, 960, pkt, sizeof(pkt));
			if (n <= 0 || opus_decode(dec, pkt, n, out, 960, 0) < 0)
				return 1;
			continue;
		}
		n = opus_encode(enc, pcm, 960, pkt + RTP_HDR,
				sizeof(pkt) - RTP_HDR);
		if (n <= 0)
			return 1;
		hdr.seq = (uint16_t)i;
		hdr.ts = (uint32_t)i * 960;
		media_rtp_write_hdr(pkt, &hdr);
		(void)sendto(fd, pkt, (size_t)n + RTP_HDR, 0,
			     (struct sockaddr *)&peer, sizeof(peer));
		for (;;) {
			ssize_t r = recv(fd, rx, sizeof(rx), MSG_DONTWAIT);

			if (r <= RTP_HDR)
				break;
			got++;
			if (opus_decode(dec, rx + RTP_HDR, (int)(r - RTP_HDR),
					out, 960, 0) < 0)
				return 1;
			media_wav_write(out_wav, out, 960);
		}
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	printf("%.3f", (double)(b.tv_sec - a.tv_sec) +
	       (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	if (rtp)
		printf(" %ld", got);
	printf("\n");
	opus_encoder_destroy(enc);
	opus_decoder_destroy(dec);
	media_wav_close(w);
	if (out_wav)
		media_wav_close(out_wav);
	if (fd >= 0)
		close(fd);
	return 0;
}

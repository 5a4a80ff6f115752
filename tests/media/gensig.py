#!/usr/bin/env python3
"""gensig.py OUT.wav RATE SECONDS SEED - a deterministic test signal.

A speech-like mixture: three partials whose pitch glides and whose level
swells, plus a little noise, so that it never repeats within the file
(any lag against it is unambiguous) and codecs treat it like a voice.
Peak about -8 dBFS; 16-bit mono PCM.
"""
import math, random, struct, sys, wave

def main():
    out, rate, secs, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    rnd = random.Random(seed)
    n = int(rate * secs)
    f0 = 140 + 60 * rnd.random()
    ph = [0.0, 0.0, 0.0]
    frames = bytearray()
    for i in range(n):
        t = i / rate
        pitch = f0 * (1 + 0.25 * math.sin(2 * math.pi * 0.7 * t + seed))
        env = 0.55 + 0.45 * math.sin(2 * math.pi * 1.3 * t + 0.5 * seed)
        v = 0.0
        for k, amp in enumerate((1.0, 0.5, 0.3)):
            ph[k] += 2 * math.pi * pitch * (k + 1) * (2 if k == 2 else 1) / rate
            v += amp * math.sin(ph[k])
        v = env * v / 1.8 + 0.02 * (rnd.random() - 0.5)
        frames += struct.pack('<h', int(max(-1, min(1, v)) * 13000))
    w = wave.open(out, 'wb')
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(bytes(frames))
    w.close()

main()

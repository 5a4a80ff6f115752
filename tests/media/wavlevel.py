#!/usr/bin/env python3
"""wavlevel.py REC.wav FROM-TO[,FROM-TO...] [PREFIX] - where a recording
has sound.

Finds the onset (the first 100 ms window whose RMS reaches 300, about
-40 dBFS: the test signals peak at -8 dBFS) and, for each span FROM-TO
in seconds after it, the share of its 100 ms windows that reach 300.
Prints one line:

  onset_s=O length_s=L active=A1,A2,...

With PREFIX, each span is also written to PREFIX.N.wav (N from 1), for
wavcmp to judge one stretch without the gaps around it.
Exit 2 when REC has no sound at all.  For tests where a stretch of a
call must carry audio (a codec switch, a re-latched source) and wavcmp,
which only looks at where there is sound, cannot tell a gap.
"""
import math
import struct
import sys
import wave

WIN_S = 0.1
LEVEL = 300


def main():
    w = wave.open(sys.argv[1], "rb")
    rate = w.getframerate()
    data = w.readframes(w.getnframes())
    x = struct.unpack("<%dh" % (len(data) // 2), data)
    n = int(rate * WIN_S)
    loud = []
    for i in range(0, len(x) - n + 1, n):
        seg = x[i:i + n]
        loud.append(math.sqrt(sum(v * v for v in seg) / n) >= LEVEL)
    if True not in loud:
        print("onset_s=none length_s=%.2f active=" % (len(x) / rate))
        return 2
    onset = loud.index(True)
    shares = []
    for span in sys.argv[2].split(","):
        a, b = (float(v) for v in span.split("-"))
        win = loud[onset + int(round(a / WIN_S)):onset + int(round(b / WIN_S))]
        shares.append("%.2f" % (sum(win) / len(win) if win else 0.0))
        if len(sys.argv) > 3:
            out = wave.open("%s.%d.wav" % (sys.argv[3], len(shares)), "wb")
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            first = (onset + int(round(a / WIN_S))) * n
            last = (onset + int(round(b / WIN_S))) * n
            out.writeframes(data[2 * first:2 * last])
            out.close()
    print("onset_s=%.2f length_s=%.2f active=%s"
          % (onset * WIN_S, len(x) / rate, ",".join(shares)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

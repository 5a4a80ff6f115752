# bench/: benchmarks, run by hand or tools/bench, never by make check.
EXTRA_DIST += bench/register
EXTRA_DIST += bench/push
EXTRA_DIST += bench/pushd
EXTRA_DIST += bench/call-cpu bench/opus_floor.c bench/opus_probe.c
EXTRA_DIST += bench/provisioning

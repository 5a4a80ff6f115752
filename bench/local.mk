# bench/: benchmarks, run by hand or tools/bench, never by make check.
EXTRA_DIST += bench/register

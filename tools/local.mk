# tools/: the README's commands and the Debian bootstrap.
EXTRA_DIST += tools/bootstrap tools/build tools/run tools/test tools/bench \
	tools/test-arm .ci/run

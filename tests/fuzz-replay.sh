#!/bin/sh
# tests/fuzz-replay.sh: replays the libFuzzer seed corpus and every past
# crash through each harness (fuzz/fuzz_*.c), built with ASan+UBSan in
# build-fuzz/ by `make check` (make fuzz-build).  A libFuzzer binary given
# files runs each once and exits non-zero at the first crash, leak,
# sanitizer report or timeout.
#
# Prints one "ok fuzz-replay: ..." or "FAIL fuzz-replay: ..." line per
# harness and input set (seed corpus, tests/fuzz-regress/), naming the
# input that failed; "skip fuzz-replay: ..." when clang is not installed
# (tests/deps.sh installs it).  Environment: FUZZ_BUILD (default
# build-fuzz).
set -u
cd "$(dirname "$0")/.." || exit 2
bdir=${FUZZ_BUILD:-build-fuzz}
if ! command -v clang >/dev/null 2>&1; then
	printf '%s\n' "skip fuzz-replay: clang is not installed (tests/deps.sh installs it)"
	exit 0
fi
tmp=$(mktemp -d /tmp/tlbsim-fuzzreplay.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
ls tests/fuzz-regress/* 2>/dev/null | grep -v '\.md$' >"$tmp/regress"

# replay HARNESS SET LISTFILE: runs the files listed through the harness.
replay() {
	bin="$bdir/fuzz_$1"
	n=$(wc -l <"$3" | tr -d ' ')
	if [ ! -x "$bin" ]; then
		printf '%s\n' "FAIL fuzz-replay: $bin is missing (make fuzz-build)"
		return
	fi
	[ "$n" -gt 0 ] || { printf '%s\n' "ok fuzz-replay: fuzz_$1 $2: no inputs"; return; }
	# -timeout: a hang is a failure; -rss_limit_mb: so is a memory blow-up
	xargs "$bin" -timeout=20 -rss_limit_mb=1024 <"$3" >"$tmp/log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		printf '%s\n' "ok fuzz-replay: fuzz_$1 $2: $n inputs"
		return
	fi
	last=$(sed -n 's/^Running: //p' "$tmp/log" | tail -n 1)
	why=$(grep -m 1 'ERROR: \|runtime error\|SUMMARY' "$tmp/log")
	printf '%s\n' "FAIL fuzz-replay: fuzz_$1 $2: exit $rc on $last: $why"
	printf '%s\n' "  replay: $bin $last"
}

for h in compile sched explore; do
	ls "$bdir/corpus/$h"/* 2>/dev/null >"$tmp/seeds"
	replay "$h" "seed corpus" "$tmp/seeds"
	replay "$h" "tests/fuzz-regress" "$tmp/regress"
done
exit 0

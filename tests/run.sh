#!/bin/sh
# tests/run.sh: every test of tlbsim, run by `make check` after the build.
# Each part prints lines starting "ok " or "FAIL " (and "skip " for checks
# it cannot run here, which are shown, not counted); this script counts
# them (and cmocka's own results) and ends with "N passed, N failed".
# Exit 1 if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
out=$(mktemp -d /tmp/tlbsim-tests.XXXXXX)
trap 'rm -rf "$out"' EXIT
pass=0
fail=0

count() {   # count ok/FAIL lines of a part's output file
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^FAIL' "$1")
	pass=$((pass + p)); fail=$((fail + f))
	grep '^FAIL\|^skip' "$1" | sed 's/^/  /'
}

echo "== unit tests (cmocka)"
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t" >"$out/unit.log" 2>&1; then r=ok; else r=FAIL; fi
	n=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out/unit.log" | tail -1)
	bad=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out/unit.log" | tail -1)
	pass=$((pass + ${n:-0})); fail=$((fail + ${bad:-0}))
	if [ "$r" = FAIL ] && [ -z "$bad" ]; then fail=$((fail + 1)); fi
	echo "$r $(basename "$t"): ${n:-0} passed, ${bad:-0} failed"
	[ "$r" = ok ] || sed 's/^/  | /' "$out/unit.log"
done

# "fuzz.sh:run": the fuzzer again, mutants run (the executor's run-time
# checks), a different seed
for part in tests/errors.sh tests/fuzz.sh tests/fuzz.sh:run tests/fuzz-replay.sh tests/verdicts.sh tests/symmetry.sh tests/preempt.sh tests/shard.sh tests/tsan.sh tests/determinism.sh tests/cli.sh tests/options.sh tests/json.sh tests/install.sh tests/crash.sh tests/docs.sh tests/html.sh; do
	file=${part%%:*}
	[ -f "$file" ] || continue
	echo "== $part"
	case $part in
	*:run) FUZZ_CMD=run FUZZ_SEED=4242 FUZZ_N=200 sh "$file" >"$out/part.log" 2>&1 ;;
	*) sh "$file" >"$out/part.log" 2>&1 ;;
	esac
	rc=$?
	count "$out/part.log"
	if ! grep -q '^ok \|^FAIL' "$out/part.log" || { [ $rc -ne 0 ] && ! grep -q '^FAIL' "$out/part.log"; }; then
		echo "FAIL $part exited $rc without reporting"; sed 's/^/  | /' "$out/part.log" | tail -20
		fail=$((fail + 1))
	fi
	echo "   $(grep -c '^ok ' "$out/part.log") ok, $(grep -c '^FAIL' "$out/part.log") failed"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# tests/tsan.sh: --jobs under ThreadSanitizer (make tsan builds tlbsim-tsan):
# compare, check and explore with several threads over the shipped and
# test scenarios report no data race and print what ./tlbsim -j1 prints.
# Its ok/FAIL lines are counted by tests/run.sh.
set -u
cd "$(dirname "$0")/.." || exit 2
if [ ! -x ./tlbsim-tsan ]; then
	echo "skip tsan: no tlbsim-tsan (make tsan builds it)"
	echo "ok tsan: nothing to run"
	exit 0
fi
tmp=$(mktemp -d /tmp/tlbsim-tsan.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
TSAN_OPTIONS="halt_on_error=1 exitcode=66${TSAN_OPTIONS:+ $TSAN_OPTIONS}"
export TSAN_OPTIONS
P="scenarios tests/scenarios -I scenarios/lib"
for cmd in "compare $P" "check $P" "explore scenarios/mkclean.yaml --states" "compare $P --format json"; do
	./tlbsim $cmd --no-db -q -j1 >"$tmp/want" 2>/dev/null; want=$?
	./tlbsim-tsan $cmd --no-db -q -j2 >"$tmp/got" 2>"$tmp/err"; got=$?
	if [ $got -eq $want ] && cmp -s "$tmp/want" "$tmp/got" && ! grep -q ThreadSanitizer "$tmp/err"; then
		echo "ok tsan: ${cmd%% *} ${cmd#* } -j2: no race, the -j1 output (exit $got)"
	else
		echo "FAIL tsan: ${cmd%% *} ${cmd#* } -j2: exit $got (want $want)"
		grep -A12 'WARNING: ThreadSanitizer' "$tmp/err" | head -20 | sed 's/^/  | /'
	fi
done

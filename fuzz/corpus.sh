#!/bin/sh
# fuzz/corpus.sh DIR: (re)builds the seed corpus of the libFuzzer harnesses
# in DIR from files already in the repository, so nothing is kept twice in
# git: DIR/compile and DIR/explore get every shipped and test scenario
# (scenarios/*.yaml, scenarios/lib/*.yaml, tests/errors/*.yaml,
# tests/scenarios/*.yaml), named by their path with / as _; DIR/sched gets
# a few schedule strings, one a file.  Run from anywhere.
set -eu
cd "$(dirname "$0")/.."
dir=$1
rm -rf "$dir"
mkdir -p "$dir/compile" "$dir/explore" "$dir/sched"
for f in scenarios/*.yaml scenarios/lib/*.yaml tests/errors/*.yaml tests/scenarios/*.yaml; do
	[ -f "$f" ] || continue
	name=$(printf '%s' "$f" | tr / _)
	cp "$f" "$dir/compile/$name"
	cp "$f" "$dir/explore/$name"
done
k=0
for s in "" "0" "0 0 1 i1" "0 0 1 0 i1 1 0 0" "1,0,i0,2" "i63 63" "0	1
2" "x" "i" "64" "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"; do
	k=$((k + 1))
	printf '%s' "$s" >"$dir/sched/seed$k"
done

#!/bin/sh
# tests/determinism.sh: same scenario, options and seed -> byte-identical
# stdout and trace hash: run twice, explore twice, and the -O2 build
# against the -O0 ASan/UBSan build (tlbsim-san).
set -u
tmp=$(mktemp -d /tmp/tlbsim-det.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0

same() {   # same NAME FILE1 FILE2
	n=$((n + 1))
	if cmp -s "$2" "$3" && [ -s "$2" ]; then echo "ok determinism: $1"
	else echo "FAIL determinism: $1"; diff "$2" "$3" | head -10; fi
}

for f in scenarios/*.yaml; do
	grep -q '^scenario:' "$f" || continue
	b=$(basename "$f" .yaml)
	for seed in 0 1 7; do
		./tlbsim run "$f" --no-db --seed $seed >"$tmp/a" 2>/dev/null
		./tlbsim run "$f" --no-db --seed $seed >"$tmp/b" 2>/dev/null
		same "$b run --seed $seed twice" "$tmp/a" "$tmp/b"
		if [ -x ./tlbsim-san ]; then
			./tlbsim-san run "$f" --no-db --seed $seed >"$tmp/c" 2>/dev/null
			same "$b run --seed $seed: -O2 build = -O0 sanitizer build" "$tmp/a" "$tmp/c"
		fi
	done
	./tlbsim explore "$f" --no-db >"$tmp/a" 2>/dev/null
	./tlbsim explore "$f" --no-db >"$tmp/b" 2>/dev/null
	same "$b explore twice" "$tmp/a" "$tmp/b"
	if [ -x ./tlbsim-san ]; then
		./tlbsim-san explore "$f" --no-db >"$tmp/c" 2>/dev/null
		same "$b explore: -O2 build = -O0 sanitizer build" "$tmp/a" "$tmp/c"
	fi
done

# A witness schedule replayed with `run --schedule` reaches the same end.
w=$(./tlbsim explore scenarios/mkclean.yaml --no-db --brief --variant old --model blind 2>/dev/null |
    sed -n 's/.*lost_dirty .*witness: //p')
./tlbsim run scenarios/mkclean.yaml --no-db --variant old --model blind --schedule "$w" >"$tmp/r" 2>/dev/null
if grep -q '^outcomes: lost_dirty' "$tmp/r"; then echo "ok determinism: witness '$w' replays to lost_dirty"
else echo "FAIL determinism: witness '$w' does not replay to lost_dirty"; fi

# --jobs: the same bytes for every number of threads (issue 10 part 4):
# stdout of compare, check and explore (text and json), the database's
# matrix, and stderr but for the rate lines' times; a failing cell in the
# middle reports as with one thread.
P="scenarios tests/scenarios -I scenarios/lib"
for cmd in "compare $P" "check $P" "compare $P --format json" "explore scenarios/mkclean.yaml" "explore scenarios/mkclean.yaml --format json --states"; do
	./tlbsim $cmd --no-db -j1 >"$tmp/j1" 2>"$tmp/e1"
	for j in 2 3 7; do
		./tlbsim $cmd --no-db -j$j >"$tmp/jn" 2>"$tmp/en"
		same "${cmd%% *} ${cmd#* } -j$j = -j1 (stdout)" "$tmp/j1" "$tmp/jn"
		sed 's/ in [0-9.]* s ([0-9]* states\/s)$//' "$tmp/e1" >"$tmp/e1s"
		sed 's/ in [0-9.]* s ([0-9]* states\/s)$//' "$tmp/en" >"$tmp/ens"
		same "${cmd%% *} ${cmd#* } -j$j = -j1 (stderr but times)" "$tmp/e1s" "$tmp/ens"
	done
done
for j in 1 2; do
	./tlbsim compare $P -q -j$j --db "$tmp/j$j.db" >/dev/null 2>&1
	./tlbsim db matrix --db "$tmp/j$j.db" >"$tmp/m$j"
done
same "compare -j2 records what -j1 records (db matrix)" "$tmp/m1" "$tmp/m2"
# a cell that fails (a run-time scenario error) among others
mkdir -p "$tmp/bad"
cp scenarios/mkclean.yaml scenarios/invalidate.yaml "$tmp/bad/"
cp -r scenarios/lib "$tmp/bad/"
# (j_fails sorts between invalidate and mkclean: cells before and after it)
printf 'scenario: j_fails\nmachine: {cpus: 1, models: [validating, blind]}\nmms: [mm]\ncpus:\n  - cpu: 0\n    body: ["x = DIV_ROUND_UP(1, 0)"]\n' >"$tmp/bad/j_fails.yaml"
./tlbsim compare "$tmp/bad" --no-db -j1 >"$tmp/b1" 2>"$tmp/be1"; r1=$?
./tlbsim compare "$tmp/bad" --no-db -j2 >"$tmp/b2" 2>"$tmp/be2"; r2=$?
sed -i 's/ in [0-9.]* s ([0-9]* states\/s)$//' "$tmp/be1" "$tmp/be2"
if [ $r1 -eq 2 ] && [ $r1 -eq $r2 ] && cmp -s "$tmp/b1" "$tmp/b2" && cmp -s "$tmp/be1" "$tmp/be2" && \
   tail -1 "$tmp/be1" | grep -q 'j_fails.yaml:6:17: DIV_ROUND_UP: division by 0'; then
	echo "ok determinism: a failing cell among others: -j2 = -j1 (exit $r1, $(wc -l <"$tmp/be1") stderr lines)"
else
	echo "FAIL determinism: a failing cell among others: -j1 exit $r1, -j2 exit $r2"; diff "$tmp/be1" "$tmp/be2" | head -5
fi

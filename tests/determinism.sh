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

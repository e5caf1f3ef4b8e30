#!/bin/sh
# tests/preempt.sh: preemption-bounded search (--preemptions K, CHESS),
# on every shipped scenario.  Its ok/FAIL lines are counted by
# tests/run.sh.
#   - a bound no schedule reaches (1000) is the full search: the same
#     schedule counts, end states and outcomes (livelock, which a bounded
#     search does not look for, aside);
#   - --preemptions 2 reaches every outcome the full search reaches, and
#     0 and 1 a subset of them, each a witness that replays;
#   - with --symmetry: the same counts and witness lengths, fewer states;
#   - the same bytes twice, and with -j1 and -j2; recorded as incomplete
#     with its command; json says the mode.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-preempt.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

say() {   # say OK|FAIL text
	if [ "$1" = OK ]; then echo "ok $2"; else echo "FAIL $2"; fi
}

# explore --brief output as its cells' headers and outcome names (but
# livelock)
names() {
	awk '/^== / { sub(/  \(.*\)$/, ""); print; next }
	/^   [a-z_0-9]+ +(sometimes|always) / { if ($1 != "livelock") print "  " $1 }'
}

# explore --brief output as each cell's counts of schedules and end
# states, and per outcome (but livelock) its schedules and end states
counts() {
	awk '/^== / { sub(/  \(.*\)$/, ""); print; next }
	/ [0-9]+ states, [0-9]+ transitions, / {
		l = $0; sub(/.*transitions, /, "", l); sub(/, longest.*/, "", l)
		sub(/ \(the others never do[^)]*\)/, "", l); print "  " l }
	/; witness: / && $1 != "livelock" {
		l = $0; sub(/; witness: .*/, "", l); sub(/ with at most [0-9]+ preemptions?/, "", l)
		sub(/ (sometimes|always) /, " ", l); print l }'
}

# subset A B: 1 if every line of A is a line of B, cell by cell (both
# from names, cells in the same order)
subset() {
	awk 'NR == FNR { if (/^== /) c = $0; else have[c "|" $0] = 1; next }
	/^== / { c = $0; next } !((c "|" $0) in have) { bad = 1 } END { exit bad }' "$2" "$1"
}

for f in scenarios/*.yaml; do
	n=$(basename "$f")
	./tlbsim explore "$f" --no-db --brief -q >"$tmp/full" 2>/dev/null
	./tlbsim explore "$f" --no-db --brief -q --preemptions 1000 >"$tmp/big" 2>/dev/null
	counts <"$tmp/full" >"$tmp/c1"
	counts <"$tmp/big" >"$tmp/c2"
	if cmp -s "$tmp/c1" "$tmp/c2" && grep -q '^   PREEMPTION-BOUNDED: ' "$tmp/big"; then
		say OK "preempt: $n: --preemptions 1000 counts the full search's schedules and end states"
	else
		say FAIL "preempt: $n: --preemptions 1000 differs from the full search"
		diff "$tmp/c1" "$tmp/c2" | head -6 | sed 's/^/  | /'
	fi
	names <"$tmp/full" >"$tmp/n"
	for k in 0 1 2; do
		./tlbsim explore "$f" --no-db --brief -q --preemptions $k 2>/dev/null | names >"$tmp/n$k"
	done
	if cmp -s "$tmp/n" "$tmp/n2"; then
		say OK "preempt: $n: --preemptions 2 reaches every outcome of the full search"
	else
		say FAIL "preempt: $n: --preemptions 2 misses outcomes"
		diff "$tmp/n" "$tmp/n2" | head -6 | sed 's/^/  | /'
	fi
	if subset "$tmp/n0" "$tmp/n" && subset "$tmp/n1" "$tmp/n"; then
		say OK "preempt: $n: --preemptions 0 and 1 find $(grep -vc "^==" "$tmp/n0") and $(grep -vc "^==" "$tmp/n1") of its $(grep -vc "^==" "$tmp/n") (cell, outcome) pairs"
	else
		say FAIL "preempt: $n: --preemptions 0 or 1 reaches an outcome the full search does not"
	fi
done

# the outcomes found within a bound, with fewer preemptions each time
f=scenarios/mkclean.yaml
st() { ./tlbsim explore $f -v old -m blind --no-db --brief "$@" 2>&1 >/dev/null | awk '/^explored / { print $5 }'; }
s0=$(st --preemptions 0) s1=$(st --preemptions 1) s2=$(st --preemptions 2) sf=$(st)
if [ "$s0" -lt "$s1" ] && [ "$s1" -lt "$s2" ]; then
	say OK "preempt: mkclean old blind: $s0, $s1, $s2 states with --preemptions 0, 1, 2 ($sf in full)"
else
	say FAIL "preempt: mkclean old blind: states $s0, $s1, $s2 not growing with the bound"
fi

# every witness of a bounded search replays to its outcome
bad=0 n=0
./tlbsim explore $f -v old -m blind --no-db --brief -q --preemptions 0 >"$tmp/w"
while IFS= read -r l; do
	o=$(echo "$l" | awk '{ print $1 }')
	w=$(echo "$l" | sed 's/.*; witness: //')
	n=$((n + 1))
	./tlbsim run $f -v old -m blind --no-db -q --schedule "$w" | grep -q "^outcomes: .*$o" || bad=$((bad + 1))
done <<EOF
$(grep '; witness: ' "$tmp/w")
EOF
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ] && say OK "preempt: the $n witnesses of --preemptions 0 replay to their outcomes" ||
	say FAIL "preempt: $bad of $n witnesses of --preemptions 0 do not replay"

# with CPU symmetry: the same bounded schedule counts, outcomes and
# witness lengths in fewer states, and the witnesses replay
TLBSIM_PATH="$(pwd)/scenarios/lib${TLBSIM_PATH:+:$TLBSIM_PATH}"
export TLBSIM_PATH
sh bench/gen_scaling.sh 4 "$tmp/n4.yaml"
lens() {   # explore --brief output without the counts symmetry changes
	awk '/^   symmetry: / { next }
	/ PREEMPTION-BOUNDED: / { sub(/: [0-9]+ states, [0-9]+ transitions, /, ": "); sub(/, [0-9]+ end states, /, ", ") }
	/; witness: / { i = index($0, "; witness: "); h = substr($0, 1, i - 1); sub(/ \([0-9]+ end states\)$/, "", h)
		$0 = h "; witness of " split(substr($0, i + 11), t, " ") " choices" }
	{ print }'
}
for g in "$tmp/n4.yaml" tests/scenarios/sym_flush.yaml tests/scenarios/sym_pinned.yaml; do
	for k in 0 1; do
		./tlbsim explore "$g" --no-db --brief --preemptions $k 2>"$tmp/e1" | lens >"$tmp/x1"
		./tlbsim explore "$g" --no-db --brief --preemptions $k --symmetry 2>"$tmp/e2" >"$tmp/xs"
		lens <"$tmp/xs" >"$tmp/x2"
		s1=$(awk '/^explored / { s += $5 } END { print s + 0 }' "$tmp/e1")
		s2=$(awk '/^explored / { s += $5 } END { print s + 0 }' "$tmp/e2")
		bad=0
		while IFS= read -r l; do
			case "$l" in
			"== "*) v=$(echo "$l" | awk '{ print $4 }') m=$(echo "$l" | awk '{ print $6 }')
				vo=""; [ "$v" = - ] || vo="--variant $v" ;;
			*"; witness: "*) o=$(echo "$l" | awk '{ print $1 }') w=$(echo "$l" | sed 's/.*; witness: //')
				# shellcheck disable=SC2086
				./tlbsim run "$g" $vo --model "$m" --no-db -q --schedule "$w" | grep -q "^outcomes: .*$o" || bad=$((bad + 1)) ;;
			esac
		done <"$tmp/xs"
		if cmp -s "$tmp/x1" "$tmp/x2" && [ "$s2" -lt "$s1" ] && [ "$bad" -eq 0 ]; then
			say OK "preempt: $(basename "$g") --preemptions $k --symmetry: the same counts and witness lengths, $s2 states for $s1; witnesses replay"
		else
			say FAIL "preempt: $(basename "$g") --preemptions $k --symmetry: $s2 states for $s1, $bad witnesses that do not replay"
			diff "$tmp/x1" "$tmp/x2" | head -6 | sed 's/^/  | /'
		fi
	done
done

# deterministic: the same bytes twice, and with -j1 and -j2
./tlbsim compare scenarios --no-db -q --preemptions 1 -j1 >"$tmp/d1" 2>/dev/null
./tlbsim compare scenarios --no-db -q --preemptions 1 -j2 >"$tmp/d2" 2>/dev/null
./tlbsim explore scenarios/truncate.yaml --no-db --preemptions 1 --format json 2>/dev/null | sed 's/"seconds": [0-9.e-]*//' >"$tmp/j1"
./tlbsim explore scenarios/truncate.yaml --no-db --preemptions 1 --format json 2>/dev/null | sed 's/"seconds": [0-9.e-]*//' >"$tmp/j2"
if cmp -s "$tmp/d1" "$tmp/d2" && cmp -s "$tmp/j1" "$tmp/j2" && grep -q '(incomplete)' "$tmp/d1" && grep -q -- '--preemptions' "$tmp/d1"; then
	say OK "preempt: the same bytes twice and with -j1 and -j2; the matrix marks its cells (incomplete)"
else
	say FAIL "preempt: not deterministic, or the matrix does not mark its cells"
fi
if grep -q '"complete": false, "stopped_by": "--preemptions"' "$tmp/j1" && grep -q '"preemptions": 1' "$tmp/j1"; then
	say OK "preempt: json says complete false, stopped_by --preemptions, preemptions 1"
else
	say FAIL "preempt: json does not say the mode"
fi

# check judges within the bound: what it found is sometimes, the rest not known
./tlbsim check $f --no-db -q --preemptions 0 >"$tmp/ck"
rc=$?
if [ $rc -eq 0 ] && grep -qx 'ok   page_mkclean_one old blind: lost_dirty sometimes' "$tmp/ck" &&
   grep -q 'not known, the search stopped at [0-9]* states (--preemptions)' "$tmp/ck"; then
	say OK "preempt: check --preemptions 0: found outcomes judged, the others not known, exit 0"
else
	say FAIL "preempt: check --preemptions 0 (exit $rc)"
	head -5 "$tmp/ck" | sed 's/^/  | /'
fi

# recorded as an incomplete run with its command; its witness replays
./tlbsim explore $f -v old -m blind -q --brief --preemptions 1 --db "$tmp/p.db" >/dev/null 2>&1
if [ "$(sqlite3 "$tmp/p.db" 'SELECT complete FROM runs')" = 0 ] &&
   sqlite3 "$tmp/p.db" 'SELECT command FROM runs' | grep -q -- '--preemptions 1' &&
   ./tlbsim replay lost_dirty --db "$tmp/p.db" | grep -qx 'the timeline matches the recorded one'; then
	say OK "preempt: recorded as an incomplete run with its command; the witness replays"
else
	say FAIL "preempt: not recorded as an incomplete --preemptions run"
fi

# a bound of --max-states still stops a bounded search, and says both
./tlbsim explore tests/data/forever.yaml --no-db --brief -q --max-states 1000 --preemptions 1 >"$tmp/o" 2>/dev/null
rc=$?
if [ $rc -eq 4 ] && grep -q '^   INCOMPLETE: --max-states stopped the search of the schedules within --preemptions 1 at 1001 states' "$tmp/o"; then
	say OK "preempt: --max-states stops a bounded search: exit 4, INCOMPLETE names both"
else
	say FAIL "preempt: --max-states with --preemptions (exit $rc)"
fi

#!/bin/sh
# tests/symmetry.sh: the CPU symmetry reduction (--symmetry, sim/symmetry.h)
# finds what the full search finds.  Its ok/FAIL lines are counted by
# tests/run.sh.
#   - every shipped scenario x variant x model: the same `compare` matrix,
#     and the same `check` verdicts (shipped and test scenarios);
#   - the scenarios with interchangeable CPUs (tests/scenarios/sym_*.yaml
#     and bench/gen_scaling.sh at N=4 and N=5): fewer states, and the same
#     explore report but for the counts of states, transitions and end
#     states (the reduced graph's): the same schedule counts, verdicts and
#     witness lengths; every witness of the reduced search replays with
#     `tlbsim run` to its outcome;
#   - the classes found, as explore and tlbsim list say them; a class a
#     scenario declares (machine.symmetric); the sanitizer build's bytes;
#     bad usage.
set -u
cd "$(dirname "$0")/.." || exit 2
# tests/scenarios/lib links to scenarios/lib: a root includes may reach
TLBSIM_PATH=scenarios/lib
export TLBSIM_PATH
tmp=$(mktemp -d /tmp/tlbsim-sym.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# the generated scaling scenarios live in $tmp and include scenarios/lib
TLBSIM_PATH="$(pwd)/scenarios/lib${TLBSIM_PATH:+:$TLBSIM_PATH}"
export TLBSIM_PATH

say() {   # say OK|FAIL text
	if [ "$1" = OK ]; then echo "ok $2"; else echo "FAIL $2"; fi
}

same() {  # same FILE1 FILE2 what
	if cmp -s "$1" "$2"; then say OK "$3"; else say FAIL "$3"; diff "$1" "$2" | head -10 | sed 's/^/  | /'; fi
}

# explore --brief output without what the reduction changes: the counts of
# states, transitions and end states, the symmetry line; a witness becomes
# its length (a livelock's lasso may go round more than once: dropped).
norm() {
	awk '
	/^   symmetry: / { next }
	/^   [0-9]+ states, [0-9]+ transitions, / {
		sub(/^   [0-9]+ states, [0-9]+ transitions, /, "   ")
		sub(/, [0-9]+ end states, longest/, ", longest")
	}
	/ states reach no end state; witness: / { sub(/: [0-9]+ of [0-9]+ states reach.*/, ": livelock") }
	/; witness: / {
		i = index($0, "; witness: ")
		w = substr($0, i + 11)
		head = substr($0, 1, i - 1)
		sub(/ \([0-9]+ end states\)$/, "", head)
		$0 = head "; witness of " split(w, t, " ") " choices"
	}
	{ print }'
}

# states explored, summed over the combos (explore's stderr lines)
states() {
	awk '/^explored / { s += $5 } END { print s + 0 }' "$1"
}

# Replays every witness of `explore --symmetry` of $1 with tlbsim run.
replays() {
	f=$1 bad=0 n=0
	./tlbsim explore "$f" --no-db --brief --symmetry 2>/dev/null >"$tmp/rx"
	while IFS= read -r l; do
		case "$l" in
		"== "*)
			v=$(echo "$l" | awk '{ print $4 }')
			m=$(echo "$l" | awk '{ print $6 }')
			vo=""
			[ "$v" = - ] || vo="--variant $v"
			;;
		*"; witness: "*)
			o=$(echo "$l" | awk '{ print $1 }')
			w=$(echo "$l" | sed 's/.*; witness: //; s/ (the last .*//')
			# shellcheck disable=SC2086
			got=$(./tlbsim run "$f" $vo --model "$m" --no-db --schedule "$w" 2>&1 | grep '^outcomes:')
			n=$((n + 1))
			case "$got" in
			*"$o"*) ;;
			*) bad=$((bad + 1)); echo "  | $f $v $m: witness of $o replays to '$got'" ;;
			esac
			;;
		esac
	done <"$tmp/rx"
	if [ "$bad" -eq 0 ] && [ "$n" -gt 0 ]; then
		say OK "symmetry: $n witnesses of $(basename "$f") replay to their outcomes"
	else
		say FAIL "symmetry: $bad of $n witnesses of $(basename "$f") do not replay to their outcomes"
	fi
}

# --- every shipped scenario, variant and model
./tlbsim compare scenarios --no-db >"$tmp/m1" 2>/dev/null
./tlbsim compare scenarios --no-db --symmetry >"$tmp/m2" 2>/dev/null
same "$tmp/m1" "$tmp/m2" "symmetry: compare scenarios prints the same matrix with --symmetry"
./tlbsim check scenarios tests/scenarios --no-db >"$tmp/c1" 2>/dev/null
./tlbsim check scenarios tests/scenarios --no-db --symmetry >"$tmp/c2" 2>/dev/null
same "$tmp/c1" "$tmp/c2" "symmetry: check scenarios tests/scenarios gives the same verdicts with --symmetry"

# --- scenarios with interchangeable CPUs
sh bench/gen_scaling.sh 4 "$tmp/n4.yaml"
sh bench/gen_scaling.sh 5 "$tmp/n5.yaml"
for f in tests/scenarios/sym_*.yaml "$tmp/n4.yaml" "$tmp/n5.yaml"; do
	./tlbsim explore "$f" --no-db --brief 2>"$tmp/e1" | norm >"$tmp/x1"
	./tlbsim explore "$f" --no-db --brief --symmetry 2>"$tmp/e2" | norm >"$tmp/x2"
	name=$(basename "$f")
	same "$tmp/x1" "$tmp/x2" "symmetry: $name: the same schedule counts, verdicts and witness lengths"
	s1=$(states "$tmp/e1") s2=$(states "$tmp/e2")
	if [ "$s2" -lt "$s1" ]; then
		say OK "symmetry: $name: $s2 states reduced, $s1 full"
	else
		say FAIL "symmetry: $name: $s2 states reduced, not fewer than $s1 full"
	fi
done
./tlbsim check "$tmp/n4.yaml" "$tmp/n5.yaml" --no-db >"$tmp/c1" 2>/dev/null
./tlbsim check "$tmp/n4.yaml" "$tmp/n5.yaml" --no-db --symmetry >"$tmp/c2" 2>/dev/null
same "$tmp/c1" "$tmp/c2" "symmetry: gen_scaling N=4 and N=5: the same verdicts with --symmetry"
for f in tests/scenarios/sym_*.yaml "$tmp/n4.yaml"; do
	replays "$f"
done

# --- the classes
cls() {   # cls FILE: the symmetry line of its first combo
	./tlbsim explore "$1" --no-db --brief --symmetry 2>/dev/null | sed -n 's/^   symmetry: \([^:]*\).*/\1/p' | head -1
}
got=$(cls tests/scenarios/sym_pinned.yaml)
[ "$got" = "CPU#2,3 interchangeable" ] && say OK "symmetry: sym_pinned: $got (CPU#1 named by a check, CPU#4 starts apart, CPU#5 outside mm_cpumask)" ||
	say FAIL "symmetry: sym_pinned: '$got', want 'CPU#2,3 interchangeable'"
got=$(cls "$tmp/n4.yaml")
[ "$got" = "CPU#1-4 interchangeable" ] && say OK "symmetry: gen_scaling N=4: $got" ||
	say FAIL "symmetry: gen_scaling N=4: '$got', want 'CPU#1-4 interchangeable'"
got=$(cls scenarios/mkclean.yaml)
[ "$got" = "none (no two CPUs are interchangeable)" ] && say OK "symmetry: mkclean.yaml: $got" ||
	say FAIL "symmetry: mkclean.yaml: '$got'"

# --- tlbsim list: its last line(s), per model when the models differ
lastl() { ./tlbsim list "$1" 2>&1 | tail -"${2:-1}" | tr '\n' '|'; }
for t in "$tmp/n4.yaml|symmetry: CPU#1-4 interchangeable|" \
	"scenarios/mkclean.yaml|symmetry: none (no two CPUs are interchangeable)|" \
	"tests/scenarios/sym_pinned.yaml|symmetry: CPU#2,3 interchangeable|"; do
	f=${t%%|*} want=${t#*|}
	got=$(lastl "$f")
	[ "$got" = "$want" ] && say OK "symmetry: tlbsim list $(basename "$f") ends '$got'" ||
		say FAIL "symmetry: tlbsim list $(basename "$f") ends '$got', want '$want'"
done
# CPU#2 with a fixed model: interchangeable with CPU#3 only under that model
sed -e 's/  - {cpu: 2, mm: mm, body:/  - {cpu: 2, mm: mm, model: blind, body:/' \
	-e 's/models: \[validating\]}/models: [validating, blind]}/' tests/scenarios/sym_pinned.yaml >"$tmp/models.yaml"
got=$(lastl "$tmp/models.yaml" 2)
want="symmetry under validating: none (no two CPUs are interchangeable)|symmetry under blind: CPU#2,3 interchangeable|"
[ "$got" = "$want" ] && say OK "symmetry: tlbsim list names the classes per model when they differ" ||
	say FAIL "symmetry: tlbsim list per model: '$got', want '$want'"

# --- machine.symmetric: a declared class is checked by the compiler
# (refusals: tests/errors/symmetric_*.yaml), printed by list, and turns
# the reduction on: explore without --symmetry prints what explore
# --symmetry prints, --no-symmetry what the full search prints
sed 's/^  cpus: 5$/  cpus: 5\n  symmetric: [1, 2, 3, 4]/' "$tmp/n4.yaml" >"$tmp/n4s.yaml"
got=$(./tlbsim list "$tmp/n4s.yaml" 2>&1 | tail -2 | head -1)
[ "$got" = "symmetric (machine.symmetric): CPU#1-4: explore, check and compare reduce by CPU symmetry unless --no-symmetry" ] &&
	say OK "symmetry: tlbsim list prints the declared class" || say FAIL "symmetry: tlbsim list of a declared class: '$got'"
./tlbsim explore "$tmp/n4.yaml" --no-db --brief --symmetry 2>/dev/null | sed 's/page_mkclean_one_n4  variant/X/; s/(.*n4\.yaml)/F/' >"$tmp/d1"
./tlbsim explore "$tmp/n4s.yaml" --no-db --brief 2>/dev/null | sed 's/page_mkclean_one_n4  variant/X/; s/(.*n4s\.yaml)/F/' >"$tmp/d2"
same "$tmp/d1" "$tmp/d2" "symmetry: a scenario declaring machine.symmetric explores as with --symmetry"
./tlbsim explore "$tmp/n4.yaml" --no-db --brief 2>/dev/null | sed 's/page_mkclean_one_n4  variant/X/; s/(.*n4\.yaml)/F/' >"$tmp/d1"
./tlbsim explore "$tmp/n4s.yaml" --no-db --brief --no-symmetry 2>/dev/null | sed 's/page_mkclean_one_n4  variant/X/; s/(.*n4s\.yaml)/F/' >"$tmp/d2"
same "$tmp/d1" "$tmp/d2" "symmetry: --no-symmetry explores a declared scenario in full"
./tlbsim check "$tmp/n4.yaml" --no-db >"$tmp/c1" 2>/dev/null
./tlbsim check "$tmp/n4s.yaml" --no-db >"$tmp/c2" 2>/dev/null
same "$tmp/c1" "$tmp/c2" "symmetry: check of a declared scenario: the same verdicts"
./tlbsim explore "$tmp/n4s.yaml" --no-db --symmetry --no-symmetry >"$tmp/o" 2>"$tmp/e"
[ $? -eq 2 ] && [ ! -s "$tmp/o" ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] &&
	say OK "symmetry: --symmetry with --no-symmetry: one line, exit 2" || say FAIL "symmetry: --symmetry with --no-symmetry"

# --- the sanitizer build, byte for byte
if [ -x ./tlbsim-san ]; then
	for f in tests/scenarios/sym_flush.yaml tests/scenarios/sym_livelock.yaml; do
		./tlbsim explore "$f" --no-db --symmetry >"$tmp/o1" 2>/dev/null
		./tlbsim-san explore "$f" --no-db --symmetry >"$tmp/o2" 2>/dev/null
		same "$tmp/o1" "$tmp/o2" "symmetry: $(basename "$f"): tlbsim-san explore --symmetry prints the same bytes"
	done
else
	echo "skip symmetry: no ./tlbsim-san"
fi

# --- recorded: a reduced run is recorded with its classes, its counts
# said to be the reduced graph's (runs.symmetry), in db runs json and the
# HTML report; its witnesses replay and match
f=tests/scenarios/sym_mmap_lock.yaml
./tlbsim explore "$f" --symmetry --db "$tmp/t.db" -q --brief >/dev/null 2>&1
if [ "$(sqlite3 "$tmp/t.db" 'SELECT symmetry FROM runs')" = "CPU#0-2" ] && \
   ./tlbsim db runs --db "$tmp/t.db" --format json | grep -q '"symmetry": "CPU#0-2"' && \
   ./tlbsim report --db "$tmp/t.db" | grep -q 'CPU symmetry</td><td>CPU#0-2 interchangeable: states, transitions and end states count the reduced graph' && \
   ./tlbsim replay mtime_missed --db "$tmp/t.db" | grep -qx 'the timeline matches the recorded one'; then
	say OK "symmetry: explore --symmetry --db records the classes (runs.symmetry), json and HTML say so, the witness replays"
else
	say FAIL "symmetry: explore --symmetry --db: not recorded as a reduced search"
fi
./tlbsim explore "$f" --db "$tmp/t.db" -q --brief >/dev/null 2>&1
if [ "$(sqlite3 "$tmp/t.db" 'SELECT count(*) FROM runs WHERE symmetry IS NULL')" = 1 ] && \
   ./tlbsim explore "$f" --symmetry --no-db -q --brief --html - | grep -q 'CPU symmetry</td><td>CPU#0-2'; then
	say OK "symmetry: a full search records symmetry NULL; explore --symmetry --html says it too"
else
	say FAIL "symmetry: full search or --html of a reduced one"
fi

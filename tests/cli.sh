#!/bin/sh
# tests/cli.sh: the command line end to end: help, the database round trip
# (explore -> db runs/matrix -> replay, changed-file detection,
# regressions), and docs that are generated from the code.
set -u
tmp=$(mktemp -d /tmp/tlbsim-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
T=$PWD/tlbsim

check() {  # check NAME COMMAND...: ok when the command succeeds
	name=$1; shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then echo "ok cli: $name"
	else echo "FAIL cli: $name"; tail -5 "$tmp/out" "$tmp/err"; fi
}

for c in run explore check compare list replay db report ops models; do
	check "$c --help" sh -c "$T $c --help | grep -q usage"
done
check "--help" sh -c "$T --help | grep -q 'usage: tlbsim'"
$T ops --markdown >"$tmp/ops"
check "docs/steps.md is current (./tlbsim ops --markdown)" sh -c "tail -n +3 docs/steps.md | cmp -s - $tmp/ops"
# the comparison matrix of every shipped scenario, every variant, every
# model (the expect: entries judge each cell; this pins the whole table)
check "compare scenarios prints tests/matrix.expected" sh -c "$T compare scenarios --no-db 2>/dev/null | cmp -s - tests/matrix.expected"
check "check fails a scenario with no end state (no vacuous never)" sh -c "$T check tests/data/no_end_state.yaml --no-db 2>/dev/null | grep -q '^FAIL spinner - validating: no end state'; test \$? -eq 0 && ! $T check tests/data/no_end_state.yaml --no-db >/dev/null 2>&1"
check "check fails an outcome no expect: entry names" sh -c "$T check tests/data/unexpected.yaml --no-db 2>/dev/null >$tmp/unexp; test \$? -eq 1 && grep -q '^FAIL unexpected: bug_on in unexpected - blind' $tmp/unexp && grep -q 'tlbsim run tests/data/unexpected.yaml --model blind --schedule \"\"' $tmp/unexp"
sed 's/{deadlock: never}/{deadlock: never, others: any}/' tests/data/unexpected.yaml >"$tmp/others.yaml"
check "check passes it with others: any" sh -c "$T check $tmp/others.yaml --no-db >/dev/null 2>&1"
# the docs show real output: README's witness, and the matrix of README
# and docs/races.md, are what tlbsim prints today
awk '/^== page_mkclean_one  variant old  model blind/ { p = 1 } p { print } /^-- dirty_nonpresent_pte/ { exit }' README.md >"$tmp/readme.ex"
$T explore scenarios/mkclean.yaml --variant old --model blind --no-db 2>/dev/null |
	awk '{ print } /^-- dirty_nonpresent_pte/ { exit }' >"$tmp/real.ex"
check "README's explore example is current" cmp -s "$tmp/readme.ex" "$tmp/real.ex"
for doc in README.md docs/races.md; do
	awk '/^scenario  +variant  +validating/ { p = 1 } p && /^```/ { exit } p { print }' "$doc" >"$tmp/doc.matrix"
	check "$doc's matrix is tests/matrix.expected" cmp -s "$tmp/doc.matrix" tests/matrix.expected
done
check "db matrix reprints what compare recorded" sh -c "$T compare scenarios --db $tmp/m.db 2>/dev/null >/dev/null && $T db matrix --db $tmp/m.db | cmp -s - tests/matrix.expected"

# database round trip, on a private copy of the scenarios
cp -r scenarios "$tmp/s"
db="$tmp/t.db"
check "explore records" sh -c "$T explore $tmp/s/mkclean.yaml --db $db --brief >/dev/null 2>$tmp/rec"
check "db runs lists 21 explores (3 variants x 7 models)" sh -c "test \$($T db runs --db $db | grep -c ' explore ') -eq 21"
check "db matrix: old blind loses data" sh -c "$T db matrix --db $db | grep '^page_mkclean_one  old ' | grep -q 'dirty_nonpresent_pte,lost_dirty'"
check "db matrix: fixed none" sh -c "$T db matrix --db $db | grep '^page_mkclean_one  fixed ' | grep -qv lost_dirty"
id=$(sed -n 's/^recorded witness \([0-9]*\) (.* lost_dirty)$/\1/p' "$tmp/rec" | head -1)
check "replay witness $id matches its recording" sh -c "$T replay ${id:-0} --db $db | grep -q 'matches the recorded'"
echo "# edited" >> "$tmp/s/mkclean.yaml"
check "replay notices a changed scenario" sh -c "$T replay ${id:-0} --db $db | grep -q 'changed since this was recorded'"
# recorded by a relative name, replayed from another folder: the file is
# not there to compare with, and the note says so (not "no longer compiles")
(cd "$tmp/s" && $T explore mkclean.yaml -v old -m blind --db "$tmp/rel.db" --brief >/dev/null 2>&1)
check "replay from another folder: the file is not found from here" sh -c "cd $tmp && $T replay lost_dirty --db $tmp/rel.db | \
	grep -q '^note: mkclean.yaml is not found from this folder' && cd $tmp && $T replay lost_dirty --db $tmp/rel.db | grep -q 'matches the recorded'"
check "replay by outcome name" sh -c "$T replay lost_dirty --scenario page_mkclean_one --db $db | grep -q '^outcomes: .*lost_dirty'"
check "replay of an outcome never seen exits 2" sh -c "$T replay deadlock --scenario page_mkclean_one --db $db; test \$? -eq 2"
check "replay of a missing id exits 2" sh -c "$T replay 99999 --db $db; test \$? -eq 2"
check "regressions against itself: none" sh -c "$T db regressions --against $db --db $db"
check "run records and replays by run id" sh -c "$T run $tmp/s/mkclean.yaml --db $db --seed 2 >$tmp/run 2>$tmp/rr && \
	rid=\$(sed -n 's/^recorded run \([0-9]*\).*/\1/p' $tmp/rr) && $T replay --run \$rid --db $db | grep -q '^outcomes: none'"
check "check prints a summary line" sh -c "$T check scenarios --no-db | tail -1 | grep -Eq '^[0-9]+ passed, 0 failed$'"
check "compare prints the matrix" sh -c "$T compare scenarios/mkclean.yaml --no-db | grep -q '^page_mkclean_one  old '"

# livelock: explore's lasso replays with run --schedule (it stops in the
# cycle, marked in the timeline), and the database keeps the witness
w=$($T explore scenarios/livelock.yaml --variant leak --model validating --brief --no-db 2>/dev/null |
    sed -n 's/^ *livelock .*witness: \(.*\) (the last [0-9]* repeats* forever)$/\1/p')
check "livelock witness '$w' replays with run --schedule" sh -c "$T run scenarios/livelock.yaml --variant leak --model validating --no-db --schedule '$w' >$tmp/ll && \
	grep -q '^outcomes: livelock$' $tmp/ll && grep -q '^-- cycle starts here' $tmp/ll && grep -q '^schedule: $w$' $tmp/ll"
check "livelock counts states, not schedules" sh -c "$T explore scenarios/livelock.yaml --variant leak --model validating --brief --no-db 2>/dev/null | \
	grep -Eq '^   livelock +sometimes: [0-9]+ of [0-9]+ states reach no end state; witness: '"
check "explore records a livelock witness, replay matches it" sh -c "$T explore scenarios/livelock.yaml --model validating --db $tmp/ll.db --brief >/dev/null 2>&1 && \
	$T replay livelock --scenario livelock --db $tmp/ll.db >$tmp/llr && grep -q '^outcomes: livelock' $tmp/llr && grep -q 'matches the recorded' $tmp/llr"
check "check judges livelock in a scenario with no end state" sh -c "$T check tests/data/no_end_state.yaml --no-db 2>/dev/null | grep -q '^ok   spinner - validating: livelock always'"

# schema version 2: a real version-1 file (recorded by tlbsim before the
# views, tests/data/schema-v1.db) is migrated when tlbsim opens it, and the
# views answer the questions of docs/schema.md, in the stock sqlite3 shell
cp tests/data/schema-v1.db "$tmp/v1.db"
check "db: a version-1 database migrates to version 3" sh -c "$T db matrix --db $tmp/v1.db >/dev/null && \
	test \"\$(sqlite3 $tmp/v1.db 'PRAGMA user_version')\" = 3"
# version 3: the views know incomplete searches; a real version-2 file
# (tests/data/schema-v2.db) gets them when tlbsim opens it
cp tests/data/schema-v2.db "$tmp/v2.db"
check "db: a version-2 database migrates to version 3, its run kept, complete" sh -c "$T db matrix --db $tmp/v2.db | grep -q '^page_mkclean_one  old      dirty_nonpresent_pte,lost_dirty,lost_write$' && \
	test \"\$(sqlite3 $tmp/v2.db 'PRAGMA user_version')\" = 3 && \
	test \"\$(sqlite3 $tmp/v2.db \"SELECT DISTINCT complete FROM verdicts\")\" = 1 && \
	test \"\$(sqlite3 $tmp/v2.db \"SELECT complete FROM matrix\")\" = 1 && \
	test \"\$(sqlite3 $tmp/v2.db \"SELECT count(*) FROM runs WHERE git IS NULL\")\" = 1"
git=$($T --version | sed -n 's/^tlbsim [^ ]* (git \(.*\))$/\1/p')
check "runs record the git describe of the build ($git), and db regressions takes it for a version" sh -c "$T explore scenarios/mkclean.yaml -v old -m blind --brief -q --db $tmp/git.db >/dev/null && \
	test \"\$(sqlite3 $tmp/git.db 'SELECT git FROM runs')\" = '$git' && \
	$T db regressions --from '$git' --to 0.1.0 --db $tmp/git.db >$tmp/rg && test ! -s $tmp/rg"
check "db: the migrated file keeps its run and reads the same matrix" sh -c "$T db matrix --db $tmp/v1.db | grep -q '^page_mkclean_one  old      dirty_nonpresent_pte,lost_dirty,lost_write'"
$T compare scenarios/mkclean.yaml --db "$tmp/views.db" >/dev/null 2>&1
check "db views: blind but not validating loses data (one query)" sh -c "test \"\$(sqlite3 $tmp/views.db \"SELECT DISTINCT scenario || ' ' || variant FROM verdicts v WHERE model = 'blind' AND outcome = 'lost_dirty' AND NOT EXISTS (SELECT 1 FROM verdicts w WHERE w.scenario = v.scenario AND w.variant = v.variant AND w.model = 'validating' AND w.outcome = 'lost_dirty')\")\" = 'page_mkclean_one old'"
check "db views: the matrix view is the matrix" sh -c "sqlite3 $tmp/views.db \"SELECT outcomes FROM matrix WHERE variant = 'old' AND model = 'nonatomic'\" | grep -qx 'lost_dirty,lost_write'"
check "db views: witness_text decompresses in the stock shell" sh -c "sqlite3 $tmp/views.db \"SELECT text FROM witness_text WHERE outcome = 'lost_dirty' LIMIT 1\" | grep -q 'page_mkclean_one\\|CPU#1'"
check "db views: verdicts say Sometimes or Always" sh -c "sqlite3 $tmp/views.db \"SELECT DISTINCT verdict FROM verdicts\" | grep -qx 'Sometimes'"
# replay and db only read: a missing database is an error, never created
for c in "db matrix" "db runs" "replay lost_dirty"; do
	check "$c of a missing database: exit 2, nothing created" sh -c "$T $c --db $tmp/missing.db; test \$? -eq 2 && test ! -e $tmp/missing.db"
done
check "db regressions of an unknown version: one line, exit 2" sh -c "$T db regressions --from 9.9.9 --to 0.1.0 --db $tmp/views.db >$tmp/rg 2>$tmp/rge; \
	test \$? -eq 2 && test ! -s $tmp/rg && test \$(wc -l < $tmp/rge) -eq 1 && grep -q 'no explore runs of version 9.9.9' $tmp/rge"
# docs/cli.md holds every command's --help text as the code prints it
for c in "" run explore check compare list replay db report ops models; do
	$T $c --help >"$tmp/help"
	check "docs/cli.md has 'tlbsim $c --help'" sh -c "awk -v h='## ${c:-tlbsim}' '\$0 == h { p = 1; next } p && /^\`\`\`\$/ { if (n++) exit; next } p && n { print }' docs/cli.md | cmp -s - $tmp/help"
done
check "db: runs say when, by which command line, with which bound" sh -c "sqlite3 $tmp/views.db \"SELECT recorded_at, command, max_states, complete FROM runs LIMIT 1\" | \
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\\|tlbsim compare scenarios/mkclean.yaml --db [^|]*views.db\\|50000000\\|1\$'"
check "db: a migrated version-1 run has no provenance (NULL), not an invented one" sh -c "test \"\$(sqlite3 $tmp/v1.db 'SELECT count(*) FROM runs WHERE recorded_at IS NULL AND command IS NULL')\" = 1"
# results survive a failed write: printed first, then "nothing was recorded", exit 3
printf 'not a database' >"$tmp/notdb.db"
sqlite3 "$tmp/v99.db" 'CREATE TABLE t(x); PRAGMA user_version = 99'
for db in notdb v99; do
	check "explore into a database it cannot write ($db): results printed, nothing recorded, exit 3" sh -c "$T explore scenarios/mkclean.yaml -v old -m blind --brief --db $tmp/$db.db >$tmp/o 2>$tmp/e; \
		test \$? -eq 3 && grep -q '^   lost_dirty ' $tmp/o && grep -q 'nothing was recorded' $tmp/e && ! grep -q 'recorded witness' $tmp/e"
done
check "compare into a database of another schema: the matrix printed, exit 3" sh -c "$T compare scenarios/mkclean.yaml --db $tmp/v99.db >$tmp/o 2>/dev/null; \
	test \$? -eq 3 && grep -q '^page_mkclean_one  old ' $tmp/o"
check "check into a database it cannot write: the verdicts printed, exit 3" sh -c "$T check scenarios/mkclean.yaml --db $tmp/notdb.db >$tmp/o 2>/dev/null; \
	test \$? -eq 3 && grep -q ' passed, 0 failed' $tmp/o"
# robust replay: a database with missing or corrupt rows gives one line naming the row, exit 2
$T explore scenarios/mkclean.yaml -v old -m blind --brief --db "$tmp/rr.db" >/dev/null 2>&1
for k in files:"PRAGMA foreign_keys=OFF; DELETE FROM scenario_files" trace:"UPDATE outcomes SET trace = x'0102030405'" \
	len:"UPDATE outcomes SET trace_len = 9000000000" text:"UPDATE outcomes SET trace = 'abc'"; do
	cp "$tmp/rr.db" "$tmp/rr-${k%%:*}.db"
	sqlite3 "$tmp/rr-${k%%:*}.db" "${k#*:}"
	check "replay of a database with a bad row (${k%%:*}): one line, exit 2, no crash" sh -c "$T replay 1 --db $tmp/rr-${k%%:*}.db >/dev/null 2>$tmp/e; \
		test \$? -eq 2 && test \$(wc -l < $tmp/e) -eq 1 && grep -q 'witness 1: ' $tmp/e"
done
# a scenario built from more than 64 files is recorded whole, and replays
mkdir -p "$tmp/many/lib"
inc=""
for i in $(seq 1 70); do
	printf 'description: l%d\nprocedures:\n  - name: p%d\n    body: ["return 0"]\n' "$i" "$i" >"$tmp/many/lib/l$i.yaml"
	inc="$inc${inc:+, }lib/l$i.yaml"
done
printf 'scenario: many\nmachine: {cpus: 1}\nmms: [mm]\ninclude: [%s]\ncpus:\n  - cpu: 0\n    body: ["x = p1()"]\n' "$inc" >"$tmp/many/many.yaml"
check "a scenario of 71 files is recorded with 71 and replays" sh -c "$T explore $tmp/many/many.yaml -m validating --brief --db $tmp/many.db >/dev/null 2>&1 && \
	test \"\$(sqlite3 $tmp/many.db 'SELECT count(*) FROM scenario_files')\" = 71 && $T replay --run 1 --db $tmp/many.db >/dev/null 2>&1"
check "explore --max-memory: a search whose tables outgrow the bound stops with one line, exit 4" sh -c "$T explore scenarios/mkclean.yaml --no-db --brief -q -v old -m blind --max-memory 1 >$tmp/o 2>$tmp/e; \
	test \$? -eq 4 && grep -q 'its tables need more than 1 MB (--max-memory)' $tmp/e && test \$(wc -l < $tmp/e) -eq 1 && \
	grep -q '^   INCOMPLETE: --max-memory stopped the search at ' $tmp/o"
# Partial results (issue 12 part 6): a bound stops a search; what it found
# is printed and recorded, marked incomplete, and the exit status is 4.
check "explore past --max-states: exit 4, one stderr line, INCOMPLETE on stdout" sh -c "$T explore tests/data/forever.yaml --no-db --brief -q --max-states 1000 >$tmp/o 2>$tmp/e; \
	test \$? -eq 4 && test \"\$(cat $tmp/e)\" = 'tests/data/forever.yaml: exploration stopped at 1001 states (--max-states): can the scenario run forever? (forever - validating: what it found is shown, marked incomplete)' && \
	grep -q '^   INCOMPLETE: --max-states stopped the search at 1001 states (1912 transitions, 0 end states, depth 44)$' $tmp/o && grep -q '^   outcomes: none found so far$' $tmp/o"
check "a schedule 65535 choices deep stops the search (max-depth): exit 4, incomplete" sh -c "$T explore tests/data/deep.yaml --no-db --brief -q --format json >$tmp/o 2>$tmp/e; \
	test \$? -eq 4 && grep -q 'exploration stopped at 65536 states: a schedule reached 65535 choices, the longest tlbsim keeps (max-depth)' $tmp/e && \
	grep -q '\"complete\": false, \"stopped_by\": \"max-depth\"' $tmp/o"
full=$($T explore scenarios/mkclean.yaml --no-db --brief -v old -m blind -q | sed -n 's/^   lost_dirty .*witness: //p')
check "a stopped search keeps what it found, with the full search's shortest witness ($full)" sh -c "$T explore scenarios/mkclean.yaml --no-db --brief -v old -m blind -q --max-states 48 >$tmp/o; \
	test \$? -eq 4 && grep -qx '   lost_dirty             sometimes in 1 end states so far; witness: $full' $tmp/o"
check "a stopped search is recorded with complete = 0 and its witnesses, and db matrix marks it" sh -c "$T explore scenarios/mkclean.yaml --brief -v old -m blind -q --max-states 48 --db $tmp/inc.db >/dev/null; \
	test \$? -eq 4 && test \"\$(sqlite3 $tmp/inc.db 'SELECT complete, schedules, max_states FROM runs')\" = '0|0|48' && \
	test \"\$(sqlite3 $tmp/inc.db \"SELECT verdict, complete FROM verdicts WHERE outcome = 'lost_dirty'\")\" = 'Sometimes|0' && \
	$T db matrix --db $tmp/inc.db | grep -q 'dirty_nonpresent_pte,lost_dirty,lost_write (incomplete)' && \
	$T replay lost_dirty --db $tmp/inc.db | grep -q 'matches the recorded'"
check "db regressions: complete before, incomplete after that found less: shown, not a change (exit 0)" sh -c "$T explore scenarios/mkclean.yaml --brief -v old -m blind -q --db $tmp/full.db >/dev/null && \
	$T db regressions --against $tmp/full.db --db $tmp/inc.db >$tmp/rg; test \$? -eq 0 && \
	grep -qx 'page_mkclean_one old blind: dirty_nonpresent_pte,lost_dirty,lost_write -> dirty_nonpresent_pte,lost_dirty,lost_write (incomplete)' $tmp/rg"
check "check past --max-states: unknown expectations, exit 4" sh -c "$T check scenarios/mkclean.yaml --no-db -q --max-states 48 >$tmp/o; \
	test \$? -eq 4 && grep -qx 'ok   page_mkclean_one old blind: lost_dirty sometimes' $tmp/o && \
	grep -qx 'incomplete page_mkclean_one old validating: lost_dirty never: not known, the search stopped at 49 states (--max-states) (scenarios/mkclean.yaml:55)' $tmp/o && \
	tail -1 $tmp/o | grep -Eq '^[0-9]+ passed, 0 failed, [0-9]+ not known \\(a bound stopped the search\\)$'"
check "check past --max-states still fails (exit 1) on what it did find" sh -c "$T check tests/data/unexpected.yaml --no-db -q --max-states 100000 >/dev/null; test \$? -eq 1"
check "compare past --max-states: cells marked (incomplete), exit 4" sh -c "$T compare scenarios/mkclean.yaml --no-db -q --max-states 48 >$tmp/o; \
	test \$? -eq 4 && grep -q '(incomplete)' $tmp/o && grep -q '^(incomplete): a bound' $tmp/o"
check "--format herd past --max-states: an Incomplete line, Unknown where not reached" sh -c "$T explore scenarios/mkclean.yaml --no-db -v old -m blind -q --max-states 48 --format herd >$tmp/o; \
	test \$? -eq 4 && grep -qx 'Incomplete --max-states 49' $tmp/o && grep -qx 'Observation page_mkclean_one old blind lost_dirty Sometimes ? ?' $tmp/o && \
	grep -qx 'Observation page_mkclean_one old blind stale_tlb_write Unknown ? ?' $tmp/o"
check "list of a multi-architecture scenario: a program per architecture, in machine.arch order" sh -c "$T list scenarios/mkclean_archs.yaml | grep '^== machine.arch' | tr '\\n' ' ' | grep -qx '== machine.arch x86 == machine.arch arm64 == machine.arch riscv '"
# docs/models.md shows what tlbsim models prints
awk '/lists the models of each/ { f = 1 } f && /^```$/ { if (p) exit; p = 1; next } p { print }' docs/models.md >"$tmp/models.doc"
check "docs/models.md's tlbsim models is current" sh -c "$T models | cmp -s - $tmp/models.doc"
# Readable timelines (issue 12 part 4): --width, --cpus, --timeline.  The
# timeline is the block from its header ("line"/"   cycle line"/"event")
# to "end state:".
S='0 0 0 0 0 1 1 i1 0 0 0'
ex="$T explore scenarios/mkclean.yaml -v old -m blind --no-db -q"
printf '%s\n' "awk '/^(line|   cycle line|event) / { p = 1 } /^end state:/ { p = 0 } p'" >"$tmp/tl"
printf '%s\n' "awk '{ if (length(\$0) > m) m = length(\$0) } END { print m + 0 }'" >"$tmp/widest"
chmod +x "$tmp/tl" "$tmp/widest"
tl=$tmp/tl widest=$tmp/widest
$ex >"$tmp/tl.ref"
check "timeline: --timeline=columns is the default output" sh -c "$ex --timeline=columns | cmp -s - $tmp/tl.ref"
check "timeline: a --width the diagram fits in changes nothing" sh -c "$ex --width 200 | cmp -s - $tmp/tl.ref"
for w in 100 72 50 40; do
	check "timeline: --width $w: no timeline line is wider, more lines" sh -c "$ex --width $w | $tl >$tmp/tl.w && test \$($widest <$tmp/tl.w) -le $w && \
		test \$(wc -l <$tmp/tl.w) -gt \$($tl <$tmp/tl.ref | wc -l)"
	check "timeline: --width $w is the same on every run" sh -c "$ex --width $w >$tmp/tl.a && $ex --width $w | cmp -s - $tmp/tl.a"
done
check "timeline: --width keeps every word of the steps (wrapped, none cut)" sh -c "$ex | $tl | tr -s ' |' '\n\n' | sort >$tmp/tl.w1; $ex --width 100 | $tl | tr -s ' |' '\n\n' | sort >$tmp/tl.w2; cmp -s $tmp/tl.w1 $tmp/tl.w2"
check "timeline: --cpus 1 shows CPU#1's column only and counts CPU#0's events" sh -c "$ex --cpus 1 | $tl >$tmp/tl.c && \
	head -1 $tmp/tl.c | grep -q '^line  *CPU#1\$' && grep -q 'store 0x10000: TLB hit' $tmp/tl.c && ! grep -q 'spin_lock' $tmp/tl.c && \
	grep -qx 'not shown: CPU#0, 15 events' $tmp/tl.c"
check "timeline: --cpus 0,1 is every CPU: the default output" sh -c "$ex --cpus 0,1 | cmp -s - $tmp/tl.ref"
check "timeline: --timeline=lines: a numbered line per event with its CPU" sh -c "$ex --timeline=lines | $tl >$tmp/tl.l && \
	head -1 $tmp/tl.l | grep -q '^event  cpu     line\$' && test \$(grep -Ec '^ +[0-9]+  CPU#[01] ' $tmp/tl.l) -eq 19 && \
	grep -Eq '^    9  CPU#1   mkclean.yaml:42    store 0x10000: TLB hit' $tmp/tl.l"
check "timeline: --timeline=lines --cpus 0 --width 60: CPU#0's events, numbered as in the whole, within 60" sh -c "$ex --timeline lines --cpus 0 --width 60 | $tl >$tmp/tl.l0 && \
	! grep -q 'CPU#1 ' $tmp/tl.l0 && grep -Eq '^   13  CPU#0 ' $tmp/tl.l0 && test \$($widest <$tmp/tl.l0) -le 60"
check "timeline: a livelock's cycle mark in --timeline=lines --width 40" sh -c "$T explore scenarios/livelock.yaml --variant leak -m validating --no-db -q --timeline=lines --width 40 | \
	grep -qx -- '-- cycle starts here (livelock) --'"
# run --schedule draws the schedule's steps in its order, as explore draws
# the witness (its cycles are the cost model's: they may go backwards)
check "timeline: run --schedule shows the explore witness's events in its order" sh -c "$T run scenarios/mkclean.yaml -v old -m blind --no-db --schedule '$S' | $tl | cut -c10- | sed 's/ *\$//' >$tmp/tl.r; \
	$tl <$tmp/tl.ref | sed 's/^line/    line/' | sed 's/ *\$//' >$tmp/tl.e; sed -i 's/^ *//' $tmp/tl.r $tmp/tl.e; cmp -s $tmp/tl.r $tmp/tl.e"
check "timeline: run --width changes neither the trace hash nor the end" sh -c "$T run scenarios/mkclean.yaml -v old -m blind --no-db --schedule '$S' | sed -n '/^end state:/,\$p' >$tmp/tl.h1; \
	$T run scenarios/mkclean.yaml -v old -m blind --no-db --schedule '$S' --width 50 --cpus 1 | sed -n '/^end state:/,\$p' | cmp -s - $tmp/tl.h1"
check "timeline: replay of a run with --schedule matches the recorded timeline; --width shapes it" sh -c "$T run scenarios/mkclean.yaml -v old -m blind --db $tmp/tl.db -q --sched '$S' >/dev/null && \
	$T replay --run 1 --db $tmp/tl.db | grep -qx 'the timeline matches the recorded one' && \
	$T replay --run 1 --db $tmp/tl.db --width 60 | $tl | $widest | grep -qx 60 && \
	$T replay --run 1 --db $tmp/tl.db --width 60 | grep -qx 'the timeline matches the recorded one'"
check "timeline: replay reads --schedule=S from the recorded command line too" sh -c "$T run scenarios/mkclean.yaml -v old -m blind --db $tmp/tl3.db -q '--schedule=$S' >/dev/null && \
	$T replay --run 1 --db $tmp/tl3.db | grep -qx 'the timeline matches the recorded one'"
check "timeline: replay of a run without --schedule still matches (time order)" sh -c "$T run scenarios/invalidate.yaml --db $tmp/tl2.db -q >/dev/null && \
	$T replay --run 1 --db $tmp/tl2.db | grep -qx 'the timeline matches the recorded one'"
# The progress line (issue 12 part 6): about once a second of wall time, so
# it shows only on a search that lasts longer; forever.yaml at 3 M states
# takes 1-2 s here.  Whether a line must appear is decided by the time the
# run took, measured, never assumed: the output is checked either way.
ms() { date +%s%3N; }
fv="$T explore tests/data/forever.yaml --no-db --brief --max-states 3000000"
$fv -q >$tmp/fv.plain 2>/dev/null
t0=$(ms); $fv -q --progress >$tmp/fv.out 2>$tmp/fv.err; rc=$?; t1=$(ms)
need=0; [ $((t1 - t0)) -ge 1500 ] && need=1
check "--progress: stdout is the same, exit 4, stderr progress lines then the stop line (took $((t1 - t0)) ms: line needed $need)" sh -c "test $rc -eq 4 && cmp -s $tmp/fv.plain $tmp/fv.out && \
	grep -q 'exploration stopped at 3000001 states' $tmp/fv.err && \
	! grep -qv '^exploring forever - validating: [0-9]* states ([0-9]* to expand), depth [0-9]*, [0-9]* states/s, [0-9]* MB of tables\$\|exploration stopped at' $tmp/fv.err && \
	{ test $need -eq 0 || grep -q '^exploring forever - validating: ' $tmp/fv.err; }"
check "no progress line off a terminal without --progress" sh -c "$fv -q 2>&1 >/dev/null | grep -c . | grep -qx 1"
if command -v script >/dev/null 2>&1; then
	t0=$(ms); script -qec "$fv" /dev/null >$tmp/fv.tty; t1=$(ms)
	need=0; [ $((t1 - t0)) -ge 1500 ] && need=1
	# \r and ESC as R and E: each line starts with \r, ends erasing the rest
	# (ESC [K), and the last is erased before the stop line
	check "progress on a terminal: redrawn in place and erased ($((t1 - t0)) ms: line needed $need)" sh -c "tr '\\r\\033' RE <$tmp/fv.tty >$tmp/fv.re && \
		{ test $need -eq 0 || grep -q '^\\(Rexploring forever - validating: [^R]*E\\[K\\)\\{1,\\}RE\\[Ktests/data/forever.yaml: exploration stopped' $tmp/fv.re; }"
	check "progress on a terminal: -q silences it" sh -c "script -qec '$fv -q' /dev/null | grep -vc exploring >/dev/null; ! script -qec '$fv -q' /dev/null | grep -q exploring"
else
	echo "ok cli: progress on a terminal (skipped: no script(1))"
fi
# --random N (issue 10 part 6): sampled schedules, deterministic per seed,
# witnesses that replay, marked not exhaustive everywhere
rnd="$T explore scenarios/mkclean.yaml -v old -m blind --no-db -q --brief --random 200 --seed 3"
check "--random: exit 0, a RANDOM header, the outcomes found with counts of sampled schedules" sh -c "$rnd >$tmp/r1; test \$? -eq 0 && \
	grep -q '^   RANDOM: 200 schedules (--random 200 --seed 3), 200 ended in 4 distinct end states, 0 did not end within 65535 choices, longest 17$' $tmp/r1 && \
	grep -Eq '^   lost_dirty +sometimes in [0-9]+ of 200 sampled schedules \(1 end states\); shortest witness found: ' $tmp/r1"
check "--random: the same seed, the same bytes; -j2 too" sh -c "$rnd | cmp -s - $tmp/r1 && $rnd -j2 | cmp -s - $tmp/r1"
rw=$(sed -n 's/^   lost_dirty .*shortest witness found: //p' $tmp/r1)
check "--random: the witness found ($rw) replays with run to lost_dirty" sh -c "$T run scenarios/mkclean.yaml -v old -m blind --no-db -q --schedule '$rw' | grep -q '^outcomes: lost_dirty'"
check "--random: the fixed variant never loses data in 200 samples (and says it is not exhaustive)" sh -c "$T explore scenarios/mkclean.yaml -v fixed -m blind --no-db -q --brief --random 200 >$tmp/r2 && \
	grep -qx '   not exhaustive: the outcomes below were reached; the others are not known' $tmp/r2 && ! grep -q lost_dirty $tmp/r2"
check "--random is recorded as an incomplete run with its command" sh -c "$T explore scenarios/mkclean.yaml -v old -m blind -q --brief --random 200 --seed 3 --db $tmp/rnd.db >/dev/null 2>&1 && \
	test \"\$(sqlite3 $tmp/rnd.db 'SELECT complete FROM runs')\" = 0 && sqlite3 $tmp/rnd.db 'SELECT command FROM runs' | grep -q -- '--random 200 --seed 3' && \
	$T replay lost_dirty --db $tmp/rnd.db | grep -qx 'the timeline matches the recorded one'"
check "check --random: found outcomes judged, the rest not known, exit 0; --seed without --random refused" sh -c "$T check scenarios/mkclean.yaml --no-db -q --random 50 --pct 2 >$tmp/o; test \$? -eq 0 && \
	grep -q 'not known, a random search of 50 schedules is not exhaustive' $tmp/o && grep -qx 'ok   page_mkclean_one old blind: lost_dirty sometimes' $tmp/o && \
	$T explore scenarios/mkclean.yaml --no-db --seed 4 2>&1 >/dev/null | grep -q -- '--seed is for --random' && \
	$T compare scenarios/mkclean.yaml --no-db --seed 4 2>&1 >/dev/null | grep -q -- '--seed is for --random'"
check "compare --random: cells marked (incomplete), the same bytes with -j1 and -j2" sh -c "$T compare scenarios/mkclean.yaml --no-db -q --random 30 -j1 >$tmp/c1 && \
	$T compare scenarios/mkclean.yaml --no-db -q --random 30 -j2 | cmp -s - $tmp/c1 && grep -q '(incomplete)' $tmp/c1"
pct="$T explore scenarios/mkclean.yaml -v old -m blind --no-db -q --brief --random 100 --pct 2 --seed 5"
check "--pct 2: PCT priorities, deterministic, a witness that replays" sh -c "$pct >$tmp/p1 && $pct | cmp -s - $tmp/p1 && \
	grep -q '^   RANDOM: 100 schedules (--random 100 --pct 2 --seed 5), ' $tmp/p1 && \
	w=\$(sed -n 's/^   lost_dirty .*shortest witness found: //p' $tmp/p1) && test -n \"\$w\" && \
	$T run scenarios/mkclean.yaml -v old -m blind --no-db -q --schedule \"\$w\" | grep -q '^outcomes: lost_dirty'"
check "--pct 2 on the fixed variant: no lost_dirty" sh -c "$T explore scenarios/mkclean.yaml -v fixed -m blind --no-db -q --brief --random 200 --pct 2 | grep -c lost_dirty | grep -qx 0"
for bad in "--random 0" "--random 1000000001" "--random 5 --symmetry" "--random 5 --states" "--pct 2" "--random 5 --pct 0" "--random 5 --pct 17" \
	"--preemptions -1" "--preemptions x" "--preemptions 1001" "--preemptions=" "--preemptions 2 --random 5" "--random 5 --preemptions 0"; do
	check "explore $bad: one line, exit 2" sh -c "$T explore scenarios/mkclean.yaml --no-db $bad >$tmp/o 2>$tmp/e; test \$? -eq 2 && test ! -s $tmp/o && test \$(wc -l <$tmp/e) -eq 1"
done
check "--preemptions -1: says what it expects" sh -c "$T check scenarios/mkclean.yaml --no-db --preemptions -1 2>&1 | grep -qx \"tlbsim check: --preemptions expects a number of preemptions from 0 to 1000, got '-1' (see 'tlbsim check --help')\""
check "--preemptions with --random: says why not" sh -c "$T compare scenarios --no-db --preemptions 1 --random 3 2>&1 | grep -qx \"tlbsim compare: --preemptions bounds an exhaustive search: it cannot be combined with --random (see 'tlbsim compare --help')\""
# db matrix lists the cells as first explored: a database one compare
# recorded reprints that compare's matrix, whatever the scenario names
$T compare scenarios tests/scenarios -I scenarios/lib -q --db $tmp/cm.db >$tmp/cm.txt 2>/dev/null
check "db matrix of a database one compare recorded is that compare's matrix, byte for byte" sh -c "$T db matrix --db $tmp/cm.db | cmp -s - $tmp/cm.txt"
# --states: every distinct end state, each with a schedule that replays to it
$T explore scenarios/mkclean.yaml -v old -m blind --no-db -q --brief --states >$tmp/st
check "--states lists as many end states as the header counts (4)" sh -c "grep -qx '   end states: 4' $tmp/st && test \$(grep -c '^   #[0-9]* outcomes: ' $tmp/st) -eq 4"
sed -n 's/^   #[0-9]* outcomes: [^;]*; schedule: //p' $tmp/st >$tmp/st.sched
n=0
while read -r sch; do
	n=$((n + 1))
	awk -v k="$n" '/^   #[0-9]+ outcomes: / { i++; next } i == k && /^      / { sub(/^      /, ""); print }' $tmp/st >$tmp/st.want
	$T run scenarios/mkclean.yaml -v old -m blind --no-db -q --schedule "$sch" | awk '/^end state:/ { f = 1 } /^outcomes:/ { f = 0 } f' >$tmp/st.got
	check "--states: end state #$n is what run --schedule '$sch' ends in" cmp -s $tmp/st.want $tmp/st.got
done <$tmp/st.sched
check "--format herd --states: one State line per end state" sh -c "test \$($T explore scenarios/mkclean.yaml -v old -m blind --no-db -q --format herd --states | grep -c '^State [0-9]* ') -eq 4"
check "--states is for explore only" sh -c "$T check scenarios/mkclean.yaml --no-db --states 2>/dev/null; test \$? -eq 2"
# Colour (issue 12 part 3): --color always|never|auto; auto colours only a
# terminal, and not when NO_COLOR is set (https://no-color.org)
esc=$(printf '\033')
ck="$T check scenarios/mkclean.yaml --no-db -q"
check "--color always: check's ok in green, its counts line coloured" sh -c "$ck --color always | grep -q '^${esc}\[32mok${esc}\[0m   page_mkclean_one old validating: lost_dirty never$' && \
	$ck --color always | tail -1 | grep -q '^${esc}\[32m[0-9]* passed, 0 failed${esc}\[0m$'"
check "--color always: explore's reached outcomes red, the header bold" sh -c "$T explore scenarios/mkclean.yaml -v old -m blind --no-db -q --brief --color always >$tmp/col && \
	grep -q '^${esc}\[1m== page_mkclean_one' $tmp/col && grep -q '^   ${esc}\[1;31mlost_dirty  *${esc}\[0m sometimes in 3 of 25' $tmp/col"
check "--color never, and auto off a terminal: no escape at all" sh -c "! $ck --color never | grep -q '$esc' && ! $ck | grep -q '$esc' && \
	! $T explore scenarios/mkclean.yaml --no-db -q | grep -q '$esc'"
check "--color with another word: one line, exit 2" sh -c "$ck --color sometimes >$tmp/o 2>$tmp/e; test \$? -eq 2 && test ! -s $tmp/o && \
	test \"\$(cat $tmp/e)\" = \"tlbsim check: --color expects auto, always or never, got 'sometimes' (see 'tlbsim check --help')\""
if command -v script >/dev/null 2>&1; then
	check "--color auto on a terminal colours; NO_COLOR=1 and TERM=dumb do not" sh -c "script -qec '$ck' /dev/null | grep -q '$esc\[32mok' && \
		! script -qec 'NO_COLOR=1 $ck' /dev/null | grep -q '$esc\[' && ! script -qec 'TERM=dumb $ck' /dev/null | grep -q '$esc\[' && \
		script -qec 'NO_COLOR= $ck' /dev/null | grep -q '$esc\[32mok'"
else
	echo "ok cli: colour on a terminal (skipped: no script(1))"
fi
# the default width is the terminal's when stdout is one (script(1) makes a pty)
if command -v script >/dev/null 2>&1; then
	check "timeline: on a terminal 60 wide the timeline fits in 60" sh -c "script -qec 'stty cols 60; $ex' /dev/null | tr -d '\r' | $tl >$tmp/tl.tty && test \$($widest <$tmp/tl.tty) -le 60 && test \$($widest <$tmp/tl.tty) -gt 40"
else
	echo "ok cli: timeline on a terminal (skipped: no script(1))"
fi

#!/bin/sh
# tests/shard.sh: --shard I/N and tlbsim db merge (docs/scale.md).  Its
# ok/FAIL lines are counted by tests/run.sh.
#   - compare over the shipped and test scenarios in 3 shards, run by GNU
#     parallel -j2 (Debian `parallel`, as docs/scale.md shows), each into
#     its own database; merged in shard order, the database's matrix and
#     check verdicts are those of the unsharded run, byte for byte;
#   - every cell is in exactly one shard, for several N;
#   - the inputs of a merge are not changed; a merge into itself, an input
#     given twice or missing, one of another schema version: one line,
#     exit 2, nothing written; bad --shard values.
set -u
cd "$(dirname "$0")/.." || exit 2
T=$(pwd)/tlbsim
tmp=$(mktemp -d /tmp/tlbsim-shard.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
check() {   # check NAME COMMAND...: ok when the command succeeds
	name=$1; shift
	if "$@" >/dev/null 2>&1; then echo "ok shard: $name"; else echo "FAIL shard: $name"; fi
}
set -- scenarios tests/scenarios -I scenarios/lib
paths="$*"

# the unsharded run, its matrix and verdicts
$T compare $paths -q --db "$tmp/all.db" >"$tmp/all.cmp" 2>/dev/null
$T db matrix --db "$tmp/all.db" >"$tmp/all.matrix"
$T check $paths -q --no-db >"$tmp/all.check" 2>/dev/null

# 3 shards in parallel, merged in shard order
if command -v parallel >/dev/null 2>&1; then
	parallel -j2 "$T compare $paths -q --shard {}/3 --db $tmp/s{}.db >/dev/null 2>&1" ::: 1 2 3
	echo "ok shard: parallel -j2 ran the 3 shards"
else
	for i in 1 2 3; do $T compare $paths -q --shard $i/3 --db "$tmp/s$i.db" >/dev/null 2>&1; done
	echo "skip shard: GNU parallel is not installed (tests/deps.sh installs it): the shards ran one after another"
fi
md5sum "$tmp"/s?.db >"$tmp/sums"
check "db merge of the 3 shards" $T db merge "$tmp/merged.db" "$tmp/s1.db" "$tmp/s2.db" "$tmp/s3.db"
$T db matrix --db "$tmp/merged.db" >"$tmp/merged.matrix"
check "the merged matrix is the unsharded one, byte for byte" cmp "$tmp/all.matrix" "$tmp/merged.matrix"
check "the merge left its inputs unchanged" md5sum -c --quiet "$tmp/sums"
check "the merged database has every run once, and every scenario once" sh -c "test \"\$(sqlite3 $tmp/merged.db 'SELECT count(*) FROM runs')\" = \"\$(sqlite3 $tmp/all.db 'SELECT count(*) FROM runs')\" && \
	test \"\$(sqlite3 $tmp/merged.db 'SELECT count(*) FROM scenarios')\" = \"\$(sqlite3 $tmp/all.db 'SELECT count(*) FROM scenarios')\""
check "the merged witnesses replay and match their recording" sh -c "$T replay lost_dirty --db $tmp/merged.db | grep -qx 'the timeline matches the recorded one'"
check "merging the same shards again appends the runs again, the matrix unchanged" sh -c "$T db merge -q $tmp/merged.db $tmp/s1.db $tmp/s2.db $tmp/s3.db && \
	$T db matrix --db $tmp/merged.db | cmp -s - $tmp/all.matrix && \
	test \"\$(sqlite3 $tmp/merged.db 'SELECT count(*) FROM runs')\" = \$((2 * \$(sqlite3 $tmp/all.db 'SELECT count(*) FROM runs')))"

# each shard's check verdicts, together, are the unsharded ones
for i in 1 2 3; do $T check $paths -q --no-db --shard $i/3 2>/dev/null | grep -v ' passed, ' ; done >"$tmp/sharded.check"
check "check in 3 shards judges what the unsharded check judges, in order" sh -c "grep -v ' passed, ' $tmp/all.check | cmp -s - $tmp/sharded.check"

# every cell in exactly one shard
cells=$($T compare $paths -q --no-db --format json 2>/dev/null | grep -c '"scenario": ')
for n in 1 2 5 7; do
	sum=0 i=1
	while [ $i -le $n ]; do
		c=$($T compare $paths -q --no-db --format json --shard $i/$n 2>/dev/null | grep -c '"scenario": ')
		sum=$((sum + c)); i=$((i + 1))
	done
	check "--shard I/$n: the shards' cells add up to all $cells" test "$sum" -eq "$cells"
done
check "--shard 1/1 is the whole run" sh -c "$T compare $paths -q --no-db --shard 1/1 2>/dev/null | cmp -s - $tmp/all.cmp"
check "--shard past the cells: an empty shard is fine" sh -c "$T compare scenarios/mkclean.yaml -q --no-db --shard 1000/1000 --format json | grep -q '\"explorations\": \\['"

# refusals: one line, exit 2, nothing written
refused() {   # refused NAME WANT-IN-STDERR ARGS...
	name=$1 want=$2; shift 2
	"$T" "$@" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$tmp/o" ] && [ "$(wc -l <"$tmp/e")" -eq 1 ] && grep -q -- "$want" "$tmp/e"; then
		echo "ok shard: $name"
	else
		echo "FAIL shard: $name (exit $rc: $(head -1 "$tmp/e"))"
	fi
}
refused "merge into itself" "cannot merge $tmp/s1.db into itself" db merge "$tmp/s1.db" "$tmp/s1.db"
refused "an input given twice" "is given twice" db merge "$tmp/x.db" "$tmp/s1.db" "$tmp/s1.db"
refused "a missing input" "no database $tmp/none.db" db merge "$tmp/x.db" "$tmp/none.db"
check "a refused merge writes no OUT" test ! -e "$tmp/x.db"
cp tests/data/schema-v2.db "$tmp/v2.db"
md5sum "$tmp/v2.db" >"$tmp/v2.sum"
refused "an input of another schema version" "database has schema version 2, db merge reads version 3" db merge "$tmp/x.db" "$tmp/v2.db"
check "... leaves it unchanged and writes no OUT" sh -c "md5sum -c --quiet $tmp/v2.sum && test ! -e $tmp/x.db"
check "... and a failed merge into an existing OUT keeps OUT as it was" sh -c "cp $tmp/s1.db $tmp/keep.db && md5sum $tmp/keep.db >$tmp/keep.sum && \
	! $T db merge $tmp/keep.db $tmp/s2.db $tmp/v2.db 2>/dev/null && test \"\$(sqlite3 $tmp/keep.db 'SELECT count(*) FROM runs')\" = \"\$(sqlite3 $tmp/s1.db 'SELECT count(*) FROM runs')\""
refused "merge without an input" "merge expects OUT.db and at least one IN.db" db merge "$tmp/x.db"
for bad in 0/2 3/2 2 a/b 1/0 -1/2 1/2x 2/1000001; do
	refused "--shard $bad" "--shard expects I/N with 1 <= I <= N" compare scenarios --no-db --shard "$bad"
done

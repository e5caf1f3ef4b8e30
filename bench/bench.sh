#!/bin/sh
# bench/bench.sh: tlbsim's benchmarks, as a markdown report on stdout
# (progress and notes on stderr).  `make bench` builds ./tlbsim, then runs
# this.  See bench/README.md for how to read the output.
#
#   1. every shipped scenario (scenarios/*.yaml), explored exhaustively:
#      states/s, transitions/s, schedules/s per variant x model
#   2. one timed run (tlbsim run scenarios/mkclean.yaml --seed 1): time per run
#   2b. what recording in the database costs compare (--db against --no-db)
#   3. scaling: seed race 1 with N = 1..BENCH_MAXN storing CPUs
#      (bench/gen_scaling.sh), tlbsim against the SPIN peer
#      (its mkclean.pml, kept outside this repository) row by row, as in
#      the peer's table
#
# Environment:
#   BENCH_MAXN=6      largest N of the scaling table (1..6 in SPIN's table)
#   BENCH_REPS=3      repetitions of each timed exploration (the median is shown)
#   BENCH_RUNS=200    timed runs of part 2
#   BENCH_PROFILE=0   1: perf profile of tlbsim at the largest N (OLD BLIND)
#   SPIN_PML=...      the SPIN model (default: shared/peers/spin/mkclean.pml in
#                     the folder that holds this repository, if it is there)
#   TLBSIM=./tlbsim   the binary
#
# Needs: sh, awk, a built ./tlbsim.  Optional: hyperfine (else a shell
# loop), spin + gcc (else the SPIN columns are '-'), /usr/bin/time (peak
# memory; installed with apt-get if missing and running as root, else the
# memory columns are '-'), perf (BENCH_PROFILE=1).
set -u
cd "$(dirname "$0")/.." || exit 2

MAXN=${BENCH_MAXN:-6}
REPS=${BENCH_REPS:-3}
RUNS=${BENCH_RUNS:-200}
PROFILE=${BENCH_PROFILE:-0}
TLBSIM=${TLBSIM:-./tlbsim}
SPIN_PML=${SPIN_PML:-}
if [ -z "$SPIN_PML" ]; then
	for p in ../shared/peers/spin/mkclean.pml; do     # relative to the repository
		[ -f "$p" ] && { SPIN_PML=$p; break; }
	done
fi
OUT=bench/out                  # generated scenarios (kept: they are inputs)
# the generated scenarios include scenarios/lib, outside their folder
TLBSIM_PATH="$(pwd)/scenarios/lib${TLBSIM_PATH:+:$TLBSIM_PATH}"
export TLBSIM_PATH
TMP=$(mktemp -d /tmp/tlbsim-bench.XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

note() { echo "bench: $*" >&2; }

case "$MAXN" in ''|*[!0-9]*) note "BENCH_MAXN must be a number"; exit 2;; esac
case "$REPS" in ''|*[!0-9]*|0) note "BENCH_REPS must be a positive number"; exit 2;; esac
[ -x "$TLBSIM" ] || { note "$TLBSIM not built (run make)"; exit 2; }

# ---- tools ----

if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	note "installing package 'time' for /usr/bin/time -v (peak memory)"
	apt-get install -y time >/dev/null 2>&1 || note "could not install 'time'"
fi
TIMEV=""
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && TIMEV=/usr/bin/time
[ -n "$TIMEV" ] || note "no /usr/bin/time -v: peak memory not measured"

HAVE_SPIN=0
if command -v spin >/dev/null && command -v gcc >/dev/null && [ -n "$SPIN_PML" ] && [ -f "$SPIN_PML" ]; then
	HAVE_SPIN=1
else
	note "spin, gcc or mkclean.pml missing: SPIN columns are '-' (apt-get install -y spin)"
fi

# ---- helpers ----

now_ns() { date +%s%N; }
# seconds between two date +%s%N stamps
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# peak RSS in MB from a /usr/bin/time -v output file
peak_mb() { [ -n "$TIMEV" ] && [ -f "$1" ] && awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024; f = 1 } END { if (!f) print "-" }' "$1" || echo "-"; }
# a / b with 2 decimals, '-' if b is zero or either is not a number
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0 || a + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }

# ---- header ----

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
echo "# tlbsim benchmarks"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: ${cpu:-unknown CPU}, $(nproc) CPUs (nproc), ${mem:-? GiB} memory, $(uname -sr)"
dirty=""
git diff --quiet HEAD -- '*.c' '*.h' 2>/dev/null || dirty=" + uncommitted C changes"
echo "- tlbsim: $("$TLBSIM" --version 2>/dev/null), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$dirty, built with $(${CC:-cc} --version 2>/dev/null | head -1) -O2"
if [ $HAVE_SPIN = 1 ]; then
	echo "- SPIN: $(spin -V 2>&1 | head -1), pan built with gcc $(gcc -dumpfullversion 2>/dev/null) -O2 -DSAFETY (partial order reduction on), run as ./pan -c0"
else
	echo "- SPIN: not installed"
fi
echo "- repetitions: each timed exploration runs $REPS times; times are medians"
echo

# ---- 1. shipped scenarios ----

echo "## 1. Shipped scenarios, exhaustive exploration"
echo
echo "\`$TLBSIM explore FILE --no-db --brief\` for every scenario in scenarios/*.yaml (all variants and models)."
echo "Rates are medians of $REPS runs; seconds come from the stderr line (search only; no parsing, no witness replay)."
echo "Schedules are counted over the state graph (paths to end states), not enumerated one by one."
echo
echo "| scenario | variant | model | states | transitions | schedules | search s | states/s | transitions/s | schedules/s |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for f in scenarios/*.yaml; do
	[ -f "$f" ] || continue
	grep -q '^scenario:' "$f" || continue          # a library, not a scenario
	note "exploring $f"
	r=1
	ok=1
	while [ $r -le "$REPS" ]; do
		if ! "$TLBSIM" explore "$f" --no-db --brief >"$TMP/s.out" 2>"$TMP/s.err.$r"; then
			note "$f: explore failed: $(tail -1 "$TMP/s.err.$r")"
			ok=0
			break
		fi
		r=$((r + 1))
	done
	if [ $ok = 0 ]; then
		echo "| $f | - | - | explore failed | | | | | | |"
		continue
	fi
	# schedules, in the same order as the stderr lines
	awk '/^== / { v = $4; m = $6 } / states, .* transitions, / {
		s = "?"; for (i = 1; i <= NF; i++) if ($i ~ /^schedules/) s = ($(i - 2) == ">=" ? ">=" : "") $(i - 1)
		if ($0 ~ /unboundedly many schedules/) s = "unbounded"
		print v, m, s }' "$TMP/s.out" >"$TMP/s.sched"
	# per combo: median rate over the repetitions (seconds = states / rate:
	# the rate is printed from the unrounded time)
	for e in "$TMP"/s.err.*; do
		awk '/^explored / { k++; sub(/^explored /, ""); sub(/:/, "");
			# NAME VARIANT MODEL STATES states, TRANS transitions in S s (R states/s)
			n = NF; print k, $1, $2, $3, $4, $6, $(n - 1) }' "$e" | tr -d '(' 
	done >"$TMP/s.rates"
	k=1
	nk=$(awk 'END { print NR }' "$TMP/s.sched")
	while [ $k -le "$nk" ]; do
		set -- $(awk -v k=$k '$1 == k { print $2, $3, $4, $5, $6; exit }' "$TMP/s.rates")
		name=$1 var=$2 model=$3 st=$4 tr=$5
		rate=$(awk -v k=$k '$1 == k { print $7 }' "$TMP/s.rates" | median)
		sch=$(awk -v k=$k 'NR == k { print $3 }' "$TMP/s.sched")
		awk -v f="$name ($f)" -v v="$var" -v m="$model" -v st="$st" -v tr="$tr" -v sch="$sch" -v rate="$rate" 'BEGIN {
			secs = rate > 0 ? st / rate : 0
			n = sch; sub(/^>=/, "", n)
			srate = (n ~ /^[0-9]+$/ && secs > 0) ? sprintf("%s%.3g", sch ~ /^>=/ ? ">= " : "", n / secs) : "-"
			trate = (secs > 0) ? tr / secs : 0
			printf "| %s | %s | %s | %d | %d | %s | %.6f | %.0f | %.0f | %s |\n", f, v, m, st, tr, sch, secs, rate, trate, srate }'
		k=$((k + 1))
	done
done
echo

# ---- 2. a timed run ----

echo "## 2. One timed run"
echo
RUNCMD="$TLBSIM run scenarios/mkclean.yaml --no-db --seed 1"
note "timing: $RUNCMD"
if ! $RUNCMD >/dev/null 2>&1; then
	echo "\`$RUNCMD\` failed."
elif command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$TMP/hf.json" "$RUNCMD" >/dev/null 2>&1 ||
		hyperfine --warmup 10 --runs "$RUNS" --export-json "$TMP/hf.json" "$RUNCMD" >/dev/null 2>&1
	echo "\`hyperfine -N --warmup 10 --runs $RUNS '$RUNCMD'\` (whole process: start, parse and compile the YAML, run, print):"
	echo
	echo "| runs | mean ms | stddev ms | median ms | min ms | max ms | runs/s |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	awk -v runs="$RUNS" -F'[:,]' '
		/"mean"/ && !m { m = $2 } /"stddev"/ && !s { s = $2 } /"median"/ && !d { d = $2 }
		/"min"/ && !lo { lo = $2 } /"max"/ && !hi { hi = $2 }
		END { printf "| %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |\n", runs, m * 1e3, s * 1e3, d * 1e3, lo * 1e3, hi * 1e3, 1 / m }' "$TMP/hf.json"
else
	i=0
	t0=$(now_ns)
	while [ $i -lt "$RUNS" ]; do $RUNCMD >/dev/null 2>&1; i=$((i + 1)); done
	t1=$(now_ns)
	echo "hyperfine not installed: a shell loop of $RUNS runs timed with date +%s%N (includes fork/exec):"
	echo
	awk -v a="$t0" -v b="$t1" -v n="$RUNS" 'BEGIN { t = (b - a) / 1e6 / n; printf "| runs | mean ms | runs/s |\n|---:|---:|---:|\n| %d | %.3f | %.0f |\n", n, t, 1000 / t }'
fi
echo

# ---- 2b. what recording costs ----

echo "## 2b. The database's cost"
echo
echo "\`$TLBSIM compare PATHS -q\` with \`--no-db\` against \`--db\` an existing database (each run adds its rows: scenario texts, runs, outcomes, zlib-compressed witness timelines, in one transaction), whole process, medians of $REPS."
echo
echo "| scenarios | explorations | --no-db s | --db s | recording s | recording % |"
echo "|---|---:|---:|---:|---:|---:|"
for set in "scenarios" "scenarios tests/scenarios -I scenarios/lib"; do
	n=$("$TLBSIM" compare $set --no-db -q --format json 2>/dev/null | grep -c '"scenario": ')
	for mode in nodb db; do
		rm -f "$TMP/cost.sqlite" "$TMP/cost.sqlite-wal" "$TMP/cost.sqlite-shm"
		[ $mode = db ] && "$TLBSIM" compare $set -q --db "$TMP/cost.sqlite" >/dev/null 2>&1
		r=1
		while [ $r -le "$REPS" ]; do
			t0=$(now_ns)
			if [ $mode = db ]; then
				"$TLBSIM" compare $set -q --db "$TMP/cost.sqlite" >/dev/null 2>&1
			else
				"$TLBSIM" compare $set -q --no-db >/dev/null 2>&1
			fi
			t1=$(now_ns)
			elapsed "$t0" "$t1"
			echo
			r=$((r + 1))
		done | median >"$TMP/cost.$mode"
	done
	a=$(cat "$TMP/cost.nodb") b=$(cat "$TMP/cost.db")
	awk -v set="$set" -v n="$n" -v a="$a" -v b="$b" 'BEGIN { printf "| %s | %d | %.3f | %.3f | %.3f | %.0f%% |\n", set, n, a, b, b - a, (a > 0 ? (b - a) / a * 100 : 0) }'
done
echo

# ---- 3. scaling, against SPIN ----

echo "## 3. Scaling: race 1 with N storing CPUs, tlbsim against SPIN"
echo
echo "tlbsim: \`sh bench/gen_scaling.sh N $OUT/mkclean_nN.yaml; $TLBSIM explore $OUT/mkclean_nN.yaml --no-db --brief --variant V --model M\`;"
echo "time = the search time of the stderr line \`explored ...\`."
if [ $HAVE_SPIN = 1 ]; then
	echo "SPIN (as shared/peers/spin/run-all.sh, full search): \`spin -DVARIANT=v -DSEM=s -DTLBD=0 -DNUSER=N -a mkclean.pml;"
	echo "gcc -O2 -DSAFETY -o pan pan.c; ./pan -c0\`; time = pan's \`elapsed time\` (10 ms resolution; gcc not counted)."
fi
echo "Wall = whole process (date +%s%N); peak MB = maximum RSS (/usr/bin/time -v). Times are medians of $REPS runs."
echo "Verdict: tlbsim 'lost_dirty' = the outcome is reachable; SPIN 'violation' = errors > 0 (assertion written -> dirty)."
echo "A ratio > 1 means tlbsim is faster.  '-' = not measured or below the timer's resolution."
echo
echo "| N | variant | model | tlbsim verdict | SPIN verdict | agree | tlbsim states | SPIN states | tlbsim transitions | SPIN transitions | tlbsim s | SPIN s | SPIN/tlbsim (search) | tlbsim wall s | SPIN wall s | SPIN/tlbsim (wall) | tlbsim peak MB | SPIN peak MB |"
echo "|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
mkdir -p "$OUT"
: >"$TMP/check.md"
n=1
while [ $n -le "$MAXN" ]; do
	yaml=$OUT/mkclean_n$n.yaml
	sh bench/gen_scaling.sh $n "$yaml" || { note "gen_scaling.sh $n failed"; exit 1; }
	for row in "old blind 0 0 OLD BLIND" "fixed blind 1 0 FIX BLIND" "fixed validating 1 1 FIX VALIDATING"; do
		set -- $row
		var=$1 model=$2 sv=$3 ss=$4 label="$5 $6"
		note "N=$n $label: tlbsim"
		r=1
		: >"$TMP/t.secs"; : >"$TMP/t.wall"
		while [ $r -le "$REPS" ]; do
			t0=$(now_ns)
			if [ -n "$TIMEV" ]; then
				$TIMEV -v -o "$TMP/t.time" "$TLBSIM" explore "$yaml" --no-db --brief --variant "$var" --model "$model" >"$TMP/t.out" 2>"$TMP/t.err"
			else
				"$TLBSIM" explore "$yaml" --no-db --brief --variant "$var" --model "$model" >"$TMP/t.out" 2>"$TMP/t.err"
			fi
			rc=$?
			t1=$(now_ns)
			[ $rc = 0 ] || { note "tlbsim failed at N=$n: $(tail -1 "$TMP/t.err")"; break; }
			awk '/^explored / { for (i = 1; i <= NF; i++) if ($i == "in") print $(i + 1) }' "$TMP/t.err" >>"$TMP/t.secs"
			elapsed "$t0" "$t1" >>"$TMP/t.wall"; echo >>"$TMP/t.wall"
			r=$((r + 1))
		done
		if [ $rc = 0 ]; then
			tst=$(awk '/^explored / { print $5 }' "$TMP/t.err")
			ttr=$(awk '/^explored / { print $7 }' "$TMP/t.err")
			if grep -Eq '^ +lost_dirty +(sometimes|always)' "$TMP/t.out"; then tv=lost_dirty; else tv="no lost_dirty"; fi
			tsec=$(median <"$TMP/t.secs")
			twall=$(grep . "$TMP/t.wall" | median)
			tmem=$(peak_mb "$TMP/t.time")
		else
			tst="failed" ttr="-" tv="failed" tsec="-" twall="-" tmem="-"
		fi
		sst="-" str="-" sv_="-" ssec="-" swall="-" smem="-"
		if [ $HAVE_SPIN = 1 ]; then
			note "N=$n $label: spin"
			d=$(mktemp -d /tmp/tlbsim-bench-spin.XXXXXX)
			cp "$SPIN_PML" "$d/mkclean.pml"
			if (cd "$d" && spin -DVARIANT=$sv -DSEM=$ss -DTLBD=0 -DNUSER=$n -a mkclean.pml >spin-a.out 2>&1 &&
			    gcc -O2 -DSAFETY -o pan pan.c 2>gcc.out); then
				r=1
				: >"$TMP/p.secs"; : >"$TMP/p.wall"
				while [ $r -le "$REPS" ]; do
					t0=$(now_ns)
					if [ -n "$TIMEV" ]; then
						(cd "$d" && $TIMEV -v -o pan.time ./pan -c0 >pan-c0.out 2>&1)
					else
						(cd "$d" && ./pan -c0 >pan-c0.out 2>&1)
					fi
					t1=$(now_ns)
					awk '/pan: elapsed time/ { print $4; exit }' "$d/pan-c0.out" >>"$TMP/p.secs"
					elapsed "$t0" "$t1" >>"$TMP/p.wall"; echo >>"$TMP/p.wall"
					r=$((r + 1))
				done
				sst=$(awk '/states, stored/ { print $1; exit }' "$d/pan-c0.out")
				str=$(awk '/transitions \(= stored\+matched\)/ { print $1; exit }' "$d/pan-c0.out")
				er=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan-c0.out" | head -1)
				case "$er" in
				0) sv_="no violation";;
				''|*[!0-9]*) sv_="?";;
				*) sv_="violation (errors $er)";;
				esac
				ssec=$(median <"$TMP/p.secs")
				swall=$(grep . "$TMP/p.wall" | median)
				smem=$(peak_mb "$d/pan.time")
			else
				note "spin/gcc failed for N=$n $label (see $d)"
				sv_="build failed"
			fi
			rm -rf "$d"
		fi
		agree="-"
		case "$tv:$sv_" in
		lost_dirty:violation*|"no lost_dirty:no violation") agree=yes;;
		*:-|failed:*|*:"build failed"|*:"?") agree="-";;
		*) agree="**NO**";;
		esac
		# pan's elapsed time has 10 ms resolution: no ratio below it
		sr=$(awk -v s="$ssec" -v t="$tsec" 'BEGIN { if (s !~ /^[0-9.]+$/ || t !~ /^[0-9.]+$/ || s < 0.01 || t < 0.001) print "-"; else printf "%.2f\n", s / t }')
		wr=$(ratio "$swall" "$twall")
		echo "| $n | $5 | $6 | $tv | $sv_ | $agree | $tst | $sst | $ttr | $str | $tsec | $ssec | $sr | $twall | $swall | $wr | $tmem | $smem |"
	done
	# the generated scenario's expect: entries (all four variant x model combos)
	note "N=$n: tlbsim check"
	"$TLBSIM" check "$yaml" --no-db >"$TMP/c.out" 2>/dev/null
	crc=$?
	fails=$(grep -c '^FAIL' "$TMP/c.out")
	echo "| $n | $(tail -1 "$TMP/c.out") | $([ $crc = 0 ] && echo ok || echo "**exit $crc**: $(grep '^FAIL' "$TMP/c.out" | tr '\n' ';')") |" >>"$TMP/check.md"
	[ "$fails" = 0 ] || note "N=$n: $fails expectations failed"
	n=$((n + 1))
done
echo
echo "Expectations of the generated scenarios (\`$TLBSIM check $OUT/mkclean_nN.yaml --no-db\`: the seed's, at every N;"
echo "only OLD+BLIND loses the dirty bit; also checks OLD+VALIDATING, which SPIN's table does not have):"
echo
echo "| N | tlbsim check | result |"
echo "|---:|---|---|"
cat "$TMP/check.md"
echo

# ---- optional profile ----

if [ "$PROFILE" = 1 ]; then
	echo "## Profile: tlbsim at N=$MAXN, OLD BLIND"
	echo
	if command -v perf >/dev/null && perf record -o "$TMP/perf.data" -F 999 -g \
	     "$TLBSIM" explore "$OUT/mkclean_n$MAXN.yaml" --no-db --brief --variant old --model blind >/dev/null 2>"$TMP/perf.err"; then
		echo "\`perf record -F 999 -g $TLBSIM explore $OUT/mkclean_n$MAXN.yaml --no-db --brief --variant old --model blind\`,"
		echo "\`perf report --stdio --no-children\` (self time, top 20):"
		echo
		echo '```'
		perf report -i "$TMP/perf.data" --stdio --no-children 2>/dev/null | grep -E '^ +[0-9.]+%' | head -20
		echo '```'
	else
		echo "perf is not available or not permitted here ($(tail -1 "$TMP/perf.err" 2>/dev/null))."
	fi
	echo
fi
note "done"

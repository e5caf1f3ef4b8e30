#!/bin/sh
# tests/fuzz.sh: a small, seeded, bounded mutation fuzzer over the scenario
# loader and compiler.
#
# Inputs: every shipped scenario and library (scenarios/*.yaml,
# scenarios/lib/*.yaml) and every tests/errors case (with tests/errors/lib).
# Mutant K (K = 1..FUZZ_N) takes input K mod (number of inputs), applies
# 1 to 4 byte, line and token mutations drawn from awk's rand() seeded with
# FUZZ_SEED and K (so one mutant can be replayed alone with FUZZ_ONLY=K),
# and runs `tlbsim-san list` (./tlbsim when there is no sanitizer build) on
# it, or on a scenario that includes it when the input is a library.  The
# inputs are copied to a private tree first: the mutants never touch the
# repository.
#
# A mutant fails when tlbsim exits with anything but 0 or 2, takes more
# than 10 s or about 1 GB, or exits 2 without exactly one stderr line
# "file:line:col: ..." (a file that cannot be read may say "file: why").
#
# Prints "ok fuzz: N mutants (seed S)", or one "FAIL fuzz: mutant K (seed
# S): ..." line per failing mutant (at most 10, each saved under /tmp for
# replay).  Environment: FUZZ_SEED (default 1221), FUZZ_N (default 300),
# FUZZ_ONLY (run just that mutant), FUZZ_BIN (the binary), FUZZ_CMD (list,
# the default: the loader and compiler; run: also one timed run of the
# mutant, which reaches the executor's run-time checks; explore: every
# interleaving, --max-states 100000).  With run a whole-file bound ("FILE:
# run stopped after ...") is a clean exit 2 too; explore's bound stops the
# search with what it found and exit 4, which is clean; explore's
# "explored ..." rate lines on stderr are not messages.
set -u
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
seed=${FUZZ_SEED:-1221}
n=${FUZZ_N:-300}
only=${FUZZ_ONLY:-}
bin=${FUZZ_BIN:-}
cmd=${FUZZ_CMD:-list}
case $cmd in
list) args= ;;
run) args=--no-db ;;
explore) args="--no-db --brief --max-states 100000" ;;
*) printf '%s\n' "FAIL fuzz: FUZZ_CMD must be list, run or explore, got '$cmd'"; exit 0 ;;
esac
if [ -z "$bin" ]; then
	bin=./tlbsim-san
	[ -x "$bin" ] || bin=./tlbsim
fi
case $bin in /*) ;; *) bin="$root/${bin#./}" ;; esac
if [ ! -x "$bin" ]; then
	printf '%s\n' "FAIL fuzz: no tlbsim binary to run ($bin); run make first"
	exit 0
fi
case $seed in *[!0-9]* | '') printf '%s\n' "FAIL fuzz: FUZZ_SEED must be a number, got '$seed'"; exit 0 ;; esac
case $n in *[!0-9]* | '') printf '%s\n' "FAIL fuzz: FUZZ_N must be a number, got '$n'"; exit 0 ;; esac

tmp=$(mktemp -d /tmp/tlbsim-fuzz.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# A snapshot of the binary: a rebuild running meanwhile cannot disturb us.
name=$(basename "$bin")
for try in 1 2 3 4 5 6; do
	cp "$bin" "$tmp/$name" 2>/dev/null && "$tmp/$name" --version >/dev/null 2>&1 && break
	sleep 5
done
if ! "$tmp/$name" --version >/dev/null 2>&1; then
	printf '%s\n' "FAIL fuzz: cannot run a copy of $bin"
	exit 0
fi
real_bin=$bin
bin="$tmp/$name"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
export ASAN_OPTIONS

# The private tree, and the input list (paths relative to the tree).
tree="$tmp/tree"
mkdir -p "$tree"
for f in scenarios/*.yaml scenarios/lib/*.yaml tests/errors/*.yaml tests/errors/lib/*.yaml; do
	[ -f "$f" ] || continue
	mkdir -p "$tree/$(dirname "$f")"
	cp "$f" "$tree/$f"
	printf '%s\n' "$f"
done >"$tmp/inputs"
ninputs=$(wc -l <"$tmp/inputs" | tr -d ' ')
if [ "$ninputs" -eq 0 ]; then
	printf '%s\n' "FAIL fuzz: no input files found"
	exit 0
fi

# target FILE: what to run `list` on for input FILE: the file itself if it
# is a scenario, else the first scenario next to its folder that names it.
target() {
	if grep -q '^scenario:' "$1"; then
		printf '%s\n' "$1"
		return
	fi
	base=$(basename "$1")
	up=$(dirname "$(dirname "$1")")
	t=$(grep -l "lib/$base" "$up"/*.yaml 2>/dev/null | head -n 1)
	printf '%s\n' "${t:-$1}"
}

# mutate SEED <in >out: 1 to 4 mutations of the text.
mutate() {
	awk -v seed="$1" '
	function rnd(k) { return int(rand() * k) }
	function pick(list, parts, m) { m = split(list, parts, S); return parts[1 + rnd(m)] }
	function rchar(c) {
		c = rnd(20)
		if (c < 4) return sprintf("%c", 32 + rnd(95))       # any printable
		if (c == 4) return sprintf("%c", 128 + rnd(128))    # a stray non-ASCII byte
		if (c == 5) return sprintf("%c", 1 + rnd(31))       # a control character
		return pick(CHARS)
	}
	BEGIN {
		srand(seed); n = 0; S = "\036"; Q = sprintf("%c", 39)
		CHARS = ":" S "-" S "[" S "]" S "{" S "}" S "\"" S Q S "&" S "*" S "#" S "!" S ">" S "?" S "%" \
		        S "@" S "`" S "," S "(" S ")" S "|" S "0" S "9" S "x" S "_" S "\\" S "=" S " " S "\t" S "\n"
		SNIPPETS = "&a " S "*a" S "? [x]\n: y" S "{" S "[" S "- " S "!!binary " S "---\n" S "%YAML 1.1\n" \
		        S "~" S "null" S "\"\\x00\"" S "<<: *a" S "0x" S "-1" S "4096" S "0xfffffffffffff000" \
		        S "99999999999999999999" S " #" S ": " S "{}" S "[]" S "\"\"" S "if: " S "loop: " S "break" \
		        S "return" S "x = " S "(" S ")" S "," S "!" S "[a]: b" S "{[a]: b}" S "|\n  x" S ">-\n  x" \
		        S Q Q S "&b [*b]"
		NUMBERS = "0" S "1" S "-1" S "2" S "63" S "64" S "65" S "255" S "256" S "4095" S "4096" S "65535" \
		        S "65536" S "0x7fffffff" S "0xffffffff" S "0xffffffffffffffff" S "18446744073709551616" \
		        S "99999999999999999999" S "0x1001" S "0x" S "1e3" S "08" S "0b1"
	}
	{ line[++n] = $0 }
	END {
		if (n == 0) line[++n] = ""
		for (i = 1; i <= n; i++) {   # words, for splicing
			s = line[i]
			while (match(s, /[A-Za-z_][A-Za-z_0-9]*/)) {
				word[++nw] = substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
			}
		}
		nm = 1 + rnd(4)
		for (m = 0; m < nm; m++) {
			i = 1 + rnd(n); l = line[i]; p = 1 + rnd(length(l) + 1); op = rnd(12)
			if (op == 0)      line[i] = substr(l, 1, p - 1) rchar() substr(l, p + 1)   # replace a byte
			else if (op == 1) line[i] = substr(l, 1, p - 1) substr(l, p + 1)           # delete a byte
			else if (op == 2) line[i] = substr(l, 1, p - 1) rchar() substr(l, p)       # insert a byte
			else if (op == 3 && n > 1) { for (k = i; k < n; k++) line[k] = line[k + 1]; n-- }
			else if (op == 4) { for (k = n; k > i; k--) line[k + 1] = line[k]; n++ }   # repeat a line
			else if (op == 5 && i < n) { t = line[i]; line[i] = line[i + 1]; line[i + 1] = t }
			else if (op == 6 && match(l, /[0-9]+/))                                    # another number
				line[i] = substr(l, 1, RSTART - 1) pick(NUMBERS) substr(l, RSTART + RLENGTH)
			else if (op == 7 && nw > 0 && match(l, /[A-Za-z_][A-Za-z_0-9]*/))          # another word
				line[i] = substr(l, 1, RSTART - 1) word[1 + rnd(nw)] substr(l, RSTART + RLENGTH)
			else if (op == 8) line[i] = (rnd(2) && substr(l, 1, 2) == "  ") ? substr(l, 3) : "  " l
			else if (op == 9 && rnd(3) == 0) { n = i; line[i] = substr(l, 1, p - 1) }  # truncate
			else if (op == 10) line[i] = substr(l, 1, p - 1) pick(SNIPPETS) substr(l, p)
			else line[i] = substr(l, 1, p - 1) rchar() substr(l, p)
		}
		for (i = 1; i <= n; i++) print line[i]
	}'
}

# check: judges $tmp/rc, $tmp/err; prints the problem, or nothing.
problem() {
	rc=$1
	case $rc in
	0) return ;;
	2) ;;
	4) [ "$cmd" = explore ] && return   # a bound stopped the search: partial results
	   printf '%s\n' "exit 4 from $cmd: $(head -n 1 "$tmp/err")"; return ;;
	124) printf '%s\n' "timed out after 10 s"; return ;;
	12[5-7]) printf '%s\n' "could not run it (exit $rc): $(head -n 1 "$tmp/err")"; return ;;
	129 | 1[3-9][0-9]) printf '%s\n' "killed by signal $((rc - 128)) (exit $rc): $(head -n 1 "$tmp/err")"; return ;;
	*) printf '%s\n' "exit $rc: $(head -n 1 "$tmp/err")"; return ;;
	esac
	lines=$(wc -l <"$tmp/err" | tr -d ' ')
	first=$(head -n 1 "$tmp/err")
	if [ "$lines" -ne 1 ] || [ "$(tail -c 1 "$tmp/err" | od -An -c | tr -d ' ')" != '\n' ]; then
		printf '%s\n' "exit 2 with $lines stderr lines, not one: $(head -n 3 "$tmp/err" | sed 's/$/\\n/' | tr -d '\n')"
		return
	fi
	if printf '%s\n' "$first" | grep -Eq '^[^:]+:[0-9]+:[0-9]+: .'; then
		return
	fi
	if printf '%s\n' "$first" | grep -Eq '^[^:]+: (No such file or directory|Is a directory|Permission denied)$'; then
		return
	fi
	if [ "$cmd" != list ] && printf '%s\n' "$first" | grep -Eq '^[^:]+: (run stopped after|exploration stopped at) '; then
		return
	fi
	printf '%s\n' "exit 2 without a file:line:col message: $first"
}

fails=0
saved=0
k=1
[ -n "$only" ] && k=$only && n=$only
while [ "$k" -le "$n" ]; do
	idx=$((k % ninputs + 1))
	f=$(sed -n "${idx}p" "$tmp/inputs")
	mutate $((seed * 100003 + k)) <"$f" >"$tree/$f"
	t=$(cd "$tree" && target "$f")
	if [ "$bin" = "${bin%-san}" ]; then
		(cd "$tree" && ulimit -v 1048576 2>/dev/null;
		 timeout 10 "$bin" $cmd "$t" $args >/dev/null 2>"$tmp/err0" & wait $!; echo $? >"$tmp/rc") 2>/dev/null
	else
		(cd "$tree" && timeout 10 "$bin" $cmd "$t" $args >/dev/null 2>"$tmp/err0" & wait $!; echo $? >"$tmp/rc") 2>/dev/null
	fi
	grep -v '^explored ' "$tmp/err0" >"$tmp/err"
	why=$(problem "$(cat "$tmp/rc")")
	if [ -n "$why" ]; then
		fails=$((fails + 1))
		if [ "$saved" -lt 10 ]; then
			saved=$((saved + 1))
			keep="/tmp/tlbsim-fuzz-$seed-$k"
			rm -rf "$keep"
			cp -r "$tree" "$keep"
			printf '%s\n' "FAIL fuzz: mutant $k (seed $seed): $f: $why"
			printf '%s\n' "  replay: cd $keep && $real_bin $cmd $t $args   (or FUZZ_CMD=$cmd FUZZ_SEED=$seed FUZZ_ONLY=$k sh tests/fuzz.sh)"
		fi
	fi
	cp "$f" "$tree/$f"    # back to the original for the next mutant
	k=$((k + 1))
done

count=$n
[ -n "$only" ] && count=1
if [ "$fails" -eq 0 ]; then
	printf '%s\n' "ok fuzz: $count mutants (seed $seed, $cmd)"
else
	[ "$fails" -gt "$saved" ] && printf '%s\n' "  ... and $((fails - saved)) more failing mutants"
	printf '%s\n' "fuzz: $fails of $count mutants failed (seed $seed, $ninputs inputs, $(basename "$bin"))"
fi
exit 0

#!/bin/sh
# tests/options.sh: the GNU command line (cli/opts.c, docs/cli.md): long
# options exact or by unambiguous prefix, --opt=value and --opt value,
# short forms, options anywhere, '--' ends them, '-' reads a scenario
# from standard input; each usage error is one stderr line, exit 2,
# nothing on stdout.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-opts.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
T=./tlbsim
f=scenarios/mkclean.yaml

same() {   # same NAME ARGS...: stdout as `explore $f --variant old --model blind --brief --no-db`
	name=$1; shift
	if $T "$@" >"$tmp/out" 2>/dev/null && cmp -s "$tmp/out" "$tmp/ref"; then echo "ok options: $name"
	else echo "FAIL options: $name ($T $*)"; diff "$tmp/ref" "$tmp/out" | head -5; fi
}
bad() {    # bad NAME EXPECTED-STDERR ARGS...: one line, exit 2, no stdout
	name=$1; want=$2; shift 2
	$T "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	printf '%s\n' "$want" >"$tmp/want"
	if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/want" "$tmp/err"; then echo "ok options: $name"
	else echo "FAIL options: $name: exit $rc, stderr '$(cat "$tmp/err")', want '$want'"; fi
}

$T explore $f --variant old --model blind --brief --no-db >"$tmp/ref" 2>/dev/null
same "--opt=value" explore $f --variant=old --model=blind --brief --no-db
same "unambiguous prefixes" explore $f --var old --mod=blind --br --no-d
same "short options" explore $f -v old -m blind --brief --no-db
same "short options joined to their value" explore $f -vold -mblind --brief --no-db
same "options before the FILE" explore --brief --no-db -v old -m blind $f
same "-- ends the options" explore --brief --no-db -v old -m blind -- $f
same "-q leaves stdout alone" explore $f -q -v old -m blind --brief --no-db
POSIXLY_CORRECT=1 $T explore $f -v old -m blind --brief --no-db >"$tmp/posix" 2>/dev/null
if cmp -s "$tmp/posix" "$tmp/ref"; then echo "ok options: POSIXLY_CORRECT changes nothing"
else echo "FAIL options: POSIXLY_CORRECT changes the parse"; fi
if $T explore $f -q -v old -m blind --brief --no-db 2>"$tmp/err" >/dev/null && [ ! -s "$tmp/err" ]; then
	echo "ok options: -q: nothing on stderr"; else echo "FAIL options: -q: stderr '$(head -1 "$tmp/err")'"; fi
(cd scenarios && ../tlbsim explore - -v old -m blind --brief --no-db <mkclean.yaml 2>/dev/null) | sed 's/(-)$/(scenarios\/mkclean.yaml)/' >"$tmp/stdin"
if cmp -s "$tmp/stdin" "$tmp/ref"; then echo "ok options: '-' reads the scenario from stdin"
else echo "FAIL options: '-' reads the scenario from stdin"; diff "$tmp/ref" "$tmp/stdin" | head -5; fi
if [ "$( (cd scenarios && ../tlbsim list - <mkclean.yaml) | wc -l)" -eq "$($T list $f | wc -l)" ]; then
	echo "ok options: list - reads stdin"; else echo "FAIL options: list - reads stdin"; fi
$T run $f --no-db -s 7 >"$tmp/a" 2>/dev/null
$T run $f --no-db --seed=7 >"$tmp/b" 2>/dev/null
if cmp -s "$tmp/a" "$tmp/b" && [ -s "$tmp/a" ]; then echo "ok options: -s N is --seed=N"; else echo "FAIL options: -s N is --seed=N"; fi
for h in "--help" "-h" "--he" "help"; do
	if $T $h | grep -q '^usage: tlbsim \[--help'; then echo "ok options: tlbsim $h"; else echo "FAIL options: tlbsim $h"; fi
done
if [ "$($T help run)" = "$($T run --help)" ] && [ "$($T run -h)" = "$($T run --help)" ]; then echo "ok options: help run = run --help = run -h"
else echo "FAIL options: help run, run --help and run -h differ"; fi
for v in --version -V --vers; do
	if $T $v | grep -Eq '^tlbsim [0-9]'; then echo "ok options: tlbsim $v"; else echo "FAIL options: tlbsim $v"; fi
done

bad "unknown option" "tlbsim explore: unknown option '--sees' (see 'tlbsim explore --help')" explore $f --sees 5
bad "a prefix of --seed, given without --random" "tlbsim explore: --seed is for --random (an exhaustive search has no randomness) (see 'tlbsim explore --help')" explore $f --see 5
bad "ambiguous prefix" "tlbsim explore: option '--m' is ambiguous (--model, --max-states, --max-memory, --max-input) (see 'tlbsim explore --help')" explore $f --m blind
bad "a value on a flag" "tlbsim explore: option '--brief' takes no value (see 'tlbsim explore --help')" explore $f --brief=yes
bad "a value on a short flag's long form" "tlbsim run: option '--quiet' takes no value (see 'tlbsim run --help')" run $f --quiet=1
bad "missing value" "tlbsim run: option '--seed' needs a value (see 'tlbsim run --help')" run $f --seed
bad "missing value (short)" "tlbsim run: option '--seed' needs a value (see 'tlbsim run --help')" run $f -s
bad "repeated option" "tlbsim run: option '--model' given twice (see 'tlbsim run --help')" run $f -m blind --model blind
bad "repeated flag" "tlbsim explore: option '--brief' given twice (see 'tlbsim explore --help')" explore $f --brief --br
bad "unknown short option" "tlbsim run: unknown option '-x' (see 'tlbsim run --help')" run $f -x
bad "an option of another command" "tlbsim list: unknown option '--seed' (see 'tlbsim list --help')" list $f --seed 1
bad "--db with --no-db" "tlbsim run: --db and --no-db cannot both be given (see 'tlbsim run --help')" run $f --db x.db --no-db
bad "'-' twice" "tlbsim check: '-' (standard input) given twice (see 'tlbsim check --help')" check - - --no-db
bad "an option after -- is a FILE" "tlbsim explore: expected one scenario FILE (see 'tlbsim explore --help')" explore -- $f --brief
bad "unknown option before the command" "tlbsim: unknown option '--frob' (see 'tlbsim --help')" --frob run $f
bad "a value on --help" "tlbsim: option '--help' takes no value (see 'tlbsim --help')" --help=all
bad "help of an unknown command" "tlbsim help: expected one command name (see 'tlbsim --help')" help frobnicate
bad "--limit too large" "tlbsim db: --limit 9999999999 is too large (see 'tlbsim db --help')" db runs --limit 9999999999
# the timeline's view (--width, --cpus, --timeline): bad values
$T explore $f -v old -m blind --brief -q --db "$tmp/view.db" >/dev/null
bad "--width below 40" "tlbsim explore: --width expects a number of columns from 40 to 10000, got '39' (see 'tlbsim explore --help')" explore $f --width 39
bad "--width not a number" "tlbsim run: --width expects a number of columns from 40 to 10000, got 'wide' (see 'tlbsim run --help')" run $f --width wide
bad "--width with trailing junk" "tlbsim run: --width expects a number of columns from 40 to 10000, got '80x' (see 'tlbsim run --help')" run $f --width=80x
bad "--cpus not a list" "tlbsim explore: --cpus expects CPU numbers separated by commas (0,2), got '0,,1' (see 'tlbsim explore --help')" explore $f --cpus 0,,1
bad "--cpus an unknown CPU" "tlbsim explore: --cpus 0,2: there is no CPU#2 (the scenario has CPU#0 to CPU#1) (see 'tlbsim explore --help')" explore $f --cpus 0,2
bad "--cpus an unknown CPU (run)" "tlbsim run: --cpus 7: there is no CPU#7 (the scenario has CPU#0 to CPU#1) (see 'tlbsim run --help')" run $f --cpus 7
bad "--timeline neither columns nor lines" "tlbsim run: --timeline expects columns or lines, got 'rows' (see 'tlbsim run --help')" run $f --timeline rows
bad "--width with --format json" "tlbsim run: --width shapes the text timeline; --format json and herd draw none (see 'tlbsim run --help')" run $f --width 80 --format json
bad "--cpus with --format herd" "tlbsim explore: --cpus shapes the text timeline; --format json and herd draw none (see 'tlbsim explore --help')" explore $f --cpus 0 --format herd
bad "replay --cpus an unknown CPU" "tlbsim replay: --cpus 3: there is no CPU#3 (the scenario has CPU#0 to CPU#1) (see 'tlbsim replay --help')" replay 1 --db "$tmp/view.db" --cpus 3
exit 0

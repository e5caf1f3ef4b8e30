#!/bin/sh
# tests/errors.sh: bad input gets exactly one line on stderr,
# "file:line:col: what is wrong", exit status 2, nothing on stdout, no
# crash, no hang, and nothing written to the database.
#
# Each tests/errors/*.yaml (lib/ holds only files they include) starts with
#   # expect: <the exact stderr line>
# and may go on with
#   # cmd: run | explore | check     (default: list)
#   # args: <more options, shell-quoted>
# The case runs from the repo root as `./tlbsim CMD tests/errors/NAME.yaml
# [--no-db] ARGS` (list takes no --no-db), with ./tlbsim and, when it is
# built, ./tlbsim-san.  One line per case per binary:
#   ok errors/NAME (tlbsim)
#   FAIL errors/NAME (tlbsim): expected '...', got '...' (exit N)
# Then a few command-line usage errors and a database check.
#
# A case may not take more than 20 s or about 1 GB (ulimit -v for the plain
# build, ASan's hard_rss_limit_mb for the sanitizer build), so a runaway
# case fails instead of taking the machine down.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-errors.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

bins=./tlbsim
[ -x ./tlbsim-san ] && bins="$bins ./tlbsim-san"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
export ASAN_OPTIONS

# run BIN ARGS...: runs one command with the time and memory limits,
# stdout to $tmp/out, stderr to $tmp/err; sets rc (128+N: killed by signal
# N, 124: timed out).  Run in the background and waited for, so that no
# shell adds a "Segmentation fault" notice to the captured stderr.
run() {
	lim='ulimit -v 1048576 2>/dev/null;'
	case $1 in *-san) lim= ;; esac
	sh -c "$lim"' o=$0; timeout 20 "$@" >"$o.out" 2>"$o.err" & wait $!' "$tmp/r" "$@" 2>/dev/null
	rc=$?
	mv "$tmp/r.out" "$tmp/out"
	mv "$tmp/r.err" "$tmp/err"
}

# what_went_wrong EXPECTED: a short description of $tmp/err, $tmp/out, rc.
what_went_wrong() {
	n=$(wc -l <"$tmp/err" | tr -d ' ')
	got=$(head -n 1 "$tmp/err")
	more=""
	[ "$n" -gt 1 ] && more=" (+$((n - 1)) more stderr lines)"
	[ -s "$tmp/err" ] && [ "$(tail -c 1 "$tmp/err" | od -An -c | tr -d ' ')" != '\n' ] && more="$more (no newline at the end)"
	[ -s "$tmp/out" ] && more="$more (stdout not empty: $(head -c 60 "$tmp/out" | head -n 1)...)"
	case $rc in
	124) more="$more (timed out after 20 s)" ;;
	13[0-9]) more="$more (killed by signal $((rc - 128)))" ;;
	esac
	printf '%s\n' "expected '$1', got '$got'$more (exit $rc)"
}

for f in tests/errors/*.yaml; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .yaml)
	expect=$(sed -n '1s/^# expect: //p' "$f")
	cmd=$(sed -n '2,3s/^# cmd: *//p' "$f")
	args=$(sed -n '2,4s/^# args: *//p' "$f")
	[ -n "$cmd" ] || cmd=list
	nodb=--no-db
	[ "$cmd" = list ] && nodb=
	for b in $bins; do
		label="errors/$name (${b#./})"
		if [ -z "$expect" ]; then
			printf '%s\n' "FAIL $label: the first line is not '# expect: <message>'"
			continue
		fi
		eval "set -- $args"
		run "$b" "$cmd" "$f" $nodb "$@"
		printf '%s\n' "$expect" >"$tmp/want"
		if [ "$rc" -eq 2 ] && cmp -s "$tmp/want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
			printf '%s\n' "ok $label"
		else
			printf '%s\n' "FAIL $label: $(what_went_wrong "$expect")"
			sed -n '2,6s/^/  | /p' "$tmp/err"
		fi
	done
done

# ---- command-line usage: exit 2 and something on stderr ----
usage_case() {   # usage_case NAME ARGS...
	uname=$1; shift
	for b in $bins; do
		run "$b" "$@"
		if [ "$rc" -eq 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
			printf '%s\n' "ok errors/usage: $uname (${b#./})"
		else
			printf '%s\n' "FAIL errors/usage: $uname (${b#./}): expected exit 2 and a short message on stderr, got '$(head -n 1 "$tmp/err")' ($(wc -l <"$tmp/err" | tr -d ' ') stderr lines, $(wc -c <"$tmp/out" | tr -d ' ') stdout bytes, exit $rc)"
		fi
	done
}
usage_case "unknown command" frobnicate scenarios/mkclean.yaml
usage_case "unknown option" list scenarios/mkclean.yaml --frobnicate
usage_case "option of another command" list scenarios/mkclean.yaml --seed 1
usage_case "missing FILE" list
usage_case "missing FILE (run)" run --no-db
usage_case "two FILEs" explore scenarios/mkclean.yaml scenarios/mkclean.yaml --no-db
usage_case "--seed abc" run scenarios/mkclean.yaml --no-db --seed abc
usage_case "--seed -1" run scenarios/mkclean.yaml --no-db --seed -1
usage_case "--seed out of range" run scenarios/mkclean.yaml --no-db --seed 99999999999999999999999
usage_case "--seed without a value" run scenarios/mkclean.yaml --no-db --seed
usage_case "--max-states 12x" explore scenarios/mkclean.yaml --no-db --max-states 12x
usage_case "unknown --model" run scenarios/mkclean.yaml --no-db --model sloppy
usage_case "check of a path that does not exist" check tests/errors/no_such_dir --no-db

# ---- files that cannot be read: exactly "path: why" ----
exact_case() {   # exact_case NAME EXPECTED ARGS...
	ename=$1; want=$2; shift 2
	for b in $bins; do
		run "$b" "$@"
		printf '%s\n' "$want" >"$tmp/want"
		if [ "$rc" -eq 2 ] && cmp -s "$tmp/want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
			printf '%s\n' "ok errors/usage: $ename (${b#./})"
		else
			printf '%s\n' "FAIL errors/usage: $ename (${b#./}): $(what_went_wrong "$want")"
		fi
	done
}
exact_case "FILE that does not exist" "tests/errors/no_such_file.yaml: No such file or directory" \
	list tests/errors/no_such_file.yaml
exact_case "FILE that is a folder" "tests/errors: Is a directory" list tests/errors
exact_case "run of a FILE that does not exist" "tests/errors/no_such_file.yaml: No such file or directory" \
	run tests/errors/no_such_file.yaml --no-db

# ---- input files: regular files only, at most 16 MB (docs/testing.md) ----
# A FIFO (no writer: a reader that waited would hang), a device, a file
# over the bound (sparse, so it costs no disk), and the same as includes.
inp="$tmp/input"
mkdir -p "$inp"
mkfifo "$inp/fifo.yaml"
truncate -s 17M "$inp/huge.yaml"
for k in fifo huge; do
	printf '%s\n' "scenario: t" "include: [$k.yaml]" "machine: {cpus: 1}" >"$inp/inc_$k.yaml"
done
exact_case "FILE that is a FIFO" "$inp/fifo.yaml: not a regular file (a FIFO)" list "$inp/fifo.yaml"
exact_case "FILE that is a FIFO (check)" "$inp/fifo.yaml: not a regular file (a FIFO)" check "$inp/fifo.yaml" --no-db
exact_case "FILE that is /dev/zero" "/dev/zero: not a regular file (a character device)" list /dev/zero
exact_case "FILE that is /dev/zero (run)" "/dev/zero: not a regular file (a character device)" run /dev/zero --no-db
exact_case "FILE over 16 MB" "$inp/huge.yaml: larger than 16 MB, the bound on an input file" list "$inp/huge.yaml"
exact_case "include of a FIFO" "$inp/inc_fifo.yaml:2:11: include 'fifo.yaml': not a regular file (a FIFO)" \
	list "$inp/inc_fifo.yaml"
exact_case "include over 16 MB" "$inp/inc_huge.yaml:2:11: include 'huge.yaml': larger than 16 MB, the bound on an input file" \
	list "$inp/inc_huge.yaml"
# --max-input MB moves the bound, for a scenario, its includes and
# standard input alike; it is in MB, from 1 to 1024.
head -c 1100000 /dev/zero | tr '\0' '#' >"$inp/mb.yaml"
printf '%s\n' "scenario: t" "include: [mb.yaml]" "machine: {cpus: 1}" >"$inp/inc_mb.yaml"
exact_case "FILE over --max-input 1" "$inp/mb.yaml: larger than 1 MB, the bound on an input file (--max-input)" \
	list --max-input 1 "$inp/mb.yaml"
exact_case "include over --max-input 1" \
	"$inp/inc_mb.yaml:2:11: include 'mb.yaml': larger than 1 MB, the bound on an input file (--max-input)" \
	list --max-input=1 "$inp/inc_mb.yaml"
for b in $bins; do
	got=$($b list --max-input 1 - <"$inp/mb.yaml" 2>&1 >/dev/null; echo "exit $?")
	want="-: larger than 1 MB, the bound on an input file (--max-input)
exit 2"
	if [ "$got" = "$want" ]; then echo "ok errors/usage: FILE - over --max-input 1 (${b#./})"
	else echo "FAIL errors/usage: FILE - over --max-input 1 (${b#./}): got '$got'"; fi
done
usage_case "--max-input 0" list --max-input 0 scenarios/mkclean.yaml
usage_case "--max-input 1025" list --max-input 1025 scenarios/mkclean.yaml

# ---- includes stay inside the scenario's folder or TLBSIM_PATH ----
# (tests/errors/include_outside*.yaml: the plain refusals.)  A library
# next to the folder is refused, then allowed by TLBSIM_PATH; TLBSIM_PATH
# does not lift the regular-file rule; a chain of 33 includes is refused
# at the entry that goes one too deep.
ok_case() {   # ok_case NAME ARGS...: exit 0
	oname=$1; shift
	for b in $bins; do
		run "$b" "$@"
		if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then
			printf '%s\n' "ok errors/usage: $oname (${b#./})"
		else
			printf '%s\n' "FAIL errors/usage: $oname (${b#./}): exit $rc, stderr '$(head -n 1 "$tmp/err")'"
		fi
	done
}
incd="$tmp/inc"
mkdir -p "$incd/top" "$incd/shared"
printf '%s\n' 'procedures:' '  - name: f' '    body: ["return 1"]' >"$incd/shared/l.yaml"
printf '%s\n' 'scenario: t' 'include: [../shared/l.yaml]' 'machine: {cpus: 1}' 'mms: [mm]' \
	'cpus:' '  - {cpu: 0, body: ["x = f()"]}' >"$incd/top/s.yaml"
printf '%s\n' 'scenario: t' 'include: [/dev/zero]' 'machine: {cpus: 1}' >"$incd/top/z.yaml"
exact_case "include next to the folder" \
	"$incd/top/s.yaml:2:11: include '../shared/l.yaml': outside the scenario's folder, -I and TLBSIM_PATH" list "$incd/top/s.yaml"
TLBSIM_PATH="/nonexistent:$incd/shared"
export TLBSIM_PATH
ok_case "include next to the folder, in TLBSIM_PATH" list "$incd/top/s.yaml"
TLBSIM_PATH=/dev
exact_case "include of /dev/zero, /dev in TLBSIM_PATH" \
	"$incd/top/z.yaml:2:11: include '/dev/zero': not a regular file (a character device)" list "$incd/top/z.yaml"
unset TLBSIM_PATH
ok_case "include next to the folder, -I" list -I "$incd/shared" "$incd/top/s.yaml"
ok_case "include next to the folder, --include-dir= twice" list --include-dir=/nonexistent --include-dir="$incd/shared" "$incd/top/s.yaml"
# a symbolic link inside the folder that leads out is outside (and the
# message says where it leads); -I of its target lets it through
mkdir -p "$incd/top/sub"
ln -s "$incd/shared/l.yaml" "$incd/top/sub/l.yaml"
printf '%s\n' 'scenario: t' 'include: [sub/l.yaml]' 'machine: {cpus: 1}' 'mms: [mm]' \
	'cpus:' '  - {cpu: 0, body: ["x = f()"]}' >"$incd/top/link.yaml"
exact_case "include through a symbolic link out of the folder" \
	"$incd/top/link.yaml:2:11: include 'sub/l.yaml': outside the scenario's folder, -I and TLBSIM_PATH (a symbolic link to $incd/shared/l.yaml)" \
	list "$incd/top/link.yaml"
ok_case "include through a symbolic link, -I of its target" list -I "$incd/shared" "$incd/top/link.yaml"
# standard input's includes follow the same rules, from the current folder
for b in $bins; do
	got=$(cd "$incd/top" && "$OLDPWD/$b" list - <s.yaml 2>&1 >/dev/null; echo "exit $?")
	want="-:2:11: include '../shared/l.yaml': outside the scenario's folder, -I and TLBSIM_PATH
exit 2"
	if [ "$got" = "$want" ]; then echo "ok errors/usage: FILE - with an include outside the folder (${b#./})"
	else echo "FAIL errors/usage: FILE - with an include outside the folder (${b#./}): got '$got'"; fi
done
i=1
while [ $i -le 33 ]; do
	printf '%s\n' "include: [l$((i + 1)).yaml]" >"$incd/top/l$i.yaml"
	i=$((i + 1))
done
printf '%s\n' 'scenario: t' 'include: [l1.yaml]' 'machine: {cpus: 1}' >"$incd/top/deep.yaml"
exact_case "includes nested too deep" \
	"$incd/top/l31.yaml:1:11: include 'l32.yaml': includes nested too deep (at most 32 files)" list "$incd/top/deep.yaml"

# ---- loader bounds on generated files (too big to commit) ----
# 20,000 block scalars then a bad step: placed in linear time (this took
# 15 s before, far over the 20 s bound under ASan); a 1 MB scalar aliased
# 1,000 times and a 4 KB one aliased 10,000 times: the alias bound is in
# bytes (16 MB); more than 1,000,000 nodes, and 250,000 nodes (once over
# a node bound that said "aliases"), without an alias: no alias message.
gen="$tmp/gen"
mkdir -p "$gen"
head_lines='scenario: t\nmachine: {cpus: 1}\nmms: [mm]\nvars: {x: 0}\ncpus:\n  - cpu: 0\n    body:'
awk -v h="$head_lines" 'BEGIN { print h; for (i = 0; i < 20000; i++) print "      - |\n        WRITE_ONCE(x, 1)"
	print "      - |\n        WRITE_ONCE(x, 1) x" }' >"$gen/blocks.yaml"
awk 'BEGIN { for (s = "x"; length(s) < 1000000; ) s = s s; s = substr(s, 1, 1000000); print "scenario: t\ndescription:\n  - &a " s
	for (i = 0; i < 1000; i++) print "  - *a" }' >"$gen/alias_1mb.yaml"
awk 'BEGIN { for (s = "x"; length(s) < 4000; ) s = s s; s = substr(s, 1, 4000); print "scenario: t\ndescription:\n  - &a " s
	for (i = 0; i < 10000; i++) print "  - *a" }' >"$gen/alias_10000.yaml"
awk 'BEGIN { print "scenario: t\ndescription:"; for (i = 0; i < 1000001; i++) print "  - x" }' >"$gen/nodes_1m.yaml"
awk 'BEGIN { print "scenario: t\ndescription:"; for (i = 0; i < 250000; i++) print "  - x" }' >"$gen/nodes_250k.yaml"
exact_case "20,000 block scalars" "$gen/blocks.yaml:40009:26: unexpected text after ')'" list "$gen/blocks.yaml"
exact_case "a 1 MB scalar aliased 1,000 times" "$gen/alias_1mb.yaml:20:5: YAML: aliases expand to more than 16 MB" \
	list "$gen/alias_1mb.yaml"
exact_case "10,000 aliases" "$gen/alias_10000.yaml:4131:5: YAML: aliases expand to more than 16 MB" \
	list "$gen/alias_10000.yaml"
exact_case "1,000,001 nodes, no alias" "$gen/nodes_1m.yaml:999998:5: YAML: more than 1000000 nodes in one file" \
	list "$gen/nodes_1m.yaml"
exact_case "250,000 nodes, no alias" "$gen/nodes_250k.yaml:3:3: description: expected a value, got a list" \
	list "$gen/nodes_250k.yaml"

# ---- clean text out: input text is escaped on the terminal ----
# (tests/errors/control_in_*.yaml: names, keys and include names in
# errors.)  A path that is not UTF-8 or holds ESC, in an error and on
# stdout; a scenario and variant name with ESC and CR on stdout.
cln="$tmp/clean"
mkdir -p "$cln"
bad=$(printf '%s/a\033[1mb\377.yaml' "$cln")
exact_case "path with ESC and a non-UTF-8 byte" "$cln/a\x1b[1mb\xff.yaml: No such file or directory" list "$bad"
printf '%s\n' 'scenario: "n\e[31m\rx"' 'variants: ["v\e1"]' 'machine: {cpus: 1}' 'mms: [mm]' \
	'cpus:' '  - {cpu: 0, body: ["x = 1"]}' >"$bad"
for b in $bins; do
	run "$b" explore "$bad" --no-db
	if [ "$rc" -eq 0 ] && ! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177\377]')" "$tmp/out" &&
	   grep -q 'n\\x1b\[31m\\x0dx  variant v\\x1b1 .*a\\x1b\[1mb\\xff.yaml' "$tmp/out"; then
		printf '%s\n' "ok errors/usage: control characters escaped on stdout (${b#./})"
	else
		printf '%s\n' "FAIL errors/usage: control characters escaped on stdout (${b#./}): exit $rc, $(head -n 1 "$tmp/out" | od -c | head -n 2)"
	fi
done

# ---- an error run records nothing, and does not even create the database ----
db="$tmp/never.db"
for b in $bins; do
	rm -f "$db"
	run "$b" run tests/errors/run_spin_unlock_not_held.yaml --db "$db"
	r1=$rc
	run "$b" explore tests/errors/unknown_step.yaml --db "$db"
	r2=$rc
	run "$b" check tests/errors/explore_spin_unlock_not_held.yaml --db "$db"
	r3=$rc
	if [ ! -e "$db" ] && [ "$r1" -eq 2 ] && [ "$r2" -eq 2 ] && [ "$r3" -eq 2 ]; then
		printf '%s\n' "ok errors/no database written on bad input (${b#./})"
	else
		printf '%s\n' "FAIL errors/no database written on bad input (${b#./}): exits $r1 $r2 $r3, $db $([ -e "$db" ] && echo exists || echo 'does not exist')"
	fi
done
exit 0

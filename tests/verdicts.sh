#!/bin/sh
# tests/verdicts.sh: every shipped scenario's expect: entries, judged by
# `tlbsim check` (its ok/FAIL lines are counted by tests/run.sh), with the
# optimised and the sanitizer build alike.  tests/scenarios/lib is a
# symbolic link to scenarios/lib, which an include may reach only from a
# root: -I scenarios/lib.
set -u
for bin in ./tlbsim ./tlbsim-san; do
	[ -x "$bin" ] || continue
	$bin check -I scenarios/lib scenarios tests/scenarios --no-db 2>/dev/null | sed "s|^ok |ok [$bin] |; s|^FAIL|FAIL [$bin]|"
done

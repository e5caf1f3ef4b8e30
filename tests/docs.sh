#!/bin/sh
# tests/docs.sh: the witnesses docs/races.md shows are what tlbsim prints:
# for every excerpt, the end state under it is the end state `tlbsim run`
# gives for the schedule of the run command above it.  (The excerpts'
# middle rows are abridged with "..."; their end states are whole.)
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-docs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# one file per excerpt: line 1 the run command's arguments, then the block
awk -v dir="$tmp" '
	/^ *tlbsim run / { sub(/^ *tlbsim run /, ""); cmd = $0; next }
	/^end state:/ { n++; f = dir "/" n; print cmd > f; print >> f; inblock = 1; next }
	inblock && /^           / { print >> f; next }
	{ inblock = 0 }
' docs/races.md
for f in "$tmp"/[0-9]*; do
	[ -f "$f" ] || continue
	args=$(head -1 "$f")
	sed 1d "$f" >"$f.want"
	eval "./tlbsim run $args --no-db" 2>/dev/null |
		awk '/^end state:/ { p = 1; print; next } p && /^           / { print; next } { p = 0 }' >"$f.got"
	if cmp -s "$f.want" "$f.got"; then
		echo "ok docs/races.md: end state of run $args"
	else
		echo "FAIL docs/races.md: end state of run $args differs:"
		diff "$f.want" "$f.got" | sed 's/^/  | /'
	fi
done

# The docs and scenarios stand alone: a user's clone has no ../shared, and
# no path of a developer's machine belongs in them.
if grep -rlE '\.\./shared|/work/' README.md docs scenarios cpus mmu sim reports cli tests/unit >/dev/null 2>&1; then
	echo "FAIL docs stand alone: these name ../shared or a machine path:"
	grep -rlE '\.\./shared|/work/' README.md docs scenarios cpus mmu sim reports cli tests/unit | sed 's/^/  | /'
else
	echo "ok docs stand alone: no ../shared or machine path in README, docs, scenarios, sources"
fi

#!/bin/sh
# tests/crash.sh: results survive kill -9.  compare writes a whole
# comparison in one transaction; it is killed at a spread of moments
# (during the search and during the write), then run to the end once.
# The database must pass PRAGMA integrity_check and hold only whole
# comparisons: its run count is a multiple of one comparison's, and no
# outcome row lacks its run.
set -u
cd "$(dirname "$0")/.." || exit 2
T=./tlbsim
tmp=$(mktemp -d /tmp/tlbsim-crash.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/k.db"
cells=$($T compare scenarios --no-db 2>&1 >/dev/null | grep -c '^explored ')
for t in 0.01 0.02 0.03 0.04 0.05 0.06 0.08 0.10; do
	$T compare scenarios --db "$db" >/dev/null 2>&1 &
	pid=$!
	sleep "$t"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
$T compare scenarios --db "$db" >/dev/null 2>&1
ok() { if [ "$2" = "$3" ]; then echo "ok crash: $1"; else echo "FAIL crash: $1: got '$2', want '$3'"; fi; }
ok "after 8 kill -9 and a full run, integrity_check" "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok
runs=$(sqlite3 "$db" 'SELECT count(*) FROM runs')
ok "only whole comparisons were recorded ($runs runs, $cells per comparison)" "$((runs % cells)):$((runs > 0))" "0:1"
ok "no outcome without its run" "$(sqlite3 "$db" 'SELECT count(*) FROM outcomes o WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = o.run_id)')" 0

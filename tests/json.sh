#!/bin/sh
# tests/json.sh: --format json (docs/json.md) parsed by a real JSON parser
# (python3, strict UTF-8), for the shipped scenarios and a hostile one
# (quotes, markup, control characters, a file name that is not UTF-8);
# --format herd lines; a bad --format is one line and exit 2.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-json.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
T=./tlbsim

check() {  # check NAME COMMAND...: ok when the command succeeds
	name=$1; shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then echo "ok json: $name"
	else echo "FAIL json: $name"; tail -5 "$tmp/out" "$tmp/err"; fi
}
if ! command -v python3 >/dev/null 2>&1; then
	echo "skip json: python3 is not installed (tests/deps.sh installs it)"
	echo "ok json: nothing to parse with"
	exit 0
fi
# strict: the bytes must be UTF-8 and one JSON document; prints a summary
cat >"$tmp/parse.py" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))
assert d['schema'] == 1 and d['command'] in ('explore', 'compare'), d.get('schema')
for e in d['explorations']:
    for k in ('scenario', 'file', 'variant', 'model', 'states', 'transitions', 'end_states', 'schedules', 'outcomes'):
        assert k in e, k
    for o in e['outcomes']:
        assert o['observed'] in ('sometimes', 'always') and o['witness'] is not None, o
print(len(d['explorations']), sum(len(e['outcomes']) for e in d['explorations']))
PY

$T explore scenarios/mkclean.yaml --format json --no-db >"$tmp/m.json" 2>/dev/null
check "explore --format json parses (21 explorations of mkclean)" sh -c "python3 $tmp/parse.py $tmp/m.json | grep -q '^21 '"
check "explore json: old blind lost_dirty in 3 of 25, its witness" python3 -c "
import json; d = json.load(open('$tmp/m.json'))
e = [e for e in d['explorations'] if e['variant'] == 'old' and e['model'] == 'blind'][0]
o = [o for o in e['outcomes'] if o['name'] == 'lost_dirty'][0]
assert (o['schedules'], e['schedules'], o['witness']) == (3, 25, '0 0 0 0 0 1 1 i1 0 0 0'), o
assert o['timeline'].startswith('line ') and 'end state:' in o['timeline']"
$T explore scenarios/mkclean.yaml --format json --no-db >"$tmp/m2.json" 2>/dev/null
check "explore json is deterministic" cmp "$tmp/m.json" "$tmp/m2.json"
$T compare scenarios --format json --no-db >"$tmp/c.json" 2>"$tmp/c.err"
cells=$(grep -c '^explored ' "$tmp/c.err")
check "compare --format json parses ($cells cells, one per exploration)" sh -c "python3 $tmp/parse.py $tmp/c.json | grep -q '^$cells '"
check "python3 -m json.tool accepts it" sh -c "python3 -m json.tool $tmp/c.json >/dev/null"
$T explore scenarios/livelock.yaml --format json --no-db >"$tmp/l.json" 2>/dev/null
check "livelock json: stuck states and a lasso" python3 -c "
import json; d = json.load(open('$tmp/l.json'))
o = [o for e in d['explorations'] for o in e['outcomes'] if o['name'] == 'livelock'][0]
assert o['stuck_states'] > 0 and o['cycle_choices'] > 0, o"

$T run scenarios/mkclean.yaml -v old -m blind --schedule "0 0 0 0 0 1 1 i1 0 0 0" --format json --no-db >"$tmp/r.json" 2>/dev/null
$T run scenarios/mkclean.yaml -v old -m blind --schedule "0 0 0 0 0 1 1 i1 0 0 0" --no-db >"$tmp/r.txt" 2>/dev/null
check "run --format json: the text run's outcomes, schedule and trace hash" python3 -c "
import json; d = json.load(open('$tmp/r.json')); t = open('$tmp/r.txt').read()
assert d['command'] == 'run' and d['schema'] == 1
assert 'outcomes: ' + ', '.join(d['outcomes']) + '\n' in t or 'outcomes: ' + ','.join(d['outcomes']) in t, d['outcomes']
assert 'lost_dirty' in d['outcomes'] and 'trace hash: ' + d['trace_hash'] in t and 'schedule: ' + d['schedule'] in t
assert d['timeline'] in t"
$T check scenarios/mkclean.yaml tests/data/unexpected.yaml --format json --no-db >"$tmp/k.json" 2>/dev/null
rc=$?
check "check --format json: exit 1, the judge's lines and counts" python3 -c "
import json; d = json.load(open('$tmp/k.json'))
assert $rc == 1 and d['command'] == 'check' and d['failed'] == 1 and d['passed'] > 0, (d['passed'], d['failed'])
assert len(d['explorations']) == 22 and any(l.startswith('FAIL unexpected: bug_on') for l in d['lines'])"
$T explore scenarios/mkclean.yaml -v old --format json --no-db -q --max-states 48 >"$tmp/inc.json" 2>/dev/null
rc=$?
check "explore --format json past --max-states: complete false, stopped_by, what was found" python3 -c "
import json; d = json.load(open('$tmp/inc.json'))
assert $rc == 4, $rc
e = [x for x in d['explorations'] if x['model'] == 'blind'][0]
assert e['complete'] is False and e['stopped_by'] == '--max-states' and e['schedules'] is None, e
assert e['schedules_end'] == 'not known'
o = [x for x in e['outcomes'] if x['name'] == 'lost_dirty'][0]
assert o['observed'] == 'sometimes' and o['schedules'] is None and o['end_states'] >= 1 and o['witness']
full = json.load(open('$tmp/m.json'))['explorations'][1]
assert full['complete'] is True and full['stopped_by'] is None, full"
$T check scenarios/mkclean.yaml --format json --no-db -q --max-states 48 >"$tmp/ki.json" 2>/dev/null
rc=$?
$T explore scenarios/mkclean.yaml -v old --format json --no-db -q --states >"$tmp/st.json" 2>/dev/null
check "explore --format json --states: end_state_list, one per end state, each with a schedule and its state" python3 -c "
import json; d = json.load(open('$tmp/st.json'))
for e in d['explorations']:
    l = e['end_state_list']
    assert len(l) == e['end_states'], (len(l), e['end_states'])
    assert all(x['state'].startswith('end state:  PTE ') and isinstance(x['outcomes'], list) for x in l), l
    reached = set(n for x in l for n in x['outcomes'])
    assert reached == set(o['name'] for o in e['outcomes']), (reached, e['outcomes'])
assert 'end_state_list' not in json.load(open('$tmp/m.json'))['explorations'][0]"
$T explore scenarios/mkclean.yaml -v old -m blind --format json --no-db -q --random 50 --seed 9 >"$tmp/rnd.json" 2>/dev/null
check "explore --random --format json: complete false, stopped_by --random, the sample's counts" python3 -c "
import json; e = json.load(open('$tmp/rnd.json'))['explorations'][0]
assert e['complete'] is False and e['stopped_by'] == '--random' and e['random'] == {'runs': 50, 'seed': 9, 'pct': 0, 'ended': 50, 'unended': 0}, e
assert all(o['observed'] == 'sometimes' and 0 < o['schedules'] <= 50 for o in e['outcomes']), e['outcomes']"
check "check --format json past --max-states: exit 4, unknown counted" python3 -c "
import json; d = json.load(open('$tmp/ki.json'))
assert $rc == 4 and d['failed'] == 0 and d['unknown'] > 0 and d['passed'] > 0, ($rc, d['passed'], d['failed'], d['unknown'])
assert any(l.startswith('incomplete ') for l in d['lines'])"
check "check --format herd is refused" sh -c "$T check scenarios/mkclean.yaml --format herd --no-db 2>/dev/null; test \$? -eq 2"

mkdir "$tmp/s" && cp -r scenarios/mkclean.yaml scenarios/lib "$tmp/s/"
$T explore "$tmp/s/mkclean.yaml" -v old -m blind --brief -q --db "$tmp/r.db" >/dev/null
$T replay lost_dirty --db "$tmp/r.db" --format json >"$tmp/rp.json" 2>/dev/null
check "replay --format json: the witness, matching its recording" python3 -c "
import json; d = json.load(open('$tmp/rp.json'))
assert d['command'] == 'replay' and d['outcome'] == 'lost_dirty' and d['matches_recorded'] is True and d['notes'] == [], d
assert d['schedule'] == '0 0 0 0 0 1 1 i1 0 0 0' and 'lost_dirty' in d['outcomes']"
$T db matrix --db "$tmp/r.db" --format json >"$tmp/dm.json" 2>/dev/null
check "db matrix --format json: the recorded cell and its witness" python3 -c "
import json; d = json.load(open('$tmp/dm.json'))
assert d['command'] == 'db matrix' and len(d['runs']) == 1, d
o = [o for o in d['runs'][0]['outcomes'] if o['name'] == 'lost_dirty'][0]
assert o['schedules'] == 3 and o['witness'] == '0 0 0 0 0 1 1 i1 0 0 0' and o['witness_id'] > 0, o"
$T run "$tmp/s/mkclean.yaml" -v old -m blind --seed 3 -q --db "$tmp/r.db" >/dev/null
$T db runs --db "$tmp/r.db" --format json >"$tmp/dr.json" 2>/dev/null
check "db runs --format json: newest first, a run and an explore, provenance" python3 -c "
import json, subprocess; d = json.load(open('$tmp/dr.json'))
git = subprocess.run(['$T', '--version'], capture_output=True, text=True).stdout.split('(git ')[1].rstrip(')\\n')
assert d['command'] == 'db runs' and [r['mode'] for r in d['runs']] == ['run', 'explore'], d
r, e = d['runs']
assert r['seed'] == 3 and r['git'] == git and e['git'] == git and e['complete'] is True and e['schedules'] == 25, d
assert [o['name'] for o in e['outcomes']] == ['lost_dirty', 'dirty_nonpresent_pte', 'lost_write'], e"
$T db runs --db "$tmp/r.db" --format json --limit 1 >"$tmp/dr1.json" 2>/dev/null
check "db runs --format json --limit 1: the newest only" python3 -c "
import json; d = json.load(open('$tmp/dr1.json')); assert len(d['runs']) == 1 and d['runs'][0]['mode'] == 'run', d"
$T explore "$tmp/s/mkclean.yaml" -v old -m blind --brief -q --max-states 48 --db "$tmp/ri.db" >/dev/null 2>&1
$T db regressions --against "$tmp/r.db" --db "$tmp/ri.db" --format json >"$tmp/rg.json" 2>/dev/null
rc=$?
check "db regressions --format json: a cell whose search became incomplete, not a change" python3 -c "
import json; d = json.load(open('$tmp/rg.json'))
assert $rc == 0 and d['command'] == 'db regressions' and d['changed'] == 0 and len(d['cells']) == 1, ($rc, d)
c = d['cells'][0]
assert c['before'] == {'outcomes': ['dirty_nonpresent_pte', 'lost_dirty', 'lost_write'], 'complete': True}, c
assert c['after']['complete'] is False and c['changed'] is False, c"
# a real change: the same cell with one outcome fewer in the other database
cp "$tmp/r.db" "$tmp/rc.db"
sqlite3 "$tmp/rc.db" "DELETE FROM outcomes WHERE name = 'lost_write'"
$T db regressions --against "$tmp/rc.db" --db "$tmp/r.db" --format json >"$tmp/rgc.json" 2>/dev/null; jrc=$?
$T db regressions --against "$tmp/rc.db" --db "$tmp/r.db" >/dev/null 2>&1; trc=$?
check "db regressions --format json: a changed verdict, exit 1 as the text" python3 -c "
import json; d = json.load(open('$tmp/rgc.json'))
assert $jrc == 1 and $trc == 1 and d['changed'] == 1, ($jrc, $trc, d)
c = d['cells'][0]
assert c['changed'] is True and 'lost_write' in c['after']['outcomes'] and 'lost_write' not in c['before']['outcomes'], c"
$T db matrix --db "$tmp/ri.db" --format json >"$tmp/dmi.json" 2>/dev/null
check "db matrix --format json: an incomplete run says so, schedules null" python3 -c "
import json; d = json.load(open('$tmp/dmi.json')); r = d['runs'][0]
assert r['complete'] is False and r['schedules'] is None and all(o['schedules'] is None for o in r['outcomes']), r"
echo "# edited" >>"$tmp/s/mkclean.yaml"
$T replay lost_dirty --db "$tmp/r.db" --format json >"$tmp/rp.json" 2>/dev/null
check "replay --format json: a changed scenario is a note" python3 -c "
import json; d = json.load(open('$tmp/rp.json'))
assert len(d['notes']) == 1 and 'changed since this was recorded' in d['notes'][0], d['notes']"

# hostile text, as in tests/html.sh
mkdir -p "$tmp/h/a/b"
ln -s "$PWD/scenarios/lib" "$tmp/h/a/b/lib"   # a link out of the folder: -I its target
bad=$(printf '%s/h/a/b/bad\377name.yaml' "$tmp")
cp tests/data/hostile.yaml "$bad"
$T explore -I scenarios/lib "$bad" --format json --no-db >"$tmp/h.json" 2>/dev/null
check "hostile scenario: valid JSON and UTF-8" sh -c "python3 $tmp/parse.py $tmp/h.json >/dev/null"
check "hostile scenario: the file name's bad byte is U+FFFD" python3 -c "
import json; d = json.load(open('$tmp/h.json', encoding='utf-8'))
assert d['explorations'][0]['file'].endswith('bad\ufffdname.yaml'), d['explorations'][0]['file']"

check "hostile scenario: quotes and control characters come back as they were" python3 -c "
import json; d = json.load(open('$tmp/h.json', encoding='utf-8'))
e = d['explorations'][0]
assert e['scenario'] == 'q\\\"uote\'s <script>alert(1)</script> & </svg>', e['scenario']
assert e['description'].startswith('ctrl \\x01\\x1b[31m red \\x7f del \\x85 nel'), repr(e['description'])"

$T explore scenarios/mkclean.yaml --format herd --no-db >"$tmp/herd" 2>/dev/null
check "herd: every line is Test, States or Observation" sh -c "! grep -Ev '^(Test [^ ]+ [^ ]+ [^ ]+|States [0-9]+|Observation [^ ]+ [^ ]+ [^ ]+ [^ ]+ (Never|Sometimes|Always) ([0-9]+|\*) ([0-9]+|\*))$' $tmp/herd"
check "herd: race 1's line" grep -qx 'Observation page_mkclean_one old blind lost_dirty Sometimes 3 25' "$tmp/herd"
check "herd: the fixed variant never loses it" grep -qx 'Observation page_mkclean_one fixed blind lost_dirty Never 0 [0-9]*' "$tmp/herd"
check "herd: 21 States lines" sh -c "test \$(grep -c '^States ' $tmp/herd) -eq 21"
check "an unknown --format: one line, exit 2" sh -c "$T explore scenarios/mkclean.yaml --format yaml --no-db 2>$tmp/e >$tmp/o; \
	test \$? -eq 2 && test ! -s $tmp/o && test \$(wc -l <$tmp/e) -eq 1"
exit 0

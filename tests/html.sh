#!/bin/sh
# tests/html.sh: the HTML report (`tlbsim report`, `explore --html`): one
# self-contained, valid UTF-8 file, byte-identical for the same input,
# whatever bytes the scenario text holds; then, in headless Chromium, the
# page loads without console errors and its DOM has the lanes and steps
# expected.  Screenshots go to build/html/.  Without Chromium the browser
# checks are skipped with a line saying so.
set -u
tmp=$(mktemp -d /tmp/tlbsim-html.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
T=./tlbsim
shots=build/html
mkdir -p "$shots"

check() {  # check NAME COMMAND...: ok when the command succeeds
	name=$1; shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then echo "ok html: $name"
	else echo "FAIL html: $name"; tail -n 5 "$tmp/out" "$tmp/err"; fi
}


# race 1: the old page_mkclean_one on a blind CPU
race1="scenarios/mkclean.yaml --variant old --model blind --no-db --brief"
$T explore $race1 --html "$tmp/race1.html" >/dev/null 2>&1
$T explore $race1 --html "$tmp/race1b.html" >/dev/null 2>&1
check "explore --html writes the race-1 page" test -s "$tmp/race1.html"
check "explore --html twice: byte-identical" cmp "$tmp/race1.html" "$tmp/race1b.html"
check "explore --html: stdout as without it" sh -c "$T explore $race1 --html $tmp/x.html 2>/dev/null >$tmp/a && \
	$T explore $race1 2>/dev/null >$tmp/b && cmp $tmp/a $tmp/b"
$T explore tests/scenarios/sym_ubc.yaml -I scenarios/lib --no-db -q --brief --html "$tmp/ubc.html" >/dev/null 2>&1
check "a try_to_unmap_flush shootdown gets its IPI arrows and acks too (not only flush_tlb_page)" sh -c \
	"test \$(grep -c 'class=\"ipi\"' $tmp/ubc.html) -ge 1 && test \$(grep -c 'class=\"ack\"' $tmp/ubc.html) -ge 1"
check "race-1 page is valid UTF-8 and self-contained" sh -c "iconv -f UTF-8 -t UTF-8 $tmp/race1.html >/dev/null && \
	! grep -Eq '<script|<link|<iframe|<img| src=|@import|url\([^#]' $tmp/race1.html"
check "race-1 page: 2 lanes, 1 timeline, both outcomes marked" sh -c "test \$(grep -c '<g class=\"lane\"' $tmp/race1.html) -eq 2 && \
	test \$(grep -c '<svg class=\"timeline\"' $tmp/race1.html) -eq 1 && \
	grep -q 'lost_dirty true from here on' $tmp/race1.html && grep -q 'dirty_nonpresent_pte true from here on' $tmp/race1.html"

# the report of a database: every shipped scenario under every model
$T compare scenarios --db "$tmp/m.db" >/dev/null 2>&1
check "report -o writes the database's page" $T report --db "$tmp/m.db" -o "$tmp/report.html"
check "report --output=FILE is the same page" sh -c "$T report --db $tmp/m.db --output=$tmp/report2.html && cmp $tmp/report.html $tmp/report2.html"
check "report to stdout is the same page" sh -c "$T report --db $tmp/m.db | cmp -s - $tmp/report.html"
check "report page is valid UTF-8 and self-contained" sh -c "iconv -f UTF-8 -t UTF-8 $tmp/report.html >/dev/null && \
	! grep -Eq '<script|<link|<iframe|<img| src=|@import|url\([^#]' $tmp/report.html"
# scenario x variant rows of every architecture's table, and the header
rows=$(($(grep -cv '^scenario \|^---\|^$' tests/matrix.expected) + 1))
check "report: a matrix row per scenario and variant (as in tests/matrix.expected, and the header), every witness replays" sh -c \
	"test \$(grep -c '^<tr><th>' $tmp/report.html) -eq $rows && ! grep -q 'class=\"err\"' $tmp/report.html"
check "report of a missing database: exit 2, nothing created" sh -c "$T report --db $tmp/none.db -o $tmp/n.html; \
	test \$? -eq 2 && test ! -e $tmp/none.db && test ! -e $tmp/n.html"
check "report to an unwritable path: exit 2" sh -c "$T report --db $tmp/m.db -o $tmp/no/such/dir.html; test \$? -eq 2"
check "report takes no arguments: exit 2" sh -c "$T report extra --db $tmp/m.db; test \$? -eq 2"
check "report --help" sh -c "$T report --help | grep -q 'usage: tlbsim report'"

# hostile text: quotes, markup and control characters in the scenario,
# a file name that is not UTF-8, and a recorded text that is not either
mkdir -p "$tmp/h/a/b"
ln -s "$PWD/scenarios/lib" "$tmp/h/a/b/lib"   # a link out of the folder: -I its target
bad=$(printf '%s/h/a/b/bad\377name.yaml' "$tmp")
cp tests/data/hostile.yaml "$bad"
$T explore -I scenarios/lib "$bad" --brief --db "$tmp/h.db" --html "$tmp/hostile.html" >/dev/null 2>&1
check "hostile scenario: page written" test -s "$tmp/hostile.html"
check "hostile scenario: valid UTF-8 (a non-UTF-8 file name shows as U+FFFD)" sh -c \
	"iconv -f UTF-8 -t UTF-8 $tmp/hostile.html >/dev/null && grep -q 'bad&#xFFFD;name.yaml' $tmp/hostile.html"
check "hostile scenario: no markup of the scenario's survives" sh -c "! grep -q '<script\|<b>bold\|<!-- -->' $tmp/hostile.html && \
	grep -q 'q&quot;uote&#39;s &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/svg&gt;' $tmp/hostile.html"
check "hostile scenario: control characters as pictures, C1 and nonchars as U+FFFD" \
	grep -q 'ctrl &#x2401;&#x241B;\[31m red &#x2421; del &#xFFFD; nel &#xFFFD; nonchar' "$tmp/hostile.html"
sqlite3 "$tmp/h.db" "UPDATE scenario_files SET text = CAST(X'ff01fe0a' AS TEXT) || text WHERE seq = 0"
$T report --db "$tmp/h.db" -o "$tmp/hostile-db.html" 2>"$tmp/hostile-db.err"
check "recorded text with non-UTF-8 bytes: valid UTF-8, the run says why it is not replayed" sh -c \
	"iconv -f UTF-8 -t UTF-8 $tmp/hostile-db.html >/dev/null && grep -q 'Not replayed: .*invalid leading UTF-8 octet' $tmp/hostile-db.html && \
	grep -q '<pre>&#xFFFD;&#x2401;&#xFFFD;' $tmp/hostile-db.html"

# ---- in the browser ----
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "skip html: chromium is not installed (Debian: apt-get install chromium; make check installs it): no browser checks"
	exit 0
fi

# chrome PAGE [ARGS...]: loads PAGE headless, offline, console to stderr
chrome() {
	page=$1; shift
	"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
		--host-resolver-rules='MAP * ~NOTFOUND' --enable-logging=stderr --v=0 "$@" "file://$PWD/$page"
}
# loads PAGE, dumps its DOM to PAGE.dom; fails on any console message
load() {
	chrome "$1" --dump-dom >"$1.dom" 2>"$1.log" || return 1
	! grep -i ':CONSOLE\|Uncaught' "$1.log"
}
count() { grep -o "$1" "$2" | wc -l; }
sum() { grep -o "$1=\"[0-9]*\"" "$2" | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }'; }

cp "$tmp/race1.html" "$tmp/report.html" "$tmp/hostile.html" "$tmp/hostile-db.html" "$shots/"
printf '<!DOCTYPE html><p>x</p><script>undefined_function()</script>\n' >"$shots/broken.html"
if load "$shots/broken.html" >/dev/null; then echo "FAIL html: chromium: a script error goes unseen (the console check is blind)"
else echo "ok html: chromium: a script error is seen (the console check works)"; fi
start=$(date +%s)
for p in race1 report hostile hostile-db; do
	if load "$shots/$p.html"; then echo "ok html: chromium loads $p.html without console errors"
	else echo "FAIL html: chromium on $p.html"; tail -5 "$shots/$p.html.log"; fi
done
dom="$shots/race1.html.dom"
# race 1's witness: 2 CPUs; 19 events, as in its text timeline: 15 on
# CPU#0 and 4 on CPU#1 (the store, its D update, the data write, the IPI)
check "chromium DOM of race 1: 2 lanes" test "$(count '<g class="lane"' "$dom")" -eq 2
check "chromium DOM of race 1: 19 steps, as data-steps says" sh -c "test \$(grep -o '<g class=\"step' $dom | wc -l) -eq 19 && \
	grep -q 'data-steps=\"19\"' $dom"
check "chromium DOM of race 1: 15 steps in CPU#0's lane, 4 in CPU#1's" sh -c \
	"test \$(grep -o '<g class=\"step k[0-9]\" data-cpu=\"0\"' $dom | wc -l) -eq 15 && \
	test \$(grep -o '<g class=\"step k[0-9]\" data-cpu=\"1\"' $dom | wc -l) -eq 4"
check "chromium DOM of race 1: an IPI arrow, its ack, two outcome marks" sh -c \
	"test \$(grep -o 'class=\"ipi\"' $dom | wc -l) -eq 1 && test \$(grep -o 'class=\"ack\"' $dom | wc -l) -eq 1 && \
	test \$(grep -o '<g class=\"mark\"' $dom | wc -l) -eq 2"
rdom="$shots/report.html.dom"
check "chromium DOM of the report: as many lanes as its timelines' data-cpus add up to" \
	test "$(count '<g class="lane"' "$rdom")" -eq "$(sum data-cpus "$rdom")"
check "chromium DOM of the report: as many steps as their data-steps add up to" \
	test "$(count '<g class="step' "$rdom")" -eq "$(sum data-steps "$rdom")"
check "chromium DOM of the hostile page: the scenario's <script> is text" sh -c \
	"! grep -q '<script' $shots/hostile.html.dom && grep -q '&lt;script&gt;alert(1)' $shots/hostile.html.dom"

# screenshots: the report's top, and the race-1 witness alone (its section
# of the page with the page's head), as in docs/race1-witness.png
sed -n '1,/<\/defs><\/svg>/p' "$tmp/race1.html" >"$shots/race1-witness.html"
sed -n '/<section class="witness"/,/<\/section>/p' "$tmp/race1.html" >>"$shots/race1-witness.html"
echo '</body></html>' >>"$shots/race1-witness.html"
h=$(sed -n 's/.*<svg class="timeline" width="[0-9]*" height="\([0-9]*\)".*/\1/p' "$tmp/race1.html")
w=$(sed -n 's/.*<svg class="timeline" width="\([0-9]*\)".*/\1/p' "$tmp/race1.html")
chrome "$shots/race1-witness.html" --screenshot="$PWD/$shots/race1-witness.png" --window-size=$((w + 40)),$((h + 200)) >/dev/null 2>&1
chrome "$shots/report.html" --screenshot="$PWD/$shots/report.png" --window-size=1400,1000 >/dev/null 2>&1
check "chromium screenshot of the race-1 witness ($shots/race1-witness.png)" test -s "$shots/race1-witness.png"
check "chromium screenshot of the report ($shots/report.png)" test -s "$shots/report.png"
echo "chromium checks took $(( $(date +%s) - start )) s"

#!/bin/sh
# bench/symmetry.sh: CPU symmetry on the scaling table (seed race 1 with N
# storing CPUs, bench/gen_scaling.sh), OLD BLIND, as a markdown table on
# stdout: states, CPU seconds (user + sys) and peak memory of
# `tlbsim explore --symmetry` and of the full search, one run each.
#
# Environment:
#   SYM_NS="4 5 6 7 8"   the values of N
#   SYM_FULL_MAXN=7      the largest N to run the full search for (N=8 needs
#                        over 60 M states and 10 GB: the issue's measure)
#   TLBSIM=./tlbsim      the binary
# Needs: sh, awk, /usr/bin/time (GNU time, for -v).
set -u
cd "$(dirname "$0")/.." || exit 2
NS=${SYM_NS:-4 5 6 7 8}
FULL=${SYM_FULL_MAXN:-7}
TLBSIM=${TLBSIM:-./tlbsim}
TMP=$(mktemp -d /tmp/tlbsim-symbench.XXXXXX) || exit 2
TLBSIM_PATH="$(pwd)/scenarios/lib${TLBSIM_PATH:+:$TLBSIM_PATH}"   # the generated scenarios include scenarios/lib
export TLBSIM_PATH
trap 'rm -rf "$TMP"' EXIT

# one N, one mode ("" or --symmetry): "states cpu_s peak_MB verdict"
measure() {
	/usr/bin/time -v "$TLBSIM" explore "$TMP/n$1.yaml" --no-db --brief --variant old --model blind $2 \
		>"$TMP/out" 2>"$TMP/err" || { echo "- - - error"; return; }
	awk -v v="$(grep -c 'lost_dirty  *sometimes' "$TMP/out")" '
		/^explored / { st = $5 }
		/User time/ { u = $NF } /System time/ { s = $NF }
		/Maximum resident set size/ { m = $NF }
		END { printf "%s %.2f %.0f %s\n", st, u + s, m / 1024, v ? "lost_dirty sometimes" : "lost_dirty never" }' "$TMP/err"
}

echo "| N | full: states | s | MB | --symmetry: states | s | MB | states ratio | verdict (both) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for n in $NS; do
	sh bench/gen_scaling.sh "$n" "$TMP/n$n.yaml"
	echo "N=$n --symmetry" >&2
	set -- $(measure "$n" --symmetry)
	rs=$1 rt=$2 rm=$3 rv="$4 $5"
	if [ "$n" -le "$FULL" ]; then
		echo "N=$n full" >&2
		set -- $(measure "$n" "")
		fs=$1 ft=$2 fm=$3 fv="$4 $5"
	else
		fs=- ft=- fm=- fv=$rv
	fi
	ratio=$(awk -v a="$fs" -v b="$rs" 'BEGIN { if (a == "-") print "-"; else printf "%.1f", a / b }')
	[ "$fv" = "$rv" ] && v=$rv || v="DIFFER: $fv / $rv"
	echo "| $n | $fs | $ft | $fm | $rs | $rt | $rm | $ratio | $v |"
done

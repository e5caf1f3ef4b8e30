#!/bin/sh
# cli/man.sh BIN: the man page tlbsim(1), in roff, made from the --help
# texts BIN prints (the same text as --help, so the two cannot disagree):
# the overview as DESCRIPTION, then one subsection per command.  Used by
# `make man` / `make install`.
set -eu
bin=${1:-./tlbsim}
version=$("$bin" --version | sed 's/^tlbsim //')
esc() {   # the text as roff: backslashes doubled, no line taken as a request
	sed -e 's/\\/\\e/g' -e "s/^[.']/\\\\\\&&/"
}
cat <<ROFF
.TH TLBSIM 1 "" "tlbsim $version" "User Commands"
.SH NAME
tlbsim \\- a deterministic SMP/TLB simulator for Linux memory-management races
.SH SYNOPSIS
.B tlbsim
[\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR]
.I COMMAND
[\\fIoptions\\fR] [\\fIARGS\\fR]
.SH DESCRIPTION
.nf
ROFF
"$bin" --help | esc
echo ".fi"
echo ".SH COMMANDS"
for c in $("$bin" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | grep -v '^help$'); do
	echo ".SS $c"
	echo ".nf"
	"$bin" "$c" --help | esc
	echo ".fi"
done
cat <<'ROFF'
.SH FILES
.TP
.I PREFIX/share/tlbsim/scenarios
the shipped scenarios and their library of kernel code paths
.TP
.I tlbsim.db
the results database (SQLite) unless \fB\-\-db\fR or \fB\-\-no\-db\fR
.SH EXIT STATUS
0 success, 1 a failed check (or a changed verdict for \fBdb regressions\fR),
2 bad usage or bad input.
ROFF

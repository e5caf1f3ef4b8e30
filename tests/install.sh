#!/bin/sh
# tests/install.sh: `make install` and `make uninstall` into a DESTDIR:
# the binary, the man page (made from the --help texts), the scenario
# library under share/tlbsim and the bash completion (which completes); the installed binary explores an installed
# scenario; uninstall leaves nothing behind.  --version names a commit.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d /tmp/tlbsim-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
d="$tmp/root"
p=/opt/tlbsim

check() {  # check NAME COMMAND...: ok when the command succeeds
	name=$1; shift
	if "$@" >"$tmp/out" 2>"$tmp/err"; then echo "ok install: $name"
	else echo "FAIL install: $name"; tail -5 "$tmp/out" "$tmp/err"; fi
}

check "tlbsim --version names the version and a commit" sh -c "./tlbsim --version | grep -Eq '^tlbsim [0-9][^ ]* \(git [^ )]+\)$'"
check "make install DESTDIR=... PREFIX=$p" make -s --no-print-directory install DESTDIR="$d" PREFIX="$p"
check "the binary" test -x "$d$p/bin/tlbsim"
check "the man page, one section per command" sh -c "grep -q '^\.TH TLBSIM 1' $d$p/share/man/man1/tlbsim.1 && \
	test \$(grep -c '^\.SS' $d$p/share/man/man1/tlbsim.1) -eq 10"
check "the man page holds each --help text" sh -c "for c in run explore check compare list replay db report ops models; do \
	./tlbsim \$c --help | head -1 | grep -qF -f - $d$p/share/man/man1/tlbsim.1 || exit 1; done"
if command -v man >/dev/null 2>&1; then
	check "man renders it" sh -c "MANWIDTH=80 man -l $d$p/share/man/man1/tlbsim.1 2>/dev/null | grep -q 'tlbsim explore'"
fi
check "the scenario library: every shipped scenario and lib file" sh -c \
	"test \$(ls $d$p/share/tlbsim/scenarios/*.yaml | wc -l) -eq \$(ls scenarios/*.yaml | wc -l) && \
	 test \$(ls $d$p/share/tlbsim/scenarios/lib/*.yaml | wc -l) -eq \$(ls scenarios/lib/*.yaml | wc -l) && \
	 ! ls $d$p/share/tlbsim/scenarios/*.c 2>/dev/null"
check "the installed binary explores an installed scenario" sh -c "cd $tmp && $d$p/bin/tlbsim explore $d$p/share/tlbsim/scenarios/mkclean.yaml \
	-v old -m blind --brief --no-db -q | grep -q 'lost_dirty  *sometimes in 3 of 25'"
# a scenario of the user's own may include the installed library (a root
# of every include), and not a file beside it
mkdir -p "$tmp/user"
sed "s|^include: \[.*|include: [$d$p/share/tlbsim/scenarios/lib/fault.yaml]|" tests/scenarios/stale_tlb.yaml >"$tmp/user/s.yaml"
check "an include of the installed library is let through" $d$p/bin/tlbsim list "$tmp/user/s.yaml"
check "the build tree's binary refuses it (no installed library beside it)" sh -c "./tlbsim list $tmp/user/s.yaml 2>&1 | grep -q \"include '.*': outside the scenario's folder, -I and TLBSIM_PATH\""
comp="$d$p/share/bash-completion/completions/tlbsim"
complete_words() {   # complete_words WORD...: what bash completes the last word to
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tlbsim; echo "${COMPREPLY[*]}"' "$comp" "$@"
}
if command -v bash >/dev/null 2>&1; then
	check "bash completion: commands" test "$(complete_words "$d$p/bin/tlbsim" ex)" = explore
	check "bash completion: a command's options" test "$(complete_words "$d$p/bin/tlbsim" explore --max-s)" = "--max-states"
	check "bash completion: --timeline's values" test "$(complete_words "$d$p/bin/tlbsim" run f --timeline l)" = lines
	check "bash completion: models after --model" sh -c "echo '$(complete_words "$d$p/bin/tlbsim" run f --model bl)' | grep -qx blind"
fi
check "make uninstall leaves nothing" sh -c "make -s --no-print-directory uninstall DESTDIR=$d PREFIX=$p && test -z \"\$(find $d -type f)\""
exit 0

# bash completion for tlbsim (installed by `make install` under
# share/bash-completion/completions): the commands, each command's options
# as its --help lists them, the dirty-bit models after --model, the values
# of --format and --timeline, folders after -I, and file names otherwise.  It asks the tlbsim being completed, so it cannot
# disagree with it.
_tlbsim() {
	local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local words
	if [ "$COMP_CWORD" -eq 1 ]; then
		words=$("$bin" --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
		COMPREPLY=($(compgen -W "$words --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--model|-m)
		COMPREPLY=($(compgen -W "$("$bin" models 2>/dev/null | awk '/^  / { print $1 }')" -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text json herd" -- "$cur"))
		return ;;
	--timeline)
		COMPREPLY=($(compgen -W "columns lines" -- "$cur"))
		return ;;
	--include-dir|-I)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	esac
	case $cur in
	-*) words=$("$bin" "${COMP_WORDS[1]}" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
	    COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -o filenames -F _tlbsim tlbsim

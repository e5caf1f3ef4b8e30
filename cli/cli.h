/* cli/cli.h: the commands of the command line, one file each (git's
 * builtin/): cli/run.c holds cmd_run and its options.  cli/main.c
 * dispatches to them.  Each takes the words after the command name and
 * returns the exit status: 0 success, 1 a failed check (or a changed
 * verdict for db regressions), 2 bad usage or bad input. */
#ifndef TLBSIM_CLI_H
#define TLBSIM_CLI_H
#include "cli/opts.h"

#define TLBSIM_VERSION "0.1.0"
/* `git describe --always --dirty` of the checkout this binary was built
 * from, or "unknown" (build/version.h; defined in cli/main.c, the only
 * file that includes it, so a new commit rebuilds one object). */
const char *cli_git(void);

/* --help lines several commands share, as string literals to splice
 * into their texts: the input rules (-I, --max-input), the search bounds
 * (--max-states, --max-memory), the timeline views (--width, --cpus,
 * --timeline). */
#define CLI_HELP_INPUT \
	"  -I, --include-dir DIR include: may also reach files in DIR (repeatable)\n" \
	"      --max-input MB    the bound on one input file (default 16, at most 1024)\n"
#define CLI_HELP_BOUNDS \
	"      --max-states N    stop the search past N states (default 50000000)\n" \
	"      --max-memory MB   stop the search when its tables need more than MB\n" \
	"                        megabytes (default: half the physical memory); what a\n" \
	"                        stopped search found is shown and recorded, marked\n" \
	"                        incomplete, and the exit status is 4\n"
#define CLI_HELP_RANDOM \
	"      --random N        sample N random schedules instead (each choice uniform\n" \
	"                        among the enabled ones): not exhaustive, for machines\n" \
	"                        too big to enumerate; outcomes found are marked so\n" \
	"      --pct D           --random: PCT for bugs of depth D (1-16): random CPU\n" \
	"                        priorities, the highest runs, D-1 random priority drops\n" \
	"  -s, --seed S          --random: the seed (default 0); schedule i uses S + i\n"
#define CLI_HELP_PREEMPTIONS \
	"      --preemptions K   only the schedules with at most K preemptions (0-1000;\n" \
	"                        a switch away from a CPU that could still run; from\n" \
	"                        one blocked or done is free), all of them: outcomes\n" \
	"                        found are marked not exhaustive; not with --random\n"
#define CLI_HELP_NO_SYMMETRY \
	"      --no-symmetry     the full search even for a scenario that declares\n" \
	"                        machine.symmetric (which turns --symmetry on for it)\n"
#define CLI_HELP_JOBS \
	"  -j, --jobs N          explore N cells at once (default: the online CPUs, at\n" \
	"                        most 64); the output is the same for every N\n"
#define CLI_HELP_SHARD \
	"      --shard I/N       only the I-th of N equal runs of the scenario x variant\n" \
	"                        x model cells, in order (merge the shards' databases\n" \
	"                        with 'tlbsim db merge'; docs/scale.md)\n"
#define CLI_HELP_COLOR \
	"      --color WHEN      colour the text: auto (default: when stdout is a terminal\n" \
	"                        and NO_COLOR is unset or empty), always or never\n"
#define CLI_HELP_PROGRESS \
	"      --progress        a progress line on stderr about once a second (states,\n" \
	"                        depth, states/s, memory), also off a terminal and with\n" \
	"                        -q; on a terminal it is shown anyway, unless -q\n" \
	"  -q, --quiet           no rates, progress or database ids on stderr\n"
#define CLI_HELP_TIMELINE \
	"      --width N         the timeline at most N (40 or more) characters wide,\n" \
	"                        CPU columns shrunk to share them, texts wrapped\n" \
	"                        (default: the terminal's width; not a terminal: no limit,\n" \
	"                        each column at most 58)\n" \
	"      --cpus LIST       show only the columns of these CPUs (\"0,2\"); a line\n" \
	"                        after the timeline counts each hidden CPU's events\n" \
	"      --timeline T      columns (default): a column per CPU; lines: one line\n" \
	"                        per event, numbered, with its CPU (for many CPUs)\n"

typedef struct CliCmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const OptSpec *spec;         /* its options and --help text */
} CliCmd;

#define CLI_CMD(x) int cmd_##x(int argc, char **argv); extern const OptSpec cmd_##x##_spec;
CLI_CMD(run)
CLI_CMD(explore)
CLI_CMD(check)
CLI_CMD(compare)
CLI_CMD(list)
CLI_CMD(replay)
CLI_CMD(db)
CLI_CMD(report)
CLI_CMD(ops)
CLI_CMD(models)
#undef CLI_CMD

#endif

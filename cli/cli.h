/* cli/cli.h: the commands of the command line, one file each (git's
 * builtin/): cli/run.c holds cmd_run and its options.  cli/main.c
 * dispatches to them.  Each takes the words after the command name and
 * returns the exit status: 0 success, 1 a failed check (or a changed
 * verdict for db regressions), 2 bad usage or bad input. */
#ifndef TLBSIM_CLI_H
#define TLBSIM_CLI_H
#include "cli/opts.h"

#define TLBSIM_VERSION "0.1.0"

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

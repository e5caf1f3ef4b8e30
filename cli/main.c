/* cli/main.c: tlbsim's entry point: the options before the command
 * (--help, --version) and the table that dispatches to one file per
 * command (cli/cli.h).  Output contract of every command: stdout is
 * deterministic for the same inputs (no times, no database ids); times,
 * rates and database ids go to stderr.  Exit 0 success, 1 a failed
 * check, 2 bad usage or bad input (nothing recorded), 3 results printed
 * but not recorded (BATCH_NOT_RECORDED). */
#include "cli/cli.h"
#include "version.h"               /* TLBSIM_GIT, made by the Makefile (build/version.h) */

const char *cli_git(void)
{
	return TLBSIM_GIT;
}
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const CliCmd main_cmds[] = {
	{ "run", cmd_run, &cmd_run_spec }, { "explore", cmd_explore, &cmd_explore_spec },
	{ "check", cmd_check, &cmd_check_spec }, { "compare", cmd_compare, &cmd_compare_spec },
	{ "list", cmd_list, &cmd_list_spec }, { "replay", cmd_replay, &cmd_replay_spec },
	{ "db", cmd_db, &cmd_db_spec }, { "report", cmd_report, &cmd_report_spec },
	{ "ops", cmd_ops, &cmd_ops_spec }, { "models", cmd_models, &cmd_models_spec },
};
#define MAIN_NCMDS ((int)(sizeof main_cmds / sizeof main_cmds[0]))

static const char main_help[] =
	"usage: tlbsim [--help | --version] COMMAND [options] [ARGS]\n\n"
	"tlbsim simulates an SMP machine (CPUs with TLBs, page tables, IPIs and\n"
	"flush_tlb_page) running Linux VM code paths scripted in YAML, and explores\n"
	"their interleavings for lost dirty bits and lost writes, stale TLB entries\n"
	"and mappings, use after free, missed mtime updates, deadlocks and\n"
	"livelocks, under the CPU dirty-bit models of 'tlbsim models'.\n\n"
	"commands:\n"
	"  run FILE        one timed run (or a replay of --schedule), as a CPU timeline\n"
	"  explore FILE    every interleaving; outcomes, counts and shortest witnesses\n"
	"  check [PATH..]  explore scenarios and judge their expect: entries\n"
	"  compare [PATH..] the matrix: scenario x variant x dirty-bit model -> outcomes\n"
	"  list FILE       print the compiled step program (like EXPLAIN)\n"
	"  replay ID       replay a witness recorded in the database\n"
	"  db SUBCOMMAND   runs | matrix | regressions: query the results database\n"
	"  report          the database as one HTML page: matrix, SVG timelines, texts\n"
	"  ops             the step reference (--markdown for docs/steps.md)\n"
	"  models          the dirty-bit models\n"
	"  help [COMMAND]  this text, or a command's\n\n"
	"An include: must stay inside the scenario's folder, a folder given with -I,\n"
	"a folder of TLBSIM_PATH (colon-separated) or the installed scenario library,\n"
	"symbolic links followed; input files are regular files of at most 16 MB\n"
	"(--max-input MB).\n\n"
	"Options come before, after or between the arguments, as long options\n"
	"(--model blind, --model=blind, or any unambiguous prefix: --mod blind) or\n"
	"short ones (-m blind); '--' ends the options; FILE '-' is standard input.\n\n"
	"options:\n"
	"  -h, --help      this text ('tlbsim COMMAND --help': a command's)\n"
	"  -V, --version   the version and the git commit it was built from\n\n"
	"Results go to tlbsim.db unless --db PATH or --no-db.  See docs/cli.md.\n";

static const CliCmd *main_find(const char *name)
{
	for (int i = 0; i < MAIN_NCMDS; i++)
		if (!strcmp(main_cmds[i].name, name))
			return &main_cmds[i];
	return NULL;
}

/* tlbsim help [COMMAND] */
static int main_help_cmd(int argc, char **argv)
{
	const CliCmd *c = argc == 1 ? main_find(argv[0]) : NULL;
	if (argc == 0) {
		fputs(main_help, stdout);
		return 0;
	}
	if (!c) {
		fprintf(stderr, "tlbsim help: expected one command name (see 'tlbsim --help')\n");
		return 2;
	}
	fputs(c->spec->help, stdout);
	return 0;
}

/* The options before the command.  Returns -1 to go on with the command
 * at argv[optind], else the exit status. */
static int main_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 },
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", lo, NULL)) != -1) {
		if (c == 'h') {
			fputs(main_help, stdout);
			return 0;
		}
		if (c == 'V') {
			printf("tlbsim " TLBSIM_VERSION " (git " TLBSIM_GIT ")\n");
			return 0;
		}
		if (optopt == 'h' || optopt == 'V')
			fprintf(stderr, "tlbsim: option '--%s' takes no value (see 'tlbsim --help')\n",
			        optopt == 'h' ? "help" : "version");
		else if (optopt)
			fprintf(stderr, "tlbsim: unknown option '-%c' (see 'tlbsim --help')\n", optopt);
		else
			fprintf(stderr, "tlbsim: unknown option '%s' (see 'tlbsim --help')\n", argv[optind - 1]);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int rc = main_opts(argc, argv);
	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		fprintf(stderr, "usage: tlbsim COMMAND [options] (see 'tlbsim --help')\n");
		return 2;
	}
	const char *name = argv[optind];
	if (!strcmp(name, "help"))
		return main_help_cmd(argc - optind - 1, argv + optind + 1);
	const CliCmd *c = main_find(name);
	if (c)
		return c->fn(argc - optind - 1, argv + optind + 1);
	fprintf(stderr, "tlbsim: unknown command '%s' (see 'tlbsim --help')\n", name);
	return 2;
}

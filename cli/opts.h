/* cli/opts.h: the options every command parses, with getopt_long: exact
 * long names or unambiguous prefixes, --opt=value or --opt value, short
 * forms of the common ones, options and arguments in any order ("--"
 * ends options; "-" as a scenario FILE reads standard input).  Unknown,
 * ambiguous or repeated options, a value on a flag and a missing value
 * are one line on stderr and exit status 2. */
#ifndef TLBSIM_CLI_OPTS_H
#define TLBSIM_CLI_OPTS_H
#include <stdint.h>
#include "scenarios/yaml.h"

#define OPT_MAX_ARGS 64

/* What a command line asked for.  Strings point into argv.  Fields of
 * options the command does not take keep their defaults. */
typedef struct Opts {
	const char *cmd;             /* "run", "explore", ...: for messages */
	const char *variant, *model, *db, *schedule, *from, *to, *against, *scenario, *html, *output, *format;
	const char *width, *cpus, *timeline;   /* the timeline's view, checked by out_view */
	uint64_t seed, max_states;
	uint64_t max_memory;         /* --max-memory, MB (default: half the physical memory) */
	uint64_t max_input;          /* --max-input, MB: the bound on one input file (default 16) */
	/* -I DIR, in order, then the installed scenario library: more
	 * folders includes may reach */
	const char *dirs[OPT_MAX_ARGS + 1];
	int ndirs;
	char *libdir;                /* the installed library, BINDIR/../share/tlbsim/scenarios, or NULL */
	char *input_words;           /* " -I DIR ... --max-input N" as given (shell-quoted), or "" */
	int no_db, brief, markdown, limit, run_id, quiet;
	int symmetry;                /* --symmetry: explore keyed by CPU symmetry */
	int no_symmetry;             /* --no-symmetry: not even where machine.symmetric asks */
	int progress;                /* --progress: the progress line even off a terminal or with -q */
	const char *color;           /* --color WHEN: auto (NULL), always, never */
	int states;                  /* --states: list the distinct end states */
	uint64_t random;             /* --random N: sample N random schedules (0: exhaustive) */
	int pct;                     /* --pct D: with --random, PCT of bug depth D (0: uniform) */
	const char *preempt_arg;     /* --preemptions K, parsed into: */
	int preemptions;             /* the bound K (0 to 1000), -1: none */
	int jobs;                    /* -j, --jobs N: explorations at once (default: the online CPUs, at most 64) */
	const char *shard;           /* --shard I/N, parsed into: */
	int shard_i, shard_n;        /* this shard (1-based) of shard_n; 0: no sharding */
	int all_models;              /* compare: every dirty-bit model, not machine.models */
	const char *args[OPT_MAX_ARGS];
	int nargs;
	char *in;                    /* standard input's text when an argument is "-", else NULL */
	char *cmdline;               /* "tlbsim CMD ARGS...", shell-quoted where needed (for provenance) */
	size_t inlen;
	ScnSource src;               /* reads "-" from in, other paths from the disk by -I and --max-input */
} Opts;

/* One command's options: its name, --help text, the long names of the
 * options it takes, separated by spaces ("variant model db no-db"), and
 * whether its arguments are scenario files ("-" then reads stdin). */
typedef struct OptSpec {
	const char *cmd, *help, *takes;
	int files;
} OptSpec;

/* Parses argv[0..argc) (the words after the command) into o.  Returns -1
 * when the command should go on; otherwise the exit status it should
 * return at once: 0 after printing --help, 2 after a usage error (its
 * line printed).  Free o with opt_free either way. */
int opt_parse(const OptSpec *spec, int argc, char **argv, Opts *o);
void opt_free(Opts *o);
/* Where a scenario's text comes from: standard input for "-", the disk
 * for other paths, with -I and --max-input. */
const ScnSource *opt_source(const Opts *o);
/* One line "tlbsim CMD: MESSAGE (see 'tlbsim CMD --help')" on stderr, the
 * message printf-formatted from fmt and arg; returns 2. */
int opt_usage(const char *cmd, const char *fmt, const char *arg);
/* s as a number below 2^64 (decimal, 0x hex or 0 octal), or a usage error
 * (returns 2). */
int opt_u64(const char *cmd, const char *s, uint64_t *out);

#endif

/* tlbsim.c: the command line.  Parses options, compiles scenarios, drives
 * explore / run / check / compare, records results, prints reports.
 * Output contract: stdout is deterministic for the same inputs (no times,
 * no database ids); times, rates and database ids go to stderr.  Exit 0
 * success, 1 a failed check, 2 bad usage or bad input (nothing recorded). */
#include "sim/explore.h"
#include "sim/symmetry.h"
#include "sim/run.h"
#include "sim/sched.h"
#include "scenarios/compile.h"
#include "reports/timeline.h"
#include "reports/witness.h"
#include "reports/html.h"
#include "reports/report.h"
#include "reports/judge.h"
#include "reports/db.h"
#include "reports/matrix.h"
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define TLBSIM_VERSION "0.1.0"

typedef struct Opts {
	const char *variant, *model, *db, *schedule, *from, *to, *against, *scenario, *html, *output;
	uint64_t seed, max_states;
	int no_db, brief, markdown, limit, run_id;
	int symmetry;            /* --symmetry: explore keyed by CPU symmetry */
	int all_models;          /* compare: every dirty-bit model, not machine.models */
	const char *args[64]; int nargs;
} Opts;

/* One scenario under one variant and one model, explored. */
typedef struct Combo {
	Program *P;
	const char *model;
	ExploreResult R;
	char *traces[MAX_OUTCOMES];   /* witness timelines */
} Combo;

typedef struct Batch { Combo *c; int n, cap; Program **progs; int nprogs; } Batch;

/* One line on stderr, exit status 2. */
static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "tlbsim %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'tlbsim %s --help')\n", cmd);
	return 2;
}

/* ---- help ---- */

static const char *const help_text[][2] = {
	{ "", "usage: tlbsim COMMAND [options]\n\n"
	  "tlbsim simulates an SMP machine (CPUs with TLBs, x86 page tables, IPIs and\n"
	  "flush_tlb_page) running Linux VM code paths scripted in YAML, and explores\n"
	  "their interleavings for lost dirty bits and lost writes, stale TLB entries\n"
	  "and mappings, use after free, missed mtime updates, deadlocks and\n"
	  "livelocks, under seven CPU dirty-bit models ('tlbsim models').\n\n"
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
	  "  models          the dirty-bit models\n\n"
	  "An include: must stay inside the scenario's folder or a folder of TLBSIM_PATH\n"
	  "(colon-separated); input files are regular files of at most 16 MB.\n\n"
	  "'tlbsim COMMAND --help' describes each command.  Version " TLBSIM_VERSION ".\n" },
	{ "run", "usage: tlbsim run FILE [--variant V] [--model M] [--seed N] [--schedule S] [--db PATH | --no-db]\n\n"
	  "One deterministic timed run: events ordered by simulated time from the scenario's\n"
	  "cost model.  --seed N (N > 0) jitters latencies and breaks ties; seed 0 (default)\n"
	  "does neither.  --schedule \"0 0 1 i1 ...\" follows those choices first (N: CPU#N\n"
	  "takes its next step, iN: CPU#N takes its pending IPIs), then the timed order.\n"
	  "Prints the timeline, the end state, the outcomes, the schedule and a trace hash.\n"
	  "A run that comes back to a state from which no end state can be reached stops\n"
	  "there: outcome livelock, its cycle marked in the timeline.\n"
	  "Defaults: the scenario's first variant and first model; database tlbsim.db.\n" },
	{ "explore", "usage: tlbsim explore FILE [--variant V] [--model M] [--max-states N] [--brief] [--html FILE.html]\n"
	  "                    [--db PATH | --no-db] [--symmetry]\n\n"
	  "Explores every interleaving of steps and IPI deliveries, merging visited states,\n"
	  "for every variant and dirty-bit model of the scenario (or the ones named).\n"
	  "Prints each reachable outcome with the number of schedules ending in it and a\n"
	  "shortest witness schedule, then (unless --brief) the witness as a CPU timeline.\n"
	  "livelock (states from which no end state can be reached) counts those states;\n"
	  "its witness is a lasso: a schedule to a cycle, then once round the cycle.\n"
	  "Rates go to stderr.  --max-states (default 50000000) bounds the search.\n"
	  "--html FILE.html also writes what 'tlbsim report' writes, for this exploration\n"
	  "('-': to stdout).\n"
	  "--symmetry (with --no-db) merges states that differ only by a renaming of\n"
	  "interchangeable CPUs: the same outcomes, schedule counts and witness lengths,\n"
	  "fewer states (counted over the reduced graph).\n" },
	{ "check", "usage: tlbsim check [PATH...] [--db PATH | --no-db] [--max-states N] [--symmetry]\n\n"
	  "Explores each scenario (a file, or every *.yaml scenario in a folder; default\n"
	  "'scenarios') under all its variants and models and compares what it finds with\n"
	  "its expect: entries.  Prints one line per expectation and a last line\n"
	  "'N passed, N failed'.  An outcome reached that no expect: entry names fails\n"
	  "too ('unexpected: OUTCOME in ...', with its replay command), unless an entry\n"
	  "says others: any.  Exit 1 if any failed.\n" },
	{ "compare", "usage: tlbsim compare [PATH...] [--db PATH | --no-db] [--symmetry]\n\n"
	  "Explores every scenario under every variant and every dirty-bit model (all of\n"
	  "'tlbsim models', whatever machine.models says) and prints the matrix: rows\n"
	  "scenario and variant, columns models, cells the reachable outcomes ('none').\n"
	  "The matrix is recorded; 'tlbsim db matrix' reprints it without running.\n" },
	{ "list", "usage: tlbsim list FILE [--variant V]\n\nPrints the compiled step program, one step per line with its source line,\n"
	  "then the CPUs that explore --symmetry finds interchangeable.\n" },
	{ "replay", "usage: tlbsim replay ID [--db PATH]\n"
	  "       tlbsim replay OUTCOME [--scenario NAME] [--db PATH]\n"
	  "       tlbsim replay --run ID [--db PATH]\n\n"
	  "Replays a witness recorded in the database and prints its timeline: witness ID\n"
	  "(as printed on stderr by explore and run), the newest witness of an outcome\n"
	  "(e.g. lost_dirty, optionally in one scenario), or the first one of run ID.  If\n"
	  "the scenario file changed since, says so and replays the recorded text.\n" },
	{ "db", "usage: tlbsim db runs [--limit N] [--db PATH]\n"
	  "       tlbsim db matrix [--db PATH]\n"
	  "       tlbsim db regressions --from VERSION --to VERSION [--db PATH]\n"
	  "       tlbsim db regressions --against OTHER.db [--db PATH]\n\n"
	  "Answers the common questions without SQL (schema: docs/schema.md).\n"
	  "regressions exits 1 when a verdict changed.\n" },
	{ "report", "usage: tlbsim report [--db PATH] [-o FILE.html | --output FILE.html]\n\n"
	  "Writes the database (default tlbsim.db) as one self-contained HTML page, to FILE.html\n"
	  "or stdout: the matrix of the latest explore of every scenario x variant x model,\n"
	  "cells coloured by outcome and linked to their witnesses; per run its provenance\n"
	  "and each witness as an SVG timeline (a lane per CPU, a box per step with its YAML\n"
	  "line, IPIs and acks as arrows, PTE changes in hex, where each outcome becomes\n"
	  "true), replayed from the scenario text recorded with it; and the scenario texts.\n"
	  "No script, font or anything else is fetched.  See docs/report.md.\n" },
	{ "ops", "usage: tlbsim ops [--markdown]\n\nThe primitive steps, from the same table the compiler uses.\n" },
	{ "models", "usage: tlbsim models\n\nThe dirty-bit models a CPU can have.\n" },
};

static int help(const char *cmd)
{
	for (size_t i = 0; i < sizeof help_text / sizeof help_text[0]; i++)
		if (!strcmp(help_text[i][0], cmd)) {
			fputs(help_text[i][1], stdout);
			return 0;
		}
	return 2;
}

/* ---- options ---- */

static int parse_u64(const char *cmd, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (!*s || *end || *s == '-' || errno == ERANGE)
		return usage_error(cmd, "expected a number below 2^64, got '%s'", s);
	return 0;
}

/* Parses argv into o; `allowed` lists the options cmd takes. */
static int parse_opts(const char *cmd, int argc, char **argv, const char *allowed, Opts *o)
{
	memset(o, 0, sizeof *o);
	o->db = "tlbsim.db";
	o->max_states = 50000000;
	for (int i = 0; i < argc; i++) {
		const char *a = !strcmp(argv[i], "-o") ? "--output" : argv[i];
		if (strncmp(a, "--", 2)) {
			if (o->nargs == 64)
				return usage_error(cmd, "too many arguments%s", "");
			o->args[o->nargs++] = a;
			continue;
		}
		char name[32];
		const char *val = strchr(a, '=');
		size_t len = val ? (size_t)(val - a) : strlen(a);
		snprintf(name, sizeof name, "%.*s", (int)len, a);
		if (!strstr(allowed, name) || strlen(name) < 3)
			return usage_error(cmd, "unknown option '%s'", argv[i]);
		int flag = !strcmp(name, "--no-db") || !strcmp(name, "--brief") || !strcmp(name, "--markdown") ||
		           !strcmp(name, "--run") || !strcmp(name, "--symmetry");
		if (!flag && !val) {
			if (i + 1 >= argc)
				return usage_error(cmd, "option '%s' needs a value", a);
			val = argv[++i];
		} else if (val) {
			val++;
		}
		uint64_t n = 0;
		if (!strcmp(name, "--variant")) o->variant = val;
		else if (!strcmp(name, "--model")) o->model = val;
		else if (!strcmp(name, "--db")) o->db = val;
		else if (!strcmp(name, "--schedule")) o->schedule = val;
		else if (!strcmp(name, "--from")) o->from = val;
		else if (!strcmp(name, "--to")) o->to = val;
		else if (!strcmp(name, "--against")) o->against = val;
		else if (!strcmp(name, "--scenario")) o->scenario = val;
		else if (!strcmp(name, "--html")) o->html = val;
		else if (!strcmp(name, "--output")) o->output = val;
		else if (!strcmp(name, "--no-db")) o->no_db = 1;
		else if (!strcmp(name, "--brief")) o->brief = 1;
		else if (!strcmp(name, "--markdown")) o->markdown = 1;
		else if (!strcmp(name, "--run")) o->run_id = 1;
		else if (!strcmp(name, "--symmetry")) o->symmetry = 1;
		else if (parse_u64(cmd, val, &n)) return 2;
		else if (!strcmp(name, "--seed")) o->seed = n;
		else if (!strcmp(name, "--max-states")) o->max_states = n;
		else if (!strcmp(name, "--limit") && n > 1000000000)
			return usage_error(cmd, "%s is too large", a);
		else if (!strcmp(name, "--limit")) o->limit = (int)n;
	}
	if (o->symmetry && (!o->no_db || o->html))   /* they would keep the reduced graph's counts as the full search's */
		return usage_error(cmd, "--symmetry needs --no-db%s (the database and reports keep full-search counts)",
		                   o->html ? " and no --html" : "");
	return 0;
}

/* ---- compiling ---- */

static void batch_add_prog(Batch *b, Program *P)
{
	b->progs = realloc(b->progs, sizeof *b->progs * (size_t)(b->nprogs + 1));
	if (!b->progs)
		abort();
	b->progs[b->nprogs++] = P;
}

/* Compiles path for variant (NULL: every variant) into b. */
static int compile_variants(Batch *b, const char *path, const char *variant)
{
	char err[1024];
	Program *P = scn_compile(path, variant, NULL, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	batch_add_prog(b, P);
	for (int v = 1; !variant && v < P->nvariants; v++) {
		Program *Q = scn_compile(path, P->variants[v], NULL, err, sizeof err);
		if (!Q) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		batch_add_prog(b, Q);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenario files a PATH argument names: the file, or the *.yaml
 * scenarios directly in the folder (not FIFOs or devices), sorted by name. */
static int expand_path(const char *path, char ***out, int *n)
{
	DIR *d = opendir(path);
	if (!d) {   /* a file: the compiler says why if it cannot be read */
		*out = realloc(*out, sizeof **out * (size_t)(*n + 1));
		(*out)[(*n)++] = strdup(path);
		return 0;
	}
	int first = *n;
	for (struct dirent *e; (e = readdir(d)); ) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char *p = malloc(strlen(path) + len + 2);
		sprintf(p, "%s/%s", path, e->d_name);
		if (scn_is_scenario(p) != 1) {
			free(p);
			continue;
		}
		*out = realloc(*out, sizeof **out * (size_t)(*n + 1));
		(*out)[(*n)++] = p;
	}
	closedir(d);
	qsort(*out + first, (size_t)(*n - first), sizeof **out, cmp_str);
	return 0;
}

/* ---- exploring ---- */

/* Replays schedule ch on a fresh Sim with tracing; returns the timeline
 * text (malloc'd) with the end state, or NULL on error (err printed). */
static char *witness_text(const Program *P, const char *model, const Choice *ch, int n, int show_time,
                          uint64_t seed, RunResult *keep)
{
	Witness W;
	char err[512], *buf = NULL;
	size_t len = 0;
	if (wit_replay(&W, P, model, ch, n, seed, 0, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		wit_free(&W);
		return NULL;
	}
	FILE *m = open_memstream(&buf, &len);
	int lasso = W.r.outcomes >> OUT_LIVELOCK & 1;
	rep_timeline_lasso(m, P, &W.t, show_time, lasso ? W.r.cycle_at : -1);
	if (lasso)
		rep_livelock(m, W.r.cycle_at, W.r.n);
	rep_state(m, &W.S, W.r.final, lasso ? "cycle state:" : "end state:");
	if (W.r.waits[0])
		fprintf(m, "deadlock: %s\n", W.r.waits);
	fclose(m);
	if (keep) {
		*keep = W.r;
		memset(&W.r, 0, sizeof W.r);
	}
	wit_free(&W);
	return buf;
}

/* The i-th model to explore P under: --model, else every model (compare),
 * else the scenario's machine.models. */
static const char *model_at(const Program *P, const Opts *o, int i)
{
	return o->model ? o->model : o->all_models ? dirty_model_of(P->arch, i)->name : P->models[i];
}

static int model_count(const Program *P, const Opts *o)
{
	int n = 0;
	if (o->model)
		return 1;
	if (!o->all_models)
		return P->nmodels;
	while (dirty_model_of(P->arch, n))
		n++;
	return n;
}

static int explore_combo(Batch *b, Program *P, const char *model, const Opts *o)
{
	Sim S;
	char err[256];
	ExploreOpts eo = { .max_states = o->max_states, .symmetry = o->symmetry };
	if (sim_init(&S, P, model, err, sizeof err) < 0) {
		fprintf(stderr, "tlbsim: %s\n", err);
		return 2;
	}
	if (b->n == b->cap && !(b->c = realloc(b->c, sizeof *b->c * (size_t)(b->cap = b->cap ? 2 * b->cap : 16))))
		abort();
	Combo *c = &b->c[b->n];
	memset(c, 0, sizeof *c);
	c->P = P;
	c->model = model;
	int rc = explore(&S, &eo, &c->R);
	if (rc < 0) {
		fprintf(stderr, "%s\n", S.err);
		explore_free(&c->R);
	}
	sim_free(&S);
	if (rc < 0)
		return 2;
	b->n++;
	for (int k = 0; k < MAX_OUTCOMES; k++)
		if (c->R.out[k].witness && !(c->traces[k] = witness_text(P, model, c->R.out[k].witness, c->R.out[k].wlen, 0, 0, NULL)))
			return 2;
	fprintf(stderr, "explored %s %s %s: %" PRIu64 " states, %" PRIu64 " transitions in %.3f s (%.0f states/s)\n",
	        P->name, P->variant ? P->variant : "-", model, c->R.states, c->R.transitions, c->R.seconds,
	        c->R.seconds > 0 ? (double)c->R.states / c->R.seconds : 0.0);
	return 0;
}

/* Explores every program of b under every model (or o->model). */
static int explore_batch(Batch *b, const Opts *o)
{
	int nprogs = b->nprogs;
	for (int i = 0; i < nprogs; i++) {
		Program *P = b->progs[i];
		int nm = model_count(P, o);
		for (int m = 0; m < nm; m++)
			if (explore_combo(b, P, model_at(P, o, m), o))
				return 2;
	}
	return 0;
}

static void batch_free(Batch *b)
{
	for (int i = 0; i < b->n; i++) {
		explore_free(&b->c[i].R);
		for (int k = 0; k < MAX_OUTCOMES; k++)
			free(b->c[i].traces[k]);
	}
	for (int i = 0; i < b->nprogs; i++)
		prog_free(b->progs[i]);
	free(b->c);
	free(b->progs);
}

static char *sched_str(const Choice *ch, int n)
{
	size_t len = (size_t)n * 4 + 16;
	char *s = malloc(len);
	return sched_format(ch, n, s, len);
}

/* The command that replays the witness of outcome k of c. */
static void print_replay(FILE *out, const Combo *c, int k)
{
	const Program *P = c->P;
	char *s = sched_str(c->R.out[k].witness, c->R.out[k].wlen), *path = ytext_escape(P->files[0].path);
	fprintf(out, "tlbsim run %s%s%s --model %s --schedule \"%s\"", path, P->variant ? " --variant " : "",
	        P->variant ? P->variant : "", c->model, s);
	free(path);
	free(s);
}

/* A schedule count; counts saturate at 2^64-1, which prints as such. */
static const char *count_text(uint64_t n, char *buf, size_t len)
{
	if (n == UINT64_MAX)
		snprintf(buf, len, "more than 1.8e19");
	else
		snprintf(buf, len, "%" PRIu64, n);
	return buf;
}

/* The header's count of complete schedules: exact, exact for the
 * schedules that end while others never do (livelock), or unbounded. */
static void print_schedules(FILE *out, const ExploreResult *R)
{
	char buf[32];
	if (R->schedules_unbounded)
		fprintf(out, "unboundedly many schedules (a CPU can go round a cycle any number of times and still end)");
	else if (R->schedules_cyclic)
		fprintf(out, "%s schedules that end (the others never do: livelock)", count_text(R->schedules, buf, sizeof buf));
	else
		fprintf(out, "%s schedules", count_text(R->schedules, buf, sizeof buf));
}

/* --symmetry: which CPUs were interchangeable, or why none were. */
static void print_symmetry(FILE *out, const ExploreResult *R)
{
	char buf[256];
	if (R->nsym)
		fprintf(out, "   symmetry: %s interchangeable: states, transitions and end states are counted over the "
		        "reduced graph (one per orbit); schedule counts are exact\n", sym_format(R->sym, R->nsym, buf, sizeof buf));
	else if (R->sym_off)
		fprintf(out, "   symmetry: none (%s): the full search\n", R->sym_off);
}

/* One outcome's line: how many schedules end in it, out of how many, and
 * its witness.  Livelock counts states instead: no schedule ends in it. */
static void print_outcome_line(FILE *out, const Combo *c, int k)
{
	const ExploreResult *R = &c->R;
	const OutcomeStat *os = &R->out[k];
	char *s = sched_str(os->witness, os->wlen), n1[32], n2[48];
	fprintf(out, "   %-22s %s", c->P->outcomes[k].name, judge_observed(R->reach, R->always, k));
	if (k == OUT_LIVELOCK)
		fprintf(out, ": %" PRIu64 " of %" PRIu64 " states reach no end state; witness: %s (the last %d repeat%s forever)\n",
		        R->stuck_states, R->states, s, os->cycle, os->cycle == 1 ? "s" : "");
	else
		fprintf(out, " in %s of %s schedules (%" PRIu64 " end states); witness: %s\n",
		        os->unbounded ? "unboundedly many" : count_text(os->schedules, n1, sizeof n1),
		        R->schedules_unbounded ? "unboundedly many" : count_text(R->schedules, n2, sizeof n2),
		        os->end_states, s);
	free(s);
}

static void print_combo(FILE *out, const Combo *c, int brief)
{
	const Program *P = c->P;
	const ExploreResult *R = &c->R;
	char *path = ytext_escape(P->files[0].path);   /* from the command line or a database */
	fprintf(out, "== %s  variant %s  model %s  (%s)\n", P->name, P->variant ? P->variant : "-", c->model, path);
	free(path);
	fprintf(out, "   %" PRIu64 " states, %" PRIu64 " transitions, ", R->states, R->transitions);
	print_schedules(out, R);
	fprintf(out, ", %" PRIu64 " end states, longest witness path %d\n", R->end_states, R->max_depth);
	print_symmetry(out, R);
	if (!R->reach)
		fprintf(out, "   outcomes: none\n");
	for (int k = 0; k < P->noutcomes; k++)
		if (R->out[k].witness)
			print_outcome_line(out, c, k);
	for (int k = 0; k < P->noutcomes && !brief; k++) {
		const OutcomeStat *os = &R->out[k];
		int same = -1;
		if (!os->witness)
			continue;
		for (int j = 0; j < k && same < 0; j++)
			if (R->out[j].witness && R->out[j].wlen == os->wlen &&
			    !memcmp(R->out[j].witness, os->witness, sizeof *os->witness * (size_t)os->wlen))
				same = j;
		if (same >= 0) {
			fprintf(out, "\n-- %s: the same witness as %s\n", P->outcomes[k].name, P->outcomes[same].name);
			continue;
		}
		char what[96];
		if (k == OUT_LIVELOCK)
			snprintf(what, sizeof what, "a lasso: %d choice%s to the cycle, then %d round it, forever",
			         os->wlen - os->cycle, os->wlen - os->cycle == 1 ? "" : "s", os->cycle);
		else
			snprintf(what, sizeof what, "shortest witness (%d choices)", os->wlen);
		fprintf(out, "\n-- %s, %s:\n   ", P->outcomes[k].name, what);
		print_replay(out, c, k);
		fprintf(out, "\n\n%s", c->traces[k]);
	}
	fprintf(out, "\n");
}

/* ---- recording ---- */

/* Opens the database at path, or says on stderr why not. */
static Db *open_db(const char *path)
{
	char err[512];
	Db *db = db_open(path, err, sizeof err);
	if (!db)
		fprintf(stderr, "tlbsim: %s\n", err);
	return db;
}

/* open_db for the commands that only read a database (replay, db,
 * report): a missing file is an error, never a new empty database. */
static Db *open_existing_db(const char *cmd, const char *path)
{
	if (access(path, F_OK) != 0) {
		usage_error(cmd, "no database %s", path);
		return NULL;
	}
	return open_db(path);
}

static int64_t record_scenario(Db *db, const Program *P)
{
	const char *paths[64], *texts[64];
	int n = P->nfiles < 64 ? P->nfiles : 64;
	for (int i = 0; i < n; i++)
		paths[i] = P->files[i].path, texts[i] = P->files[i].text;
	return db_scenario(db, P->name, P->hash, n, paths, texts);
}

static int record_combo(Db *db, const Combo *c, int64_t *first_witness)
{
	int64_t sid = record_scenario(db, c->P);
	DbRun r = { sid, c->P->variant ? c->P->variant : "-", c->model, "explore", 0, NULL, TLBSIM_VERSION,
	            c->R.seconds, c->R.states, c->R.transitions, c->R.schedules, c->R.end_states, NULL };
	int64_t rid = sid < 0 ? -1 : db_run(db, &r);
	if (rid < 0)
		return -1;
	for (int k = 0; k < c->P->noutcomes; k++) {
		const OutcomeStat *os = &c->R.out[k];
		if (!os->witness)
			continue;
		char *s = sched_str(os->witness, os->wlen);
		DbOutcome dbo = { rid, c->P->outcomes[k].name, os->schedules, os->end_states, s, os->wlen,
		                  c->traces[k], strlen(c->traces[k]) };
		int64_t id = db_outcome(db, &dbo);
		free(s);
		if (id < 0)
			return -1;
		fprintf(stderr, "recorded witness %" PRId64 " (%s %s %s %s)\n", id, c->P->name,
		        c->P->variant ? c->P->variant : "-", c->model, c->P->outcomes[k].name);
		if (first_witness && !*first_witness)
			*first_witness = id;
	}
	return 0;
}

/* Records every combo of b in one transaction. */
static int record_batch(const Opts *o, const Batch *b)
{
	if (o->no_db)
		return 0;
	Db *db = open_db(o->db);
	if (!db)
		return 2;
	int rc = db_begin(db);
	for (int i = 0; i < b->n && rc == 0; i++)
		rc = record_combo(db, &b->c[i], NULL);
	if (rc == 0)
		rc = db_commit(db);
	if (rc) {
		fprintf(stderr, "tlbsim: %s: %s\n", o->db, db_errmsg(db));
		db_rollback(db);
	}
	db_close(db);
	return rc ? 2 : 0;
}

/* ---- HTML ---- */

/* Writes d to path ("-": stdout); says on stderr why it cannot. */
static int html_to(const char *cmd, const char *path, const HtmlDoc *d)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int rc = f ? html_write(f, d) : -1;
	if (f && f != stdout && fclose(f) != 0)
		rc = -1;
	else if (f == stdout && fflush(f) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "tlbsim %s: cannot write %s: %s\n", cmd, path, strerror(errno));
	return rc < 0 ? 2 : 0;
}

/* The HTML report of the explored batch b, made from source. */
static int write_html(const char *cmd, const char *path, const Batch *b, const char *source)
{
	HtmlRun *runs = calloc((size_t)b->n + 1, sizeof *runs);
	if (!runs)
		abort();
	for (int i = 0; i < b->n; i++) {
		html_run_explored(&runs[i], b->c[i].P, b->c[i].model, &b->c[i].R);
		runs[i].version = TLBSIM_VERSION;
	}
	HtmlDoc d = { source, TLBSIM_VERSION, runs, b->n };
	int rc = html_to(cmd, path, &d);
	free(runs);
	return rc;
}

/* ---- commands ---- */

static int cmd_explore(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	int rc = parse_opts("explore", argc, argv, "--variant --model --max-states --brief --html --db --no-db --symmetry", &o);
	if (rc)
		return rc;
	if (o.nargs != 1)
		return usage_error("explore", "expected one scenario FILE%s", "");
	if (o.model && !dirty_find(o.model))
		return usage_error("explore", "unknown dirty-bit model '%s'", o.model);
	rc = compile_variants(&b, o.args[0], o.variant);
	if (!rc)
		rc = explore_batch(&b, &o);
	if (!rc)
		rc = record_batch(&o, &b);
	for (int i = 0; !rc && i < b.n; i++)
		print_combo(stdout, &b.c[i], o.brief);
	if (!rc && o.html)
		rc = write_html("explore", o.html, &b, o.args[0]);
	batch_free(&b);
	return rc;
}

static int collect(const char *cmd, const Opts *o, Batch *b)
{
	char **files = NULL;
	int n = 0, rc = 0;
	if (o->nargs == 0)
		rc = expand_path("scenarios", &files, &n);
	for (int i = 0; i < o->nargs && !rc; i++)
		rc = expand_path(o->args[i], &files, &n);
	if (!rc && n == 0)
		rc = usage_error(cmd, "no scenario files found%s", "");
	for (int i = 0; i < n && !rc; i++)
		rc = compile_variants(b, files[i], NULL);
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc ? rc : explore_batch(b, o);
}

/* check judges everything: an outcome reached that no expect: entry of
 * the cell names fails, with the command that replays its witness,
 * unless an entry says others: any. */
static void judge_others(const Combo *c, int *failed)
{
	uint32_t bad = judge_unexpected(c->P, c->model, c->R.reach);
	for (int k = 0; k < c->P->noutcomes; k++) {
		if (!(bad >> k & 1))
			continue;
		printf("FAIL unexpected: %s in %s %s %s\n     ", c->P->outcomes[k].name, c->P->name,
		       c->P->variant ? c->P->variant : "-", c->model);
		if (c->R.out[k].witness)
			print_replay(stdout, c, k);
		printf("\n");
		++*failed;
	}
}

static int cmd_check(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	int passed = 0, failed = 0;
	int rc = parse_opts("check", argc, argv, "--db --no-db --max-states --symmetry", &o);
	if (!rc)
		rc = collect("check", &o, &b);
	if (!rc)
		rc = record_batch(&o, &b);
	for (int i = 0; !rc && i < b.n; i++) {
		Combo *c = &b.c[i];
		if (!c->R.end_states) {
			judge_no_end_state(stdout, c->P, c->model, c->R.reach, c->R.always, &passed, &failed);
			continue;
		}
		if (judge(stdout, c->P, c->model, c->R.reach, c->R.always, &passed, &failed))
			for (int k = 0; k < c->P->noutcomes; k++)
				if (c->R.out[k].witness) {
					char *s = sched_str(c->R.out[k].witness, c->R.out[k].wlen);
					printf("     witness for %s: %s\n", c->P->outcomes[k].name, s);
					free(s);
				}
		judge_others(c, &failed);
	}
	if (!rc)
		printf("%d passed, %d failed\n", passed, failed);
	batch_free(&b);
	return rc ? rc : failed ? 1 : 0;
}

/* A matrix cell: outcome names sorted by byte order, joined by ",", as
 * reports/matrix.h wants and `tlbsim db matrix` prints them. */
static char *cell_text(const Program *P, uint32_t mask, char *buf, size_t len)
{
	const char *names[MAX_OUTCOMES];
	int n = 0;
	size_t k = 0;
	for (int o = 0; o < P->noutcomes; o++)
		if (mask >> o & 1)
			names[n++] = P->outcomes[o].name;
	qsort(names, (size_t)n, sizeof *names, cmp_str);
	buf[0] = 0;
	for (int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : "", names[i]);
	return buf;
}

static int cmd_compare(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	int rc = parse_opts("compare", argc, argv, "--db --no-db --max-states --symmetry", &o);
	o.all_models = 1;
	if (!rc)
		rc = collect("compare", &o, &b);
	if (!rc)
		rc = record_batch(&o, &b);
	if (!rc) {
		MatrixCell *cells = calloc((size_t)b.n + 1, sizeof *cells);
		char (*outs)[512] = calloc((size_t)b.n + 1, sizeof *outs);
		for (int i = 0; i < b.n; i++) {
			Combo *c = &b.c[i];
			cells[i] = (MatrixCell){ c->P->name, c->P->variant ? c->P->variant : "-", c->model,
			                         cell_text(c->P, c->R.reach, outs[i], sizeof outs[i]) };
		}
		rep_matrix_print(stdout, cells, b.n);
		free(cells);
		free(outs);
	}
	batch_free(&b);
	return rc;
}

/* list's last line(s): the CPUs explore --symmetry would find
 * interchangeable, once if every model of the scenario gives the same. */
static void list_symmetry(const Program *P)
{
	char first[600], buf[512];
	int same = 1;
	for (int m = 0; m < P->nmodels; m++) {
		const char *d = sym_describe(P, P->models[m], buf, sizeof buf);
		if (m == 0)
			snprintf(first, sizeof first, "%s%s", d ? "" : "not known: ", buf);
		else
			same &= d && !strcmp(buf, first);
	}
	for (int m = 0; m < P->nmodels && !same; m++) {
		const char *d = sym_describe(P, P->models[m], buf, sizeof buf);
		printf("symmetry under %s: %s%s\n", P->models[m], d ? "" : "not known: ", buf);
	}
	if (same && P->nmodels)
		printf("symmetry: %s\n", first);
}

static int cmd_list(int argc, char **argv)
{
	Opts o;
	char err[1024];
	int rc = parse_opts("list", argc, argv, "--variant", &o);
	if (rc)
		return rc;
	if (o.nargs != 1)
		return usage_error("list", "expected one scenario FILE%s", "");
	Program *P = scn_compile(o.args[0], o.variant, NULL, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	prog_list(P, stdout);
	list_symmetry(P);
	prog_free(P);
	return 0;
}

static int record_run(const Opts *o, const Program *P, const char *model, const RunResult *r,
                      const char *sched, const char *hash, const char *text)
{
	if (o->no_db)
		return 0;
	Db *db = open_db(o->db);
	if (!db)
		return 2;
	int rc = db_begin(db);
	int64_t sid = rc ? -1 : record_scenario(db, P);
	uint64_t ended = !(r->outcomes >> OUT_LIVELOCK & 1);   /* a livelocked run never ends */
	DbRun run = { sid, P->variant ? P->variant : "-", model, "run", o->seed, sched, TLBSIM_VERSION,
	              0, 0, (uint64_t)r->n, ended, ended, hash };
	int64_t rid = sid < 0 ? -1 : db_run(db, &run);
	rc = rid < 0;
	for (int k = 0; k < P->noutcomes && !rc; k++) {
		if (!(r->outcomes >> k & 1))
			continue;
		DbOutcome dbo = { rid, P->outcomes[k].name, ended, ended, sched, r->n, text, strlen(text) };
		rc = db_outcome(db, &dbo) < 0;
	}
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		fprintf(stderr, "tlbsim: %s: %s\n", o->db, db_errmsg(db));
		db_rollback(db);
	} else {
		fprintf(stderr, "recorded run %" PRId64 " in %s\n", rid, o->db);
	}
	db_close(db);
	return rc ? 2 : 0;
}

static int cmd_run(int argc, char **argv)
{
	Opts o;
	char err[1024];
	Choice *ch = NULL;
	int n = 0;
	int rc = parse_opts("run", argc, argv, "--variant --model --seed --schedule --db --no-db", &o);
	if (rc)
		return rc;
	if (o.nargs != 1)
		return usage_error("run", "expected one scenario FILE%s", "");
	if (o.schedule && (n = sched_parse(o.schedule, &ch, err, sizeof err)) < 0) {
		fprintf(stderr, "tlbsim run: %s\n", err);
		return 2;
	}
	Program *P = scn_compile(o.args[0], o.variant, NULL, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		free(ch);
		return 2;
	}
	const char *model = o.model ? o.model : P->models[0];
	if (!dirty_find(model)) {
		prog_free(P);
		free(ch);
		return usage_error("run", "unknown dirty-bit model '%s'", model);
	}
	RunResult r;
	memset(&r, 0, sizeof r);
	char *text = witness_text(P, model, ch, n, 1, o.seed, &r);
	if (!text)
		rc = 2;
	if (!rc) {
		char outs[512], *sched = sched_str(r.choices, r.n);
		XXH64_hash_t h = XXH3_64bits(text, strlen(text));
		char hash[32];
		snprintf(hash, sizeof hash, "%016" PRIx64, (uint64_t)h);
		printf("== %s  variant %s  model %s  seed %" PRIu64 "\n%s", P->name, P->variant ? P->variant : "-",
		       model, o.seed, text);
		printf("outcomes: %s\nschedule: %s\nended at cycle %" PRIu64 "\ntrace hash: %s\n",
		       r.outcomes ? rep_outcome_list(P, r.outcomes, outs, sizeof outs) : "none", sched, r.time, hash);
		rc = record_run(&o, P, model, &r, sched, hash, text);
		free(sched);
	}
	free(text);
	run_free(&r);
	free(ch);
	prog_free(P);
	return rc;
}

static void note_changes(const DbWitness *w)
{
	char err[1024];
	Program *now = scn_compile(w->paths[0], w->variant[0] == '-' ? NULL : w->variant, NULL, err, sizeof err);
	if (!now)
		printf("note: %s no longer compiles as it did (%s); replaying the recorded text\n", w->paths[0], err);
	else if (strcmp(now->hash, w->hash))
		printf("note: %s changed since this was recorded (content hash %.12s, now %.12s); replaying the recorded text\n",
		       w->paths[0], w->hash, now->hash);
	prog_free(now);
}

static int replay(const DbWitness *w)
{
	char err[1024];
	Choice *ch = NULL;
	ScnSource src = { db_witness_file, (void *)w };
	int n = w->schedule ? sched_parse(w->schedule, &ch, err, sizeof err) : 0;
	if (n < 0) {
		fprintf(stderr, "recorded schedule: %s\n", err);
		return 2;
	}
	note_changes(w);
	Program *P = scn_compile(w->paths[0], w->variant[0] == '-' ? NULL : w->variant, &src, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		free(ch);
		return 2;
	}
	int timed = !strcmp(w->mode, "run");
	RunResult r;
	char *text = witness_text(P, w->model, ch, n, timed, timed ? w->seed : 0, &r);
	int rc = text ? 0 : 2;
	if (text) {
		char outs[512];
		printf("== replay of %s%s: %s  variant %s  model %s\n%s", w->outcome ? "witness for " : "run",
		       w->outcome ? w->outcome : "", w->scenario, w->variant, w->model, text);
		printf("outcomes: %s\nschedule: %s\n", r.outcomes ? rep_outcome_list(P, r.outcomes, outs, sizeof outs) : "none",
		       w->schedule ? w->schedule : "");
		if (w->trace)
			printf("%s\n", strcmp(w->trace, text) ? "the timeline differs from the recorded one" :
			       "the timeline matches the recorded one");
		run_free(&r);
	}
	free(text);
	free(ch);
	prog_free(P);
	return rc;
}

static int cmd_replay(int argc, char **argv)
{
	Opts o;
	uint64_t id;
	DbWitness w;
	int rc = parse_opts("replay", argc, argv, "--db --run --scenario", &o);
	if (rc)
		return rc;
	if (o.nargs != 1)
		return usage_error("replay", "expected one witness ID or outcome name%s", "");
	int by_name = o.args[0][0] < '0' || o.args[0][0] > '9';
	if ((by_name && o.run_id) || (!by_name && parse_u64("replay", o.args[0], &id)))
		return usage_error("replay", "expected a number after --run%s", "");
	Db *db = open_existing_db("replay", o.db);
	if (!db)
		return 2;
	memset(&w, 0, sizeof w);
	if (by_name) {
		int64_t found = db_find_witness(db, o.args[0], o.scenario);
		id = found > 0 ? (uint64_t)found : 0;
	}
	rc = o.run_id ? db_run_witness(db, (int64_t)id, &w) : id ? db_witness(db, (int64_t)id, &w) : -1;
	db_close(db);
	if (rc < 0) {
		if (by_name)
			fprintf(stderr, "tlbsim replay: no witness of %s%s%s in %s\n", o.args[0],
			        o.scenario ? " in scenario " : "", o.scenario ? o.scenario : "", o.db);
		else
			fprintf(stderr, "tlbsim replay: %s %" PRIu64 " is not in %s\n", o.run_id ? "run" : "witness", id, o.db);
		return 2;
	}
	rc = replay(&w);
	db_witness_free(&w);
	return rc;
}

static int cmd_db(int argc, char **argv)
{
	Opts o;
	int rc = parse_opts("db", argc, argv, "--db --limit --from --to --against", &o);
	if (rc)
		return rc;
	const char *sub = o.nargs ? o.args[0] : "";
	if (o.nargs != 1 || (strcmp(sub, "runs") && strcmp(sub, "matrix") && strcmp(sub, "regressions")))
		return usage_error("db", "expected runs, matrix or regressions%s", "");
	if (!strcmp(sub, "regressions") && !o.against && !(o.from && o.to))
		return usage_error("db", "regressions needs --from and --to, or --against%s", "");
	Db *db = open_existing_db("db", o.db);
	if (!db)
		return 2;
	if (!strcmp(sub, "runs"))
		rc = db_print_runs(db, stdout, o.limit);
	else if (!strcmp(sub, "matrix"))
		rc = db_print_matrix(db, stdout);
	else
		rc = db_print_regressions(db, o.against ? NULL : o.from, o.against ? NULL : o.to, o.against, stdout);
	if (rc < 0)
		fprintf(stderr, "tlbsim db: %s\n", db_errmsg(db));
	db_close(db);
	return rc < 0 ? 2 : (!strcmp(sub, "regressions") && rc > 0) ? 1 : 0;
}

static int cmd_report(int argc, char **argv)
{
	Opts o;
	RptDoc r;
	int rc = parse_opts("report", argc, argv, "--db --output", &o);
	if (rc)
		return rc;
	if (o.nargs)
		return usage_error("report", "takes no arguments, got '%s'", o.args[0]);
	Db *db = open_existing_db("report", o.db);
	if (!db)
		return 2;
	rc = rpt_load(db, o.db, TLBSIM_VERSION, &r);
	if (rc < 0)
		fprintf(stderr, "tlbsim report: %s: %s\n", o.db, db_errmsg(db));
	db_close(db);
	if (rc < 0)
		return 2;
	rc = html_to("report", o.output ? o.output : "-", &r.doc);
	rpt_free(&r);
	return rc;
}

static int cmd_ops(int argc, char **argv)
{
	Opts o;
	int rc = parse_opts("ops", argc, argv, "--markdown", &o);
	if (rc)
		return rc;
	if (o.markdown) {
		prog_ops_markdown(stdout);
		return 0;
	}
	for (int i = 0; i < OP__COUNT; i++)
		if (prog_op_is_step(i))
			printf("%-24s %-6s %s\n", prog_ops[i].name, prog_ops[i].args, prog_ops[i].doc);
	return 0;
}

/* An architecture's PTE bit names and values, three to a line (the names
 * pte.prot lists and expressions use). */
static void print_arch_bits(const Arch *a)
{
	int n = 0;
	printf("  PTE bits:");
	for (const ArchBit *b = a->bits; b->name; b++, n++) {
		char hex[24];
		int last = n % 3 == 2 || !b[1].name;    /* no padding ends a line */
		snprintf(hex, sizeof hex, "0x%" PRIx64, b->mask);
		printf("%s%-16s %-*s", n % 3 ? "  " : "\n    ", b->name, last ? 0 : 18, hex);
	}
	printf("\n");
}

static int cmd_models(int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_error("models", "takes no arguments%s", "");
	for (int a = 0; arch_at(a); a++) {
		printf("%s%s (%s):\n", a ? "\n" : "", arch_at(a)->name, arch_at(a)->source);
		for (int i = 0; dirty_model_of(arch_at(a), i); i++)
			printf("  %-16s %s\n", dirty_model_of(arch_at(a), i)->name, dirty_model_of(arch_at(a), i)->summary);
		print_arch_bits(arch_at(a));
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "run", cmd_run }, { "explore", cmd_explore }, { "check", cmd_check },
		{ "compare", cmd_compare }, { "list", cmd_list }, { "replay", cmd_replay },
		{ "db", cmd_db }, { "report", cmd_report }, { "ops", cmd_ops }, { "models", cmd_models },
	};
	if (argc < 2) {
		fprintf(stderr, "usage: tlbsim COMMAND [options] (see 'tlbsim --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help("");
	if (!strcmp(argv[1], "--version")) {
		printf("tlbsim " TLBSIM_VERSION "\n");
		return 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		for (int k = 2; k < argc; k++)
			if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h"))
				return help(cmds[i].name);
		return cmds[i].fn(argc - 2, argv + 2);
	}
	fprintf(stderr, "tlbsim: unknown command '%s' (see 'tlbsim --help')\n", argv[1]);
	return 2;
}

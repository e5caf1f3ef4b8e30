/* cli/batch.c: compile, explore and record a batch of scenarios for
 * explore, check and compare.  Rates and database ids go to stderr (not
 * with --quiet); stdout is left to the commands. */
#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "scenarios/compile.h"
#include <dirent.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void batch_add_prog(Batch *b, Program *P)
{
	b->progs = realloc(b->progs, sizeof *b->progs * (size_t)(b->nprogs + 1));
	if (!b->progs)
		abort();
	b->progs[b->nprogs++] = P;
}

int batch_compile(Batch *b, const char *path, const char *variant, const ScnSource *src)
{
	char err[1024];
	Program *P = scn_compile(path, variant, src, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	batch_add_prog(b, P);
	for (int v = 1; !variant && v < P->nvariants; v++) {
		Program *Q = scn_compile(path, P->variants[v], src, err, sizeof err);
		if (!Q) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		batch_add_prog(b, Q);
	}
	return 0;
}

static int batch_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void batch_add_path(char ***out, int *n, char *p)
{
	*out = realloc(*out, sizeof **out * (size_t)(*n + 1));
	if (!*out)
		abort();
	(*out)[(*n)++] = p;
}

/* The scenario files a PATH argument names: the file ("-": standard
 * input), or the *.yaml scenarios directly in the folder (not FIFOs or
 * devices), sorted by name. */
static int batch_expand(const char *path, size_t max, char ***out, int *n)
{
	DIR *d = strcmp(path, "-") ? opendir(path) : NULL;
	if (!d) {   /* a file: the compiler says why if it cannot be read */
		batch_add_path(out, n, strdup(path));
		return 0;
	}
	int first = *n;
	for (struct dirent *e; (e = readdir(d)); ) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		char *p = malloc(strlen(path) + len + 2);
		sprintf(p, "%s/%s", path, e->d_name);
		if (scn_is_scenario(p, max) != 1)
			free(p);
		else
			batch_add_path(out, n, p);
	}
	closedir(d);
	qsort(*out + first, (size_t)(*n - first), sizeof **out, batch_cmp_str);
	return 0;
}

int batch_collect(const Opts *o, Batch *b)
{
	char **files = NULL;
	int n = 0, rc = 0;
	if (o->nargs == 0)
		rc = batch_expand("scenarios", o->src.max_input, &files, &n);
	for (int i = 0; i < o->nargs && !rc; i++)
		rc = batch_expand(o->args[i], o->src.max_input, &files, &n);
	if (!rc && n == 0)
		rc = opt_usage(o->cmd, "no scenario files found%s", "");
	for (int i = 0; i < n && !rc; i++)
		rc = batch_compile(b, files[i], NULL, opt_source(o));
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc ? rc : batch_explore(b, o);
}

/* The i-th model to explore P under: --model, else every model (compare),
 * else the scenario's machine.models. */
static const char *batch_model_at(const Program *P, const Opts *o, int i)
{
	return o->model ? o->model : o->all_models ? dirty_model_of(P->arch, i)->name : P->models[i];
}

static int batch_model_count(const Program *P, const Opts *o)
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

/* The progress line of one exploration: on a terminal one line redrawn in
 * place (and erased when the search ends), else one line per report. */
typedef struct Progress {
	const Program *P;
	const char *model;
	int tty, shown;
} Progress;

static void batch_progress(void *arg, const ExploreProgress *p)
{
	Progress *g = arg;
	fprintf(stderr, "%sexploring %s %s %s: %" PRIu64 " states (%" PRIu64 " to expand), depth %d, %.0f states/s, "
	        "%" PRIu64 " MB of tables%s", g->tty ? "\r" : "", g->P->name, g->P->variant ? g->P->variant : "-",
	        g->model, p->states, p->states - p->expanded, p->depth, p->seconds > 0 ? (double)p->states / p->seconds : 0.0,
	        p->bytes >> 20, g->tty ? "\033[K" : "\n");
	fflush(stderr);
	g->shown = 1;
}

static int batch_combo(Batch *b, Program *P, const char *model, const Opts *o)
{
	Sim S;
	char err[256];
	Progress g = { P, model, isatty(STDERR_FILENO), 0 };
	ExploreOpts eo = { .max_states = o->max_states, .max_bytes = o->max_memory << 20, .symmetry = o->symmetry };
	eo.keep_ends = o->states;
	if (o->progress || (g.tty && !o->quiet)) {
		eo.progress = batch_progress;
		eo.progress_arg = &g;
	}
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
	c->input_words = o->input_words ? o->input_words : "";
	int rc = explore(&S, &eo, &c->R);
	if (g.tty && g.shown)
		fputs("\r\033[K", stderr);         /* the results take the line's place */
	if (rc < 0) {
		fprintf(stderr, "%s\n", S.err);
		explore_free(&c->R);
	} else if (rc == 1) {
		fprintf(stderr, "%s (%s %s %s: what it found is shown, marked incomplete)\n", S.err, P->name,
		        P->variant ? P->variant : "-", model);
		b->incomplete++;
	}
	sim_free(&S);
	if (rc < 0)
		return 2;
	b->n++;
	RepDraw d = { 0, -1, 0, { 0, 0, 0 } };       /* the default view: what is recorded */
	for (int k = 0; k < MAX_OUTCOMES; k++)
		if (c->R.out[k].witness && !(c->traces[k] = out_witness(P, model, c->R.out[k].witness, c->R.out[k].wlen, &d, 0, NULL)))
			return 2;
	if (!o->quiet)
		fprintf(stderr, "explored %s %s %s: %" PRIu64 " states, %" PRIu64 " transitions in %.3f s (%.0f states/s)\n",
		        P->name, P->variant ? P->variant : "-", model, c->R.states, c->R.transitions, c->R.seconds,
		        c->R.seconds > 0 ? (double)c->R.states / c->R.seconds : 0.0);
	return 0;
}

/* --shard I/N: the cells (program x model, in batch order) [lo, hi) of
 * this shard, a contiguous run of about total/N, so that merging the
 * shards' databases in shard order records the runs in the unsharded
 * order (docs/scale.md).  Without --shard: all of them. */
static void batch_shard(const Opts *o, uint64_t total, uint64_t *lo, uint64_t *hi)
{
	*lo = 0;
	*hi = total;
	if (o->shard_n) {
		*lo = total * (uint64_t)(o->shard_i - 1) / (uint64_t)o->shard_n;
		*hi = total * (uint64_t)o->shard_i / (uint64_t)o->shard_n;
	}
}

int batch_explore(Batch *b, const Opts *o)
{
	uint64_t total = 0, lo, hi, k = 0;
	for (int i = 0; i < b->nprogs; i++)
		total += (uint64_t)batch_model_count(b->progs[i], o);
	batch_shard(o, total, &lo, &hi);
	for (int i = 0; i < b->nprogs; i++) {
		Program *P = b->progs[i];
		int nm = batch_model_count(P, o);
		for (int m = 0; m < nm; m++, k++)
			if (k >= lo && k < hi && batch_combo(b, P, batch_model_at(P, o, m), o))
				return 2;
	}
	return 0;
}

int batch_status(const Batch *b, int rc)
{
	return rc ? rc : b->incomplete ? BATCH_INCOMPLETE : 0;
}

void batch_free(Batch *b)
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

/* ---- recording ---- */

Db *batch_open_db(const char *path)
{
	char err[512];
	Db *db = db_open(path, err, sizeof err);
	if (!db)
		fprintf(stderr, "tlbsim: %s\n", err);
	return db;
}

Db *batch_open_existing_db(const char *cmd, const char *path)
{
	if (access(path, F_OK) != 0) {
		opt_usage(cmd, "no database %s", path);
		return NULL;
	}
	return batch_open_db(path);
}

/* Records P's scenario with every file it was built from (no bound on
 * their number: replay needs them all). */
int64_t batch_record_scenario(Db *db, const Program *P)
{
	int n = P->nfiles;
	const char **paths = malloc(((size_t)n + 1) * sizeof *paths), **texts = malloc(((size_t)n + 1) * sizeof *texts);
	int64_t id = -1;
	if (paths && texts) {
		for (int i = 0; i < n; i++)
			paths[i] = P->files[i].path, texts[i] = P->files[i].text;
		id = db_scenario(db, P->name, P->hash, n, paths, texts);
	} else {
		fprintf(stderr, "tlbsim: out of memory recording %s\n", P->name);
	}
	free(paths);
	free(texts);
	return id;
}

/* Records c; the "recorded witness" lines go to log, which the caller
 * prints only once the transaction committed. */
static int batch_record_combo(Db *db, const Combo *c, const Opts *o, FILE *log)
{
	int64_t sid = batch_record_scenario(db, c->P);
	DbRun r = { sid, c->P->variant ? c->P->variant : "-", c->model, "explore", 0, NULL, TLBSIM_VERSION,
	            c->R.seconds, c->R.states, c->R.transitions, c->R.schedules, c->R.end_states, NULL,
	            o->cmdline, o->max_states, c->R.stop != EX_DONE, cli_git() };
	int quiet = o->quiet;
	int64_t rid = sid < 0 ? -1 : db_run(db, &r);
	if (rid < 0)
		return -1;
	for (int k = 0; k < c->P->noutcomes; k++) {
		const OutcomeStat *os = &c->R.out[k];
		if (!os->witness)
			continue;
		char *s = out_sched(os->witness, os->wlen);
		DbOutcome dbo = { rid, c->P->outcomes[k].name, os->schedules, os->end_states, s, os->wlen,
		                  c->traces[k], strlen(c->traces[k]) };
		int64_t id = db_outcome(db, &dbo);
		free(s);
		if (id < 0)
			return -1;
		if (!quiet && log)
			fprintf(log, "recorded witness %" PRId64 " (%s %s %s %s)\n", id, c->P->name,
			        c->P->variant ? c->P->variant : "-", c->model, c->P->outcomes[k].name);
	}
	return 0;
}

int batch_record(const Opts *o, const Batch *b)
{
	if (o->no_db)
		return 0;
	Db *db = batch_open_db(o->db);
	if (!db) {
		fprintf(stderr, "tlbsim: nothing was recorded in %s\n", o->db);
		return BATCH_NOT_RECORDED;
	}
	char *lines = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&lines, &len);
	int rc = db_begin(db);
	for (int i = 0; i < b->n && rc == 0; i++)
		rc = batch_record_combo(db, &b->c[i], o, log);
	if (rc == 0)
		rc = db_commit(db);
	if (log)
		fclose(log);
	if (rc) {
		fprintf(stderr, "tlbsim: %s: %s; nothing was recorded\n", o->db, db_errmsg(db));
		db_rollback(db);
	} else if (lines) {
		fputs(lines, stderr);            /* only what the commit kept */
	}
	free(lines);
	db_close(db);
	return rc ? BATCH_NOT_RECORDED : 0;
}

/* cli/batch.c: compile, explore and record a batch of scenarios for
 * explore, check and compare.  Rates and database ids go to stderr (not
 * with --quiet); stdout is left to the commands. */
#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "scenarios/compile.h"
#include "sim/random.h"
#include "sim/symmetry.h"
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* Compiles path for variant (NULL: its first) and every architecture its
 * machine.arch lists after the first (the first compile tells which);
 * arch NULL compiles every one, else only arch (when the list has it). */
static int batch_compile_archs(Batch *b, const char *path, const char *variant, const char *arch,
                               const ScnSource *src, Program **first)
{
	char err[1024];
	Program *P = scn_compile_arch(path, variant, arch, src, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	batch_add_prog(b, P);
	*first = P;
	for (int a = 1; !arch && a < P->narchs; a++) {
		Program *Q = scn_compile_arch(path, variant, P->archs[a]->name, src, err, sizeof err);
		if (!Q) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		batch_add_prog(b, Q);
	}
	return 0;
}

int batch_compile(Batch *b, const char *path, const char *variant, const char *model, const ScnSource *src)
{
	Program *P;
	const char *arch = scn_model_arch(model);
	int rc = batch_compile_archs(b, path, variant, arch, src, &P);
	for (int v = 1; !rc && !variant && v < P->nvariants; v++) {
		Program *Q;
		rc = batch_compile_archs(b, path, P->variants[v], arch, src, &Q);
	}
	return rc;
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
		rc = batch_compile(b, files[i], NULL, o->model, opt_source(o));
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc ? rc : batch_explore(b, o);
}

/* Frees what c holds and zeroes it. */
static void batch_combo_free(Combo *c)
{
	explore_free(&c->R);
	for (int k = 0; k < MAX_OUTCOMES; k++)
		free(c->traces[k]);
	memset(c, 0, sizeof *c);
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

/* Whether o wants the progress line: --progress, or stderr a terminal
 * without -q. */
static int batch_wants_progress(const Opts *o)
{
	return o->progress || (isatty(STDERR_FILENO) && !o->quiet);
}

/* Explores P under model into c (zeroed first), its notes and errors to
 * msg, its progress (if prog) through prog(arg, ...).  0, 1 when a bound
 * stopped the search (c kept, partial), or 2 after the error (c emptied). */
static int batch_cell(Combo *c, Program *P, const char *model, const Opts *o, FILE *msg,
                      void (*prog)(void *, const ExploreProgress *), void *arg)
{
	Sim S;
	char err[256];
	/* machine.symmetric asks for the reduction, --no-symmetry refuses it */
	int sym = o->symmetry || (P->symmetric && !o->no_symmetry);
	ExploreOpts eo = { .max_states = o->max_states, .max_bytes = o->max_memory << 20, .symmetry = sym,
	                   .progress = prog, .progress_arg = arg, .keep_ends = o->states,
	                   .bound_preemptions = o->preemptions >= 0, .preemptions = o->preemptions };
	memset(c, 0, sizeof *c);
	if (sim_init(&S, P, model, err, sizeof err) < 0) {
		fprintf(msg, "tlbsim: %s\n", err);
		return 2;
	}
	c->P = P;
	c->model = model;
	c->input_words = o->input_words ? o->input_words : "";
	RandomOpts ro = { o->random, o->seed, o->pct };
	int rc = o->random ? explore_random(&S, &ro, &c->R) : explore(&S, &eo, &c->R);
	if (rc < 0)
		fprintf(msg, "%s\n", S.err);
	else if (rc == 1)
		fprintf(msg, "%s (%s %s %s: what it found is shown, marked incomplete)\n", S.err, P->name,
		        P->variant ? P->variant : "-", model);
	sim_free(&S);
	RepDraw d = { 0, -1, 0, { 0, 0, 0 } };       /* the default view: what is recorded */
	for (int k = 0; rc >= 0 && k < MAX_OUTCOMES; k++)
		if (c->R.out[k].witness && !(c->traces[k] = out_witness(P, model, c->R.out[k].witness, c->R.out[k].wlen, &d, 0, NULL)))
			rc = -1;
	if (rc < 0) {
		batch_combo_free(c);
		return 2;
	}
	if (!o->quiet && o->random)
		fprintf(msg, "sampled %s %s %s: %" PRIu64 " schedules, %" PRIu64 " choices in %.3f s (%.0f choices/s)\n",
		        P->name, P->variant ? P->variant : "-", model, c->R.random_runs, c->R.transitions, c->R.seconds,
		        c->R.seconds > 0 ? (double)c->R.transitions / c->R.seconds : 0.0);
	char within[48] = "";
	if (c->R.stop == EX_PREEMPT)
		snprintf(within, sizeof within, ", the schedules within --preemptions %d", c->R.preemptions);
	if (!o->quiet && !o->random)
		fprintf(msg, "explored %s %s %s: %" PRIu64 " states, %" PRIu64 " transitions in %.3f s (%.0f states/s)%s\n",
		        P->name, P->variant ? P->variant : "-", model, c->R.states, c->R.transitions, c->R.seconds,
		        c->R.seconds > 0 ? (double)c->R.states / c->R.seconds : 0.0, within);
	return rc;
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

/* The cells to explore, in order. */
typedef struct CellRef { Program *P; const char *model; } CellRef;

/* What one --jobs thread is exploring, for the pool's progress line
 * (under Pool.lock): the cell (-1: none) and its latest report. */
typedef struct Slot { int cell; uint64_t states; } Slot;

/* The work --jobs threads share: cell k's result goes to c[k], its
 * stderr text to msg[k] and its status to rc[k]; next is the next cell
 * to take, done how many have ended.  The threads share nothing else
 * (programs are immutable). */
typedef struct Pool {
	Combo *c;
	const CellRef *cells;
	int n;
	const Opts *o;
	atomic_int next, done;
	char **msg;
	size_t *len;
	int *rc;
	pthread_mutex_t lock;
	Slot *slot;
} Pool;

/* A worker and its slot, for its progress callback. */
typedef struct Worker { Pool *p; int id; } Worker;

static void pool_progress(void *arg, const ExploreProgress *e)
{
	Worker *w = arg;
	pthread_mutex_lock(&w->p->lock);
	w->p->slot[w->id].states = e->states;
	pthread_mutex_unlock(&w->p->lock);
}

static void *batch_worker(void *arg)
{
	Worker *w = arg;
	Pool *p = w->p;
	for (int k; (k = atomic_fetch_add(&p->next, 1)) < p->n; ) {
		FILE *f = open_memstream(&p->msg[k], &p->len[k]);
		if (!f)
			abort();
		pthread_mutex_lock(&p->lock);
		p->slot[w->id] = (Slot){ k, 0 };
		pthread_mutex_unlock(&p->lock);
		p->rc[k] = batch_cell(&p->c[k], p->cells[k].P, p->cells[k].model, p->o, f, pool_progress, w);
		fclose(f);
		pthread_mutex_lock(&p->lock);
		p->slot[w->id].cell = -1;
		pthread_mutex_unlock(&p->lock);
		atomic_fetch_add(&p->done, 1);
	}
	return NULL;
}

/* The pool's progress line: cells done, and what each thread explores. */
static void pool_line(Pool *p, int nt, int tty)
{
	fprintf(stderr, "%sexploring: %d of %d cells done", tty ? "\r" : "", atomic_load(&p->done), p->n);
	pthread_mutex_lock(&p->lock);
	for (int i = 0, first = 1; i < nt; i++) {
		const Slot *s = &p->slot[i];
		if (s->cell < 0)
			continue;
		const Program *P = p->cells[s->cell].P;
		fprintf(stderr, "%s%s %s %s %" PRIu64 " states", first ? "; running " : ", ", P->name,
		        P->variant ? P->variant : "-", p->cells[s->cell].model, s->states);
		first = 0;
	}
	pthread_mutex_unlock(&p->lock);
	fputs(tty ? "\033[K" : "\n", stderr);
	fflush(stderr);
}

/* Waits for the nt workers, drawing the pool's progress line about once
 * a second if o wants it (erased at the end on a terminal). */
static void pool_wait(Pool *p, pthread_t *t, int nt)
{
	int want = batch_wants_progress(p->o), tty = isatty(STDERR_FILENO), shown = 0, ticks = 0;
	while (want && atomic_load(&p->done) < p->n) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		if (++ticks % 10 == 0 && atomic_load(&p->done) < p->n) {
			pool_line(p, nt, tty);
			shown = 1;
		}
	}
	for (int i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	if (shown && tty)
		fputs("\r\033[K", stderr);
}

/* Explores the n cells with o->jobs threads, then prints their stderr
 * texts in cell order, up to and with the first that failed, as one
 * thread would have.  Returns 0, or 2 (the cells after a failure are
 * explored but not used). */
static int batch_parallel(Batch *b, const CellRef *cells, int n, const Opts *o)
{
	int nt = o->jobs < n ? o->jobs : n, rc = 0;
	pthread_t *t = calloc((size_t)nt, sizeof *t);
	Worker *w = calloc((size_t)nt, sizeof *w);
	Pool p = { b->c, cells, n, o, 0, 0, calloc((size_t)n, sizeof(char *)), calloc((size_t)n, sizeof(size_t)),
	           calloc((size_t)n, sizeof(int)), PTHREAD_MUTEX_INITIALIZER, calloc((size_t)nt, sizeof(Slot)) };
	if (!t || !w || !p.msg || !p.len || !p.rc || !p.slot)
		abort();
	int started = 0;
	for (int i = 0; i < nt; i++)
		p.slot[i].cell = -1;
	while (started < nt) {
		w[started] = (Worker){ &p, started };
		if (pthread_create(&t[started], NULL, batch_worker, &w[started]) != 0)
			break;
		started++;
	}
	if (!started) {                  /* no thread could start: this one does the work */
		w[0] = (Worker){ &p, 0 };
		batch_worker(&w[0]);
	}
	pool_wait(&p, t, started);
	for (int k = 0; k < n; k++) {
		if (!rc && p.msg[k])
			fputs(p.msg[k], stderr);
		if (!rc && p.rc[k] == 2)
			rc = 2;
		b->incomplete += p.rc[k] == 1;
		free(p.msg[k]);
	}
	b->n = n;
	free(t);
	free(w);
	free(p.slot);
	pthread_mutex_destroy(&p.lock);
	free(p.msg);
	free(p.len);
	free(p.rc);
	return rc;
}

int batch_explore(Batch *b, const Opts *o)
{
	uint64_t total = 0, lo, hi, k = 0;
	for (int i = 0; i < b->nprogs; i++)
		total += (uint64_t)batch_model_count(b->progs[i], o);
	batch_shard(o, total, &lo, &hi);
	int n = (int)(hi - lo), j = 0, rc = 0;
	CellRef *cells = calloc((size_t)n + 1, sizeof *cells);
	if (!cells || !(b->c = calloc((size_t)n + 1, sizeof *b->c)))
		abort();
	b->cap = n + 1;
	for (int i = 0; i < b->nprogs; i++)
		for (int m = 0; m < batch_model_count(b->progs[i], o); m++, k++)
			if (k >= lo && k < hi)
				cells[j++] = (CellRef){ b->progs[i], batch_model_at(b->progs[i], o, m) };
	if (o->jobs > 1 && n > 1)
		rc = batch_parallel(b, cells, n, o);
	for (int i = 0; o->jobs <= 1 || n <= 1 ? i < n && !rc : 0; i++) {
		Progress g = { cells[i].P, cells[i].model, isatty(STDERR_FILENO), 0 };
		char *msg = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&msg, &len);
		if (!f)
			abort();
		int r = batch_cell(&b->c[i], cells[i].P, cells[i].model, o, f, batch_wants_progress(o) ? batch_progress : NULL, &g);
		fclose(f);
		if (g.tty && g.shown)
			fputs("\r\033[K", stderr);         /* the cell's notes take the line's place */
		fputs(msg, stderr);
		free(msg);
		rc = r == 2 ? 2 : 0;
		b->n += r != 2;
		b->incomplete += r == 1;
	}
	free(cells);
	return rc;
}

int batch_status(const Batch *b, int rc)
{
	return rc ? rc : b->incomplete ? BATCH_INCOMPLETE : 0;
}

void batch_free(Batch *b)
{
	for (int i = 0; i < b->n; i++)
		batch_combo_free(&b->c[i]);
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
	char sym[256];
	DbRun r = { sid, c->P->variant ? c->P->variant : "-", c->model, "explore", 0, NULL, TLBSIM_VERSION,
	            c->R.seconds, c->R.states, c->R.transitions, c->R.schedules, c->R.end_states, NULL,
	            o->cmdline, o->max_states, c->R.stop != EX_DONE, cli_git(),
	            c->R.nsym ? sym_format(c->R.sym, c->R.nsym, sym, sizeof sym) : NULL };
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

/* cli/out.c: the text (and HTML files) more than one command prints.
 * Nothing printed here depends on time or the database. */
#include "cli/out.h"
#include "cli/cli.h"
#include "sim/sched.h"
#include "sim/symmetry.h"
#include "reports/timeline.h"
#include "reports/witness.h"
#include "reports/judge.h"
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

char *out_witness(const Program *P, const char *model, const Choice *ch, int n, const RepDraw *d,
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
	RepDraw draw = *d;
	draw.cycle_at = lasso ? W.r.cycle_at : -1;
	rep_timeline_draw(m, P, &W.t, &draw);
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

char *out_end_state(const Program *P, const char *model, const EndStateInfo *e)
{
	Sim S;
	char err[256], *text = NULL;
	size_t len = 0;
	if (sim_init(&S, P, model, err, sizeof err) < 0) {
		fprintf(stderr, "tlbsim: %s\n", err);
		return NULL;
	}
	uint8_t *w = malloc(S.L.size);
	int rc = w ? sim_start(&S, w) : -1;
	for (int k = 0; rc == 0 && k < e->len; k++)
		rc = sim_apply(&S, w, e->path[k]);
	FILE *f = rc == 0 ? open_memstream(&text, &len) : NULL;
	if (f) {
		rep_state(f, &S, w, "end state:");
		fclose(f);
	} else
		fprintf(stderr, "tlbsim: cannot replay an end state: %s\n", S.err[0] ? S.err : "out of memory");
	free(w);
	sim_free(&S);
	return f ? text : NULL;
}

/* The terminal's width when stdout is one, else 0 (no limit); a
 * terminal narrower than REP_WIDTH_MIN counts as that wide. */
static int out_tty_width(void)
{
	struct winsize ws;
	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return 0;
	return ws.ws_col < REP_WIDTH_MIN ? REP_WIDTH_MIN : ws.ws_col;
}

int out_color(const Opts *o, int *on)
{
	const char *w = o->color ? o->color : "auto", *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (!strcmp(w, "always") || !strcmp(w, "never")) {
		*on = w[0] == 'a';
		return 0;
	}
	if (strcmp(w, "auto"))
		return opt_usage(o->cmd, "--color expects auto, always or never, got '%s'", w);
	*on = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	return 0;
}

const char *out_sgr(int on, const char *sgr, char *buf, size_t len)
{
	if (!on)
		return "";
	snprintf(buf, len, "\033[%sm", sgr);
	return buf;
}

/* --width N: a decimal number from REP_WIDTH_MIN to 10000. */
static int out_width(const Opts *o, int *width)
{
	const char *s = o->width;
	char *end;
	long n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || n < REP_WIDTH_MIN || n > 10000)
		return opt_usage(o->cmd, "--width expects a number of columns from 40 to 10000, got '%s'", s);
	*width = (int)n;
	return 0;
}

/* --cpus: CPU numbers below MAX_CPUS separated by commas, as a mask in
 * *shown; 0, or 2 after the usage line. */
static int out_cpu_list(const Opts *o, uint64_t *shown)
{
	const char *s = o->cpus;
	*shown = 0;
	for (;;) {
		char *end;
		long c = *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : -1;
		if (c < 0 || c >= MAX_CPUS || (*end && *end != ','))
			return opt_usage(o->cmd, "--cpus expects CPU numbers separated by commas (0,2), got '%s'", o->cpus);
		*shown |= (uint64_t)1 << c;
		if (!*end)
			return 0;
		s = end + 1;
	}
}

int out_view(const Opts *o, RepView *v)
{
	uint64_t shown;
	memset(v, 0, sizeof *v);
	if (o->format && strcmp(o->format, "text") && (o->width || o->cpus || o->timeline))
		return opt_usage(o->cmd, "--%s shapes the text timeline; --format json and herd draw none",
		                 o->width ? "width" : o->cpus ? "cpus" : "timeline");
	if (o->timeline && strcmp(o->timeline, "columns") && strcmp(o->timeline, "lines"))
		return opt_usage(o->cmd, "--timeline expects columns or lines, got '%s'", o->timeline);
	v->lines = o->timeline && !strcmp(o->timeline, "lines");
	if (o->cpus && out_cpu_list(o, &shown))
		return 2;
	if (o->width)
		return out_width(o, &v->width);
	v->width = out_tty_width();
	return 0;
}

int out_view_cpus(const Opts *o, int ncpu, RepView *v)
{
	uint64_t shown = 0, all = ncpu >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << ncpu) - 1;
	if (!o->cpus)
		return 0;
	out_cpu_list(o, &shown);         /* its syntax was checked by out_view */
	if (shown & ~all) {
		char msg[160];
		int c = 0;
		while (!((shown & ~all) >> c & 1))
			c++;
		snprintf(msg, sizeof msg, "--cpus %s: there is no CPU#%d (the scenario has CPU#0 to CPU#%d)", o->cpus, c, ncpu - 1);
		return opt_usage(o->cmd, "%s", msg);
	}
	v->hide = all & ~shown;
	return 0;
}

int out_view_default(const RepView *v)
{
	return !v->width && !v->hide && !v->lines;
}

char *out_sched(const Choice *ch, int n)
{
	size_t len = (size_t)n * 4 + 16;
	char *s = malloc(len);
	if (!s)
		abort();
	return sched_format(ch, n, s, len);
}

void out_replay_cmd(FILE *out, const Combo *c, int k)
{
	const Program *P = c->P;
	char *s = out_sched(c->R.out[k].witness, c->R.out[k].wlen), *path = ytext_escape(P->files[0].path);
	fprintf(out, "tlbsim run %s%s%s%s --model %s --schedule \"%s\"", path, c->input_words ? c->input_words : "",
	        P->variant ? " --variant " : "", P->variant ? P->variant : "", c->model, s);
	free(path);
	free(s);
}

/* A schedule count; counts saturate at 2^64-1, which prints as such. */
static const char *out_count(uint64_t n, char *buf, size_t len)
{
	if (n == UINT64_MAX)
		snprintf(buf, len, "more than 1.8e19");
	else
		snprintf(buf, len, "%" PRIu64, n);
	return buf;
}

/* The header's count of complete schedules: exact, exact for the
 * schedules that end while others never do (livelock, or under a
 * preemption bound a CPU left spinning), or unbounded. */
static void out_schedules(FILE *out, const ExploreResult *R)
{
	char buf[32];
	if (R->schedules_unbounded)
		fprintf(out, "unboundedly many schedules (a CPU can go round a cycle any number of times and still end)");
	else if (R->schedules_cyclic && R->stop == EX_PREEMPT)
		fprintf(out, "%s schedules that end (the others never do within the bound)", out_count(R->schedules, buf, sizeof buf));
	else if (R->schedules_cyclic)
		fprintf(out, "%s schedules that end (the others never do: livelock)", out_count(R->schedules, buf, sizeof buf));
	else
		fprintf(out, "%s schedules", out_count(R->schedules, buf, sizeof buf));
}

/* One outcome's line: how many schedules end in it, out of how many, and
 * its witness.  Livelock counts states instead: no schedule ends in it. */
static void out_outcome_line(FILE *out, const Combo *c, int k, int color)
{
	const ExploreResult *R = &c->R;
	const OutcomeStat *os = &R->out[k];
	char *s = out_sched(os->witness, os->wlen), n1[32], n2[48], on[OUT_SGR_MAX], off[OUT_SGR_MAX];
	fprintf(out, "   %s%-22s%s %s", out_sgr(color, OUT_RED, on, sizeof on), c->P->outcomes[k].name,
	        out_sgr(color, "0", off, sizeof off), judge_observed(R, k));
	if (R->stop == EX_RANDOM)
		fprintf(out, " in %" PRIu64 " of %" PRIu64 " sampled schedules (%" PRIu64 " end states); shortest witness "
		        "found: %s\n", os->schedules, R->schedules, os->end_states, s);
	else if (R->stop == EX_PREEMPT)
		fprintf(out, " in %s of %s schedules with at most %d preemption%s (%" PRIu64 " end states); witness: %s\n",
		        os->unbounded ? "unboundedly many" : out_count(os->schedules, n1, sizeof n1),
		        R->schedules_unbounded ? "unboundedly many" : out_count(R->schedules, n2, sizeof n2),
		        R->preemptions, R->preemptions == 1 ? "" : "s", os->end_states, s);
	else if (R->stop != EX_DONE)
		fprintf(out, " in %" PRIu64 " end states so far; witness: %s\n", os->end_states, s);
	else if (k == OUT_LIVELOCK)
		fprintf(out, ": %" PRIu64 " of %" PRIu64 " states reach no end state; witness: %s (the last %d repeat%s forever)\n",
		        R->stuck_states, R->states, s, os->cycle, os->cycle == 1 ? "s" : "");
	else
		fprintf(out, " in %s of %s schedules (%" PRIu64 " end states); witness: %s\n",
		        os->unbounded ? "unboundedly many" : out_count(os->schedules, n1, sizeof n1),
		        R->schedules_unbounded ? "unboundedly many" : out_count(R->schedules, n2, sizeof n2),
		        os->end_states, s);
	free(s);
}

/* --symmetry: which CPUs were interchangeable, or why none were. */
static void out_symmetry(FILE *out, const ExploreResult *R)
{
	char buf[256];
	if (R->nsym)
		fprintf(out, "   symmetry: %s interchangeable: states, transitions and end states are counted over the "
		        "reduced graph (one per orbit); schedule counts are exact\n", sym_format(R->sym, R->nsym, buf, sizeof buf));
	else if (R->sym_off)
		fprintf(out, "   symmetry: none (%s): the full search\n", R->sym_off);
}

/* The witness timeline of outcome k of c in view v: the recorded text
 * in the default view, else drawn again (malloc'd, *own set). */
static const char *out_trace(const Combo *c, int k, const RepView *v, char **own)
{
	*own = NULL;
	if (!v || out_view_default(v))
		return c->traces[k];
	RepDraw d = { 0, -1, 0, *v };
	*own = out_witness(c->P, c->model, c->R.out[k].witness, c->R.out[k].wlen, &d, 0, NULL);
	return *own ? *own : c->traces[k];
}

/* --states: every distinct end state, its outcomes, a shortest
 * schedule to it and the state itself. */
static void out_end_states(FILE *out, const Combo *c)
{
	const ExploreResult *R = &c->R;
	if (!R->ends)
		return;
	fprintf(out, "   end states: %" PRIu64 "%s\n", R->nends,
	        R->stop == EX_PREEMPT ? " within the bound" : R->stop != EX_DONE ? " so far" : "");
	for (uint64_t k = 0; k < R->nends; k++) {
		const EndStateInfo *e = &R->ends[k];
		char names[512], *s = out_sched(e->path, e->len), *st = out_end_state(c->P, c->model, e);
		rep_outcome_list(c->P, e->outcomes, names, sizeof names);
		fprintf(out, "   #%" PRIu64 " outcomes: %s; schedule: %s\n", k + 1, *names ? names : "none", s);
		for (const char *p = st ? st : ""; *p; ) {
			size_t n = strcspn(p, "\n");
			fprintf(out, "      %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
		free(s);
		free(st);
	}
}

void out_combo(FILE *out, const Combo *c, int brief, const RepView *v, int color)
{
	const Program *P = c->P;
	const ExploreResult *R = &c->R;
	char *path = ytext_escape(P->files[0].path);   /* from the command line or a database */
	char on[OUT_SGR_MAX], off[OUT_SGR_MAX];
	out_sgr(color, "0", off, sizeof off);
	fprintf(out, "%s== %s  variant %s  model %s  (%s)%s\n", out_sgr(color, OUT_BOLD, on, sizeof on), P->name,
	        P->variant ? P->variant : "-", c->model, path, color ? off : "");
	free(path);
	if (R->stop == EX_RANDOM) {
		char pct[32] = "";
		if (R->random_pct)
			snprintf(pct, sizeof pct, " --pct %d", R->random_pct);
		fprintf(out, "   %sRANDOM%s: %" PRIu64 " schedules (--random %" PRIu64 "%s --seed %" PRIu64 "), %" PRIu64
		        " ended in %" PRIu64 " distinct end states, %" PRIu64 " did not end within %d choices, "
		        "longest %d\n   not exhaustive: the outcomes below were reached; the others are not known\n",
		        out_sgr(color, OUT_YELLOW, on, sizeof on), color ? off : "", R->random_runs, R->random_runs, pct,
		        R->random_seed, R->schedules, R->end_states, R->random_unended, EX_DEPTH_LIMIT, R->max_depth);
	} else if (R->stop == EX_PREEMPT) {
		fprintf(out, "   %sPREEMPTION-BOUNDED%s: the schedules with at most %d preemption%s (--preemptions %d): "
		        "%" PRIu64 " states, %" PRIu64 " transitions, ", out_sgr(color, OUT_YELLOW, on, sizeof on), color ? off : "",
		        R->preemptions, R->preemptions == 1 ? "" : "s", R->preemptions, R->states, R->transitions);
		out_schedules(out, R);
		fprintf(out, ", %" PRIu64 " end states, longest witness path %d\n   not exhaustive: the outcomes below were "
		        "reached within the bound; the others are not known\n", R->end_states, R->max_depth);
	} else if (R->stop != EX_DONE) {
		char within[64] = "";
		if (R->preemptions >= 0)
			snprintf(within, sizeof within, " of the schedules within --preemptions %d", R->preemptions);
		fprintf(out, "   %sINCOMPLETE%s: %s stopped the search%s at %" PRIu64 " states (%" PRIu64 " transitions, "
		        "%" PRIu64 " end states, depth %d)\n   the outcomes below were reached, each with a shortest "
		        "witness; the others are not known; schedules are not counted\n",
		        out_sgr(color, OUT_YELLOW, on, sizeof on), color ? off : "", explore_stop_option(R->stop), within,
		        R->states, R->transitions, R->end_states, R->max_depth);
	} else {
		fprintf(out, "   %" PRIu64 " states, %" PRIu64 " transitions, ", R->states, R->transitions);
		out_schedules(out, R);
		fprintf(out, ", %" PRIu64 " end states, longest witness path %d\n", R->end_states, R->max_depth);
	}
	out_symmetry(out, R);
	if (!R->reach)
		fprintf(out, "   outcomes: %snone%s%s\n", out_sgr(color && R->stop == EX_DONE, OUT_GREEN, on, sizeof on),
		        color && R->stop == EX_DONE ? off : "", R->stop != EX_DONE ? " found so far" : "");
	for (int k = 0; k < P->noutcomes; k++)
		if (R->out[k].witness)
			out_outcome_line(out, c, k, color);
	out_end_states(out, c);
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
		out_replay_cmd(out, c, k);
		char *own;
		fprintf(out, "\n\n%s", out_trace(c, k, v, &own));
		free(own);
	}
	fprintf(out, "\n");
}

int out_html(const char *cmd, const char *path, const HtmlDoc *d)
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

int out_batch_html(const char *cmd, const char *path, const Batch *b, const char *source)
{
	HtmlRun *runs = calloc((size_t)b->n + 1, sizeof *runs);
	if (!runs)
		abort();
	for (int i = 0; i < b->n; i++) {
		html_run_explored(&runs[i], b->c[i].P, b->c[i].model, &b->c[i].R);
		runs[i].version = TLBSIM_VERSION;
	}
	HtmlDoc d = { source, TLBSIM_VERSION, runs, b->n };
	int rc = out_html(cmd, path, &d);
	free(runs);
	return rc;
}

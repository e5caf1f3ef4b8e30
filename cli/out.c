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
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

char *out_witness(const Program *P, const char *model, const Choice *ch, int n, int show_time,
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
 * schedules that end while others never do (livelock), or unbounded. */
static void out_schedules(FILE *out, const ExploreResult *R)
{
	char buf[32];
	if (R->schedules_unbounded)
		fprintf(out, "unboundedly many schedules (a CPU can go round a cycle any number of times and still end)");
	else if (R->schedules_cyclic)
		fprintf(out, "%s schedules that end (the others never do: livelock)", out_count(R->schedules, buf, sizeof buf));
	else
		fprintf(out, "%s schedules", out_count(R->schedules, buf, sizeof buf));
}

/* One outcome's line: how many schedules end in it, out of how many, and
 * its witness.  Livelock counts states instead: no schedule ends in it. */
static void out_outcome_line(FILE *out, const Combo *c, int k)
{
	const ExploreResult *R = &c->R;
	const OutcomeStat *os = &R->out[k];
	char *s = out_sched(os->witness, os->wlen), n1[32], n2[48];
	fprintf(out, "   %-22s %s", c->P->outcomes[k].name, judge_observed(R->reach, R->always, k));
	if (k == OUT_LIVELOCK)
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

void out_combo(FILE *out, const Combo *c, int brief)
{
	const Program *P = c->P;
	const ExploreResult *R = &c->R;
	char *path = ytext_escape(P->files[0].path);   /* from the command line or a database */
	fprintf(out, "== %s  variant %s  model %s  (%s)\n", P->name, P->variant ? P->variant : "-", c->model, path);
	free(path);
	fprintf(out, "   %" PRIu64 " states, %" PRIu64 " transitions, ", R->states, R->transitions);
	out_schedules(out, R);
	fprintf(out, ", %" PRIu64 " end states, longest witness path %d\n", R->end_states, R->max_depth);
	out_symmetry(out, R);
	if (!R->reach)
		fprintf(out, "   outcomes: none\n");
	for (int k = 0; k < P->noutcomes; k++)
		if (R->out[k].witness)
			out_outcome_line(out, c, k);
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
		fprintf(out, "\n\n%s", c->traces[k]);
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

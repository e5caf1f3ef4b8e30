/* reports/judge.c: the judge (LKMM's judgelitmus.sh, in C). */
#include "reports/judge.h"
#include <inttypes.h>
#include <string.h>

static const char *qname[] = { "never", "sometimes", "always" };

enum { J_FAIL, J_OK, J_UNKNOWN };

const char *judge_observed(const ExploreResult *R, int o)
{
	if (!(R->reach >> o & 1))
		return R->stop == EX_DONE ? "never" : "unknown";
	return R->stop == EX_DONE && R->always >> o & 1 ? "always" : "sometimes";
}

/* Whether e holds of R: J_OK, J_FAIL, or J_UNKNOWN (R's search was
 * stopped by a bound before its end states could decide; see judge()). */
static int holds(const Expect *e, const ExploreResult *R)
{
	int r = R->reach >> e->outcome & 1, a = R->always >> e->outcome & 1;
	if (R->stop == EX_DONE)
		return (e->quant == Q_NEVER ? !r : e->quant == Q_ALWAYS ? a : r) ? J_OK : J_FAIL;
	if (e->outcome == OUT_LIVELOCK)      /* not looked for */
		return J_UNKNOWN;
	if (e->quant == Q_NEVER)
		return r ? J_FAIL : J_UNKNOWN;
	if (e->quant == Q_ALWAYS)
		return R->end_states && !a ? J_FAIL : J_UNKNOWN;
	return r ? J_OK : J_UNKNOWN;
}

static int applies(const Expect *e, const Program *P, const char *model)
{
	if (e->model && strcmp(e->model, model))
		return 0;
	return !e->variant || (P->variant && !strcmp(e->variant, P->variant));
}

/* Judges expectation e: one ok/FAIL/incomplete line; returns 1 if it failed. */
static int judge_one(FILE *out, const Program *P, const char *model, const Expect *e, const ExploreResult *R,
                     JudgeCount *n)
{
	static const char *const word[] = { "FAIL", "ok  ", "incomplete" };
	int v = holds(e, R);
	fprintf(out, "%s %s %s %s: %s %s", word[v], P->name, P->variant ? P->variant : "-",
	        model, P->outcomes[e->outcome].name, qname[e->quant]);
	if (v == J_FAIL && R->stop != EX_DONE)
		fprintf(out, ", observed %s in the %" PRIu64 " end states %s (%s:%u)",
		        R->reach >> e->outcome & 1 ? "sometimes" : "never", R->end_states,
		        R->stop == EX_RANDOM ? "of a random search" : "found before the search stopped",
		        P->files[e->file].path, e->line);
	else if (v == J_FAIL)
		fprintf(out, ", observed %s (%s:%u)", judge_observed(R, e->outcome), P->files[e->file].path, e->line);
	else if (v == J_UNKNOWN && R->stop == EX_RANDOM)
		fprintf(out, ": not known, a random search of %" PRIu64 " schedules is not exhaustive (%s:%u)",
		        R->random_runs, P->files[e->file].path, e->line);
	else if (v == J_UNKNOWN)
		fprintf(out, ": not known, the search stopped at %" PRIu64 " states (%s) (%s:%u)", R->states,
		        explore_stop_option(R->stop), P->files[e->file].path, e->line);
	fprintf(out, "\n");
	if (v == J_OK)
		n->passed++;
	else if (v == J_FAIL)
		n->failed++;
	else
		n->unknown++;
	return v == J_FAIL;
}

int judge_no_end_state(FILE *out, const Program *P, const char *model, const ExploreResult *R, JudgeCount *nc)
{
	int n = 0;
	for (int i = 0; i < P->nexpects; i++) {
		const Expect *e = &P->expects[i];
		if (!applies(e, P, model) || e->outcome == EXPECT_OTHERS)
			continue;
		if (e->outcome == OUT_LIVELOCK)
			judge_one(out, P, model, e, R, nc);
		else
			n++;
	}
	if (!n)
		return 0;
	fprintf(out, "FAIL %s %s %s: no end state (every schedule runs forever: livelock): %d expectation%s "
	        "of end states cannot be judged\n", P->name, P->variant ? P->variant : "-", model, n, n == 1 ? "" : "s");
	nc->failed++;
	return 1;
}

int judge(FILE *out, const Program *P, const char *model, const ExploreResult *R, JudgeCount *n)
{
	int bad = 0;
	for (int i = 0; i < P->nexpects; i++)
		if (applies(&P->expects[i], P, model) && P->expects[i].outcome != EXPECT_OTHERS)
			bad += judge_one(out, P, model, &P->expects[i], R, n);
	return bad;
}

uint32_t judge_unexpected(const Program *P, const char *model, uint32_t reach)
{
	uint32_t named = 0;
	for (int i = 0; i < P->nexpects; i++) {
		const Expect *e = &P->expects[i];
		if (!applies(e, P, model))
			continue;
		if (e->outcome == EXPECT_OTHERS && e->quant != Q_NEVER)
			return 0;
		if (e->outcome != EXPECT_OTHERS)
			named |= 1u << e->outcome;
	}
	return reach & ~named;
}

/* reports/witness.c: replaying a schedule with tracing, and the outcome
 * masks along it.  Costs one extra replay and one outcome evaluation per
 * choice, only when marks are asked for (witnesses are tens of choices). */
#include "reports/witness.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills W->holds by replaying W's choices on a fresh, untraced Sim.  An
 * outcome check that fails in a state that is not an end state counts as
 * "does not hold" there. */
static int eval_holds(Witness *W, const Program *P, const char *model, char *err, size_t errlen)
{
	Sim S;
	int rc = 0;
	uint8_t *w = malloc(W->S.L.size);
	W->holds = calloc((size_t)W->r.n + 1, sizeof *W->holds);
	if (!w || !W->holds)
		abort();
	if (sim_init(&S, P, model, err, errlen) < 0) {
		free(w);
		return -1;
	}
	rc = sim_start(&S, w);
	for (int j = 0; rc == 0 && j <= W->r.n; j++) {
		if (j > 0)
			rc = sim_apply(&S, w, W->r.choices[j - 1]);
		W->holds[j] = rc < 0 ? 0 : sim_outcomes(&S, w);
		S.failed = 0;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s", S.err);
	sim_free(&S);
	free(w);
	return rc < 0 ? -1 : 0;
}

int wit_replay(Witness *W, const Program *P, const char *model, const Choice *ch, int n,
               uint64_t seed, int marks, char *err, size_t errlen)
{
	RunOpts ro = { seed, ch, n, 0 };
	memset(W, 0, sizeof *W);
	if (sim_init(&W->S, P, model, err, errlen) < 0)
		return -1;
	W->sim = 1;
	W->S.trace = &W->t;
	if (sim_run(&W->S, &ro, &W->r) < 0) {
		snprintf(err, errlen, "%s", W->S.err);
		return -1;
	}
	return marks ? eval_holds(W, P, model, err, errlen) : 0;
}

int wit_mark(const Witness *W, int o)
{
	int j = W->r.n;
	if (!W->holds || !(W->r.outcomes >> o & 1))
		return -1;
	if (o == OUT_DEADLOCK)
		return j;
	while (j > 0 && W->holds[j - 1] >> o & 1)
		j--;
	return j;
}

void wit_free(Witness *W)
{
	trace_free(&W->t);
	run_free(&W->r);
	if (W->sim)
		sim_free(&W->S);
	free(W->holds);
	memset(W, 0, sizeof *W);
}

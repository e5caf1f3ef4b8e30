/* reports/witness.h: a schedule replayed with tracing, for the drawings
 * of a witness (the text timeline, the SVG of reports/html.c): its trace,
 * its end state and, on request, where each outcome becomes true. */
#ifndef TLBSIM_WITNESS_H
#define TLBSIM_WITNESS_H
#include <stddef.h>
#include "sim/run.h"

/* A replayed schedule.  Invariant: holds, when not NULL, has r.n + 1
 * masks: holds[0] the outcomes of the start state, holds[j] those of the
 * state after choice j (trace events of choice j carry choice == j). */
typedef struct Witness {
	Sim S;                 /* the replay's simulator; S.trace == &t */
	Trace t;
	RunResult r;           /* the choices taken, the end state, outcomes */
	uint32_t *holds;       /* NULL unless marks were asked for */
	int sim;               /* S is initialised (wit_free frees it) */
} Witness;

/* Runs P under model following ch[0..n) first (seed as for sim_run),
 * tracing every event; with marks, also evaluates the outcomes after
 * every choice (a second, untraced replay).  Returns 0, or -1 with the
 * scenario error in err.  Free W with wit_free either way. */
int wit_replay(Witness *W, const Program *P, const char *model, const Choice *ch, int n,
               uint64_t seed, int marks, char *err, size_t errlen);
/* Where outcome o becomes true: the choice j from which it holds in every
 * later state to the end (0: from the start; r.n for a deadlock, which is
 * true only when no CPU can move).  -1 if it does not hold at the end or
 * marks were not asked for. */
int wit_mark(const Witness *W, int o);
void wit_free(Witness *W);

#endif

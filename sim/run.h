/* sim/run.h: one timed run.  Discrete events ordered by simulated time:
 * every CPU has the time it is ready for its next step, every pending IPI
 * the time it arrives; the earliest enabled event runs next and costs its
 * latency from the scenario's cost model.  --seed N (N > 0) jitters each
 * latency by +-jitter_pct and breaks ties at random; seed 0 means no
 * jitter and ties go to the lowest choice.  The PRNG is splitmix64, seeded
 * explicitly: the same inputs give the same run on every build.
 * Livelock: a run that comes back to a world it was in, from which no
 * end state can be reached, stops there (docs/outcomes.md#livelock). */
#ifndef TLBSIM_RUN_H
#define TLBSIM_RUN_H
#include <stdint.h>
#include "sim/exec.h"

typedef struct RunOpts {
	uint64_t seed;
	const Choice *schedule;  /* follow these choices first (NULL: none) */
	int nschedule;
	uint64_t max_events;     /* a bound on events (0: 1000000) */
} RunOpts;

typedef struct RunResult {
	uint32_t outcomes;       /* at the end state (livelock: only OUT_LIVELOCK) */
	int cycle_at;            /* livelock: choices [cycle_at, n) bring the world
	                            back to where it was after cycle_at choices */
	uint64_t time;           /* simulated cycles at the end */
	Choice *choices; int n;  /* what was scheduled (malloc'd) */
	char waits[512];         /* deadlock: who waits for what */
	uint8_t *final;          /* the end state, or the state the livelock's
	                            cycle returns to (malloc'd, S->L.size bytes) */
} RunResult;

/* Runs S's program to its end.  With S->trace set, events are recorded.
 * It stops early in a livelock: when the world is one it was in after
 * choice k, no end state can be reached from it, and either the
 * schedule given has just ended (it was a lasso) or, in timed order,
 * every choice enabled all along since k has been taken since k (no CPU
 * was merely starved).  Returns 0, or -1 with S->err (a scenario error, a
 * schedule that asks for a choice that is not enabled, or the event
 * bound). */
int sim_run(Sim *S, const RunOpts *o, RunResult *r);
void run_free(RunResult *r);
/* The splitmix64 PRNG: the next number of the sequence of state *s. */
uint64_t splitmix64(uint64_t *s);

#endif

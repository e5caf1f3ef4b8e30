/* sim/livelock.h: private to sim/: the livelock analysis of the state
 * graph explore() builds (docs/outcomes.md#livelock).  Pure graph code:
 * it sees state indices and edges, never worlds, so its answers depend
 * only on the BFS numbering (deterministic), never on pointers or hash
 * order. */
#ifndef TLBSIM_LIVELOCK_H
#define TLBSIM_LIVELOCK_H
#include <stdint.h>

/* The graph of n states: the edges of state i are
 * edge[estart[i] .. estart[i+1]), in sim_enabled order (estart has n + 1
 * entries); ends[0..nends) are the end states (no edge). */
typedef struct LvGraph {
	uint64_t n;
	const uint64_t *estart;
	const uint32_t *edge;
	const uint64_t *ends; uint64_t nends;
} LvGraph;

typedef struct LvResult {
	uint64_t stuck;          /* states from which no end state is reachable */
	int root_stuck;          /* the initial state (0) is one of them */
	uint64_t cycle_state;    /* the state the lasso's cycle starts and ends in */
	uint64_t *cycle;         /* its edges (indices into edge[]), in order (malloc'd) */
	int ncycle;
} LvResult;

/* Finds the states of g from which no end state is reachable.  If there
 * are any, picks the lasso: the lowest-numbered state (so one of the
 * nearest to the initial state, by BFS) in a bottom strongly connected
 * component of them (a set of states no schedule leaves), and a shortest
 * cycle from it back to it.  Returns 1 with r filled if there is a
 * livelock, 0 if every state reaches an end state (r->stuck = 0).
 * Costs O(states + edges) time, and memory freed before it returns
 * (except r->cycle): 4 bytes per edge and 21 per state for the reversed
 * edges and the search, then 4 per state and about 45 per stuck state. */
int lv_find(const LvGraph *g, LvResult *r);
void lv_free(LvResult *r);

#endif

/* sim/explore.h: exhaustive exploration of every interleaving of steps and
 * IPI deliveries, breadth first, merging states already visited.
 * Costs: one 128-bit hash (XXH3) per state in the visited set (hash
 * compaction: two distinct states are merged only if their 128-bit hashes
 * collide, odds below 1e-20 at a billion states), the frontier's blobs,
 * and one 32-bit edge per transition, kept to count schedules exactly and
 * to find livelocks (sim/livelock.h) once the search is done. */
#ifndef TLBSIM_EXPLORE_H
#define TLBSIM_EXPLORE_H
#include <stdint.h>
#include "sim/exec.h"

typedef struct ExploreProgress {
	uint64_t states, transitions, end_states;
	uint64_t expanded;       /* states expanded (the rest are the frontier) */
	uint64_t bytes;          /* what the search's tables reserve (--max-memory's count) */
	int depth;               /* the BFS depth being expanded */
	double seconds;          /* since the search started */
} ExploreProgress;

typedef struct ExploreOpts {
	uint64_t max_states;     /* stop (incomplete) beyond this many states */
	uint64_t max_bytes;      /* stop (incomplete) when the search's tables
	                            reserve more than this (0: no bound) */
	const uint8_t *start;    /* explore from this world (NULL: sim_start's) */
	int until_end;           /* stop at the first end state: only
	                            R->states and R->end_states (0 or 1) are
	                            then meaningful (sim_run's livelock test) */
	int symmetry;            /* key the visited set by CPU symmetry's
	                            canonical form (sim/symmetry.h) */
	/* Called about once a second of wall time while the search runs (never
	 * for one that ends sooner), with how far it got.  The search does not
	 * depend on it: its results are the same with or without, at any pace. */
	void (*progress)(void *arg, const ExploreProgress *p);
	void *progress_arg;
	int keep_ends;           /* fill R->ends (--states) */
	/* Preemption bounding (CHESS, Musuvathi and Qadeer 2007): with
	 * bound_preemptions, only the schedules with at most `preemptions`
	 * preemptions (a choice of another CPU while the CPU that made the
	 * last choice still has one enabled; an IPI-taking choice is its
	 * CPU's; the first choice, and a switch away from a CPU that is
	 * blocked or done, are free).  The search is then exhaustive over
	 * those schedules and R->stop = EX_PREEMPT (see explore.c).  With
	 * symmetry too: the tag's CPU is renamed with the world's. */
	int bound_preemptions;
	int preemptions;
} ExploreOpts;

/* A distinct end state: its outcomes and a shortest schedule to it. */
typedef struct EndStateInfo {
	uint32_t outcomes;
	Choice *path;            /* malloc'd */
	int len;
} EndStateInfo;

typedef struct OutcomeStat {
	uint64_t schedules;      /* complete schedules ending with it (saturating;
	                            unbounded: only those before no cycle) */
	int unbounded;           /* unboundedly many: a cycle leads to one of its
	                            end states */
	uint64_t end_states;     /* distinct end states with it */
	Choice *witness;         /* a shortest schedule reaching it (malloc'd) */
	int wlen;
	int cycle;               /* livelock: the last `cycle` choices of the
	                            witness return to the state before them */
} OutcomeStat;

/* Why a search ended: it finished, or a bound stopped it (incomplete):
 * --max-states, --max-memory, or a state EX_DEPTH_LIMIT choices deep (the
 * state graph keeps depths in 16 bits; past that a witness could not be
 * rebuilt). */
typedef enum ExploreStop { EX_DONE, EX_MAX_STATES, EX_MAX_MEMORY, EX_MAX_DEPTH,
	EX_RANDOM,               /* not a bound: a random search (explore_random) */
	EX_PREEMPT               /* not a bound: every schedule with at most
	                            ExploreOpts.preemptions preemptions was
	                            explored, and only those */
} ExploreStop;
#define EX_DEPTH_LIMIT 65535

typedef struct ExploreResult {
	uint64_t states, transitions, end_states, schedules;
	int schedules_cyclic;    /* the state graph has a cycle */
	int schedules_unbounded; /* a cycle leads to an end state: unboundedly
	                            many complete schedules (schedules counts
	                            those to the other end states) */
	int schedules_saturated; /* more than 2^64-1 */
	uint64_t stuck_states;   /* states from which no end state is reachable
	                            (livelock when nonzero) */
	int max_depth;
	double seconds;
	uint32_t reach;          /* outcomes in some end state */
	uint32_t always;         /* outcomes in every end state */
	/* A search a bound stopped (stop != EX_DONE) holds what it found:
	 * states, transitions and end states so far; reach, each witness
	 * (shortest: BFS expands by depth) and each outcome's end_states
	 * (a lower bound) of the end states met; always over those end states
	 * only (an outcome missing from one is not always; one in all of them
	 * may still not be); max_depth the depth reached.  Schedules are not
	 * counted (0) and livelock is not looked for. */
	ExploreStop stop;
	/* With ExploreOpts.keep_ends: every end state found (nends of them,
	 * under symmetry one per orbit), in BFS order; else NULL. */
	EndStateInfo *ends;
	uint64_t nends;
	/* A random search (stop == EX_RANDOM, sim/random.h): runs sampled
	 * (schedules counts those that ended), its seed, and the runs that did
	 * not end within EX_DEPTH_LIMIT choices. */
	uint64_t random_runs, random_seed, random_unended;
	int random_pct;          /* its PCT depth, 0: uniform */
	/* A preemption-bounded search (stop == EX_PREEMPT): its bound.  Every
	 * count but schedules is over the bounded graph's states (a world with
	 * the CPU that ran last and the preemptions used, end states merged
	 * whatever those); schedules, per outcome too, count exactly the
	 * complete schedules within the bound (unbounded when a cycle leads
	 * to an end state); reach, always (over the end states found) and the
	 * witnesses (shortest within the bound) are those of an exhaustive
	 * search of them.  Livelock is not looked for: a cycle the bound
	 * leaves a CPU spinning in need not be one of the full search.
	 * explore() sets it whatever stops it: -1 when there was no bound. */
	int preemptions;
	OutcomeStat out[MAX_OUTCOMES];
	/* CPU symmetry (ExploreOpts.symmetry): with nsym > 0 the search was
	 * reduced, one state per orbit, and states, transitions, end states,
	 * schedules and stuck states count the reduced graph; reach and
	 * always are the full search's, and each witness is a concrete
	 * schedule, as short as the full search's (a livelock's lasso may
	 * go round its cycle a few times first: see explore.c). */
	int nsym;                /* classes of interchangeable CPUs used */
	uint64_t sym[MAX_CPUS / 2];  /* each a CPU bitmask */
	const char *sym_off;     /* asked for, but off: why (static text) */
} ExploreResult;

/* Explores every schedule of S's program from its initial state.
 * Returns 0 (complete), 1 when a bound stopped it (R->stop says which,
 * S->err says so in a line, and R holds the partial results above), or
 * -1 with S->err set (a scenario error). */
int explore(Sim *S, const ExploreOpts *o, ExploreResult *R);
void explore_free(ExploreResult *R);
/* The option whose bound stopped a search ("--max-states", "--max-memory";
 * "max-depth", which no option sets), or that made it partial
 * ("--random", "--preemptions"), "" if none. */
const char *explore_stop_option(ExploreStop stop);

#endif

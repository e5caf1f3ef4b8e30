/* sim/random.h: random search, for machines too big to enumerate
 * (explore --random N).  Each of N schedules starts from the initial
 * world and takes, until no choice is enabled, one of the enabled choices
 * (steps and IPI deliveries alike) uniformly at random, from splitmix64
 * seeded with seed + i for schedule i: the same seed gives the same
 * schedules on every build.  Not exhaustive: it fills an ExploreResult
 * with stop = EX_RANDOM, which every report reads as a partial search
 * (outcomes found are "sometimes", the others not known). */
#ifndef TLBSIM_RANDOM_H
#define TLBSIM_RANDOM_H
#include <stdint.h>
#include "sim/explore.h"

typedef struct RandomOpts {
	uint64_t runs;           /* schedules to sample (at least 1) */
	uint64_t seed;
	int pct;                 /* 0: uniform choices; D >= 1: PCT of depth D
	                            (Burckhardt et al., ASPLOS 2010): each schedule
	                            gives the CPUs random distinct priorities D..,
	                            runs the enabled CPU of highest priority, and at
	                            D-1 random points (among the first K choices, K
	                            the longest schedule so far) drops the running
	                            CPU's priority to 1..D-1.  A CPU's IPI-taking
	                            choice is that CPU's */
} RandomOpts;

/* Samples o->runs schedules of S's program.  R (zeroed first): stop =
 * EX_RANDOM; random_runs, random_seed; schedules: the runs that reached
 * an end state, random_unended the others (EX_DEPTH_LIMIT choices without
 * ending); end_states: the distinct end states reached (by world hash);
 * reach and always over those; per outcome, schedules = the runs ending
 * in it, end_states = its distinct end states, witness = the shortest
 * run ending in it (the first such); transitions: the choices taken in
 * all; max_depth: the longest run; states 0 (not counted).  Returns 0,
 * or -1 with S->err set (a scenario error). */
int explore_random(Sim *S, const RandomOpts *o, ExploreResult *R);

#endif

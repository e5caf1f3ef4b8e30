/* sim/random.c: random search (see random.h).  End states are told apart
 * by the XXH3-128 of their world, kept in an open-addressing set. */
#include "sim/random.h"
#include "sim/run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* The distinct end states met: their hashes (zero: an empty slot). */
typedef struct EndSet { XXH128_hash_t *h; uint64_t n, cap; } EndSet;

/* Out of memory: said plainly, exit 2 (as explore's). */
static _Noreturn void oom(void)
{
	fprintf(stderr, "tlbsim: out of memory in a random search\n");
	exit(2);
}

/* 1 if h was not in the set (and is now). */
static int endset_add(EndSet *e, XXH128_hash_t h)
{
	if ((e->n + 1) * 2 > e->cap) {
		EndSet g = { calloc(e->cap ? 2 * e->cap : 64, sizeof *g.h), 0, e->cap ? 2 * e->cap : 64 };
		if (!g.h)
			oom();
		for (uint64_t i = 0; i < e->cap; i++)
			if (e->h[i].low64 | e->h[i].high64)
				endset_add(&g, e->h[i]);
		free(e->h);
		*e = g;
	}
	if (!(h.low64 | h.high64))
		h.low64 = 1;                 /* zero marks an empty slot */
	uint64_t k = h.low64 & (e->cap - 1);
	for (; e->h[k].low64 | e->h[k].high64; k = (k + 1) & (e->cap - 1))
		if (XXH128_isEqual(e->h[k], h))
			return 0;
	e->h[k] = h;
	e->n++;
	return 1;
}

/* Records the end of one run: its world w (outcome mask m), path ch[0..n). */
static void end_run(ExploreResult *R, EndSet *e, const uint8_t *w, size_t size, uint32_t m,
                    const Choice *ch, int n)
{
	int fresh = endset_add(e, XXH3_128bits(w, size));
	R->schedules++;
	if (fresh) {
		R->always = R->end_states ? (R->always & m) : m;
		R->end_states++;
	}
	R->reach |= m;
	for (int o = 0; o < MAX_OUTCOMES; o++) {
		OutcomeStat *os = &R->out[o];
		if (!(m >> o & 1))
			continue;
		os->schedules++;
		os->end_states += (uint64_t)fresh;
		if (os->witness && os->wlen <= n)
			continue;
		free(os->witness);
		if (!(os->witness = malloc(sizeof *ch * (size_t)(n + 1))))
			oom();
		memcpy(os->witness, ch, sizeof *ch * (size_t)n);
		os->wlen = n;
	}
}

/* How one schedule picks its choices: uniformly, or by PCT priorities. */
typedef struct Picker {
	uint64_t rng;
	int pct;                     /* PCT depth, 0: uniform */
	int prio[MAX_CPUS];          /* PCT: each CPU's priority, higher first */
	int change[16];              /* PCT: the choice numbers where the running
	                                CPU's priority drops (pct - 1 of them) */
} Picker;

/* A new schedule's picker: PCT priorities pct .. pct + ncpu - 1 in random
 * order, and pct - 1 change points in [1, k]. */
static void picker_init(Picker *p, uint64_t seed, int pct, int ncpu, int k)
{
	p->rng = seed;
	p->pct = pct;
	for (int c = 0; c < ncpu; c++)
		p->prio[c] = pct + c;
	for (int c = ncpu - 1; pct && c > 0; c--) {   /* Fisher-Yates */
		int j = (int)(splitmix64(&p->rng) % (uint64_t)(c + 1)), t = p->prio[c];
		p->prio[c] = p->prio[j];
		p->prio[j] = t;
	}
	for (int i = 0; i + 1 < pct; i++)
		p->change[i] = 1 + (int)(splitmix64(&p->rng) % (uint64_t)(k > 0 ? k : 1));
}

/* The choice to take among ch[0..n), the n-th choice of the schedule
 * being number `step` (1-based). */
static Choice pick(Picker *p, const Choice *ch, int n, int step)
{
	if (!p->pct)
		return ch[splitmix64(&p->rng) % (uint64_t)n];
	int best = 0;
	for (int i = 1; i < n; i++)
		if (p->prio[CH_CPU(ch[i])] > p->prio[CH_CPU(ch[best])])
			best = i;
	Choice c = ch[best];
	for (int i = 0; i + 1 < p->pct; i++)
		if (p->change[i] == step)
			p->prio[CH_CPU(c)] = i + 1;
	return c;
}

/* One schedule from the initial world, into w and path; its length in
 * *n, or -1 on a scenario error.  Returns 1 if it ended. */
static int one_run(Sim *S, Picker *p, uint8_t *w, Choice *path, int *n)
{
	Choice ch[MAX_CHOICES];
	*n = 0;
	if (sim_start(S, w) < 0)
		return -1;
	for (;;) {
		int k = sim_enabled(S, w, ch);
		if (k == 0)
			return 1;
		if (*n >= EX_DEPTH_LIMIT)
			return 0;
		Choice c = pick(p, ch, k, *n + 1);
		if (sim_apply(S, w, c) < 0)
			return -1;
		path[(*n)++] = c;
	}
}

int explore_random(Sim *S, const RandomOpts *o, ExploreResult *R)
{
	struct timespec t0, t1;
	uint8_t *w = malloc(S->L.size);
	Choice *path = malloc(sizeof *path * (EX_DEPTH_LIMIT + 1));
	EndSet e = { 0 };
	int rc = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(R, 0, sizeof *R);
	if (!w || !path)
		oom();
	S->trace = NULL;
	R->stop = EX_RANDOM;
	R->random_runs = o->runs;
	R->random_seed = o->seed;
	R->random_pct = o->pct;
	for (uint64_t i = 0; i < o->runs && rc == 0; i++) {
		Picker p;
		int n;
		picker_init(&p, o->seed + i, o->pct, S->P->ncpu, R->max_depth ? R->max_depth : 2 * S->P->nsteps);
		int ended = one_run(S, &p, w, path, &n);
		if (ended < 0) {
			rc = -1;
			break;
		}
		R->transitions += (uint64_t)n;
		if (n > R->max_depth)
			R->max_depth = n;
		if (!ended) {
			R->random_unended++;
			continue;
		}
		uint32_t m = sim_outcomes(S, w);
		if (S->failed)
			rc = -1;
		else
			end_run(R, &e, w, S->L.size, m, path, n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	R->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(e.h);
	free(w);
	free(path);
	return rc;
}

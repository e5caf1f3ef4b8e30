/* sim/run.c: timed runs and schedule replays (see run.h).  The ready
 * times live here, outside the world blob: time is not machine state. */
#include "sim/run.h"
#include "sim/explore.h"
#include "sim/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct Clock {
	uint64_t now, rng;
	uint64_t ready[MAX_CPUS], ipi_at[MAX_CPUS];
	uint8_t blocked[MAX_CPUS];
} Clock;

uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t jitter(Clock *k, const Sim *S, uint64_t seed, uint64_t lat)
{
	uint32_t j = S->P->cost.jitter_pct;
	if (!seed || !j || !lat)
		return lat;
	uint64_t pct = 100 - j + splitmix64(&k->rng) % (2 * j + 1);
	uint64_t v = lat * pct / 100;
	return v ? v : 1;
}

/* When choice ch can happen, given what is enabled now. */
static uint64_t when(const Clock *k, const Sim *S, Choice ch)
{
	int c = CH_CPU(ch);
	uint64_t t = CH_IS_IPI(ch) ? k->ipi_at[c] : k->ready[c];
	if (!CH_IS_IPI(ch) && k->blocked[c])
		t = k->now + S->P->cost.lock_handoff > t ? k->now + S->P->cost.lock_handoff : t;
	return t > k->now ? t : k->now;
}

/* The earliest enabled choice; ties by seeded lot (seed 0: the first). */
static Choice pick(Clock *k, const Sim *S, uint64_t seed, const Choice *ch, int n)
{
	uint64_t best = UINT64_MAX;
	int nbest = 0, idx[MAX_CHOICES];
	for (int i = 0; i < n; i++) {
		uint64_t t = when(k, S, ch[i]);
		if (t < best)
			best = t, nbest = 0;
		if (t == best)
			idx[nbest++] = i;
	}
	return ch[seed && nbest > 1 ? idx[splitmix64(&k->rng) % (uint64_t)nbest] : idx[0]];
}

/* A running CPU with no enabled step waits (a lock, a page lock, acks);
 * when it gets going again it pays the lock hand-off latency once. */
static void note_blocked(Clock *k, Sim *S, uint8_t *w, const Choice *ch, int n)
{
	uint8_t enabled[MAX_CPUS] = { 0 };
	for (int i = 0; i < n; i++)
		if (!CH_IS_IPI(ch[i]))
			enabled[CH_CPU(ch[i])] = 1;
	for (int c = 0; c < S->L.ncpu; c++)
		if (w_cpu(&S->L, w, c)->status == CPU_RUN && !enabled[c])
			k->blocked[c] = 1;
}

static int apply(Sim *S, Clock *k, uint8_t *w, Choice ch, uint64_t seed)
{
	uint64_t before[MAX_CPUS];
	int c = CH_CPU(ch);
	for (int t = 0; t < S->L.ncpu; t++)
		before[t] = w_cpu(&S->L, w, t)->ipi_from;
	S->now = k->now;
	if (sim_apply(S, w, ch) < 0)
		return -1;
	uint64_t done = k->now + jitter(k, S, seed, S->lat);
	k->ready[c] = CH_IS_IPI(ch) && k->ready[c] > done ? k->ready[c] : done;
	if (!CH_IS_IPI(ch))
		k->blocked[c] = 0;
	for (int t = 0; t < S->L.ncpu; t++)
		if (!before[t] && w_cpu(&S->L, w, t)->ipi_from)
			k->ipi_at[t] = k->now + jitter(k, S, seed, S->P->cost.ipi_delivery);
	return 0;
}

/* ---- livelock (run.h) ---- */

/* Every world of the run by its XXH3-128 hash (as explore's visited set),
 * with the number of choices made when it was first seen: 24 bytes per
 * distinct world, in open addressing.  A world seen again is tested
 * once, by an exploration from it up to its first end state; a run with
 * no repeated world (every shipped scenario) never explores. */
typedef struct Seen { uint64_t h1, h2; uint32_t at1, leaves; } Seen;   /* at1: choices + 1, 0: empty */
typedef struct Cycles {
	Seen *tab; uint64_t cap, n;
	int doomed;                        /* a world of this run reaches no end state */
	int64_t off[MAX_CHOICES];          /* the last choice index at which each choice was not enabled */
	int64_t took[MAX_CHOICES];         /* the last one at which it was taken */
} Cycles;

static void cycles_grow(Cycles *y)
{
	uint64_t cap = y->cap ? 2 * y->cap : 1024;
	Seen *t = calloc((size_t)cap, sizeof *t);
	if (!t)
		abort();
	for (uint64_t i = 0; i < y->cap; i++) {
		if (!y->tab[i].at1)
			continue;
		uint64_t k = y->tab[i].h1 & (cap - 1);
		while (t[k].at1)
			k = (k + 1) & (cap - 1);
		t[k] = y->tab[i];
	}
	free(y->tab);
	y->tab = t;
	y->cap = cap;
}

/* The entry of world w, added (seen after `at` choices) if it is new. */
static Seen *cycles_seen(Cycles *y, const uint8_t *w, size_t size, uint32_t at, int *fresh)
{
	XXH128_hash_t h = XXH3_128bits(w, size);
	if ((y->n + 1) * 2 > y->cap)
		cycles_grow(y);
	uint64_t k = h.low64 & (y->cap - 1);
	for (; y->tab[k].at1; k = (k + 1) & (y->cap - 1))
		if (y->tab[k].h1 == h.low64 && y->tab[k].h2 == h.high64) {
			*fresh = 0;
			return &y->tab[k];
		}
	y->tab[k] = (Seen){ h.low64, h.high64, at + 1, 0 };
	y->n++;
	*fresh = 1;
	return &y->tab[k];
}

/* 1 if some end state is reachable from w (or if the exploration cannot
 * tell: a scenario error or the bound; the run then goes on as before). */
static int reaches_end(const Sim *S, const uint8_t *w)
{
	Sim T;
	ExploreResult R;
	ExploreOpts eo = { .max_states = 50000000, .start = w, .until_end = 1 };
	char err[256];
	if (sim_init(&T, S->P, S->model_name, err, sizeof err) < 0)
		return 1;
	int yes = explore(&T, &eo, &R) != 0 || R.end_states > 0;
	explore_free(&R);
	sim_free(&T);
	return yes;
}

/* Choice index ev is about to be taken from ch[0..n): note the choices
 * not enabled there. */
static void cycles_note(Cycles *y, int ncpu, int64_t ev, const Choice *ch, int n)
{
	uint8_t on[MAX_CHOICES] = { 0 };
	for (int i = 0; i < n; i++)
		on[ch[i]] = 1;
	for (int c = 0; c < 2 * ncpu; c++)
		if (!on[c])
			y->off[c] = ev;
}

/* 1 if every choice enabled at every choice point since k was taken
 * since k: the cycle starves no CPU and no IPI. */
static int cycles_fair(const Cycles *y, int ncpu, int64_t k)
{
	for (int c = 0; c < 2 * ncpu; c++)
		if (y->off[c] < k && y->took[c] < k)
			return 0;
	return 1;
}

/* The run stands at world w after ev choices: 1 if it is livelocked (see
 * run.h), with *cycle_at the choice the cycle starts after. */
static int cycles_stop(Cycles *y, const Sim *S, const uint8_t *w, uint32_t ev, int nschedule, int *cycle_at)
{
	int fresh;
	Seen *e = cycles_seen(y, w, S->L.size, ev, &fresh);
	if (fresh || (int64_t)ev < nschedule || e->leaves)
		return 0;
	if (!y->doomed && reaches_end(S, w)) {
		e->leaves = 1;
		return 0;
	}
	y->doomed = 1;
	*cycle_at = (int)e->at1 - 1;
	return ((int64_t)ev == nschedule && nschedule > 0) || cycles_fair(y, S->L.ncpu, *cycle_at);
}

static int bad_choice(Sim *S, int i, Choice ch)
{
	char tok[16];
	sched_format(&ch, 1, tok, sizeof tok);
	snprintf(S->err, sizeof S->err, "schedule: token %d '%s': %s is not possible at that point",
	         i + 1, tok, CH_IS_IPI(ch) ? "taking an IPI" : "a step of that CPU");
	S->failed = 1;
	return -1;
}

/* The events of the run, until an end state or a livelock. */
static int run_events(Sim *S, const RunOpts *o, RunResult *r, Clock *kp, Cycles *y)
{
	Clock k = *kp;
	Choice ch[MAX_CHOICES];
	uint64_t limit = o->max_events ? o->max_events : 1000000;
	int cap = 64;
	r->choices = malloc(sizeof *r->choices * (size_t)cap);
	if (!r->choices)
		abort();
	for (uint64_t ev = 0;; ev++) {
		int n = sim_enabled(S, r->final, ch);
		if (n == 0)
			break;
		if (cycles_stop(y, S, r->final, (uint32_t)ev, o->nschedule, &r->cycle_at)) {
			r->outcomes = 1u << OUT_LIVELOCK;
			break;
		}
		if (ev >= limit) {
			snprintf(S->err, sizeof S->err, "%s: run stopped after %llu events: can the scenario run forever?",
			         S->P->files[0].path, (unsigned long long)limit);
			S->failed = 1;
			return -1;
		}
		note_blocked(&k, S, r->final, ch, n);
		cycles_note(y, S->L.ncpu, (int64_t)ev, ch, n);
		Choice c;
		if ((int)ev < o->nschedule) {   /* the schedule decides; time follows */
			c = o->schedule[ev];
			int ok = 0;
			for (int i = 0; i < n; i++)
				ok |= ch[i] == c;
			if (!ok)
				return bad_choice(S, (int)ev, c);
		} else {
			c = pick(&k, S, o->seed, ch, n);
		}
		k.now = when(&k, S, c);
		if (r->n == cap && !(r->choices = realloc(r->choices, sizeof *r->choices * (size_t)(cap *= 2))))
			abort();
		r->choices[r->n++] = c;
		y->took[c] = (int64_t)ev;
		if (apply(S, &k, r->final, c, o->seed) < 0)
			return -1;
	}
	*kp = k;
	return 0;
}

int sim_run(Sim *S, const RunOpts *o, RunResult *r)
{
	Clock k;
	Cycles y = { 0 };
	memset(&k, 0, sizeof k);
	memset(r, 0, sizeof *r);
	k.rng = o->seed;
	for (int c = 0; c < MAX_CHOICES; c++)
		y.off[c] = y.took[c] = -1;
	r->final = malloc(S->L.size);
	if (!r->final)
		abort();
	int rc = sim_start(S, r->final) < 0 ? -1 : run_events(S, o, r, &k, &y);
	free(y.tab);
	if (rc < 0)
		return -1;
	if (o->nschedule > r->n) {
		snprintf(S->err, sizeof S->err, "schedule: the run ended after %d choices; token %d and later were not used",
		         r->n, r->n + 1);
		S->failed = 1;
		return -1;
	}
	r->time = k.now;
	for (int c = 0; c < S->L.ncpu; c++)   /* when the last step finished */
		r->time = k.ready[c] > r->time ? k.ready[c] : r->time;
	if (r->outcomes >> OUT_LIVELOCK & 1)
		return 0;
	r->outcomes = sim_outcomes(S, r->final);
	if (r->outcomes >> OUT_DEADLOCK & 1)
		sim_waits(S, r->final, r->waits, sizeof r->waits);
	return S->failed ? -1 : 0;
}

void run_free(RunResult *r)
{
	free(r->choices);
	free(r->final);
	memset(r, 0, sizeof *r);
}

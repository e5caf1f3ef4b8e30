/* sim/run.c: timed runs and schedule replays (see run.h).  The ready
 * times live here, outside the world blob: time is not machine state. */
#include "sim/run.h"
#include "sim/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Clock {
	uint64_t now, rng;
	uint64_t ready[MAX_CPUS], ipi_at[MAX_CPUS];
	uint8_t blocked[MAX_CPUS];
} Clock;

static uint64_t splitmix64(uint64_t *s)
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

static int bad_choice(Sim *S, int i, Choice ch)
{
	char tok[16];
	sched_format(&ch, 1, tok, sizeof tok);
	snprintf(S->err, sizeof S->err, "schedule: token %d '%s': %s is not possible at that point",
	         i + 1, tok, CH_IS_IPI(ch) ? "taking an IPI" : "a step of that CPU");
	S->failed = 1;
	return -1;
}

int sim_run(Sim *S, const RunOpts *o, RunResult *r)
{
	Clock k;
	Choice ch[MAX_CHOICES];
	uint64_t limit = o->max_events ? o->max_events : 1000000;
	int cap = 64;
	memset(&k, 0, sizeof k);
	memset(r, 0, sizeof *r);
	k.rng = o->seed;
	r->final = malloc(S->L.size);
	r->choices = malloc(sizeof *r->choices * (size_t)cap);
	if (!r->final || !r->choices)
		abort();
	if (sim_start(S, r->final) < 0)
		return -1;
	for (uint64_t ev = 0;; ev++) {
		int n = sim_enabled(S, r->final, ch);
		if (n == 0)
			break;
		if (ev >= limit) {
			snprintf(S->err, sizeof S->err, "%s: run stopped after %llu events: can the scenario run forever?",
			         S->P->files[0].path, (unsigned long long)limit);
			S->failed = 1;
			return -1;
		}
		note_blocked(&k, S, r->final, ch, n);
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
		if (apply(S, &k, r->final, c, o->seed) < 0)
			return -1;
	}
	if (o->nschedule > r->n) {
		snprintf(S->err, sizeof S->err, "schedule: the run ended after %d choices; token %d and later were not used",
		         r->n, r->n + 1);
		S->failed = 1;
		return -1;
	}
	r->time = k.now;
	for (int c = 0; c < S->L.ncpu; c++)   /* when the last step finished */
		r->time = k.ready[c] > r->time ? k.ready[c] : r->time;
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

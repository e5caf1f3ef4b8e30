/* fuzz/fuzz_explore.c: libFuzzer harness for the executor.
 * Contract: the input bytes are a scenario's text (fuzz/fuzz_src.h).  If
 * its first variant compiles, then for its first dirty-bit model: explore
 * with at most FZ_MAX_STATES states, then timed runs with seeds 0..2
 * (at most FZ_MAX_EVENTS events) and a replay of each witness explore
 * found.  Each must end or stop with an error in S->err, never crash,
 * leak, hang or abort.  Deterministic; no state between calls. */
#include <stdint.h>
#include <string.h>
#include "scenarios/compile.h"
#include "sim/explore.h"
#include "sim/run.h"
#include "fuzz/fuzz_src.h"

#define FZ_MAX_STATES 2000
#define FZ_MAX_EVENTS 20000

/* One timed run of P under model; a failure must say why. */
static void fz_run(const Program *P, const char *model, uint64_t seed, const Choice *ch, int n)
{
	Sim S;
	char err[512];
	if (sim_init(&S, P, model, err, sizeof err) < 0)
		return;
	RunOpts o = { .seed = seed, .schedule = ch, .nschedule = n, .max_events = FZ_MAX_EVENTS };
	RunResult r;
	memset(&r, 0, sizeof r);
	if (sim_run(&S, &o, &r) < 0 && !S.err[0])
		abort();   /* an error without a message */
	run_free(&r);
	sim_free(&S);
}

/* A bounded explore of P under model, then a replay of every witness. */
static void fz_explore(const Program *P, const char *model)
{
	Sim S;
	char err[512];
	if (sim_init(&S, P, model, err, sizeof err) < 0)
		return;
	ExploreOpts eo = { .max_states = FZ_MAX_STATES };
	ExploreResult R;
	memset(&R, 0, sizeof R);
	int rc = explore(&S, &eo, &R);
	if (rc < 0 && !S.err[0])
		abort();
	sim_free(&S);
	for (int k = 0; rc >= 0 && k < MAX_OUTCOMES; k++)
		if (R.out[k].witness)
			fz_run(P, model, 0, R.out[k].witness, R.out[k].wlen);
	explore_free(&R);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	FuzzText t = { data, size };
	ScnSource src = { .read = fuzz_read, .ctx = &t };
	char err[1024];
	Program *P = scn_compile(FUZZ_SCN_PATH, NULL, &src, err, sizeof err);
	if (!P)
		return 0;
	if (P->nmodels > 0) {
		fz_explore(P, P->models[0]);
		for (uint64_t seed = 0; seed < 3; seed++)
			fz_run(P, P->models[0], seed, NULL, 0);
	}
	prog_free(P);
	return 0;
}

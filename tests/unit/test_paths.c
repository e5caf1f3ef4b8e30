/* tests/unit/test_paths.c: explore()'s exact schedule counts against a
 * brute-force enumeration of every schedule (no state merging), on the
 * shipped race-1 scenario and on scaled copies of it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sim/explore.h"
#include "scenarios/compile.h"

typedef struct Count { uint64_t schedules, per_out[MAX_OUTCOMES]; } Count;

/* Every maximal schedule from w, depth first, without merging states. */
static void brute(Sim *S, const uint8_t *w, Count *c, int depth)
{
	Choice ch[MAX_CHOICES];
	uint8_t *x = malloc(S->L.size);
	memcpy(x, w, S->L.size);
	int n = sim_enabled(S, x, ch);
	assert_true(depth < 200);
	if (n == 0) {
		uint32_t m = sim_outcomes(S, x);
		c->schedules++;
		for (int o = 0; o < MAX_OUTCOMES; o++)
			c->per_out[o] += m >> o & 1;
	}
	for (int i = 0; i < n; i++) {
		memcpy(x, w, S->L.size);
		assert_int_equal(sim_apply(S, x, ch[i]), 0);
		brute(S, x, c, depth + 1);
	}
	free(x);
}

static void compare_counts(const char *path, const char *variant, const char *model)
{
	char err[1024];
	Program *P = scn_compile(path, variant, NULL, err, sizeof err);
	if (!P)
		fail_msg("%s", err);
	Sim S;
	ExploreOpts eo = { 0 };
	ExploreResult R;
	Count c = { 0 };
	assert_int_equal(sim_init(&S, P, model, err, sizeof err), 0);
	assert_int_equal(explore(&S, &eo, &R), 0);
	uint8_t *w = malloc(S.L.size);
	assert_int_equal(sim_start(&S, w), 0);
	brute(&S, w, &c, 0);
	assert_false(R.schedules_cyclic);
	assert_int_equal(R.schedules, c.schedules);
	for (int o = 0; o < P->noutcomes; o++)
		assert_int_equal(R.out[o].schedules, c.per_out[o]);
	free(w);
	explore_free(&R);
	sim_free(&S);
	prog_free(P);
}

static void race1_all_combos(void **state)
{
	(void)state;
	const char *v[] = { "old", "fixed" }, *m[] = { "validating", "blind" };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++)
			compare_counts("scenarios/mkclean.yaml", v[i], m[k]);
}

/* scenarios/mkclean.yaml with a second storing CPU. */
static void race1_two_storers(void **state)
{
	(void)state;
	char path[] = "/tmp/tlbsim-paths-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fprintf(f,
	        "scenario: two\n"
	        "include: [%s/scenarios/lib/rmap.yaml, %s/scenarios/lib/writeback.yaml, %s/scenarios/lib/fault.yaml]\n"
	        "variants: [old, fixed]\n"
	        "machine: {cpus: 3}\nmms: [mm]\n"
	        "files: [{name: file, size: 4096, pages: [{name: page0, index: 0, flags: [PG_dirty]}]}]\n"
	        "vmas: [{name: vma, mm: mm, start: 0x10000, file: file}]\n"
	        "ptes: [{mm: mm, addr: 0x10000, page: page0, prot: 0x27}]\n"
	        "tlb: [{cpu: 1, mm: mm, addr: 0x10000, writable: true}, {cpu: 2, mm: mm, addr: 0x10000, writable: true}]\n"
	        "fault_handler: handle_mm_fault\n"
	        "cpus:\n"
	        "  - {cpu: 0, body: [\"submit_bio(page0)\", \"clear_page_dirty(page0, vma)\"]}\n"
	        "  - {cpu: 1, mm: mm, body: [\"store(0x10000)\"]}\n"
	        "  - {cpu: 2, mm: mm, body: [\"store(0x10000)\"]}\n",
	        getenv("PWD"), getenv("PWD"), getenv("PWD"));
	fclose(f);
	/* the libraries are outside /tmp, the scenario's folder */
	char lib[4096];
	snprintf(lib, sizeof lib, "%s/scenarios/lib", getenv("PWD"));
	assert_int_equal(setenv("TLBSIM_PATH", lib, 1), 0);
	compare_counts(path, "old", "blind");
	compare_counts(path, "fixed", "validating");
	unsetenv("TLBSIM_PATH");
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(race1_all_combos),
		cmocka_unit_test(race1_two_storers),
	};
	return cmocka_run_group_tests_name("paths", tests, NULL, NULL);
}

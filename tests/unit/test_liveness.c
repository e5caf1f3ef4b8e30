/* tests/unit/test_liveness.c: dead-register elimination.  The compiler's
 * per-step dead masks, and the executor zeroing them so that states that
 * differ only in dead values are one state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/helpers.h"
#include "sim/explore.h"

static const char machine[] =
	"scenario: live\n"
	"machine: {cpus: 2, models: [validating]}\n"
	"mms: [mm]\n"
	"files: [{name: file, size: 4096, pages: [{name: page0, index: 0}]}]\n"
	"vmas: [{name: vma, mm: mm, start: 0x10000, file: file}]\n"
	"ptes: [{mm: mm, addr: 0x10000, page: page0, prot: 0x67}]\n";

static int slot_of(const Program *P, int proc, const char *name)
{
	for (int i = 0; i < P->procs[proc].nlocals; i++)
		if (!strcmp(P->procs[proc].locals[i], name))
			return i;
	fail_msg("no register %s", name);
	return -1;
}

static const Step *step_with(const Program *P, const char *text)
{
	for (int i = 0; i < P->nsteps; i++)
		if (P->steps[i].text && !strcmp(P->steps[i].text, text))
			return &P->steps[i];
	fail_msg("no step '%s'", text);
	return NULL;
}

/* entry is dead after its last read; ret stays live until the return;
 * a register read in a loop stays live around the loop. */
static void masks(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text, "%s%s", machine,
	         "procedures:\n"
	         "  - name: f\n"
	         "    params: [vma, address]\n"
	         "    body:\n"
	         "      - \"entry = ptep_get(vma, address)\"\n"
	         "      - \"ret = pte_dirty(entry)\"\n"
	         "      - \"clean = pte_mkclean(entry)\"\n"
	         "      - \"set_pte_at(vma, address, clean)\"\n"
	         "      - \"n = 3\"\n"
	         "      - while: \"n\"\n"
	         "        do: [\"x = ptep_get(vma, address)\", \"n = x\", \"n = 0\"]\n"
	         "      - \"return ret\"\n"
	         "cpus:\n"
	         "  - {cpu: 0, body: [\"f(vma, 0x10000)\"]}\n");
	Program *P = compile_ok(text, NULL);
	int f = P->steps[P->procs[P->cpus[0].proc].entry].target;
	int entry = slot_of(P, f, "entry"), ret = slot_of(P, f, "ret"), clean = slot_of(P, f, "clean");
	int vma = slot_of(P, f, "vma"), address = slot_of(P, f, "address");
	const Step *s1 = step_with(P, "entry = ptep_get(vma, address)");
	const Step *s3 = step_with(P, "clean = pte_mkclean(entry)");
	const Step *s4 = step_with(P, "set_pte_at(vma, address, clean)");
	assert_false(s1->dead >> entry & 1);     /* read by the next two steps */
	assert_true(s3->dead >> entry & 1);      /* its last read */
	assert_false(s3->dead >> clean & 1);
	assert_true(s4->dead >> clean & 1);
	assert_false(s4->dead >> ret & 1);       /* returned at the end */
	assert_false(s4->dead >> vma & 1);       /* read again in the loop */
	assert_false(s4->dead >> address & 1);
	prog_free(P);
}

/* CPU#1 stores a value it never reads again into x: without zeroing, the
 * two orders of its store relative to CPU#0's would leave different x. */
static void dead_values_merge(void **state)
{
	(void)state;
	char text[2048], err[256];
	snprintf(text, sizeof text, "%s%s", machine,
	         "cpus:\n"
	         "  - {cpu: 0, body: [\"set_pte_at(vma, 0x10000, 0x1065)\"]}\n"
	         "  - {cpu: 1, body: [\"x = ptep_get(vma, 0x10000)\", \"set_page_dirty(page0)\"]}\n");
	Program *P = compile_ok(text, NULL);
	Sim S;
	ExploreOpts eo = { 0 };
	ExploreResult R;
	assert_int_equal(sim_init(&S, P, "validating", err, sizeof err), 0);
	assert_int_equal(explore(&S, &eo, &R), 0);
	/* x differs with the order (0x1067 read before CPU#0's write, 0x1065
	 * after), but is dead once read: "0 then 1 reads" and "1 reads then
	 * 0" meet in one state.  States: start; 0 wrote; 1 read; both (one
	 * state, two ways); 1 done; both done: 6.  Keeping x would make 7. */
	assert_int_equal(R.states, 6);
	assert_int_equal(R.end_states, 1);
	assert_int_equal(R.schedules, 3);
	explore_free(&R);
	sim_free(&S);
	prog_free(P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(masks),
		cmocka_unit_test(dead_values_merge),
	};
	return cmocka_run_group_tests_name("liveness", tests, NULL, NULL);
}

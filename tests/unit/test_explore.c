/* tests/unit/test_explore.c: unit tests of sim/explore.c on tiny
 * scenarios whose state graphs can be counted by hand: states, end
 * states, schedules, witnesses (replayed with sim_run), determinism and
 * the --max-states bound. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/explore.h"
#include "sim/run.h"
#include "sim/sched.h"

#define MACHINE \
	"scenario: x\n" \
	"machine: {cpus: 2}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 12288\n" \
	"    pages:\n" \
	"      - {name: page0, index: 0}\n" \
	"      - {name: page1, index: 1}\n" \
	"      - {name: page2, index: 2}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, pages: 1, file: file}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n"

/* Two CPUs, one shared step each, on different pages. */
static const char indep[] = MACHINE
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"set_page_dirty(page1)\"]\n"
	"  - cpu: 1\n"
	"    body: [\"set_page_dirty(page2)\"]\n";

/* Seed race 1 in miniature: CPU#0 clears the PTE, CPU#1 stores through
 * its clean writable TLB entry (two hardware steps). */
static const char race[] = MACHINE
	"tlb:\n"
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: false}\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"old = ptep_get_and_clear(vma, 0x10000)\"]\n"
	"  - cpu: 1\n"
	"    mm: mm\n"
	"    body: [\"store(0x10000)\"]\n";

/* BUG_ON reachable by a short schedule (CPU#0 first) and not by the long
 * ones (CPU#1 reads first, then three more steps). */
static const char bug[] = MACHINE
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"set_page_dirty(page0)\"]\n"
	"  - cpu: 1\n"
	"    body:\n"
	"      - \"v = PageDirty(page0)\"\n"
	"      - \"BUG_ON(v)\"\n"
	"      - \"set_page_writeback(page1)\"\n"
	"      - \"set_page_writeback(page2)\"\n"
	"      - \"end_page_writeback(page1)\"\n";

/* The fixtures of the running test; the teardown frees what a failed
 * test left behind. */
static SimFx ex[2];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(ex, 2);
	return 0;
}

static void test_independent_cpus(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	fx_explore_ok(x, indep, "validating");
	/* start, after 0, after 1, after both (one state, two ways) */
	assert_int_equal(x->R.states, 4);
	assert_int_equal(x->R.transitions, 4);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.schedules, 2);
	assert_int_equal(x->R.max_depth, 2);
	assert_false(x->R.schedules_cyclic);
	assert_false(x->R.schedules_saturated);
	assert_int_equal(x->R.reach, 0);
	assert_int_equal(x->R.always, 0);
	for (int o = 0; o < MAX_OUTCOMES; o++) {
		assert_int_equal(x->R.out[o].end_states, 0);
		assert_null(x->R.out[o].witness);
	}
	assert_false(x->S.failed);
	fx_finish(x);
}

static void test_race_counts(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	/* blind: 0 1 1 (dirty zero), 1 0 1 and 1 1 0 (D lost with the PTE);
	 * the last two end in the same state */
	fx_explore_ok(x, race, "blind");
	assert_int_equal(x->R.schedules, 3);
	assert_int_equal(x->R.end_states, 2);
	assert_int_equal(x->R.max_depth, 3);
	uint32_t lost = (1u << OUT_LOST_DIRTY) | (1u << OUT_LOST_WRITE);
	assert_int_equal(x->R.reach, lost | (1u << OUT_DIRTY_NONPRESENT_PTE));
	assert_int_equal(x->R.always, lost);
	assert_int_equal(x->R.out[OUT_LOST_DIRTY].schedules, 3);
	assert_int_equal(x->R.out[OUT_LOST_DIRTY].end_states, 2);
	assert_int_equal(x->R.out[OUT_DIRTY_NONPRESENT_PTE].schedules, 1);
	assert_int_equal(x->R.out[OUT_DIRTY_NONPRESENT_PTE].end_states, 1);
	assert_int_equal(x->R.out[OUT_DEADLOCK].schedules, 0);
	/* the dirty zero needs the clear first */
	char buf[64];
	const OutcomeStat *o = &x->R.out[OUT_DIRTY_NONPRESENT_PTE];
	assert_int_equal(o->wlen, 3);
	assert_string_equal(sched_format(o->witness, o->wlen, buf, sizeof buf), "0 1 1");
	fx_finish(x);
}

static void test_witness_replays(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	fx_explore_ok(x, race, "blind");
	for (int k = 0; k < MAX_OUTCOMES; k++) {
		const OutcomeStat *o = &x->R.out[k];
		if (!(x->R.reach >> k & 1)) {
			assert_null(o->witness);
			continue;
		}
		assert_non_null(o->witness);
		RunOpts ro = { .seed = 0, .schedule = o->witness, .nschedule = o->wlen };
		RunResult rr;
		if (sim_run(&x->S, &ro, &rr) < 0)
			fail_msg("replay of %s: %s", x->P->outcomes[k].name, x->S.err);
		assert_true(rr.outcomes >> k & 1);
		assert_int_equal(rr.n, o->wlen);
		assert_memory_equal(rr.choices, o->witness, sizeof(Choice) * (size_t)o->wlen);
		run_free(&rr);
	}
	fx_finish(x);
}

static void test_shortest_witness(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	fx_explore_ok(x, bug, "validating");
	/* BUG: 0 1 (CPU#1 halts).  No BUG: 1 first, then CPU#0's step in
	 * any of 4 places among CPU#1's other 3 steps and its end */
	assert_int_equal(x->R.reach, 1u << OUT_BUG_ON);
	assert_int_equal(x->R.always, 0);
	assert_int_equal(x->R.end_states, 2);
	assert_int_equal(x->R.schedules, 5);
	assert_int_equal(x->R.max_depth, 5);
	const OutcomeStat *o = &x->R.out[OUT_BUG_ON];
	assert_int_equal(o->schedules, 1);
	assert_int_equal(o->end_states, 1);
	assert_int_equal(o->wlen, 2);
	assert_int_equal(o->witness[0], CH_STEP(0));
	assert_int_equal(o->witness[1], CH_STEP(1));
	/* replayed: CPU#1 halted at the BUG_ON */
	RunOpts ro = { .schedule = o->witness, .nschedule = o->wlen };
	RunResult rr;
	assert_int_equal(sim_run(&x->S, &ro, &rr), 0);
	assert_int_equal(rr.outcomes, 1u << OUT_BUG_ON);
	assert_int_equal(w_cpu(&x->S.L, rr.final, 1)->status, CPU_HALTED);
	run_free(&rr);
	fx_finish(x);
}

static void test_ipi_choices_counted(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	static const char text[] = MACHINE
		"tlb:\n"
		"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: false}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"flush_tlb_page(vma, 0x10000)\"]\n";
	fx_explore_ok(x, text, "validating");
	/* 0 (send), i1 (CPU#1 takes it), 0 (acked): one way only */
	assert_int_equal(x->R.states, 4);
	assert_int_equal(x->R.schedules, 1);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.max_depth, 3);
	assert_int_equal(x->R.reach, 0);
	fx_finish(x);
}

static void test_deterministic(void **state)
{
	SimFx *a = &ex[0], *b = &ex[1];
	(void)state;
	static const char *const texts[] = { indep, race, bug };
	for (int t = 0; t < 3; t++) {
		fx_explore_ok(a, texts[t], "blind");
		fx_explore_ok(b, texts[t], "blind");
		assert_int_equal(a->R.states, b->R.states);
		assert_int_equal(a->R.transitions, b->R.transitions);
		assert_int_equal(a->R.end_states, b->R.end_states);
		assert_int_equal(a->R.schedules, b->R.schedules);
		assert_int_equal(a->R.max_depth, b->R.max_depth);
		assert_int_equal(a->R.reach, b->R.reach);
		assert_int_equal(a->R.always, b->R.always);
		for (int o = 0; o < MAX_OUTCOMES; o++) {
			assert_int_equal(a->R.out[o].schedules, b->R.out[o].schedules);
			assert_int_equal(a->R.out[o].end_states, b->R.out[o].end_states);
			assert_int_equal(a->R.out[o].wlen, b->R.out[o].wlen);
			if (a->R.out[o].witness)
				assert_memory_equal(a->R.out[o].witness, b->R.out[o].witness,
				                    sizeof(Choice) * (size_t)a->R.out[o].wlen);
		}
		fx_finish(a);
		fx_finish(b);
	}
}

static void test_max_states(void **state)
{
	SimFx *x = &ex[0];
	char want[256];
	(void)state;
	/* 4 states: expanding the first one makes 3 > 2 */
	assert_int_equal(fx_explore(x, indep, "validating", 2), -1);
	assert_true(x->S.failed);
	snprintf(want, sizeof want, "%s: exploration stopped at 3 states (--max-states): "
	         "can the scenario run forever?", x->path);
	assert_string_equal(x->S.err, want);
	fx_finish(x);
	/* exactly enough: fine */
	assert_int_equal(fx_explore(x, indep, "validating", 4), 0);
	assert_int_equal(x->R.states, 4);
	fx_finish(x);
}

static void test_cycle(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"ok = 0\"\n"
		"      - while: \"!ok\"\n"
		"        do: [\"ok = trylock_page(page1)\"]\n"
		"      - \"unlock_page(page1)\"\n"
		"  - cpu: 1\n"
		"    body: [\"lock_page(page1)\", \"unlock_page(page1)\"]\n";
	fx_explore_ok(x, text, "validating");
	/* CPU#0 retries trylock while CPU#1 holds the lock: a cycle */
	assert_true(x->R.schedules_cyclic);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.reach, 0);
	fx_finish(x);
}

static void test_scenario_error(void **state)
{
	SimFx *x = &ex[0];
	char want[256];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"set_page_dirty(page1)\"]\n"
		"  - cpu: 1\n"
		"    body: [\"unlock_page(page1)\"]\n";
	assert_int_equal(fx_explore(x, text, "validating", 0), -1);
	snprintf(want, sizeof want, "%s:19:13: unlock_page: CPU#1 does not hold the lock of page1", x->path);
	assert_string_equal(x->S.err, want);
	fx_finish(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_independent_cpus, cleanup),
		cmocka_unit_test_teardown(test_race_counts, cleanup),
		cmocka_unit_test_teardown(test_witness_replays, cleanup),
		cmocka_unit_test_teardown(test_shortest_witness, cleanup),
		cmocka_unit_test_teardown(test_ipi_choices_counted, cleanup),
		cmocka_unit_test_teardown(test_deterministic, cleanup),
		cmocka_unit_test_teardown(test_max_states, cleanup),
		cmocka_unit_test_teardown(test_cycle, cleanup),
		cmocka_unit_test_teardown(test_scenario_error, cleanup),
	};
	return cmocka_run_group_tests_name("explore", tests, NULL, NULL);
}

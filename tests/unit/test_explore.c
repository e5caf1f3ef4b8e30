/* tests/unit/test_explore.c: unit tests of sim/explore.c on tiny
 * scenarios whose state graphs can be counted by hand: states, end
 * states, schedules, witnesses (replayed with sim_run), determinism, the
 * --max-states bound, cycles and livelocks (the lasso witness, its
 * replay, honest counts), the livelock graph analysis by itself, and
 * the preemption bound (--preemptions: the schedules within it, counted). */
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
#include "sim/livelock.h"
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
	/* 4 states: expanding the first one makes 3 > 2; a stop, not an error */
	assert_int_equal(fx_explore(x, indep, "validating", 2), 1);
	assert_false(x->S.failed);
	assert_int_equal(x->R.stop, EX_MAX_STATES);
	assert_int_equal(x->R.states, 3);
	assert_int_equal(x->R.end_states, 0);
	assert_int_equal(x->R.schedules, 0);
	snprintf(want, sizeof want, "%s: exploration stopped at 3 states (--max-states): "
	         "can the scenario run forever?", x->path);
	assert_string_equal(x->S.err, want);
	assert_string_equal(explore_stop_option(x->R.stop), "--max-states");
	fx_finish(x);
	/* exactly enough: fine */
	assert_int_equal(fx_explore(x, indep, "validating", 4), 0);
	assert_int_equal(x->R.states, 4);
	assert_int_equal(x->R.stop, EX_DONE);
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
	/* CPU#0 retries trylock while CPU#1 holds the lock: a cycle, which
	 * CPU#0 leaves once CPU#1 unlocks: no livelock, and unboundedly many
	 * schedules reach the end */
	assert_true(x->R.schedules_cyclic);
	assert_true(x->R.schedules_unbounded);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.reach, 0);
	assert_int_equal(x->R.stuck_states, 0);
	assert_null(x->R.out[OUT_LIVELOCK].witness);
	fx_finish(x);
}

/* CPU#0 waits for a flag; CPU#1 does two steps of its own and, in
 * `fixed`, sets the flag.  `race`: CPU#1 sets it only if it sees CPU#0's
 * `go`, so some schedules livelock and the others end. */
#define SPIN \
	"variants: [stuck, fixed, race]\n" \
	"vars: {flag: 0, go: 0}\n" \
	"procedures:\n" \
	"  - name: other\n" \
	"    variant: stuck\n" \
	"    body: [\"set_page_dirty(page1)\", \"set_page_dirty(page2)\"]\n" \
	"  - name: other\n" \
	"    variant: fixed\n" \
	"    body: [\"set_page_dirty(page1)\", \"WRITE_ONCE(flag, 1)\"]\n" \
	"  - name: other\n" \
	"    variant: race\n" \
	"    body:\n" \
	"      - \"g = READ_ONCE(go)\"\n" \
	"      - if: \"g\"\n" \
	"        then: [\"WRITE_ONCE(flag, 1)\"]\n" \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    body:\n" \
	"      - \"WRITE_ONCE(go, 1)\"\n" \
	"      - loop:\n" \
	"          - \"v = READ_ONCE(flag)\"\n" \
	"          - if: \"v\"\n" \
	"            then: [break]\n" \
	"  - cpu: 1\n" \
	"    body: [\"other()\"]\n"
static const char spin[] = MACHINE SPIN;

static void explore_variant(SimFx *x, const char *variant)
{
	fx_setup(x, spin, variant, "validating");
	ExploreOpts o = { 0 };
	if (explore(&x->S, &o, &x->R) < 0)
		fail_msg("explore: %s", x->S.err);
}

/* Replays witness o of x and checks that the run stops in its livelock,
 * its cycle where the witness says. */
static void assert_lasso_replays(SimFx *x, const OutcomeStat *o)
{
	RunOpts ro = { .schedule = o->witness, .nschedule = o->wlen };
	RunResult rr;
	if (sim_run(&x->S, &ro, &rr) < 0)
		fail_msg("replay: %s", x->S.err);
	assert_int_equal(rr.outcomes, 1u << OUT_LIVELOCK);
	assert_int_equal(rr.n, o->wlen);
	assert_int_equal(rr.cycle_at, o->wlen - o->cycle);
	run_free(&rr);
}

static void test_livelock_always(void **state)
{
	SimFx *x = &ex[0];
	char buf[64];
	(void)state;
	explore_variant(x, "stuck");
	/* no end state at all: livelock always, from the initial state */
	assert_int_equal(x->R.end_states, 0);
	assert_int_equal(x->R.schedules, 0);
	assert_false(x->R.schedules_unbounded);
	assert_int_equal(x->R.reach, 1u << OUT_LIVELOCK);
	assert_int_equal(x->R.always, 1u << OUT_LIVELOCK);
	assert_int_equal(x->R.states, 6);
	assert_int_equal(x->R.stuck_states, 6);
	const OutcomeStat *o = &x->R.out[OUT_LIVELOCK];
	assert_int_equal(o->schedules, 0);
	assert_int_equal(o->end_states, 0);
	/* the cycle is where no schedule leaves: after CPU#1 has finished,
	 * not the shorter "0 0" that only starves CPU#1 */
	assert_string_equal(sched_format(o->witness, o->wlen, buf, sizeof buf), "0 1 1 0");
	assert_int_equal(o->cycle, 1);
	assert_lasso_replays(x, o);
	fx_finish(x);
}

static void test_livelock_none_when_fixed(void **state)
{
	SimFx *x = &ex[0];
	(void)state;
	explore_variant(x, "fixed");
	assert_true(x->R.schedules_cyclic);
	assert_true(x->R.schedules_unbounded);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.stuck_states, 0);
	assert_int_equal(x->R.reach, 0);
	fx_finish(x);
}

static void test_livelock_sometimes(void **state)
{
	SimFx *x = &ex[0];
	char buf[64];
	(void)state;
	explore_variant(x, "race");
	/* CPU#0 may spin while CPU#1 has yet to write the flag, a cycle it
	 * leaves: unboundedly many schedules end.  If CPU#1 reads go first,
	 * CPU#0 spins forever: the 2 states after that read, before and
	 * after CPU#0's write of go, reach no end state */
	assert_true(x->R.schedules_unbounded);
	assert_int_equal(x->R.end_states, 1);
	assert_int_equal(x->R.reach, 1u << OUT_LIVELOCK);
	assert_int_equal(x->R.always, 0);
	assert_int_equal(x->R.states, 7);
	assert_int_equal(x->R.stuck_states, 2);
	const OutcomeStat *o = &x->R.out[OUT_LIVELOCK];
	/* CPU#1 reads go = 0 first and finishes; CPU#0 then spins */
	assert_string_equal(sched_format(o->witness, o->wlen, buf, sizeof buf), "1 0 0");
	assert_int_equal(o->cycle, 1);
	assert_lasso_replays(x, o);
	fx_finish(x);
}

static void test_livelock_deterministic(void **state)
{
	SimFx *a = &ex[0], *b = &ex[1];
	(void)state;
	static const char *const vs[] = { "stuck", "race" };
	for (int v = 0; v < 2; v++) {
		explore_variant(a, vs[v]);
		explore_variant(b, vs[v]);
		const OutcomeStat *oa = &a->R.out[OUT_LIVELOCK], *ob = &b->R.out[OUT_LIVELOCK];
		assert_int_equal(a->R.stuck_states, b->R.stuck_states);
		assert_int_equal(oa->wlen, ob->wlen);
		assert_int_equal(oa->cycle, ob->cycle);
		assert_memory_equal(oa->witness, ob->witness, sizeof(Choice) * (size_t)oa->wlen);
		fx_finish(a);
		fx_finish(b);
	}
}

/* ---- lv_find on graphs written by hand ---- */

/* A graph from adjacency lists: adj[i] lists i's successors, ended by -1. */
typedef struct HandGraph { uint64_t estart[9]; uint32_t edge[32]; uint64_t ends[8]; LvGraph g; } HandGraph;

static void hand_graph(HandGraph *h, int n, const int adj[][5])
{
	uint64_t ne = 0, nends = 0;
	for (int i = 0; i < n; i++) {
		h->estart[i] = ne;
		for (int k = 0; adj[i][k] >= 0; k++)
			h->edge[ne++] = (uint32_t)adj[i][k];
		if (h->estart[i] == ne)
			h->ends[nends++] = (uint64_t)i;
	}
	h->estart[n] = ne;
	h->g = (LvGraph){ (uint64_t)n, h->estart, h->edge, h->ends, nends };
}

/* The cycle of r as the states it goes through, "1 2 1". */
static const char *cycle_str(const HandGraph *h, const LvResult *r, char *buf, size_t n)
{
	size_t k = (size_t)snprintf(buf, n, "%llu", (unsigned long long)r->cycle_state);
	for (int i = 0; i < r->ncycle && k < n; i++)
		k += (size_t)snprintf(buf + k, n - k, " %u", h->edge[r->cycle[i]]);
	return buf;
}

static void test_lv_graphs(void **state)
{
	HandGraph h;
	LvResult r;
	char buf[64];
	(void)state;
	/* every cycle can be left: 0 <-> 1 -> 2 (end) */
	static const int leave[][5] = { { 1, -1 }, { 0, 2, -1 }, { -1 } };
	hand_graph(&h, 3, leave);
	assert_int_equal(lv_find(&h.g, &r), 0);
	assert_int_equal(r.stuck, 0);
	/* 0 -> 1 (a self-loop, stuck), 0 -> 2 (end) */
	static const int self[][5] = { { 1, 2, -1 }, { 1, -1 }, { -1 } };
	hand_graph(&h, 3, self);
	assert_int_equal(lv_find(&h.g, &r), 1);
	assert_int_equal(r.stuck, 1);
	assert_false(r.root_stuck);
	assert_string_equal(cycle_str(&h, &r, buf, sizeof buf), "1 1");
	lv_free(&r);
	/* no end state: 0's self-loop is a cycle, but the schedule 0 -> 1
	 * leaves it; {1, 2} is the bottom component */
	static const int bottom[][5] = { { 0, 1, -1 }, { 2, -1 }, { 1, -1 } };
	hand_graph(&h, 3, bottom);
	assert_int_equal(lv_find(&h.g, &r), 1);
	assert_int_equal(r.stuck, 3);
	assert_true(r.root_stuck);
	assert_string_equal(cycle_str(&h, &r, buf, sizeof buf), "1 2 1");
	lv_free(&r);
	/* two cycles through 0: the shorter one, 0 -> 3 -> 0 */
	static const int two[][5] = { { 1, 3, -1 }, { 2, -1 }, { 0, -1 }, { 0, -1 } };
	hand_graph(&h, 4, two);
	assert_int_equal(lv_find(&h.g, &r), 1);
	assert_string_equal(cycle_str(&h, &r, buf, sizeof buf), "0 3 0");
	lv_free(&r);
	/* two bottom components: the lower-numbered state's (BFS: nearer) */
	static const int pick[][5] = { { 1, 2, 5, -1 }, { 3, -1 }, { 4, -1 }, { 3, -1 }, { 2, -1 }, { -1 } };
	hand_graph(&h, 6, pick);
	assert_int_equal(lv_find(&h.g, &r), 1);
	assert_int_equal(r.stuck, 4);
	assert_string_equal(cycle_str(&h, &r, buf, sizeof buf), "2 4 2");
	lv_free(&r);
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

/* Two CPUs, two shared steps each: 6 schedules, of which 2 have no
 * preemption (0 0 1 1, 1 1 0 0: a switch from a CPU that is done is
 * free) and 4 at most one (also 0 1 1 0 and 1 0 0 1). */
static const char two_by_two[] = MACHINE
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"set_page_dirty(page1)\", \"set_page_dirty(page2)\"]\n"
	"  - cpu: 1\n"
	"    body: [\"set_page_writeback(page0)\", \"end_page_writeback(page0)\"]\n";

/* --preemptions K: exactly the schedules within the bound, counted;
 * marked EX_PREEMPT; a bound no schedule reaches is the full search. */
static void test_preemptions(void **state)
{
	(void)state;
	static const uint64_t want[] = { 2, 4, 6, 6 };
	SimFx *x = &ex[0];
	assert_int_equal(fx_explore(x, two_by_two, "validating", 0), 0);
	assert_int_equal(x->R.schedules, 6);
	uint32_t reach = x->R.reach;
	for (int k = 0; k < 4; k++) {
		ExploreOpts o = { .bound_preemptions = 1, .preemptions = k };
		explore_free(&x->R);
		if (explore(&x->S, &o, &x->R) < 0)
			fail_msg("explore: %s", x->S.err);
		assert_int_equal(x->R.stop, EX_PREEMPT);
		assert_int_equal(x->R.preemptions, k);
		assert_int_equal(x->R.schedules, want[k]);
		assert_int_equal(x->R.reach & ~reach, 0);
	}
	fx_cleanup(ex, 2);
}

/* A bounded search does not look for livelock: the spinning CPU it
 * leaves is no livelock of the full search. */
static void test_preemptions_no_livelock(void **state)
{
	(void)state;
	SimFx *x = &ex[0];
	fx_setup(x, spin, "fixed", "validating");
	ExploreOpts o = { .bound_preemptions = 1, .preemptions = 0 };
	if (explore(&x->S, &o, &x->R) < 0)
		fail_msg("explore: %s", x->S.err);
	assert_int_equal(x->R.stop, EX_PREEMPT);
	assert_int_equal(x->R.reach >> OUT_LIVELOCK & 1, 0);
	assert_null(x->R.out[OUT_LIVELOCK].witness);
	fx_cleanup(ex, 2);
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
		cmocka_unit_test_teardown(test_livelock_always, cleanup),
		cmocka_unit_test_teardown(test_livelock_none_when_fixed, cleanup),
		cmocka_unit_test_teardown(test_livelock_sometimes, cleanup),
		cmocka_unit_test_teardown(test_livelock_deterministic, cleanup),
		cmocka_unit_test(test_lv_graphs),
		cmocka_unit_test_teardown(test_preemptions, cleanup),
		cmocka_unit_test_teardown(test_preemptions_no_livelock, cleanup),
		cmocka_unit_test_teardown(test_scenario_error, cleanup),
	};
	return cmocka_run_group_tests_name("explore", tests, NULL, NULL);
}

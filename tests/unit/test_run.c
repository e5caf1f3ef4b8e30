/* tests/unit/test_run.c: unit tests of sim/run.c: timed runs (seed 0 and
 * seeded), schedule replays and their errors, the event bound, livelock
 * (a lasso schedule, a fair cycle in timed order, a cycle that can be
 * left), and what the timing model promises (latencies, ready times, lock
 * hand-off). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/run.h"
#include "sim/sched.h"

#define MACHINE \
	"scenario: r\n" \
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
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n" \
	"locks: [la, lb]\n"

/* Seed race 1 with a flush: enough events and ties for jitter to matter.
 * The fault handler maps page0 again (a store after the clear faults). */
static const char race[] = MACHINE
	"tlb:\n"
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: false}\n"
	"fault_handler: fh\n"
	"procedures:\n"
	"  - name: fh\n"
	"    params: [vma, address, write]\n"
	"    body:\n"
	"      - \"e = mk_pte(page0, 0x67)\"\n"
	"      - \"set_pte_at(vma, address, e)\"\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body:\n"
	"      - \"submit_bio(page0)\"\n"
	"      - \"spin_lock(la)\"\n"
	"      - \"old = ptep_get_and_clear(vma, 0x10000)\"\n"
	"      - \"flush_tlb_page(vma, 0x10000)\"\n"
	"      - \"spin_unlock(la)\"\n"
	"  - cpu: 1\n"
	"    mm: mm\n"
	"    body:\n"
	"      - \"store(0x10000)\"\n"
	"      - \"spin_lock(la)\"\n"
	"      - \"set_page_dirty(page1)\"\n"
	"      - \"spin_unlock(la)\"\n"
	"      - \"store(0x10000)\"\n";

/* Costs with no jitter: CPU#0 does a 1000-cycle I/O, then a 4-cycle step;
 * CPU#1 three 4-cycle steps.  RET costs `local` (1). */
static const char timed[] = MACHINE
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"submit_bio(page0)\", \"set_page_dirty(page1)\"]\n"
	"  - cpu: 1\n"
	"    body: [\"set_page_dirty(page2)\", \"set_page_dirty(page2)\", \"set_page_dirty(page2)\"]\n";

/* The fixtures of the running test, and the result being checked; the
 * teardown frees what a failed test left behind. */
static SimFx fx[2];
static RunResult live[3];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 2);
	for (int i = 0; i < 3; i++)
		run_free(&live[i]);
	return 0;
}

static void run_ok(SimFx *f, uint64_t seed, const char *sched, RunResult *r)
{
	Choice *ch = NULL;
	char err[256];
	int n = 0;
	if (sched && (n = sched_parse(sched, &ch, err, sizeof err)) < 0)
		fail_msg("%s", err);
	RunOpts o = { .seed = seed, .schedule = ch, .nschedule = n };
	f->S.failed = 0;
	int rc = sim_run(&f->S, &o, r);
	free(ch);
	if (rc < 0)
		fail_msg("sim_run: %s", f->S.err);
}

/* Runs with a schedule that must be refused; returns S->err. */
static const char *run_fails(SimFx *f, const char *sched)
{
	Choice *ch = NULL;
	char err[256];
	RunResult r;
	int n = sched_parse(sched, &ch, err, sizeof err);
	assert_true(n >= 0);
	RunOpts o = { .schedule = ch, .nschedule = n };
	f->S.failed = 0;
	assert_int_equal(sim_run(&f->S, &o, &r), -1);
	assert_true(f->S.failed);
	free(ch);
	run_free(&r);
	return f->S.err;
}

static const char *choices(const RunResult *r)
{
	static char buf[1024];
	return sched_format(r->choices, r->n, buf, sizeof buf);
}

static void assert_same_run(SimFx *f, const RunResult *a, const RunResult *b)
{
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->choices, b->choices, sizeof(Choice) * (size_t)a->n);
	assert_int_equal(a->time, b->time);
	assert_int_equal(a->outcomes, b->outcomes);
	assert_memory_equal(a->final, b->final, f->S.L.size);
}

static void test_seed0_reproducible(void **state)
{
	SimFx *f = &fx[0];
	RunResult *a = &live[0], *b = &live[1];
	(void)state;
	fx_setup(f, race, NULL, "blind");
	run_ok(f, 0, NULL, a);
	run_ok(f, 0, NULL, b);
	assert_true(a->n > 8);
	assert_same_run(f, a, b);
	/* the run went to its end */
	Choice ch[MAX_CHOICES];
	assert_int_equal(sim_enabled(&f->S, a->final, ch), 0);
	run_free(a);
	run_free(b);
	/* also on a fresh Sim */
	SimFx *g = &fx[1];
	fx_setup(g, race, NULL, "blind");
	run_ok(f, 0, NULL, a);
	run_ok(g, 0, NULL, b);
	assert_same_run(f, a, b);
	run_free(a);
	run_free(b);
	fx_finish(g);
	fx_finish(f);
}

static void test_seeds_reproducible(void **state)
{
	SimFx *f = &fx[0];
	RunResult *base = &live[0], *a = &live[1], *b = &live[2];
	int differ = 0;
	(void)state;
	fx_setup(f, race, NULL, "blind");
	run_ok(f, 0, NULL, base);
	for (uint64_t seed = 1; seed <= 12; seed++) {
		run_ok(f, seed, NULL, a);
		run_ok(f, seed, NULL, b);
		assert_same_run(f, a, b);
		differ |= a->time != base->time || a->n != base->n ||
		          memcmp(a->choices, base->choices, sizeof(Choice) * (size_t)(a->n < base->n ? a->n : base->n));
		run_free(a);
		run_free(b);
	}
	/* jitter (20% by default) changes something for some seed */
	assert_true(differ);
	run_free(base);
	fx_finish(f);
}

static void test_timed_order(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, timed, NULL, "validating");
	run_ok(f, 0, NULL, r);
	/* tie at 0 goes to CPU#0; its I/O keeps it busy until 1000 while
	 * CPU#1 takes its three steps */
	assert_string_equal(choices(r), "0 1 1 1 0");
	assert_true(r->time >= 1000);
	assert_int_equal(r->outcomes, 0);
	run_free(r);
	fx_finish(f);
}

/* The run's time is "simulated cycles at the end" (run.h): when the last
 * event finished, not when it started. */
static void test_time_includes_last_event(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, timed, NULL, "validating");
	f->S.trace = &f->t;
	run_ok(f, 0, NULL, r);
	/* CPU#1's three steps start at 0, 4, 8 (trace times) */
	int k = 0;
	uint64_t want[] = { 0, 4, 8 };
	for (int i = 0; i < f->t.n; i++)
		if (f->t.ev[i].cpu == 1 && f->t.ev[i].kind == EV_STEP && k < 3)
			assert_int_equal(f->t.ev[i].time, want[k++]);
	assert_int_equal(k, 3);
	/* no event after the end */
	for (int i = 0; i < f->t.n; i++)
		assert_true(f->t.ev[i].time <= r->time);
	/* CPU#0: 0..1000 submit_bio, 1000..1005 set_page_dirty and return */
	assert_int_equal(r->time, 1005);
	run_free(r);
	fx_finish(f);
}

static void test_schedule_replay(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, timed, NULL, "validating");
	/* a full schedule, against the timed order */
	run_ok(f, 0, "1 1 1 0 0", r);
	assert_string_equal(choices(r), "1 1 1 0 0");
	run_free(r);
	/* a prefix, then the timed order */
	run_ok(f, 0, "1 0", r);
	assert_string_equal(choices(r), "1 0 1 1 0");
	run_free(r);
	/* a seed does not override the schedule */
	run_ok(f, 7, "0 0 1 1 1", r);
	assert_string_equal(choices(r), "0 0 1 1 1");
	run_free(r);
	fx_finish(f);

	/* IPIs and the outcome of a replayed witness */
	fx_setup(f, race, NULL, "blind");
	run_ok(f, 0, "0 0 0 0 1 1 i1 0 0", r);
	assert_true(r->n > 9);
	char head[64];
	sched_format(r->choices, 9, head, sizeof head);
	assert_string_equal(head, "0 0 0 0 1 1 i1 0 0");
	/* CPU#1's store went into the cleared PTE */
	assert_true(r->outcomes & (1u << OUT_DIRTY_NONPRESENT_PTE));
	run_free(r);
	fx_finish(f);
}

static void test_schedule_errors(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_setup(f, timed, NULL, "validating");
	assert_string_equal(run_fails(f, "0 0 0"),
	                    "schedule: token 3 '0': a step of that CPU is not possible at that point");
	assert_string_equal(run_fails(f, "i1"),
	                    "schedule: token 1 'i1': taking an IPI is not possible at that point");
	assert_string_equal(run_fails(f, "1 5"),
	                    "schedule: token 2 '5': a step of that CPU is not possible at that point");
	assert_string_equal(run_fails(f, "0 1 1 1 0 1"),
	                    "schedule: the run ended after 5 choices; token 6 and later were not used");
	fx_finish(f);

	/* a CPU blocked on a lock is not enabled */
	fx_setup(f, race, NULL, "blind");
	assert_string_equal(run_fails(f, "0 0 1 1 1"),
	                    "schedule: token 5 '1': a step of that CPU is not possible at that point");
	fx_finish(f);
}

static void test_max_events(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	char want[256];
	(void)state;
	/* a counter: no state repeats, so no livelock either */
	static const char text[] = MACHINE
		"vars: {n: 0}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - loop: [\"v = READ_ONCE(n)\", \"v = add(v, 1)\", \"WRITE_ONCE(n, v)\"]\n";
	fx_setup(f, text, NULL, "validating");
	RunOpts o = { .max_events = 10 };
	assert_int_equal(sim_run(&f->S, &o, r), -1);
	snprintf(want, sizeof want, "%s: run stopped after 10 events: can the scenario run forever?", f->path);
	assert_string_equal(f->S.err, want);
	assert_int_equal(r->n, 10);
	run_free(r);
	fx_finish(f);
}

/* CPU#0 waits for a flag that nobody sets; CPU#1 has two steps of its
 * own.  `fixed` sets the flag instead: the wait ends. */
static const char spin[] = MACHINE
	"variants: [stuck, fixed]\n"
	"vars: {flag: 0}\n"
	"procedures:\n"
	"  - name: other\n"
	"    variant: stuck\n"
	"    body: [\"set_page_dirty(page1)\", \"set_page_dirty(page2)\"]\n"
	"  - name: other\n"
	"    variant: fixed\n"
	"    body: [\"set_page_dirty(page1)\", \"WRITE_ONCE(flag, 1)\"]\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body:\n"
	"      - loop:\n"
	"          - \"v = READ_ONCE(flag)\"\n"
	"          - if: \"v\"\n"
	"            then: [break]\n"
	"  - cpu: 1\n"
	"    body: [\"other()\"]\n";

static int count_of(const RunResult *r, Choice c)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += r->choices[i] == c;
	return n;
}

/* A loop that returns to its state, with no way out: the run stops. */
static void test_livelock_loop(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - loop: [\"set_page_dirty(page1)\"]\n";
	fx_setup(f, text, NULL, "validating");
	run_ok(f, 0, NULL, r);
	assert_int_equal(r->outcomes, 1u << OUT_LIVELOCK);
	/* the first time: page1 becomes dirty; the second: nothing changes */
	assert_string_equal(choices(r), "0 0");
	assert_int_equal(r->cycle_at, 1);
	assert_int_equal(r->waits[0], 0);
	run_free(r);
	fx_finish(f);
}

/* Timed order: the run goes on while the cycle starves a CPU that could
 * still step (CPU#1), and stops at a cycle that takes every choice
 * enabled all along: CPU#1 has finished by then. */
static void test_livelock_timed_fair(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, spin, "stuck", "validating");
	for (uint64_t seed = 0; seed < 4; seed++) {
		run_ok(f, seed, NULL, r);
		assert_int_equal(r->outcomes, 1u << OUT_LIVELOCK);
		assert_int_equal(count_of(r, CH_STEP(1)), 2);
		for (int i = r->cycle_at; i < r->n; i++)
			assert_int_equal(r->choices[i], CH_STEP(0));
		assert_int_equal(w_cpu(&f->S.L, r->final, 1)->status, CPU_DONE);
		assert_int_equal(w_cpu(&f->S.L, r->final, 0)->status, CPU_RUN);
		run_free(r);
	}
	fx_finish(f);
}

/* A schedule that ends where it has been, in a state with no way out, is
 * a lasso: the run stops there, even if the cycle starves CPU#1 (the
 * schedule chose it).  Going on in timed order from the same state would
 * not have stopped there. */
static void test_livelock_schedule(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, spin, "stuck", "validating");
	run_ok(f, 0, "0", r);
	assert_int_equal(r->outcomes, 1u << OUT_LIVELOCK);
	assert_string_equal(choices(r), "0");
	assert_int_equal(r->cycle_at, 0);
	run_free(r);
	run_ok(f, 0, "1 0 0 0", r);
	assert_string_equal(choices(r), "1 0 0 0");
	assert_int_equal(r->outcomes, 1u << OUT_LIVELOCK);
	assert_int_equal(r->cycle_at, 1);   /* the first state seen again */
	run_free(r);
	fx_finish(f);
}

/* A cycle that can be left is no livelock: the run goes on and ends. */
static void test_escapable_cycle(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, spin, "fixed", "validating");
	run_ok(f, 0, "0 0 0", r);
	assert_int_equal(r->outcomes, 0);
	assert_int_equal(w_cpu(&f->S.L, r->final, 0)->status, CPU_DONE);
	assert_int_equal(w_cpu(&f->S.L, r->final, 1)->status, CPU_DONE);
	run_free(r);
	run_ok(f, 3, NULL, r);
	assert_int_equal(r->outcomes, 0);
	run_free(r);
	fx_finish(f);
}

static void test_deadlock_waits(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"spin_lock(la)\", \"spin_lock(lb)\"]\n"
		"  - cpu: 1\n"
		"    body: [\"spin_lock(lb)\", \"spin_lock(la)\"]\n";
	fx_setup(f, text, NULL, "validating");
	run_ok(f, 0, "0 1", r);
	assert_int_equal(r->outcomes, 1u << OUT_DEADLOCK);
	char want[512];
	sim_waits(&f->S, r->final, want, sizeof want);
	assert_true(strlen(want) > 0);
	assert_string_equal(r->waits, want);
	assert_non_null(strstr(r->waits, "CPU#0 waits in spin_lock(lb) for lb, held by CPU#1"));
	run_free(r);
	/* the timed order: CPU#1 takes lb while CPU#0 takes la (10 cycles) */
	run_ok(f, 0, NULL, r);
	assert_string_equal(choices(r), "0 1");
	assert_int_equal(r->outcomes, 1u << OUT_DEADLOCK);
	assert_string_equal(r->waits, want);
	run_free(r);
	fx_finish(f);
}

/* The time of the first event of cpu at step `step` in the trace. */
static uint64_t event_time(const SimFx *f, int cpu, int step)
{
	for (int i = 0; i < f->t.n; i++)
		if (f->t.ev[i].cpu == cpu && f->t.ev[i].step == step && f->t.ev[i].kind == EV_STEP)
			return f->t.ev[i].time;
	fail_msg("no event of CPU#%d at step %d", cpu, step);
	return 0;
}

/* A forced choice still happens when its CPU is ready: CPU#0's second
 * step cannot start before its 1000-cycle I/O is done. */
static void test_schedule_respects_ready_time(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	fx_setup(f, timed, NULL, "validating");
	f->S.trace = &f->t;
	run_ok(f, 0, "0 0", r);
	assert_string_equal(choices(r), "0 0 1 1 1");
	int spd = find_step(f->P, f->P->cpus[0].proc, OP_SET_PAGE_DIRTY, 0);
	assert_true(spd >= 0);
	assert_true(event_time(f, 0, spd) >= 1000);
	/* and CPU#1, which waited meanwhile, goes on from there */
	int spd1 = find_step(f->P, f->P->cpus[1].proc, OP_SET_PAGE_DIRTY, 0);
	assert_true(event_time(f, 1, spd1) >= 1000);
	run_free(r);
	fx_finish(f);
}

/* cost.lock_handoff: a CPU that waited for a lock takes it no sooner
 * than lock_handoff cycles after it became free. */
static void test_lock_handoff(void **state)
{
	SimFx *f = &fx[0];
	RunResult *r = &live[0];
	(void)state;
	static const char text[] =
		"scenario: h\n"
		"machine:\n"
		"  cpus: 2\n"
		"  cost: {lock_handoff: 500, jitter_pct: 0}\n"
		"mms: [mm]\n"
		"locks: [l]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"spin_lock(l)\", \"spin_unlock(l)\"]\n"
		"  - cpu: 1\n"
		"    body: [\"spin_lock(l)\", \"spin_unlock(l)\"]\n";
	fx_setup(f, text, NULL, "validating");
	assert_int_equal(f->P->cost.lock_handoff, 500);
	f->S.trace = &f->t;
	run_ok(f, 0, NULL, r);
	assert_string_equal(choices(r), "0 0 1 1");
	int lock1 = find_step(f->P, f->P->cpus[1].proc, OP_SPIN_LOCK, 0);
	/* CPU#0 releases l at cycle 10 */
	assert_true(event_time(f, 1, lock1) >= 510);
	run_free(r);
	fx_finish(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_seed0_reproducible, cleanup),
		cmocka_unit_test_teardown(test_seeds_reproducible, cleanup),
		cmocka_unit_test_teardown(test_timed_order, cleanup),
		cmocka_unit_test_teardown(test_time_includes_last_event, cleanup),
		cmocka_unit_test_teardown(test_schedule_replay, cleanup),
		cmocka_unit_test_teardown(test_schedule_errors, cleanup),
		cmocka_unit_test_teardown(test_max_events, cleanup),
		cmocka_unit_test_teardown(test_livelock_loop, cleanup),
		cmocka_unit_test_teardown(test_livelock_timed_fair, cleanup),
		cmocka_unit_test_teardown(test_livelock_schedule, cleanup),
		cmocka_unit_test_teardown(test_escapable_cycle, cleanup),
		cmocka_unit_test_teardown(test_deadlock_waits, cleanup),
		cmocka_unit_test_teardown(test_schedule_respects_ready_time, cleanup),
		cmocka_unit_test_teardown(test_lock_handoff, cleanup),
	};
	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}

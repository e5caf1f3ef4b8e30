/* tests/unit/test_outcome.c: the outcomes of an end state (sim/outcome.c)
 * beyond lost_dirty: lost_write and what the kernel under test reads, the
 * check functions (page_content, disk_version, tlb_*), exists:
 * expressions, outcomes turned off, and what the compiler refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* CPU#1 stores through a writable, clean TLB entry of a shared file
 * page; CPU#0 clears PG_dirty.  The variant "reads" also reads the PTE's
 * dirty bit, "skey" the storage key.  FLAGS are page0's initial flags. */
#define SCN(FLAGS, EXTRA) \
	"scenario: o\n" \
	"variants: [plain, reads, skey]\n" \
	"machine: {cpus: 2, tlb_entries: 4}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 4096\n" \
	"    pages:\n" \
	"      - {name: page0, index: 0, flags: [" FLAGS "]}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, pages: 1, file: file, writable: true, shared: true}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n" \
	"tlb:\n" \
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: false}\n" \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    body:\n" \
	"      - \"TestClearPageDirty(page0)\"\n" \
	"      - variant: [reads]\n" \
	"        then: [\"d = pte_dirty(ptep_get(vma, 0x10000))\"]\n" \
	"      - variant: [skey]\n" \
	"        then: [\"k = page_test_and_clear_dirty(page0)\"]\n" \
	"  - cpu: 1\n" \
	"    mm: mm\n" \
	"    body: [\"store(0x10000)\"]\n" \
	EXTRA

static const char dirty[] = SCN("PG_dirty", "");
static const char writeback[] = SCN("PG_writeback", "");

static SimFx fx[1];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 1);
	return 0;
}

/* Runs the store (both its steps), then CPU#0 to its end. */
static uint32_t store_then_clear(SimFx *f, const char *text, const char *variant, const char *model)
{
	fx_start(f, text, variant, model);
	fx_apply(f, CH_STEP(1));
	fx_apply(f, CH_STEP(1));
	return fx_run_to_end(f);
}

#define LOST(o, x) (((o) >> OUT_##x) & 1)

/* The store leaves D in the PTE after PG_dirty was cleared: lost_dirty
 * trusts the bit, lost_write only where some kernel step reads it. */
static void test_lost_write_follows_what_the_kernel_reads(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	uint32_t o = store_then_clear(f, dirty, "plain", "validating");
	assert_false(f->P->kernel_reads_pte_dirty);
	assert_int_equal(LOST(o, LOST_DIRTY), 0);
	assert_int_equal(LOST(o, LOST_WRITE), 1);
	fx_finish(f);
	o = store_then_clear(f, dirty, "reads", "validating");
	assert_true(f->P->kernel_reads_pte_dirty);
	assert_int_equal(LOST(o, LOST_DIRTY), 0);
	assert_int_equal(LOST(o, LOST_WRITE), 0);
	fx_finish(f);
}

/* Under storagekey the store sets the frame's change bit: lost only
 * where no kernel step reads the key; the skey variant reads (and
 * clears) it after the store, so both outcomes agree there. */
static void test_lost_write_storage_key(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	uint32_t o = store_then_clear(f, dirty, "plain", "storagekey");
	assert_false(f->P->kernel_reads_skey);
	assert_int_equal(LOST(o, LOST_DIRTY), 0);
	assert_int_equal(LOST(o, LOST_WRITE), 1);
	fx_finish(f);
	o = store_then_clear(f, dirty, "skey", "storagekey");
	assert_true(f->P->kernel_reads_skey);
	assert_int_equal(LOST(o, LOST_DIRTY), 1);
	assert_int_equal(LOST(o, LOST_WRITE), 1);
	fx_finish(f);
}

/* PG_writeback keeps lost_dirty quiet (the page is being written), but
 * the I/O in flight carries the content from before the store. */
static void test_lost_write_writeback_is_no_excuse(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	uint32_t o = store_then_clear(f, writeback, "plain", "validating");
	assert_int_equal(LOST(o, LOST_DIRTY), 0);
	assert_int_equal(LOST(o, LOST_WRITE), 1);
	fx_finish(f);
}

static const char checks[] = SCN("PG_dirty",
	"outcomes:\n"
	"  - {lost_write: off}\n"
	"  - {name: newer, exists: \"page_content(page0) != disk_version(page0)\"}\n"
	"  - {name: cached_dirty, exists: \"tlb_valid(1, mm, 0x10000) && tlb_dirty(1, mm, 0x10000)\"}\n"
	"  - {name: cpu0_writable, exists: \"tlb_writable(0, mm, 0x10000)\"}\n"
	"  - {name: via_proc, check: chk}\n"
	"procedures:\n"
	"  - name: chk\n"
	"    body: [\"return tlb_writable(1, mm, 0x10000) + 0\"]\n");

/* The check functions read what kernel code cannot; lost_write is off. */
static void test_check_functions(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	uint32_t o = store_then_clear(f, checks, "plain", "validating");
	int newer = prog_outcome(f->P, "newer"), cached = prog_outcome(f->P, "cached_dirty");
	int cpu0 = prog_outcome(f->P, "cpu0_writable"), via = prog_outcome(f->P, "via_proc");
	assert_true(newer >= OUT__BUILTIN && cached >= 0 && cpu0 >= 0 && via >= 0);
	assert_int_equal(f->P->outcomes_off, 1u << OUT_LOST_WRITE);
	assert_int_equal(o, (1u << newer) | (1u << cached) | (1u << via));
	fx_finish(f);
	/* at the start (no end state: the unfinished CPUs count as a
	 * deadlock): the content is the disk's, the entry still clean */
	fx_start(f, checks, "plain", "validating");
	assert_int_equal(sim_outcomes(&f->S, f->w), (1u << OUT_DEADLOCK) | (1u << via));
	assert_false(f->S.failed);
	fx_finish(f);
}

/* CPU#0 raises x and lowers it again; CPU#1 reads it into seen. */
static const char inv[] =
	"scenario: inv\n"
	"machine: {cpus: 2}\n"
	"mms: [mm]\n"
	"vars: {x: 0, seen: 0}\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"WRITE_ONCE(x, 1)\", \"WRITE_ONCE(x, 0)\"]\n"
	"  - cpu: 1\n"
	"    body: [\"WRITE_ONCE(seen, READ_ONCE(x))\"]\n"
	"outcomes:\n"
	"  - {name: x_raised, always: \"READ_ONCE(x) == 0\"}\n"
	"  - {name: x_high_at_end, exists: \"READ_ONCE(x)\"}\n"
	"  - {name: seen_high, always: \"!READ_ONCE(seen)\"}\n";

/* always: is judged in every state on the way, exists: at the end only;
 * a broken invariant stays broken (a sticky bit of the state). */
static void test_always_invariant(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, inv, NULL, "validating");
	int raised = prog_outcome(f->P, "x_raised"), high = prog_outcome(f->P, "x_high_at_end");
	int seen = prog_outcome(f->P, "seen_high");
	assert_int_equal(f->P->invariants, (1u << raised) | (1u << seen));
	assert_int_equal(w_hdr(f->w)->broken, 0);
	fx_apply(f, CH_STEP(0));                        /* x = 1 */
	assert_int_equal(w_hdr(f->w)->broken, 1u << raised);
	fx_apply(f, CH_STEP(0));                        /* x = 0 again */
	assert_int_equal(w_hdr(f->w)->broken, 1u << raised);
	assert_int_equal(fx_run_to_end(f), 1u << raised);
	fx_finish(f);
	/* CPU#1 reads x while it is 1 */
	fx_start(f, inv, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	assert_int_equal(fx_run_to_end(f), (1u << raised) | (1u << seen));
	fx_finish(f);
	/* explored: x_raised always, seen_high sometimes, x_high_at_end never */
	fx_explore_ok(f, inv, "validating");
	assert_int_equal(f->R.always, 1u << raised);
	assert_int_equal(f->R.reach, (1u << raised) | (1u << seen));
	assert_int_equal(f->R.reach >> high & 1, 0);
	fx_finish(f);
}

/* A traced run notes where an invariant breaks, on the CPU that broke it. */
static void test_always_traced(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, inv, NULL, "validating");
	f->S.trace = &f->t;
	fx_apply(f, CH_STEP(0));
	int found = 0;
	for (int i = 0; i < f->t.n; i++)
		if (!strcmp(f->t.ev[i].text, "always: x_raised broken here")) {
			assert_int_equal(f->t.ev[i].cpu, 0);
			found++;
		}
	assert_int_equal(found, 1);
	fx_apply(f, CH_STEP(0));                        /* broken already: no second note */
	found = 0;
	for (int i = 0; i < f->t.n; i++)
		found += strstr(f->t.ev[i].text, "broken here") != NULL;
	assert_int_equal(found, 1);
	f->S.trace = NULL;
	fx_finish(f);
}

static void expect_error(const char *text, const char *anchor, const char *what)
{
	char msg[1024], want[1024];
	compile_err(text, NULL, msg, sizeof msg);
	snprintf(want, sizeof want, "F:%d:%d: %s", line_of(text, anchor), col_of(text, anchor), what);
	assert_string_equal(msg, want);
}

static void test_outcome_errors(void **state)
{
	(void)state;
	static const char unknown[] = SCN("PG_dirty", "outcomes: {lost_data: off}\n");
	expect_error(unknown, "lost_data", "outcomes: 'lost_data' is no built-in outcome (a named one is "
	             "{name: N, check: P})");
	static const char onoff[] = SCN("PG_dirty", "outcomes: {lost_write: maybe}\n");
	expect_error(onoff, "maybe", "outcomes: lost_write: expected off or on, got 'maybe'");
	static const char livelock[] = SCN("PG_dirty", "outcomes: {livelock: off}\n");
	expect_error(livelock, "off}", "outcomes: livelock cannot be turned off (a schedule that never ends has no "
	             "end state to judge)");
	static const char expect_off[] = SCN("PG_dirty",
		"outcomes: {lost_write: off}\n"
		"expect:\n"
		"  - {lost_write: never}\n");
	expect_error(expect_off, "lost_write: never",
	             "expect: outcome 'lost_write' is off in this scenario (outcomes:)");
	static const char both[] = SCN("PG_dirty",
		"outcomes:\n"
		"  - {name: x, check: chk, exists: \"1\"}\n"
		"procedures:\n"
		"  - name: chk\n"
		"    body: [\"return 1\"]\n");
	expect_error(both, "{name: x", "outcome x: give one of check: (a procedure), exists: (an expression) or "
	             "always: (an invariant)");
	static const char writes[] = SCN("PG_dirty",
		"outcomes:\n"
		"  - {name: x, check: chk}\n"
		"procedures:\n"
		"  - name: chk\n"
		"    body: [\"helper()\", \"return 1\"]\n"
		"  - name: helper\n"
		"    body: [\"set_page_dirty(page0)\"]\n");
	expect_error(writes, "set_page_dirty(page0)",
	             "outcome x: a check may only read the machine, and set_page_dirty can change it");
	static const char kernel[] =
		"scenario: o\n"
		"machine: {cpus: 1}\n"
		"mms: [mm]\n"
		"files:\n"
		"  - name: file\n"
		"    size: 4096\n"
		"    pages: [{name: page0, index: 0}]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"v = page_content(page0)\"]\n";
	expect_error(kernel, "page_content(page0)",
	             "page_content is a check function: only outcome checks may call it (kernel code cannot read it)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lost_write_follows_what_the_kernel_reads, cleanup),
		cmocka_unit_test_teardown(test_lost_write_storage_key, cleanup),
		cmocka_unit_test_teardown(test_lost_write_writeback_is_no_excuse, cleanup),
		cmocka_unit_test_teardown(test_check_functions, cleanup),
		cmocka_unit_test_teardown(test_always_invariant, cleanup),
		cmocka_unit_test_teardown(test_always_traced, cleanup),
		cmocka_unit_test(test_outcome_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

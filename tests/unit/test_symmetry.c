/* tests/unit/test_symmetry.c: unit tests of a declared class of
 * interchangeable CPUs (machine.symmetric, sym_check in sim/symmetry.c):
 * which declarations compile, which test refuses the others, and that a
 * reduced search of a declared class counts the full search's schedules
 * (and, under a preemption bound, the bounded search's). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "sim/explore.h"
#include "sim/symmetry.h"

/* CPU#1..#3 load from the one page through a writable TLB entry; CPU#4
 * runs the same body with a dirty entry; CPU#5 and CPU#6 run one loop
 * (jumps inside their bodies), CPU#7 a loop with another bound.  CPU#0
 * write-protects the page and flushes it. */
#define SYM_TEXT(machine_extra, outcomes) \
	"scenario: sym\n" \
	"machine: {cpus: 8, models: [validating]" machine_extra "}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - {name: file, size: 4096, pages: [{name: page0, index: 0, flags: [PG_uptodate]}]}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, file: file, writable: true, shared: true}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n" \
	"tlb:\n" \
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true}\n" \
	"  - {cpu: 2, mm: mm, addr: 0x10000, writable: true}\n" \
	"  - {cpu: 3, mm: mm, addr: 0x10000, writable: true}\n" \
	"  - {cpu: 4, mm: mm, addr: 0x10000, writable: true, dirty: true}\n" \
	"cpus:\n" \
	"  - {cpu: 0, body: [\"entry = ptep_get(vma, 0x10000)\", \"set_pte_at(vma, 0x10000, pte_wrprotect(entry))\", " \
	"\"flush_tlb_page(vma, 0x10000)\"]}\n" \
	"  - {cpu: 1, mm: mm, body: [\"load(0x10000)\"]}\n" \
	"  - {cpu: 2, mm: mm, body: [\"load(0x10000)\"]}\n" \
	"  - {cpu: 3, mm: mm, body: [\"load(0x10000)\"]}\n" \
	"  - {cpu: 4, mm: mm, body: [\"load(0x10000)\"]}\n" \
	"  - {cpu: 5, body: [\"i = 0\", {while: \"i < 2\", do: [\"i += 1\"]}]}\n" \
	"  - {cpu: 6, body: [\"i = 0\", {while: \"i < 2\", do: [\"i += 1\"]}]}\n" \
	"  - {cpu: 7, body: [\"i = 0\", {while: \"i < 3\", do: [\"i += 1\"]}]}\n" \
	outcomes

static const char sym_text[] = SYM_TEXT("", "");

/* sym_check: -1 for a class that holds, else its first bad CPU and why. */
static void test_check(void **state)
{
	(void)state;
	char why[256];
	Program *P = compile_ok(sym_text, NULL);
	assert_int_equal(sym_check(P, "validating", 0xe, why, sizeof why), -1);   /* CPU#1-3 */
	assert_int_equal(sym_check(P, "validating", 0x60, why, sizeof why), -1);  /* CPU#5,6: relative jumps */
	assert_int_equal(sym_check(P, "validating", 0x1e, why, sizeof why), 4);
	assert_string_equal(why, "CPU#4 differs from CPU#1 in tlb");
	assert_int_equal(sym_check(P, "validating", 0x3, why, sizeof why), 1);
	assert_string_equal(why, "CPU#1 differs from CPU#0 in body");
	assert_int_equal(sym_check(P, "validating", 0xa0, why, sizeof why), 7);
	assert_string_equal(why, "CPU#7 differs from CPU#5 in body");
	assert_int_equal(sym_check(P, "no-such-model", 0xe, why, sizeof why), -2);
	prog_free(P);
}

/* An outcome check naming CPU#2 pins it; one naming a CPU by a value
 * computed at run time pins every CPU. */
static void test_check_names_cpu(void **state)
{
	(void)state;
	char why[256];
	Program *P = compile_ok(SYM_TEXT("", "outcomes:\n  - {name: w2, exists: \"tlb_dirty(2, mm, 0x10000)\"}\n"), NULL);
	assert_int_equal(sym_check(P, "validating", 0xe, why, sizeof why), 2);
	assert_string_equal(why, "CPU#2 is named by an outcome check (tlb_dirty, line 25)");
	assert_int_equal(sym_check(P, "validating", 0xa, why, sizeof why), -1);  /* CPU#1,3 */
	prog_free(P);
	P = compile_ok(SYM_TEXT("", "vars: {c: 1}\n"
	                        "outcomes:\n  - {name: wc, exists: \"tlb_dirty(READ_ONCE(c), mm, 0x10000)\"}\n"), NULL);
	assert_int_equal(sym_check(P, "validating", 0xe, why, sizeof why), 2);
	assert_string_equal(why, "an outcome check names a CPU by a value computed at run time");
	prog_free(P);
}

/* The compiler keeps a declaration that holds in P->symmetric, and
 * refuses one that does not at the bad CPU's item. */
static void test_compile(void **state)
{
	(void)state;
	char msg[512];
	Program *P = compile_ok(SYM_TEXT(", symmetric: [3, 1, 2]", ""), NULL);
	assert_int_equal(P->symmetric, 0xe);
	prog_free(P);
	P = compile_ok(sym_text, NULL);
	assert_int_equal(P->symmetric, 0);
	prog_free(P);
	compile_err(SYM_TEXT(", symmetric: [1, 2, 4]", ""), NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:2:60: machine.symmetric: CPU#4 differs from CPU#1 in tlb");
}

/* A declared class turns the reduction on only where the caller asks
 * (cli: unless --no-symmetry): the reduced search has fewer states and
 * the same schedules and outcomes as the full one. */
static void test_explore_declared(void **state)
{
	(void)state;
	char err[512];
	Program *P = compile_ok(SYM_TEXT(", symmetric: [1, 2, 3]", ""), NULL);
	ExploreResult full, red;
	ExploreOpts o = { .max_states = 1000000 };
	Sim S;
	assert_int_equal(sim_init(&S, P, "validating", err, sizeof err), 0);
	if (explore(&S, &o, &full) != 0)
		fail_msg("%s", S.err);
	o.symmetry = 1;
	assert_int_equal(explore(&S, &o, &red), 0);
	assert_true(red.nsym >= 1);
	assert_int_equal(red.sym[0], 0xe);
	assert_true(red.states < full.states);
	assert_true(red.schedules == full.schedules);
	assert_int_equal(red.reach, full.reach);
	assert_int_equal(red.always, full.always);
	explore_free(&full);
	explore_free(&red);
	/* under a preemption bound too: the same bounded schedules */
	ExploreOpts b = { .max_states = 1000000, .bound_preemptions = 1, .preemptions = 1 };
	assert_int_equal(explore(&S, &b, &full), 0);
	b.symmetry = 1;
	assert_int_equal(explore(&S, &b, &red), 0);
	assert_int_equal(red.stop, EX_PREEMPT);
	assert_true(red.nsym >= 1);
	assert_true(red.states < full.states);
	assert_true(red.schedules == full.schedules);
	assert_int_equal(red.reach, full.reach);
	explore_free(&full);
	explore_free(&red);
	sim_free(&S);
	prog_free(P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_names_cpu),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_explore_declared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

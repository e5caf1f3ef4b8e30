/* tests/unit/test_flush.c: unit tests of sim/flush.c, the TLB flush
 * machinery: flush_tlb_range and flush_tlb_mm (the shootdown
 * flush_tlb_page shares), the mmu_gather, reclaim's batched unmap
 * flush (tlb_ubc), mm->tlb_flush_pending.  Small scenarios are compiled from text and
 * driven choice by choice (sim_start / sim_apply), or explored; the TLBs,
 * pages and outcomes are checked after each. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/exec.h"
#include "sim/world.h"

/* Two CPUs; mm maps page0..page2 at 0x10000..0x12000 (vma), other maps
 * page3 at 0x10000 (vma2).  CPU#1 caches all three pages of mm and the
 * page of other, writable and dirty.  The body of CPU#0 follows. */
#define MACHINE \
	"scenario: f\n" \
	"machine: {cpus: 2, tlb_entries: 8, models: [validating]}\n" \
	"mms: [mm, other]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 16384\n" \
	"    pages:\n" \
	"      - {name: page0, index: 0}\n" \
	"      - {name: page1, index: 1}\n" \
	"      - {name: page2, index: 2}\n" \
	"      - {name: page3, index: 3}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, pages: 3, file: file}\n" \
	"  - {name: vma2, mm: other, start: 0x10000, pages: 1, file: file, pgoff: 3}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x67}\n" \
	"  - {mm: mm, addr: 0x11000, page: page1, prot: 0x67}\n" \
	"  - {mm: mm, addr: 0x12000, page: page2, prot: 0x67}\n" \
	"  - {mm: other, addr: 0x10000, page: page3, prot: 0x67}\n" \
	"tlb:\n" \
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: true}\n" \
	"  - {cpu: 1, mm: mm, addr: 0x11000, writable: true, dirty: true}\n" \
	"  - {cpu: 1, mm: mm, addr: 0x12000, writable: true, dirty: true}\n" \
	"  - {cpu: 1, mm: other, addr: 0x10000, writable: true, dirty: true}\n"

#define CPU0(body) \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    body: [" body "]\n" \
	"  - {cpu: 1, mm: mm, body: [\"x = load(0x10000)\"]}\n"

static SimFx fx[2];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 2);
	return 0;
}

static CpuState *cpu(SimFx *f, int c) { return w_cpu(&f->S.L, f->w, c); }
static GatherState *gather(SimFx *f, int c) { return &w_flush(&f->S.L, f->w, c)->tlb; }
static UbcState *ubc(SimFx *f, int c) { return &w_flush(&f->S.L, f->w, c)->ubc; }
static int32_t pending(SimFx *f, int mm) { return w_mm(&f->S.L, f->w, mm)->tlb_flush_pending; }
static PageState *page(SimFx *f, int pfn) { return w_page(&f->S.L, f->w, pfn); }

/* 1 if CPU c caches address addr of mm (index). */
static int cached(SimFx *f, int c, int mm, uint32_t addr)
{
	return tlb_lookup(w_tlb(&f->S.L, f->w, c), f->S.L.tlb_size, mm, addr >> 12) >= 0;
}

/* The flags of CPU c's entry for (mm, addr), which must exist. */
static uint8_t tlb_flags(SimFx *f, int c, int mm, uint32_t addr)
{
	int i = tlb_lookup(w_tlb(&f->S.L, f->w, c), f->S.L.tlb_size, mm, addr >> 12);
	assert_true(i >= 0);
	return w_tlb(&f->S.L, f->w, c)[i].flags;
}

/* Asserts that f's error is "<path>:<line>:<col>: <msg>" for the step
 * whose text starts at the first `at` of f's text. */
static void assert_err_at(SimFx *f, const char *at, const char *msg)
{
	char want[512];
	snprintf(want, sizeof want, "%s:%d:%d: %s", f->path, line_of(f->text, at), col_of(f->text, at), msg);
	assert_string_equal(f->S.err, want);
}

/* ---- flush_tlb_range, flush_tlb_mm ---- */

/* [0x10000, 0x11800) touches two pages: both go, on CPU#1 by its IPI;
 * the third page and the other mm stay cached. */
static void test_flush_tlb_range(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"flush_tlb_range(vma, 0x10000, 0x11800)\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->phase, PH_WAIT);
	assert_int_equal(cpu(f, 0)->acks, 1);
	assert_int_equal(cpu(f, 0)->flush_vpn, 0x10);
	assert_int_equal(cpu(f, 0)->flush_end, 0x12);
	assert_true(tlb_flags(f, 1, 0, 0x11000) & TLB_DOOMED);
	assert_false(tlb_flags(f, 1, 0, 0x12000) & TLB_DOOMED);
	assert_string_equal(fx_enabled(f), "1 i1");
	fx_apply(f, CH_IPI(1));
	assert_false(cached(f, 1, 0, 0x10000));
	assert_false(cached(f, 1, 0, 0x11000));
	assert_true(cached(f, 1, 0, 0x12000));
	assert_true(cached(f, 1, 1, 0x10000));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_int_equal(cpu(f, 0)->flush_end, 0);
	assert_int_equal(cpu(f, 0)->flush_targets, 0);
	fx_finish(f);
}

/* flush_tlb_mm: every entry of mm, none of other. */
static void test_flush_tlb_mm(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"flush_tlb_mm(mm)\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_IPI(1));
	for (uint32_t a = 0x10000; a <= 0x12000; a += 0x1000)
		assert_false(cached(f, 1, 0, a));
	assert_true(cached(f, 1, 1, 0x10000));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	fx_finish(f);
}

/* A flush that misses CPU#1 (mm_cpumask override) leaves its entries of
 * the range STALE once it completes, and only those. */
static void test_flush_tlb_range_missed(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE "mm_cpumask: {mm: [0]}\n" CPU0("\"flush_tlb_range(vma, 0x11000, 0x13000)\""), NULL,
	         "validating");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->acks, 0);
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	fx_apply(f, CH_STEP(0));
	assert_int_equal(tlb_flags(f, 1, 0, 0x10000) & (TLB_DOOMED | TLB_STALE), 0);
	assert_true(tlb_flags(f, 1, 0, 0x11000) & TLB_STALE);
	assert_true(tlb_flags(f, 1, 0, 0x12000) & TLB_STALE);
	assert_int_equal(tlb_flags(f, 1, 1, 0x10000) & (TLB_DOOMED | TLB_STALE), 0);
	fx_finish(f);
}

/* start > end is a scenario error at the step; start == end flushes no
 * page but still IPIs (and waits). */
static void test_flush_tlb_range_bad(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"x = 0x10000\", \"flush_tlb_range(vma, x + 0x2000, x)\""), NULL, "validating");
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	assert_err_at(f, "flush_tlb_range(", "flush_tlb_range: start 0x12000 is above end 0x10000");
	fx_finish(f);
	fx_start(f, MACHINE CPU0("\"flush_tlb_range(vma, 0x10000, 0x10000)\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->acks, 1);
	fx_apply(f, CH_IPI(1));
	assert_true(cached(f, 1, 0, 0x10000));
	fx_finish(f);
}

/* Exhaustively: a store racing a range flush that covers its page never
 * writes through a stale entry, and the machine never deadlocks. */
static void test_flush_tlb_range_explore(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_explore_ok(f, MACHINE
		"cpus:\n"
		"  - {cpu: 0, body: [\"flush_tlb_range(vma, 0x10000, 0x13000)\"]}\n"
		"  - {cpu: 1, mm: mm, body: [\"store(0x12000)\"]}\n", "validating");
	assert_int_equal(f->R.reach & (1u << OUT_STALE_TLB_WRITE | 1u << OUT_DEADLOCK), 0);
	assert_true(f->R.states > 3);
	fx_finish(f);
}

/* ---- mmu_gather ---- */

/* CPU#0 zaps 0x10000 and 0x11000 (page0, page1: one reference each, the
 * mapping's) with a gather, then runs the rest of its body (tail). */
#define ZAP(tail) \
	CPU0("\"tlb_gather_mmu(vma, 0x10000, 0x12000)\", " \
	     "\"x = ptep_get_and_clear(vma, 0x10000)\", \"tlb_remove_tlb_entry(vma, 0x10000)\", " \
	     "\"page_remove_rmap(page0)\", \"tlb_remove_page(page0)\", " \
	     "\"x = ptep_get_and_clear(vma, 0x11000)\", \"tlb_remove_tlb_entry(vma, 0x11000)\", " \
	     "\"page_remove_rmap(page1)\", \"tlb_remove_page(page1)\", " tail)

/* The gather defers both put_pages until tlb_flush_mmu's flush of
 * [0x10000, 0x12000) is acked; the gather stays in use, empty, until
 * tlb_finish_mmu (no range left: no flush, no IPI). */
static void test_gather_defers_put_page(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE ZAP("\"tlb_flush_mmu()\", \"tlb_finish_mmu(0x10000, 0x12000)\""), NULL,
	         "validating");
	assert_int_equal(f->S.L.nflush, 2);
	page(f, 1)->count = page(f, 2)->count = 1;      /* the page cache let go (as truncate) */
	for (int i = 0; i < 9; i++)
		fx_apply(f, CH_STEP(0));
	assert_true(gather(f, 0)->active);
	assert_int_equal(gather(f, 0)->nr, 2);
	assert_int_equal(gather(f, 0)->start, 0x10);
	assert_int_equal(gather(f, 0)->end, 0x12);
	assert_int_equal(page(f, 1)->count, 1);
	fx_apply(f, CH_STEP(0));                         /* tlb_flush_mmu: IPI */
	assert_int_equal(cpu(f, 0)->acks, 1);
	assert_string_equal(fx_enabled(f), "1 i1");
	fx_apply(f, CH_IPI(1));
	assert_false(cached(f, 1, 0, 0x11000));
	assert_true(cached(f, 1, 0, 0x12000));
	assert_int_equal(page(f, 2)->frame & FRAME_FREE, 0);
	fx_apply(f, CH_STEP(0));                         /* acked: the frees */
	assert_true(page(f, 1)->frame & FRAME_FREE);
	assert_true(page(f, 2)->frame & FRAME_FREE);
	assert_true(gather(f, 0)->active);
	assert_int_equal(gather(f, 0)->nr, 0);
	assert_int_equal(gather(f, 0)->end, 0);
	fx_apply(f, CH_STEP(0));                         /* tlb_finish_mmu: nothing to flush */
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	GatherState zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(gather(f, 0), &zero, sizeof zero);
	fx_finish(f);
}

/* A gather of the whole mm (0, -1) flushes every page of it. */
static void test_gather_fullmm(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"tlb_gather_mmu(mm, 0, -1)\", \"tlb_finish_mmu(0, -1)\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_true(gather(f, 0)->fullmm);
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_IPI(1));
	for (uint32_t a = 0x10000; a <= 0x12000; a += 0x1000)
		assert_false(cached(f, 1, 0, a));
	assert_true(cached(f, 1, 1, 0x10000));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	fx_finish(f);
}

/* Explored: the gather's order never reaches a freed frame through
 * CPU#1's entry; put_page before the flush does. */
static void test_gather_explore(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char *const tail[] = {
		"      - \"tlb_remove_page(page1)\"\n      - \"tlb_finish_mmu(0x11000, 0x12000)\"\n",
		"      - \"put_page(page1)\"\n      - \"tlb_finish_mmu(0x11000, 0x12000)\"\n",
	};
	for (int i = 0; i < 2; i++) {
		char text[4096];
		snprintf(text, sizeof text, "%s%s", MACHINE
			"fault_handler: fh\n"
			"procedures:\n"
			"  - {name: fh, params: [vma, address, write], body: [\"return VM_FAULT_SIGBUS\"]}\n"
			"cpus:\n"
			"  - {cpu: 1, mm: mm, body: [\"store(0x11000)\"]}\n"
			"  - cpu: 0\n"
			"    body:\n"
			"      - \"delete_from_page_cache(page1)\"\n"
			"      - \"tlb_gather_mmu(vma, 0x11000, 0x12000)\"\n"
			"      - \"x = ptep_get_and_clear(vma, 0x11000)\"\n"
			"      - \"tlb_remove_tlb_entry(vma, 0x11000)\"\n"
			"      - \"page_remove_rmap(page1)\"\n", tail[i]);
		fx_explore_ok(f, text, "validating");
		assert_int_equal(!!(f->R.reach & 1u << OUT_USE_AFTER_FREE), i);
		assert_int_equal(f->R.reach & (1u << OUT_DEADLOCK | 1u << OUT_BUG_ON), 0);
		fx_finish(f);
	}
}

/* Each misuse is a scenario error at the step that makes it. */
static void test_gather_errors(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const struct { const char *body, *at, *msg; } bad[] = {
		{ "\"tlb_remove_page(page0)\"", "tlb_remove_page(",
		  "tlb_remove_page without tlb_gather_mmu: CPU#0's mmu_gather is not in use" },
		{ "\"tlb_flush_mmu()\"", "tlb_flush_mmu(",
		  "tlb_flush_mmu without tlb_gather_mmu: CPU#0's mmu_gather is not in use" },
		{ "\"tlb_finish_mmu(0, 1)\"", "tlb_finish_mmu(",
		  "tlb_finish_mmu without tlb_gather_mmu: CPU#0's mmu_gather is not in use" },
		{ "\"tlb_remove_tlb_entry(vma, 0x10000)\"", "tlb_remove_tlb_entry(",
		  "tlb_remove_tlb_entry without tlb_gather_mmu: CPU#0's mmu_gather is not in use" },
		{ "\"tlb_gather_mmu(vma, 0x12000, 0x10000)\"", "tlb_gather_mmu(",
		  "tlb_gather_mmu: start 0x12000 is above end 0x10000" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[4096];
		snprintf(text, sizeof text, "%s" CPU0("%s"), MACHINE, bad[i].body);
		fx_start(f, text, NULL, "validating");
		assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
		assert_err_at(f, bad[i].at, bad[i].msg);
		fx_finish(f);
	}
	/* a second gather on one CPU, an mm not the gather's (the second
	 * step), a ninth page */
	static const struct { const char *body, *at, *msg; } late[] = {
		{ "\"tlb_gather_mmu(vma, 0, 1)\", \"tlb_gather_mmu(vma, 0, 2)\"", "tlb_gather_mmu(vma, 0, 2)",
		  "tlb_gather_mmu: CPU#0's mmu_gather is in use (no tlb_finish_mmu since its tlb_gather_mmu)" },
		{ "\"tlb_gather_mmu(vma, 0, 1)\", \"tlb_remove_tlb_entry(vma2, 0x10000)\"", "tlb_remove_tlb_entry(",
		  "tlb_remove_tlb_entry: mm other is not the mmu_gather's mm mm" },
	};
	for (size_t i = 0; i < sizeof late / sizeof late[0]; i++) {
		char text[4096];
		snprintf(text, sizeof text, "%s" CPU0("%s"), MACHINE, late[i].body);
		fx_start(f, text, NULL, "validating");
		fx_apply(f, CH_STEP(0));
		assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
		assert_err_at(f, late[i].at, late[i].msg);
		fx_finish(f);
	}
	fx_start(f, MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"tlb_gather_mmu(vma, 0, 1)\"\n"
		"      - \"i = 0\"\n"
		"      - while: \"i < 9\"\n"
		"        do: [\"tlb_remove_page(page0)\", \"i = i + 1\"]\n", NULL, "validating");
	for (int i = 0; i < 9; i++)
		fx_apply(f, CH_STEP(0));
	assert_int_equal(gather(f, 0)->nr, MMU_GATHER_BUNDLE);
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	assert_err_at(f, "tlb_remove_page(",
	              "tlb_remove_page: CPU#0's mmu_gather holds 8 pages already (MMU_GATHER_BUNDLE): tlb_flush_mmu first");
	fx_finish(f);
}

/* Only a program with a batch step has FlushStates in its worlds. */
static void test_gather_layout(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"flush_tlb_mm(mm)\""), NULL, "validating");
	assert_int_equal(f->S.L.nflush, 0);
	assert_int_equal(f->S.L.flush, f->S.L.size);
	fx_finish(f);
	fx_start(f, MACHINE CPU0("\"tlb_gather_mmu(mm, 0, -1)\", \"tlb_finish_mmu(0, -1)\""), NULL, "validating");
	assert_int_equal(f->S.L.nflush, 2);
	assert_int_equal(f->S.L.size - f->S.L.flush, 2 * sizeof(FlushState));
	fx_finish(f);
}

/* ---- reclaim's batched unmap flush (tlb_ubc) ---- */

/* A clean PTE owes a flush that try_to_unmap_flush_dirty leaves alone
 * and try_to_unmap_flush does: CPU#1's whole TLB (its other mm's entry
 * too), by IPI; CPU#0 is in no cpumask, so nothing local. */
static void test_ubc_flush(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE CPU0("\"set_tlb_ubc_flush_pending(vma, 0)\", \"try_to_unmap_flush_dirty()\", "
	                         "\"try_to_unmap_flush()\", \"try_to_unmap_flush()\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_true(ubc(f, 0)->flush_required);
	assert_false(ubc(f, 0)->writable);
	assert_int_equal(ubc(f, 0)->cpumask, 2);
	assert_int_equal(ubc(f, 0)->mms, 1);
	fx_apply(f, CH_STEP(0));                        /* _dirty: not writable, no flush */
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	assert_true(ubc(f, 0)->flush_required);
	fx_apply(f, CH_STEP(0));                        /* the flush: IPI to CPU#1 */
	assert_int_equal(cpu(f, 0)->acks, 1);
	assert_int_equal(cpu(f, 0)->flush_mm, TLB_ANY_MM);
	assert_true(tlb_flags(f, 1, 0, 0x12000) & TLB_DOOMED);
	assert_false(tlb_flags(f, 1, 1, 0x10000) & TLB_DOOMED);
	fx_apply(f, CH_IPI(1));
	assert_false(cached(f, 1, 0, 0x10000));
	assert_false(cached(f, 1, 1, 0x10000));
	fx_apply(f, CH_STEP(0));
	UbcState zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(ubc(f, 0), &zero, sizeof zero);
	fx_apply(f, CH_STEP(0));                        /* nothing owed any more */
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	fx_finish(f);
}

/* A writable (dirty) PTE: try_to_unmap_flush_dirty flushes; the
 * flushing CPU in the cpumask flushes its own TLB too. */
static void test_ubc_flush_dirty(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE "  - {cpu: 0, mm: other, addr: 0x10000, writable: true, dirty: true}\n"
	         CPU0("\"set_tlb_ubc_flush_pending(vma2, 1)\", \"try_to_unmap_flush_dirty()\""), NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_true(ubc(f, 0)->writable);
	assert_int_equal(ubc(f, 0)->cpumask, 3);        /* mm_cpumask(other): both */
	fx_apply(f, CH_STEP(0));
	assert_false(cached(f, 0, 1, 0x10000));         /* local */
	assert_int_equal(cpu(f, 1)->ipi_from, 1);
	fx_apply(f, CH_IPI(1));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_false(ubc(f, 0)->flush_required);
	fx_finish(f);
}

/* A batch whose cpumask misses CPU#1 (mm_cpumask override) leaves CPU#1's
 * entries of the batch's mm STALE once done, and only those. */
static void test_ubc_missed(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE "mm_cpumask: {mm: [0]}\n" CPU0("\"set_tlb_ubc_flush_pending(mm, 1)\", \"try_to_unmap_flush()\""),
	         NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	fx_apply(f, CH_STEP(0));
	assert_true(tlb_flags(f, 1, 0, 0x10000) & TLB_STALE);
	assert_true(tlb_flags(f, 1, 0, 0x12000) & TLB_STALE);
	assert_int_equal(tlb_flags(f, 1, 1, 0x10000) & (TLB_DOOMED | TLB_STALE), 0);
	fx_finish(f);
}

/* ---- mm->tlb_flush_pending ---- */

/* A count per mm: the reads say pending (> 0) and nested (> 1); a dec
 * below 0 is a scenario error at the step.  The results land in vars. */
static void test_tlb_flush_pending(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE "vars: {p: 9, n: 9}\n"
	         CPU0("\"inc_tlb_flush_pending(vma)\", \"inc_tlb_flush_pending(mm)\", "
	              "\"WRITE_ONCE(n, mm_tlb_flush_nested(mm))\", \"dec_tlb_flush_pending(mm)\", "
	              "\"WRITE_ONCE(p, mm_tlb_flush_pending(mm) + 10 * mm_tlb_flush_nested(mm))\", "
	              "\"dec_tlb_flush_pending(mm)\", \"dec_tlb_flush_pending(mm)\""), NULL, "validating");
	uint64_t *var = (uint64_t *)(f->w + f->S.L.var);
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(pending(f, 0), 2);
	assert_int_equal(pending(f, 1), 0);
	for (int i = 0; i < 7; i++)
		fx_apply(f, CH_STEP(0));
	assert_int_equal(var[1], 1);                    /* nested at 2 */
	assert_int_equal(var[0], 1);                    /* pending, not nested at 1 */
	assert_int_equal(pending(f, 0), 0);
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	assert_err_at(f, "dec_tlb_flush_pending(mm)\"]",
	              "dec_tlb_flush_pending: mm mm has no flush pending (tlb_flush_pending would go below 0)");
	fx_finish(f);
}

/* A gather counts as a pending flush from tlb_gather_mmu to
 * tlb_finish_mmu; with another one pending (nested), tlb_finish_mmu
 * flushes [start, end) though it gathered nothing. */
static void test_gather_nested(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char *const pre[] = { "", "\"inc_tlb_flush_pending(mm)\", " };
	for (int i = 0; i < 2; i++) {
		char text[4096];
		snprintf(text, sizeof text, "%s" CPU0("%s\"tlb_gather_mmu(vma, 0x10000, 0x11000)\", "
		         "\"tlb_finish_mmu(0x10000, 0x11000)\""), MACHINE, pre[i]);
		fx_start(f, text, NULL, "validating");
		for (int k = 0; k <= i; k++)
			fx_apply(f, CH_STEP(0));
		assert_int_equal(pending(f, 0), i + 1);
		fx_apply(f, CH_STEP(0));                /* tlb_finish_mmu */
		assert_int_equal(cpu(f, 1)->ipi_from, (uint64_t)i);
		if (i) {
			assert_int_equal(gather(f, 0)->start, 0x10);
			assert_int_equal(gather(f, 0)->end, 0x11);
			fx_apply(f, CH_IPI(1));
			assert_false(cached(f, 1, 0, 0x10000));
			assert_true(cached(f, 1, 0, 0x11000));
			fx_apply(f, CH_STEP(0));
		} else {
			assert_true(cached(f, 1, 0, 0x10000));
		}
		assert_int_equal(cpu(f, 0)->status, CPU_DONE);
		assert_int_equal(pending(f, 0), i);
		assert_false(gather(f, 0)->active);
		fx_finish(f);
	}
}

/* An outcome check may read the count. */
static void test_pending_in_check(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_explore_ok(f, MACHINE CPU0("\"inc_tlb_flush_pending(mm)\"")
		"outcomes:\n"
		"  - {name: left_pending, check: chk}\n"
		"procedures:\n"
		"  - {name: chk, body: [\"return mm_tlb_flush_pending(mm)\"]}\n", "validating");
	int o = prog_outcome(f->P, "left_pending");
	assert_true(o >= 0);
	assert_true(f->R.always & 1u << o);
	fx_finish(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_flush_tlb_range, cleanup),
		cmocka_unit_test_teardown(test_flush_tlb_mm, cleanup),
		cmocka_unit_test_teardown(test_flush_tlb_range_missed, cleanup),
		cmocka_unit_test_teardown(test_flush_tlb_range_bad, cleanup),
		cmocka_unit_test_teardown(test_flush_tlb_range_explore, cleanup),
		cmocka_unit_test_teardown(test_gather_defers_put_page, cleanup),
		cmocka_unit_test_teardown(test_gather_fullmm, cleanup),
		cmocka_unit_test_teardown(test_gather_explore, cleanup),
		cmocka_unit_test_teardown(test_gather_errors, cleanup),
		cmocka_unit_test_teardown(test_gather_layout, cleanup),
		cmocka_unit_test_teardown(test_ubc_flush, cleanup),
		cmocka_unit_test_teardown(test_ubc_flush_dirty, cleanup),
		cmocka_unit_test_teardown(test_ubc_missed, cleanup),
		cmocka_unit_test_teardown(test_tlb_flush_pending, cleanup),
		cmocka_unit_test_teardown(test_gather_nested, cleanup),
		cmocka_unit_test_teardown(test_pending_in_check, cleanup),
	};
	return cmocka_run_group_tests_name("flush", tests, NULL, NULL);
}

/* tests/unit/test_exec.c: unit tests of sim/exec.c, driven by hand:
 * small scenarios are compiled, then sim_start / sim_enabled / sim_apply
 * are called choice by choice and the world checked after each. */
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

/* Two CPUs, one shared file mapping of page0 at 0x10000 (PTE 0x1027:
 * present, writable, user, accessed, clean), page1 unmapped, two locks
 * (la is lock 1, lb lock 2: lock 0 is the PTL). */
#define MACHINE \
	"scenario: e\n" \
	"variants: [bad, good]\n" \
	"machine: {cpus: 2, tlb_entries: 4}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 8192\n" \
	"    pages:\n" \
	"      - {name: page0, index: 0}\n" \
	"      - {name: page1, index: 1}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, pages: 1, file: file}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n" \
	"locks: [la, lb]\n"

/* CPU#1 caches the mapping: writable, clean. */
#define TLB1 \
	"tlb:\n" \
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: false}\n"

#define FAULT_HANDLER \
	"fault_handler: fh\n" \
	"procedures:\n" \
	"  - name: fh\n" \
	"    params: [vma, address, write]\n" \
	"    body:\n" \
	"      - \"e = ptep_get(vma, address)\"\n" \
	"      - \"return 0\"\n"

#define LA 1
#define LB 2

/* The fixtures of the running test; the teardown frees what a failed
 * test left behind. */
static SimFx fx[2];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 2);
	return 0;
}

static CpuState *cpu(SimFx *f, int c) { return w_cpu(&f->S.L, f->w, c); }
static pte_t pte(SimFx *f) { return w_pte(&f->S.L, f->w, 0); }
static PageState *page(SimFx *f, int pfn) { return w_page(&f->S.L, f->w, pfn); }
static TlbEntry *tlb(SimFx *f, int c) { return w_tlb(&f->S.L, f->w, c); }
static int tlb_has(SimFx *f, int c) { return tlb_lookup(tlb(f, c), f->S.L.tlb_size, 0, 0x10); }
static int f_op_at(SimFx *f) { return f->P->steps[cpu(f, 0)->pc].op; }
static uint8_t lock_byte(SimFx *f, int l) { return f->w[f->S.L.lock + (size_t)l]; }

/* ---- stores and the dirty-bit models ---- */

static const char race[] = MACHINE TLB1 FAULT_HANDLER
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"old = ptep_get_and_clear(vma, 0x10000)\"]\n"
	"  - cpu: 1\n"
	"    mm: mm\n"
	"    body: [\"store(0x10000)\"]\n";

static void test_start_parks_cpus(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, race, NULL, "blind");
	assert_string_equal(fx_enabled(f), "0 1");
	assert_int_equal(cpu(f, 0)->status, CPU_RUN);
	assert_int_equal(cpu(f, 0)->depth, 1);
	assert_int_equal(f->P->steps[cpu(f, 0)->pc].op, OP_PTEP_GET_AND_CLEAR);
	assert_int_equal(f->P->steps[cpu(f, 1)->pc].op, OP_STORE);
	/* the check CPU is not running */
	assert_int_equal(cpu(f, 2)->status, CPU_DONE);
	/* the initial TLB and memory */
	int i = tlb_has(f, 1);
	assert_true(i >= 0);
	assert_int_equal(tlb(f, 1)[i].flags, TLB_V | TLB_W);
	assert_int_equal(tlb(f, 1)[i].pfn, 1);
	assert_int_equal(tlb_has(f, 0), -1);
	assert_int_equal(pte(f), 0x1027);
	assert_int_equal(page(f, 1)->data, 0);
	assert_int_equal(w_hdr(f->w)->seen, 0);
	/* CPUs that may cache mm: the one running it (and the TLB holder) */
	assert_int_equal(f->S.cpumask[0], 2);
	fx_finish(f);
}

static void test_blind_store_into_cleared_pte(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, race, NULL, "blind");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(pte(f), 0);
	assert_int_equal(w_hdr(f->w)->seen, 0);
	/* the store's dirty-bit step: D ORed into the cleared PTE */
	fx_apply(f, CH_STEP(1));
	assert_int_equal(pte(f), 0x40);
	assert_true(w_hdr(f->w)->seen & SEEN_DIRTY_NONPRESENT);
	assert_int_equal(cpu(f, 1)->phase, PH_DATA);
	assert_int_equal(cpu(f, 1)->depth, 1);           /* no fault */
	int i = tlb_has(f, 1);
	assert_true(i >= 0);
	assert_true(tlb(f, 1)[i].flags & TLB_D);
	assert_int_equal(page(f, 1)->data, 0);          /* not written yet */
	assert_string_equal(fx_enabled(f), "1");
	/* the data write lands through the kept translation */
	fx_apply(f, CH_STEP(1));
	assert_int_equal(page(f, 1)->data, 1);
	assert_int_equal(cpu(f, 1)->status, CPU_DONE);
	assert_int_equal(cpu(f, 1)->phase, PH_START);
	assert_string_equal(fx_enabled(f), "");
	uint32_t o = sim_outcomes(&f->S, f->w);
	assert_false(f->S.failed);
	/* the data is on no disk, and nothing says it must be written */
	assert_int_equal(o, (1u << OUT_DIRTY_NONPRESENT_PTE) | (1u << OUT_LOST_DIRTY) | (1u << OUT_LOST_WRITE));
	fx_finish(f);
}

static void test_validating_store_faults(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, race, NULL, "validating");
	int store = find_step(f->P, -1, OP_STORE, 0);
	int fh = find_proc(f->P, "fh");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	/* no dirty zero: the entry is dropped and the store faults */
	assert_int_equal(pte(f), 0);
	assert_int_equal(w_hdr(f->w)->seen, 0);
	assert_int_equal(tlb_has(f, 1), -1);
	CpuState *c1 = cpu(f, 1);
	assert_int_equal(c1->depth, 2);
	assert_int_equal(c1->phase, PH_START);
	assert_int_equal(c1->pc, f->P->procs[fh].entry);   /* parked at ptep_get */
	FrameState *fr = w_frame(&f->S.L, f->w, 1, 1);
	assert_int_equal(fr->kind, FR_FAULT);
	assert_int_equal(fr->proc, fh);
	assert_int_equal(fr->call_pc, store);
	/* fh(vma, address, write=1) */
	uint64_t *r = w_regs(&f->S.L, f->w, 1) + fr->base;
	assert_int_equal(r[0], h_make(HK_VMA, 0));
	assert_int_equal(r[1], 0x10000);
	assert_int_equal(r[2], 1);
	assert_int_equal(page(f, 1)->data, 0);
	/* the handler returns: the store is retried from its start */
	fx_apply(f, CH_STEP(1));
	assert_int_equal(c1->depth, 1);
	assert_int_equal(c1->pc, store);
	assert_int_equal(c1->phase, PH_START);
	for (int k = 0; k < f->P->procs[fh].nlocals; k++)
		assert_int_equal(r[k], 0);
	/* and faults again: the PTE is still clear (TLB miss, walk fails) */
	fx_apply(f, CH_STEP(1));
	assert_int_equal(c1->depth, 2);
	assert_int_equal(pte(f), 0);
	fx_finish(f);
}

static void test_fixed_cpu_model(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE TLB1 FAULT_HANDLER
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"old = ptep_get_and_clear(vma, 0x10000)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    model: blind\n"
		"    body: [\"store(0x10000)\"]\n";
	fx_start(f, text, NULL, "validating");
	assert_ptr_equal(f->S.model[0], dirty_find("validating"));
	assert_ptr_equal(f->S.model[1], dirty_find("blind"));
	assert_string_equal(f->S.model_name, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	assert_int_equal(pte(f), 0x40);                  /* CPU#1 is blind */
	fx_finish(f);
}

static void test_store_sets_dirty_through_clean_entry(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, race, NULL, "validating");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(pte(f), 0x1067);
	fx_apply(f, CH_STEP(1));
	assert_int_equal(page(f, 1)->data, 1);
	fx_apply(f, CH_STEP(0));
	assert_int_equal(pte(f), 0);
	/* the dirty PTE was cleared without anyone saving its D */
	assert_int_equal(sim_outcomes(&f->S, f->w), (1u << OUT_LOST_DIRTY) | (1u << OUT_LOST_WRITE));
	fx_finish(f);
}

static void test_init_errors(void **state)
{
	Sim S;
	char err[128] = "";
	(void)state;
	Program *P = compile_ok(race, NULL);
	assert_int_equal(sim_init(&S, P, "nope", err, sizeof err), -1);
	assert_string_equal(err, "unknown dirty-bit model 'nope'");
	prog_free(P);
}

static void test_fault_without_handler(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body:\n"
		"      - \"store(0x10000)\"\n"
		"      - \"store(0x20000)\"\n";
	char want[256];
	fx_start(f, text, NULL, "validating");
	/* the walk sets A|D and fills the TLB; then the data write */
	fx_apply(f, CH_STEP(1));
	assert_int_equal(pte(f), 0x1067);
	assert_int_equal(cpu(f, 1)->phase, PH_DATA);
	fx_apply(f, CH_STEP(1));
	assert_int_equal(page(f, 1)->data, 1);
	/* no VMA maps 0x20000: find_vma fails before any fault handler is
	 * needed, SIGSEGV kills the task (no error, no outcome) */
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(1)), 0);
	assert_false(f->S.failed);
	assert_int_equal(cpu(f, 1)->status, CPU_DONE);
	assert_int_equal(cpu(f, 1)->depth, 0);
	assert_int_equal(w_mm(&f->S.L, f->w, 0)->mmap_readers, 0);   /* the fault's hold dropped */
	assert_false(sim_outcomes(&f->S, f->w) & (1u << OUT_DEADLOCK | 1u << OUT_BUG_ON));
	(void)want;
	fx_finish(f);

	static const char ro[] = MACHINE
		"tlb:\n"
		"  - {cpu: 1, mm: mm, addr: 0x10000, writable: false}\n"
		"cpus:\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body: [\"store(0x10000)\"]\n";
	fx_start(f, ro, NULL, "blind");
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(1)), -1);
	snprintf(want, sizeof want, "%s:%d:13: store 0x10000 faults, and the scenario has no fault_handler",
	         f->path, line_of(ro, "store(0x10000)"));
	assert_string_equal(f->S.err, want);
	/* a write through a read-only entry dropped the entry */
	assert_int_equal(tlb_has(f, 1), -1);
	fx_finish(f);
}

/* ---- flush_tlb_page and IPIs ---- */

static void test_flush_waits_for_ipi(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE TLB1
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"flush_tlb_page(vma, 0x10000)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body: [\"x = load(0x10000)\"]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	/* IPI sent; CPU#1's entry is doomed but still there */
	assert_int_equal(cpu(f, 0)->phase, PH_WAIT);
	assert_int_equal(cpu(f, 0)->acks, 1);
	assert_int_equal(cpu(f, 0)->flush_targets, 2);
	assert_int_equal(cpu(f, 1)->ipi_from, 1);
	int i = tlb_has(f, 1);
	assert_true(i >= 0);
	assert_true(tlb(f, 1)[i].flags & TLB_DOOMED);
	/* the flusher may not go on until CPU#1 takes the IPI */
	assert_string_equal(fx_enabled(f), "1 i1");
	fx_apply(f, CH_IPI(1));
	assert_int_equal(tlb_has(f, 1), -1);
	assert_int_equal(cpu(f, 0)->acks, 0);
	assert_int_equal(cpu(f, 1)->ipi_from, 0);
	assert_int_equal(f->P->steps[cpu(f, 1)->pc].op, OP_LOAD);   /* IPI is not a step */
	assert_string_equal(fx_enabled(f), "0 1");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_int_equal(cpu(f, 0)->flush_targets, 0);
	assert_string_equal(fx_enabled(f), "1");
	/* the load misses now, walks, refills the TLB */
	fx_apply(f, CH_STEP(1));
	assert_true(tlb_has(f, 1) >= 0);
	assert_int_equal(tlb(f, 1)[tlb_has(f, 1)].flags & TLB_DOOMED, 0);
	fx_apply(f, CH_STEP(1));
	assert_int_equal(cpu(f, 1)->status, CPU_DONE);
	assert_int_equal(sim_outcomes(&f->S, f->w), 0);
	fx_finish(f);
}

static void test_ipi_held_off_while_irqs_off(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE TLB1
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"flush_tlb_page(vma, 0x10000)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body:\n"
		"      - \"local_irq_disable()\"\n"
		"      - \"set_page_dirty(page1)\"\n"
		"      - \"local_irq_enable()\"\n"
		"      - \"set_page_dirty(page1)\"\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(cpu(f, 1)->irq_off, 1);
	fx_apply(f, CH_STEP(0));
	assert_int_equal(cpu(f, 1)->ipi_from, 1);
	/* pending, but CPU#1 has interrupts off */
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));                        /* local_irq_enable */
	assert_int_equal(cpu(f, 1)->irq_off, 0);
	assert_string_equal(fx_enabled(f), "1 i1");
	fx_apply(f, CH_IPI(1));
	assert_string_equal(fx_enabled(f), "0 1");
	fx_finish(f);
}

static void test_ipi_not_inside_a_store(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE TLB1
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"flush_tlb_page(vma, 0x10000)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body: [\"store(0x10000)\"]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(1));                        /* dirty-bit step */
	assert_int_equal(cpu(f, 1)->phase, PH_DATA);
	assert_int_equal(pte(f), 0x1067);
	fx_apply(f, CH_STEP(0));                        /* flush: IPI to CPU#1 */
	assert_int_equal(cpu(f, 1)->ipi_from, 1);
	/* between the dirty-bit step and the data write: no IPI */
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(page(f, 1)->data, 1);
	assert_int_equal(cpu(f, 1)->status, CPU_DONE);
	/* a finished CPU still takes its IPIs */
	assert_string_equal(fx_enabled(f), "i1");
	fx_apply(f, CH_IPI(1));
	assert_string_equal(fx_enabled(f), "0");
	fx_apply(f, CH_STEP(0));
	assert_string_equal(fx_enabled(f), "");
	/* the PTE is dirty, so lost_dirty is quiet; but no kernel step here
	 * reads a PTE's dirty bit, so no sync would write the page */
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_LOST_WRITE);
	fx_finish(f);
}

/* ---- locks ---- */

static void test_spin_lock_blocks(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"spin_lock(la)\", \"spin_unlock(la)\"]\n"
		"  - cpu: 1\n"
		"    body: [\"spin_lock(la)\", \"spin_unlock(la)\"]\n";
	fx_start(f, text, NULL, "validating");
	assert_string_equal(fx_enabled(f), "0 1");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(lock_byte(f, LA), 1);          /* CPU#0 + 1 */
	assert_string_equal(fx_enabled(f), "0");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(lock_byte(f, LA), 0);
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(lock_byte(f, LA), 2);
	assert_int_equal(lock_byte(f, LB), 0);
	assert_string_equal(fx_enabled(f), "1");
	fx_finish(f);
}

static void test_spin_unlock_not_held(void **state)
{
	SimFx *f = &fx[0];
	char want[256];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"spin_unlock(la)\"]\n";
	fx_start(f, text, NULL, "validating");
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	snprintf(want, sizeof want, "%s:%d:13: spin_unlock: CPU#0 does not hold la",
	         f->path, line_of(text, "spin_unlock(la)"));
	assert_string_equal(f->S.err, want);
	fx_finish(f);
}

static void test_spin_lock_irqsave_spins_with_irqs_off(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE TLB1
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"spin_lock(la)\", \"flush_tlb_page(vma, 0x10000)\", \"spin_unlock(la)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body: [\"spin_lock_irqsave(la)\", \"spin_unlock_irqrestore(la)\"]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));                        /* CPU#0 holds la */
	/* irqsave may start (interrupts go off) even though la is held */
	assert_string_equal(fx_enabled(f), "0 1");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(cpu(f, 1)->irq_off, 1);
	assert_int_equal(cpu(f, 1)->phase, PH_WAIT);
	assert_int_equal(lock_byte(f, LA), 1);
	fx_apply(f, CH_STEP(0));                        /* flush: IPI to CPU#1 */
	/* CPU#1 spins with irqs off, CPU#0 waits for its ack: stuck */
	assert_string_equal(fx_enabled(f), "");
	uint32_t o = sim_outcomes(&f->S, f->w);
	assert_int_equal(o, 1u << OUT_DEADLOCK);
	char buf[512], want[512];
	sim_waits(&f->S, f->w, buf, sizeof buf);
	int l = line_of(text, "flush_tlb_page");
	snprintf(want, sizeof want,
	         "CPU#0 waits in flush_tlb_page(vma, 0x10000) for IPI acks from CPU#1 (irqs off) (%s:%d); "
	         "CPU#1 waits in spin_lock_irqsave(la) for la, held by CPU#0 (%s:%d)",
	         f->path, l, f->path, line_of(text, "spin_lock_irqsave"));
	assert_string_equal(buf, want);
	fx_finish(f);
}

static void test_lock_page(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"lock_page(page0)\", \"unlock_page(page0)\"]\n"
		"  - cpu: 1\n"
		"    body:\n"
		"      - \"x = trylock_page(page0)\"\n"
		"      - \"y = trylock_page(page1)\"\n"
		"      - \"lock_page(page0)\"\n"
		"      - \"unlock_page(page0)\"\n"
		"      - \"BUG_ON(x)\"\n"          /* keep x and y live (dead */
		"      - \"BUG_ON(y)\"\n";         /* registers are zeroed)   */
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(page(f, 1)->flags, PG_locked);
	assert_int_equal(page(f, 1)->locker, 1);
	assert_string_equal(fx_enabled(f), "0 1");      /* trylock does not block */
	fx_apply(f, CH_STEP(1));
	fx_apply(f, CH_STEP(1));
	int x = find_local(f->P, f->P->cpus[1].proc, "x");
	int y = find_local(f->P, f->P->cpus[1].proc, "y");
	uint64_t *r = w_regs(&f->S.L, f->w, 1);
	assert_int_equal(r[x], 0);                        /* page0: taken */
	assert_int_equal(r[y], 1);                        /* page1: got it */
	assert_int_equal(page(f, 1)->locker, 1);
	assert_int_equal(page(f, 2)->flags, PG_locked);
	assert_int_equal(page(f, 2)->locker, 2);
	assert_string_equal(fx_enabled(f), "0");        /* lock_page sleeps */
	fx_apply(f, CH_STEP(0));
	assert_int_equal(page(f, 1)->flags, 0);
	assert_int_equal(page(f, 1)->locker, 0);
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));
	assert_int_equal(page(f, 1)->flags, PG_locked);
	assert_int_equal(page(f, 1)->locker, 2);
	fx_finish(f);
}

static void test_deadlock_two_spinlocks(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"spin_lock(la)\"\n"
		"      - \"spin_lock(lb)\"\n"
		"      - \"spin_unlock(lb)\"\n"
		"      - \"spin_unlock(la)\"\n"
		"  - cpu: 1\n"
		"    body:\n"
		"      - \"spin_lock(lb)\"\n"
		"      - \"spin_lock(la)\"\n"
		"      - \"spin_unlock(la)\"\n"
		"      - \"spin_unlock(lb)\"\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	assert_string_equal(fx_enabled(f), "");
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_DEADLOCK);
	char buf[512], want[512];
	sim_waits(&f->S, f->w, buf, sizeof buf);
	/* CPU#0's spin_lock(lb) is the first one in the text */
	int l0 = line_of(text, "spin_lock(lb)");
	int l1 = line_of(strstr(text, "cpu: 1"), "spin_lock(la)") + line_of(text, "cpu: 1") - 1;
	snprintf(want, sizeof want,
	         "CPU#0 waits in spin_lock(lb) for lb, held by CPU#1 (%s:%d); CPU#1 waits in spin_lock(la) for la, held by CPU#0 (%s:%d)",
	         f->path, l0, f->path, l1);
	assert_string_equal(buf, want);
	fx_finish(f);
}

static void test_lock_page_deadlock_waits(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"lock_page(page1)\", \"lock_page(page1)\"]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_string_equal(fx_enabled(f), "");
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_DEADLOCK);
	char buf[256], want[256];
	sim_waits(&f->S, f->w, buf, sizeof buf);
	snprintf(want, sizeof want, "CPU#0 waits in lock_page(page1) for the page lock of page1, held by CPU#0: it waits on itself (%s:%d)",
	         f->path, line_of(text, "lock_page(page1)"));
	assert_string_equal(buf, want);
	fx_finish(f);
}

/* ---- outcomes at the end ---- */

/* CPU#0 cleans the PTE; "good" moves a dirty bit it finds to the page. */
static const char clean[] = MACHINE TLB1
	"cpus:\n"
	"  - cpu: 0\n"
	"    body: [\"clean()\"]\n"
	"  - cpu: 1\n"
	"    mm: mm\n"
	"    body: [\"store(0x10000)\"]\n"
	"outcomes:\n"
	"  - {name: page_dirty, check: chk}\n"
	"procedures:\n"
	"  - name: clean\n"
	"    variant: bad\n"
	"    body: [\"old = ptep_get_and_clear(vma, 0x10000)\"]\n"
	"  - name: clean\n"
	"    variant: good\n"
	"    body:\n"
	"      - \"old = ptep_get_and_clear(vma, 0x10000)\"\n"
	"      - if: \"pte_dirty(old)\"\n"
	"        then: [\"set_page_dirty(page0)\"]\n"
	"  - name: chk\n"
	"    body:\n"
	"      - \"d = PageDirty(page0)\"\n"
	"      - \"return d\"\n";

static uint32_t run_choices(SimFx *f, const Choice *ch, int n)
{
	for (int i = 0; i < n; i++)
		fx_apply(f, ch[i]);
	assert_string_equal(fx_enabled(f), "");
	uint32_t o = sim_outcomes(&f->S, f->w);
	assert_false(f->S.failed);
	return o;
}

static void test_lost_dirty_at_the_end(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	/* the store (dirty-bit step, data write), then the clean */
	const Choice store_first[] = { CH_STEP(1), CH_STEP(1), CH_STEP(0), CH_STEP(0) };
	const Choice clear_first[] = { CH_STEP(0), CH_STEP(1), CH_STEP(1) };
	int pd = OUT__BUILTIN;

	/* bad: the D bit the store set is thrown away */
	fx_start(f, clean, "bad", "validating");
	assert_int_equal(run_choices(f, store_first, 3), (1u << OUT_LOST_DIRTY) | (1u << OUT_LOST_WRITE));
	assert_int_equal(pte(f), 0);
	fx_finish(f);
	/* good: it moves to PG_dirty (the named outcome says so) */
	fx_start(f, clean, "good", "validating");
	assert_int_equal(prog_outcome(f->P, "page_dirty"), pd);
	assert_int_equal(run_choices(f, store_first, 4), 1u << pd);
	assert_int_equal(page(f, 1)->flags, PG_dirty);
	/* the named check runs on a copy: the end state is unchanged */
	uint8_t *copy = malloc(f->S.L.size);
	assert_non_null(copy);
	memcpy(copy, f->w, f->S.L.size);
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << pd);
	assert_memory_equal(copy, f->w, f->S.L.size);
	free(copy);
	fx_finish(f);
	/* the clean first, then a blind store: the dirty zero has D, but
	 * pfn 0, not the page's, so the page's data is lost */
	fx_start(f, clean, "good", "blind");
	assert_int_equal(run_choices(f, clear_first, 3),
	                 (1u << OUT_LOST_DIRTY) | (1u << OUT_DIRTY_NONPRESENT_PTE) | (1u << OUT_LOST_WRITE));
	assert_int_equal(pte(f), 0x40);
	fx_finish(f);
	/* written back after the store: nothing lost even though clean */
	static const char wb[] = MACHINE TLB1
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"old = ptep_get_and_clear(vma, 0x10000)\", \"submit_bio(page0)\"]\n"
		"  - cpu: 1\n"
		"    mm: mm\n"
		"    body: [\"store(0x10000)\"]\n";
	fx_start(f, wb, NULL, "validating");
	assert_int_equal(run_choices(f, store_first, 4), 0);
	fx_finish(f);
}

static void test_bug_on(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"v = PageDirty(page0)\"\n"
		"      - \"BUG_ON(v)\"\n"
		"      - \"set_page_dirty(page1)\"\n"
		"  - cpu: 1\n"
		"    body: [\"set_page_dirty(page0)\"]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(1));
	fx_apply(f, CH_STEP(0));                        /* sees PG_dirty: BUG */
	assert_int_equal(cpu(f, 0)->status, CPU_HALTED);
	assert_int_equal(f->P->steps[cpu(f, 0)->pc].op, OP_BUG_ON);
	assert_true(w_hdr(f->w)->seen & SEEN_BUG_ON);
	assert_int_equal(page(f, 2)->flags, 0);         /* it stopped */
	assert_string_equal(fx_enabled(f), "");
	/* halted is not deadlocked */
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_BUG_ON);
	fx_finish(f);

	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));                        /* clean: BUG_ON(0) */
	assert_int_equal(cpu(f, 0)->status, CPU_RUN);
	assert_int_equal(f->P->steps[cpu(f, 0)->pc].op, OP_SET_PAGE_DIRTY);
	assert_int_equal(w_hdr(f->w)->seen, 0);
	assert_string_equal(fx_enabled(f), "0 1");
	fx_finish(f);

	/* a BUG_ON of a constant fires while the CPU is parked at start */
	static const char at_start[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"BUG_ON(1)\", \"set_page_dirty(page1)\"]\n";
	fx_start(f, at_start, NULL, "validating");
	assert_int_equal(cpu(f, 0)->status, CPU_HALTED);
	assert_string_equal(fx_enabled(f), "");
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_BUG_ON);
	fx_finish(f);
}

/* ---- canonical states ---- */

static void test_returned_frame_registers_zeroed(void **state)
{
	SimFx *a = &fx[0], *b = &fx[1];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"r = g()\", \"set_page_dirty(page1)\"]\n"
		"  - cpu: 1\n"
		"    body: [\"set_page_dirty(page0)\"]\n"
		"procedures:\n"
		"  - name: g\n"
		"    body:\n"
		"      - \"v = PageDirty(page0)\"\n"
		"      - \"w = v\"\n"
		"      - \"return 0\"\n";
	fx_start(a, text, NULL, "validating");
	fx_start(b, text, NULL, "validating");
	assert_int_equal(cpu(a, 0)->depth, 2);          /* parked inside g */
	/* a: g reads 0; b: g reads 1 */
	fx_apply(a, CH_STEP(0));
	fx_apply(a, CH_STEP(1));
	fx_apply(b, CH_STEP(1));
	fx_apply(b, CH_STEP(0));
	assert_int_equal(cpu(b, 0)->depth, 1);
	uint64_t *r = w_regs(&b->S.L, b->w, 0);
	for (int k = 0; k < b->S.L.stack; k++)
		assert_int_equal(r[k], 0);                   /* r = 0, g's v, w gone */
	FrameState zero;
	memset(&zero, 0, sizeof zero);
	assert_memory_equal(w_frame(&b->S.L, b->w, 0, 1), &zero, sizeof zero);
	/* the same machine state: the same bytes */
	assert_int_equal(a->S.L.size, b->S.L.size);
	assert_memory_equal(a->w, b->w, a->S.L.size);
	fx_finish(a);
	fx_finish(b);
}

/* The condition temp of an if: is documented as cleared by its JZ ("it
 * never outlives the test"): after the if, two paths that differ only in
 * what the condition read must give the same bytes. */
static void test_condition_temp_cleared(void **state)
{
	SimFx *a = &fx[0], *b = &fx[1];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - if: \"PageDirty(page0)\"\n"
		"        then: []\n"
		"      - \"set_page_dirty(page1)\"\n"
		"  - cpu: 1\n"
		"    body: [\"set_page_dirty(page0)\"]\n";
	fx_start(a, text, NULL, "validating");
	fx_start(b, text, NULL, "validating");
	fx_apply(a, CH_STEP(0));                        /* reads 0 */
	fx_apply(a, CH_STEP(1));
	fx_apply(b, CH_STEP(1));
	fx_apply(b, CH_STEP(0));                        /* reads 1 */
	/* both parked at set_page_dirty(page1), page0 dirty, CPU#1 done */
	assert_int_equal(cpu(a, 0)->pc, cpu(b, 0)->pc);
	assert_int_equal(f_op_at(a), OP_SET_PAGE_DIRTY);
	int tmp = find_local(a->P, a->P->cpus[0].proc, "(t0)");
	assert_true(tmp >= 0);
	assert_int_equal(w_regs(&a->S.L, a->w, 0)[tmp], w_regs(&b->S.L, b->w, 0)[tmp]);
	assert_memory_equal(a->w, b->w, a->S.L.size);
	fx_finish(a);
	fx_finish(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_start_parks_cpus, cleanup),
		cmocka_unit_test_teardown(test_blind_store_into_cleared_pte, cleanup),
		cmocka_unit_test_teardown(test_validating_store_faults, cleanup),
		cmocka_unit_test_teardown(test_fixed_cpu_model, cleanup),
		cmocka_unit_test_teardown(test_store_sets_dirty_through_clean_entry, cleanup),
		cmocka_unit_test_teardown(test_init_errors, cleanup),
		cmocka_unit_test_teardown(test_fault_without_handler, cleanup),
		cmocka_unit_test_teardown(test_flush_waits_for_ipi, cleanup),
		cmocka_unit_test_teardown(test_ipi_held_off_while_irqs_off, cleanup),
		cmocka_unit_test_teardown(test_ipi_not_inside_a_store, cleanup),
		cmocka_unit_test_teardown(test_spin_lock_blocks, cleanup),
		cmocka_unit_test_teardown(test_spin_unlock_not_held, cleanup),
		cmocka_unit_test_teardown(test_spin_lock_irqsave_spins_with_irqs_off, cleanup),
		cmocka_unit_test_teardown(test_lock_page, cleanup),
		cmocka_unit_test_teardown(test_deadlock_two_spinlocks, cleanup),
		cmocka_unit_test_teardown(test_lock_page_deadlock_waits, cleanup),
		cmocka_unit_test_teardown(test_lost_dirty_at_the_end, cleanup),
		cmocka_unit_test_teardown(test_bug_on, cleanup),
		cmocka_unit_test_teardown(test_returned_frame_registers_zeroed, cleanup),
		cmocka_unit_test_teardown(test_condition_temp_cleared, cleanup),
	};
	return cmocka_run_group_tests_name("exec", tests, NULL, NULL);
}

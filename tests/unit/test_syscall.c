/* tests/unit/test_syscall.c: unit tests of the steps the system calls of
 * scenarios/lib/mm.yaml need: find_vma and detach_vmas_to_be_unmapped
 * (sim/vma.c, the fault path's SIGSEGV once a vma is gone), pte_modify,
 * and syscall_exit_to_user_mode's revoked marks and the stale_access
 * outcome (sim/flush.c, sim/exec.c). */
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

/* Two CPUs, one mm; vma a (0x10000) and vma b (0x30000) of file pages;
 * CPU#0's TLB caches 0x10000 writable and dirty.  The handler maps
 * nothing (SIGBUS); no writeback is modelled (lost_write is off). */
#define MACHINE \
	"scenario: s\n" \
	"machine: {cpus: 2, tlb_entries: 4}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 8192\n" \
	"    pages: [{name: page0, index: 0}, {name: page1, index: 1}]\n" \
	"vmas:\n" \
	"  - {name: a, mm: mm, start: 0x10000, file: file}\n" \
	"  - {name: b, mm: mm, start: 0x30000, file: file, pgoff: 1}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x67}\n" \
	"tlb:\n" \
	"  - {cpu: 0, mm: mm, addr: 0x10000, writable: true, dirty: true}\n" \
	"fault_handler: fault\n" \
	"vars: {x: 0, y: 0, z: 0}\n" \
	"outcomes: {lost_write: off}\n" \
	"procedures:\n" \
	"  - name: fault\n" \
	"    params: [vma, address, write]\n" \
	"    body: [\"return VM_FAULT_SIGBUS\"]\n"

static SimFx fx[1];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 1);
	return 0;
}

static uint64_t var(SimFx *f, int i) { return ((uint64_t *)(f->w + f->S.L.var))[i]; }

/* 1 if some event of f's trace contains text. */
static int traced(SimFx *f, const char *text)
{
	for (int i = 0; i < f->t.n; i++)
		if (strstr(f->t.ev[i].text, text))
			return 1;
	return 0;
}

/* Runs text to its end (each time the first enabled choice), traced;
 * returns the outcomes. */
static uint32_t run(SimFx *f, const char *text)
{
	fx_start(f, text, NULL, "validating");
	f->S.trace = &f->t;
	return fx_run_to_end(f);
}

/* find_vma: the first vma ending above the address; a detached one is in
 * no tree, and a fault on it is SIGSEGV. */
static void test_find_vma_detach(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    mm: mm\n"
		"    body:\n"
		"      - \"WRITE_ONCE(x, find_vma(mm, 0x20000) == b)\"\n"       /* b starts above */
		"      - \"mmap_write_lock(mm)\"\n"
		"      - \"detach_vmas_to_be_unmapped(b)\"\n"
		"      - \"mmap_write_unlock(mm)\"\n"
		"      - \"WRITE_ONCE(y, find_vma(mm, 0x20000) == NULL)\"\n"
		"      - \"WRITE_ONCE(z, find_vma(mm, 0) == a)\"\n"
		"      - \"load(0x30000)\"\n"
		"      - \"WRITE_ONCE(x, 7)\"\n";
	assert_int_equal(run(f, text), 0);
	assert_int_equal(var(f, 0), 1);               /* killed before x = 7 */
	assert_int_equal(var(f, 1), 1);
	assert_int_equal(var(f, 2), 1);
	assert_true(w_vma_detached(&f->S.L, f->w, 1));
	assert_false(w_vma_detached(&f->S.L, f->w, 0));
	assert_true(traced(f, "vma b leaves the VMA tree"));
	assert_true(traced(f, "no VMA maps 0x30000 (find_vma)"));
	assert_true(traced(f, "SIGSEGV, the task is killed"));
	fx_finish(f);
	assert_true(prog_op_reads_only(OP_FIND_VMA));
	assert_false(prog_op_reads_only(OP_DETACH_VMAS_TO_BE_UNMAPPED));
}

/* Detaching needs mmap_write_lock (else the kernel BUGs), and twice is a
 * scenario error; a program that never detaches has no detached flags. */
static void test_detach_errors(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	assert_int_equal(run(f, MACHINE "cpus: [{cpu: 0, body: [\"detach_vmas_to_be_unmapped(a)\"]}]\n"),
	                 1u << OUT_BUG_ON);
	assert_true(traced(f, "mmap_assert_write_locked"));
	assert_false(w_vma_detached(&f->S.L, f->w, 0));
	fx_finish(f);

	fx_start(f, MACHINE "cpus: [{cpu: 0, body: [\"mmap_write_lock(mm)\", \"detach_vmas_to_be_unmapped(a)\", "
	            "\"detach_vmas_to_be_unmapped(a)\"]}]\n", NULL, "validating");
	Choice ch[MAX_CHOICES];
	assert_int_equal(sim_enabled(&f->S, f->w, ch), 1);
	assert_int_equal(sim_apply(&f->S, f->w, ch[0]), 0);
	assert_int_equal(sim_apply(&f->S, f->w, ch[0]), 0);
	assert_int_equal(sim_apply(&f->S, f->w, ch[0]), -1);
	assert_non_null(strstr(f->S.err, "detach_vmas_to_be_unmapped: vma a is detached already"));
	fx_finish(f);

	fx_start(f, MACHINE "cpus: [{cpu: 0, body: [\"find_vma(mm, 0)\"]}]\n", NULL, "validating");
	assert_int_equal(f->S.L.ndetach, 0);
	assert_false(w_vma_detached(&f->S.L, f->w, 0));
	fx_finish(f);
}

/* pte_modify keeps the pfn, D and A and takes the new protection. */
static void test_pte_modify(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - {cpu: 0, body: [\"WRITE_ONCE(x, pte_modify(0x1067, PAGE_READONLY))\",\n"
		"                    \"WRITE_ONCE(y, pte_modify(0x2005, PAGE_SHARED))\"]}\n";
	assert_int_equal(run(f, text), 0);
	assert_int_equal(var(f, 0), 0x1065);          /* P|U|A|D, RW gone */
	/* x86 pte_modify: _PAGE_CHG_MASK keeps the old A (none here), so
	 * PAGE_SHARED's _PAGE_ACCESSED is not taken; no D added */
	assert_int_equal(var(f, 1), 0x2007);
	fx_finish(f);
}

/* CPU#1 changes the PTE (change), returns from a system call named
 * mycall over 0x10000, then CPU#0 accesses it (access); returns the
 * outcomes. */
static uint32_t revoke(SimFx *f, const char *change, const char *access)
{
	char text[4096];
	snprintf(text, sizeof text, MACHINE
	         "  - name: mycall\n"
	         "    body: [\"%s\", \"syscall_exit_to_user_mode(mm, 0x10000, 0x11000)\"]\n"
	         "cpus:\n"
	         "  - {cpu: 0, mm: mm, body: [\"READ_ONCE(z)\", \"%s\"]}\n"
	         "  - {cpu: 1, body: [\"mycall()\"]}\n", change, access);
	fx_start(f, text, NULL, "validating");
	f->S.trace = &f->t;
	fx_apply(f, CH_STEP(1));                      /* the change */
	fx_apply(f, CH_STEP(1));                      /* the return */
	return fx_run_to_end(f);
}

static void test_stale_access(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	/* gone: any access through the entry is stale */
	assert_int_equal(revoke(f, "pte_clear(mm, 0x10000)", "load(0x10000)"), 1u << OUT_STALE_ACCESS);
	assert_true(traced(f, "mycall returns; TLB entries it revoked left: 1 on CPU#0"));
	assert_true(traced(f, "entry was revoked by mycall, which has returned: stale access"));
	assert_int_equal(w_cpu(&f->S.L, f->w, 0)->revoked_by, find_proc(f->P, "mycall") + 1);
	fx_finish(f);
	/* read-only: a load is fine, a store is stale */
	assert_int_equal(revoke(f, "set_pte_at(mm, 0x10000, 0x1065)", "load(0x10000)"), 0);
	fx_finish(f);
	assert_int_equal(revoke(f, "set_pte_at(mm, 0x10000, 0x1065)", "store(0x10000)"), 1u << OUT_STALE_ACCESS);
	assert_true(traced(f, "entry was revoked for stores (its PTE is read-only or clean now) by mycall"));
	fx_finish(f);
	/* another frame: stale (and page1 is not the file's page there) */
	assert_int_equal(revoke(f, "set_pte_at(mm, 0x10000, 0x2067)", "load(0x10000)"),
	                 1u << OUT_STALE_ACCESS | 1u << OUT_STALE_MAPPING);
	fx_finish(f);
	/* clean again (MADV_FREE): a store through the dirty entry would
	 * skip the dirty update the PTE needs, and the data is lost */
	assert_int_equal(revoke(f, "set_pte_at(mm, 0x10000, 0x1027)", "store(0x10000)"),
	                 1u << OUT_STALE_ACCESS | 1u << OUT_LOST_DIRTY);
	fx_finish(f);
	/* unchanged, or flushed before the return: nothing is marked */
	assert_int_equal(revoke(f, "set_pte_at(mm, 0x10000, 0x1067)", "store(0x10000)"), 0);
	assert_false(traced(f, "revoked left"));
	fx_finish(f);
	assert_int_equal(revoke(f, "local_flush_tlb_page(a, 0x10000)", "store(0x10000)"), 0);
	fx_finish(f);
}

/* A return in an outcome check, or over a range that ends before it
 * starts, is a scenario error. */
static void test_syscall_exit_errors(void **state)
{
	SimFx *f = &fx[0];
	char msg[1024];
	(void)state;
	fx_start(f, MACHINE "cpus: [{cpu: 0, body: [\"syscall_exit_to_user_mode(mm, 0x2000, 0x1000)\"]}]\n", NULL,
	         "validating");
	Choice ch[MAX_CHOICES];
	assert_int_equal(sim_enabled(&f->S, f->w, ch), 1);
	assert_int_equal(sim_apply(&f->S, f->w, ch[0]), -1);
	assert_non_null(strstr(f->S.err, "syscall_exit_to_user_mode: start 0x2000 is above end 0x1000"));
	fx_finish(f);
	compile_err("scenario: s\nmachine: {cpus: 1}\nmms: [mm]\noutcomes: [{name: o, check: p}]\n"
	            "procedures: [{name: p, body: [\"syscall_exit_to_user_mode(mm, 0, 1)\", \"return 0\"]}]\n"
	            "cpus: [{cpu: 0, body: [\"p()\"]}]\n", NULL, msg, sizeof msg);
	assert_non_null(strstr(msg, "syscall_exit_to_user_mode can change it"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_find_vma_detach, cleanup),
		cmocka_unit_test_teardown(test_detach_errors, cleanup),
		cmocka_unit_test_teardown(test_pte_modify, cleanup),
		cmocka_unit_test_teardown(test_stale_access, cleanup),
		cmocka_unit_test_teardown(test_syscall_exit_errors, cleanup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

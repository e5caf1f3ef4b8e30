/* tests/unit/test_arch.c: unit tests of mmu/arch.c: each architecture's
 * kernel helpers against values worked out by hand from the kernel's
 * definitions, its MMU view, its bit names, and the dirty-bit models of
 * arm64 and RISC-V on those bits.
 *
 * arm64: arch/arm64/include/asm/pgtable.h, pgtable-prot.h and
 * pgtable-hwdef.h of v6.12 with 143937ca51cc ("arm64, mm: avoid always
 * making PTE dirty in pte_mkwrite()"):
 *   pte_hw_dirty(pte)  = pte_write(pte) && !(pte & PTE_RDONLY)
 *   pte_dirty(pte)     = pte_sw_dirty(pte) || pte_hw_dirty(pte)
 *   pte_mkclean(pte)   = clear PTE_DIRTY, set PTE_RDONLY
 *   pte_mkdirty(pte)   = set PTE_DIRTY; if pte_write: clear PTE_RDONLY
 *   pte_wrprotect(pte) = if pte_hw_dirty: set PTE_DIRTY; clear PTE_WRITE,
 *                        set PTE_RDONLY
 *   pte_mkwrite_novma  = set PTE_WRITE; if pte_sw_dirty: clear PTE_RDONLY
 * PTE_VALID 1<<0, PTE_TYPE_PAGE 3<<0, PTE_USER 1<<6, PTE_RDONLY 1<<7,
 * PTE_SHARED 3<<8, PTE_AF 1<<10, PTE_NG 1<<11, PTE_DBM = PTE_WRITE 1<<51,
 * PTE_PXN 1<<53, PTE_UXN 1<<54, PTE_DIRTY 1<<55.  PAGE_SHARED with the
 * _PAGE_DEFAULT bits (PTE_TYPE_PAGE | PTE_AF | PTE_SHARED) and PTE_NG is
 * 0x0068000000000fc3; at pfn 1, 0x0068000000001fc3.
 *
 * RISC-V: arch/riscv/include/asm/pgtable-bits.h and pgtable.h of v6.12:
 * _PAGE_PRESENT 1<<0, READ 1<<1, WRITE 1<<2, EXEC 1<<3, USER 1<<4,
 * GLOBAL 1<<5, ACCESSED 1<<6, DIRTY 1<<7, _PAGE_PROT_NONE = _PAGE_GLOBAL,
 * _PAGE_PFN_SHIFT 10; pte_present = pte & (_PAGE_PRESENT|_PAGE_PROT_NONE).
 * PAGE_SHARED = _PAGE_BASE (PRESENT|ACCESSED|USER) | READ | WRITE = 0x57;
 * at pfn 1, 0x457. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mmu/arch.h"
#include "cpus/dirty.h"
#include "helpers.h"

#define A64_SHARED   0x0068000000001fc3ull   /* PAGE_SHARED, AF, pfn 1: clean */
#define A64_HWDIRTY  0x0068000000001f43ull   /* the same, PTE_RDONLY cleared by DBM */
#define A64_WRPROT   0x00e0000000001fc3ull   /* pte_wrprotect(A64_HWDIRTY) */
#define A64_CLEANRO  0x0060000000001fc3ull   /* pte_wrprotect(A64_SHARED) */
#define RV_SHARED    0x457ull                /* PAGE_SHARED, pfn 1: clean */


static void test_table(void **state)
{
	(void)state;
	assert_string_equal(arch_at(0)->name, "x86");
	assert_string_equal(arch_at(1)->name, "arm64");
	assert_string_equal(arch_at(2)->name, "riscv");
	assert_null(arch_at(3));
	assert_null(arch_at(-1));
	assert_null(arch_find("ia64"));
	for (int i = 0; arch_at(i); i++) {
		const Arch *a = arch_at(i);
		assert_non_null(a->source);
		assert_non_null(dirty_model_of(a, 0));    /* every architecture has models */
		for (int k = 0; dirty_model_of(a, k); k++)
			assert_ptr_equal(dirty_arch(dirty_model_of(a, k)), a);
		for (const ArchBit *b = a->bits; b->name; b++)
			assert_int_equal(b->mask & a->pfn_mask, 0);   /* no bit inside the pfn */
	}
}

static void test_consts(void **state)
{
	uint64_t v = 0;
	(void)state;
	assert_true(arch_const(arch("x86"), "_PAGE_DIRTY", &v));
	assert_int_equal(v, 0x40);
	assert_true(arch_const(arch("arm64"), "PTE_RDONLY", &v));
	assert_int_equal(v, 1ull << 7);
	assert_true(arch_const(arch("arm64"), "PTE_DBM", &v));
	assert_int_equal(v, 1ull << 51);
	assert_true(arch_const(arch("arm64"), "PTE_WRITE", &v));
	assert_int_equal(v, 1ull << 51);
	assert_true(arch_const(arch("arm64"), "PTE_DIRTY", &v));
	assert_int_equal(v, 1ull << 55);
	assert_true(arch_const(arch("riscv"), "_PAGE_PROT_NONE", &v));
	assert_int_equal(v, 0x20);
	assert_true(arch_const(arch("riscv"), "_PAGE_DIRTY", &v));
	assert_int_equal(v, 0x80);
	/* bit numbers for ptep_test_and_clear_bit: x86 pgtable_types.h
	 * (_PAGE_BIT_ACCESSED 5, _PAGE_BIT_DIRTY 6), riscv pgtable-bits.h of
	 * v6.x (_PAGE_ACCESSED_OFFSET 6); each is its mask's bit */
	assert_true(arch_const(arch("x86"), "_PAGE_BIT_ACCESSED", &v));
	assert_int_equal(v, 5);
	assert_int_equal(1ull << v, 0x20);
	assert_true(arch_const(arch("x86"), "_PAGE_BIT_DIRTY", &v));
	assert_int_equal(v, 6);
	assert_true(arch_const(arch("riscv"), "_PAGE_ACCESSED_OFFSET", &v));
	assert_int_equal(v, 6);
	assert_int_equal(1ull << v, 0x40);
	assert_false(arch_const(arch("arm64"), "_PAGE_BIT_ACCESSED", &v));
	/* a name of another architecture is not a constant here */
	assert_false(arch_const(arch("x86"), "PTE_RDONLY", &v));
	assert_false(arch_const(arch("arm64"), "_PAGE_RW", &v));
	assert_false(arch_const(arch("riscv"), "_PAGE_RW", &v));
	/* the protections, as pgtable*.h compose them */
	assert_true(arch_const(arch("x86"), "PAGE_SHARED", &v));
	assert_int_equal(v, 0x27);
	assert_true(arch_const(arch("arm64"), "PAGE_SHARED", &v));
	assert_int_equal(v, 0x0068000000000fc3ull);
	assert_true(arch_const(arch("arm64"), "PAGE_READONLY", &v));
	assert_int_equal(v, 0x0060000000000fc3ull);
	assert_true(arch_const(arch("riscv"), "PAGE_SHARED", &v));
	assert_int_equal(v, 0x57);
	assert_true(arch_const(arch("riscv"), "PAGE_READONLY", &v));
	assert_int_equal(v, 0x53);
}

static void test_pfn(void **state)
{
	(void)state;
	assert_int_equal(arch_pfn_pte(arch("x86"), 1, 0x27), 0x1027);
	assert_int_equal(arch_pfn_pte(arch("arm64"), 1, 0x0068000000000fc3ull), A64_SHARED);
	assert_int_equal(arch_pfn_pte(arch("riscv"), 1, 0x57), RV_SHARED);
	assert_int_equal(arch_pfn(arch("x86"), 0x3067), 3);
	assert_int_equal(arch_pfn(arch("arm64"), A64_WRPROT), 1);
	assert_int_equal(arch_pfn(arch("riscv"), 0xcd7), 3);
}

static void test_x86(void **state)
{
	const Arch *a = arch("x86");
	(void)state;
	assert_int_equal(a->mkclean(0x1067), 0x1027);
	assert_int_equal(a->wrprotect(0x1067), 0x1065);
	assert_int_equal(a->mkwrite(0x1025), 0x1027);
	assert_int_equal(a->mkdirty(0x1027), 0x1067);
	assert_true(a->dirty(0x40));           /* the blind "dirty zero" */
	assert_false(a->present(0x40));
	assert_true(a->none(0x60));            /* 97e3c602ccbd masks KNL4's A|D */
	assert_true(a->hw_stray(0x60));
	assert_false(a->hw_stray(0x1067));
}

/* PROT_NONE, by hand from each header (x86 pgtable_types.h of v6.x:
 * _PAGE_PROTNONE = _PAGE_GLOBAL = 0x100, PAGE_NONE = ___G|___A = 0x120,
 * _PAGE_CHG_MASK keeps the pfn, A and D; arm64 v6.12: PAGE_NONE =
 * (_PAGE_DEFAULT & ~PTE_VALID) | PTE_PRESENT_INVALID (= PTE_NG) |
 * PTE_RDONLY | PTE_NG | PTE_PXN | PTE_UXN = 0x702 | 0x800 | 0x80 | 3<<53 =
 * 0x0060000000000f82, pte_modify's mask takes USER, PXN, UXN, RDONLY,
 * PRESENT_INVALID, VALID and WRITE from the protection after moving the
 * hardware dirty state to PTE_DIRTY; riscv: PAGE_NONE = _PAGE_PROT_NONE |
 * _PAGE_READ = 0x22, _PAGE_CHG_MASK keeps the pfn, A and D). */
static void test_prot_none(void **state)
{
	static const struct { const char *arch; pte_t old, none, shared; } v[] = {
		/* mprotect(PROT_NONE) of a young dirty PTE, and back */
		{ "x86", 0x1067, 0x1160, 0x27 },
		{ "arm64", A64_HWDIRTY, 0x00e0000000001f82ull, 0 },
		{ "riscv", 0x4d7, 0x4e2, 0x57 },
	};
	uint64_t prot;
	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const Arch *a = arch(v[i].arch);
		assert_true(arch_const(a, "PAGE_NONE", &prot));
		pte_t p = arch_pte_modify(a, v[i].old, prot);
		assert_int_equal(p, v[i].none);
		assert_true(a->present(p));       /* to the kernel */
		assert_true(a->protnone(p));
		assert_false(a->hw_valid(p));     /* not to the MMU */
		assert_false(a->none(p));
		assert_true(a->dirty(p));         /* pte_modify kept the dirty state */
		assert_true(a->young(p));
		assert_false(a->protnone(v[i].old));
		assert_false(a->protnone(0));
		if (v[i].shared)
			assert_int_equal(arch_pte_modify(a, p, v[i].shared), v[i].old);
	}
	assert_int_equal(prot, 0x22);
	/* the protection's own accessed bit is not taken (x86 _PAGE_CHG_MASK) */
	assert_int_equal(arch_pte_modify(arch("x86"), 0x1007, 0x120), 0x1100);
	assert_true(arch_const(arch("arm64"), "PAGE_NONE", &prot));
	assert_int_equal(prot, 0x0060000000000f82ull);
	/* arm64: present-invalid but user-accessible is not PROT_NONE */
	assert_false(arch("arm64")->protnone(0x0060000000001fc2ull));
	assert_true(arch("arm64")->present(0x0060000000001fc2ull));
	/* a swap PTE is neither */
	assert_false(arch("x86")->present(0x07fffffffffffc00ull));
	assert_false(arch("arm64")->present(0x1000));
}

static void test_arm64_helpers(void **state)
{
	const Arch *a = arch("arm64");
	(void)state;
	assert_true(a->present(A64_SHARED));
	assert_true(a->write(A64_SHARED));
	assert_false(a->dirty(A64_SHARED));          /* RDONLY: clean */
	assert_true(a->dirty(A64_HWDIRTY));          /* hardware dirty */
	assert_true(a->young(A64_SHARED));
	assert_int_equal(a->mkold(A64_SHARED), 0x0068000000001bc3ull);
	assert_int_equal(a->mkyoung(0x0068000000001bc3ull), A64_SHARED);
	assert_int_equal(a->mkclean(A64_HWDIRTY), A64_SHARED);
	assert_int_equal(a->mkdirty(A64_SHARED), 0x00e8000000001f43ull);
	/* pte_wrprotect moves the hardware dirty state into PTE_DIRTY */
	assert_int_equal(a->wrprotect(A64_HWDIRTY), A64_WRPROT);
	assert_true(a->dirty(A64_WRPROT));
	assert_false(a->write(A64_WRPROT));
	assert_int_equal(a->wrprotect(A64_SHARED), A64_CLEANRO);
	assert_false(a->dirty(A64_CLEANRO));
	/* pte_mkwrite after 143937ca51cc: a clean PTE stays PTE_RDONLY ... */
	assert_int_equal(a->mkwrite(A64_CLEANRO), A64_SHARED);
	/* ... and a software-dirty one becomes hardware-writable */
	assert_int_equal(a->mkwrite(A64_WRPROT), 0x00e8000000001f43ull);
	assert_true(a->none(0));
	assert_false(a->none(0x400));           /* PTE_AF alone is not none */
	assert_false(a->present(0x400));
}

static void test_arm64_mmu(void **state)
{
	const Arch *a = arch("arm64");
	(void)state;
	assert_true(a->hw_valid(A64_SHARED));
	assert_true(a->hw_writable(A64_SHARED));     /* DBM: writable through RDONLY */
	assert_false(a->hw_dirty(A64_SHARED));
	assert_int_equal(a->hw_mkdirty(A64_SHARED), A64_HWDIRTY);
	assert_false(a->hw_writable(A64_CLEANRO));   /* no DBM, RDONLY */
	assert_false(a->hw_valid(0x400));
	assert_true(a->hw_stray(0x400));
}

static void test_riscv(void **state)
{
	const Arch *a = arch("riscv");
	(void)state;
	assert_true(a->present(RV_SHARED));
	assert_true(a->write(RV_SHARED));
	assert_false(a->dirty(RV_SHARED));
	assert_true(a->young(RV_SHARED));
	assert_int_equal(a->mkdirty(RV_SHARED), 0x4d7);
	assert_int_equal(a->mkclean(0x4d7), RV_SHARED);
	assert_int_equal(a->wrprotect(0x4d7), 0x4d3);
	assert_int_equal(a->mkwrite(0x453), RV_SHARED);
	assert_int_equal(a->mkold(RV_SHARED), 0x417);
	/* PROT_NONE: present to the kernel, not to the MMU */
	assert_true(a->present(0x420));
	assert_false(a->hw_valid(0x420));
	assert_true(a->none(0));
	assert_true(a->hw_stray(0x80));
}

static void test_describe(void **state)
{
	char buf[128];
	(void)state;
	assert_string_equal(arch_describe(arch("x86"), 0x1067, buf, sizeof buf), "P|RW|U|A|D pfn=1");
	assert_string_equal(arch_describe(arch("arm64"), A64_SHARED, buf, sizeof buf),
	                    "VALID|PAGE|USER|RDONLY|SH|AF|NG|WRITE|PXN|UXN pfn=1");
	assert_string_equal(arch_describe(arch("riscv"), 0x4d7, buf, sizeof buf), "V|R|W|U|A|D pfn=1");
	assert_string_equal(arch_describe(arch("riscv"), 0, buf, sizeof buf), "pfn=0");
	assert_string_equal(arch_describe(arch("x86"), 0x1160, buf, sizeof buf), "A|D|G pfn=1, PROT_NONE");
	assert_string_equal(arch_describe(arch("arm64"), 0x0060000000001f82ull, buf, sizeof buf),
	                    "PAGE|RDONLY|SH|AF|NG|PXN|UXN pfn=1, PROT_NONE");
	assert_string_equal(arch_describe(arch("riscv"), 0x4e2, buf, sizeof buf), "R|G|A|D pfn=1, PROT_NONE");
}

/* Runs model name's dirty update on *pte; returns its DIRTY_* result. */
static int set_dirty(const char *name, pte_t *pte)
{
	const DirtyModel *m = dirty_find(name);
	uint64_t scratch = 0;
	const char *note = NULL;
	assert_non_null(m);
	int r = m->set_dirty(dirty_arch(m), pte, 0, &scratch, &note);
	assert_non_null(note);
	return r;
}

static int walk(const char *name, pte_t *pte, int write)
{
	const DirtyModel *m = dirty_find(name);
	const char *note = NULL;
	assert_non_null(m);
	int r = m->walk(dirty_arch(m), pte, write, &note);
	assert_non_null(note);
	return r;
}

static void test_arm64_models(void **state)
{
	pte_t p;
	(void)state;
	/* FEAT_HAFDBS: a store through a DBM entry clears PTE_RDONLY */
	p = A64_SHARED;
	assert_int_equal(set_dirty("hafdbs", &p), DIRTY_PROCEED);
	assert_int_equal(p, A64_HWDIRTY);
	p = 0;                                       /* cleared meanwhile */
	assert_int_equal(set_dirty("hafdbs", &p), DIRTY_FAULT);
	assert_int_equal(p, 0);
	p = A64_CLEANRO;                             /* write-protected meanwhile */
	assert_int_equal(set_dirty("hafdbs", &p), DIRTY_FAULT);
	assert_int_equal(p, A64_CLEANRO);
	p = 0x0068000000001bc3ull;                   /* walk sets AF, and dirty for a store */
	assert_true(walk("hafdbs", &p, 1));
	assert_int_equal(p, A64_HWDIRTY);
	/* ARMv8.0: no hardware update; a store needs PTE_RDONLY clear */
	p = A64_SHARED;
	assert_int_equal(set_dirty("armv8.0", &p), DIRTY_FAULT);
	assert_int_equal(p, A64_SHARED);
	assert_false(walk("armv8.0", &p, 1));
	assert_true(walk("armv8.0", &p, 0));
	p = A64_HWDIRTY;
	assert_true(walk("armv8.0", &p, 1));
	assert_int_equal(p, A64_HWDIRTY);
	/* ARMv8.0: PTE_AF clear is an access flag fault, for a load too, and
	 * the walk writes nothing (Arm ARM D8.5; arch/arm64/mm/fault.c
	 * fault_info[] "level 3 access flag fault") */
	p = A64_SHARED & ~(1ull << 10);
	assert_false(walk("armv8.0", &p, 0));
	assert_false(walk("armv8.0", &p, 1));
	assert_int_equal(p, 0x0068000000001bc3ull);
	p = A64_HWDIRTY & ~(1ull << 10);
	assert_false(walk("armv8.0", &p, 1));
	/* FEAT_HAFDBS sets it instead */
	p = A64_SHARED & ~(1ull << 10);
	assert_true(walk("hafdbs", &p, 0));
	assert_int_equal(p, A64_SHARED);
}

static void test_riscv_models(void **state)
{
	pte_t p;
	(void)state;
	p = RV_SHARED;
	assert_int_equal(set_dirty("svadu", &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x4d7);
	p = 0;
	assert_int_equal(set_dirty("svadu", &p), DIRTY_FAULT);
	p = 0x453;                                   /* W cleared meanwhile */
	assert_int_equal(set_dirty("svadu", &p), DIRTY_FAULT);
	p = RV_SHARED;
	assert_int_equal(set_dirty("svade", &p), DIRTY_FAULT);
	assert_false(walk("svade", &p, 1));
	assert_true(walk("svade", &p, 0));
	assert_int_equal(p, RV_SHARED);              /* Svade writes nothing */
	/* Svade: A clear faults, for a load too (RISC-V privileged spec,
	 * Svade); Svadu sets A; the x86 swfault walk has no A fault */
	p = 0x417;                                   /* RV_SHARED without _PAGE_ACCESSED */
	assert_false(walk("svade", &p, 0));
	assert_false(walk("svade", &p, 1));
	assert_int_equal(p, 0x417);
	assert_true(walk("svadu", &p, 0));
	assert_int_equal(p, RV_SHARED);
	p = 0x1005;                                  /* x86 P|U, A clear */
	assert_true(walk("swfault", &p, 0));
	assert_int_equal(p, 0x1005);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_consts),
		cmocka_unit_test(test_pfn),
		cmocka_unit_test(test_x86),
		cmocka_unit_test(test_prot_none),
		cmocka_unit_test(test_arm64_helpers),
		cmocka_unit_test(test_arm64_mmu),
		cmocka_unit_test(test_riscv),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_arm64_models),
		cmocka_unit_test(test_riscv_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

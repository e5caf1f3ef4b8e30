/* tests/unit/test_young.c: unit tests of scenarios/lib/young.yaml, the
 * accessed-flag helpers as each architecture's kernel defines them
 * (ptep_test_and_clear_young, ptep_clear_flush_young,
 * ptep_set_access_flags), of the arch: choice of a definition, and of the
 * ptep_test_and_clear_bit step.  Each case copies the library beside a
 * one-CPU scenario, runs one call to the end and checks the PTE, the
 * value returned (written to a variable) and the CPU's TLB entry against
 * values computed by hand from the headers each case cites. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* What one call left behind. */
typedef struct Young {
	pte_t pte;          /* the PTE of 0x10000 */
	uint64_t ret;       /* the call's return value */
	int tlb;            /* CPU#0 still has its TLB entry */
	char variant[16];   /* the variant of the ptep_test_and_clear_young compiled, or "" */
} Young;

/* The text of scenarios/lib/young.yaml (the tests run from the repo
 * root); the caller frees it. */
static char *library(void)
{
	FILE *fp = fopen("scenarios/lib/young.yaml", "r");
	assert_non_null(fp);
	char *buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 16) - 1, fp) > 0);
	fclose(fp);
	return buf;
}

/* The protection bits of pte: pte without the pfn of architecture arch. */
static pte_t prot_of(const char *arch, pte_t pte)
{
	const Arch *a = arch_find(arch);
	assert_non_null(a);
	assert_int_equal(arch_pfn(a, pte), 1);
	return pte & ~a->pfn_mask;
}

/* Runs call (an expression) on a machine of arch with model, the PTE of
 * page0 (pfn 1) at 0x10000 being pte (its pfn must be 1) and CPU#0 holding a clean writable
 * TLB entry for it; variant "" compiles the scenario without variants. */
static Young run(const char *arch, const char *model, const char *variant, pte_t pte, const char *call)
{
	char dir[64], path[128], text[2048], err[512] = "";
	char *lib = library();
	Young y = { 0 };
	snprintf(dir, sizeof dir, "/tmp/tlbsim_unit_XXXXXX");
	assert_non_null(mkdtemp(dir));
	tmp_write_at(dir, "young.yaml", lib);
	snprintf(text, sizeof text,
		"scenario: t\n%s"
		"include: [young.yaml]\n"
		"machine: {cpus: 1, arch: %s, models: [%s]}\n"
		"mms: [mm]\n"
		"vars: {ret: 0}\n"
		"files: [{name: f, size: 4096, pages: [{name: page0, index: 0}]}]\n"
		"vmas:\n"
		"  - {name: vma, mm: mm, start: 0x10000, file: f, writable: true, shared: true}\n"
		"ptes: [{mm: mm, addr: 0x10000, page: page0, prot: 0x%llx}]\n"
		"tlb:\n"
		"  - {cpu: 0, mm: mm, addr: 0x10000, writable: true, dirty: false}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    mm: mm\n"
		"    body: [\"WRITE_ONCE(ret, %s)\"]\n",
		*variant ? "variants: [generic, arch]\n" : "", arch, model, (unsigned long long)prot_of(arch, pte), call);
	tmp_write_at(dir, "s.yaml", text);
	snprintf(path, sizeof path, "%s/s.yaml", dir);
	SimFx f = { 0 };
	f.P = scn_compile(path, *variant ? variant : NULL, NULL, err, sizeof err);
	unlink(path);
	snprintf(path, sizeof path, "%s/young.yaml", dir);
	unlink(path);
	rmdir(dir);
	free(lib);
	if (!f.P)
		fail_msg("compile: %s", err);
	sim_ok(&f.S, f.P, model);
	f.w = calloc(1, f.S.L.size);
	assert_non_null(f.w);
	if (sim_start(&f.S, f.w) < 0)
		fail_msg("sim_start: %s", f.S.err);
	fx_run_to_end(&f);
	y.pte = w_pte(&f.S.L, f.w, 0);
	y.ret = ((uint64_t *)(f.w + f.S.L.var))[0];
	y.tlb = tlb_lookup(w_tlb(&f.S.L, f.w, 0), f.S.L.tlb_size, 0, 0x10) >= 0;
	int p = find_proc(f.P, "ptep_test_and_clear_young");
	if (p >= 0 && f.P->procs[p].variant)
		snprintf(y.variant, sizeof y.variant, "%s", f.P->procs[p].variant);
	fx_finish(&f);
	return y;
}

/* arch/x86/mm/pgtable.c (v6.x): test_and_clear_bit(_PAGE_BIT_ACCESSED)
 * after a read of pte_young; ptep_clear_flush_young does not flush. */
static void test_x86_young(void **state)
{
	(void)state;
	Young y = run("x86", "validating", "", 0x1027, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1007);                 /* P|RW|U, A cleared */
	y = run("x86", "validating", "", 0x1007, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_int_equal(y.ret, 0);
	assert_int_equal(y.pte, 0x1007);
	y = run("x86", "validating", "", 0x1067, "ptep_clear_flush_young(vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1047);                 /* D kept */
	assert_true(y.tlb);                              /* no flush on x86 */
}

/* arch/x86/mm/pgtable.c (v6.x): changed = !pte_same(*ptep, entry); the
 * PTE is written only if changed && dirty. */
static void test_x86_set_access_flags(void **state)
{
	(void)state;
	Young y = run("x86", "validating", "", 0x1027, "ptep_set_access_flags(vma, 0x10000, 0x1067, 0)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1027);                 /* a read fault writes nothing */
	y = run("x86", "validating", "", 0x1027, "ptep_set_access_flags(vma, 0x10000, 0x1067, 1)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1067);
	y = run("x86", "validating", "", 0x1067, "ptep_set_access_flags(vma, 0x10000, 0x1067, 1)");
	assert_int_equal(y.ret, 0);
}

/* arch/arm64/include/asm/pgtable.h (v4.18-v6.8): the cmpxchg loop of
 * pte_mkold; ptep_clear_flush_young flushes a young page.  PAGE_SHARED of
 * pgtable-prot.h at pfn 1 is 0x0068000000001fc3: PTE_AF is bit 10. */
static void test_arm64_young(void **state)
{
	(void)state;
	Young y = run("arm64", "hafdbs", "", 0x0068000000001fc3ull, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x0068000000001bc3ull);
	y = run("arm64", "hafdbs", "", 0x0068000000001bc3ull, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_int_equal(y.ret, 0);
	assert_int_equal(y.pte, 0x0068000000001bc3ull);
	y = run("arm64", "hafdbs", "", 0x0068000000001f43ull, "ptep_clear_flush_young(vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x0068000000001b43ull);  /* hardware dirty (PTE_RDONLY clear) kept */
	assert_false(y.tlb);                             /* flushed */
	y = run("arm64", "hafdbs", "", 0x0068000000001bc3ull, "ptep_clear_flush_young(vma, 0x10000)");
	assert_int_equal(y.ret, 0);
	assert_true(y.tlb);                              /* old: no flush */
}

/* arch/arm64/mm/fault.c (v5.0-v6.8): only PTE_RDONLY, PTE_AF, PTE_WRITE
 * and PTE_DIRTY of entry are taken, PTE_RDONLY to the more permissive
 * (lower) of *ptep and entry; a dirty fault flushes. */
static void test_arm64_set_access_flags(void **state)
{
	(void)state;
	/* a write fault on an old clean PTE: entry = pte_mkdirty(pte_mkyoung())
	 * = 0x00e8000000001f43 (PTE_DIRTY bit 55, PTE_RDONLY cleared) */
	Young y = run("arm64", "armv8.0", "", 0x0068000000001bc3ull,
	              "ptep_set_access_flags(vma, 0x10000, pte_mkdirty(pte_mkyoung(0x0068000000001bc3)), 1)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x00e8000000001f43ull);
	assert_false(y.tlb);                             /* "Invalidate a stale read-only entry" */
	/* a read fault: AF only, PTE_RDONLY stays */
	y = run("arm64", "armv8.0", "", 0x0068000000001bc3ull,
	        "ptep_set_access_flags(vma, 0x10000, 0x0068000000001fc3, 0)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x0068000000001fc3ull);
	assert_true(y.tlb);
	/* entry with PTE_RDONLY set does not take the hardware dirty state back */
	y = run("arm64", "hafdbs", "", 0x0068000000001f43ull,
	        "ptep_set_access_flags(vma, 0x10000, 0x0068000000001fc3, 0)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x0068000000001f43ull);
	/* the same PTE: nothing to do */
	y = run("arm64", "hafdbs", "", 0x0068000000001fc3ull,
	        "ptep_set_access_flags(vma, 0x10000, 0x0068000000001fc3, 1)");
	assert_int_equal(y.ret, 0);
	assert_true(y.tlb);
}

/* arch/riscv/include/asm/pgtable.h (v5.x-v6.x): test_and_clear_bit of
 * _PAGE_ACCESSED_OFFSET, no flush; ptep_set_access_flags writes any
 * change and returns true.  PAGE_SHARED at pfn 1 (bit 10) is 0x457. */
static void test_riscv(void **state)
{
	(void)state;
	Young y = run("riscv", "svadu", "", 0x4d7, "ptep_clear_flush_young(vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x497);                  /* A cleared, D kept */
	assert_true(y.tlb);
	y = run("riscv", "svadu", "", 0x417, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_int_equal(y.ret, 0);
	assert_int_equal(y.pte, 0x417);
	y = run("riscv", "svade", "", 0x417, "ptep_set_access_flags(vma, 0x10000, 0x4d7, 0)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x4d7);
	y = run("riscv", "svade", "", 0x457, "ptep_set_access_flags(vma, 0x10000, 0x457, 0)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x457);
}

/* A variant's definition wins over the architecture's, which wins over
 * one for any architecture (cx_find_def); include/linux/pgtable.h's
 * generic helper writes the PTE back with set_pte_at. */
static void test_variant_first(void **state)
{
	(void)state;
	Young y = run("x86", "validating", "generic", 0x1067, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_string_equal(y.variant, "generic");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1047);
	y = run("x86", "validating", "arch", 0x1067, "ptep_test_and_clear_young(vma, 0x10000)");
	assert_string_equal(y.variant, "");
	assert_int_equal(y.pte, 0x1047);
	/* arm64 in variant arch: its own helper, then the generic
	 * ptep_clear_flush_young (the one without arch:) */
	y = run("arm64", "hafdbs", "arch", 0x0068000000001fc3ull, "ptep_clear_flush_young(vma, 0x10000)");
	assert_string_equal(y.variant, "");
	assert_int_equal(y.pte, 0x0068000000001bc3ull);
	assert_false(y.tlb);
}

/* ptep_test_and_clear_bit clears one bit and returns it. */
static void test_bit(void **state)
{
	(void)state;
	Young y = run("x86", "validating", "", 0x1067, "ptep_test_and_clear_bit(_PAGE_BIT_DIRTY, vma, 0x10000)");
	assert_int_equal(y.ret, 1);
	assert_int_equal(y.pte, 0x1027);
	y = run("x86", "validating", "", 0x1027, "ptep_test_and_clear_bit(6, vma, 0x10000)");
	assert_int_equal(y.ret, 0);
	assert_int_equal(y.pte, 0x1027);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_young),
		cmocka_unit_test(test_x86_set_access_flags),
		cmocka_unit_test(test_arm64_young),
		cmocka_unit_test(test_arm64_set_access_flags),
		cmocka_unit_test(test_riscv),
		cmocka_unit_test(test_variant_first),
		cmocka_unit_test(test_bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

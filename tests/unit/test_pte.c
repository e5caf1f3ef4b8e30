/* tests/unit/test_pte.c: unit tests of mmu/pte.h and mmu/pte.c: every
 * pte_* helper on x86 PTE values, pte_none's KNL4 masking, and the
 * pt_format / pt_describe printers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mmu/pte.h"

/* 0x1067: pfn 1, P|RW|U|A|D.  0x1027: the same, clean.  0x1025: clean
 * read-only.  0x1047: dirty, not accessed. */

static void test_bits_are_x86(void **state)
{
	(void)state;
	assert_int_equal(_PAGE_PRESENT, 0x1);
	assert_int_equal(_PAGE_RW, 0x2);
	assert_int_equal(_PAGE_USER, 0x4);
	assert_int_equal(_PAGE_ACCESSED, 0x20);
	assert_int_equal(_PAGE_DIRTY, 0x40);
	assert_int_equal(PTE_PFN_SHIFT, 12);
	assert_int_equal(PTE_FLAGS_MASK, 0xfff);
}

static void test_pfn(void **state)
{
	(void)state;
	assert_int_equal(pte_pfn(0x1067), 1);
	assert_int_equal(pte_pfn(0x8067), 8);
	assert_int_equal(pte_pfn(0x67), 0);
	assert_int_equal(pte_pfn(0), 0);
	assert_int_equal(pte_pfn(0xabcd000 | 0xfff), 0xabcd);
	assert_int_equal(pfn_pte(8, 0x67), 0x8067);
	assert_int_equal(pfn_pte(1, 0x27), 0x1027);
	assert_int_equal(pfn_pte(0, 0), 0);
	/* prot bits above the flag field are dropped, not ORed into the pfn */
	assert_int_equal(pfn_pte(1, 0x3067), 0x1067);
	assert_int_equal(pte_pfn(pfn_pte(4095, 0x25)), 4095);
}

static void test_predicates(void **state)
{
	(void)state;
	assert_true(pte_present(0x1067));
	assert_false(pte_present(0x1066));
	assert_false(pte_present(0x40));
	assert_false(pte_present(0));

	assert_true(pte_write(0x1067));
	assert_false(pte_write(0x1065));
	assert_false(pte_write(0));

	assert_true(pte_dirty(0x1067));
	assert_false(pte_dirty(0x1027));
	assert_true(pte_dirty(0x40));

	assert_true(pte_young(0x1067));
	assert_false(pte_young(0x1047));
	assert_true(pte_young(0x20));

	/* they answer 0 or 1, not the bit value */
	assert_int_equal(pte_write(0x1067), 1);
	assert_int_equal(pte_dirty(0x1067), 1);
	assert_int_equal(pte_young(0x1067), 1);
	assert_int_equal(pte_present(0x1067), 1);
}

static void test_none_masks_knl4(void **state)
{
	(void)state;
	assert_true(pte_none(0));
	/* stray A/D bits on a cleared PTE (Knights Landing erratum KNL4) */
	assert_true(pte_none(0x40));
	assert_true(pte_none(0x20));
	assert_true(pte_none(0x60));
	/* anything else makes it not none */
	assert_false(pte_none(0x1));
	assert_false(pte_none(0x4));
	assert_false(pte_none(0x2));
	assert_false(pte_none(0x1000));
	assert_false(pte_none(0x1040));
	assert_false(pte_none(0x1067));
	assert_false(pte_none(0x1060));
}

static void test_same(void **state)
{
	(void)state;
	assert_true(pte_same(0x1067, 0x1067));
	assert_false(pte_same(0x1067, 0x1027));
	assert_false(pte_same(0x1067, 0x2067));
	assert_false(pte_same(0, 0x40));
	assert_true(pte_same(0, 0));
}

static void test_modifiers(void **state)
{
	(void)state;
	assert_int_equal(pte_mkclean(0x1067), 0x1027);
	assert_int_equal(pte_mkclean(0x1027), 0x1027);
	assert_int_equal(pte_mkclean(0x40), 0);
	assert_int_equal(pte_mkdirty(0x1027), 0x1067);
	assert_int_equal(pte_mkdirty(0x1067), 0x1067);
	assert_int_equal(pte_mkdirty(0), 0x40);
	assert_int_equal(pte_wrprotect(0x1067), 0x1065);
	assert_int_equal(pte_wrprotect(0x1065), 0x1065);
	assert_int_equal(pte_mkwrite(0x1065), 0x1067);
	assert_int_equal(pte_mkwrite(0x1067), 0x1067);
	assert_int_equal(pte_mkyoung(0x1047), 0x1067);
	assert_int_equal(pte_mkyoung(0x1067), 0x1067);
	assert_int_equal(pte_mkold(0x1067), 0x1047);
	assert_int_equal(pte_mkold(0x1047), 0x1047);
	/* the old page_mkclean_one: clean and write-protect */
	assert_int_equal(pte_wrprotect(pte_mkclean(0x1067)), 0x1025);
	/* the pfn is never touched */
	assert_int_equal(pte_pfn(pte_mkold(pte_wrprotect(pte_mkclean(0x8067)))), 8);
	assert_int_equal(pte_mkdirty(0xfffff000), 0xfffff040);
}

static void test_format(void **state)
{
	char buf[19];
	(void)state;
	assert_string_equal(pt_format(0x8067, buf, sizeof buf), "0x8067");
	assert_ptr_equal(pt_format(0x8067, buf, sizeof buf), buf);
	assert_string_equal(pt_format(0, buf, sizeof buf), "0x0");
	assert_string_equal(pt_format(0x40, buf, sizeof buf), "0x40");
	assert_string_equal(pt_format(0xabc000, buf, sizeof buf), "0xabc000");
	/* 19 bytes hold the widest value */
	assert_string_equal(pt_format(UINT64_MAX, buf, sizeof buf), "0xffffffffffffffff");
	/* a short buffer truncates, NUL-terminated */
	char small[4];
	assert_string_equal(pt_format(0x8067, small, sizeof small), "0x8");
}

static void test_describe(void **state)
{
	char buf[64];
	(void)state;
	assert_string_equal(pt_describe(0x8067, buf, sizeof buf), "P|RW|U|A|D pfn=8");
	assert_ptr_equal(pt_describe(0x8067, buf, sizeof buf), buf);
	assert_string_equal(pt_describe(0x1025, buf, sizeof buf), "P|U|A pfn=1");
	assert_string_equal(pt_describe(0x1027, buf, sizeof buf), "P|RW|U|A pfn=1");
	assert_string_equal(pt_describe(0x40, buf, sizeof buf), "D pfn=0");
	assert_string_equal(pt_describe(0, buf, sizeof buf), "pfn=0");
	assert_string_equal(pt_describe(0x3000, buf, sizeof buf), "pfn=3");
	/* bits without a name (0x8, 0x10, 0x80..0x800) are not listed */
	assert_string_equal(pt_describe(0x1f99, buf, sizeof buf), "P pfn=1");
}

static void test_describe_truncates(void **state)
{
	char full[64], buf[64];
	(void)state;
	pt_describe(0x8067, full, sizeof full);
	for (size_t len = 1; len <= strlen(full) + 1; len++) {
		memset(buf, 'x', sizeof buf);
		pt_describe(0x8067, buf, len);
		/* NUL-terminated inside the buffer, a prefix of the full text,
		 * and nothing written past len */
		assert_true(strlen(buf) < len);
		assert_memory_equal(buf, full, strlen(buf));
		assert_int_equal(buf[len], 'x');
	}
	pt_describe(0x8067, buf, strlen(full) + 1);
	assert_string_equal(buf, full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_are_x86),
		cmocka_unit_test(test_pfn),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_none_masks_knl4),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_truncates),
	};
	return cmocka_run_group_tests_name("pte", tests, NULL, NULL);
}

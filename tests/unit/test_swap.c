/* tests/unit/test_swap.c: unit tests of mmu/swap.c and the handle tag of
 * sim/program.h, against values worked out by hand from the kernel's
 * definitions.
 *
 * include/linux/swapops.h (v6.6): swp_entry(type, offset) =
 * (type << SWP_TYPE_SHIFT) | offset, SWP_TYPE_SHIFT = BITS_PER_XA_VALUE
 * (63) - MAX_SWAPFILES_SHIFT (5) = 58.  include/linux/swap.h with
 * CONFIG_DEVICE_PRIVATE (4 types), CONFIG_MIGRATION (3), CONFIG_MEMORY_FAILURE
 * (1), CONFIG_PTE_MARKER (1): MAX_SWAPFILES = 32 - 9 = 23,
 * SWP_MIGRATION_READ = 24, SWP_MIGRATION_WRITE = 26.
 *
 * x86-64, arch/x86/include/asm/pgtable_64.h (since 4.18):
 * __swp_entry(t, o) = (~o << 14 >> 5) | (t << 59).  For (0, 1): ~1 is
 * every bit but bit 0; shifted to bit 9 it sets bits 10-58:
 * 0x07fffffffffffc00.  For (26, 1): 26 << 59 = 0xd000000000000000 on top:
 * 0xd7fffffffffffc00.
 * arm64, arch/arm64/include/asm/pgtable.h (v6.10 and later, 55564814a838):
 * type << 6 | offset << 12: (0, 1) = 0x1000, (24, 1) = 0x600 | 0x1000 =
 * 0x1600.
 * RISC-V, arch/riscv/include/asm/pgtable.h (v6.x): type << 7 | offset << 12:
 * (0, 1) = 0x1000, (26, 1) = 0xd00 | 0x1000 = 0x1d00. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mmu/swap.h"
#include "sim/program.h"
#include "helpers.h"


static void test_generic(void **state)
{
	(void)state;
	uint64_t e = swp_entry(0, 1);
	assert_int_equal(e, 1);
	e = swp_entry(SWP_MIGRATION_WRITE, 1);
	assert_int_equal(e, 0x6800000000000001ull);
	assert_int_equal(swp_type(e), 26);
	assert_int_equal(swp_offset(e), 1);
	assert_true(non_swap_entry(e));
	assert_true(is_migration_entry(e));
	assert_true(is_writable_migration_entry(e));
	assert_false(is_writable_migration_entry(swp_entry(SWP_MIGRATION_READ, 1)));
	assert_false(non_swap_entry(swp_entry(MAX_SWAPFILES - 1, 7)));
	assert_false(is_migration_entry(swp_entry(SWP_HWPOISON, 1)));
}

static void test_layouts(void **state)
{
	(void)state;
	static const struct { const char *arch; unsigned type; uint64_t off; uint64_t pte; } v[] = {
		{ "x86", 0, 1, 0x07fffffffffffc00ull }, { "x86", SWP_MIGRATION_WRITE, 1, 0xd7fffffffffffc00ull },
		{ "arm64", 0, 1, 0x1000 }, { "arm64", SWP_MIGRATION_READ, 1, 0x1600 },
		{ "riscv", 0, 1, 0x1000 }, { "riscv", SWP_MIGRATION_WRITE, 1, 0x1d00 },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		const Arch *a = arch(v[i].arch);
		uint64_t e = swp_entry(v[i].type, v[i].off);
		assert_int_equal(swap_entry_to_pte(a, e), v[i].pte);
		assert_int_equal(swap_pte_to_entry(a, v[i].pte), e);
		assert_true(swap_is_swap_pte(a, v[i].pte));
		assert_false(a->present(v[i].pte));
	}
	for (int i = 0; arch_at(i); i++) {               /* every architecture has a layout */
		const Arch *a = arch_at(i);
		assert_non_null(swap_layout_doc(a));
		assert_false(swap_is_swap_pte(a, 0));
		for (unsigned t = 0; t < 32; t++)
			for (uint64_t o = 0; o < 4096; o += 97)
				assert_int_equal(swap_pte_to_entry(a, swap_entry_to_pte(a, swp_entry(t, o))), swp_entry(t, o));
	}
}

static void test_describe(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(arch_describe(arch("x86"), 0x07fffffffffffc00ull, buf, sizeof buf), "swap type=0 offset=1");
	assert_string_equal(arch_describe(arch("x86"), 0xd7fffffffffffc00ull, buf, sizeof buf), "migration write pfn=1");
	assert_string_equal(arch_describe(arch("arm64"), 0x1600, buf, sizeof buf), "migration read pfn=1");
	assert_string_equal(arch_describe(arch("riscv"), 0x1000, buf, sizeof buf), "swap type=0 offset=1");
	assert_string_equal(arch_describe(arch("x86"), 0x67, buf, sizeof buf), "P|RW|U|A|D pfn=0");
}

/* A handle is 0xf0 | kind in the top byte with bits 32-55 zero; swap
 * PTEs, swap entries and the arm64 bits 56-58 are numbers. */
static void test_handle_tag(void **state)
{
	(void)state;
	for (int k = HK_MM; k <= HK_VAR; k++) {
		assert_int_equal(h_kind(h_make(k, 5)), k);
		assert_int_equal(h_index(h_make(k, 5)), 5);
	}
	assert_int_equal(h_kind(0), HK_INT);
	assert_int_equal(h_kind((uint64_t)-22), HK_INT);           /* -EINVAL */
	assert_int_equal(h_kind(1ull << 58), HK_INT);              /* arm64 PTE_PROT_NONE before v6.10 */
	assert_int_equal(h_kind(1ull << 56), HK_INT);              /* arm64 PTE_SPECIAL */
	for (int i = 0; arch_at(i); i++)
		for (unsigned t = 0; t < 32; t++)
			for (uint64_t o = 0; o < (1ull << 41); o = o * 3 + 1) {
				uint64_t e = swp_entry(t, o);
				assert_int_equal(h_kind(e), HK_INT);
				assert_int_equal(h_kind(swap_entry_to_pte(arch_at(i), e)), HK_INT);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_handle_tag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* mmu/swap.c: each architecture's swap PTE layout, one table row per
 * architecture, each written as its header's __swp_entry, __swp_type and
 * __swp_offset macros define it. */
#include "mmu/swap.h"
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

/* x86-64, arch/x86/include/asm/pgtable_64.h since 4.18 (2f22b4cd4508,
 * "x86/speculation/l1tf: Protect swap entries against L1TF"): the type in
 * the top SWP_TYPE_BITS = 5 bits, the offset inverted from
 * SWP_OFFSET_FIRST_BIT = _PAGE_BIT_PROTNONE + 1 = 9, so that a swap PTE
 * never points at real memory.
 *   __swp_entry(type, offset) = (~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS)
 *                               | (type << (64 - SWP_TYPE_BITS))
 *   __swp_type(x) = x >> (64 - SWP_TYPE_BITS)
 *   __swp_offset(x) = ~x << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT */
#define X86_SWP_TYPE_BITS    5
#define X86_SWP_OFFSET_SHIFT (9 + X86_SWP_TYPE_BITS)

static pte_t x86_swp_entry(unsigned type, uint64_t off)
{
	return (~off << X86_SWP_OFFSET_SHIFT >> X86_SWP_TYPE_BITS) | ((uint64_t)type << (64 - X86_SWP_TYPE_BITS));
}
static unsigned x86_swp_type(pte_t x) { return (unsigned)(x >> (64 - X86_SWP_TYPE_BITS)); }
static uint64_t x86_swp_offset(pte_t x) { return ~x << X86_SWP_TYPE_BITS >> X86_SWP_OFFSET_SHIFT; }

/* arm64, arch/arm64/include/asm/pgtable.h of v6.10 and later
 * (55564814a838, "arm64/mm: Move PTE_PRESENT_INVALID to overlay PTE_NG",
 * laid it out so; before, bits 3-7 held the type and 8-57 the offset):
 * bits 0-1 zero (not valid), bit 2 the anon-exclusive marker, bit 3
 * uffd-wp, bits 6-10 the type, bit 11 (PTE_PRESENT_INVALID) zero, bits
 * 12-61 the offset. */
#define A64_SWP_TYPE_SHIFT   6
#define A64_SWP_TYPE_MASK    0x1fu
#define A64_SWP_OFFSET_SHIFT 12
#define A64_SWP_OFFSET_MASK  ((1ull << 50) - 1)

static pte_t a64_swp_entry(unsigned type, uint64_t off)
{
	return ((uint64_t)(type & A64_SWP_TYPE_MASK) << A64_SWP_TYPE_SHIFT) |
	       ((off & A64_SWP_OFFSET_MASK) << A64_SWP_OFFSET_SHIFT);
}
static unsigned a64_swp_type(pte_t x) { return (unsigned)(x >> A64_SWP_TYPE_SHIFT) & A64_SWP_TYPE_MASK; }
static uint64_t a64_swp_offset(pte_t x) { return (x >> A64_SWP_OFFSET_SHIFT) & A64_SWP_OFFSET_MASK; }

/* RISC-V, arch/riscv/include/asm/pgtable.h of v6.x: bit 0
 * (_PAGE_PRESENT), bits 1-3 (_PAGE_LEAF) and bit 5 (_PAGE_PROT_NONE)
 * zero, bit 6 the exclusive marker, bits 7-11 the type, bits 12 to
 * XLEN-1 the offset. */
#define RV_SWP_TYPE_SHIFT    7
#define RV_SWP_TYPE_MASK     0x1fu
#define RV_SWP_OFFSET_SHIFT  12

static pte_t rv_swp_entry(unsigned type, uint64_t off)
{
	return ((uint64_t)(type & RV_SWP_TYPE_MASK) << RV_SWP_TYPE_SHIFT) | (off << RV_SWP_OFFSET_SHIFT);
}
static unsigned rv_swp_type(pte_t x) { return (unsigned)(x >> RV_SWP_TYPE_SHIFT) & RV_SWP_TYPE_MASK; }
static uint64_t rv_swp_offset(pte_t x) { return x >> RV_SWP_OFFSET_SHIFT; }

typedef struct SwapLayout {
	const char *arch;
	pte_t (*entry)(unsigned type, uint64_t offset);   /* __swp_entry */
	unsigned (*type)(pte_t);                          /* __swp_type */
	uint64_t (*offset)(pte_t);                        /* __swp_offset */
	const char *doc;
} SwapLayout;

static const SwapLayout layouts[] = {
	{ "x86", x86_swp_entry, x86_swp_type, x86_swp_offset, "type bits 59-63, offset bits 9-58 inverted" },
	{ "arm64", a64_swp_entry, a64_swp_type, a64_swp_offset, "type bits 6-10, offset bits 12-61" },
	{ "riscv", rv_swp_entry, rv_swp_type, rv_swp_offset, "type bits 7-11, offset bits 12-63" },
};

/* Every architecture of mmu/arch.c has a row (tests/unit/test_swap.c). */
static const SwapLayout *layout(const Arch *a)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (!strcmp(layouts[i].arch, a->name))
			return &layouts[i];
	return &layouts[0];
}

pte_t swap_entry_to_pte(const Arch *a, uint64_t e)
{
	return layout(a)->entry(swp_type(e), swp_offset(e));
}

uint64_t swap_pte_to_entry(const Arch *a, pte_t p)
{
	const SwapLayout *l = layout(a);
	return swp_entry(l->type(p), l->offset(p));
}

int swap_is_swap_pte(const Arch *a, pte_t p)
{
	return !a->none(p) && !a->present(p);
}

const char *swap_layout_doc(const Arch *a)
{
	return layout(a)->doc;
}

char *swap_describe(const Arch *a, pte_t p, char *buf, size_t len)
{
	uint64_t e = swap_pte_to_entry(a, p);
	static const char *const mig[] = { "read", "read exclusive", "write" };
	if (is_migration_entry(e))
		snprintf(buf, len, "migration %s pfn=%" PRIu64, mig[swp_type(e) - SWP_MIGRATION_READ], swp_offset(e));
	else
		snprintf(buf, len, "swap type=%u offset=%" PRIu64, swp_type(e), swp_offset(e));
	return buf;
}

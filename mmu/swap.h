/* mmu/swap.h: swap entries (swp_entry_t) and the swap PTEs that hold
 * them, as include/linux/swapops.h and each architecture's pgtable.h
 * define them.  Two encodings meet here:
 *   - the architecture-independent swp_entry_t: the type in the top bits
 *     (from SWP_TYPE_SHIFT, 58 on 64-bit), the offset below;
 *   - the architecture's swap PTE (__swp_entry, __swp_type,
 *     __swp_offset): a PTE that is neither none nor present.
 * pte_to_swp_entry and swp_entry_to_pte convert between them.  The type
 * numbers are those of include/linux/swap.h of v6.6 with CONFIG_MIGRATION,
 * CONFIG_MEMORY_FAILURE, CONFIG_DEVICE_PRIVATE and CONFIG_PTE_MARKER:
 * MAX_SWAPFILES = 32 - 4 (device) - 3 (migration) - 1 (hwpoison)
 * - 1 (PTE marker) = 23; types from MAX_SWAPFILES up are no swap device
 * (non_swap_entry).  Migration entries hold the page's pfn as offset.
 * Pure functions only.  The swap PTE flags (soft-dirty, uffd-wp, the
 * anon-exclusive marker) are not modelled: pte_to_swp_entry's
 * pte_swp_clear_flags has nothing to clear. */
#ifndef TLBSIM_SWAP_H
#define TLBSIM_SWAP_H
#include <stdint.h>
#include "mmu/arch.h"

#define MAX_SWAPFILES_SHIFT  5
#define SWP_TYPE_SHIFT       58                 /* BITS_PER_XA_VALUE - MAX_SWAPFILES_SHIFT */
#define SWP_OFFSET_MASK      ((1ull << SWP_TYPE_SHIFT) - 1)
#define MAX_SWAPFILES        23
#define SWP_HWPOISON         MAX_SWAPFILES
#define SWP_MIGRATION_READ   (MAX_SWAPFILES + 1)
#define SWP_MIGRATION_READ_EXCLUSIVE (MAX_SWAPFILES + 2)
#define SWP_MIGRATION_WRITE  (MAX_SWAPFILES + 3)

static inline uint64_t swp_entry(unsigned type, uint64_t offset)
{
	return ((uint64_t)type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK);
}
static inline unsigned swp_type(uint64_t e) { return (unsigned)(e >> SWP_TYPE_SHIFT); }
static inline uint64_t swp_offset(uint64_t e) { return e & SWP_OFFSET_MASK; }
static inline int non_swap_entry(uint64_t e) { return swp_type(e) >= MAX_SWAPFILES; }
static inline int is_migration_entry(uint64_t e)
{
	unsigned t = swp_type(e);
	return t >= SWP_MIGRATION_READ && t <= SWP_MIGRATION_WRITE;
}
static inline int is_writable_migration_entry(uint64_t e) { return swp_type(e) == SWP_MIGRATION_WRITE; }

/* The architecture's swap PTE of entry e (swp_entry_to_pte), and back
 * (pte_to_swp_entry: the entry a swap PTE holds). */
pte_t swap_entry_to_pte(const Arch *a, uint64_t e);
uint64_t swap_pte_to_entry(const Arch *a, pte_t p);
/* is_swap_pte(): neither pte_none nor pte_present. */
int swap_is_swap_pte(const Arch *a, pte_t p);
/* Where a's swap PTEs keep the type and the offset, for docs and
 * errors: "type bits 59-63, offset bits 9-58 inverted". */
const char *swap_layout_doc(const Arch *a);
/* A swap PTE as traces decode it: "swap type=0 offset=1", "migration
 * write pfn=1"; returns buf. */
char *swap_describe(const Arch *a, pte_t p, char *buf, size_t len);

#endif

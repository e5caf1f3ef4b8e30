/* sim/swap.c: swap and migration entries as the kernel's swapops.h helpers
 * compute them (mmu/swap.c holds each architecture's swap PTE layout).
 * The helpers are local steps: they read and write only the CPU's
 * registers. */
#include "sim/execInt.h"
#include "mmu/swap.h"
#include <inttypes.h>

/* The page a pfn swap entry names; R_ERR if its offset is no page of the
 * scenario. */
static int entry_page(Sim *S, uint8_t *w, int c, const Step *s, uint64_t e)
{
	uint64_t pfn = swp_offset(e);
	if (!is_migration_entry(e))
		return ex_fail(S, s, "%s: 0x%" PRIx64 " is not a migration entry (its type is %u)", prog_ops[s->op].name, e,
		               swp_type(e));
	if (pfn < 1 || pfn > (uint64_t)S->P->npages)
		return ex_fail(S, s, "%s: 0x%" PRIx64 " names pfn 0x%" PRIx64 ", which is not a page of the scenario",
		               prog_ops[s->op].name, e, pfn);
	ex_setdst(S, w, c, s, h_make(HK_PAGE, pfn));
	return R_NEXT;
}

int sw_local(Sim *S, uint8_t *w, int c, const Step *s, uint64_t a, uint64_t b, int pfn)
{
	const Arch *arch = S->arch;
	uint64_t v;
	switch (s->op) {
	case OP_SWP_ENTRY:          v = swp_entry((unsigned)a, b); break;
	case OP_SWP_TYPE:           v = swp_type(a); break;
	case OP_SWP_OFFSET:         v = swp_offset(a); break;
	case OP_PTE_TO_SWP_ENTRY:   v = swap_pte_to_entry(arch, a); break;
	case OP_SWP_ENTRY_TO_PTE:   v = swap_entry_to_pte(arch, a); break;
	case OP_IS_SWAP_PTE:        v = (uint64_t)swap_is_swap_pte(arch, a); break;
	case OP_NON_SWAP_ENTRY:     v = (uint64_t)non_swap_entry(a); break;
	case OP_IS_MIGRATION_ENTRY: v = (uint64_t)is_migration_entry(a); break;
	case OP_IS_WRITABLE_MIGRATION_ENTRY:
	case OP_IS_WRITE_MIGRATION_ENTRY:
		v = (uint64_t)is_writable_migration_entry(a);
		break;
	case OP_MAKE_MIGRATION_ENTRY:
		v = swp_entry(b ? SWP_MIGRATION_WRITE : SWP_MIGRATION_READ, (uint64_t)pfn);
		break;
	case OP_MAKE_READABLE_MIGRATION_ENTRY: v = swp_entry(SWP_MIGRATION_READ, a); break;
	case OP_MAKE_WRITABLE_MIGRATION_ENTRY: v = swp_entry(SWP_MIGRATION_WRITE, a); break;
	case OP_MIGRATION_ENTRY_TO_PAGE:
	case OP_PFN_SWAP_ENTRY_TO_PAGE:
		return entry_page(S, w, c, s, a);
	case OP_PAGE_TO_PFN:        v = (uint64_t)pfn; break;
	default:
		return ex_fail(S, s, "%s: not a swap-entry step", prog_ops[s->op].name);
	}
	ex_setdst(S, w, c, s, v);
	return R_NEXT;
}

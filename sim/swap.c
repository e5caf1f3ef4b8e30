/* sim/swap.c: swap and migration entries as the kernel's swapops.h helpers
 * compute them (mmu/swap.c holds each architecture's swap PTE layout),
 * and the swap device with its swap cache (mm/swapfile.c,
 * mm/swap_state.c).  The helpers are local steps: they read and write
 * only the CPU's registers.  The device is machine state (SwapSlot, one
 * per offset of swap type 0; mmu/mem.h states its invariant), each step
 * on it one atomic transition; misuse the kernel would BUG on is a bug_on
 * at the step, an entry of no slot of the machine a scenario error. */
#include "sim/execInt.h"
#include "sim/world.h"
#include "mmu/swap.h"
#include <inttypes.h>
#include <stdio.h>

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

/* ---- the swap device ---- */

static PageState *page_at(Sim *S, uint8_t *w, int pfn)
{
	return (PageState *)(w + S->L.page) + pfn;
}

static SwapSlot *slot_at(Sim *S, uint8_t *w, uint64_t off)
{
	return (SwapSlot *)(w + S->L.swap) + off;
}

/* The slot of entry e, or NULL after reporting a scenario error. */
static SwapSlot *entry_slot(Sim *S, uint8_t *w, const Step *s, uint64_t e)
{
	if (!S->L.nswap)
		return ex_fail(S, s, "%s: the machine has no swap (declare machine.swap: SLOTS)", prog_ops[s->op].name), NULL;
	if (swp_type(e) != 0 || swp_offset(e) < 1 || swp_offset(e) > (uint64_t)S->L.nswap)
		return ex_fail(S, s, "%s: 0x%" PRIx64 " is no swap slot of the machine (type 0, offsets 1 to %d)",
		               prog_ops[s->op].name, e, S->L.nswap), NULL;
	return slot_at(S, w, swp_offset(e));
}

/* A slot with neither count nor cache is free again. */
static void slot_put(SwapSlot *sl, uint8_t drop)
{
	sl->map = (uint8_t)(sl->map - drop);
	if (!sl->map)
		sl->data = 0;
}

static int get_swap_page(Sim *S, uint8_t *w, int c, const Step *s)
{
	if (!S->L.nswap)
		return ex_fail(S, s, "get_swap_page: the machine has no swap (declare machine.swap: SLOTS)");
	uint64_t off = 0;
	for (int i = 1; i <= S->L.nswap && !off; i++)
		if (!slot_at(S, w, (uint64_t)i)->map)
			off = (uint64_t)i;
	if (off)
		slot_at(S, w, off)->map = SWAP_HAS_CACHE;
	ex_setdst(S, w, c, s, off ? swp_entry(0, off) : 0);
	if (off)
		ex_event(S, w, c, "%s = 0x%" PRIx64 ": swap slot %" PRIu64, s->text, swp_entry(0, off), off);
	else
		ex_event(S, w, c, "%s = 0: no free swap slot", s->text);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

static int add_to_swap_cache(Sim *S, uint8_t *w, int c, const Step *s, int pfn, uint64_t e)
{
	SwapSlot *sl = entry_slot(S, w, s, e);
	PageState *pg = page_at(S, w, pfn);
	if (!sl)
		return R_ERR;
	if (pg->flags & PG_swapcache)
		return ex_bug(S, w, c, s, "add_to_swap_cache of a page in the swap cache: VM_BUG_ON_PAGE(PageSwapCache(page))");
	if (pg->mapping)
		return ex_bug(S, w, c, s, "add_to_swap_cache of a page-cache page");
	if (!(sl->map & SWAP_HAS_CACHE) || sl->cache)
		return ex_bug(S, w, c, s, "add_to_swap_cache: the slot is not reserved for the cache (swapcache_prepare)");
	pg->flags |= PG_swapcache;
	pg->index = (uint16_t)swp_offset(e);
	pg->count++;
	sl->cache = (uint16_t)pfn;
	ex_setdst(S, w, c, s, 0);
	ex_event(S, w, c, "%s: %s in the swap cache for slot %" PRIu64 ", page_count %d", s->text,
	         S->P->pages[pfn - 1].name, swp_offset(e), pg->count);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

static int lookup_swap_cache(Sim *S, uint8_t *w, int c, const Step *s, uint64_t e)
{
	SwapSlot *sl = entry_slot(S, w, s, e);
	if (!sl)
		return R_ERR;
	if (sl->cache)
		page_at(S, w, sl->cache)->count++;
	ex_setdst(S, w, c, s, sl->cache ? h_make(HK_PAGE, sl->cache) : 0);
	ex_event(S, w, c, "%s = %s", s->text, sl->cache ? S->P->pages[sl->cache - 1].name : "NULL: not in the swap cache");
	return ex_next(S, w, c, S->P->cost.mem);
}

static int delete_from_swap_cache(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(S, w, pfn);
	if (!(pg->flags & PG_swapcache))
		return ex_bug(S, w, c, s, "delete_from_swap_cache of a page not in the swap cache: VM_BUG_ON_PAGE(!PageSwapCache(page))");
	SwapSlot *sl = slot_at(S, w, pg->index);
	ex_event(S, w, c, "%s: slot %u leaves the swap cache", s->text, pg->index);
	sl->cache = 0;
	slot_put(sl, SWAP_HAS_CACHE);
	pg->flags &= (uint8_t)~PG_swapcache;
	pg->index = 0;
	if (pg->count <= 0)
		return ex_bug(S, w, c, s, "delete_from_swap_cache: the cache's reference is gone");
	pg_put_ref(S, w, c, pfn);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

/* swap_duplicate, swap_free, put_swap_page, __swap_count: the count. */
static int count_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn, uint64_t e)
{
	SwapSlot *sl = entry_slot(S, w, s, e);
	if (!sl)
		return R_ERR;
	uint8_t n = (uint8_t)(sl->map & ~SWAP_HAS_CACHE), before = sl->map;
	switch (s->op) {
	case OP_SWAP_DUPLICATE:
		if (!sl->map)
			return ex_bug(S, w, c, s, "swap_duplicate of a free swap slot");
		sl->map++;
		ex_setdst(S, w, c, s, 0);
		break;
	case OP_SWAP_FREE:
		if (!n)
			return ex_bug(S, w, c, s, "swap_free of a slot no swap PTE counts on: swap_map underflow");
		slot_put(sl, 1);
		break;
	case OP_SWAPCACHE_PREPARE: {
		int busy = (sl->map & SWAP_HAS_CACHE) != 0;
		if (!n && !busy)
			return ex_bug(S, w, c, s, "swapcache_prepare of a free swap slot");
		sl->map |= SWAP_HAS_CACHE;
		ex_setdst(S, w, c, s, busy ? (uint64_t)-17 : 0);   /* -EEXIST */
		break;
	}
	case OP_PUT_SWAP_PAGE:
		if (!(sl->map & SWAP_HAS_CACHE) || (sl->cache && sl->cache != pfn))
			return ex_bug(S, w, c, s, "put_swap_page: the slot has no swap-cache reference of this page");
		sl->cache = 0;
		slot_put(sl, SWAP_HAS_CACHE);
		break;
	default:                                        /* __swap_count */
		ex_setdst(S, w, c, s, n);
		ex_event(S, w, c, "%s = %u", s->text, n);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	ex_event(S, w, c, "%s: swap_map[%" PRIu64 "] 0x%x -> 0x%x", s->text, swp_offset(e), before, sl->map);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

static int swap_readpage(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(S, w, pfn);
	if (!(pg->flags & PG_swapcache))
		return ex_bug(S, w, c, s, "swap_readpage of a page not in the swap cache: VM_BUG_ON_PAGE(!PageSwapCache(page))");
	pg->data = slot_at(S, w, pg->index)->data;
	pg->flags |= PG_uptodate;
	ex_event(S, w, c, "%s: %s gets slot %u's content v%u", s->text, S->P->pages[pfn - 1].name, pg->index, pg->data);
	return ex_next(S, w, c, S->P->cost.io);
}

int sw_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	uint64_t a = s->nargs > 0 ? ex_opv(S, w, c, s, 0) : 0;
	uint64_t b = s->nargs > 1 ? ex_opv(S, w, c, s, 1) : 0;
	switch (s->op) {
	case OP_GET_SWAP_PAGE:          return get_swap_page(S, w, c, s);
	case OP_ADD_TO_SWAP_CACHE:      return add_to_swap_cache(S, w, c, s, pfn, b);
	case OP_LOOKUP_SWAP_CACHE:      return lookup_swap_cache(S, w, c, s, a);
	case OP_DELETE_FROM_SWAP_CACHE: return delete_from_swap_cache(S, w, c, s, pfn);
	case OP_PUT_SWAP_PAGE:          return count_step(S, w, c, s, pfn, b);
	case OP_SWAP_DUPLICATE: case OP_SWAP_FREE: case OP___SWAP_COUNT: case OP_SWAPCACHE_PREPARE:
		return count_step(S, w, c, s, 0, a);
	case OP_SWAP_READPAGE:          return swap_readpage(S, w, c, s, pfn);
	case OP_PAGE_PRIVATE: {
		const PageState *pg = page_at(S, w, pfn);
		uint64_t v = pg->flags & PG_swapcache ? swp_entry(0, pg->index) : 0;
		ex_setdst(S, w, c, s, v);
		ex_event(S, w, c, "%s = 0x%" PRIx64, s->text, v);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	default: {                                      /* PageSwapCache */
		int v = (page_at(S, w, pfn)->flags & PG_swapcache) != 0;
		ex_setdst(S, w, c, s, (uint64_t)v);
		ex_event(S, w, c, "%s = %d", s->text, v);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	}
}

void sw_writepage(Sim *S, uint8_t *w, int pfn)
{
	PageState *pg = page_at(S, w, pfn);
	slot_at(S, w, pg->index)->data = pg->data;
}

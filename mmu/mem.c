/* mmu/mem.c: the struct page, page-lock, spinlock and block-I/O primitives.
 * Each function is one atomic access; interleaving is the caller's job. */
#include "mmu/mem.h"

int mem_set_page_dirty(PageState *pg)
{
	int was = (pg->flags & PG_dirty) != 0;
	pg->flags |= PG_dirty;
	return !was;
}

int mem_test_clear_dirty(PageState *pg)
{
	int was = (pg->flags & PG_dirty) != 0;
	pg->flags &= (uint8_t)~PG_dirty;
	return was;
}

int mem_trylock_page(PageState *pg, int cpu)
{
	if (pg->flags & PG_locked)
		return 0;
	pg->flags |= PG_locked;
	pg->locker = (uint8_t)(cpu + 1);
	return 1;
}

int mem_unlock_page(PageState *pg, int cpu)
{
	if (!(pg->flags & PG_locked) || pg->locker != cpu + 1)
		return -1;
	pg->flags &= (uint8_t)~PG_locked;
	pg->locker = 0;
	return 0;
}

void mem_submit_bio(Mem *m, int pfn, int slot)
{
	m->disk[slot] = m->page[pfn].data;
}

int mem_spin_trylock(Mem *m, int lock, int cpu)
{
	if (m->lock[lock])
		return 0;
	m->lock[lock] = (uint8_t)(cpu + 1);
	return 1;
}

int mem_spin_unlock(Mem *m, int lock, int cpu)
{
	if (m->lock[lock] != cpu + 1)
		return -1;
	m->lock[lock] = 0;
	return 0;
}

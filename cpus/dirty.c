/* cpus/dirty.c: the dirty-bit models.  Every function is one atomic
 * hardware access to the in-memory PTE (a locked read-modify-write). */
#include "cpus/dirty.h"
#include <string.h>

/* x86 page walk (Intel SDM Vol 3 4.8): fault unless present (and
 * writable for a write); set A, and D for a write, atomically. */
static int walk_x86(pte_t *pte, int write, const char **note)
{
	if (!pte_present(*pte) || (write && !pte_write(*pte))) {
		*note = pte_present(*pte) ? "walk: PTE read-only: page fault"
		                          : "walk: PTE not present: page fault";
		return 0;
	}
	*pte |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
	*note = write ? "walk: set A|D, fill TLB" : "walk: set A, fill TLB";
	return 1;
}

/* validating: re-walk atomically; fault if P=0 or RW=0, else set A|D.
 * Modern x86 in practice, AMD, Arm FEAT_HAFDBS, RISC-V Svadu. */
static int dirty_validating(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	if (!pte_present(*pte) || !pte_write(*pte)) {
		*note = "D update: re-walk finds PTE not present/writable: drop TLB entry, page fault";
		return DIRTY_FAULT;
	}
	*pte |= _PAGE_ACCESSED | _PAGE_DIRTY;
	*note = "D update: re-walk, PTE valid: atomic set D";
	return DIRTY_PROCEED;
}

/* blind: OR D into whatever the PTE holds now (a cleared PTE becomes 0x40,
 * "dirty zero"), keep the cached translation.  Linus, Dec 2006. */
static int dirty_blind(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	*pte |= _PAGE_DIRTY;
	*note = "D update: blind atomic OR of D";
	return DIRTY_PROCEED;
}

static const DirtyModel models[] = {
	{ "validating", "re-walk, fault if not present/writable, else atomic set D (modern x86, AMD, Arm, RISC-V Svadu)",
	  dirty_validating, walk_x86 },
	{ "blind", "atomic OR of D into whatever the PTE holds, store lands (Linus's 2006 hypothesis; IA-64 before d8117ce5a679)",
	  dirty_blind, walk_x86 },
};

const DirtyModel *dirty_model(int i)
{
	if (i < 0 || i >= (int)(sizeof models / sizeof models[0]))
		return NULL;
	return &models[i];
}

const DirtyModel *dirty_find(const char *name)
{
	for (int i = 0; dirty_model(i); i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

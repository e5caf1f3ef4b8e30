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

/* stray-on-nonpresent (KNL4): re-walk; a PTE whose P was just cleared
 * may still get A|D ORed in (0x60 left behind, erratum KNL4), but the
 * store faults.  Intel Xeon Phi x200; Linux 97e3c602ccbd masks it. */
static int dirty_knl4(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	if (!pte_present(*pte)) {
		*pte |= _PAGE_ACCESSED | _PAGE_DIRTY;
		*note = "D update: re-walk finds PTE not present: stray A|D ORed in (KNL4), page fault";
		return DIRTY_FAULT;
	}
	return dirty_validating(pte, phase, scratch, note);
}

/* stray-on-readonly (pre-CET Intel): D may be set in a PTE whose RW was
 * just cleared (Write=0, Dirty=1 left behind); the store faults. */
static int dirty_precet(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	if (pte_present(*pte) && !pte_write(*pte)) {
		*pte |= _PAGE_DIRTY;
		*note = "D update: re-walk finds PTE read-only: stray D set (pre-CET), page fault";
		return DIRTY_FAULT;
	}
	return dirty_validating(pte, phase, scratch, note);
}

/* non-atomic RMW (QEMU x86 before 4a1e9d4d11cd, Bochs, gem5): phase 0
 * reads the PTE, phase 1 (a later interleaving point) checks what it read
 * and stores that old value back with A|D, over whatever is there now.
 * scratch holds the value read, with bit 63 marking "read done" (a real
 * PTE here never has bit 63: NX is not modelled). */
#define NONATOMIC_READ (1ull << 63)
static int dirty_nonatomic(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	if (phase == 0) {
		*scratch = *pte | NONATOMIC_READ;
		*note = "D update: walker reads the PTE (non-atomic RMW, store back later)";
		return DIRTY_AGAIN;
	}
	pte_t old = *scratch & ~NONATOMIC_READ;
	if (!pte_present(old) || !pte_write(old)) {
		*note = "D update: the PTE read was not present/writable: page fault";
		return DIRTY_FAULT;
	}
	*pte = old | _PAGE_ACCESSED | _PAGE_DIRTY;
	*note = "D update: walker stores back the old PTE with A|D (non-atomic)";
	return DIRTY_PROCEED;
}

/* software-fault (RISC-V Svade, Arm v8.0, s390 since 3.9, PowerPC hash):
 * no hardware D.  A clean PTE is read-only to the hardware, so a store
 * through a clean entry faults and the kernel marks the PTE dirty. */
static int dirty_swfault(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)pte; (void)phase; (void)scratch;
	*note = "D update: no hardware dirty bit: drop TLB entry, page fault";
	return DIRTY_FAULT;
}

/* The walk of a CPU with no hardware A/D: nothing written; a store needs
 * a present, writable and already dirty PTE. */
static int walk_swfault(pte_t *pte, int write, const char **note)
{
	if (!pte_present(*pte) || (write && (!pte_write(*pte) || !pte_dirty(*pte)))) {
		*note = !pte_present(*pte) ? "walk: PTE not present: page fault" :
		        !pte_write(*pte) ? "walk: PTE read-only: page fault" :
		                           "walk: PTE clean (no hardware dirty bit): page fault";
		return 0;
	}
	*note = "walk: fill TLB (no hardware A/D)";
	return 1;
}

/* storage-key (s390 up to Linux 3.8): the PTE has no dirty bit; the data
 * write sets the frame's change bit (the executor does it, DM_STORAGE_KEY),
 * and the kernel reads it with page_test_and_clear_dirty(). */
static int dirty_storagekey(pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)pte; (void)phase; (void)scratch;
	*note = "D update: none in the PTE (storage key: the data write sets the frame's change bit)";
	return DIRTY_PROCEED;
}

static int walk_storagekey(pte_t *pte, int write, const char **note)
{
	if (!pte_present(*pte) || (write && !pte_write(*pte))) {
		*note = pte_present(*pte) ? "walk: PTE read-only: page fault" : "walk: PTE not present: page fault";
		return 0;
	}
	*note = "walk: fill TLB (no A/D in the PTE)";
	return 1;
}

static const DirtyModel models[] = {
	{ "validating", "re-walk, fault if not present/writable, else atomic set D (modern x86, AMD, Arm, RISC-V Svadu)",
	  0, dirty_validating, walk_x86 },
	{ "blind", "atomic OR of D into whatever the PTE holds, store lands (Linus's 2006 hypothesis; IA-64 before d8117ce5a679)",
	  0, dirty_blind, walk_x86 },
	{ "knl4", "validating, but A|D may be ORed into a PTE whose P was just cleared; the store faults (Xeon Phi erratum KNL4)",
	  0, dirty_knl4, walk_x86 },
	{ "precet", "validating, but D may be set in a PTE whose RW was just cleared; the store faults (Intel before CET)",
	  0, dirty_precet, walk_x86 },
	{ "nonatomic", "read the PTE, later store the old value back with A|D, over what is there (QEMU x86 before 2022, Bochs)",
	  0, dirty_nonatomic, walk_x86 },
	{ "swfault", "no hardware dirty bit: a store through a clean PTE faults, the kernel sets D (RISC-V Svade, Arm v8.0, s390)",
	  DM_SW_DIRTY, dirty_swfault, walk_swfault },
	{ "storagekey", "dirty state per frame, set by every write, outside the PTE; read by page_test_and_clear_dirty (s390 to 3.8)",
	  DM_STORAGE_KEY, dirty_storagekey, walk_storagekey },
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

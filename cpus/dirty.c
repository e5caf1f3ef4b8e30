/* cpus/dirty.c: the dirty-bit models.  Every function is one atomic
 * hardware access to the in-memory PTE (a locked read-modify-write). */
#include "cpus/dirty.h"
#include <string.h>

/* The trace's words for what a hardware walk or update did, in one
 * architecture's terms: [0] refused (read-only), [1] refused (not
 * valid), [2] done for a store, [3] done for a load. */
typedef const char *const HwNotes[4];

/* An atomic hardware walk (the x86 SDM Vol 3 4.8 walk; FEAT_HAFDBS;
 * Svadu): fault unless valid (and writable for a write); set the access
 * flag, and the dirty state for a write, in one atomic update. */
static int walk_atomic(const Arch *a, pte_t *pte, int write, const char **note, HwNotes n)
{
	if (!a->hw_valid(*pte) || (write && !a->hw_writable(*pte))) {
		*note = a->hw_valid(*pte) ? n[0] : n[1];
		return 0;
	}
	*pte = a->hw_mkyoung(*pte);
	if (write)
		*pte = a->hw_mkdirty(*pte);
	*note = write ? n[2] : n[3];
	return 1;
}

/* A validating dirty update: re-read the PTE atomically; fault (n[0]) if
 * it is no longer valid and writable, else set the dirty state (n[1]). */
static int update_validating(const Arch *a, pte_t *pte, const char **note, const char *const n[2])
{
	if (!a->hw_valid(*pte) || !a->hw_writable(*pte)) {
		*note = n[0];
		return DIRTY_FAULT;
	}
	*pte = a->hw_mkyoung(a->hw_mkdirty(*pte));
	*note = n[1];
	return DIRTY_PROCEED;
}

static int walk_x86(const Arch *a, pte_t *pte, int write, const char **note)
{
	static HwNotes n = { "walk: PTE read-only: page fault", "walk: PTE not present: page fault",
	                     "walk: set A|D, fill TLB", "walk: set A, fill TLB" };
	return walk_atomic(a, pte, write, note, n);
}

/* validating: re-walk atomically; fault if P=0 or RW=0, else set A|D.
 * Modern x86 in practice, AMD, Arm FEAT_HAFDBS, RISC-V Svadu. */
static int dirty_validating(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	static const char *const n[2] = { "D update: re-walk finds PTE not present/writable: drop TLB entry, page fault",
	                                  "D update: re-walk, PTE valid: atomic set D" };
	(void)phase; (void)scratch;
	return update_validating(a, pte, note, n);
}

/* blind: OR D into whatever the PTE holds now (a cleared PTE becomes 0x40,
 * "dirty zero"), keep the cached translation.  Linus, Dec 2006. */
static int dirty_blind(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	*pte = a->hw_mkdirty(*pte);
	*note = "D update: blind atomic OR of D";
	return DIRTY_PROCEED;
}

/* stray-on-nonpresent (KNL4): re-walk; a PTE whose P was just cleared
 * may still get A|D ORed in (0x60 left behind, erratum KNL4), but the
 * store faults.  Intel Xeon Phi x200; Linux 97e3c602ccbd masks it. */
static int dirty_knl4(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	if (!a->hw_valid(*pte)) {
		*pte = a->hw_mkyoung(a->hw_mkdirty(*pte));
		*note = "D update: re-walk finds PTE not present: stray A|D ORed in (KNL4), page fault";
		return DIRTY_FAULT;
	}
	return dirty_validating(a, pte, phase, scratch, note);
}

/* stray-on-readonly (pre-CET Intel): D may be set in a PTE whose RW was
 * just cleared (Write=0, Dirty=1 left behind); the store faults. */
static int dirty_precet(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)phase; (void)scratch;
	if (a->hw_valid(*pte) && !a->hw_writable(*pte)) {
		*pte = a->hw_mkdirty(*pte);
		*note = "D update: re-walk finds PTE read-only: stray D set (pre-CET), page fault";
		return DIRTY_FAULT;
	}
	return dirty_validating(a, pte, phase, scratch, note);
}

/* non-atomic RMW (QEMU x86 before 4a1e9d4d11cd, Bochs, gem5): phase 0
 * reads the PTE, phase 1 (a later interleaving point) checks what it read
 * and stores that old value back with A|D, over whatever is there now.
 * scratch holds the value read, with bit 63 marking "read done" (a real
 * PTE here never has bit 63: NX is not modelled). */
#define NONATOMIC_READ (1ull << 63)
/* n: [0] the read, [1] the fault on what was read, [2] the store back. */
static int update_nonatomic(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note,
                            const char *const n[3])
{
	if (phase == 0) {
		*scratch = *pte | NONATOMIC_READ;
		*note = n[0];
		return DIRTY_AGAIN;
	}
	pte_t old = *scratch & ~NONATOMIC_READ;
	if (!a->hw_valid(old) || !a->hw_writable(old)) {
		*note = n[1];
		return DIRTY_FAULT;
	}
	*pte = a->hw_mkyoung(a->hw_mkdirty(old));
	*note = n[2];
	return DIRTY_PROCEED;
}

static int dirty_nonatomic(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	static const char *const n[3] = { "D update: walker reads the PTE (non-atomic RMW, store back later)",
	                                  "D update: the PTE read was not present/writable: page fault",
	                                  "D update: walker stores back the old PTE with A|D (non-atomic)" };
	return update_nonatomic(a, pte, phase, scratch, note, n);
}

/* software-fault (RISC-V Svade, Arm v8.0, s390 since 3.9, PowerPC hash):
 * no hardware D.  A clean PTE is read-only to the hardware, so a store
 * through a clean entry faults and the kernel marks the PTE dirty. */
static int dirty_swfault(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)a; (void)pte; (void)phase; (void)scratch;
	*note = "D update: no hardware dirty bit: drop TLB entry, page fault";
	return DIRTY_FAULT;
}

/* The walk of a CPU with no hardware A/D: nothing written; a store needs
 * a present, writable and already dirty PTE. */
static int walk_swfault(const Arch *a, pte_t *pte, int write, const char **note)
{
	if (!a->hw_valid(*pte) || (write && (!a->hw_writable(*pte) || !a->hw_dirty(*pte)))) {
		*note = !a->hw_valid(*pte) ? "walk: PTE not present: page fault" :
		        !a->hw_writable(*pte) ? "walk: PTE read-only: page fault" :
		                           "walk: PTE clean (no hardware dirty bit): page fault";
		return 0;
	}
	*note = "walk: fill TLB (no hardware A/D)";
	return 1;
}

/* Svade (RISC-V privileged spec, "Svade"): no hardware A/D update; a walk
 * that finds A clear, or D clear for a store, raises a page fault, and
 * the kernel sets them (handle_pte_fault: pte_mkyoung, pte_mkdirty,
 * ptep_set_access_flags).  The x86 swfault walk is this without the A
 * fault. */
static int walk_svade(const Arch *a, pte_t *pte, int write, const char **note)
{
	if (a->hw_valid(*pte) && !a->young(*pte)) {
		*note = "walk: PTE A clear (Svade, no hardware A update): page fault";
		return 0;
	}
	return walk_swfault(a, pte, write, note);
}

/* storage-key (s390 up to Linux 3.8): the PTE has no dirty bit; the data
 * write sets the frame's change bit (the executor does it, DM_STORAGE_KEY),
 * and the kernel reads it with page_test_and_clear_dirty(). */
static int dirty_storagekey(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)a; (void)pte; (void)phase; (void)scratch;
	*note = "D update: none in the PTE (storage key: the data write sets the frame's change bit)";
	return DIRTY_PROCEED;
}

static int walk_storagekey(const Arch *a, pte_t *pte, int write, const char **note)
{
	if (!a->hw_valid(*pte) || (write && !a->hw_writable(*pte))) {
		*note = a->hw_valid(*pte) ? "walk: PTE read-only: page fault" : "walk: PTE not present: page fault";
		return 0;
	}
	*note = "walk: fill TLB (no A/D in the PTE)";
	return 1;
}

/* ---- arm64 (Arm ARM D8.4-D8.5, hardware updates of the access flag and
 * dirty state; Linux 2f4b829c625e) ---- */

/* FEAT_HAFDBS walk: a translation fault unless PTE_VALID; a write needs
 * DBM (PTE_WRITE) or PTE_RDONLY clear; the hardware sets AF, and for a
 * write clears PTE_RDONLY (the dirty state), atomically. */
static int walk_hafdbs(const Arch *a, pte_t *pte, int write, const char **note)
{
	static HwNotes n = { "walk: PTE_RDONLY without DBM: permission fault", "walk: descriptor not valid: translation fault",
	                     "walk: set AF, clear PTE_RDONLY (DBM), fill TLB", "walk: set AF, fill TLB" };
	return walk_atomic(a, pte, write, note, n);
}

/* FEAT_HAFDBS dirty update through a cached entry with PTE_RDONLY: the
 * hardware re-reads the descriptor and, if it is still valid with DBM,
 * clears PTE_RDONLY atomically; a changed descriptor restarts the walk,
 * which faults if it lost VALID or DBM. */
static int dirty_hafdbs(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	static const char *const n[2] = {
		"dirty update: re-walk finds the descriptor not valid or without DBM: drop TLB entry, fault",
		"dirty update: re-walk, descriptor valid with DBM: atomic clear PTE_RDONLY" };
	(void)phase; (void)scratch;
	return update_validating(a, pte, note, n);
}

/* ARMv8.0 (no FEAT_HAFDBS): no hardware dirty state; a store through a
 * PTE_RDONLY entry takes a permission fault and the kernel makes the PTE
 * dirty (pte_mkdirty clears PTE_RDONLY).  No hardware AF update either:
 * a walk that finds PTE_AF clear takes an access flag fault (Arm ARM
 * D8.5; the "level 3 access flag fault" of arch/arm64/mm/fault.c's
 * fault_info[], handled by do_page_fault), and the kernel's fault path
 * sets it (handle_pte_fault: pte_mkyoung, ptep_set_access_flags). */
static int dirty_armv80(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	(void)a; (void)pte; (void)phase; (void)scratch;
	*note = "store to a PTE_RDONLY entry (no hardware dirty update): drop TLB entry, permission fault";
	return DIRTY_FAULT;
}

static int walk_armv80(const Arch *a, pte_t *pte, int write, const char **note)
{
	if (!a->hw_valid(*pte) || !a->young(*pte) || (write && !a->hw_dirty(*pte))) {
		*note = !a->hw_valid(*pte) ? "walk: descriptor not valid: translation fault" :
		        !a->young(*pte) ? "walk: PTE_AF clear (no hardware AF update): access flag fault" :
		                          "walk: PTE_RDONLY (no hardware dirty update): permission fault";
		return 0;
	}
	*note = "walk: fill TLB (no hardware AF/dirty update)";
	return 1;
}

/* A non-atomic software walker on arm64: reads the descriptor, later
 * writes the old value back with AF set and PTE_RDONLY cleared. */
static int dirty_nonatomic_arm64(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note)
{
	static const char *const n[3] = {
		"dirty update: walker reads the descriptor (non-atomic RMW, store back later)",
		"dirty update: the descriptor read was not valid or without DBM: fault",
		"dirty update: walker stores back the old descriptor, AF set, PTE_RDONLY clear (non-atomic)" };
	return update_nonatomic(a, pte, phase, scratch, note, n);
}

static const DirtyModel models[] = {
	{ "validating", "x86", "re-walk, fault if not present/writable, else atomic set D (modern x86, AMD, Arm, RISC-V Svadu)",
	  0, dirty_validating, walk_x86 },
	{ "blind", "x86", "atomic OR of D into whatever the PTE holds, store lands (Linus's 2006 hypothesis; IA-64 before d8117ce5a679)",
	  0, dirty_blind, walk_x86 },
	{ "knl4", "x86", "validating, but A|D may be ORed into a PTE whose P was just cleared; the store faults (Xeon Phi erratum KNL4)",
	  0, dirty_knl4, walk_x86 },
	{ "precet", "x86", "validating, but D may be set in a PTE whose RW was just cleared; the store faults (Intel before CET)",
	  0, dirty_precet, walk_x86 },
	{ "nonatomic", "x86", "read the PTE, later store the old value back with A|D, over what is there (QEMU x86 before 2022, Bochs)",
	  0, dirty_nonatomic, walk_x86 },
	{ "swfault", "x86", "no hardware dirty bit: a store through a clean PTE faults, the kernel sets D (RISC-V Svade, Arm v8.0, s390)",
	  DM_SW_DIRTY, dirty_swfault, walk_swfault },
	{ "storagekey", "x86", "dirty state per frame, set by every write, outside the PTE; read by page_test_and_clear_dirty (s390 to 3.8)",
	  DM_STORAGE_KEY, dirty_storagekey, walk_storagekey },
	{ "hafdbs", "arm64", "FEAT_HAFDBS: hardware sets AF, a store through a DBM entry re-reads the descriptor and atomically clears PTE_RDONLY (Armv8.1+)",
	  0, dirty_hafdbs, walk_hafdbs },
	{ "armv8.0", "arm64", "no hardware AF/dirty update: an access to a PTE without PTE_AF takes an access flag fault, a store to a PTE_RDONLY entry a permission fault; the kernel sets them",
	  DM_SW_DIRTY, dirty_armv80, walk_armv80 },
	{ "nonatomic-arm64", "arm64", "a software walker that reads the descriptor and later stores it back with PTE_RDONLY clear (non-atomic RMW)",
	  0, dirty_nonatomic_arm64, walk_hafdbs },
	{ "svadu", "riscv", "Svadu: the walk sets A, and D for a store, atomically, after re-checking V and W (RISC-V privileged spec)",
	  0, dirty_validating, walk_x86 },
	{ "svade", "riscv", "Svade: no hardware A/D update: an access to a PTE with A=0, or a store to one with D=0, takes a page fault, the kernel sets them",
	  DM_SW_DIRTY, dirty_swfault, walk_svade },
	{ "nonatomic-riscv", "riscv", "a software walker that reads the PTE and later stores it back with A|D (non-atomic RMW)",
	  0, dirty_nonatomic, walk_x86 },
};

const DirtyModel *dirty_model(int i)
{
	if (i < 0 || i >= (int)(sizeof models / sizeof models[0]))
		return NULL;
	return &models[i];
}

const DirtyModel *dirty_model_of(const Arch *a, int i)
{
	for (int k = 0; dirty_model(k); k++)
		if (!strcmp(models[k].arch, a->name) && i-- == 0)
			return &models[k];
	return NULL;
}

const Arch *dirty_arch(const DirtyModel *m)
{
	return arch_find(m->arch);
}

const DirtyModel *dirty_find(const char *name)
{
	for (int i = 0; dirty_model(i); i++)
		if (strcmp(models[i].name, name) == 0)
			return &models[i];
	return NULL;
}

/* cpus/dirty.h: how a CPU sets the dirty bit, as a pluggable table.
 * A model answers two hardware questions: what a store does when its TLB
 * entry is writable but clean (D=0), and what the page walk does on a TLB
 * miss.  Adding a model is one table row (cpus/dirty.c); docs/models.md
 * gives each model's behaviour and its sources. */
#ifndef TLBSIM_DIRTY_H
#define TLBSIM_DIRTY_H
#include <stdint.h>
#include "mmu/arch.h"

enum DirtyStep {
	DIRTY_PROCEED,  /* D is recorded in the cached entry; the data write follows */
	DIRTY_FAULT,    /* the entry is dropped and the store takes a page fault */
	DIRTY_AGAIN     /* one more hardware step (a separate interleaving point) */
};

/* Properties of a model that the executor, not the model's functions,
 * acts on. */
#define DM_SW_DIRTY     0x1  /* no hardware D: a TLB entry is writable only if
                                the PTE is RW and already D (swfault) */
#define DM_STORAGE_KEY  0x2  /* dirty state per frame, outside the PTE: every
                                data write sets the frame's change bit (s390) */

typedef struct DirtyModel {
	const char *name;     /* as written in scenarios and on the command line */
	const char *arch;     /* the architecture it is a CPU of (mmu/arch.h) */
	const char *summary;  /* one line, for --help and reports */
	unsigned flags;       /* DM_* */
	/* The dirty-bit step of a store through a writable entry with D=0,
	 * in the bits of architecture a.  phase counts the model's hardware
	 * steps from 0; *scratch keeps the CPU's walker state across them (0
	 * before phase 0).  *note gets a short description for the trace.
	 * Returns enum DirtyStep. */
	int (*set_dirty)(const Arch *a, pte_t *pte, int phase, uint64_t *scratch, const char **note);
	/* The page walk on a TLB miss: updates *pte (A, and D for a write) and
	 * returns 1 to fill the TLB, or 0 for a page fault. */
	int (*walk)(const Arch *a, pte_t *pte, int write, const char **note);
} DirtyModel;

/* The architecture of model m. */
const Arch *dirty_arch(const DirtyModel *m);
/* The model called name, or NULL. */
const DirtyModel *dirty_find(const char *name);
/* The i-th model (NULL past the end): for listings and `tlbsim models`. */
const DirtyModel *dirty_model(int i);
/* The i-th model of architecture a (NULL past its last). */
const DirtyModel *dirty_model_of(const Arch *a, int i);

#endif

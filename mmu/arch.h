/* mmu/arch.h: an architecture as a table: its PTE bits with their kernel
 * names, the kernel's pte_* helpers as that architecture defines them,
 * and the MMU's view of a PTE (what the page walk may cache, what a store
 * may write through, the bits the hardware sets).  x86 is the layout of
 * mmu/pte.h; arm64 and RISC-V follow their kernel headers (arch.c cites
 * them).  Pure functions only: a pte_t is a plain uint64_t. */
#ifndef TLBSIM_ARCH_H
#define TLBSIM_ARCH_H
#include <stdint.h>
#include <stddef.h>
#include "mmu/pte.h"

typedef struct ArchBit {
	const char *name;        /* the kernel's constant: _PAGE_DIRTY, PTE_RDONLY */
	uint64_t mask;
	const char *abbrev;      /* for decoded PTEs: "D", "RDONLY" */
} ArchBit;

typedef struct Arch {
	const char *name;        /* machine.arch: x86, arm64, riscv */
	const char *source;      /* the kernel headers and version it follows */
	const ArchBit *bits;     /* NULL-terminated, low bits first */
	int pfn_shift;           /* the output address's pfn starts here */
	uint64_t pfn_mask;       /* its bits, in place */
	/* The kernel's helpers (the pte_* steps). */
	int (*present)(pte_t);
	int (*write)(pte_t);
	int (*dirty)(pte_t);
	int (*young)(pte_t);
	int (*none)(pte_t);
	int (*protnone)(pte_t);  /* a PROT_NONE (or NUMA hinting) entry */
	pte_t (*mkclean)(pte_t);
	pte_t (*mkdirty)(pte_t);
	pte_t (*wrprotect)(pte_t);
	pte_t (*mkwrite)(pte_t);
	pte_t (*mkyoung)(pte_t);
	pte_t (*mkold)(pte_t);
	/* The MMU.  hw_valid: the walk may cache it; hw_writable: a store
	 * may go through, perhaps after the hardware's dirty update;
	 * hw_dirty: a store needs no dirty update; hw_mkdirty/hw_mkyoung:
	 * that update and the access-flag update; hw_stray: the hardware's
	 * marks on an entry it may not cache (a blind or KNL4 update of a
	 * cleared PTE: dirty_nonpresent_pte). */
	int (*hw_valid)(pte_t);
	int (*hw_writable)(pte_t);
	int (*hw_dirty)(pte_t);
	pte_t (*hw_mkdirty)(pte_t);
	pte_t (*hw_mkyoung)(pte_t);
	int (*hw_stray)(pte_t);
} Arch;

/* The architecture called name, or NULL; the i-th one (NULL past the
 * end).  arch_at(0) is x86, the default. */
const Arch *arch_find(const char *name);
const Arch *arch_at(int i);
int arch_count(void);
/* The value of bit constant name of a (0 if it has none). */
int arch_const(const Arch *a, const char *name, uint64_t *v);

/* vm_get_page_prot(vm_flags): protection_map[vm_flags & (VM_READ |
 * VM_WRITE | VM_EXEC | VM_SHARED)] of mm/mmap.c (arch/x86/mm/pgprot.c
 * since 6.0) from a's PAGE_READONLY, PAGE_COPY and PAGE_SHARED: a private
 * writable mapping gets PAGE_COPY (write faults break COW), a shared one
 * PAGE_SHARED, one with none of read, write and exec PAGE_NONE (present
 * to the kernel, not to the MMU).  Returns 0 with *prot, or -1 for a
 * protection the tables do not model: but on x86 (whose _PAGE_NX is not
 * modelled, so its _EXEC ones are the same), VM_EXEC. */
int arch_vm_get_page_prot(const Arch *a, uint64_t vm_flags, pte_t *prot);

static inline uint64_t arch_pfn(const Arch *a, pte_t p) { return (p & a->pfn_mask) >> a->pfn_shift; }
static inline pte_t arch_pfn_pte(const Arch *a, uint64_t pfn, uint64_t prot)
{
	return ((pfn << a->pfn_shift) & a->pfn_mask) | (prot & ~a->pfn_mask);
}
/* pte_modify(p, prot): p with the protection bits of prot instead of its
 * own, keeping its pfn and its dirty and young state, whatever prot says
 * of them (x86's _PAGE_CHG_MASK keeps the pfn, _PAGE_ACCESSED and
 * _PAGE_DIRTY, so PAGE_NONE's _PAGE_ACCESSED is not taken; the other bits
 * it keeps, _PAGE_PCD, _PAGE_PWT, _PAGE_SPECIAL, soft-dirty, are not
 * modelled; arm64's mask leaves PTE_AF and PTE_DIRTY to p and moves its
 * hardware dirty state to PTE_DIRTY; RISC-V's _PAGE_CHG_MASK keeps A and
 * D).  No PAGE_* protection of the tables holds a dirty bit. */
static inline pte_t arch_pte_modify(const Arch *a, pte_t p, pte_t prot)
{
	pte_t q = a->mkold(arch_pfn_pte(a, arch_pfn(a, p), prot));
	if (a->dirty(p))
		q = a->mkdirty(q);
	return a->young(p) ? a->mkyoung(q) : q;
}
/* The bits of p the table names, as "P|RW|U|A|D pfn=8" (with ", PROT_NONE"
 * after a PROT_NONE or NUMA hinting entry's), or for a swap
 * PTE (neither none nor present) the entry it holds, as
 * "swap type=0 offset=1" (mmu/swap.c); returns buf. */
char *arch_describe(const Arch *a, pte_t p, char *buf, size_t len);

#endif

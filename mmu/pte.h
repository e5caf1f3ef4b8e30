/* mmu/pte.h: x86 page-table-entry bits and the kernel's pte_* helpers.
 * A pte_t is a plain uint64_t with the x86 layout: flags in bits 0-11,
 * the page frame number from bit 12 (PTE_PFN_SHIFT). Pure functions only. */
#ifndef TLBSIM_PTE_H
#define TLBSIM_PTE_H
#include <stdint.h>
#include <stddef.h>

typedef uint64_t pte_t;

#define _PAGE_PRESENT  0x001ull  /* P */
#define _PAGE_RW       0x002ull  /* RW: writable */
#define _PAGE_USER     0x004ull  /* U */
#define _PAGE_ACCESSED 0x020ull  /* A: set by the page walk */
#define _PAGE_DIRTY    0x040ull  /* D: set by a store */
#define PTE_PFN_SHIFT  12
#define PTE_FLAGS_MASK 0xfffull

static inline uint64_t pte_pfn(pte_t p)      { return p >> PTE_PFN_SHIFT; }
static inline pte_t pfn_pte(uint64_t pfn, uint64_t prot) { return (pfn << PTE_PFN_SHIFT) | (prot & PTE_FLAGS_MASK); }
static inline int pte_present(pte_t p)       { return (p & _PAGE_PRESENT) != 0; }
static inline int pte_write(pte_t p)         { return (p & _PAGE_RW) != 0; }
static inline int pte_dirty(pte_t p)         { return (p & _PAGE_DIRTY) != 0; }
static inline int pte_young(pte_t p)         { return (p & _PAGE_ACCESSED) != 0; }
/* Linux masks the stray A/D bits of Knights Landing (erratum KNL4) here. */
static inline int pte_none(pte_t p)          { return (p & ~(_PAGE_ACCESSED | _PAGE_DIRTY)) == 0; }
static inline int pte_same(pte_t a, pte_t b) { return a == b; }
static inline pte_t pte_mkclean(pte_t p)     { return p & ~_PAGE_DIRTY; }
static inline pte_t pte_mkdirty(pte_t p)     { return p | _PAGE_DIRTY; }
static inline pte_t pte_wrprotect(pte_t p)   { return p & ~_PAGE_RW; }
static inline pte_t pte_mkwrite(pte_t p)     { return p | _PAGE_RW; }
static inline pte_t pte_mkyoung(pte_t p)     { return p | _PAGE_ACCESSED; }
static inline pte_t pte_mkold(pte_t p)       { return p & ~_PAGE_ACCESSED; }

/* Writes "0x8067" style hex into buf (size >= 19); returns buf. */
char *pt_format(pte_t p, char *buf, size_t len);
/* Writes the flag letters, e.g. "P|RW|U|A|D pfn=8"; returns buf. */
char *pt_describe(pte_t p, char *buf, size_t len);

#endif

/* cpus/tlb.h: one CPU's TLB: a bounded set of entries (mm, virtual page)
 * -> (pfn, cached W, D), round-robin replacement.  Invariant: at most one
 * valid entry per (mm, vpn); an entry is only ever filled from a PTE that
 * was present when the walk read it (x86 never caches P=0, SDM 4.10.2.3). */
#ifndef TLBSIM_TLB_H
#define TLBSIM_TLB_H
#include <stdint.h>

#define TLB_V      0x01  /* valid */
#define TLB_W      0x02  /* cached RW */
#define TLB_D      0x04  /* cached D */
#define TLB_DOOMED 0x08  /* a flush of this page is in progress */
#define TLB_STALE  0x10  /* that flush completed, yet the entry survived */
#define TLB_FREED  0x20  /* its frame was freed while it was cached */
#define TLB_REVOKED   0x40  /* a returned system call revoked it (its PTE is
                               gone or maps another frame): any access is stale */
#define TLB_REVOKED_W 0x80  /* a returned system call made its PTE read-only
                               while it caches W=1: a store is stale */

typedef struct TlbEntry {
	uint32_t vpn;      /* virtual page number (address >> 12) */
	uint16_t pfn;
	uint8_t  mm;
	uint8_t  flags;    /* TLB_* */
} TlbEntry;

/* Index of the valid entry for (mm, vpn), or -1 (a miss). */
int tlb_lookup(const TlbEntry *t, int n, int mm, uint32_t vpn);
/* Installs an entry, replacing the one for (mm, vpn) or the round-robin
 * victim *rr (advanced).  Returns its index. */
int tlb_fill(TlbEntry *t, int n, uint8_t *rr, int mm, uint32_t vpn,
             uint16_t pfn, uint8_t flags);
/* Invalidates the entry for (mm, vpn); returns 1 if there was one. */
int tlb_invalidate(TlbEntry *t, int n, int mm, uint32_t vpn);
/* Marks the valid entry for (mm, vpn) with flag f (DOOMED/STALE). */
void tlb_mark(TlbEntry *t, int n, int mm, uint32_t vpn, uint8_t f);
/* Converts DOOMED to STALE on the entry for (mm, vpn). */
void tlb_doom_to_stale(TlbEntry *t, int n, int mm, uint32_t vpn);

/* The range forms, over every valid entry of mm (TLB_ANY_MM: of any mm)
 * whose vpn lies in [lo, hi): invalidate (returns how many), mark with
 * flag f, convert DOOMED to STALE. */
#define TLB_ANY_MM 0xffff
int tlb_invalidate_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi);
void tlb_mark_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi, uint8_t f);
void tlb_doom_to_stale_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi);

#endif

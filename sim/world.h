/* sim/world.h: one state of the whole machine as a flat, fixed-size blob.
 * Layout (offsets) is computed once per Program; a world is copied with
 * memcpy and hashed byte for byte, so:
 *   - every byte of a blob is written by world_init (padding is zero) and
 *     only fields are written afterwards;
 *   - nothing in it depends on time, pointers or history: registers of
 *     returned frames are zeroed, so equal machine states are equal bytes.
 * CPU number ncpu is the "check CPU": it never runs in schedules and
 * evaluates the scenario's named outcome conditions on end states. */
#ifndef TLBSIM_WORLD_H
#define TLBSIM_WORLD_H
#include <stdint.h>
#include <stddef.h>
#include "mmu/mem.h"
#include "cpus/tlb.h"
#include "sim/program.h"

#define MAX_CPUS 64

enum CpuStatus { CPU_RUN, CPU_DONE, CPU_HALTED };

/* Phase of the step at pc, for steps that take several transitions. */
enum {
	PH_START = 0,     /* not started */
	PH_DATA = 1,      /* user access: translation done, data access pending */
	PH_WAIT = 1,      /* a TLB flush (sim/flush.c): IPIs sent, waiting for acks; spin_lock_irqsave: irqs off, spinning */
	PH_DIRTY0 = 2,    /* user access: dirty-bit model step (phase - PH_DIRTY0) pending */
	PH_FAULT_WAIT = 0xff  /* user access: its fault sleeps in mmap_read_lock
	                         (a writer holds it); IPIs may be taken */
};

typedef struct CpuState {
	uint16_t pc;          /* next step */
	uint8_t  status;      /* enum CpuStatus */
	uint8_t  depth;       /* call frames in use (0: not started or done) */
	uint8_t  irq_off;     /* local_irq_disable nesting: > 0 holds off IPIs */
	uint8_t  phase;       /* see PH_* */
	uint8_t  tlb_rr;      /* TLB round-robin victim */
	uint8_t  acc_slot;    /* TLB entry the pending data access goes through */
	uint16_t acks;        /* flush IPIs this CPU still waits for */
	uint16_t flush_mm;    /* the flush in progress: mm (TLB_ANY_MM: every
	                         mm, a full flush) and its pages [flush_vpn,
	                         flush_end) (sim/flush.c) */
	uint32_t flush_vpn;
	uint32_t flush_end;
	uint16_t revoked_by;  /* 1 + the procedure of the system call whose
	                         syscall_exit_to_user_mode last marked an entry
	                         of this CPU's TLB revoked (0: none), for the
	                         stale_access trace line; no CPU number */
	uint16_t pad;
	uint64_t ipi_from;    /* bit s: a flush IPI from CPU s is pending here */
	uint64_t flush_targets; /* CPUs this CPU's flush IPIed */
	uint64_t scratch;     /* dirty-model walker state between its phases */
} CpuState;

/* The mmu_gather of the task on a CPU (struct mmu_gather,
 * include/asm-generic/tlb.h), one per CPU (sim/flush.c).  Invariant:
 * all zero unless active; nr <= MMU_GATHER_BUNDLE; pages[nr..] zero. */
#define MMU_GATHER_BUNDLE 8   /* the pages a gather defers: its local batch */
typedef struct GatherState {
	uint8_t  active;      /* tlb_gather_mmu ran, tlb_finish_mmu not yet */
	uint8_t  fullmm;      /* tlb_gather_mmu(mm, 0, -1): the whole mm */
	uint8_t  nr;          /* pages[0..nr) wait for their put_page */
	uint8_t  mm;
	uint32_t start, end;  /* pages [start, end) tlb_remove_tlb_entry
	                         gathered (end 0: none), as tlb->start/end */
	uint16_t pages[MMU_GATHER_BUNDLE];  /* pfns, in tlb_remove_page order */
	uint32_t pad;
} GatherState;

/* The batched unmap flush that reclaim on a CPU owes (current->tlb_ubc,
 * struct tlbflush_unmap_batch, mm/rmap.c; sim/flush.c).  Invariant: all
 * zero unless flush_required. */
typedef struct UbcState {
	uint64_t cpumask;        /* CPUs owed the flush: the mm_cpumask of each
	                            mm added (arch_tlbbatch_add_mm) */
	uint64_t mms;            /* the mms added (index < 64): whose entries the
	                            flush aims at, for the DOOMED/STALE marks */
	uint8_t  flush_required; /* some PTE was cleared without its flush */
	uint8_t  writable;       /* one of them was dirty: writable */
	uint8_t  pad[6];
} UbcState;

/* A CPU's flush batches: its mmu_gather and its tlb_ubc.  A world holds
 * one per CPU if its program uses a batch step (Layout.nflush), else
 * none. */
typedef struct FlushState {
	GatherState tlb;
	UbcState ubc;
} FlushState;

enum { FR_CALL, FR_FAULT };
typedef struct FrameState {
	uint16_t proc;        /* running procedure */
	uint16_t call_pc;     /* the CALL (or faulting access) step to return to */
	uint16_t base;        /* first register slot */
	uint8_t  kind;        /* FR_CALL or FR_FAULT (retry the access on return) */
	uint8_t  mmap_locked; /* FR_FAULT: the fault took mmap_read_lock of the
	                         CPU's mm, and its return releases it */
} FrameState;

/* Sticky flags: things that happened at some point on the way here. */
#define SEEN_DIRTY_NONPRESENT 0x01
#define SEEN_STALE_TLB_WRITE  0x02
#define SEEN_BUG_ON           0x04
#define SEEN_USE_AFTER_FREE   0x08
#define SEEN_STALE_ACCESS     0x10  /* a user access through a revoked entry */
#define SEEN_WRITE_RO_FILE    0x20  /* a write through a mapping that may not
                                       write its file reached a page-cache page */

typedef struct WorldHdr {
	uint32_t seen;        /* SEEN_* */
	uint32_t broken;      /* 1 << outcome: an always: invariant was 0 in
	                         some state on the way here (sticky) */
} WorldHdr;

typedef struct Layout {
	int ncpu, tlb_size, depth, stack, npte, npages, nfiles, nslots, nlocks, nvars, nmms, nvmas;
	int nflush;           /* FlushStates: ncpu, or 0 if no step uses one */
	int ndetach;          /* detached flags: nvmas, or 0 if no step detaches a vma */
	int nswap;            /* swap slots (machine.swap): SwapSlots nswap + 1, or none */
	size_t cpu, frames, regs, tlb, pte, page, file, pcache, disk, lock, var, mm, vma, flush, detach, swap;
	size_t size;          /* bytes per world, a multiple of 8 */
} Layout;

void world_layout(Layout *L, const Program *P);
/* Writes the initial state of P into w (L->size bytes). */
void world_init(const Layout *L, const Program *P, uint8_t *w);

static inline WorldHdr *w_hdr(uint8_t *w) { return (WorldHdr *)w; }
static inline CpuState *w_cpu(const Layout *L, uint8_t *w, int c)
{ return (CpuState *)(w + L->cpu) + c; }
static inline FrameState *w_frame(const Layout *L, uint8_t *w, int c, int d)
{ return (FrameState *)(w + L->frames) + c * L->depth + d; }
static inline uint64_t *w_regs(const Layout *L, uint8_t *w, int c)
{ return (uint64_t *)(w + L->regs) + c * L->stack; }
static inline MmState *w_mm(const Layout *L, uint8_t *w, int mm)
{ return (MmState *)(w + L->mm) + mm; }
static inline uint64_t *w_vm_flags(const Layout *L, uint8_t *w)
{ return (uint64_t *)(w + L->vma); }
/* CPU c's flush batches (c < L->nflush). */
static inline FlushState *w_flush(const Layout *L, uint8_t *w, int c)
{ return (FlushState *)(w + L->flush) + c; }
/* vma's detached flag: 1 once detach_vmas_to_be_unmapped took it out of
 * its mm's VMA tree (always 0 when L->ndetach is 0: no step can). */
static inline int w_vma_detached(const Layout *L, const uint8_t *w, int vma)
{ return L->ndetach ? w[L->detach + (size_t)vma] : 0; }
static inline TlbEntry *w_tlb(const Layout *L, uint8_t *w, int c)
{ return (TlbEntry *)(w + L->tlb) + c * L->tlb_size; }
void world_mem(const Layout *L, uint8_t *w, Mem *m);
/* The page-cache (block-map) slot that holds pg, from its mapping and
 * index, or -1 if it is in no page cache.  Invariant: pg->mapping != 0
 * exactly when that slot holds pg's pfn. */
int world_page_slot(const Program *P, const PageState *pg);

#endif

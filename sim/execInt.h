/* sim/execInt.h: what the executor's files share (sim/exec.c, the step
 * switch; sim/outcome.c, the end-state checks).  Private to sim/, like
 * SQLite's vdbeInt.h. */
#ifndef TLBSIM_EXECINT_H
#define TLBSIM_EXECINT_H
#include "sim/exec.h"

#define LOCAL_BUDGET 100000  /* local steps without a shared one: a loop */

enum { R_NEXT, R_STAY, R_ERR };  /* ex_step: go on, the CPU stays, error */

/* Executes step s on CPU c of world w: one shared step or a local one.
 * Returns R_NEXT, R_STAY (the CPU waits or the step has more phases) or
 * R_ERR (S->err set). */
int ex_step(Sim *S, uint8_t *w, int c, const Step *s);
/* 1 if CPU c's next step may run now (its lock, page lock, rwsem or
 * flush acks allow it). */
int ex_can_run(Sim *S, uint8_t *w, int c);
/* Operand i of step s, as CPU c's registers give it. */
uint64_t ex_opv(Sim *S, uint8_t *w, int c, const Step *s, int i);
/* Reports a scenario error at step s (the first one wins); R_ERR. */
int ex_fail(Sim *S, const Step *s, const char *fmt, ...);
/* Writes v to step s's destination register on CPU c (ORs it for |=). */
void ex_setdst(Sim *S, uint8_t *w, int c, const Step *s, uint64_t v);
/* Operand i of s as a handle of kind want: its index, or -1 (error set). */
int ex_obj(Sim *S, uint8_t *w, int c, const Step *s, int i, int want);
/* The check functions (outcome.c): page_content, disk_version, tlb_*
 * for the check step s of CPU c, whose page operand (if any) is pfn. */
int ex_check_read(Sim *S, uint8_t *w, int c, const Step *s, int pfn);
/* A hardware-level note on CPU c's column of a traced run (no-op when
 * not tracing). */
void ex_note(Sim *S, uint8_t *w, int c, const char *text);
/* Evaluates the always: invariants not yet broken in w, and marks those
 * that are 0 now in its header (WorldHdr.broken); a traced run notes each
 * on the column of CPU c, whose choice broke it.  Returns 0, or -1 on a
 * scenario error. */
int ex_invariants(Sim *S, uint8_t *w, int c);
/* A step event on CPU c's column at its pc (no-op when not tracing). */
void ex_event(Sim *S, uint8_t *w, int c, const char *fmt, ...);
/* An IPI event on CPU c's column, from CPU from's flush (no-op when not
 * tracing). */
void ex_ipi_event(Sim *S, uint8_t *w, int c, int from, const char *fmt, ...);
/* The kernel BUG at step s (a VM_BUG_ON the step itself makes: why says
 * which): bug_on is reached, CPU c halts.  Returns R_STAY. */
int ex_bug(Sim *S, uint8_t *w, int c, const Step *s, const char *why);
/* Ends a shared step: its cost, the CPU's next pc.  Returns R_NEXT. */
int ex_next(Sim *S, uint8_t *w, int c, uint32_t cost);
/* The page-life steps (sim/page.c): reference and map counts, freeing,
 * for step s of CPU c on the page at pfn. */
int pg_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn);
/* Drops one reference of the page at pfn (count > 0); the last one frees
 * it (FRAME_FREE).  Returns 1 if it did. */
int pg_put_ref(Sim *S, uint8_t *w, int c, int pfn);
/* alloc_page: the lowest free frame, or NULL (sim/page.c). */
int pg_alloc(Sim *S, uint8_t *w, int c, const Step *s);

/* The swap-entry helpers (sim/swap.c): local step s of CPU c on operands
 * a, b and the page at pfn (0: none).  R_NEXT or R_ERR. */
int sw_local(Sim *S, uint8_t *w, int c, const Step *s, uint64_t a, uint64_t b, int pfn);

/* The swap device's steps (sim/swap.c): step s of CPU c, whose page
 * operand (if any) is pfn.  sw_writepage: the write I/O of swap-cache
 * page pfn (submit_bio): its slot gets the page's content. */
int sw_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn);
void sw_writepage(Sim *S, uint8_t *w, int pfn);

/* A write to the frame at pfn: its content version goes up, and its
 * storage key's change bit is set on a machine with storage keys; user
 * (a store through a mapping) also marks its file mapped_write. */
void ex_frame_written(Sim *S, uint8_t *w, int pfn, int user);
/* A write of CPU c into frame pfn that came through vma (a user store
 * through one of its PTEs, copy_to_user_page into the page gup found
 * there): write_to_readonly_file (sticky) if the frame is a page-cache
 * page and vma may never write its file. */
void ex_write_through(Sim *S, uint8_t *w, int c, int vma, int pfn);
/* copy_to_user_page(vma, page, vaddr, dst, src, len) (sim/page.c). */
int pg_copy_to_user_page(Sim *S, uint8_t *w, int c, const Step *s);

/* VMAs and mmap_lock (sim/vma.c).  vm_mmap_lock_free: 1 if step s, an
 * mmap_*_lock, may take its mm's mmap_lock now (a bad operand runs, so
 * the step reports it); vm_mmap_lock_step: mmap_{read,write}_{lock,
 * unlock}; vm_flags_step: vm_flags and vm_flags_reset/set/clear;
 * vm_get_page_prot: the local step, R_NEXT without moving the pc, or
 * R_ERR (an _EXEC protection but on x86: not modelled). */
int vm_mmap_lock_free(Sim *S, uint8_t *w, int c, const Step *s);
/* The mmap_lock step op is, for its era name (down_read(&mm->mmap_sem)
 * is OP_MMAP_READ_LOCK, ...); any other op as it is. */
static inline int vm_mmap_op(int op)
{
	return op == OP_DOWN_READ ? OP_MMAP_READ_LOCK : op == OP_UP_READ ? OP_MMAP_READ_UNLOCK :
	       op == OP_DOWN_WRITE ? OP_MMAP_WRITE_LOCK : op == OP_UP_WRITE ? OP_MMAP_WRITE_UNLOCK : op;
}
int vm_mmap_lock_step(Sim *S, uint8_t *w, int c, const Step *s);
int vm_flags_step(Sim *S, uint8_t *w, int c, const Step *s);
int vm_get_page_prot(Sim *S, uint8_t *w, int c, const Step *s);
/* vm_page_prot(vma): the shared step. */
int vm_page_prot_step(Sim *S, uint8_t *w, int c, const Step *s);
/* i_mmap_rwsem: vm_i_mmap_free: 1 if step s, i_mmap_lock_read (write 0)
 * or i_mmap_lock_write (1), may take it now (a bad operand runs, so the
 * step reports it); vm_i_mmap_step: the four i_mmap_*lock* steps. */
int vm_i_mmap_free(Sim *S, uint8_t *w, int c, const Step *s, int write);
int vm_i_mmap_step(Sim *S, uint8_t *w, int c, const Step *s);
/* access_error() of the fault path for a fault on vma of world w: NULL
 * if its vm_flags allow the access (a write needs VM_WRITE, a read any of
 * VM_READ, VM_WRITE, VM_EXEC: vma_is_accessible), else why not. */
const char *vm_access_error(Sim *S, uint8_t *w, int vma, int write);
/* find_vma(mm, addr) in world w: the vma index, or -1 (NULL). */
int vm_find_vma(Sim *S, uint8_t *w, int mm, uint64_t addr);
/* The VMA-tree steps: find_vma and detach_vmas_to_be_unmapped. */
int vm_tree_step(Sim *S, uint8_t *w, int c, const Step *s);
/* 1 if a user fault of CPU c may take mmap_lock of its mm for read now
 * (no writer holds it). */
int vm_fault_can_lock(Sim *S, uint8_t *w, int c);

/* The page-cache (or block-map) slot of file f at index, or -1. */
int ex_file_slot(Sim *S, int f, uint64_t index);

/* TLB flushes (sim/flush.c).  fl_step: the flush steps, the mmu_gather,
 * tlb_ubc and tlb_flush_pending steps (a flushing one has two phases:
 * the shootdown's start, then its end once every ack is in);
 * fl_can_run: 1 if CPU c's flushing step may run now (not waiting for
 * acks); fl_take_ipis: CPU c runs the flush handler of every IPI pending
 * on it and acks each (the CH_IPI choice). */
int fl_step(Sim *S, uint8_t *w, int c, const Step *s);
int fl_can_run(Sim *S, uint8_t *w, int c);
int fl_take_ipis(Sim *S, uint8_t *w, int c);
/* syscall_exit_to_user_mode(mm, start, end) of step s on CPU c: marks
 * the entries of [start, end) that their PTEs no longer allow revoked
 * (TLB_REVOKED, TLB_REVOKED_W) on every CPU (sim/flush.c). */
int fl_syscall_exit(Sim *S, uint8_t *w, int c, const Step *s);

#endif

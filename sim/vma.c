/* sim/vma.c: the executor's VMAs and their sleeping rwsems.  vma->vm_flags
 * is machine state (Mem.vm_flags; a VMA's place and file stay in the
 * Program); the fault path's VMA check is access_error()'s; each mm's
 * mmap_lock (MmState) and each file's i_mmap_rwsem (FileState), which
 * guards the file's VMA tree, is a sleeping rwsem.  Invariant: CPU c is in an mm's mmap_readers
 * only between its mmap_read_lock and mmap_read_unlock steps, or while a
 * fault handler its user access entered runs (FrameState.mmap_locked).
 * A vma is in its mm's VMA tree from the start until
 * detach_vmas_to_be_unmapped takes it out (the world's detached flag),
 * for good: find_vma and the fault path see only the vmas in the tree. */
#include "sim/execInt.h"
#include <inttypes.h>
#include <stdio.h>

/* The mm of operand 0 of s (a vma means its vm_mm), or -1 after the error;
 * the check CPU (c == ncpu) may not take or drop a lock. */
static int lock_mm(Sim *S, uint8_t *w, int c, const Step *s)
{
	int mm = ex_obj(S, w, c, s, 0, HK_MM);
	if (mm >= 0 && c >= S->L.ncpu) {
		ex_fail(S, s, "%s: not in an outcome check (it runs on no CPU of the machine)", prog_ops[s->op].name);
		return -1;
	}
	return mm;
}

int vm_mmap_lock_free(Sim *S, uint8_t *w, int c, const Step *s)
{
	uint64_t v = ex_opv(S, w, c, s, 0);
	int k = h_kind(v);
	uint32_t i = h_index(v);
	if (!((k == HK_MM && i < (uint32_t)S->P->nmms) || (k == HK_VMA && i < (uint32_t)S->P->nvmas)))
		return 1;              /* let the step report the bad operand */
	const MmState *ms = w_mm(&S->L, w, k == HK_MM ? (int)i : S->P->vmas[i].mm);
	return !ms->mmap_writer && (vm_mmap_op(s->op) == OP_MMAP_READ_LOCK || !ms->mmap_readers);
}

int vm_mmap_lock_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int mm = lock_mm(S, w, c, s);
	if (mm < 0)
		return R_ERR;
	MmState *ms = w_mm(&S->L, w, mm);
	uint64_t me = 1ull << c;
	const char *name = prog_ops[s->op].name, *mmn = S->P->mms[mm];
	switch (vm_mmap_op(s->op)) {
	case OP_MMAP_READ_LOCK:
		if (ms->mmap_readers & me)   /* down_read twice can deadlock against a waiting writer */
			return ex_fail(S, s, "%s: CPU#%d already holds mmap_lock of %s for read (recursive read locking is not allowed)",
			               name, c, mmn);
		ms->mmap_readers |= me;
		break;
	case OP_MMAP_WRITE_LOCK:
		ms->mmap_writer = (uint8_t)(c + 1);
		break;
	case OP_MMAP_READ_UNLOCK:
		if (!(ms->mmap_readers & me))
			return ex_fail(S, s, "%s: CPU#%d does not hold mmap_lock of %s for read", name, c, mmn);
		ms->mmap_readers &= ~me;
		break;
	default:                          /* OP_MMAP_WRITE_UNLOCK */
		if (ms->mmap_writer != c + 1)
			return ex_fail(S, s, "%s: CPU#%d does not hold mmap_lock of %s for write", name, c, mmn);
		ms->mmap_writer = 0;
		break;
	}
	ex_event(S, w, c, "%s", s->text);
	return ex_next(S, w, c, S->P->cost.lock);
}

/* vm_flags(vma) and vm_flags_reset/set/clear(vma, flags).  The writers
 * assert what 6.3's mmap_assert_write_locked does (lockdep's view: this
 * CPU holds mmap_lock for write); else the kernel BUGs. */
int vm_flags_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int vma = ex_obj(S, w, c, s, 0, HK_VMA);
	if (vma < 0)
		return R_ERR;
	uint64_t *f = &w_vm_flags(&S->L, w)[vma], old = *f, b = s->nargs > 1 ? ex_opv(S, w, c, s, 1) : 0;
	int mm = S->P->vmas[vma].mm;
	if (s->op == OP_VM_FLAGS) {
		ex_setdst(S, w, c, s, old);
		ex_event(S, w, c, "%s = 0x%" PRIx64, s->text, old);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	if (c >= S->L.ncpu)
		return ex_fail(S, s, "%s: not in an outcome check (it changes the machine)", prog_ops[s->op].name);
	if (w_mm(&S->L, w, mm)->mmap_writer != c + 1)
		return ex_bug(S, w, c, s, "mmap_assert_write_locked: mmap_lock not held for write");
	*f = s->op == OP_VM_FLAGS_RESET ? b : s->op == OP_VM_FLAGS_SET ? old | b : old & ~b;
	ex_event(S, w, c, "%s: vm_flags 0x%" PRIx64 " -> 0x%" PRIx64, s->text, old, *f);
	return ex_next(S, w, c, S->P->cost.mem);
}

/* vma_wants_writenotify(vma) of mm/mmap.c (2.6.19 to 6.x, without its
 * soft-dirty and uffd-wp cases) for vm_flags f: a shared writable mapping
 * that is not VM_PFNMAP and has ->page_mkwrite or ->pfn_mkwrite, or maps
 * a file (every file here accounts its dirty pages). */
static int wants_writenotify(const VmaDesc *v, uint64_t f)
{
	if ((f & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
		return 0;
	if (v->vm_ops[VMOPS_PAGE_MKWRITE] >= 0 || v->vm_ops[VMOPS_PFN_MKWRITE] >= 0)
		return 1;
	return !(f & VM_PFNMAP) && v->file >= 0;
}

/* The protection of vm_flags for step s into *prot: 0, or R_ERR for one
 * the architecture tables do not model. */
static int page_prot(Sim *S, const Step *s, uint64_t flags, pte_t *prot)
{
	if (!arch_vm_get_page_prot(S->arch, flags, prot))
		return 0;
	return ex_fail(S, s, "%s(0x%" PRIx64 "): an _EXEC protection (VM_EXEC) is not modelled on %s in this version",
	               prog_ops[s->op].name, flags, S->arch->name);
}

int vm_get_page_prot(Sim *S, uint8_t *w, int c, const Step *s)
{
	pte_t prot;
	if (page_prot(S, s, ex_opv(S, w, c, s, 0), &prot))
		return R_ERR;
	ex_setdst(S, w, c, s, prot);
	return R_NEXT;   /* a local step: ex_step moves the pc */
}

/* vm_page_prot(vma): derived from the vma's current vm_flags, as
 * mprotect_fixup's vma_set_page_prot keeps it (both change under
 * mmap_write_lock). */
int vm_page_prot_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int vma = ex_obj(S, w, c, s, 0, HK_VMA);
	pte_t prot;
	if (vma < 0)
		return R_ERR;
	uint64_t f = w_vm_flags(&S->L, w)[vma];
	if (page_prot(S, s, wants_writenotify(&S->P->vmas[vma], f) ? f & ~VM_SHARED : f, &prot))
		return R_ERR;
	ex_setdst(S, w, c, s, prot);
	ex_event(S, w, c, "%s = 0x%" PRIx64, s->text, prot);
	return ex_next(S, w, c, S->P->cost.mem);
}

/* find_vma(mm, addr): the vma of the tree with the lowest vm_start of
 * those that end above addr (the tree is sorted by address; the
 * Program's vmas are in declaration order).  O(nvmas). */
int vm_find_vma(Sim *S, uint8_t *w, int mm, uint64_t addr)
{
	int best = -1;
	for (int i = 0; i < S->P->nvmas; i++) {
		const VmaDesc *v = &S->P->vmas[i];
		if (v->mm != mm || v->end <= addr || w_vma_detached(&S->L, w, i))
			continue;
		if (best < 0 || v->start < S->P->vmas[best].start)
			best = i;
	}
	return best;
}

/* find_vma(mm, addr) and detach_vmas_to_be_unmapped(vma). */
int vm_tree_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	if (s->op == OP_FIND_VMA) {
		int mm = ex_obj(S, w, c, s, 0, HK_MM);
		if (mm < 0)
			return R_ERR;
		int v = vm_find_vma(S, w, mm, ex_opv(S, w, c, s, 1));
		ex_setdst(S, w, c, s, v < 0 ? 0 : h_make(HK_VMA, (uint64_t)v));
		ex_event(S, w, c, "%s = %s", s->text, v < 0 ? "NULL" : S->P->vmas[v].name);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	int vma = ex_obj(S, w, c, s, 0, HK_VMA);
	if (vma < 0)
		return R_ERR;
	if (c >= S->L.ncpu)
		return ex_fail(S, s, "%s: not in an outcome check (it changes the machine)", prog_ops[s->op].name);
	if (w_vma_detached(&S->L, w, vma))
		return ex_fail(S, s, "%s: vma %s is detached already", prog_ops[s->op].name, S->P->vmas[vma].name);
	if (w_mm(&S->L, w, S->P->vmas[vma].mm)->mmap_writer != c + 1)
		return ex_bug(S, w, c, s, "mmap_assert_write_locked: mmap_lock not held for write");
	w[S->L.detach + (size_t)vma] = 1;
	ex_event(S, w, c, "%s: vma %s leaves the VMA tree", s->text, S->P->vmas[vma].name);
	return ex_next(S, w, c, S->P->cost.mem);
}

const char *vm_access_error(Sim *S, uint8_t *w, int vma, int write)
{
	uint64_t f = w_vm_flags(&S->L, w)[vma];
	if (write)
		return f & VM_WRITE ? NULL : "no VM_WRITE";
	return f & VM_ACCESS_FLAGS ? NULL : "no VM_READ, VM_WRITE or VM_EXEC";
}

int vm_fault_can_lock(Sim *S, uint8_t *w, int c)
{
	return !w_mm(&S->L, w, S->P->cpus[c].mm)->mmap_writer;
}

/* ---- i_mmap_rwsem of a file (mapping) ---- */

int vm_i_mmap_free(Sim *S, uint8_t *w, int c, const Step *s, int write)
{
	uint64_t v = ex_opv(S, w, c, s, 0);
	if (h_kind(v) != HK_FILE || h_index(v) >= (uint32_t)S->P->nfilesys)
		return 1;
	const FileState *fs = (const FileState *)(w + S->L.file) + h_index(v);
	return !fs->i_mmap_writer && (!write || !fs->i_mmap_readers);
}

/* i_mmap_rwsem.  The lock steps run only when ex_can_run says the
 * semaphore is free enough; unlocking one not held is a scenario error. */
int vm_i_mmap_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int f = ex_obj(S, w, c, s, 0, HK_FILE);
	if (f < 0)
		return R_ERR;
	if (c >= S->L.ncpu)
		return ex_fail(S, s, "%s: not in an outcome check (it runs on no CPU of the machine)", prog_ops[s->op].name);
	FileState *fs = (FileState *)(w + S->L.file) + f;
	uint64_t me = 1ull << c;
	switch (s->op) {
	case OP_I_MMAP_LOCK_READ:
		if (fs->i_mmap_readers & me)   /* down_read twice can deadlock against a waiting writer */
			return ex_fail(S, s, "i_mmap_lock_read: CPU#%d already holds i_mmap_rwsem of %s for read (recursive read locking is not allowed)",
			               c, S->P->filesys[f].name);
		fs->i_mmap_readers |= me;
		break;
	case OP_I_MMAP_LOCK_WRITE:  fs->i_mmap_writer = (uint8_t)(c + 1); break;
	case OP_I_MMAP_UNLOCK_READ:
		if (!(fs->i_mmap_readers & me))
			return ex_fail(S, s, "i_mmap_unlock_read: CPU#%d does not hold i_mmap_rwsem of %s for read",
			            c, S->P->filesys[f].name);
		fs->i_mmap_readers &= ~me;
		break;
	case OP_I_MMAP_UNLOCK_WRITE:
		if (fs->i_mmap_writer != c + 1)
			return ex_fail(S, s, "i_mmap_unlock_write: CPU#%d does not hold i_mmap_rwsem of %s for write",
			            c, S->P->filesys[f].name);
		fs->i_mmap_writer = 0;
		break;
	}
	ex_event(S, w, c, "%s", s->text);
	return ex_next(S, w, c, S->P->cost.lock);
}

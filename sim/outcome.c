/* sim/outcome.c: the outcomes of an end state (docs/outcomes.md): the
 * built-in checks over the final world, the scenario's named conditions
 * run on the check CPU, and the wait-for description of a deadlock. */
#include "sim/execInt.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int pte_maps_dirty(Sim *S, uint8_t *w, int pfn)
{
	const pte_t *pte = (const pte_t *)(w + S->L.pte);
	for (int i = 0; i < S->L.npte; i++)
		if (S->arch->dirty(pte[i]) && arch_pfn(S->arch, pte[i]) == (uint64_t)pfn)
			return 1;
	return 0;
}

/* 1 if the page at pfn has a backing copy whose content differs from
 * the frame's: a page-cache page's disk copy, a swap-cache page's swap
 * slot.  DAX blocks are the disk: never. */
static int differs_from_backing(Sim *S, const Mem *m, int pfn)
{
	const PageState *pg = &m->page[pfn];
	int slot = world_page_slot(S->P, pg);
	if (S->P->pages[pfn - 1].nopage)
		return 0;
	if (slot >= 0)
		return pg->data != m->disk[slot];
	return (pg->flags & PG_swapcache) && m->swap && pg->data != m->swap[pg->index].data;
}

/* lost_dirty: a page-cache (or swap-cache) page whose content differs
 * from the disk copy (its swap slot) and that nothing marks for
 * write-back (no PTE D, PG_dirty, PG_writeback, storage-key change bit). */
static int lost_dirty(Sim *S, uint8_t *w)
{
	Mem m;
	world_mem(&S->L, w, &m);
	for (int i = 0; i < S->P->npages; i++) {
		int pfn = i + 1;
		if (!differs_from_backing(S, &m, pfn))
			continue;
		if (!(m.page[pfn].flags & (PG_dirty | PG_writeback)) && !m.page[pfn].skey && !pte_maps_dirty(S, w, pfn))
			return 1;
	}
	return 0;
}

/* lost_write: a file page (or swap-cache page) whose content the disk
 * (its swap slot) lacks and that a full
 * sync would not write: every way the kernel under test finds a page to
 * write is PG_dirty, plus a dirty PTE if some kernel step reads a PTE's
 * dirty bit (pte_dirty: page_mkclean moves it to PG_dirty), plus the
 * storage key if some kernel step reads it (page_test_and_clear_dirty).
 * Unlike lost_dirty it trusts no bit nobody reads, and not PG_writeback
 * (the I/O in flight carries the older content). */
static int lost_write(Sim *S, uint8_t *w)
{
	Mem m;
	const Program *P = S->P;
	world_mem(&S->L, w, &m);
	for (int i = 0; i < P->npages; i++) {
		int pfn = i + 1;
		if (!differs_from_backing(S, &m, pfn))
			continue;
		if (!(m.page[pfn].flags & PG_dirty) && !(P->kernel_reads_skey && m.page[pfn].skey) &&
		    !(P->kernel_reads_pte_dirty && pte_maps_dirty(S, w, pfn)))
			return 1;
	}
	return 0;
}

/* 1 if some CPU's TLB keeps a valid entry for a freed frame (the flush
 * that should have dropped it before the free did not). */
static int tlb_maps_freed(Sim *S, uint8_t *w, const Mem *m)
{
	for (int c = 0; c < S->L.ncpu; c++) {
		const TlbEntry *t = w_tlb(&S->L, w, c);
		for (int i = 0; i < S->L.tlb_size; i++)
			if ((t[i].flags & TLB_V) && ((t[i].flags & TLB_FREED) || (m->page[t[i].pfn].frame & FRAME_FREE)))
				return 1;
	}
	return 0;
}

/* stale_mapping: a present PTE of a file VMA maps a frame that is not
 * the file's page (or block) at that index, or lies beyond i_size; an
 * anonymous page in a private file VMA is its COW copy, not stale.
 * use_after_free: a present PTE or a valid TLB entry maps a freed frame
 * (an access to one is the sticky SEEN_USE_AFTER_FREE). */
static uint32_t mapping_outcomes(Sim *S, uint8_t *w)
{
	Mem m;
	uint32_t o = 0;
	world_mem(&S->L, w, &m);
	if (tlb_maps_freed(S, w, &m))
		o |= 1u << OUT_USE_AFTER_FREE;
	for (int v = 0; v < S->P->nvmas; v++) {
		const VmaDesc *vm = &S->P->vmas[v];
		for (int k = 0; k < (int)((vm->end - vm->start) >> 12); k++) {
			pte_t p = m.pte[vm->first_pte + k];
			if (!S->arch->present(p))
				continue;
			if (m.page[arch_pfn(S->arch, p)].frame & FRAME_FREE)
				o |= 1u << OUT_USE_AFTER_FREE;
			if (vm->file < 0)
				continue;
			if ((m.page[arch_pfn(S->arch, p)].flags & PG_anon) && !(w_vm_flags(&S->L, w)[v] & VM_SHARED))
				continue;
			uint64_t index = vm->pgoff + (uint64_t)k;
			int slot = ex_file_slot(S, vm->file, index);
			if ((index << 12) >= m.file[vm->file].i_size || slot < 0 || m.pcache[slot] != arch_pfn(S->arch, p))
				o |= 1u << OUT_STALE_MAPPING;
		}
	}
	return o;
}

/* mtime_missed: file data changed through a mapping, and the file's mtime
 * never changed (xfstests generic/080: mwrite, then check mtime).  Only
 * for files whose mappings all start write-protected (mtime_watch): a
 * mapping writable at the start took its write fault before the run. */
static int mtime_missed(Sim *S, uint8_t *w)
{
	const FileState *fs = (const FileState *)(w + S->L.file);
	for (int f = 0; f < S->L.nfiles; f++)
		if (S->P->filesys[f].mtime_watch && fs[f].mapped_write && fs[f].mtime == 0)
			return 1;
	return 0;
}

int ex_check_read(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	Mem m;
	world_mem(&S->L, w, &m);
	if (s->op == OP_PAGE_CONTENT) {
		ex_setdst(S, w, c, s, m.page[pfn].data);
		return R_NEXT;
	}
	if (s->op == OP_DISK_VERSION) {
		int slot = world_page_slot(S->P, &m.page[pfn]);
		if (slot < 0)
			return ex_fail(S, s, "disk_version: %s is in no file's page cache", S->P->pages[pfn - 1].name);
		ex_setdst(S, w, c, s, m.disk[slot]);
		return R_NEXT;
	}
	uint64_t cpu = ex_opv(S, w, c, s, 0), addr = ex_opv(S, w, c, s, 2);
	int mm = ex_obj(S, w, c, s, 1, HK_MM);
	if (mm < 0)
		return R_ERR;
	if (cpu >= (uint64_t)S->L.ncpu)
		return ex_fail(S, s, "%s: there is no CPU#%" PRIu64, prog_ops[s->op].name, cpu);
	const TlbEntry *t = w_tlb(&S->L, w, (int)cpu);
	int i = tlb_lookup(t, S->L.tlb_size, mm, (uint32_t)(addr >> 12));
	uint8_t want = s->op == OP_TLB_VALID ? TLB_V : s->op == OP_TLB_WRITABLE ? TLB_W : TLB_D;
	ex_setdst(S, w, c, s, i >= 0 && (t[i].flags & want) != 0);
	return R_NEXT;
}

/* Runs condition procedure proc on the check CPU over a copy of w. */
static int check_cond(Sim *S, uint8_t *w, int proc, uint64_t *out)
{
	if (!S->check_world && !(S->check_world = malloc(S->L.size)))
		abort();
	uint8_t *x = S->check_world;
	int c = S->L.ncpu, r = 0;
	memcpy(x, w, S->L.size);
	Trace *saved = S->trace;
	S->trace = NULL;
	CpuState *cs = w_cpu(&S->L, x, c);
	FrameState *f = w_frame(&S->L, x, c, 0);
	cs->status = CPU_RUN;
	cs->depth = 1;
	cs->pc = (uint16_t)S->P->procs[proc].entry;
	f->proc = (uint16_t)proc;
	for (int n = 0; cs->status == CPU_RUN && r == 0; n++) {
		const Step *s = &S->P->steps[cs->pc];
		/* the compiler admits only steps that read (checks_read_only):
		 * none blocks or accesses user memory */
		if (n > LOCAL_BUDGET) {
			ex_fail(S, s, "condition %s: does not terminate", S->P->procs[proc].name);
			r = -1;
			break;
		}
		r = ex_step(S, x, c, s) == R_ERR ? -1 : 0;
	}
	*out = cs->scratch;
	S->trace = saved;
	return r;
}

uint32_t sim_outcomes(Sim *S, uint8_t *w)
{
	uint32_t o = 0, seen = w_hdr(w)->seen;
	for (int c = 0; c < S->L.ncpu; c++)
		if (w_cpu(&S->L, w, c)->status == CPU_RUN)
			o |= 1u << OUT_DEADLOCK;
	if (seen & SEEN_DIRTY_NONPRESENT)
		o |= 1u << OUT_DIRTY_NONPRESENT_PTE;
	if (seen & SEEN_STALE_TLB_WRITE)
		o |= 1u << OUT_STALE_TLB_WRITE;
	if (seen & SEEN_BUG_ON)
		o |= 1u << OUT_BUG_ON;
	if (seen & SEEN_USE_AFTER_FREE)
		o |= 1u << OUT_USE_AFTER_FREE;
	if (seen & SEEN_STALE_ACCESS)
		o |= 1u << OUT_STALE_ACCESS;
	if (seen & SEEN_WRITE_RO_FILE)
		o |= 1u << OUT_WRITE_TO_READONLY_FILE;
	if (lost_dirty(S, w))
		o |= 1u << OUT_LOST_DIRTY;
	if (mtime_missed(S, w))
		o |= 1u << OUT_MTIME_MISSED;
	if (lost_write(S, w))
		o |= 1u << OUT_LOST_WRITE;
	o |= mapping_outcomes(S, w);
	o |= w_hdr(w)->broken;
	for (int i = OUT__BUILTIN; i < S->P->noutcomes; i++) {
		uint64_t v = 0;
		if (S->P->outcomes[i].always)
			continue;
		if (check_cond(S, w, S->P->outcomes[i].proc, &v) < 0)
			return 0;
		if (v)
			o |= 1u << i;
	}
	return o & ~S->P->outcomes_off;
}

int ex_invariants(Sim *S, uint8_t *w, int c)
{
	const Program *P = S->P;
	WorldHdr *h = w_hdr(w);
	for (int i = OUT__BUILTIN; i < P->noutcomes; i++) {
		uint64_t v = 0;
		if (!(P->invariants >> i & 1) || (h->broken >> i & 1))
			continue;
		if (check_cond(S, w, P->outcomes[i].proc, &v) < 0)
			return -1;
		if (!v) {
			char note[96];
			h->broken |= 1u << i;
			snprintf(note, sizeof note, "always: %s broken here", P->outcomes[i].name);
			ex_note(S, w, c, note);
		}
	}
	return 0;
}

/* Appends to buf (of len, holding n chars) without ever passing its end. */
static size_t cat(char *buf, size_t len, size_t n, const char *fmt, ...)
{
	va_list ap;
	if (n + 1 >= len)
		return n;
	va_start(ap, fmt);
	int k = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	return k < 0 ? n : n + (size_t)k >= len ? len - 1 : n + (size_t)k;
}

/* " for mmap_lock of MM, held by CPU#n (write) ..." for the mm (or vma)
 * handle v; *holder: the last holder listed. */
static size_t mmap_lock_holders(Sim *S, uint8_t *w, uint64_t v, char *buf, size_t len, size_t n, int *holder)
{
	int mm = h_kind(v) == HK_VMA ? S->P->vmas[h_index(v)].mm : (int)h_index(v);
	const MmState *ms = w_mm(&S->L, w, mm);
	n = cat(buf, len, n, " for mmap_lock of %s, held by", S->P->mms[mm]);
	for (int t = 0; t < S->L.ncpu; t++)
		if (ms->mmap_writer == t + 1 || ms->mmap_readers >> t & 1) {
			n = cat(buf, len, n, " CPU#%d (%s)", t, ms->mmap_writer == t + 1 ? "write" : "read");
			*holder = t;
		}
	return n;
}

/* What CPU c waits for at its step s, and who holds it. */
static size_t wait_for(Sim *S, uint8_t *w, int c, const Step *s, char *buf, size_t len, size_t n)
{
	uint64_t v = s->nargs ? ex_opv(S, w, c, s, 0) : 0;
	char name[64];
	int holder = -1;
	prog_value_name(S->P, v, name, sizeof name);
	switch (s->op) {
	case OP_SPIN_LOCK:
	case OP_SPIN_LOCK_IRQSAVE:
		holder = w[S->L.lock + h_index(v)] - 1;
		n = cat(buf, len, n, " for %s, held by CPU#%d", name, holder);
		break;
	case OP_LOCK_PAGE:
	case OP_WAIT_ON_PAGE_LOCKED:
		holder = ((PageState *)(w + S->L.page))[h_index(v)].locker - 1;
		n = cat(buf, len, n, " for the page lock of %s, held by CPU#%d", name, holder);
		break;
	case OP_WAIT_ON_PAGE_WRITEBACK:
		n = cat(buf, len, n, " for PG_writeback of %s to clear (no CPU will end_page_writeback it)", name);
		break;
	case OP_I_MMAP_LOCK_READ:
	case OP_I_MMAP_LOCK_WRITE: {
		const FileState *fs = (const FileState *)(w + S->L.file) + h_index(v);
		n = cat(buf, len, n, " for i_mmap_rwsem of %s, held by", name);
		for (int t = 0; t < S->L.ncpu; t++)
			if (fs->i_mmap_writer == t + 1 || fs->i_mmap_readers >> t & 1) {
				n = cat(buf, len, n, " CPU#%d (%s)", t, fs->i_mmap_writer == t + 1 ? "write" : "read");
				holder = t;
			}
		break;
	}
	case OP_MMAP_READ_LOCK:
	case OP_MMAP_WRITE_LOCK:
	case OP_DOWN_READ:
	case OP_DOWN_WRITE:
		n = mmap_lock_holders(S, w, v, buf, len, n, &holder);
		break;
	case OP_STORE:
	case OP_LOAD:
	case OP_COPY_FROM_USER:
		if (w_cpu(&S->L, w, c)->phase == PH_FAULT_WAIT) {
			n = cat(buf, len, n, " (page fault)");
			n = mmap_lock_holders(S, w, h_make(HK_MM, (uint64_t)S->P->cpus[c].mm), buf, len, n, &holder);
		}
		break;
	default:
		if (!sim_op_shoots_down(s->op))
			break;
		n = cat(buf, len, n, " for IPI acks from");
		for (int t = 0; t < S->L.ncpu; t++)
			if (w_cpu(&S->L, w, t)->ipi_from >> c & 1)
				n = cat(buf, len, n, " CPU#%d%s", t, w_cpu(&S->L, w, t)->irq_off ? " (irqs off)" : "");
		break;
	}
	if (holder == c)
		n = cat(buf, len, n, ": it waits on itself");
	return n;
}

void sim_waits(Sim *S, uint8_t *w, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int c = 0; c < S->L.ncpu; c++) {
		CpuState *cs = w_cpu(&S->L, w, c);
		if (cs->status != CPU_RUN)
			continue;
		const Step *s = &S->P->steps[cs->pc];
		n = cat(buf, len, n, "%sCPU#%d waits in %s", n ? "; " : "", c, s->text);
		n = wait_for(S, w, c, s, buf, len, n);
		n = cat(buf, len, n, " (%s:%u)", prog_step_file(S->P, s), s->line);
	}
}


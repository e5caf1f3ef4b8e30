/* sim/world.c: world layout and the initial state of a scenario. */
#include "sim/world.h"
#include <string.h>

static size_t take(size_t *off, size_t n)
{
	size_t at = *off;
	*off += (n + 7) & ~(size_t)7;
	return at;
}

/* 1 if a step of P uses a CPU's flush batches (FlushState). */
static int uses_batches(const Program *P)
{
	for (int i = 0; i < P->nsteps; i++)
		switch (P->steps[i].op) {
		case OP_TLB_GATHER_MMU: case OP_TLB_REMOVE_TLB_ENTRY: case OP_TLB_REMOVE_PAGE:
		case OP_TLB_FLUSH_MMU: case OP_TLB_FINISH_MMU:
		case OP_SET_TLB_UBC_FLUSH_PENDING: case OP_TRY_TO_UNMAP_FLUSH: case OP_TRY_TO_UNMAP_FLUSH_DIRTY:
			return 1;
		}
	return 0;
}

/* 1 if a step of P is op. */
static int uses_op(const Program *P, int op)
{
	for (int i = 0; i < P->nsteps; i++)
		if (P->steps[i].op == op)
			return 1;
	return 0;
}

void world_layout(Layout *L, const Program *P)
{
	size_t off = sizeof(WorldHdr);
	int ncpu1 = P->ncpu + 1;    /* + the check CPU */
	memset(L, 0, sizeof *L);
	L->ncpu = P->ncpu;
	L->tlb_size = P->tlb_size;
	L->depth = P->max_depth;
	L->stack = P->max_stack;
	L->npte = P->npte;
	L->npages = P->npages;
	L->nfiles = P->nfilesys;
	L->nslots = P->nslots;
	L->nlocks = P->nlocks;
	L->cpu = take(&off, sizeof(CpuState) * ncpu1);
	L->frames = take(&off, sizeof(FrameState) * ncpu1 * L->depth);
	L->regs = take(&off, sizeof(uint64_t) * ncpu1 * L->stack);
	L->tlb = take(&off, sizeof(TlbEntry) * P->ncpu * L->tlb_size);
	L->pte = take(&off, sizeof(pte_t) * L->npte);
	L->page = take(&off, sizeof(PageState) * (L->npages + 1));
	L->file = take(&off, sizeof(FileState) * L->nfiles);
	L->pcache = take(&off, sizeof(uint16_t) * L->nslots);
	L->disk = take(&off, sizeof(uint32_t) * L->nslots);
	L->lock = take(&off, L->nlocks);
	L->nvars = P->nvars;
	L->var = take(&off, sizeof(uint64_t) * L->nvars);
	L->nmms = P->nmms;
	L->mm = take(&off, sizeof(MmState) * L->nmms);
	L->nvmas = P->nvmas;
	L->vma = take(&off, sizeof(uint64_t) * L->nvmas);
	L->nflush = uses_batches(P) ? P->ncpu : 0;
	L->flush = take(&off, sizeof(FlushState) * (size_t)L->nflush);
	L->ndetach = uses_op(P, OP_DETACH_VMAS_TO_BE_UNMAPPED) ? P->nvmas : 0;
	L->detach = take(&off, (size_t)L->ndetach);
	L->nswap = P->nswap;
	L->swap = take(&off, P->nswap ? sizeof(SwapSlot) * (size_t)(P->nswap + 1) : 0);
	L->size = off;
}

void world_mem(const Layout *L, uint8_t *w, Mem *m)
{
	m->pte = (pte_t *)(w + L->pte);
	m->page = (PageState *)(w + L->page);
	m->file = (FileState *)(w + L->file);
	m->pcache = (uint16_t *)(w + L->pcache);
	m->disk = (uint32_t *)(w + L->disk);
	m->lock = w + L->lock;
	m->var = (uint64_t *)(w + L->var);
	m->mm = (MmState *)(w + L->mm);
	m->vm_flags = (uint64_t *)(w + L->vma);
	m->swap = L->nswap ? (SwapSlot *)(w + L->swap) : NULL;
}

int world_page_slot(const Program *P, const PageState *pg)
{
	if (!pg->mapping)
		return -1;
	return P->filesys[pg->mapping - 1].first_slot + pg->index;
}

/* The counts of each struct page as the kernel would have left them: one
 * reference for the page cache, and one reference and one map count for
 * each present PTE that maps it (the faults that installed them took
 * those).  DAX blocks have no struct page and no counts. */
static void init_counts(const Program *P, Mem *m)
{
	for (int i = 0; i < P->npages; i++) {
		const PageDesc *pd = &P->pages[i];
		PageState *pg = &m->page[i + 1];
		if (pd->nopage)
			continue;
		/* a file page: the page cache's reference; a page some kernel
		 * code owns: its owner's; an anonymous page or a free frame:
		 * none but its mappings' */
		pg->count = pg->mapping || (pd->file < 0 && !pd->anon && !pd->free) ? 1 : 0;
		if (pd->anon)
			pg->flags |= PG_anon | (pd->anon == 1 ? PG_swapbacked : 0);
		if (pd->free)
			pg->frame |= FRAME_FREE;
	}
	for (int i = 0; i < P->npte; i++) {
		uint64_t pfn = arch_pfn(P->arch, m->pte[i]);
		if (P->arch->present(m->pte[i]) && pfn >= 1 && pfn <= (uint64_t)P->npages && !P->pages[pfn - 1].nopage) {
			m->page[pfn].count++;
			m->page[pfn].mapcount++;
		}
	}
}

static void init_mem(const Layout *L, const Program *P, uint8_t *w)
{
	Mem m;
	world_mem(L, w, &m);
	for (int i = 0; i < P->nfilesys; i++)
		m.file[i].i_size = P->filesys[i].i_size;
	for (int i = 0; i < P->npages; i++) {
		const PageDesc *pd = &P->pages[i];
		m.page[i + 1].flags = pd->flags;
		if (pd->file >= 0) {
			m.pcache[P->filesys[pd->file].first_slot + pd->index] = (uint16_t)(i + 1);
			m.page[i + 1].mapping = (uint16_t)(pd->file + 1);
			m.page[i + 1].index = (uint16_t)pd->index;
		}
	}
	for (int i = 0; i < P->nvars; i++)
		m.var[i] = P->vars[i].init;
	for (int i = 0; i < P->nvmas; i++)
		m.vm_flags[i] = P->vmas[i].vm_flags;
	for (int i = 0; i < P->nptes_init; i++) {
		int slot = prog_pte_slot(P, P->ptes[i].mm, P->ptes[i].addr);
		m.pte[slot] = P->ptes[i].val;
	}
	init_counts(P, &m);
}

static void init_tlbs(const Layout *L, const Program *P, uint8_t *w)
{
	Mem m;
	world_mem(L, w, &m);
	for (int i = 0; i < P->ntlbs; i++) {
		const TlbInit *t = &P->tlbs[i];
		int slot = prog_pte_slot(P, t->mm, t->addr);
		uint8_t fl = (uint8_t)((t->w ? TLB_W : 0) | (t->d ? TLB_D : 0));
		CpuState *cs = w_cpu(L, w, t->cpu);
		tlb_fill(w_tlb(L, w, t->cpu), L->tlb_size, &cs->tlb_rr, t->mm,
		         (uint32_t)(t->addr >> 12), (uint16_t)arch_pfn(P->arch, m.pte[slot]), fl);
	}
}

void world_init(const Layout *L, const Program *P, uint8_t *w)
{
	memset(w, 0, L->size);
	for (int c = 0; c <= P->ncpu; c++) {
		CpuState *cs = w_cpu(L, w, c);
		cs->status = CPU_DONE;
		if (c < P->ncpu && P->cpus[c].proc >= 0) {
			FrameState *f = w_frame(L, w, c, 0);
			cs->status = CPU_RUN;
			cs->pc = (uint16_t)P->procs[P->cpus[c].proc].entry;
			cs->depth = 1;
			f->proc = (uint16_t)P->cpus[c].proc;
			f->kind = FR_CALL;
		}
	}
	init_mem(L, P, w);
	init_tlbs(L, P, w);
}

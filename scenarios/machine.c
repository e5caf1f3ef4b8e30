/* scenarios/machine.c: pass 1 of the scenario compiler: the machine a
 * scenario describes (CPUs and cost model, files and their pages, VMAs,
 * initial PTEs and TLB entries, locks, mm_cpumask), checked and laid out
 * into the Program before any procedure is compiled. */
#include "scenarios/compileInt.h"
#include "cpus/dirty.h"
#include "mmu/mem.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int cx_name_list(Cx *cx, const YNode *n, const char *what, const char ***out, int *cnt)
{
	if (cx_want(cx, n, YN_SEQ, what))
		return -1;
	*out = prog_alloc(cx->P, sizeof(char *) * (size_t)(n->n + 1));
	for (int i = 0; i < n->n; i++) {
		if (cx_want(cx, n->items[i], YN_SCALAR, what))
			return -1;
		char *e = ytext_escape(n->items[i]->str);   /* printed on terminals */
		(*out)[i] = prog_strdup(cx->P, e);
		free(e);
		if (cx_find_name(*out, i, (*out)[i]) >= 0)
			return cx_err(cx, n->items[i], 0, "%s: '%s' is listed twice", what, n->items[i]->str);
	}
	*cnt = n->n;
	return 0;
}

static int cost_model(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "local", "tlb_hit", "walk", "pte_atomic", "mem", "lock",
		"lock_handoff", "ipi_send", "ipi_delivery", "fault_entry", "io", "jitter_pct", NULL };
	CostModel *c = &cx->P->cost;
	uint32_t *f[] = { &c->local, &c->tlb_hit, &c->walk, &c->pte_atomic, &c->mem, &c->lock,
		&c->lock_handoff, &c->ipi_send, &c->ipi_delivery, &c->fault_entry, &c->io, &c->jitter_pct };
	if (cx_keys(cx, n, "machine.cost", keys))
		return -1;
	for (int i = 0; keys[i]; i++) {
		const YNode *v = ynode_get(n, keys[i]);
		int x;
		if (v && cx_int(cx, v, keys[i], 0, i == 11 ? 100 : 1000000, &x))
			return -1;
		if (v)
			*f[i] = (uint32_t)x;
	}
	return 0;
}

/* machine.arch: x86 (the default), arm64 or riscv. */
/* A pte.prot value: only bits the architecture's table names (x86: the
 * flags below 0xfff that tlbsim models keep their old bound). */
static int prot_check(Cx *cx, const YNode *x, uint64_t prot)
{
	const Arch *a = cx->P->arch;
	uint64_t known = 0;
	if (a == arch_at(0))
		return prot > PTE_FLAGS_MASK ? cx_err(cx, x, 0, "pte.prot: 0x%" PRIx64 " has bits above 0xfff", prot) : 0;
	for (const ArchBit *b = a->bits; b->name; b++)
		known |= b->mask;
	if (prot & ~known)
		return cx_err(cx, x, 0, "pte.prot: 0x%" PRIx64 " has bits that are not %s PTE flags (0x%" PRIx64 ")", prot,
		              a->name, prot & ~known);
	return 0;
}

/* A pte.prot: a number, or a list of the architecture's bit names
 * ([PTE_VALID, PTE_AF, ...]) ORed together. */
static int prot_value(Cx *cx, const YNode *x, uint64_t *prot)
{
	const Arch *a = cx->P->arch;
	uint64_t v;
	if (x->kind != YN_SEQ)
		return cx_u64(cx, x, "pte.prot", prot) || prot_check(cx, x, *prot) ? -1 : 0;
	for (int i = 0; i < x->n; i++) {
		const YNode *b = x->items[i];
		if (cx_want(cx, b, YN_SCALAR, "pte.prot bit"))
			return -1;
		if (arch_const(a, b->str, &v))
			*prot |= v;
		else if (cx_other_arch(cx, b->str))
			return cx_err(cx, b, 0, "'%s' is a PTE bit of %s, not of this machine's %s (machine.arch)", b->str,
			              cx_other_arch(cx, b->str)->name, a->name);
		else
			return cx_err(cx, b, 0, "pte.prot: '%s' is not a PTE bit of %s ('tlbsim models' lists them)", b->str, a->name);
	}
	return 0;
}

/* The architecture named by scalar v, appended to P->archs (once). */
static int arch_listed(Cx *cx, const YNode *v)
{
	Program *P = cx->P;
	const Arch *a;
	if (cx_want(cx, v, YN_SCALAR, "machine.arch"))
		return -1;
	if (!(a = arch_find(v->str)))
		return cx_err(cx, v, 0, "unknown architecture '%s' (x86, arm64, riscv)", v->str);
	for (int i = 0; i < P->narchs; i++)
		if (P->archs[i] == a)
			return cx_err(cx, v, 0, "machine.arch: '%s' is listed twice", v->str);
	P->archs[P->narchs++] = a;
	return 0;
}

/* machine.arch: x86 (the default), arm64 or riscv, or a list of them
 * (the scenario compiles once per architecture; cx->want_arch picks this
 * compile's, the first listed if it names none of them). */
static int machine_arch(Cx *cx, const YNode *v)
{
	Program *P = cx->P;
	P->archs = prog_alloc(P, sizeof *P->archs * (size_t)(arch_count() + 1));
	if (!v)
		P->archs[P->narchs++] = arch_at(0);
	else if (v->kind == YN_SEQ && v->n == 0)
		return cx_err(cx, v, 0, "machine.arch: an empty list");
	for (int i = 0; v && i < (v->kind == YN_SEQ ? v->n : 1); i++)
		if (arch_listed(cx, v->kind == YN_SEQ ? v->items[i] : v))
			return -1;
	P->arch = P->archs[0];
	for (int i = 0; cx->want_arch && i < P->narchs; i++)
		if (!strcmp(P->archs[i]->name, cx->want_arch))
			P->arch = P->archs[i];
	return 0;
}

/* The first listed architecture that has model m, or NULL. */
static const Arch *arch_of_listed(const Program *P, const DirtyModel *m)
{
	for (int i = 0; i < P->narchs; i++)
		if (dirty_arch(m) == P->archs[i])
			return P->archs[i];
	return NULL;
}

/* The model v names: its index in dirty_model(), with *m; or -1 after
 * reporting a value that is no model's name. */
static int model_named(Cx *cx, const YNode *v, const char *what, const DirtyModel **m)
{
	if (cx_want(cx, v, YN_SCALAR, what))
		return -1;
	if (!(*m = dirty_find(v->str)))
		return cx_err(cx, v, 0, "unknown dirty-bit model '%s'", v->str);
	for (int i = 0; dirty_model(i); i++)
		if (dirty_model(i) == *m)
			return i;
	return -1;
}

int cx_listed_model(Cx *cx, const YNode *v, const char *what)
{
	const DirtyModel *m;
	int i;
	if (cx->P->narchs <= 1)
		return cx_model(cx, v, what);
	if ((i = model_named(cx, v, what, &m)) < 0)
		return -1;
	if (!arch_of_listed(cx->P, m))
		return cx_err(cx, v, 0, "dirty-bit model '%s' is of %s, which machine.arch does not list", v->str, m->arch);
	return i;
}

int cx_model(Cx *cx, const YNode *v, const char *what)
{
	const DirtyModel *m;
	int i;
	if ((i = model_named(cx, v, what, &m)) < 0)
		return -1;
	if (strcmp(m->arch, cx->P->arch->name))
		return cx_err(cx, v, 0, "dirty-bit model '%s' is of %s, not of this machine's %s (machine.arch)", v->str,
		              m->arch, cx->P->arch->name);
	return i;
}

int cx_cpu_model(Cx *cx, const YNode *v)
{
	const Program *P = cx->P;
	const DirtyModel *m;
	int found = -2;
	if (v->kind == YN_SCALAR && P->narchs > 1 && (m = dirty_find(v->str)))
		return cx_err(cx, v, 0, "cpu.model: '%s' is a model of %s, and machine.arch lists several architectures: "
		              "give one per architecture ({%s: %s, ...})", v->str, m->arch, m->arch, v->str);
	if (v->kind != YN_MAP)
		return cx_model(cx, v, "cpu.model");
	for (int i = 0; i + 1 < v->n; i += 2) {
		const YNode *k = v->items[i], *x = v->items[i + 1];
		const Arch *a = k->kind == YN_SCALAR ? arch_find(k->str) : NULL;
		int j = 0, idx;
		while (a && j < P->narchs && P->archs[j] != a)
			j++;
		if (!a || j == P->narchs)
			return cx_err(cx, k, 0, "cpu.model: '%s' is not an architecture machine.arch lists", k->kind == YN_SCALAR ? k->str : "?");
		if ((idx = model_named(cx, x, "cpu.model", &m)) < 0)
			return -1;
		if (dirty_arch(m) != a)
			return cx_err(cx, x, 0, "dirty-bit model '%s' is of %s, not of %s", x->str, m->arch, a->name);
		if (a == P->arch)
			found = idx;
	}
	return found;
}

/* machine.models: every name a model of a listed architecture (of the
 * one architecture with today's message); P->models keeps this compile's
 * architecture's, P->listed all of them. */
static int machine_models(Cx *cx, const YNode *v)
{
	Program *P = cx->P;
	if (cx_name_list(cx, v, "machine.models", &P->listed, &P->nlisted))
		return -1;
	P->models = prog_alloc(P, sizeof *P->models * (size_t)(P->nlisted + 1));
	for (int i = 0; i < v->n; i++) {
		if (cx_listed_model(cx, v->items[i], "machine.models") < 0)
			return -1;
		if (dirty_arch(dirty_find(P->listed[i])) == P->arch)
			P->models[P->nmodels++] = P->listed[i];
	}
	return 0;
}

/* No machine.models: the first two models of a single architecture (x86:
 * validating, blind); every model of each architecture of a list. */
static int default_models(Program *P)
{
	int most = P->narchs > 1 ? 1 << 20 : 2, n = 0;
	while (dirty_model(n))
		n++;
	P->models = prog_alloc(P, sizeof *P->models * (size_t)(n + 1));
	P->listed = prog_alloc(P, sizeof *P->listed * (size_t)(n + 1));
	for (int a = 0; a < P->narchs; a++)
		for (int i = 0, k = 0; dirty_model_of(P->archs[a], i) && k < most; i++, k++) {
			const char *name = dirty_model_of(P->archs[a], i)->name;
			P->listed[P->nlisted++] = name;
			if (P->archs[a] == P->arch)
				P->models[P->nmodels++] = name;
		}
	return 0;
}

/* machine.symmetric: [c, ...]: two or more distinct CPUs into
 * P->symmetric.  Whether they are interchangeable is checked on the
 * finished program (cx_check_symmetric). */
static int machine_symmetric(Cx *cx, const YNode *v)
{
	Program *P = cx->P;
	if (cx_want(cx, v, YN_SEQ, "machine.symmetric"))
		return -1;
	if (v->n < 2)
		return cx_err(cx, v, 0, "machine.symmetric: list at least two CPUs");
	for (int i = 0; i < v->n; i++) {
		int c;
		if (cx_int(cx, v->items[i], "machine.symmetric", 0, P->ncpu - 1, &c))
			return -1;
		if (P->symmetric >> c & 1)
			return cx_err(cx, v->items[i], 0, "machine.symmetric: CPU#%d listed twice", c);
		P->symmetric |= 1ull << c;
	}
	return 0;
}

static int machine(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "cpus", "tlb_entries", "arch", "models", "cost", "swap", "symmetric", NULL };
	Program *P = cx->P;
	P->cost = (CostModel){ 1, 1, 30, 20, 4, 10, 40, 100, 400, 200, 1000, 20 };
	P->tlb_size = 8;
	if (!n)
		return cx_err(cx, cx->set.files[0].root, 0, "scenario: missing key 'machine'");
	if (cx_keys(cx, n, "machine", keys))
		return -1;
	const YNode *v = cx_need(cx, n, "cpus", "machine");
	if (!v || cx_int(cx, v, "machine.cpus", 1, 64, &P->ncpu))
		return -1;
	if ((v = ynode_get(n, "tlb_entries")) && cx_int(cx, v, "machine.tlb_entries", 1, 64, &P->tlb_size))
		return -1;
	if ((v = ynode_get(n, "swap")) && cx_int(cx, v, "machine.swap", 0, 64, &P->nswap))
		return -1;
	if ((v = ynode_get(n, "cost")) && cost_model(cx, v))
		return -1;
	if ((v = ynode_get(n, "symmetric")) && machine_symmetric(cx, v))
		return -1;
	if (machine_arch(cx, ynode_get(n, "arch")))
		return -1;
	if ((v = ynode_get(n, "models")) ? machine_models(cx, v) : default_models(P))
		return -1;
	return 0;
}

static int page_flags(Cx *cx, const YNode *n, uint8_t *out)
{
	static const struct { const char *name; uint8_t bit; } fl[] = {
		{ "PG_locked", PG_locked }, { "PG_dirty", PG_dirty },
		{ "PG_writeback", PG_writeback }, { "PG_uptodate", PG_uptodate },
	};
	if (cx_want(cx, n, YN_SEQ, "flags"))
		return -1;
	for (int i = 0; i < n->n; i++) {
		int k = 0;
		if (cx_want(cx, n->items[i], YN_SCALAR, "flags"))
			return -1;
		while (k < 4 && strcmp(fl[k].name, n->items[i]->str))
			k++;
		if (k == 4)
			return cx_err(cx, n->items[i], 0, "unknown page flag '%s' (PG_locked, PG_dirty, PG_writeback, PG_uptodate)", n->items[i]->str);
		if (fl[k].bit == PG_locked)
			return cx_err(cx, n->items[i], 0, "a page cannot start locked: no CPU would hold the lock");
		*out |= fl[k].bit;
	}
	return 0;
}

static int count_pages(const YNode *files)
{
	int n = 0;
	for (int i = 0; files && i < files->n; i++)
		for (int k = 0; k < 2; k++) {
			const YNode *pg = ynode_get(files->items[i], k ? "blocks" : "pages");
			n += pg && pg->kind == YN_SEQ ? pg->n : 0;
		}
	return n;
}

/* A page (dax: a block, a frame with no struct page) of file. */
static int one_page(Cx *cx, const YNode *n, int file, int dax, int *max_index)
{
	static const char *const keys[] = { "name", "index", "flags", NULL };
	static const char *const bkeys[] = { "name", "index", NULL };
	Program *P = cx->P;
	PageDesc *pd = &P->pages[P->npages];
	const YNode *v;
	int idx = 0;
	if (cx_keys(cx, n, dax ? "block" : "page", dax ? bkeys : keys) || !(v = cx_need(cx, n, "name", dax ? "block" : "page")) ||
	    cx_want(cx, v, YN_SCALAR, "page.name"))
		return -1;
	pd->nopage = (uint8_t)dax;
	for (int i = 0; i < P->npages; i++)
		if (!strcmp(P->pages[i].name, v->str))
			return cx_err(cx, v, 0, "page '%s' is declared twice", v->str);
	pd->name = prog_strdup(P, v->str);
	pd->file = file;
	if ((v = ynode_get(n, "index")) && cx_int(cx, v, "page.index", 0, 4095, &idx))
		return -1;
	for (int i = 0; i < P->npages; i++)
		if (P->pages[i].file == file && (int)P->pages[i].index == idx)
			return cx_err(cx, n, 0, "file '%s' has two pages at index %d", P->filesys[file].name, idx);
	pd->index = (uint32_t)idx;
	if ((v = ynode_get(n, "flags")) && page_flags(cx, v, &pd->flags))
		return -1;
	*max_index = idx > *max_index ? idx : *max_index;
	P->npages++;
	return 0;
}

static int files(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "name", "size", "dax", "pages", "blocks", NULL };
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "files"))
		return -1;
	P->filesys = prog_alloc(P, sizeof(FileDesc) * (size_t)n->n);
	if (count_pages(n) > 4096)
		return cx_err(cx, n, 0, "files: at most 4096 pages in all");
	if (n->n > 255)
		return cx_err(cx, n, 0, "files: at most 255 files");
	for (int i = 0; i < n->n; i++) {
		const YNode *f = n->items[i], *v, *pages;
		FileDesc *fd = &P->filesys[i];
		int size = 0, max_index = -1;
		if (cx_keys(cx, f, "file", keys) || !(v = cx_need(cx, f, "name", "file")) || cx_want(cx, v, YN_SCALAR, "file.name"))
			return -1;
		for (int k = 0; k < i; k++)
			if (!strcmp(P->filesys[k].name, v->str))
				return cx_err(cx, v, 0, "file '%s' is declared twice", v->str);
		fd->name = prog_strdup(P, v->str);
		P->nfilesys = i + 1;
		if ((v = ynode_get(f, "size")) && cx_int(cx, v, "file.size", 0, 1 << 24, &size))
			return -1;
		fd->i_size = (uint32_t)size;
		if ((v = ynode_get(f, "dax")) && cx_bool(cx, v, "file.dax", &fd->dax))
			return -1;
		if ((v = ynode_key(f, fd->dax ? "pages" : "blocks")))
			return cx_err(cx, v, 0, fd->dax ? "file %s is DAX: it has blocks:, not pages: (no page cache)"
			                                : "file %s is not DAX: blocks: are for a DAX file (dax: true)", fd->name);
		const char *key = fd->dax ? "blocks" : "pages";
		if ((pages = ynode_get(f, key)) && cx_want(cx, pages, YN_SEQ, fd->dax ? "file.blocks" : "file.pages"))
			return -1;
		for (int k = 0; pages && k < pages->n; k++)
			if (one_page(cx, pages->items[k], i, fd->dax, &max_index))
				return -1;
		fd->npages = (size + 4095) / 4096 > max_index + 1 ? (size + 4095) / 4096 : max_index + 1;
		fd->first_slot = P->nslots;
		P->nslots += fd->npages;
	}
	return 0;
}

int cx_lookup_obj(Cx *cx, const YNode *n, const char *what, int kind)
{
	Program *P = cx->P;
	int i = -1;
	if (cx_want(cx, n, YN_SCALAR, what))
		return -1;
	if (kind == HK_MM)
		i = cx_find_name(P->mms, P->nmms, n->str);
	for (int k = 0; kind == HK_FILE && k < P->nfilesys; k++)
		if (!strcmp(P->filesys[k].name, n->str))
			i = k;
	for (int k = 0; kind == HK_PAGE && k < P->npages; k++)
		if (!strcmp(P->pages[k].name, n->str))
			i = k;
	if (i < 0)
		cx_err(cx, n, 0, "%s: no %s named '%s'", what,
		     kind == HK_MM ? "mm" : kind == HK_FILE ? "file" : "page", n->str);
	return i;
}

/* vma.vm_flags: a list of VM_* names (include/linux/mm.h) ORed together. */
static int vm_flags_list(Cx *cx, const YNode *x, uint64_t *out)
{
	uint64_t v;
	*out = 0;
	if (cx_want(cx, x, YN_SEQ, "vma.vm_flags"))
		return -1;
	for (int i = 0; i < x->n; i++) {
		const YNode *b = x->items[i];
		if (cx_want(cx, b, YN_SCALAR, "vma.vm_flags flag"))
			return -1;
		if (prog_vm_flag(b->str, &v))
			return cx_err(cx, b, 0, "vma.vm_flags: '%s' is not a VM_* flag of include/linux/mm.h (docs/language.md#vmas lists them)",
			              b->str);
		*out |= v;
	}
	return 0;
}

/* The vma's vm_flags: vm_flags: as given, else what mmap() of a file
 * opened read-write makes of the shorthands writable: (PROT_WRITE, default
 * true) and shared: (MAP_SHARED, default true): VM_READ, VM_MAY{READ,
 * WRITE,EXEC}, VM_WRITE if writable, VM_SHARED | VM_MAYSHARE if shared. */
static int vma_flags(Cx *cx, const YNode *n, VmaDesc *v)
{
	const YNode *x = ynode_get(n, "vm_flags"), *sh;
	int writable = 1, shared = 1;
	if (x && (sh = ynode_key(n, "writable") ? ynode_key(n, "writable") : ynode_key(n, "shared")))
		return cx_err(cx, sh, 0, "vma '%s': give vm_flags: or the shorthands writable:/shared:, not both", v->name);
	if (x)
		return vm_flags_list(cx, x, &v->vm_flags);
	if ((x = ynode_get(n, "writable")) && cx_bool(cx, x, "vma.writable", &writable))
		return -1;
	if ((x = ynode_get(n, "shared")) && cx_bool(cx, x, "vma.shared", &shared))
		return -1;
	v->vm_flags = VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | (writable ? VM_WRITE : 0) |
	              (shared ? VM_SHARED | VM_MAYSHARE : 0);
	return 0;
}

static int one_vma(Cx *cx, const YNode *n, VmaDesc *v)
{
	static const char *const keys[] = { "name", "mm", "start", "pages", "file", "pgoff", "writable", "shared",
		"vm_flags", "vm_ops", NULL };
	const YNode *x;
	uint64_t start;
	int pages = 1, pgoff = 0;
	if (cx_keys(cx, n, "vma", keys) || !(x = cx_need(cx, n, "name", "vma")) || cx_want(cx, x, YN_SCALAR, "vma.name"))
		return -1;
	v->name = prog_strdup(cx->P, x->str);
	if (!(x = cx_need(cx, n, "mm", "vma")) || (v->mm = cx_lookup_obj(cx, x, "vma.mm", HK_MM)) < 0)
		return -1;
	if (!(x = cx_need(cx, n, "start", "vma")) || cx_u64(cx, x, "vma.start", &start))
		return -1;
	if (start & 0xfff)
		return cx_err(cx, x, 0, "vma.start: 0x%" PRIx64 " is not page aligned", start);
	if ((x = ynode_get(n, "pages")) && cx_int(cx, x, "vma.pages", 1, 4096, &pages))
		return -1;
	if (start + ((uint64_t)pages << 12) < start || start + ((uint64_t)pages << 12) == 0)
		return cx_err(cx, ynode_get(n, "pages") ? ynode_get(n, "pages") : x, 0,
		            "vma.pages: %d page%s from 0x%" PRIx64 " run past the end of the address space",
		            pages, pages == 1 ? "" : "s", start);
	v->start = start;
	v->end = start + ((uint64_t)pages << 12);
	v->file = -1;
	if ((x = ynode_get(n, "file")) && (v->file = cx_lookup_obj(cx, x, "vma.file", HK_FILE)) < 0)
		return -1;
	if ((x = ynode_get(n, "pgoff")) && cx_int(cx, x, "vma.pgoff", 0, 1 << 20, &pgoff))
		return -1;
	v->pgoff = (uint32_t)pgoff;
	if (vma_flags(cx, n, v))
		return -1;
	v->vm_ops[VMOPS_PAGE_MKWRITE] = v->vm_ops[VMOPS_PFN_MKWRITE] = -1;   /* resolved in pass 2 */
	v->first_pte = cx->P->npte;
	cx->P->npte += pages;
	return 0;
}

static int vmas(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "vmas"))
		return -1;
	P->vmas = prog_alloc(P, sizeof(VmaDesc) * (size_t)n->n);
	for (int i = 0; i < n->n; i++) {
		if (one_vma(cx, n->items[i], &P->vmas[i]))
			return -1;
		for (int k = 0; k < i; k++) {
			const VmaDesc *a = &P->vmas[k], *b = &P->vmas[i];
			if (!strcmp(a->name, b->name))
				return cx_err(cx, n->items[i], 0, "vma '%s' is declared twice", b->name);
			if (a->mm == b->mm && a->start < b->end && b->start < a->end)
				return cx_err(cx, n->items[i], 0, "vma '%s' overlaps vma '%s'", b->name, a->name);
		}
		P->nvmas = i + 1;
	}
	return 0;
}

/* An address operand of an init entry: must lie in a VMA of mm. */
static int init_addr(Cx *cx, const YNode *map, int mm, uint64_t *addr)
{
	const YNode *x = cx_need(cx, map, "addr", "entry");
	if (!x || cx_u64(cx, x, "addr", addr))
		return -1;
	if (prog_vma_of(cx->P, mm, *addr) < 0)
		return cx_err(cx, x, 0, "addr 0x%" PRIx64 " is not inside a VMA of mm '%s'", *addr, cx->P->mms[mm]);
	return 0;
}

static int ptes(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "mm", "addr", "page", "prot", "value", NULL };
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "ptes"))
		return -1;
	P->ptes = prog_alloc(P, sizeof(PteInit) * (size_t)n->n);
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *x;
		PteInit *pi = &P->ptes[i];
		uint64_t prot = 0;
		if (cx_keys(cx, e, "pte", keys) || !(x = cx_need(cx, e, "mm", "pte")) ||
		    (pi->mm = cx_lookup_obj(cx, x, "pte.mm", HK_MM)) < 0 || init_addr(cx, e, pi->mm, &pi->addr))
			return -1;
		for (int k = 0; k < i; k++)
			if (P->ptes[k].mm == pi->mm && P->ptes[k].addr >> 12 == pi->addr >> 12)
				return cx_err(cx, ynode_get(e, "addr"), 0, "pte: addr 0x%" PRIx64 " of mm '%s' is given twice",
				            pi->addr, P->mms[pi->mm]);
		if ((x = ynode_get(e, "value"))) {
			if (cx_u64(cx, x, "pte.value", &pi->val))
				return -1;
			if (P->arch->present(pi->val) &&
			    (arch_pfn(P->arch, pi->val) < 1 || arch_pfn(P->arch, pi->val) > (uint64_t)P->npages))
				return cx_err(cx, x, 0, "pte.value: 0x%" PRIx64 " maps pfn 0x%" PRIx64 ", which is not a page of the scenario",
				            pi->val, arch_pfn(P->arch, pi->val));
		} else {
			int pg;
			if (!(x = cx_need(cx, e, "page", "pte")) || (pg = cx_lookup_obj(cx, x, "pte.page", HK_PAGE)) < 0)
				return -1;
			if (P->pages[pg].free)
				return cx_err(cx, x, 0, "pte.page: '%s' is a free frame (pages: free: true): no PTE maps it", P->pages[pg].name);
			if ((x = ynode_get(e, "prot")) && prot_value(cx, x, &prot))
				return -1;
			pi->val = arch_pfn_pte(P->arch, (uint64_t)pg + 1, prot);
		}
		P->nptes_init = i + 1;
	}
	return 0;
}

static int tlbs(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "cpu", "mm", "addr", "writable", "dirty", NULL };
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "tlb"))
		return -1;
	P->tlbs = prog_alloc(P, sizeof(TlbInit) * (size_t)n->n);
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *x;
		TlbInit *t = &P->tlbs[i];
		if (cx_keys(cx, e, "tlb", keys) || !(x = cx_need(cx, e, "cpu", "tlb")) ||
		    cx_int(cx, x, "tlb.cpu", 0, P->ncpu - 1, &t->cpu) || !(x = cx_need(cx, e, "mm", "tlb")) ||
		    (t->mm = cx_lookup_obj(cx, x, "tlb.mm", HK_MM)) < 0 || init_addr(cx, e, t->mm, &t->addr))
			return -1;
		if ((x = ynode_get(e, "writable")) && cx_bool(cx, x, "tlb.writable", &t->w))
			return -1;
		if ((x = ynode_get(e, "dirty")) && cx_bool(cx, x, "tlb.dirty", &t->d))
			return -1;
		int present = 0;
		for (int k = 0; k < P->nptes_init; k++)
			if (P->ptes[k].mm == t->mm && P->ptes[k].addr >> 12 == t->addr >> 12)
				present = P->arch->hw_valid(P->ptes[k].val);
		if (!present)
			return cx_err(cx, e, 0, "tlb: no present PTE for 0x%" PRIx64 " to cache (%s)", t->addr,
			              P->arch == arch_at(0) ? "x86 never caches P=0" : "no MMU caches an invalid entry");
		P->ntlbs = i + 1;
	}
	return 0;
}

static int locks(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	int extra = n && n->kind == YN_SEQ ? n->n : 0;
	P->locks = prog_alloc(P, sizeof(LockDesc) * (size_t)(P->nmms + extra));
	for (int i = 0; i < P->nmms; i++) {     /* one page-table lock per mm */
		char buf[96];
		snprintf(buf, sizeof buf, P->nmms == 1 ? "ptl" : "ptl(%s)", P->mms[i]);
		P->locks[P->nlocks++] = (LockDesc){ prog_strdup(P, buf), i, 0 };
	}
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "locks"))
		return -1;
	for (int i = 0; i < n->n; i++) {
		if (cx_want(cx, n->items[i], YN_SCALAR, "locks"))
			return -1;
		for (int k = 0; k < P->nlocks; k++)
			if (!strcmp(P->locks[k].name, n->items[i]->str))
				return cx_err(cx, n->items[i], 0, "locks: '%s' is listed twice", n->items[i]->str);
		P->locks[P->nlocks++] = (LockDesc){ prog_strdup(P, n->items[i]->str), -1, 0 };
	}
	return 0;
}

/* mm_cpumask: {mm: [cpu, ...]}: the CPUs flush_tlb_page IPIs for mm,
 * replacing the derived set (to model a flush that misses a CPU). */
static int cpumasks(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	P->cpumask = prog_alloc(P, sizeof(uint64_t) * (size_t)(P->nmms + 1));
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_MAP, "mm_cpumask") || cx_plain_keys(cx, n, "mm_cpumask"))
		return -1;
	for (int i = 0; i + 1 < n->n; i += 2) {
		int mm = cx_lookup_obj(cx, n->items[i], "mm_cpumask", HK_MM);
		const YNode *l = n->items[i + 1];
		if (mm < 0 || cx_want(cx, l, YN_SEQ, "mm_cpumask"))
			return -1;
		if (l->n == 0)
			return cx_err(cx, l, 0, "mm_cpumask: list at least one CPU");
		for (int k = 0; k < l->n; k++) {
			int c;
			if (cx_int(cx, l->items[k], "mm_cpumask", 0, P->ncpu - 1, &c))
				return -1;
			P->cpumask[mm] |= 1ull << c;
		}
	}
	return 0;
}

/* vars: {name: initial value, ...}: state variables, of the scenario and
 * of its libraries (a library's own state, e.g. a ghost variable), one
 * name space; cx->var_at keeps each one's key for later messages. */
static int vars_of(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	if (cx_want(cx, n, YN_MAP, "vars") || cx_plain_keys(cx, n, "vars"))
		return -1;
	for (int i = 0; i + 1 < n->n; i += 2) {
		const char *name = n->items[i]->str;
		char what[96];
		if (P->nvars == MAX_VARS)
			return cx_err(cx, n->items[i], 0, "vars: at most %d variables", MAX_VARS);
		if (!cx_is_ident(name))
			return cx_err(cx, n->items[i], 0, "vars: '%s' is not a name ([A-Za-z_][A-Za-z0-9_]*)", name);
		for (int k = 0; k < P->nvars; k++)
			if (!strcmp(P->vars[k].name, name))
				return cx_err(cx, n->items[i], 0, "vars: '%s' is declared twice (first at %s:%d:%d)", name,
				              cx->set.files[cx->var_at[k]->file].path, cx->var_at[k]->line, cx->var_at[k]->col);
		VarDesc *v = &P->vars[P->nvars];
		v->name = prog_strdup(P, name);
		snprintf(what, sizeof what, "vars.%s", name);
		if (cx_u64(cx, n->items[i + 1], what, &v->init))
			return -1;
		cx->var_at[P->nvars++] = n->items[i];
	}
	return 0;
}

static int vars(Cx *cx)
{
	cx->P->vars = prog_alloc(cx->P, sizeof(VarDesc) * MAX_VARS);
	for (int f = 0; f < cx->set.nfiles; f++) {
		const YNode *n = ynode_get(cx->set.files[f].root, "vars");
		if (n && vars_of(cx, n))
			return -1;
	}
	return 0;
}

/* mtime_missed watches the files no mapping of which starts writable. */
static void mtime_watch(Program *P)
{
	for (int f = 0; f < P->nfilesys; f++)
		P->filesys[f].mtime_watch = 1;
	for (int i = 0; i < P->nptes_init; i++) {
		int v = prog_vma_of(P, P->ptes[i].mm, P->ptes[i].addr);
		if (P->vmas[v].file >= 0 && P->arch->present(P->ptes[i].val) && P->arch->write(P->ptes[i].val))
			P->filesys[P->vmas[v].file].mtime_watch = 0;
	}
	for (int i = 0; i < P->ntlbs; i++) {
		int v = prog_vma_of(P, P->tlbs[i].mm, P->tlbs[i].addr);
		if (P->vmas[v].file >= 0 && P->tlbs[i].w)
			P->filesys[P->vmas[v].file].mtime_watch = 0;
	}
}

/* pages: the struct pages in no file: anonymous pages ({name, anon:
 * true}), free frames alloc_page hands out ({name, free: true}), and
 * pages some kernel code owns (neither).  Their pfns follow the files'. */
static int loose_pages(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "name", "anon", "lazyfree", "free", "flags", NULL };
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "pages"))
		return -1;
	if (P->npages + n->n > 4096)
		return cx_err(cx, n, 0, "pages: at most 4096 pages and blocks in all");
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *v;
		PageDesc *pd = &P->pages[P->npages];
		int anon = 0, fr = 0, lazy = 0;
		if (cx_keys(cx, e, "page", keys) || !(v = cx_need(cx, e, "name", "page")) || cx_want(cx, v, YN_SCALAR, "page.name"))
			return -1;
		for (int k = 0; k < P->npages; k++)
			if (!strcmp(P->pages[k].name, v->str))
				return cx_err(cx, v, 0, "page '%s' is declared twice", v->str);
		pd->name = prog_strdup(P, v->str);
		pd->file = -1;
		if (((v = ynode_get(e, "anon")) && cx_bool(cx, v, "page.anon", &anon)) ||
		    ((v = ynode_get(e, "lazyfree")) && cx_bool(cx, v, "page.lazyfree", &lazy)) ||
		    ((v = ynode_get(e, "free")) && cx_bool(cx, v, "page.free", &fr)) ||
		    ((v = ynode_get(e, "flags")) && page_flags(cx, v, &pd->flags)))
			return -1;
		if (lazy && ynode_get(e, "anon") && !anon)
			return cx_err(cx, ynode_get(e, "lazyfree"), 0, "page '%s': a lazily freed page is an anonymous one (lazyfree: true with anon: false)", pd->name);
		anon |= lazy;
		if (anon && fr)
			return cx_err(cx, ynode_get(e, "free"), 0, "page '%s': a free frame is not an anonymous page (anon: or free:, not both)", pd->name);
		if (fr && pd->flags)
			return cx_err(cx, ynode_get(e, "flags"), 0, "page '%s': a free frame has no page flags", pd->name);
		pd->anon = (uint8_t)(lazy ? 2 : anon);
		pd->free = (uint8_t)fr;
		P->npages++;
	}
	return 0;
}

/* The page table of P: room for the files' pages and the loose ones. */
static void alloc_pages(Cx *cx, const YNode *root)
{
	const YNode *n = ynode_get(root, "pages");
	int loose = n && n->kind == YN_SEQ ? n->n : 0;
	cx->P->pages = prog_alloc(cx->P, sizeof(PageDesc) * (size_t)(count_pages(ynode_get(root, "files")) + loose + 1));
}

/* An anonymous page's only references are its mappings': one that no
 * present PTE maps would start with none. */
static int anon_mapped(Cx *cx, const YNode *pages)
{
	const Program *P = cx->P;
	for (int i = 0; pages && i < pages->n; i++) {
		const YNode *name = ynode_get(pages->items[i], "name");
		int pfn = 0, n = 0;
		for (int k = 0; k < P->npages; k++)
			if (!strcmp(P->pages[k].name, name->str))
				pfn = k + 1;
		if (!P->pages[pfn - 1].anon)
			continue;
		for (int k = 0; k < P->nptes_init; k++)
			n += P->arch->present(P->ptes[k].val) && arch_pfn(P->arch, P->ptes[k].val) == (uint64_t)pfn;
		if (!n)
			return cx_err(cx, name, 0, "anonymous page '%s' is mapped by no PTE of ptes: (it would start with no reference)",
			              name->str);
	}
	return 0;
}

int cx_machine(Cx *cx, const YNode *root)
{
	alloc_pages(cx, root);
	return machine(cx, ynode_get(root, "machine")) || files(cx, ynode_get(root, "files")) ||
	       loose_pages(cx, ynode_get(root, "pages")) || vars(cx) ||
	       vmas(cx, ynode_get(root, "vmas")) || ptes(cx, ynode_get(root, "ptes")) ||
	       anon_mapped(cx, ynode_get(root, "pages")) || tlbs(cx, ynode_get(root, "tlb")) || locks(cx, ynode_get(root, "locks")) ||
	       cpumasks(cx, ynode_get(root, "mm_cpumask")) ? -1 : (mtime_watch(cx->P), 0);
}

/* sim/symmetry.c: interchangeable CPUs and the canonical form of a world
 * (see symmetry.h).
 *
 * The canonical form of w: within each class, the CPUs' blocks (CpuState,
 * call frames, registers, TLB entries, FlushState) sorted by a key that no renaming
 * of the class changes, and every CPU number stored in the world renamed
 * by the same permutation.  The CPU numbers a world holds (audited in
 * sim/world.h, mmu/mem.h, sim/exec.c, mmu/mem.c):
 *   CpuState.ipi_from, .flush_targets       bitmasks
 *   FlushState.ubc.cpumask                  bitmask
 *   spinlock holders (the lock array)       CPU + 1
 *   PageState.locker                        CPU + 1
 *   FileState.i_mmap_readers                bitmask
 *   FileState.i_mmap_writer                 CPU + 1
 *   MmState.mmap_readers                    bitmask
 *   MmState.mmap_writer                     CPU + 1
 * Nothing else holds one (CpuState.revoked_by is a procedure, the
 * TLB_REVOKED marks are per entry, the detached flags per vma): no step yields a CPU's number, so registers,
 * state variables and PTEs never do; the check CPU (number ncpu) runs
 * only on copies and is never renamed.
 *
 * Soundness needs only that the output be a permutation of w (with body
 * pcs normalised): then equal outputs are worlds in one orbit.  Keys that
 * tie are broken by CPU number, so two members of one orbit can still get
 * different forms (when tied CPUs differ only in which CPU of their class
 * they IPI); that costs states, never a merge of different orbits. */
#include "sim/symmetry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void make_key(const Sym *y, const Layout *L, const uint8_t *w, int c, uint8_t *k);
static void permute(const Sym *y, const Layout *L, const uint8_t *w, const uint8_t *perm, uint8_t *out);

/* ---- the classes ---- */

/* CPU c's body: its procedure's steps [lo, hi).  The compiler emits a
 * procedure's steps together; a body that is not one run of steps has no
 * range (hi = lo), and is then alike only to itself. */
static void body_range(const Program *P, int p, int *lo, int *hi)
{
	int n = 0, e;
	*lo = *hi = 0;
	if (p < 0)
		return;
	e = P->procs[p].entry;
	for (int i = 0; i < P->nsteps; i++)
		n += P->steps[i].proc == p;
	*lo = *hi = e;
	while (*hi < P->nsteps && P->steps[*hi].proc == p)
		(*hi)++;
	if (*hi - *lo != n)
		*hi = *lo;
}

static int is_jump(int op)
{
	return op == OP_JMP || op == OP_JZ || op == OP_JNZ;
}

/* Steps a and b of bodies starting at la and lb do the same thing: equal
 * but for their source position, procedure and jump targets (relative). */
static int same_step(const Step *a, const Step *b, int la, int lb)
{
	if (a->op != b->op || a->nargs != b->nargs || a->dst_or != b->dst_or || a->show != b->show ||
	    a->dst != b->dst || a->dead != b->dead)
		return 0;
	if (is_jump(a->op) ? a->target - la != b->target - lb : a->target != b->target)
		return 0;
	for (int i = 0; i < a->nargs && i < STEP_MAXARGS; i++)
		if (a->a[i].kind != b->a[i].kind || a->a[i].v != b->a[i].v)
			return 0;
	return 1;
}

static int same_body(const Program *P, const Sym *y, int c, int d)
{
	int p = y->body[c], q = y->body[d];
	if (p == q)
		return 1;
	if (p < 0 || q < 0 || y->hi[c] == y->lo[c] || y->hi[c] - y->lo[c] != y->hi[d] - y->lo[d])
		return 0;
	const Proc *a = &P->procs[p], *b = &P->procs[q];
	if (a->nparams != b->nparams || a->nlocals != b->nlocals || a->stack != b->stack || a->override != b->override)
		return 0;
	for (int i = 0; i < y->hi[c] - y->lo[c]; i++)
		if (!same_step(&P->steps[y->lo[c] + i], &P->steps[y->lo[d] + i], y->lo[c], y->lo[d]))
			return 0;
	return 1;
}

/* CPUs c and d are alike to every static table the executor reads. */
static int alike(const Sim *S, const Sym *y, int c, int d)
{
	const Program *P = S->P;
	if (P->cpus[c].mm != P->cpus[d].mm || S->model[c] != S->model[d] || !same_body(P, y, c, d))
		return 0;
	for (int m = 0; m <= P->nmms; m++)
		if ((S->cpumask[m] >> c & 1) != (S->cpumask[m] >> d & 1))
			return 0;
	return 1;
}

/* CPUs an outcome check names (tlb_valid(1, mm, addr): CPU#1 is not
 * interchangeable); sets y->off if one is named by a computed value. */
static uint64_t named_cpus(const Program *P, Sym *y)
{
	uint64_t m = 0;
	for (int i = 0; i < P->nsteps; i++) {
		const Step *s = &P->steps[i];
		if (s->op != OP_TLB_VALID && s->op != OP_TLB_WRITABLE && s->op != OP_TLB_DIRTY)
			continue;
		if (s->a[0].kind != OPD_CONST)
			y->off = "an outcome check names a CPU by a value computed at run time";
		else if (s->a[0].v < MAX_CPUS)
			m |= 1ull << s->a[0].v;
	}
	return m;
}

static void find_classes(const Sim *S, Sym *y, uint64_t pinned)
{
	int n = S->P->ncpu;
	uint64_t taken = pinned;
	for (int c = 0; c < n; c++) {
		uint64_t k = 1ull << c;
		if (taken >> c & 1)
			continue;
		for (int d = c + 1; d < n; d++)
			if (!(taken >> d & 1) && alike(S, y, c, d))
				k |= 1ull << d;
		taken |= k;
		if (k & (k - 1))
			y->cls[y->ncls++] = k;
	}
}

/* The per-CPU tables of the classes in y->cls, and the key scratch. */
static int setup(Sym *y, const Sim *S)
{
	const Layout *L = &S->L;
	int n = L->ncpu;
	memset(y->of, -1, sizeof y->of);
	y->fixed = n < 64 ? (1ull << n) - 1 : ~0ull;
	for (int k = 0; k < y->ncls; k++) {
		int first = __builtin_ctzll(y->cls[k]);
		y->fixed &= ~y->cls[k];
		for (int c = 0; c < n; c++)
			if (y->cls[k] >> c & 1) {
				y->of[c] = (int8_t)k;
				y->rep[c] = y->body[first];
				y->delta[c] = y->lo[first] - y->lo[c];
			}
	}
	y->keylen = sizeof(CpuState) + sizeof(FrameState) * (size_t)L->depth + sizeof(uint64_t) * (size_t)L->stack +
	            sizeof(TlbEntry) * (size_t)L->tlb_size + (L->nflush ? sizeof(FlushState) : 0) + 4 * (size_t)y->ncls + 16 +
	            (size_t)L->nlocks + (size_t)L->npages + 2 * (size_t)L->nfiles + 2 * (size_t)L->nmms;
	/* each key 8-byte aligned (make_key writes a CpuState and FrameStates
	 * at its start); the padding, never written, stays zero */
	y->keylen = (y->keylen + 7) & ~(size_t)7;
	free(y->key);
	y->key = y->ncls ? calloc((size_t)n, y->keylen) : NULL;
	return y->ncls && !y->key ? -1 : 0;
}

/* Orders the classes by their lowest CPU. */
static void sort_classes(Sym *y)
{
	for (int i = 1; i < y->ncls; i++)
		for (int j = i; j > 0 && __builtin_ctzll(y->cls[j - 1]) > __builtin_ctzll(y->cls[j]); j--) {
			uint64_t t = y->cls[j];
			y->cls[j] = y->cls[j - 1];
			y->cls[j - 1] = t;
		}
}

/* Splits each class into the CPUs whose start in w0 has equal keys. */
static void split_by_start(Sym *y, const Sim *S, const uint8_t *w0)
{
	uint64_t old[MAX_CPUS / 2];
	int nold = y->ncls;
	memcpy(old, y->cls, sizeof old);
	for (int c = 0; c < S->L.ncpu; c++)
		if (y->of[c] >= 0)
			make_key(y, &S->L, w0, c, y->key + y->keylen * (size_t)c);
	y->ncls = 0;
	for (int k = 0; k < nold; k++)
		for (uint64_t left = old[k]; left; ) {
			int f = __builtin_ctzll(left);
			uint64_t g = 1ull << f;
			for (uint64_t v = left & ~g; v; v &= v - 1)
				if (!memcmp(y->key + y->keylen * (size_t)f, y->key + y->keylen * (size_t)__builtin_ctzll(v), y->keylen))
					g |= v & -v;
			left &= ~g;
			if (g & (g - 1))
				y->cls[y->ncls++] = g;
		}
	sort_classes(y);
}

/* 1 if swapping CPUs a and b maps w to itself (t1, t2: scratch worlds). */
static int swap_fixes(const Sym *y, const Layout *L, const uint8_t *w, int a, int b, uint8_t *t1, uint8_t *t2)
{
	uint8_t id[MAX_CPUS], sw[MAX_CPUS];
	for (int c = 0; c < L->ncpu; c++)
		id[c] = sw[c] = (uint8_t)c;
	sw[a] = (uint8_t)b;
	sw[b] = (uint8_t)a;
	permute(y, L, w, id, t1);
	permute(y, L, w, sw, t2);
	return !memcmp(t1, t2, L->size);
}

/* Keeps in each class only CPUs that swapping with its first CPU leaves
 * w0 as it is (transpositions with one CPU generate every permutation of
 * the class), and drops classes left with one CPU. */
static int keep_fixing(Sym *y, const Sim *S, const uint8_t *w0)
{
	uint8_t *t1 = malloc(S->L.size), *t2 = malloc(S->L.size);
	int n = 0;
	if (!t1 || !t2) {
		free(t1);
		free(t2);
		return -1;
	}
	for (int k = 0; k < y->ncls; k++) {
		int f = __builtin_ctzll(y->cls[k]);
		uint64_t g = y->cls[k];
		for (uint64_t v = g & (g - 1); v; v &= v - 1)
			if (!swap_fixes(y, &S->L, w0, f, __builtin_ctzll(v), t1, t2))
				g &= ~(v & -v);
		if (g & (g - 1))
			y->cls[n++] = g;
	}
	y->ncls = n;
	free(t1);
	free(t2);
	return 0;
}

int sym_init(Sym *y, const Sim *S, const uint8_t *w0)
{
	const Program *P = S->P;
	int n = P->ncpu;
	memset(y, 0, sizeof *y);
	for (int c = 0; c < n; c++) {
		y->body[c] = P->cpus[c].proc;
		body_range(P, y->body[c], &y->lo[c], &y->hi[c]);
	}
	uint64_t pinned = named_cpus(P, y);
	if (!y->off)
		find_classes(S, y, pinned);
	if (setup(y, S) < 0)
		return -1;
	split_by_start(y, S, w0);
	if (setup(y, S) < 0 || keep_fixing(y, S, w0) < 0)
		return -1;
	return setup(y, S);
}

void sym_free(Sym *y)
{
	free(y->key);
	y->key = NULL;
}

/* ---- the canonical form ---- */

static int in_body(const Sym *y, int c, int pc)
{
	return pc >= y->lo[c] && pc < y->hi[c];
}

/* CPU c's CpuState and frames, as its class's first body would have them:
 * the pcs and frames in c's body moved to that body's steps. */
static void normalise(const Sym *y, int c, CpuState *cs, FrameState *f)
{
	if (cs->depth > 0 && in_body(y, c, cs->pc))
		cs->pc = (uint16_t)(cs->pc + y->delta[c]);
	for (int d = 0; d < cs->depth; d++) {
		if (f[d].proc == y->body[c])
			f[d].proc = (uint16_t)y->rep[c];
		if (d > 0 && in_body(y, c, f[d].call_pc))
			f[d].call_pc = (uint16_t)(f[d].call_pc + y->delta[c]);
	}
}

/* CPU c's block of w into the block of CPU to of out, normalised. */
static void move_block(const Sym *y, const Layout *L, const uint8_t *w, int c, uint8_t *out, int to)
{
	uint8_t *ww = (uint8_t *)w;   /* read only: the accessors take non-const */
	CpuState *cs = w_cpu(L, out, to);
	FrameState *f = w_frame(L, out, to, 0);
	*cs = *w_cpu(L, ww, c);
	memcpy(f, w_frame(L, ww, c, 0), sizeof *f * (size_t)L->depth);
	memcpy(w_regs(L, out, to), w_regs(L, ww, c), sizeof(uint64_t) * (size_t)L->stack);
	memcpy(w_tlb(L, out, to), w_tlb(L, ww, c), sizeof(TlbEntry) * (size_t)L->tlb_size);
	if (L->nflush)
		*w_flush(L, out, to) = *w_flush(L, ww, c);
	normalise(y, c, cs, f);
}

static int popc(uint64_t m)
{
	return __builtin_popcountll(m);
}

/* What no renaming of the classes changes about CPU c's relations to
 * other CPUs and to shared objects: its IPI and flush sets and the CPUs
 * its tlb_ubc owes a flush (fixed CPUs by number, class CPUs counted per
 * class), who IPIs it, and which locks,
 * page locks, i_mmap_rwsems and mmap_locks it holds. */
static uint8_t *relations(const Sym *y, const Layout *L, const uint8_t *w, int c, uint8_t *k)
{
	uint8_t *ww = (uint8_t *)w;
	const CpuState *cs = w_cpu(L, ww, c);
	uint64_t in_fixed = 0, in_cls = 0;
	for (int t = 0; t < L->ncpu; t++)
		if (w_cpu(L, ww, t)->ipi_from >> c & 1)
			in_fixed |= 1ull << t, in_cls |= 1ull << t;
	in_fixed &= y->fixed;
	in_cls &= ~y->fixed;
	for (int j = 0; j < y->ncls; j++) {
		*k++ = (uint8_t)popc(cs->ipi_from & y->cls[j]);
		*k++ = (uint8_t)popc(cs->flush_targets & y->cls[j]);
		*k++ = (uint8_t)popc(in_cls & y->cls[j]);
		*k++ = (uint8_t)(L->nflush ? popc(w_flush(L, ww, c)->ubc.cpumask & y->cls[j]) : 0);
	}
	memcpy(k, &in_fixed, 8);
	memset(k + 8, 0, 8);
	k += 16;
	for (int l = 0; l < L->nlocks; l++)
		*k++ = w[L->lock + (size_t)l] == c + 1;
	const PageState *pg = (const PageState *)(w + L->page);
	for (int p = 1; p <= L->npages; p++)
		*k++ = pg[p].locker == c + 1;
	const FileState *fs = (const FileState *)(w + L->file);
	for (int f = 0; f < L->nfiles; f++) {
		*k++ = (uint8_t)(fs[f].i_mmap_readers >> c & 1);
		*k++ = fs[f].i_mmap_writer == c + 1;
	}
	for (int m = 0; m < L->nmms; m++) {
		const MmState *ms = w_mm(L, ww, m);
		*k++ = (uint8_t)(ms->mmap_readers >> c & 1);
		*k++ = ms->mmap_writer == c + 1;
	}
	return k;
}

/* CPU c's sort key: its normalised block with the class CPUs left out of
 * its CPU masks, then its relations. */
static void make_key(const Sym *y, const Layout *L, const uint8_t *w, int c, uint8_t *k)
{
	uint8_t *ww = (uint8_t *)w;
	CpuState cs = *w_cpu(L, ww, c);
	FrameState *f = (FrameState *)(k + sizeof cs);
	memcpy(f, w_frame(L, ww, c, 0), sizeof *f * (size_t)L->depth);
	normalise(y, c, &cs, f);
	cs.ipi_from &= y->fixed;
	cs.flush_targets &= y->fixed;
	memcpy(k, &cs, sizeof cs);
	k += sizeof cs + sizeof *f * (size_t)L->depth;
	memcpy(k, w_regs(L, ww, c), sizeof(uint64_t) * (size_t)L->stack);
	k += sizeof(uint64_t) * (size_t)L->stack;
	memcpy(k, w_tlb(L, ww, c), sizeof(TlbEntry) * (size_t)L->tlb_size);
	k += sizeof(TlbEntry) * (size_t)L->tlb_size;
	if (L->nflush) {
		FlushState fs = *w_flush(L, ww, c);
		fs.ubc.cpumask &= y->fixed;
		memcpy(k, &fs, sizeof fs);
		k += sizeof fs;
	}
	relations(y, L, w, c, k);
}

/* Sorts the n CPUs of order[] by key, then by number (insertion sort:
 * classes are small, and the result must not depend on qsort). */
static void sort_cpus(const Sym *y, int *order, int n)
{
	for (int i = 1; i < n; i++) {
		int c = order[i], j = i;
		const uint8_t *kc = y->key + y->keylen * (size_t)c;
		while (j > 0) {
			int r = memcmp(y->key + y->keylen * (size_t)order[j - 1], kc, y->keylen);
			if (r < 0 || (r == 0 && order[j - 1] < c))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = c;
	}
}

static uint64_t rename_mask(const Sym *y, const uint8_t *perm, uint64_t m)
{
	uint64_t r = m & y->fixed;
	for (uint64_t v = m & ~y->fixed; v; v &= v - 1)
		r |= 1ull << perm[__builtin_ctzll(v)];
	return r;
}

/* A holder field (CPU + 1, 0: none) renamed. */
static uint8_t rename_holder(const Layout *L, const uint8_t *perm, uint8_t h)
{
	return h && h <= L->ncpu ? (uint8_t)(perm[h - 1] + 1) : h;
}

/* Renames every CPU number stored in out (the audit at the top). */
static void rename_all(const Sym *y, const Layout *L, const uint8_t *perm, uint8_t *out)
{
	for (int c = 0; c <= L->ncpu; c++) {
		CpuState *cs = w_cpu(L, out, c);
		cs->ipi_from = rename_mask(y, perm, cs->ipi_from);
		cs->flush_targets = rename_mask(y, perm, cs->flush_targets);
	}
	for (int c = 0; c < L->nflush; c++)
		w_flush(L, out, c)->ubc.cpumask = rename_mask(y, perm, w_flush(L, out, c)->ubc.cpumask);
	for (int l = 0; l < L->nlocks; l++)
		out[L->lock + (size_t)l] = rename_holder(L, perm, out[L->lock + (size_t)l]);
	PageState *pg = (PageState *)(out + L->page);
	for (int p = 1; p <= L->npages; p++)
		pg[p].locker = rename_holder(L, perm, pg[p].locker);
	FileState *fs = (FileState *)(out + L->file);
	for (int f = 0; f < L->nfiles; f++) {
		fs[f].i_mmap_readers = rename_mask(y, perm, fs[f].i_mmap_readers);
		fs[f].i_mmap_writer = rename_holder(L, perm, fs[f].i_mmap_writer);
	}
	for (int m = 0; m < L->nmms; m++) {
		MmState *ms = w_mm(L, out, m);
		ms->mmap_readers = rename_mask(y, perm, ms->mmap_readers);
		ms->mmap_writer = rename_holder(L, perm, ms->mmap_writer);
	}
}

/* perm(w) into out, normalised: CPU c's block moves to CPU perm[c]'s,
 * every CPU number renamed. */
static void permute(const Sym *y, const Layout *L, const uint8_t *w, const uint8_t *perm, uint8_t *out)
{
	memcpy(out, w, L->size);
	for (int c = 0; c < L->ncpu; c++)
		if (y->of[c] >= 0)
			move_block(y, L, w, c, out, perm[c]);
	rename_all(y, L, perm, out);
}

void sym_canon(Sym *y, const Sim *S, const uint8_t *w, uint8_t *out)
{
	uint8_t perm[MAX_CPUS];
	sym_canon_perm(y, S, w, out, perm);
}

void sym_canon_perm(Sym *y, const Sim *S, const uint8_t *w, uint8_t *out, uint8_t *perm)
{
	const Layout *L = &S->L;
	int order[MAX_CPUS], slot[MAX_CPUS];
	for (int c = 0; c < L->ncpu; c++) {
		perm[c] = (uint8_t)c;
		if (y->of[c] >= 0)
			make_key(y, L, w, c, y->key + y->keylen * (size_t)c);
	}
	for (int k = 0; k < y->ncls; k++) {
		int n = 0;
		for (uint64_t v = y->cls[k]; v; v &= v - 1)
			slot[n] = order[n] = __builtin_ctzll(v), n++;
		sort_cpus(y, order, n);
		for (int j = 0; j < n; j++)
			perm[order[j]] = (uint8_t)slot[j];
	}
	permute(y, L, w, perm, out);
}

char *sym_format(const uint64_t *cls, int n, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = 0;
	for (int i = 0; i < n && k < len; i++) {
		k += (size_t)snprintf(buf + k, len - k, "%sCPU#", i ? "; " : "");
		int first = 1;
		for (int c = 0; c < MAX_CPUS && k < len; c++) {
			if (!(cls[i] >> c & 1) || (c > 0 && cls[i] >> (c - 1) & 1))
				continue;
			int e = c;
			while (e + 1 < MAX_CPUS && cls[i] >> (e + 1) & 1)
				e++;
			if (e == c)
				k += (size_t)snprintf(buf + k, len - k, "%s%d", first ? "" : ",", c);
			else
				k += (size_t)snprintf(buf + k, len - k, "%s%d%s%d", first ? "" : ",", c, e == c + 1 ? "," : "-", e);
			first = 0;
		}
	}
	return buf;
}

char *sym_describe(const Program *P, const char *model, char *buf, size_t len)
{
	Sim S;
	Sym y;
	char cls[256];
	if (sim_init(&S, P, model, buf, len) < 0)
		return NULL;
	uint8_t *w = malloc(S.L.size);
	int rc = !w || sim_start(&S, w) < 0 || sym_init(&y, &S, w) < 0 ? -1 : 0;
	if (rc < 0)
		snprintf(buf, len, "%s", S.failed ? S.err : "out of memory");
	else if (y.ncls)
		snprintf(buf, len, "%s interchangeable", sym_format(y.cls, y.ncls, cls, sizeof cls));
	else
		snprintf(buf, len, "none (%s)", y.off ? y.off : "no two CPUs are interchangeable");
	if (rc == 0)
		sym_free(&y);
	free(w);
	sim_free(&S);
	return rc < 0 ? NULL : buf;
}

/* ---- a declared class (machine.symmetric) ---- */

/* The k-th initial TLB entry of CPU c (in tlb: order), or NULL. */
static const TlbInit *tlb_init(const Program *P, int c, int k)
{
	for (int i = 0; i < P->ntlbs; i++)
		if (P->tlbs[i].cpu == c && k-- == 0)
			return &P->tlbs[i];
	return NULL;
}

static int same_tlbs(const Program *P, int c, int d)
{
	for (int k = 0;; k++) {
		const TlbInit *x = tlb_init(P, c, k), *y = tlb_init(P, d, k);
		if (!x || !y)
			return x == y;
		if (x->mm != y->mm || x->addr != y->addr || x->w != y->w || x->d != y->d)
			return 0;
	}
}

/* The first outcome check step naming CPU c by number, or NULL. */
static const Step *check_naming(const Program *P, int c)
{
	for (int i = 0; i < P->nsteps; i++) {
		const Step *s = &P->steps[i];
		if ((s->op == OP_TLB_VALID || s->op == OP_TLB_WRITABLE || s->op == OP_TLB_DIRTY) &&
		    s->a[0].kind == OPD_CONST && s->a[0].v == (uint64_t)c)
			return s;
	}
	return NULL;
}

/* How CPU c's static description differs from CPU f's (into why), or 0
 * if it does not.  y holds the bodies' ranges (sym_init's first loop). */
static int static_diff(const Sim *S, const Sym *y, int f, int c, char *why, size_t len)
{
	const Program *P = S->P;
	const char *field = !same_body(P, y, f, c) ? "body" : P->cpus[c].mm != P->cpus[f].mm ? "mm" :
	                    S->model[c] != S->model[f] ? "model" : !same_tlbs(P, f, c) ? "tlb" : NULL;
	if (field)
		return snprintf(why, len, "CPU#%d differs from CPU#%d in %s", c, f, field), 1;
	for (int m = 0; m < P->nmms; m++)
		if ((S->cpumask[m] >> c & 1) != (S->cpumask[m] >> f & 1))
			return snprintf(why, len, "CPU#%d differs from CPU#%d in mm_cpumask of %s", c, f, P->mms[m]), 1;
	int named = check_naming(P, f) ? f : c;
	const Step *s = check_naming(P, named);
	if (s)
		return snprintf(why, len, "CPU#%d is named by an outcome check (%s, line %u)", named,
		                prog_ops[s->op].name, s->line), 1;
	return 0;
}

/* The class of y holding CPU f, 0 if none. */
static uint64_t class_of(const Sym *y, int f)
{
	for (int k = 0; k < y->ncls; k++)
		if (y->cls[k] >> f & 1)
			return y->cls[k];
	return 0;
}

/* sym_check on a set-up S: the static tests, then the classes sym_init
 * finds from the start world (which also turns off when a check names a
 * CPU by a computed value). */
static int check_declared(Sim *S, uint64_t cpus, char *why, size_t len)
{
	Sym y;
	int f = __builtin_ctzll(cpus), bad = -1;
	uint8_t *w = malloc(S->L.size);
	if (!w || sim_start(S, w) < 0 || sym_init(&y, S, w) < 0) {
		snprintf(why, len, "%s", S->failed ? S->err : "out of memory");
		free(w);
		return -2;
	}
	uint64_t cls = class_of(&y, f);
	for (uint64_t v = cpus & (cpus - 1); v && bad < 0; v &= v - 1) {
		int c = __builtin_ctzll(v);
		if (static_diff(S, &y, f, c, why, len))
			bad = c;
		else if (y.off)
			bad = c, snprintf(why, len, "%s", y.off);
		else if (!(cls >> c & 1))
			bad = c, snprintf(why, len, "CPU#%d differs from CPU#%d in its start state", c, f);
	}
	sym_free(&y);
	free(w);
	return bad;
}

int sym_check(const Program *P, const char *model, uint64_t cpus, char *why, size_t len)
{
	Sim S;
	if (sim_init(&S, P, model, why, len) < 0)
		return -2;
	int rc = check_declared(&S, cpus, why, len);
	sim_free(&S);
	return rc;
}

/* sim/flush.c: the TLB flush machinery (arch/x86/mm/tlb.c, include/linux/mm_types.h).
 * One shootdown that every flushing step shares: invalidate this CPU's
 * entries of a page range, IPI the other CPUs of a mask, wait for their
 * acks; the IPI handler; the flush steps flush_tlb_page,
 * flush_tlb_range and flush_tlb_mm; and the mmu_gather of each CPU
 * (FlushState.tlb: a range and deferred put_pages, freed only once the
 * range's flush is done), reclaim's batched unmap flush
 * (FlushState.ubc: the CPUs owed a full flush) and each mm's
 * tlb_flush_pending count (MmState); and what a system call's return
 * promises (syscall_exit_to_user_mode: the TLB_REVOKED marks that make a
 * later access through a translation it revoked stale_access).
 * Owns CpuState's flush bookkeeping: a shootdown's start sets flush_mm,
 * flush_vpn, flush_end, flush_targets and acks (the targets' ipi_from
 * bits) and enters PH_WAIT; each target's handler acks once; the step's
 * next phase (acks == 0) zeroes them all again.  Entries a flush aims at
 * on CPUs it does not IPI are DOOMED at its start and STALE at its end. */
#include "sim/execInt.h"
#include <stdio.h>
#include <string.h>
#include <inttypes.h>

/* One shootdown: the pages [lo, hi) of mm (TLB_ANY_MM: of every mm, a
 * full flush), invalidated on this CPU if local, and IPIs to targets
 * (never this CPU).  mms: for a full flush, the mms (index < 64) whose
 * entries it aims at, for the DOOMED/STALE marks; else unused. */
typedef struct Shootdown {
	int mm;
	uint32_t lo, hi;
	uint64_t targets, mms;
	int local;
} Shootdown;

#define VPN_ALL UINT32_MAX      /* hi of a whole-mm range */

/* Marks (stale = 0: DOOMED) or converts (stale = 1: DOOMED to STALE)
 * CPU t's entries that the flush of (mm, mms, [lo, hi)) aims at. */
static void sd_mark(Sim *S, uint8_t *w, int t, int mm, uint64_t mms, uint32_t lo, uint32_t hi, int stale)
{
	TlbEntry *e = w_tlb(&S->L, w, t);
	for (int m = 0; m < S->L.nmms; m++) {
		if (mm == TLB_ANY_MM ? m >= 64 || !(mms >> m & 1) : m != mm)
			continue;
		if (stale)
			tlb_doom_to_stale_range(e, S->L.tlb_size, m, lo, hi);
		else
			tlb_mark_range(e, S->L.tlb_size, m, lo, hi, TLB_DOOMED);
	}
}

/* Starts shootdown d for step s of CPU c: the local invalidation, the
 * marks and the IPIs; the step waits in PH_WAIT.  Returns R_STAY. */
static int sd_start(Sim *S, uint8_t *w, int c, const Step *s, const Shootdown *d)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	char who[128] = "";
	size_t n = 0;
	if (d->local)
		tlb_invalidate_range(w_tlb(&S->L, w, c), S->L.tlb_size, d->mm, d->lo, d->hi);
	for (int t = 0; t < S->L.ncpu; t++) {
		if (t == c)
			continue;
		sd_mark(S, w, t, d->mm, d->mms, d->lo, d->hi, 0);
		if (d->targets >> t & 1) {
			w_cpu(&S->L, w, t)->ipi_from |= 1ull << c;
			if (n < sizeof who)
				n += (size_t)snprintf(who + n, sizeof who - n, "%sCPU#%d", n ? ", " : "", t);
		}
	}
	cs->acks = (uint16_t)__builtin_popcountll(d->targets);
	cs->flush_mm = (uint16_t)d->mm;
	cs->flush_vpn = d->lo;
	cs->flush_end = d->hi;
	cs->flush_targets = d->targets;
	S->lat += S->P->cost.ipi_send;
	ex_event(S, w, c, "%s: %s%s%s", s->text, d->local ? "local flush" : "no local flush (not in the cpumask)",
	         n ? ", IPI to " : ", no other CPU to IPI", who);
	cs->phase = PH_WAIT;
	return R_STAY;
}

/* Ends CPU c's shootdown (every ack in): the entries it aimed at on CPUs
 * it did not IPI are STALE now (mms as in Shootdown), and the
 * bookkeeping is zero again.  The caller moves the pc on. */
static void sd_finish(Sim *S, uint8_t *w, int c, const Step *s, uint64_t mms)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	for (int t = 0; t < S->L.ncpu; t++)
		if (t != c && !(cs->flush_targets >> t & 1))
			sd_mark(S, w, t, cs->flush_mm, mms, cs->flush_vpn, cs->flush_end, 1);
	if (cs->flush_targets)
		ex_event(S, w, c, "%s: all IPIs acked", prog_ops[s->op].name);
	cs->flush_mm = 0;
	cs->flush_vpn = cs->flush_end = 0;
	cs->flush_targets = 0;
	cs->phase = PH_START;
}

/* What the IPI handler of CPU c did for the shootdown of CPU from, that
 * invalidated had entries, into buf. */
static void handler_text(Sim *S, const CpuState *fs, int had, char *buf, size_t len)
{
	if (fs->flush_mm == TLB_ANY_MM)
		snprintf(buf, len, "flush the whole TLB (%d entr%s)", had, had == 1 ? "y" : "ies");
	else if (fs->flush_end == fs->flush_vpn + 1)
		snprintf(buf, len, "%s 0x%" PRIx64, had ? "invalidate TLB entry" : "no TLB entry for",
		         (uint64_t)fs->flush_vpn << 12);
	else if (fs->flush_vpn == 0 && fs->flush_end == VPN_ALL)
		snprintf(buf, len, "flush mm %s (%d entr%s)", S->P->mms[fs->flush_mm], had, had == 1 ? "y" : "ies");
	else
		snprintf(buf, len, "invalidate %d TLB entr%s in 0x%" PRIx64 "-0x%" PRIx64, had, had == 1 ? "y" : "ies",
		         (uint64_t)fs->flush_vpn << 12, (uint64_t)fs->flush_end << 12);
}

int fl_take_ipis(Sim *S, uint8_t *w, int c)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	char what[96];
	for (int from = 0; from < S->L.ncpu; from++) {
		if (!(cs->ipi_from >> from & 1))
			continue;
		CpuState *fs = w_cpu(&S->L, w, from);
		int had = tlb_invalidate_range(w_tlb(&S->L, w, c), S->L.tlb_size, fs->flush_mm, fs->flush_vpn,
		                               fs->flush_end);
		fs->acks--;
		handler_text(S, fs, had, what, sizeof what);
		ex_ipi_event(S, w, c, from, "IPI from CPU#%d: flush handler: %s, ack", from, what);
	}
	cs->ipi_from = 0;
	S->lat += S->P->cost.ipi_delivery;
	return 0;
}

int fl_can_run(Sim *S, uint8_t *w, int c)
{
	const CpuState *cs = w_cpu(&S->L, w, c);
	return cs->phase == PH_START || cs->acks == 0;
}

/* The pages [*lo, *hi) of the byte range [start, end): the pages it
 * touches, as x86's flush loop invalidates them. */
static void page_span(uint64_t start, uint64_t end, uint32_t *lo, uint32_t *hi)
{
	uint64_t l = start >> 12, h = (end >> 12) + ((end & 4095) != 0);
	*lo = (uint32_t)(l < VPN_ALL ? l : VPN_ALL);
	*hi = (uint32_t)(h < VPN_ALL ? h : VPN_ALL);
}

/* The shootdown of flush_tlb_page(vma, address), flush_tlb_range(vma,
 * start, end) or flush_tlb_mm(mm): local, and IPIs to the other CPUs of
 * mm_cpumask(mm).  Returns 0, or -1 after reporting a bad operand. */
static int flush_of(Sim *S, uint8_t *w, int c, const Step *s, Shootdown *d)
{
	int mm = ex_obj(S, w, c, s, 0, s->op == OP_FLUSH_TLB_MM ? HK_MM : HK_VMA);
	if (mm < 0)
		return -1;
	if (s->op != OP_FLUSH_TLB_MM)
		mm = S->P->vmas[mm].mm;
	uint64_t a = s->nargs > 1 ? ex_opv(S, w, c, s, 1) : 0, b = s->nargs > 2 ? ex_opv(S, w, c, s, 2) : 0;
	*d = (Shootdown){ .mm = mm, .lo = 0, .hi = VPN_ALL, .targets = S->cpumask[mm] & ~(1ull << c), .local = 1 };
	if (s->op == OP_FLUSH_TLB_PAGE) {
		d->lo = (uint32_t)(a >> 12);
		d->hi = d->lo + (d->lo < VPN_ALL);
	} else if (s->op == OP_FLUSH_TLB_RANGE) {
		if (a > b) {
			ex_fail(S, s, "flush_tlb_range: start 0x%" PRIx64 " is above end 0x%" PRIx64, a, b);
			return -1;
		}
		page_span(a, b, &d->lo, &d->hi);
	}
	return 0;
}

/* flush_tlb_page, flush_tlb_range, flush_tlb_mm: the shootdown, then
 * (every ack in) the next step. */
static int flush_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	Shootdown d;
	if (cs->phase != PH_START) {
		sd_finish(S, w, c, s, 0);
		return ex_next(S, w, c, 0);
	}
	if (flush_of(S, w, c, s, &d) < 0)
		return R_ERR;
	return sd_start(S, w, c, s, &d);
}

int sim_op_shoots_down(int op)
{
	switch (op) {
	case OP_FLUSH_TLB_PAGE: case OP_FLUSH_TLB_RANGE: case OP_FLUSH_TLB_MM:
	case OP_TLB_FLUSH_MMU: case OP_TLB_FINISH_MMU:
	case OP_TRY_TO_UNMAP_FLUSH: case OP_TRY_TO_UNMAP_FLUSH_DIRTY:
		return 1;
	default:
		return 0;
	}
}

/* ---- mmu_gather ---- */

static GatherState *gather(Sim *S, uint8_t *w, int c)
{
	return &w_flush(&S->L, w, c)->tlb;
}

/* CPU c's mmu_gather, which step s needs in use: NULL after reporting
 * a scenario error if it is not. */
static GatherState *gather_in_use(Sim *S, uint8_t *w, int c, const Step *s)
{
	GatherState *g = gather(S, w, c);
	if (!g->active)
		ex_fail(S, s, "%s without tlb_gather_mmu: CPU#%d's mmu_gather is not in use", prog_ops[s->op].name, c);
	return g->active ? g : NULL;
}

/* tlb_gather_mmu(mm, start, end). */
static int gather_mmu(Sim *S, uint8_t *w, int c, const Step *s)
{
	GatherState *g = gather(S, w, c);
	int mm = ex_obj(S, w, c, s, 0, HK_MM);
	uint64_t start = ex_opv(S, w, c, s, 1), end = ex_opv(S, w, c, s, 2);
	if (mm < 0)
		return R_ERR;
	if (g->active)
		return ex_fail(S, s, "tlb_gather_mmu: CPU#%d's mmu_gather is in use (no tlb_finish_mmu since its "
		               "tlb_gather_mmu)", c);
	if (start > end)
		return ex_fail(S, s, "tlb_gather_mmu: start 0x%" PRIx64 " is above end 0x%" PRIx64, start, end);
	memset(g, 0, sizeof *g);
	g->active = 1;
	g->mm = (uint8_t)mm;
	g->fullmm = start == 0 && end == UINT64_MAX;
	int32_t n = ++w_mm(&S->L, w, mm)->tlb_flush_pending;
	ex_event(S, w, c, "%s%s: tlb_flush_pending %d -> %d", s->text, g->fullmm ? ": fullmm" : "", n - 1, n);
	return ex_next(S, w, c, S->P->cost.local);
}

/* tlb_remove_tlb_entry(mm, address): __tlb_adjust_range by one page. */
static int remove_tlb_entry(Sim *S, uint8_t *w, int c, const Step *s)
{
	GatherState *g = gather_in_use(S, w, c, s);
	int mm = ex_obj(S, w, c, s, 0, HK_MM);
	if (!g || mm < 0)
		return R_ERR;
	if (mm != g->mm)
		return ex_fail(S, s, "tlb_remove_tlb_entry: mm %s is not the mmu_gather's mm %s", S->P->mms[mm],
		               S->P->mms[g->mm]);
	uint32_t vpn = (uint32_t)(ex_opv(S, w, c, s, 1) >> 12);
	if (!g->end || vpn < g->start)
		g->start = vpn;
	if (vpn + 1 > g->end)
		g->end = vpn + (vpn < VPN_ALL);
	ex_event(S, w, c, "%s: range 0x%" PRIx64 "-0x%" PRIx64, s->text, (uint64_t)g->start << 12, (uint64_t)g->end << 12);
	return ex_next(S, w, c, S->P->cost.local);
}

/* tlb_remove_page(page): the page's put_page waits for the flush. */
static int remove_page(Sim *S, uint8_t *w, int c, const Step *s)
{
	GatherState *g = gather_in_use(S, w, c, s);
	int pfn = ex_obj(S, w, c, s, 0, HK_PAGE);
	if (!g || pfn < 0)
		return R_ERR;
	if (g->nr == MMU_GATHER_BUNDLE)
		return ex_fail(S, s, "tlb_remove_page: CPU#%d's mmu_gather holds %d pages already (MMU_GATHER_BUNDLE): "
		               "tlb_flush_mmu first", c, MMU_GATHER_BUNDLE);
	g->pages[g->nr++] = (uint16_t)pfn;
	ex_event(S, w, c, "%s: put_page deferred (%d in the batch)", s->text, g->nr);
	return ex_next(S, w, c, S->P->cost.local);
}

/* tlb_flush_mmu_free: put_page of each deferred page, in order; the
 * batch is empty again.  Returns R_NEXT, or R_STAY after a bug_on (a
 * page with no reference left). */
static int gather_free(Sim *S, uint8_t *w, int c, const Step *s, GatherState *g)
{
	for (int i = 0; i < g->nr; i++) {
		int pfn = g->pages[i];
		PageState *pg = (PageState *)(w + S->L.page) + pfn;
		if (pg->count <= 0)
			return ex_bug(S, w, c, s, "put_page of a page with no reference: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
		ex_event(S, w, c, "%s: put_page(%s): page_count %d -> %d", prog_ops[s->op].name,
		         S->P->pages[pfn - 1].name, pg->count, pg->count - 1);
		pg_put_ref(S, w, c, pfn);
	}
	memset(g->pages, 0, sizeof g->pages);
	g->nr = 0;
	return R_NEXT;
}

/* The end of tlb_flush_mmu and tlb_finish_mmu, the flush done: the
 * range starts anew (__tlb_reset_range), the deferred pages are put,
 * and tlb_finish_mmu frees the gather. */
static int gather_done(Sim *S, uint8_t *w, int c, const Step *s, GatherState *g)
{
	g->start = g->end = 0;
	if (gather_free(S, w, c, s, g) != R_NEXT)
		return R_STAY;
	if (s->op == OP_TLB_FINISH_MMU) {
		MmState *ms = w_mm(&S->L, w, g->mm);
		ms->tlb_flush_pending--;
		ex_event(S, w, c, "%s: dec_tlb_flush_pending: %d -> %d", prog_ops[s->op].name, ms->tlb_flush_pending + 1,
		         ms->tlb_flush_pending);
		memset(g, 0, sizeof *g);
	}
	return ex_next(S, w, c, 0);
}

/* tlb_finish_mmu(start, end): with another gather of the mm pending
 * (mm_tlb_flush_nested), a PTE this gather found none may have been
 * cleared by that one, whose flush is not done: the range grows by
 * [start, end) to force the flush (__tlb_adjust_range, as the 2017
 * MADV_DONTNEED fix does).  Returns 0, or -1 after an error (start > end). */
static int finish_force(Sim *S, uint8_t *w, int c, const Step *s, GatherState *g)
{
	uint64_t start = ex_opv(S, w, c, s, 0), end = ex_opv(S, w, c, s, 1);
	uint32_t lo, hi;
	if (start > end) {
		ex_fail(S, s, "tlb_finish_mmu: start 0x%" PRIx64 " is above end 0x%" PRIx64, start, end);
		return -1;
	}
	if (w_mm(&S->L, w, g->mm)->tlb_flush_pending <= 1 || start == end)
		return 0;
	page_span(start, end, &lo, &hi);
	if (!g->end || lo < g->start)
		g->start = lo;
	if (hi > g->end)
		g->end = hi;
	ex_event(S, w, c, "%s: mm_tlb_flush_nested: the flush of 0x%" PRIx64 "-0x%" PRIx64 " is forced", s->text,
	         (uint64_t)lo << 12, (uint64_t)hi << 12);
	return 0;
}

/* tlb_flush_mmu and tlb_finish_mmu: the shootdown of the gathered range
 * (none if it is empty: tlb_flush_mmu_tlbonly's !tlb->end), then
 * gather_done. */
static int gather_flush(Sim *S, uint8_t *w, int c, const Step *s)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	GatherState *g = gather_in_use(S, w, c, s);
	if (!g)
		return R_ERR;
	if (cs->phase != PH_START) {
		sd_finish(S, w, c, s, 0);
		return gather_done(S, w, c, s, g);
	}
	if (s->op == OP_TLB_FINISH_MMU && finish_force(S, w, c, s, g) < 0)
		return R_ERR;
	if (!g->fullmm && !g->end) {
		ex_event(S, w, c, "%s: no range gathered, no flush", s->text);
		return gather_done(S, w, c, s, g);
	}
	Shootdown d = { .mm = g->mm, .lo = g->fullmm ? 0 : g->start, .hi = g->fullmm ? VPN_ALL : g->end,
	                .targets = S->cpumask[g->mm] & ~(1ull << c), .local = 1 };
	return sd_start(S, w, c, s, &d);
}

/* ---- reclaim's batched unmap flush (tlb_ubc) ---- */

static UbcState *ubc(Sim *S, uint8_t *w, int c)
{
	return &w_flush(&S->L, w, c)->ubc;
}

/* set_tlb_ubc_flush_pending(mm, writable). */
static int ubc_add(Sim *S, uint8_t *w, int c, const Step *s)
{
	UbcState *u = ubc(S, w, c);
	int mm = ex_obj(S, w, c, s, 0, HK_MM);
	if (mm < 0)
		return R_ERR;
	u->cpumask |= S->cpumask[mm];
	if (mm < 64)
		u->mms |= 1ull << mm;
	u->flush_required = 1;
	if (ex_opv(S, w, c, s, 1))
		u->writable = 1;
	ex_event(S, w, c, "%s: flush owed to %d CPU%s%s", s->text, __builtin_popcountll(u->cpumask),
	         __builtin_popcountll(u->cpumask) == 1 ? "" : "s", u->writable ? ", writable" : "");
	return ex_next(S, w, c, S->P->cost.local);
}

/* try_to_unmap_flush and try_to_unmap_flush_dirty: the full flush of
 * the batch's CPUs, if one is owed (for _dirty: and writable). */
static int ubc_flush(Sim *S, uint8_t *w, int c, const Step *s)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	UbcState *u = ubc(S, w, c);
	if (cs->phase != PH_START) {
		sd_finish(S, w, c, s, u->mms);
		memset(u, 0, sizeof *u);
		return ex_next(S, w, c, 0);
	}
	if (!u->flush_required || (s->op == OP_TRY_TO_UNMAP_FLUSH_DIRTY && !u->writable)) {
		ex_event(S, w, c, "%s: %s", s->text, u->flush_required ? "no writable PTE unmapped, no flush" : "no flush owed");
		return ex_next(S, w, c, S->P->cost.local);
	}
	Shootdown d = { .mm = TLB_ANY_MM, .lo = 0, .hi = VPN_ALL, .targets = u->cpumask & ~(1ull << c),
	                .mms = u->mms, .local = (int)(u->cpumask >> c & 1) };
	return sd_start(S, w, c, s, &d);
}

/* ---- mm->tlb_flush_pending ---- */

/* inc_tlb_flush_pending, dec_tlb_flush_pending, mm_tlb_flush_pending,
 * mm_tlb_flush_nested (the reads may run in outcome checks too). */
static int pending_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int mm = ex_obj(S, w, c, s, 0, HK_MM);
	if (mm < 0)
		return R_ERR;
	MmState *ms = w_mm(&S->L, w, mm);
	int32_t old = ms->tlb_flush_pending;
	if (s->op == OP_MM_TLB_FLUSH_PENDING || s->op == OP_MM_TLB_FLUSH_NESTED) {
		int v = s->op == OP_MM_TLB_FLUSH_PENDING ? old > 0 : old > 1;
		ex_setdst(S, w, c, s, (uint64_t)v);
		ex_event(S, w, c, "%s = %d (tlb_flush_pending %d)", s->text, v, old);
		return ex_next(S, w, c, S->P->cost.mem);
	}
	if (s->op == OP_DEC_TLB_FLUSH_PENDING && old <= 0)
		return ex_fail(S, s, "dec_tlb_flush_pending: mm %s has no flush pending (tlb_flush_pending would go below 0)",
		               S->P->mms[mm]);
	if (s->op == OP_INC_TLB_FLUSH_PENDING && old == INT32_MAX)
		return ex_fail(S, s, "inc_tlb_flush_pending: mm %s's count overflows", S->P->mms[mm]);
	ms->tlb_flush_pending = old + (s->op == OP_INC_TLB_FLUSH_PENDING ? 1 : -1);
	ex_event(S, w, c, "%s: tlb_flush_pending %d -> %d", s->text, old, ms->tlb_flush_pending);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

int fl_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	switch (s->op) {
	case OP_INC_TLB_FLUSH_PENDING: case OP_DEC_TLB_FLUSH_PENDING:
	case OP_MM_TLB_FLUSH_PENDING: case OP_MM_TLB_FLUSH_NESTED:
		return pending_step(S, w, c, s);
	}
	if (c >= S->L.ncpu)
		return ex_fail(S, s, "%s: not in an outcome check (it runs on no CPU of the machine)", prog_ops[s->op].name);
	switch (s->op) {
	case OP_TLB_GATHER_MMU:       return gather_mmu(S, w, c, s);
	case OP_TLB_REMOVE_TLB_ENTRY: return remove_tlb_entry(S, w, c, s);
	case OP_TLB_REMOVE_PAGE:      return remove_page(S, w, c, s);
	case OP_TLB_FLUSH_MMU:
	case OP_TLB_FINISH_MMU:       return gather_flush(S, w, c, s);
	case OP_SET_TLB_UBC_FLUSH_PENDING: return ubc_add(S, w, c, s);
	case OP_TRY_TO_UNMAP_FLUSH:
	case OP_TRY_TO_UNMAP_FLUSH_DIRTY: return ubc_flush(S, w, c, s);
	default:                      return flush_step(S, w, c, s);
	}
}

/* ---- the end of a system call ---- */

/* TLB_REVOKED, TLB_REVOKED_W or 0: what the current PTE of entry e of
 * mm no longer allows it.  Revoked: the vma left the tree, or the PTE is
 * not valid to the MMU or maps another frame.  Revoked for stores: the
 * entry caches W over a PTE the MMU may not write through, or D over a
 * clean PTE (a store through it would skip the dirty update the PTE now
 * needs: MADV_FREE's contract). */
static uint8_t revoked(Sim *S, uint8_t *w, const TlbEntry *e, int mm)
{
	uint64_t addr = (uint64_t)e->vpn << 12;
	int vma = prog_vma_of(S->P, mm, addr), slot = prog_pte_slot(S->P, mm, addr);
	if (vma < 0 || slot < 0 || w_vma_detached(&S->L, w, vma))
		return TLB_REVOKED;
	pte_t p = ((const pte_t *)(w + S->L.pte))[slot];
	if (!S->arch->hw_valid(p) || arch_pfn(S->arch, p) != e->pfn)
		return TLB_REVOKED;
	if ((e->flags & TLB_W) && (!S->arch->hw_writable(p) || ((e->flags & TLB_D) && !S->arch->hw_dirty(p))))
		return TLB_REVOKED_W;
	return 0;
}

/* Marks CPU t's entries of mm in [lo, hi) that their PTEs no longer
 * allow; returns how many it marked (the procedure p names the call). */
static int revoke_cpu(Sim *S, uint8_t *w, int t, int mm, uint32_t lo, uint32_t hi, int p)
{
	TlbEntry *e = w_tlb(&S->L, w, t);
	int n = 0;
	for (int i = 0; i < S->L.tlb_size; i++) {
		if (!(e[i].flags & TLB_V) || e[i].mm != mm || e[i].vpn < lo || e[i].vpn >= hi)
			continue;
		uint8_t f = revoked(S, w, &e[i], mm);
		if (!f)
			continue;
		e[i].flags |= f;
		n++;
	}
	if (n)
		w_cpu(&S->L, w, t)->revoked_by = (uint16_t)(p + 1);
	return n;
}

int fl_syscall_exit(Sim *S, uint8_t *w, int c, const Step *s)
{
	int mm = ex_obj(S, w, c, s, 0, HK_MM), p = s->proc;
	uint64_t start = ex_opv(S, w, c, s, 1), end = ex_opv(S, w, c, s, 2);
	char who[160] = "";
	size_t n = 0;
	uint32_t lo, hi;
	if (mm < 0)
		return R_ERR;
	if (c >= S->L.ncpu)
		return ex_fail(S, s, "%s: not in an outcome check (it runs on no CPU of the machine)", prog_ops[s->op].name);
	if (start > end)
		return ex_fail(S, s, "%s: start 0x%" PRIx64 " is above end 0x%" PRIx64, prog_ops[s->op].name, start, end);
	page_span(start, end, &lo, &hi);
	for (int t = 0; t < S->L.ncpu; t++) {
		int k = revoke_cpu(S, w, t, mm, lo, hi, p);
		if (k && n < sizeof who)
			n += (size_t)snprintf(who + n, sizeof who - n, "%s%d on CPU#%d", n ? ", " : "", k, t);
	}
	ex_event(S, w, c, "%s: %s returns%s%s", s->text, S->P->procs[p].name, n ? "; TLB entries it revoked left: " : "",
	         who);
	return ex_next(S, w, c, S->P->cost.local);
}

/* sim/page.c: the life of a struct page: its reference count
 * (page->_refcount: get_page, put_page, page_count) and its map count
 * (page->_mapcount + 1: page_add_file_rmap, page_remove_rmap,
 * page_mapcount, page_mapped), and freeing on the last reference.  The
 * counts are machine state (PageState.count, .mapcount).
 *
 * Invariants the initial world sets up and the steps keep while kernel
 * code is balanced: a page in a page cache holds one reference for it;
 * each rmap a kernel path added is one mapcount; a page whose count drops
 * to 0 is freed (FRAME_FREE), and any access to it, PTE or TLB entry left
 * pointing at it is use_after_free.  Unbalanced code is reported where it
 * goes wrong, as the kernel's VM_BUG_ON_PAGE would: a bug_on at the step. */
#include "sim/execInt.h"
#include "sim/world.h"
#include <stdio.h>
#include <inttypes.h>

static PageState *page_at(uint8_t *w, Sim *S, int pfn)
{
	return (PageState *)(w + S->L.page) + pfn;
}

static const char *pname(Sim *S, int pfn)
{
	return S->P->pages[pfn - 1].name;
}

/* Tags every TLB entry still caching the frame at pfn (TLB_FREED): an
 * access through one is use_after_free even after the frame is
 * allocated again. */
static void tlb_mark_freed(Sim *S, uint8_t *w, int pfn)
{
	for (int c = 0; c < S->L.ncpu; c++) {
		TlbEntry *t = w_tlb(&S->L, w, c);
		for (int i = 0; i < S->L.tlb_size; i++)
			if ((t[i].flags & TLB_V) && t[i].pfn == pfn)
				t[i].flags |= TLB_FREED;
	}
}

/* page_ref_dec_and_test: drops one reference; the last one frees the
 * frame.  Returns 1 if it freed it.  The caller has checked count > 0. */
int pg_put_ref(Sim *S, uint8_t *w, int c, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	char note[96];
	if (--pg->count > 0)
		return 0;
	pg->frame |= FRAME_FREE;
	pg->flags = 0;                 /* free_pages_check: no flags on a free page */
	pg->mapcount = 0;
	tlb_mark_freed(S, w, pfn);
	snprintf(note, sizeof note, "last reference: %s (pfn %d) is freed%s", pname(S, pfn), pfn,
	         pg->mapping ? " while still in the page cache" : "");
	ex_note(S, w, c, note);
	return 1;
}

/* get_page and put_page (page_cache_get, page_cache_release: the 2.6
 * names of the same). */
static int ref_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int get = s->op == OP_GET_PAGE || s->op == OP_PAGE_CACHE_GET;   /* else put_page, __free_page */
	if (pg->count <= 0)
		return ex_bug(S, w, c, s, get ? "get_page of a freed page: VM_BUG_ON_PAGE(page_ref_count(page) <= 0)"
		                              : "put_page of a page with no reference: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	if (get)
		pg->count++;
	ex_event(S, w, c, "%s: page_count %d -> %d", s->text, get ? pg->count - 1 : pg->count, get ? pg->count : pg->count - 1);
	if (!get)
		pg_put_ref(S, w, c, pfn);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

/* get_page_unless_zero: a reference if the page still has one (gup_fast's
 * speculative pin, try_get_page), atomically; 1 if taken, 0 if the page
 * was freed meanwhile. */
static int ref_unless_zero(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int took = pg->count > 0;
	if (took)
		pg->count++;
	ex_setdst(S, w, c, s, (uint64_t)took);
	if (took)
		ex_event(S, w, c, "%s = 1: page_count %d -> %d", s->text, pg->count - 1, pg->count);
	else
		ex_event(S, w, c, "%s = 0: the page was freed", s->text);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

/* page_add_file_rmap and page_remove_rmap: the map count.  A page is
 * mapped by the PTEs the kernel accounted, not by the PTEs that exist:
 * between ptep_get_and_clear and page_remove_rmap it is still mapped. */
static int rmap_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int add = s->op != OP_PAGE_REMOVE_RMAP;
	if (pg->frame & FRAME_FREE)
		return ex_bug(S, w, c, s, "rmap of a freed page");
	if (s->op == OP_PAGE_ADD_NEW_ANON_RMAP && pg->mapcount)
		return ex_bug(S, w, c, s, "page_add_new_anon_rmap of a mapped page");
	if (s->op == OP_PAGE_ADD_FILE_RMAP && (pg->flags & PG_anon))
		return ex_bug(S, w, c, s, "page_add_file_rmap of an anonymous page");
	if ((s->op == OP_PAGE_ADD_ANON_RMAP || s->op == OP_PAGE_ADD_NEW_ANON_RMAP) && pg->mapping)
		return ex_bug(S, w, c, s, "anon rmap of a page-cache page");
	if (s->op == OP_PAGE_ADD_ANON_RMAP || s->op == OP_PAGE_ADD_NEW_ANON_RMAP)
		pg->flags |= PG_anon;
	if (s->op == OP_PAGE_ADD_NEW_ANON_RMAP)       /* __SetPageSwapBacked */
		pg->flags |= PG_swapbacked;
	if (!add && pg->mapcount <= 0)
		return ex_bug(S, w, c, s, "page_remove_rmap of an unmapped page: _mapcount below -1");
	pg->mapcount = (int16_t)(pg->mapcount + (add ? 1 : -1));
	ex_event(S, w, c, "%s: page_mapcount %d -> %d", s->text, pg->mapcount - (add ? 1 : -1), pg->mapcount);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

static int read_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int v = s->op == OP_PAGE_COUNT ? pg->count : s->op == OP_PAGE_MAPCOUNT ? pg->mapcount :
	        s->op == OP_PAGEANON ? (pg->flags & PG_anon) != 0 : pg->mapcount > 0;
	ex_setdst(S, w, c, s, (uint64_t)(int64_t)v);
	ex_event(S, w, c, "%s = %d", s->text, v);
	return ex_next(S, w, c, S->P->cost.mem);
}

/* A kernel write of len bytes (0: none) into frame pfn for step s: its
 * content changes, no dirty bit is set, and a freed frame is
 * use_after_free; the trace line says the new content version. */
static void kernel_write(Sim *S, uint8_t *w, int c, const Step *s, int pfn, uint64_t len)
{
	PageState *pg = page_at(w, S, pfn);
	if (len && (pg->frame & FRAME_FREE)) {
		w_hdr(w)->seen |= SEEN_USE_AFTER_FREE;
		ex_note(S, w, c, "the page was freed: use after free");
	}
	if (len)
		ex_frame_written(S, w, pfn, 0);
	ex_event(S, w, c, len ? "%s: %s content v%u" : "%s: nothing written", s->text, pname(S, pfn), pg->data);
}

/* A write into the frame that no MMU sees: a device's DMA, or the
 * kernel's through its linear mapping.  It sets no PTE or TLB dirty bit
 * and no PG_dirty; only the content (and a storage key, which the memory
 * keeps whoever writes).  A write to a freed frame is use_after_free. */
static int write_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	uint64_t b = s->nargs > 1 ? ex_opv(S, w, c, s, 1) : 0;
	uint64_t len = s->op == OP_MEMCPY_TO_PAGE ? ex_opv(S, w, c, s, 3) :
	               s->op == OP_ZERO_USER_SEGMENT ? (ex_opv(S, w, c, s, 2) > b ? ex_opv(S, w, c, s, 2) - b : 0) : 1;
	if (s->op != OP_DMA_TO_PAGE && (b > 4096 || len > 4096 - b))
		return ex_fail(S, s, "%s: bytes %" PRIu64 " to %" PRIu64 " are past the end of the page", prog_ops[s->op].name,
		               b, b + len);
	kernel_write(S, w, c, s, pfn, len);
	return ex_next(S, w, c, s->op == OP_DMA_TO_PAGE ? S->P->cost.io : S->P->cost.mem);
}

/* copy_to_user_page(vma, page, vaddr, dst, src, len): the kernel's write
 * of len bytes at offset dst into the page gup found at vaddr of vma
 * (__access_remote_vm, the /proc/PID/mem and ptrace write), through its
 * own mapping of the page: the content changes, no dirty bit is set (its
 * caller's set_page_dirty_lock does that), and a page-cache page written
 * through a vma that may not write its file is write_to_readonly_file. */
int pg_copy_to_user_page(Sim *S, uint8_t *w, int c, const Step *s)
{
	int vma = ex_obj(S, w, c, s, 0, HK_VMA), pfn = ex_obj(S, w, c, s, 1, HK_PAGE);
	if (vma < 0 || pfn < 0)
		return R_ERR;
	if (S->P->pages[pfn - 1].nopage)
		return ex_fail(S, s, "copy_to_user_page: %s is a DAX block: it has no struct page", pname(S, pfn));
	uint64_t off = ex_opv(S, w, c, s, 3), len = ex_opv(S, w, c, s, 5);
	if (off > 4096 || len > 4096 - off)
		return ex_fail(S, s, "copy_to_user_page: bytes %" PRIu64 " to %" PRIu64 " are past the end of the page",
		               off, off + len);
	kernel_write(S, w, c, s, pfn, len);
	if (len)
		ex_write_through(S, w, c, vma, pfn);
	return ex_next(S, w, c, S->P->cost.mem);
}

/* copy_user_highpage(to, from, vaddr, vma), copy_highpage(to, from): to
 * gets from's content. */
static int copy_step(Sim *S, uint8_t *w, int c, const Step *s, int to)
{
	int from = ex_obj(S, w, c, s, 1, HK_PAGE);
	if (from < 0)
		return R_ERR;
	if (S->P->pages[from - 1].nopage)
		return ex_fail(S, s, "%s: %s is a DAX block: it has no struct page", prog_ops[s->op].name, pname(S, from));
	PageState *dst = page_at(w, S, to), *src = page_at(w, S, from);
	if ((dst->frame | src->frame) & FRAME_FREE) {
		w_hdr(w)->seen |= SEEN_USE_AFTER_FREE;
		ex_note(S, w, c, "a freed page: use after free");
	}
	ex_frame_written(S, w, to, 0);
	dst->data = src->data;
	ex_event(S, w, c, "%s: %s content v%u (from %s)", s->text, pname(S, to), dst->data, pname(S, from));
	return ex_next(S, w, c, S->P->cost.mem);
}

int pg_alloc(Sim *S, uint8_t *w, int c, const Step *s)
{
	int pfn = 0;
	for (int i = 1; i <= S->P->npages && !pfn; i++)
		if (!S->P->pages[i - 1].nopage && (page_at(w, S, i)->frame & FRAME_FREE))
			pfn = i;
	if (pfn) {
		PageState *pg = page_at(w, S, pfn);
		pg->frame &= (uint8_t)~FRAME_FREE;
		pg->count = 1;
	}
	ex_setdst(S, w, c, s, pfn ? h_make(HK_PAGE, (uint64_t)pfn) : 0);
	ex_event(S, w, c, "%s = %s", s->text, pfn ? pname(S, pfn) : "NULL: no free frame");
	return ex_next(S, w, c, S->P->cost.mem);
}

int pg_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	switch (s->op) {
	case OP_COPY_USER_HIGHPAGE: case OP_COPY_HIGHPAGE:
		return copy_step(S, w, c, s, pfn);
	case OP___FREE_PAGE:
		return ref_step(S, w, c, s, pfn);
	case OP_PAGE_ADD_ANON_RMAP: case OP_PAGE_ADD_NEW_ANON_RMAP:
		return rmap_step(S, w, c, s, pfn);
	case OP_DMA_TO_PAGE: case OP_MEMCPY_TO_PAGE: case OP_ZERO_USER_SEGMENT:
		return write_step(S, w, c, s, pfn);
	case OP_GET_PAGE: case OP_PUT_PAGE: case OP_PAGE_CACHE_GET: case OP_PAGE_CACHE_RELEASE:
		return ref_step(S, w, c, s, pfn);
	case OP_GET_PAGE_UNLESS_ZERO:
		return ref_unless_zero(S, w, c, s, pfn);
	case OP_PAGE_ADD_FILE_RMAP: case OP_PAGE_REMOVE_RMAP:
		return rmap_step(S, w, c, s, pfn);
	default:
		return read_step(S, w, c, s, pfn);
	}
}

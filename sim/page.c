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

static PageState *page_at(uint8_t *w, Sim *S, int pfn)
{
	return (PageState *)(w + S->L.page) + pfn;
}

static const char *pname(Sim *S, int pfn)
{
	return S->P->pages[pfn - 1].name;
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
	int get = s->op == OP_GET_PAGE || s->op == OP_PAGE_CACHE_GET;
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

/* page_add_file_rmap and page_remove_rmap: the map count.  A page is
 * mapped by the PTEs the kernel accounted, not by the PTEs that exist:
 * between ptep_get_and_clear and page_remove_rmap it is still mapped. */
static int rmap_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int add = s->op == OP_PAGE_ADD_FILE_RMAP;
	if (pg->frame & FRAME_FREE)
		return ex_bug(S, w, c, s, "rmap of a freed page");
	if (!add && pg->mapcount <= 0)
		return ex_bug(S, w, c, s, "page_remove_rmap of an unmapped page: _mapcount below -1");
	pg->mapcount = (int16_t)(pg->mapcount + (add ? 1 : -1));
	ex_event(S, w, c, "%s: page_mapcount %d -> %d", s->text, pg->mapcount - (add ? 1 : -1), pg->mapcount);
	return ex_next(S, w, c, S->P->cost.pte_atomic);
}

static int read_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	PageState *pg = page_at(w, S, pfn);
	int v = s->op == OP_PAGE_COUNT ? pg->count : s->op == OP_PAGE_MAPCOUNT ? pg->mapcount : pg->mapcount > 0;
	ex_setdst(S, w, c, s, (uint64_t)(int64_t)v);
	ex_event(S, w, c, "%s = %d", s->text, v);
	return ex_next(S, w, c, S->P->cost.mem);
}

int pg_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	switch (s->op) {
	case OP_GET_PAGE: case OP_PUT_PAGE: case OP_PAGE_CACHE_GET: case OP_PAGE_CACHE_RELEASE:
		return ref_step(S, w, c, s, pfn);
	case OP_PAGE_ADD_FILE_RMAP: case OP_PAGE_REMOVE_RMAP:
		return rmap_step(S, w, c, s, pfn);
	default:
		return read_step(S, w, c, s, pfn);
	}
}

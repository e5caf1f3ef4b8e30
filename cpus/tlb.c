/* cpus/tlb.c: TLB lookup, fill and invalidation.  O(n) scans: TLBs here
 * hold a handful of entries, and a scan keeps the state canonical. */
#include "cpus/tlb.h"
#include <string.h>

int tlb_lookup(const TlbEntry *t, int n, int mm, uint32_t vpn)
{
	for (int i = 0; i < n; i++)
		if ((t[i].flags & TLB_V) && t[i].mm == mm && t[i].vpn == vpn)
			return i;
	return -1;
}

int tlb_fill(TlbEntry *t, int n, uint8_t *rr, int mm, uint32_t vpn,
             uint16_t pfn, uint8_t flags)
{
	int i = tlb_lookup(t, n, mm, vpn);
	if (i < 0) {
		for (i = 0; i < n && (t[i].flags & TLB_V); i++)
			;
		if (i == n) {
			i = *rr % n;
			*rr = (uint8_t)((i + 1) % n);
		}
	}
	t[i].vpn = vpn;
	t[i].pfn = pfn;
	t[i].mm = (uint8_t)mm;
	t[i].flags = (uint8_t)(flags | TLB_V);
	return i;
}

int tlb_invalidate(TlbEntry *t, int n, int mm, uint32_t vpn)
{
	int i = tlb_lookup(t, n, mm, vpn);
	if (i < 0)
		return 0;
	memset(&t[i], 0, sizeof t[i]);
	return 1;
}

void tlb_mark(TlbEntry *t, int n, int mm, uint32_t vpn, uint8_t f)
{
	int i = tlb_lookup(t, n, mm, vpn);
	if (i >= 0)
		t[i].flags |= f;
}

void tlb_doom_to_stale(TlbEntry *t, int n, int mm, uint32_t vpn)
{
	int i = tlb_lookup(t, n, mm, vpn);
	if (i >= 0 && (t[i].flags & TLB_DOOMED))
		t[i].flags = (uint8_t)((t[i].flags & ~TLB_DOOMED) | TLB_STALE);
}

/* 1 if entry e is valid, of mm (or mm is TLB_ANY_MM) and in [lo, hi). */
static int in_range(const TlbEntry *e, int mm, uint32_t lo, uint32_t hi)
{
	return (e->flags & TLB_V) && (mm == TLB_ANY_MM || e->mm == mm) && e->vpn >= lo && e->vpn < hi;
}

int tlb_invalidate_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (in_range(&t[i], mm, lo, hi)) {
			memset(&t[i], 0, sizeof t[i]);
			k++;
		}
	return k;
}

void tlb_mark_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi, uint8_t f)
{
	for (int i = 0; i < n; i++)
		if (in_range(&t[i], mm, lo, hi))
			t[i].flags |= f;
}

void tlb_doom_to_stale_range(TlbEntry *t, int n, int mm, uint32_t lo, uint32_t hi)
{
	for (int i = 0; i < n; i++)
		if (in_range(&t[i], mm, lo, hi) && (t[i].flags & TLB_DOOMED))
			t[i].flags = (uint8_t)((t[i].flags & ~TLB_DOOMED) | TLB_STALE);
}

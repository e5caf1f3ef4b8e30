/* tests/unit/test_tlb.c: unit tests of cpus/tlb.c: lookup, fill (new,
 * replacing the entry of the same page, round-robin victim), invalidate,
 * marking DOOMED and turning DOOMED into STALE. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cpus/tlb.h"

#define N 4

static void test_lookup_empty(void **state)
{
	TlbEntry t[N];
	(void)state;
	memset(t, 0, sizeof t);
	/* a zeroed entry has mm 0 and vpn 0, but is not valid */
	assert_int_equal(tlb_lookup(t, N, 0, 0), -1);
	assert_int_equal(tlb_lookup(t, N, 0, 0x10), -1);
	assert_int_equal(tlb_lookup(t, 0, 0, 0), -1);
}

static void test_fill_and_lookup(void **state)
{
	TlbEntry t[N];
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x10, 1, TLB_W), 0);
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x11, 2, TLB_W | TLB_D), 1);
	assert_int_equal(tlb_fill(t, N, &rr, 1, 0x10, 3, 0), 2);
	assert_int_equal(rr, 0);     /* free entries used: no victim taken */

	assert_int_equal(tlb_lookup(t, N, 0, 0x10), 0);
	assert_int_equal(tlb_lookup(t, N, 0, 0x11), 1);
	assert_int_equal(tlb_lookup(t, N, 1, 0x10), 2);   /* mm tells them apart */
	assert_int_equal(tlb_lookup(t, N, 1, 0x11), -1);
	assert_int_equal(tlb_lookup(t, N, 2, 0x10), -1);

	assert_int_equal(t[0].vpn, 0x10);
	assert_int_equal(t[0].pfn, 1);
	assert_int_equal(t[0].mm, 0);
	assert_int_equal(t[0].flags, TLB_V | TLB_W);     /* V added */
	assert_int_equal(t[1].flags, TLB_V | TLB_W | TLB_D);
	assert_int_equal(t[2].flags, TLB_V);
	assert_int_equal(t[2].pfn, 3);
	assert_int_equal(t[2].mm, 1);
	assert_int_equal(t[3].flags, 0);
}

static void test_fill_replaces_existing(void **state)
{
	TlbEntry t[N];
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	tlb_fill(t, N, &rr, 0, 0x10, 1, TLB_W | TLB_D);
	tlb_fill(t, N, &rr, 0, 0x20, 2, TLB_W);
	/* the same page again: its entry is rewritten in place */
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x10, 5, TLB_W), 0);
	assert_int_equal(t[0].pfn, 5);
	assert_int_equal(t[0].flags, TLB_V | TLB_W);     /* not ORed: D gone */
	assert_int_equal(rr, 0);
	/* still one entry per (mm, vpn) */
	int valid = 0;
	for (int i = 0; i < N; i++)
		valid += (t[i].flags & TLB_V) && t[i].vpn == 0x10 && t[i].mm == 0;
	assert_int_equal(valid, 1);
	assert_int_equal(t[2].flags, 0);
	/* also when the TLB is full: no victim is taken */
	tlb_fill(t, N, &rr, 0, 0x30, 3, 0);
	tlb_fill(t, N, &rr, 0, 0x40, 4, 0);
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x30, 7, TLB_D), 2);
	assert_int_equal(rr, 0);
	assert_int_equal(tlb_lookup(t, N, 0, 0x40), 3);
	assert_int_equal(tlb_lookup(t, N, 0, 0x10), 0);
}

static void test_round_robin_victim(void **state)
{
	TlbEntry t[N];
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	for (uint32_t v = 0; v < N; v++)
		assert_int_equal(tlb_fill(t, N, &rr, 0, 0x100 + v, (uint16_t)(v + 1), 0), (int)v);
	assert_int_equal(rr, 0);
	/* full: victims in order 0, 1, 2, 3, then 0 again */
	int expect[] = { 0, 1, 2, 3, 0, 1 };
	for (int k = 0; k < 6; k++) {
		uint32_t vpn = 0x200 + (uint32_t)k;
		assert_int_equal(tlb_fill(t, N, &rr, 0, vpn, 9, 0), expect[k]);
		assert_int_equal(rr, (expect[k] + 1) % N);
		assert_int_equal(tlb_lookup(t, N, 0, vpn), expect[k]);
	}
	/* the evicted pages are gone */
	for (uint32_t v = 0; v < N; v++)
		assert_int_equal(tlb_lookup(t, N, 0, 0x100 + v), -1);
	assert_int_equal(tlb_lookup(t, N, 0, 0x200), -1);   /* evicted by 0x204 */
	assert_int_equal(tlb_lookup(t, N, 0, 0x202), 2);
}

static void test_free_entry_before_victim(void **state)
{
	TlbEntry t[N];
	uint8_t rr = 1;
	(void)state;
	memset(t, 0, sizeof t);
	for (uint32_t v = 0; v < N; v++)
		tlb_fill(t, N, &rr, 0, v, 1, 0);
	assert_int_equal(rr, 1);
	assert_int_equal(tlb_invalidate(t, N, 0, 2), 1);
	/* the invalidated entry is reused; rr does not move */
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x77, 1, 0), 2);
	assert_int_equal(rr, 1);
	/* an rr beyond the size wraps */
	rr = 6;
	assert_int_equal(tlb_fill(t, N, &rr, 0, 0x78, 1, 0), 2);
	assert_int_equal(rr, 3);
}

static void test_invalidate(void **state)
{
	TlbEntry t[N], zero;
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	memset(&zero, 0, sizeof zero);
	tlb_fill(t, N, &rr, 0, 0x10, 1, TLB_W | TLB_D);
	tlb_fill(t, N, &rr, 1, 0x10, 2, TLB_W);
	assert_int_equal(tlb_invalidate(t, N, 0, 0x11), 0);
	assert_int_equal(tlb_invalidate(t, N, 2, 0x10), 0);
	assert_int_equal(tlb_invalidate(t, N, 0, 0x10), 1);
	/* the entry is wiped to zero bytes (canonical state) */
	assert_memory_equal(&t[0], &zero, sizeof zero);
	assert_int_equal(tlb_lookup(t, N, 0, 0x10), -1);
	/* the other mm's entry for the same vpn stays */
	assert_int_equal(tlb_lookup(t, N, 1, 0x10), 1);
	assert_int_equal(t[1].flags, TLB_V | TLB_W);
	assert_int_equal(tlb_invalidate(t, N, 0, 0x10), 0);
}

static void test_mark_doomed(void **state)
{
	TlbEntry t[N], before[N];
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	tlb_fill(t, N, &rr, 0, 0x10, 1, TLB_W);
	tlb_fill(t, N, &rr, 0, 0x11, 2, TLB_W | TLB_D);
	tlb_mark(t, N, 0, 0x10, TLB_DOOMED);
	assert_int_equal(t[0].flags, TLB_V | TLB_W | TLB_DOOMED);
	assert_int_equal(t[1].flags, TLB_V | TLB_W | TLB_D);
	/* a DOOMED entry still translates */
	assert_int_equal(tlb_lookup(t, N, 0, 0x10), 0);
	/* marking a page that is not cached changes nothing */
	memcpy(before, t, sizeof t);
	tlb_mark(t, N, 0, 0x12, TLB_DOOMED);
	tlb_mark(t, N, 3, 0x10, TLB_DOOMED);
	assert_memory_equal(t, before, sizeof t);
	/* nor does marking an invalid entry that happens to match */
	tlb_invalidate(t, N, 0, 0x11);
	t[1].vpn = 0x11;
	tlb_mark(t, N, 0, 0x11, TLB_DOOMED);
	assert_int_equal(t[1].flags, 0);
}

static void test_doom_to_stale(void **state)
{
	TlbEntry t[N];
	uint8_t rr = 0;
	(void)state;
	memset(t, 0, sizeof t);
	tlb_fill(t, N, &rr, 0, 0x10, 1, TLB_W | TLB_D);
	tlb_fill(t, N, &rr, 0, 0x11, 2, TLB_W);
	tlb_mark(t, N, 0, 0x10, TLB_DOOMED);
	tlb_doom_to_stale(t, N, 0, 0x10);
	assert_int_equal(t[0].flags, TLB_V | TLB_W | TLB_D | TLB_STALE);
	assert_int_equal(tlb_lookup(t, N, 0, 0x10), 0);
	/* an entry that was not DOOMED does not become STALE */
	tlb_doom_to_stale(t, N, 0, 0x11);
	assert_int_equal(t[1].flags, TLB_V | TLB_W);
	/* nor a page that is not cached */
	tlb_doom_to_stale(t, N, 0, 0x12);
	assert_int_equal(t[2].flags, 0);
	/* a second conversion is harmless */
	tlb_doom_to_stale(t, N, 0, 0x10);
	assert_int_equal(t[0].flags, TLB_V | TLB_W | TLB_D | TLB_STALE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_empty),
		cmocka_unit_test(test_fill_and_lookup),
		cmocka_unit_test(test_fill_replaces_existing),
		cmocka_unit_test(test_round_robin_victim),
		cmocka_unit_test(test_free_entry_before_victim),
		cmocka_unit_test(test_invalidate),
		cmocka_unit_test(test_mark_doomed),
		cmocka_unit_test(test_doom_to_stale),
	};
	return cmocka_run_group_tests_name("tlb", tests, NULL, NULL);
}

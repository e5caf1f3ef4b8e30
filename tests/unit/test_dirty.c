/* tests/unit/test_dirty.c: unit tests of cpus/dirty.c: the dirty-bit
 * step of the validating and blind models on present-writable,
 * present-read-only and cleared PTEs, the x86 page walk, and the model
 * table (dirty_find, dirty_model). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cpus/dirty.h"

static const DirtyModel *model(const char *name)
{
	const DirtyModel *m = dirty_find(name);
	assert_non_null(m);
	return m;
}

/* Runs m's dirty-bit step on *pte; checks the scratch word is left alone
 * by these one-step models and a note is given. */
static int set_dirty(const DirtyModel *m, pte_t *pte)
{
	uint64_t scratch = 0;
	const char *note = NULL;
	int r = m->set_dirty(pte, 0, &scratch, &note);
	assert_non_null(note);
	assert_true(strlen(note) > 0);
	assert_int_equal(scratch, 0);
	return r;
}

static void test_table(void **state)
{
	(void)state;
	assert_non_null(dirty_model(0));
	assert_non_null(dirty_model(1));
	assert_null(dirty_model(2));
	assert_null(dirty_model(-1));
	assert_string_equal(dirty_model(0)->name, "validating");
	assert_string_equal(dirty_model(1)->name, "blind");
	for (int i = 0; dirty_model(i); i++) {
		const DirtyModel *m = dirty_model(i);
		assert_ptr_equal(dirty_find(m->name), m);
		assert_non_null(m->summary);
		assert_true(strlen(m->summary) > 0);
		assert_non_null(m->set_dirty);
		assert_non_null(m->walk);
	}
	assert_null(dirty_find("nope"));
	assert_null(dirty_find(""));
	assert_null(dirty_find("Blind"));        /* names are exact */
	assert_null(dirty_find("validatin"));
}

static void test_validating_present_writable(void **state)
{
	const DirtyModel *m = model("validating");
	pte_t p = 0x1027;
	(void)state;
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
	/* A is set too when it was clear */
	p = 0x1007;
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
}

static void test_validating_readonly_faults(void **state)
{
	const DirtyModel *m = model("validating");
	pte_t p = 0x1025;
	(void)state;
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1025);            /* untouched */
}

static void test_validating_nonpresent_faults(void **state)
{
	const DirtyModel *m = model("validating");
	pte_t p = 0;
	(void)state;
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0);                 /* no "dirty zero" */
	/* P=0 with RW and a pfn left (a swap-like entry): still a fault */
	p = 0x1066;
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1066);
}

static void test_blind_present_writable(void **state)
{
	const DirtyModel *m = model("blind");
	pte_t p = 0x1027;
	(void)state;
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
}

static void test_blind_readonly(void **state)
{
	const DirtyModel *m = model("blind");
	pte_t p = 0x1025;
	(void)state;
	/* blind: D goes in whatever the PTE says now, and the store lands */
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1065);
}

static void test_blind_nonpresent(void **state)
{
	const DirtyModel *m = model("blind");
	pte_t p = 0;
	(void)state;
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x40);              /* the "dirty zero" */
	assert_false(pte_present(p));
	assert_true(pte_none(p));
}

static void test_walk(void **state)
{
	(void)state;
	/* both models walk like x86 */
	for (int i = 0; dirty_model(i); i++) {
		const DirtyModel *m = dirty_model(i);
		const char *note = NULL;
		pte_t p;

		p = 0x1007;                      /* present, writable, not accessed */
		assert_int_equal(m->walk(&p, 0, &note), 1);
		assert_int_equal(p, 0x1027);      /* read: A only */
		assert_string_equal(note, "walk: set A, fill TLB");

		p = 0x1007;
		assert_int_equal(m->walk(&p, 1, &note), 1);
		assert_int_equal(p, 0x1067);      /* write: A and D */
		assert_string_equal(note, "walk: set A|D, fill TLB");

		p = 0x1005;                      /* read-only */
		assert_int_equal(m->walk(&p, 0, &note), 1);
		assert_int_equal(p, 0x1025);
		p = 0x1005;
		assert_int_equal(m->walk(&p, 1, &note), 0);
		assert_int_equal(p, 0x1005);      /* a fault changes nothing */
		assert_string_equal(note, "walk: PTE read-only: page fault");

		for (int write = 0; write <= 1; write++) {
			p = 0;
			assert_int_equal(m->walk(&p, write, &note), 0);
			assert_int_equal(p, 0);
			assert_string_equal(note, "walk: PTE not present: page fault");
			p = 0x40;                    /* dirty zero: still not present */
			assert_int_equal(m->walk(&p, write, &note), 0);
			assert_int_equal(p, 0x40);
			assert_string_equal(note, "walk: PTE not present: page fault");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_validating_present_writable),
		cmocka_unit_test(test_validating_readonly_faults),
		cmocka_unit_test(test_validating_nonpresent_faults),
		cmocka_unit_test(test_blind_present_writable),
		cmocka_unit_test(test_blind_readonly),
		cmocka_unit_test(test_blind_nonpresent),
		cmocka_unit_test(test_walk),
	};
	return cmocka_run_group_tests_name("dirty", tests, NULL, NULL);
}

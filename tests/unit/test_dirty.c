/* tests/unit/test_dirty.c: unit tests of cpus/dirty.c: the model table
 * (dirty_find, dirty_model, names, summaries, DM_* flags), the dirty-bit
 * step of every model on present-writable, present-read-only and cleared
 * PTEs (nonatomic's two phases included), the x86 page walk of the models
 * that use it, and the walks of swfault and storagekey. */
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
	int r = m->set_dirty(dirty_arch(m), pte, 0, &scratch, &note);
	assert_non_null(note);
	assert_true(strlen(note) > 0);
	assert_int_equal(scratch, 0);
	return r;
}

/* The models, in table order, with their DM_* flags. */
static const struct { const char *name, *arch; unsigned flags; } expect[] = {
	{ "validating", "x86", 0 },
	{ "blind", "x86", 0 },
	{ "knl4", "x86", 0 },
	{ "precet", "x86", 0 },
	{ "nonatomic", "x86", 0 },
	{ "swfault", "x86", DM_SW_DIRTY },
	{ "storagekey", "x86", DM_STORAGE_KEY },
	{ "hafdbs", "arm64", 0 },
	{ "armv8.0", "arm64", DM_SW_DIRTY },
	{ "nonatomic-arm64", "arm64", 0 },
	{ "svadu", "riscv", 0 },
	{ "svade", "riscv", DM_SW_DIRTY },
	{ "nonatomic-riscv", "riscv", 0 },
};
#define NMODELS ((int)(sizeof expect / sizeof expect[0]))

static void test_table(void **state)
{
	(void)state;
	for (int i = 0; i < NMODELS; i++) {
		const DirtyModel *m = dirty_model(i);
		assert_non_null(m);
		assert_non_null(m->name);
		assert_string_equal(m->name, expect[i].name);
		assert_int_equal(m->flags, expect[i].flags);
		assert_string_equal(m->arch, expect[i].arch);
		assert_non_null(dirty_arch(m));
		assert_string_equal(dirty_arch(m)->name, expect[i].arch);
		assert_ptr_equal(dirty_find(m->name), m);
		assert_ptr_equal(dirty_find(expect[i].name), m);
		assert_non_null(m->summary);
		assert_true(strlen(m->summary) > 0);
		assert_non_null(m->set_dirty);
		assert_non_null(m->walk);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(dirty_model(j)->name, m->name);
	}
	assert_null(dirty_model(NMODELS));
	assert_null(dirty_model(NMODELS + 1));
	assert_null(dirty_model(-1));
	assert_null(dirty_find("nope"));
	assert_null(dirty_find(""));
	assert_null(dirty_find("Blind"));        /* names are exact */
	assert_null(dirty_find("validatin"));
	assert_null(dirty_find("swfault "));
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

/* The models whose page walk is the x86 one (walk_x86). */
static const char *const x86_walkers[] = {
	"validating", "blind", "knl4", "precet", "nonatomic",
};

static void test_walk_x86(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof x86_walkers / sizeof x86_walkers[0]; k++) {
		const DirtyModel *m = model(x86_walkers[k]);
		const char *note = NULL;
		pte_t p;

		p = 0x1007;                      /* present, writable, not accessed */
		assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
		assert_int_equal(p, 0x1027);      /* read: A only */
		assert_string_equal(note, "walk: set A, fill TLB");

		p = 0x1007;
		assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 1);
		assert_int_equal(p, 0x1067);      /* write: A and D */
		assert_string_equal(note, "walk: set A|D, fill TLB");

		p = 0x1005;                      /* read-only */
		assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
		assert_int_equal(p, 0x1025);
		p = 0x1005;
		assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
		assert_int_equal(p, 0x1005);      /* a fault changes nothing */
		assert_string_equal(note, "walk: PTE read-only: page fault");

		for (int write = 0; write <= 1; write++) {
			p = 0;
			assert_int_equal(m->walk(dirty_arch(m), &p, write, &note), 0);
			assert_int_equal(p, 0);
			assert_string_equal(note, "walk: PTE not present: page fault");
			p = 0x40;                    /* dirty zero: still not present */
			assert_int_equal(m->walk(dirty_arch(m), &p, write, &note), 0);
			assert_int_equal(p, 0x40);
			assert_string_equal(note, "walk: PTE not present: page fault");
		}
	}
}

/* swfault: no hardware A/D, so the walk never writes the PTE; a store
 * needs P, RW and D already set. */
static void test_walk_swfault(void **state)
{
	const DirtyModel *m = model("swfault");
	const char *note = NULL;
	pte_t p;
	(void)state;

	p = 0x1007;                          /* present, writable, clean, not accessed */
	assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
	assert_int_equal(p, 0x1007);          /* no A written */
	assert_string_equal(note, "walk: fill TLB (no hardware A/D)");
	note = NULL;
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
	assert_int_equal(p, 0x1007);          /* no D written */
	assert_string_equal(note, "walk: PTE clean (no hardware dirty bit): page fault");

	p = 0x1027;                          /* accessed but clean: still faults */
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
	assert_int_equal(p, 0x1027);
	assert_string_equal(note, "walk: PTE clean (no hardware dirty bit): page fault");

	p = 0x1047;                          /* dirty (set by the kernel), A clear */
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 1);
	assert_int_equal(p, 0x1047);          /* A stays clear */
	assert_string_equal(note, "walk: fill TLB (no hardware A/D)");
	p = 0x1067;
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 1);
	assert_int_equal(p, 0x1067);

	p = 0x1005;                          /* read-only, clean */
	assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
	assert_int_equal(p, 0x1005);
	assert_string_equal(note, "walk: fill TLB (no hardware A/D)");
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
	assert_int_equal(p, 0x1005);
	assert_string_equal(note, "walk: PTE read-only: page fault");
	p = 0x1045;                          /* read-only and dirty: read-only wins */
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
	assert_int_equal(p, 0x1045);
	assert_string_equal(note, "walk: PTE read-only: page fault");

	for (int write = 0; write <= 1; write++) {
		static const pte_t np[] = { 0, 0x40, 0x60, 0x1066 };  /* P=0 */
		for (size_t k = 0; k < sizeof np / sizeof np[0]; k++) {
			p = np[k];
			assert_int_equal(m->walk(dirty_arch(m), &p, write, &note), 0);
			assert_int_equal(p, np[k]);
			assert_string_equal(note, "walk: PTE not present: page fault");
		}
	}
}

/* storagekey: nothing in the PTE is written (the change bit is per
 * frame); a store needs P and RW, D does not matter. */
static void test_walk_storagekey(void **state)
{
	const DirtyModel *m = model("storagekey");
	const char *note = NULL;
	pte_t p;
	(void)state;

	p = 0x1007;                          /* present, writable, clean, not accessed */
	assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
	assert_int_equal(p, 0x1007);
	assert_string_equal(note, "walk: fill TLB (no A/D in the PTE)");
	note = NULL;
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 1);
	assert_int_equal(p, 0x1007);          /* a store walk writes no D either */
	assert_string_equal(note, "walk: fill TLB (no A/D in the PTE)");

	p = 0x1005;                          /* read-only */
	assert_int_equal(m->walk(dirty_arch(m), &p, 0, &note), 1);
	assert_int_equal(p, 0x1005);
	assert_string_equal(note, "walk: fill TLB (no A/D in the PTE)");
	assert_int_equal(m->walk(dirty_arch(m), &p, 1, &note), 0);
	assert_int_equal(p, 0x1005);
	assert_string_equal(note, "walk: PTE read-only: page fault");

	for (int write = 0; write <= 1; write++) {
		static const pte_t np[] = { 0, 0x40, 0x60, 0x1066 };  /* P=0 */
		for (size_t k = 0; k < sizeof np / sizeof np[0]; k++) {
			p = np[k];
			assert_int_equal(m->walk(dirty_arch(m), &p, write, &note), 0);
			assert_int_equal(p, np[k]);
			assert_string_equal(note, "walk: PTE not present: page fault");
		}
	}
}

/* knl4: validating, except that a non-present PTE gets A|D ORed in. */
static void test_knl4(void **state)
{
	const DirtyModel *m = model("knl4");
	pte_t p;
	(void)state;

	p = 0x1027;                          /* present, writable */
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
	p = 0x1007;                          /* A set too when clear */
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);

	p = 0x1025;                          /* present, read-only: unchanged */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1025);

	p = 0;                               /* cleared: stray A|D, the store faults */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x60);
	assert_false(pte_present(p));
	assert_true(pte_none(p));             /* what Linux's pte_none() masks */
	p = 0x1066;                          /* P=0, pfn and RW left */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1066);
	p = 0x1004;
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1064);
}

/* precet: validating, except that a read-only present PTE gets D. */
static void test_precet(void **state)
{
	const DirtyModel *m = model("precet");
	pte_t p;
	(void)state;

	p = 0x1027;                          /* present, writable */
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
	p = 0x1007;
	assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);

	p = 0x1025;                          /* read-only: Write=0, Dirty=1 left, faults */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1065);
	assert_false(pte_write(p));
	assert_true(pte_dirty(p));
	p = 0x1005;                          /* only D is set, not A */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1045);

	p = 0;                               /* not present: unchanged */
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0);
	p = 0x1066;
	assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
	assert_int_equal(p, 0x1066);
}

/* One nonatomic phase: the PTE changes only as *pte says, a note is given. */
static int nonatomic_phase(pte_t *pte, int phase, uint64_t *scratch)
{
	const DirtyModel *m = model("nonatomic");
	const char *note = NULL;
	int r = m->set_dirty(dirty_arch(m), pte, phase, scratch, &note);
	assert_non_null(note);
	assert_true(strlen(note) > 0);
	return r;
}

/* Phase 0 on read: DIRTY_AGAIN, the PTE unchanged, the value kept. */
static void nonatomic_read(pte_t *pte, uint64_t *scratch)
{
	pte_t before = *pte;
	*scratch = 0;
	assert_int_equal(nonatomic_phase(pte, 0, scratch), DIRTY_AGAIN);
	assert_int_equal(*pte, before);
	assert_int_not_equal(*scratch, 0);   /* "read done", even for a 0 PTE */
	assert_int_equal(*scratch & ~(1ull << 63), before);
}

static void test_nonatomic_present_writable(void **state)
{
	pte_t p = 0x1027;
	uint64_t scratch;
	(void)state;
	nonatomic_read(&p, &scratch);
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
	p = 0x1007;                          /* A set too */
	nonatomic_read(&p, &scratch);
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
}

static void test_nonatomic_resurrects(void **state)
{
	pte_t p = 0x1027;
	uint64_t scratch;
	(void)state;
	/* another CPU clears the PTE between the read and the store back:
	 * the old value comes back with A|D (QEMU x86 before 4a1e9d4d11cd) */
	nonatomic_read(&p, &scratch);
	p = 0;
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);

	/* write-protected in between: RW comes back too */
	p = 0x1027;
	nonatomic_read(&p, &scratch);
	p = 0x1025;
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);

	/* remapped to another frame in between: the old frame comes back */
	p = 0x1027;
	nonatomic_read(&p, &scratch);
	p = 0x2027;
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_PROCEED);
	assert_int_equal(p, 0x1067);
}

static void test_nonatomic_faults(void **state)
{
	pte_t p;
	uint64_t scratch;
	(void)state;

	p = 0x1025;                          /* read-only when read */
	nonatomic_read(&p, &scratch);
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_FAULT);
	assert_int_equal(p, 0x1025);

	p = 0;                               /* not present when read */
	nonatomic_read(&p, &scratch);
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_FAULT);
	assert_int_equal(p, 0);

	/* the check is of the value read, and a fault writes nothing, even
	 * if the PTE became valid in between */
	p = 0;
	nonatomic_read(&p, &scratch);
	p = 0x1027;
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_FAULT);
	assert_int_equal(p, 0x1027);
	p = 0x1025;
	nonatomic_read(&p, &scratch);
	p = 0x1027;
	assert_int_equal(nonatomic_phase(&p, 1, &scratch), DIRTY_FAULT);
	assert_int_equal(p, 0x1027);
}

/* swfault: the dirty-bit step always faults and writes nothing. */
static void test_swfault(void **state)
{
	const DirtyModel *m = model("swfault");
	static const pte_t ptes[] = { 0x1027, 0x1007, 0x1025, 0, 0x1066 };
	(void)state;
	for (size_t k = 0; k < sizeof ptes / sizeof ptes[0]; k++) {
		pte_t p = ptes[k];
		assert_int_equal(set_dirty(m, &p), DIRTY_FAULT);
		assert_int_equal(p, ptes[k]);
	}
}

/* storagekey: the dirty-bit step proceeds and writes nothing. */
static void test_storagekey(void **state)
{
	const DirtyModel *m = model("storagekey");
	static const pte_t ptes[] = { 0x1027, 0x1007, 0x1025, 0, 0x1066 };
	(void)state;
	for (size_t k = 0; k < sizeof ptes / sizeof ptes[0]; k++) {
		pte_t p = ptes[k];
		assert_int_equal(set_dirty(m, &p), DIRTY_PROCEED);
		assert_int_equal(p, ptes[k]);
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
		cmocka_unit_test(test_knl4),
		cmocka_unit_test(test_precet),
		cmocka_unit_test(test_nonatomic_present_writable),
		cmocka_unit_test(test_nonatomic_resurrects),
		cmocka_unit_test(test_nonatomic_faults),
		cmocka_unit_test(test_swfault),
		cmocka_unit_test(test_storagekey),
		cmocka_unit_test(test_walk_x86),
		cmocka_unit_test(test_walk_swfault),
		cmocka_unit_test(test_walk_storagekey),
	};
	return cmocka_run_group_tests_name("dirty", tests, NULL, NULL);
}

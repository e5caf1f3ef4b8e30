/* tests/unit/test_program.c: unit tests of sim/program.c (the opcode
 * table, the EXPLAIN listing, the static lookups over the machine
 * description, the arena) and of sim/world.c (the world layout and the
 * initial world a scenario declares). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/program.h"
#include "sim/world.h"

/* Two mms; mma has a 2-page file VMA and a 1-page anonymous one, mmb a
 * 3-page VMA of another file (pgoff 1).  PTE slots: va 0..1, anon 2,
 * vb 3..5.  Page-cache slots: fa 0..1, fb 2..5 (4 pages: index 3).
 * pfns: pa0 1, pa1 2, pb3 3.  Locks: ptl(mma) 0, ptl(mmb) 1, la 2, lb 3.
 * CPU#1 runs nothing; its TLB (2 entries) gets three fills, so the third
 * evicts the first. */
static const char prog_text[] =
	"scenario: prog\n"
	"variants: [v1, v2]\n"
	"machine: {cpus: 3, tlb_entries: 2}\n"
	"mms: [mma, mmb]\n"
	"files:\n"
	"  - name: fa\n"
	"    size: 8192\n"
	"    pages:\n"
	"      - {name: pa0, index: 0, flags: [PG_dirty]}\n"
	"      - {name: pa1, index: 1, flags: [PG_writeback, PG_uptodate]}\n"
	"  - name: fb\n"
	"    size: 100\n"
	"    pages:\n"
	"      - {name: pb3, index: 3}\n"
	"vmas:\n"
	"  - {name: va, mm: mma, start: 0x10000, pages: 2, file: fa}\n"
	"  - {name: anon, mm: mma, start: 0x40000, pages: 1}\n"
	"  - {name: vb, mm: mmb, start: 0x10000, pages: 3, file: fb, pgoff: 1}\n"
	"ptes:\n"
	"  - {mm: mma, addr: 0x10000, page: pa0, prot: 0x27}\n"
	"  - {mm: mma, addr: 0x11234, page: pa1, prot: 0x67}\n"
	"  - {mm: mmb, addr: 0x12000, page: pb3, prot: 0x25}\n"
	"  - {mm: mma, addr: 0x40000, value: 0x40}\n"
	"tlb:\n"
	"  - {cpu: 1, mm: mma, addr: 0x10000, writable: true, dirty: false}\n"
	"  - {cpu: 1, mm: mma, addr: 0x11000, writable: true, dirty: true}\n"
	"  - {cpu: 1, mm: mmb, addr: 0x12fff}\n"
	"  - {cpu: 0, mm: mmb, addr: 0x12000, writable: true}\n"
	"locks: [la, lb]\n"
	"outcomes:\n"
	"  - name: pte_ro\n"
	"    check: chk\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body:\n"
	"      - \"spin_lock(la)\"\n"
	"      - \"r = helper(va, 0x10000)\"\n"
	"      - \"spin_unlock(la)\"\n"
	"  - cpu: 2\n"
	"    mm: mmb\n"
	"    body: [\"x = load(0x12000)\"]\n"
	"procedures:\n"
	"  - name: helper\n"
	"    params: [v, a]\n"
	"    body:\n"
	"      - \"e = ptep_get(v, a)\"\n"
	"      - \"return e\"\n"
	"  - name: chk\n"
	"    body:\n"
	"      - \"e = ptep_get(va, 0x10000)\"\n"
	"      - \"w = pte_write(e)\"\n"
	"      - \"x = !w\"\n"
	"      - \"return x\"\n";

/* The Program of the running test; the teardown frees it. */
static Program *live;

static int cleanup(void **state)
{
	(void)state;
	prog_free(live);
	live = NULL;
	return 0;
}

static Program *prog(void)
{
	return live = compile_ok(prog_text, NULL);
}

/* Text captured from a FILE *. */
typedef struct Capture { char *buf; size_t len; FILE *f; } Capture;

static FILE *cap_open(Capture *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static char *cap_close(Capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* ---- the opcode table ---- */

static void test_op_lookup(void **state)
{
	(void)state;
	assert_int_equal(prog_op_lookup("store"), OP_STORE);
	assert_int_equal(prog_op_lookup("load"), OP_LOAD);
	assert_int_equal(prog_op_lookup("="), OP_MOV);
	assert_int_equal(prog_op_lookup("!"), OP_NOT);
	assert_int_equal(prog_op_lookup("TestClearPageDirty"), OP_TEST_CLEAR_PAGE_DIRTY);
	assert_int_equal(prog_op_lookup("ptep_get_and_clear"), OP_PTEP_GET_AND_CLEAR);
	assert_int_equal(prog_op_lookup("BUG_ON"), OP_BUG_ON);
	/* exact, case-sensitive names only */
	assert_int_equal(prog_op_lookup("Store"), -1);
	assert_int_equal(prog_op_lookup("testclearpagedirty"), -1);
	assert_int_equal(prog_op_lookup("ptep_get_and"), -1);
	assert_int_equal(prog_op_lookup("store "), -1);
	assert_int_equal(prog_op_lookup(""), -1);
	assert_int_equal(prog_op_lookup("handle_mm_fault"), -1);
	/* every name finds its own entry: names are unique */
	for (int i = 0; i < OP__COUNT; i++) {
		assert_non_null(prog_ops[i].name);
		assert_non_null(prog_ops[i].args);
		assert_non_null(prog_ops[i].doc);
		assert_int_equal(prog_op_lookup(prog_ops[i].name), i);
	}
}

static void test_op_table_entries(void **state)
{
	(void)state;
	assert_string_equal(prog_ops[OP_PTEP_CMPXCHG].args, "miii");
	assert_int_equal(prog_ops[OP_PTEP_CMPXCHG].dst, 1);
	assert_int_equal(prog_ops[OP_PTEP_CMPXCHG].cls, SHARED);
	assert_int_equal(prog_ops[OP_STORE].cls, USER);
	assert_int_equal(prog_ops[OP_STORE].dst, 0);
	assert_int_equal(prog_ops[OP_LOAD].dst, 1);
	assert_int_equal(prog_ops[OP_JMP].cls, CTRL);
	assert_int_equal(prog_ops[OP_PTE_MKDIRTY].cls, LOCAL);
	assert_string_equal(prog_ops[OP_RET].args, "i?");
	/* which ops a statement names as steps */
	assert_true(prog_op_is_step(OP_STORE));
	assert_true(prog_op_is_step(OP_SPIN_LOCK));
	assert_true(prog_op_is_step(OP_PAGE_MKWRITE));
	assert_true(prog_op_is_step(OP_PFN_MKWRITE));
	assert_false(prog_op_is_step(OP_CALL));
	assert_false(prog_op_is_step(OP_MOV));
	assert_false(prog_op_is_step(OP_NOT));
	assert_false(prog_op_is_step(OP_JZ));
	/* args letters are from the documented alphabet, '?' only last */
	for (int i = 0; i < OP__COUNT; i++) {
		const char *a = prog_ops[i].args;
		for (size_t k = 0; a[k]; k++) {
			assert_non_null(strchr("mvplfxi?", a[k]));
			if (a[k] == '?')
				assert_int_equal(a[k + 1], 0);
		}
		assert_true(strlen(a) <= STEP_MAXARGS + 1);
	}
}

static void test_ops_markdown(void **state)
{
	Capture c;
	(void)state;
	prog_ops_markdown(cap_open(&c));
	char *md = cap_close(&c);
	/* header */
	static const char head[] = "| step | operands | returns | class | meaning |\n"
	                           "|---|---|---|---|---|\n";
	assert_int_equal(strncmp(md, head, strlen(head)), 0);
	/* exact rows, operand kinds spelled out */
	assert_non_null(strstr(md, "\n| `ptep_cmpxchg` | mm, value, value, value | yes | shared | "
	                           "atomic cmpxchg: if PTE == c store d; returns the old value |\n"));
	assert_non_null(strstr(md, "\n| `local_irq_disable` | - | - | shared | "));
	assert_non_null(strstr(md, "\n| `store` | value | - | user | "));
	assert_non_null(strstr(md, "\n| `mk_pte` | page, value | yes | local | "));
	assert_non_null(strstr(md, "\n| `vma_address` | page, vma | yes | local | "));
	assert_non_null(strstr(md, "\n| `spin_lock` | lock | - | shared | "));
	assert_non_null(strstr(md, "\n| `BUG_ON` | value | - | local | "));
	/* control flow, "=" and "!" are YAML structure: not listed */
	assert_null(strstr(md, "`goto`"));
	assert_null(strstr(md, "`if`"));
	assert_null(strstr(md, "`call`"));
	assert_null(strstr(md, "`return`"));
	assert_null(strstr(md, "`=`"));
	assert_null(strstr(md, "`!`"));
	/* one row per listed op, in table order, each a full row */
	int expect_rows = 0, rows = 0;
	for (int i = 0; i < OP__COUNT; i++)
		expect_rows += prog_op_is_step(i);
	const char *prev = md;
	for (int i = 0; i < OP__COUNT; i++) {
		if (!prog_op_is_step(i))
			continue;
		char key[64];
		snprintf(key, sizeof key, "\n| `%s` | ", prog_ops[i].name);
		const char *at = strstr(md, key);
		assert_non_null(at);
		assert_true(at >= prev);
		prev = at;
	}
	for (const char *l = md; *l; ) {
		const char *nl = strchr(l, '\n');
		assert_non_null(nl);                 /* every line ends */
		assert_true(nl - l >= 4);
		assert_int_equal(nl[-1], '|');
		if (l[0] == '|' && l[2] == '`') {
			assert_memory_equal(nl - 2, " |", 2);
			rows++;
		}
		l = nl + 1;
	}
	assert_int_equal(rows, expect_rows);
	free(md);
}

/* ---- lookups over the machine description ---- */

static void test_vma_of(void **state)
{
	(void)state;
	Program *P = prog();
	int va = 0, anon = 1, vb = 2, mma = 0, mmb = 1;
	assert_string_equal(P->vmas[va].name, "va");
	assert_string_equal(P->vmas[vb].name, "vb");
	assert_int_equal(P->vmas[anon].file, -1);
	assert_int_equal(P->vmas[va].end, 0x12000);
	assert_int_equal(P->vmas[vb].end, 0x13000);
	assert_int_equal(prog_vma_of(P, mma, 0x10000), va);
	assert_int_equal(prog_vma_of(P, mma, 0x11fff), va);
	assert_int_equal(prog_vma_of(P, mma, 0x12000), -1);   /* end is exclusive */
	assert_int_equal(prog_vma_of(P, mma, 0xffff), -1);
	assert_int_equal(prog_vma_of(P, mma, 0x40000), anon);
	assert_int_equal(prog_vma_of(P, mma, 0x40fff), anon);
	assert_int_equal(prog_vma_of(P, mma, 0x41000), -1);
	/* the same address in the other mm is the other mm's VMA */
	assert_int_equal(prog_vma_of(P, mmb, 0x10000), vb);
	assert_int_equal(prog_vma_of(P, mmb, 0x12fff), vb);
	assert_int_equal(prog_vma_of(P, mmb, 0x13000), -1);
	assert_int_equal(prog_vma_of(P, mmb, 0x40000), -1);
	assert_int_equal(prog_vma_of(P, 2, 0x10000), -1);      /* no such mm */
	assert_int_equal(prog_vma_of(P, -1, 0x10000), -1);
}

static void test_pte_slot_and_slot_addr(void **state)
{
	(void)state;
	Program *P = prog();
	assert_int_equal(P->npte, 6);
	assert_int_equal(prog_pte_slot(P, 0, 0x10000), 0);
	assert_int_equal(prog_pte_slot(P, 0, 0x10fff), 0);
	assert_int_equal(prog_pte_slot(P, 0, 0x11234), 1);
	assert_int_equal(prog_pte_slot(P, 0, 0x40800), 2);
	assert_int_equal(prog_pte_slot(P, 1, 0x10000), 3);
	assert_int_equal(prog_pte_slot(P, 1, 0x11000), 4);
	assert_int_equal(prog_pte_slot(P, 1, 0x12abc), 5);
	assert_int_equal(prog_pte_slot(P, 0, 0x12000), -1);
	assert_int_equal(prog_pte_slot(P, 1, 0x13000), -1);
	assert_int_equal(prog_pte_slot(P, 1, 0), -1);

	static const struct { int mm; uint64_t addr; } want[6] = {
		{ 0, 0x10000 }, { 0, 0x11000 }, { 0, 0x40000 },
		{ 1, 0x10000 }, { 1, 0x11000 }, { 1, 0x12000 },
	};
	for (int s = 0; s < 6; s++) {
		int mm = -7;
		uint64_t addr = 1;
		assert_int_equal(prog_slot_addr(P, s, &mm, &addr), 0);
		assert_int_equal(mm, want[s].mm);
		assert_int_equal(addr, want[s].addr);
		/* the inverse of prog_pte_slot */
		assert_int_equal(prog_pte_slot(P, mm, addr), s);
		/* mm may be NULL */
		addr = 0;
		assert_int_equal(prog_slot_addr(P, s, NULL, &addr), 0);
		assert_int_equal(addr, want[s].addr);
	}
	int mm = 42;
	uint64_t addr = 0x999;
	assert_int_equal(prog_slot_addr(P, 6, &mm, &addr), -1);
	assert_int_equal(prog_slot_addr(P, -1, &mm, &addr), -1);
	assert_int_equal(mm, 42);          /* untouched on failure */
	assert_int_equal(addr, 0x999);
}

static void test_outcome_lookup(void **state)
{
	(void)state;
	Program *P = prog();
	assert_int_equal(P->noutcomes, OUT__BUILTIN + 1);
	assert_int_equal(prog_outcome(P, "lost_dirty"), OUT_LOST_DIRTY);
	assert_int_equal(prog_outcome(P, "dirty_nonpresent_pte"), OUT_DIRTY_NONPRESENT_PTE);
	assert_int_equal(prog_outcome(P, "stale_tlb_write"), OUT_STALE_TLB_WRITE);
	assert_int_equal(prog_outcome(P, "deadlock"), OUT_DEADLOCK);
	assert_int_equal(prog_outcome(P, "bug_on"), OUT_BUG_ON);
	assert_int_equal(prog_outcome(P, "pte_ro"), OUT__BUILTIN);
	assert_int_equal(P->outcomes[OUT__BUILTIN].proc, find_proc(P, "chk"));
	assert_int_equal(P->outcomes[OUT_LOST_DIRTY].proc, -1);
	assert_int_equal(prog_outcome(P, "pte"), -1);
	assert_int_equal(prog_outcome(P, "Lost_dirty"), -1);
	assert_int_equal(prog_outcome(P, ""), -1);
}

static void test_value_name(void **state)
{
	(void)state;
	Program *P = prog();
	char buf[64];
	assert_string_equal(prog_value_name(P, h_make(HK_MM, 0), buf, sizeof buf), "mma");
	assert_string_equal(prog_value_name(P, h_make(HK_MM, 1), buf, sizeof buf), "mmb");
	assert_string_equal(prog_value_name(P, h_make(HK_VMA, 1), buf, sizeof buf), "anon");
	assert_string_equal(prog_value_name(P, h_make(HK_VMA, 2), buf, sizeof buf), "vb");
	assert_string_equal(prog_value_name(P, h_make(HK_FILE, 0), buf, sizeof buf), "fa");
	assert_string_equal(prog_value_name(P, h_make(HK_FILE, 1), buf, sizeof buf), "fb");
	/* pages are by pfn: 1-based */
	assert_string_equal(prog_value_name(P, h_make(HK_PAGE, 1), buf, sizeof buf), "pa0");
	assert_string_equal(prog_value_name(P, h_make(HK_PAGE, 3), buf, sizeof buf), "pb3");
	assert_string_equal(prog_value_name(P, h_make(HK_LOCK, 0), buf, sizeof buf), "ptl(mma)");
	assert_string_equal(prog_value_name(P, h_make(HK_LOCK, 1), buf, sizeof buf), "ptl(mmb)");
	assert_string_equal(prog_value_name(P, h_make(HK_LOCK, 3), buf, sizeof buf), "lb");
	/* plain values and out-of-range handles print in hex */
	assert_string_equal(prog_value_name(P, 0, buf, sizeof buf), "0x0");
	assert_string_equal(prog_value_name(P, 0x1027, buf, sizeof buf), "0x1027");
	assert_string_equal(prog_value_name(P, h_make(HK_PAGE, 0), buf, sizeof buf), "0xf400000000000000");
	assert_string_equal(prog_value_name(P, h_make(HK_PAGE, 4), buf, sizeof buf), "0xf400000000000004");
	assert_string_equal(prog_value_name(P, h_make(HK_MM, 2), buf, sizeof buf), "0xf100000000000002");
	assert_string_equal(prog_value_name(P, h_make(HK_VMA, 3), buf, sizeof buf), "0xf200000000000003");
	assert_string_equal(prog_value_name(P, h_make(HK_FILE, 2), buf, sizeof buf), "0xf300000000000002");
	assert_string_equal(prog_value_name(P, h_make(HK_LOCK, 4), buf, sizeof buf), "0xf500000000000004");
	assert_string_equal(prog_value_name(P, h_make(9, 1), buf, sizeof buf), "0xf900000000000001");
	assert_string_equal(prog_value_name(P, UINT64_MAX, buf, sizeof buf), "0xffffffffffffffff");
	/* returns buf, truncates to len */
	char small[4];
	assert_ptr_equal(prog_value_name(P, h_make(HK_LOCK, 0), small, sizeof small), small);
	assert_string_equal(small, "ptl");
	assert_string_equal(prog_value_name(P, 0x12345, small, sizeof small), "0x1");
}

static void test_step_file(void **state)
{
	(void)state;
	Program *P = prog();
	assert_true(P->nsteps > 0);
	for (int i = 0; i < P->nsteps; i++)
		assert_ptr_equal(prog_step_file(P, &P->steps[i]), P->files[0].path);
}

/* ---- the listing ---- */

/* s with every occurrence of path replaced by "F" (malloc'd). */
static char *subst_path(const char *s, const char *path)
{
	size_t pl = strlen(path), k = 0;
	char *out = malloc(strlen(s) + 1);
	assert_non_null(out);
	while (*s)
		if (!strncmp(s, path, pl)) {
			out[k++] = 'F';
			s += pl;
		} else {
			out[k++] = *s++;
		}
	out[k] = 0;
	return out;
}

static void test_list_exact(void **state)
{
	(void)state;
	static const char text[] =
		"scenario: lst\n"                                  /* 1 */
		"machine: {cpus: 1}\n"
		"mms: [mm]\n"
		"files:\n"
		"  - name: file\n"                                 /* 5 */
		"    pages:\n"
		"      - {name: page0, index: 0}\n"
		"vmas:\n"
		"  - {name: vma, mm: mm, start: 0x10000, pages: 1, file: file}\n"
		"locks: [la]\n"                                    /* 10 */
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"spin_lock(la)\"\n"
		"      - \"r = helper(vma, 0x10000)\"\n"           /* 15 */
		"      - if: \"r\"\n"
		"        then: [\"set_page_dirty(page0)\"]\n"
		"      - \"spin_unlock(la)\"\n"
		"procedures:\n"
		"  - name: helper\n"                               /* 20 */
		"    params: [v, a]\n"
		"    body:\n"
		"      - \"e = ptep_get(v, a)\"\n"
		"      - \"e |= pte_mkdirty(e)\"\n"
		"      - \"return e\"\n";                          /* 25 */
	char path[64], err[512] = "";
	live = compile_text_at(text, NULL, path, err, sizeof err);
	if (!live)
		fail_msg("compile: %s", err);
	Capture c;
	prog_list(live, cap_open(&c));
	char *raw = cap_close(&c);
	char *got = subst_path(raw, path);
	free(raw);
	assert_string_equal(got,
		"scenario lst  variant -  (10 steps, 2 procedures)\n"
		"addr  opcode               class  dst  operands                     source\n"
		"CPU#0(0 params, 1 registers)  F:12\n"
		"0     spin_lock            shared      la                           F:14:10  spin_lock(la)\n"
		"1     call                 ctrl   r0   vma 0x10000 -> helper        F:15:14  r = helper(vma, 0x10000)\n"
		"2     if                   ctrl        r0:r -> 4                    F:16:14  r\n"
		"3     set_page_dirty       shared      page0                        F:17:17  set_page_dirty(page0)\n"
		"4     spin_unlock          shared      la                           F:18:10  spin_unlock(la)\n"
		"5     return               ctrl                                     F:18:10  return (end of body)\n"
		"helper(2 params, 3 registers)  F:20\n"
		"6     ptep_get             shared r2   r0:v r1:a                    F:23:14  e = ptep_get(v, a)\n"
		"7     pte_mkdirty          local  |r2  r2:e                         F:24:15  e |= pte_mkdirty(e)\n"
		"8     return               ctrl        r2:e                         F:25:10  return e\n"
		"9     return               ctrl                                     F:25:10  return (end of body)\n");
	free(got);
}

static void test_list_variant_and_every_step(void **state)
{
	(void)state;
	Program *P = live = compile_ok(prog_text, "v2");
	Capture c;
	prog_list(P, cap_open(&c));
	char *out = cap_close(&c);
	char head[128];
	snprintf(head, sizeof head, "scenario prog  variant v2  (%d steps, %d procedures)\n", P->nsteps,
	         P->nprocs);
	assert_int_equal(strncmp(out, head, strlen(head)), 0);
	/* one line per step, one header per procedure, numbered in order */
	int lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2 + P->nsteps + P->nprocs);
	for (int i = 0; i < P->nsteps; i++) {
		char key[64];
		snprintf(key, sizeof key, "\n%-5d %-20s ", i, prog_ops[P->steps[i].op].name);
		assert_non_null(strstr(out, key));
	}
	/* the outcome check is listed too, and operands name their handles */
	assert_non_null(strstr(out, "\nchk(0 params, "));
	assert_non_null(strstr(out, " va 0x10000 "));
	free(out);
}

/* ---- the arena ---- */

static void test_arena(void **state)
{
	(void)state;
	Program *P = calloc(1, sizeof *P);
	assert_non_null(P);
	live = P;
	assert_null(P->arena);
	unsigned char *a = prog_alloc(P, 100);
	void *first = P->arena;
	assert_non_null(first);
	for (int i = 0; i < 100; i++)
		assert_int_equal(a[i], 0);
	memset(a, 0xab, 100);                  /* the whole block is usable */
	unsigned char *b = prog_alloc(P, 1);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(P->arena, first);
	assert_int_equal(b[0], 0);
	assert_int_equal((uintptr_t)a % 8, 0);  /* fit for any field */
	assert_int_equal((uintptr_t)b % 8, 0);
	uint64_t *z = prog_alloc(P, 0);
	assert_non_null(z);
	char src[] = "page_mkclean_one";
	char *d = prog_strdup(P, src);
	assert_ptr_not_equal(d, src);
	assert_string_equal(d, "page_mkclean_one");
	src[0] = 'X';                           /* a copy, not a view */
	assert_string_equal(d, "page_mkclean_one");
	assert_string_equal(prog_strdup(P, ""), "");
	for (int i = 0; i < 1000; i++)          /* all freed by prog_free (ASan) */
		prog_alloc(P, (size_t)i);
	prog_free(P);
	live = NULL;
	prog_free(NULL);                        /* a no-op */
}

/* ---- world layout ---- */

typedef struct Sect { const char *name; size_t off, bytes; } Sect;

/* The sections of L in blob order, with the bytes each one holds. */
static int sections(const Layout *L, Sect *s)
{
	int n1 = L->ncpu + 1, k = 0;
	s[k++] = (Sect){ "hdr", 0, sizeof(WorldHdr) };
	s[k++] = (Sect){ "cpu", L->cpu, sizeof(CpuState) * (size_t)n1 };
	s[k++] = (Sect){ "frames", L->frames, sizeof(FrameState) * (size_t)(n1 * L->depth) };
	s[k++] = (Sect){ "regs", L->regs, sizeof(uint64_t) * (size_t)(n1 * L->stack) };
	s[k++] = (Sect){ "tlb", L->tlb, sizeof(TlbEntry) * (size_t)(L->ncpu * L->tlb_size) };
	s[k++] = (Sect){ "pte", L->pte, sizeof(pte_t) * (size_t)L->npte };
	s[k++] = (Sect){ "page", L->page, sizeof(PageState) * (size_t)(L->npages + 1) };
	s[k++] = (Sect){ "file", L->file, sizeof(FileState) * (size_t)L->nfiles };
	s[k++] = (Sect){ "pcache", L->pcache, sizeof(uint16_t) * (size_t)L->nslots };
	s[k++] = (Sect){ "disk", L->disk, sizeof(uint32_t) * (size_t)L->nslots };
	s[k++] = (Sect){ "lock", L->lock, (size_t)L->nlocks };
	s[k++] = (Sect){ "var", L->var, sizeof(uint64_t) * (size_t)L->nvars };
	s[k++] = (Sect){ "mm", L->mm, sizeof(MmState) * (size_t)L->nmms };
	s[k++] = (Sect){ "vma", L->vma, sizeof(uint64_t) * (size_t)L->nvmas };
	s[k++] = (Sect){ "flush", L->flush, sizeof(FlushState) * (size_t)L->nflush };
	return k;
}

/* Every section 8-byte aligned, each starting where the one before ends
 * (rounded up to 8): no overlaps, no holes beyond alignment, and the size
 * is the end of the last. */
static void check_layout(const Layout *L)
{
	Sect s[16];
	int n = sections(L, s);
	size_t off = 0;
	for (int i = 0; i < n; i++) {
		if (s[i].off % 8)
			fail_msg("section %s at %zu: not 8-byte aligned", s[i].name, s[i].off);
		if (s[i].off != off)
			fail_msg("section %s at %zu, expected %zu", s[i].name, s[i].off, off);
		off += round8(s[i].bytes);
	}
	assert_int_equal(L->size % 8, 0);
	assert_int_equal(L->size, off);
}

static void test_layout_prog(void **state)
{
	(void)state;
	Program *P = prog();
	Layout L;
	memset(&L, 0x5a, sizeof L);
	world_layout(&L, P);
	assert_int_equal(L.ncpu, 3);
	assert_int_equal(L.tlb_size, 2);
	assert_int_equal(L.depth, P->max_depth);
	assert_int_equal(L.stack, P->max_stack);
	assert_true(L.depth >= 2);              /* CPU#0 calls helper */
	assert_true(L.stack >= 4);              /* r + helper's v, a, e */
	assert_int_equal(L.npte, 6);
	assert_int_equal(L.npages, 3);
	assert_int_equal(L.nfiles, 2);
	assert_int_equal(L.nslots, 6);          /* fa: 2, fb: 4 (index 3) */
	assert_int_equal(L.nlocks, 4);          /* 2 PTLs, la, lb */
	assert_int_equal(L.nmms, 2);
	assert_int_equal(L.nvmas, 3);
	assert_int_equal(L.cpu, sizeof(WorldHdr));
	check_layout(&L);
	/* sizes that need rounding: 4 lock bytes, 12 page-cache bytes */
	assert_int_equal(L.disk - L.pcache, 16);
	assert_int_equal(L.var - L.lock, 8);
	/* an mmap_lock per mm, vm_flags per vma */
	assert_int_equal(L.vma - L.mm, 2 * sizeof(MmState));
	assert_int_equal(L.size - L.vma, 3 * 8);
	/* world_mem points at the sections */
	uint8_t *w = calloc(1, L.size);
	assert_non_null(w);
	Mem m;
	world_mem(&L, w, &m);
	assert_ptr_equal((uint8_t *)m.pte, w + L.pte);
	assert_ptr_equal((uint8_t *)m.page, w + L.page);
	assert_ptr_equal((uint8_t *)m.file, w + L.file);
	assert_ptr_equal((uint8_t *)m.pcache, w + L.pcache);
	assert_ptr_equal((uint8_t *)m.disk, w + L.disk);
	assert_ptr_equal(m.lock, w + L.lock);
	assert_ptr_equal((uint8_t *)m.mm, w + L.mm);
	assert_ptr_equal((uint8_t *)m.vm_flags, w + L.vma);
	assert_ptr_equal((uint8_t *)w_mm(&L, w, 1), w + L.mm + sizeof(MmState));
	assert_ptr_equal((uint8_t *)w_vm_flags(&L, w), w + L.vma);
	assert_ptr_equal((uint8_t *)w_tlb(&L, w, 2), w + L.tlb + 2 * 2 * sizeof(TlbEntry));
	assert_ptr_equal((uint8_t *)w_cpu(&L, w, 3), w + L.cpu + 3 * sizeof(CpuState));
	assert_ptr_equal((uint8_t *)w_frame(&L, w, 1, 1), w + L.frames + (size_t)(L.depth + 1) * sizeof(FrameState));
	assert_ptr_equal((uint8_t *)w_regs(&L, w, 2), w + L.regs + (size_t)(2 * L.stack) * 8);
	free(w);
}

static void test_layout_minimal(void **state)
{
	(void)state;
	/* no files, no VMAs, no extra locks: empty sections take no room */
	Program *P = live = compile_ok(
		"scenario: tiny\n"
		"machine: {cpus: 1, tlb_entries: 1}\n"
		"mms: [mm]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"x = 1\"]\n", NULL);
	Layout L;
	world_layout(&L, P);
	assert_int_equal(L.npte, 0);
	assert_int_equal(L.npages, 0);
	assert_int_equal(L.nfiles, 0);
	assert_int_equal(L.nslots, 0);
	assert_int_equal(L.nlocks, 1);          /* the PTL */
	assert_int_equal(L.nmms, 1);
	assert_int_equal(L.nvmas, 0);
	check_layout(&L);
	assert_int_equal(L.size, L.vma);        /* no vm_flags */
	assert_int_equal(L.file, L.pcache);
	assert_int_equal(L.pcache, L.disk);
	assert_int_equal(L.disk, L.lock);
	assert_int_equal(L.page + ((sizeof(PageState) + 7) & ~(size_t)7), L.file);  /* page[0] still there */
	/* a layout depends only on the Program */
	Layout L2;
	memset(&L2, 0xff, sizeof L2);
	world_layout(&L2, P);
	assert_memory_equal(&L, &L2, sizeof L);
}

/* The layout of many CPUs, deep calls and odd counts. */
static void test_layout_odd_counts(void **state)
{
	(void)state;
	Program *P = live = compile_ok(
		"scenario: odd\n"
		"machine: {cpus: 5, tlb_entries: 3}\n"
		"mms: [m1, m2, m3]\n"
		"files:\n"
		"  - name: f\n"
		"    size: 4097\n"
		"    pages:\n"
		"      - {name: p0, index: 0}\n"
		"vmas:\n"
		"  - {name: v, mm: m1, start: 0x10000, pages: 3, file: f}\n"
		"locks: [a, b, c, d, e, f2, g, h, i2, j]\n"
		"cpus:\n"
		"  - cpu: 4\n"
		"    body: [\"x = f1(1)\"]\n"
		"procedures:\n"
		"  - {name: f1, params: [a], body: [\"b = f2(a)\", \"return b\"]}\n"
		"  - {name: f2, params: [a], body: [\"b = f3(a)\", \"return b\"]}\n"
		"  - {name: f3, params: [a], body: [\"return a\"]}\n", NULL);
	Layout L;
	world_layout(&L, P);
	assert_int_equal(L.ncpu, 5);
	assert_int_equal(L.nslots, 2);          /* ceil(4097 / 4096) */
	assert_int_equal(L.nlocks, 13);
	assert_int_equal(L.npte, 3);
	assert_true(L.depth >= 4);
	check_layout(&L);
	assert_int_equal(L.var - L.lock, 16);   /* 13 lock bytes, rounded */
	assert_int_equal(L.vma - L.mm, 3 * sizeof(MmState));
	assert_int_equal(L.disk - L.pcache, 8); /* 4 bytes of page cache */
}

/* ---- the initial world ---- */

/* Runs world_init over a buffer full of garbage byte g. */
static uint8_t *init_over(const Layout *L, const Program *P, int g)
{
	uint8_t *w = malloc(L->size);
	assert_non_null(w);
	memset(w, g, L->size);
	world_init(L, P, w);
	return w;
}

static void test_init_deterministic(void **state)
{
	(void)state;
	Program *P = prog();
	Layout L;
	world_layout(&L, P);
	uint8_t *a = init_over(&L, P, 0xaa), *b = init_over(&L, P, 0x55), *c = init_over(&L, P, 0);
	assert_memory_equal(a, b, L.size);
	assert_memory_equal(a, c, L.size);
	/* and a second compile of the same text gives the same bytes */
	Program *Q = compile_ok(prog_text, NULL);
	Layout LQ;
	world_layout(&LQ, Q);
	assert_int_equal(LQ.size, L.size);
	uint8_t *d = init_over(&LQ, Q, 0xff);
	assert_memory_equal(a, d, L.size);
	/* padding between sections and after the last is zero */
	Sect s[16];
	int n = sections(&L, s);
	for (int i = 0; i < n; i++) {
		size_t end = i + 1 < n ? s[i + 1].off : L.size;
		for (size_t k = s[i].off + s[i].bytes; k < end; k++)
			if (a[k])
				fail_msg("byte %zu after section %s is 0x%02x", k, s[i].name, a[k]);
	}
	free(a);
	free(b);
	free(c);
	free(d);
	prog_free(Q);
}

/* The whole initial world, byte for byte: built by hand from the
 * scenario text, everything not declared is zero. */
static void test_init_as_declared(void **state)
{
	(void)state;
	Program *P = prog();
	Layout L;
	world_layout(&L, P);
	uint8_t *w = init_over(&L, P, 0xc3);
	uint8_t *x = calloc(1, L.size);
	assert_non_null(x);
	int p0 = find_proc(P, "CPU#0"), p2 = find_proc(P, "CPU#2");
	assert_true(p0 >= 0 && p2 >= 0);
	assert_int_equal(find_proc(P, "CPU#1"), -1);
	assert_int_equal(P->cpus[1].proc, -1);

	/* CPUs: 0 and 2 at their entries in their main procedure, 1 and the
	 * check CPU (3) done */
	CpuState *cs = w_cpu(&L, x, 0);
	cs->status = CPU_RUN;
	cs->pc = (uint16_t)P->procs[p0].entry;
	cs->depth = 1;
	w_frame(&L, x, 0, 0)->proc = (uint16_t)p0;
	w_frame(&L, x, 0, 0)->kind = FR_CALL;
	w_cpu(&L, x, 1)->status = CPU_DONE;
	cs = w_cpu(&L, x, 2);
	cs->status = CPU_RUN;
	cs->pc = (uint16_t)P->procs[p2].entry;
	cs->depth = 1;
	w_frame(&L, x, 2, 0)->proc = (uint16_t)p2;
	w_frame(&L, x, 2, 0)->kind = FR_CALL;
	w_cpu(&L, x, 3)->status = CPU_DONE;

	/* TLBs: CPU#1's third fill evicted its first (round robin, next
	 * victim 1); CPU#0 has one entry */
	TlbEntry *t1 = w_tlb(&L, x, 1), *t0 = w_tlb(&L, x, 0);
	t1[0] = (TlbEntry){ .vpn = 0x12, .pfn = 3, .mm = 1, .flags = TLB_V };
	t1[1] = (TlbEntry){ .vpn = 0x11, .pfn = 2, .mm = 0, .flags = TLB_V | TLB_W | TLB_D };
	w_cpu(&L, x, 1)->tlb_rr = 1;
	t0[0] = (TlbEntry){ .vpn = 0x12, .pfn = 3, .mm = 1, .flags = TLB_V | TLB_W };

	/* memory */
	Mem m;
	world_mem(&L, x, &m);
	m.pte[0] = 0x1027;
	m.pte[1] = 0x2067;
	m.pte[2] = 0x40;
	m.pte[5] = 0x3025;
	m.page[1].flags = PG_dirty;
	m.page[2].flags = PG_writeback | PG_uptodate;
	m.file[0].i_size = 8192;
	m.file[1].i_size = 100;
	m.pcache[0] = 1;
	m.pcache[1] = 2;
	m.pcache[2 + 3] = 3;
	/* page->mapping (file + 1) and page->index, as declared */
	m.page[1].mapping = 1;
	m.page[2].mapping = 1;
	m.page[2].index = 1;
	m.page[3].mapping = 2;
	m.page[3].index = 3;
	/* one reference for the page cache, one reference and one map count
	 * per present PTE (sim/world.c init_counts) */
	m.page[1].count = 2, m.page[1].mapcount = 1;
	m.page[2].count = 2, m.page[2].mapcount = 1;
	m.page[3].count = 2, m.page[3].mapcount = 1;
	/* vm_flags: the shorthands' defaults, a shared writable mapping:
	 * VM_READ|VM_WRITE|VM_SHARED|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC|VM_MAYSHARE */
	for (int i = 0; i < 3; i++)
		m.vm_flags[i] = 0xfb;

	/* field by field first, for a readable failure */
	Mem g;
	world_mem(&L, w, &g);
	for (int i = 0; i < L.npte; i++)
		assert_int_equal(g.pte[i], m.pte[i]);
	for (int i = 0; i <= L.npages; i++) {
		assert_int_equal(g.page[i].flags, m.page[i].flags);
		assert_int_equal(g.page[i].data, 0);
		assert_int_equal(g.page[i].locker, 0);
		assert_int_equal(g.page[i].count, m.page[i].count);
		assert_int_equal(g.page[i].mapcount, m.page[i].mapcount);
	}
	for (int i = 0; i < L.nslots; i++) {
		assert_int_equal(g.pcache[i], m.pcache[i]);
		assert_int_equal(g.disk[i], 0);
	}
	for (int i = 0; i < L.nfiles; i++) {
		assert_int_equal(g.file[i].i_size, m.file[i].i_size);
		assert_int_equal(g.file[i].mtime, 0);
	}
	for (int i = 0; i < L.nlocks; i++)
		assert_int_equal(g.lock[i], 0);
	for (int i = 0; i < L.nvmas; i++)
		assert_int_equal(g.vm_flags[i], m.vm_flags[i]);
	for (int c = 0; c < L.ncpu; c++)
		for (int e = 0; e < L.tlb_size; e++) {
			TlbEntry *ge = &w_tlb(&L, w, c)[e], *xe = &w_tlb(&L, x, c)[e];
			assert_int_equal(ge->flags, xe->flags);
			assert_int_equal(ge->vpn, xe->vpn);
			assert_int_equal(ge->pfn, xe->pfn);
			assert_int_equal(ge->mm, xe->mm);
		}
	for (int c = 0; c <= L.ncpu; c++) {
		assert_int_equal(w_cpu(&L, w, c)->status, w_cpu(&L, x, c)->status);
		assert_int_equal(w_cpu(&L, w, c)->pc, w_cpu(&L, x, c)->pc);
		assert_int_equal(w_cpu(&L, w, c)->depth, w_cpu(&L, x, c)->depth);
		assert_int_equal(w_cpu(&L, w, c)->tlb_rr, w_cpu(&L, x, c)->tlb_rr);
	}
	assert_int_equal(w_hdr(w)->seen, 0);
	/* then every byte */
	assert_memory_equal(w, x, L.size);
	free(w);
	free(x);
}

/* A page of a file with a later index than the file's size, pages
 * declared out of index order, a PTE given by an address inside its page,
 * a raw PTE value, and TLB fills that reuse their entry for the same
 * page. */
static void test_init_overrides(void **state)
{
	(void)state;
	Program *P = live = compile_ok(
		"scenario: ov\n"
		"machine: {cpus: 1, tlb_entries: 3}\n"
		"mms: [mm]\n"
		"files:\n"
		"  - name: f\n"
		"    size: 4096\n"
		"    pages:\n"
		"      - {name: hi, index: 2, flags: [PG_dirty, PG_writeback]}\n"
		"      - {name: lo, index: 0}\n"
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x20000, pages: 2, file: f}\n"
		"ptes:\n"
		"  - {mm: mm, addr: 0x21000, value: 0x2005}\n"
		"  - {mm: mm, addr: 0x20fff, page: hi, prot: 0x67}\n"
		"tlb:\n"
		"  - {cpu: 0, mm: mm, addr: 0x20000}\n"
		"  - {cpu: 0, mm: mm, addr: 0x21000, dirty: true}\n"
		"  - {cpu: 0, mm: mm, addr: 0x20000, writable: true, dirty: true}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"x = 1\"]\n", NULL);
	Layout L;
	world_layout(&L, P);
	assert_int_equal(L.nslots, 3);
	uint8_t *w = init_over(&L, P, 0x77);
	Mem m;
	world_mem(&L, w, &m);
	assert_int_equal(m.pte[0], 0x1067);     /* hi is pfn 1 */
	assert_int_equal(m.pte[1], 0x2005);
	assert_int_equal(m.pcache[0], 2);       /* lo */
	assert_int_equal(m.pcache[1], 0);
	assert_int_equal(m.pcache[2], 1);       /* hi */
	assert_int_equal(m.page[1].flags, PG_dirty | PG_writeback);
	assert_int_equal(m.page[2].flags, 0);
	assert_int_equal(m.file[0].i_size, 4096);
	TlbEntry *t = w_tlb(&L, w, 0);
	/* the third fill replaced the first in place: pfn of the final PTE */
	assert_int_equal(tlb_lookup(t, 3, 0, 0x20), 0);
	assert_int_equal(t[0].flags, TLB_V | TLB_W | TLB_D);
	assert_int_equal(t[0].pfn, 1);
	assert_int_equal(t[1].vpn, 0x21);
	assert_int_equal(t[1].flags, TLB_V | TLB_D);
	assert_int_equal(t[1].pfn, 2);          /* from the raw value 0x2005 */
	assert_int_equal(t[2].flags, 0);
	assert_int_equal(w_cpu(&L, w, 0)->tlb_rr, 0);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_lookup),
		cmocka_unit_test(test_op_table_entries),
		cmocka_unit_test(test_ops_markdown),
		cmocka_unit_test_teardown(test_vma_of, cleanup),
		cmocka_unit_test_teardown(test_pte_slot_and_slot_addr, cleanup),
		cmocka_unit_test_teardown(test_outcome_lookup, cleanup),
		cmocka_unit_test_teardown(test_value_name, cleanup),
		cmocka_unit_test_teardown(test_step_file, cleanup),
		cmocka_unit_test_teardown(test_list_exact, cleanup),
		cmocka_unit_test_teardown(test_list_variant_and_every_step, cleanup),
		cmocka_unit_test_teardown(test_arena, cleanup),
		cmocka_unit_test_teardown(test_layout_prog, cleanup),
		cmocka_unit_test_teardown(test_layout_minimal, cleanup),
		cmocka_unit_test_teardown(test_layout_odd_counts, cleanup),
		cmocka_unit_test_teardown(test_init_deterministic, cleanup),
		cmocka_unit_test_teardown(test_init_as_declared, cleanup),
		cmocka_unit_test_teardown(test_init_overrides, cleanup),
	};
	return cmocka_run_group_tests_name("program", tests, NULL, NULL);
}

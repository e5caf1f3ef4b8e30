/* tests/unit/test_cow.c: the kernel's write through a mapping
 * (copy_to_user_page, sim/page.c) and the outcome write_to_readonly_file
 * (sim/exec.c ex_write_through): a write that reaches a page-cache page
 * through a vma that may never write its file (private, or shared
 * without VM_MAYWRITE), by a kernel copy or a user store; stale_mapping
 * and the COW copy of a private file vma; the v4.8 gup constants. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* The machine, file page page0 and anonymous page anon0, up to the vmas. */
#define HEAD \
	"scenario: w\n" \
	"machine: {cpus: 1, models: [validating]}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - {name: file, size: 4096, pages: [{name: page0, index: 0}]}\n" \
	"pages:\n" \
	"  - {name: anon0, anon: true}\n" \
	"vmas:\n"

/* One CPU, one mm: file page page0 mapped by vma priv (private,
 * read-only: mmap(PROT_READ, MAP_PRIVATE)), shared (MAP_SHARED of a file
 * opened read-write), ro (MAP_SHARED of a file opened read-only: no
 * VM_MAYWRITE); anon0 an anonymous page.  BODY is CPU#0's program, OUT
 * extra top-level keys. */
#define SCN(BODY, OUT) \
	HEAD \
	"  - {name: priv, mm: mm, start: 0x10000, file: file, vm_flags: [VM_READ, VM_MAYREAD, VM_MAYWRITE]}\n" \
	"  - {name: shared, mm: mm, start: 0x20000, file: file}\n" \
	"  - {name: ro, mm: mm, start: 0x30000, file: file, vm_flags: [VM_READ, VM_SHARED, VM_MAYREAD, VM_MAYSHARE]}\n" \
	"  - {name: anon, mm: mm, start: 0x40000, shared: false}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x40000, page: anon0, prot: 0x67}\n" \
	"outcomes:\n" \
	"  - {lost_write: off}\n" OUT \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    mm: mm\n" \
	"    body: [\"" BODY "\"]\n"

#define RO(o) (((o) >> OUT_WRITE_TO_READONLY_FILE) & 1)

static SimFx fx[1];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 1);
	return 0;
}

/* Runs text's CPU#0 to its end; the outcomes of the end state. */
static uint32_t run(const char *text)
{
	fx_start(&fx[0], text, NULL, "validating");
	uint32_t o = fx_run_to_end(&fx[0]);
	return o;
}

/* copy_to_user_page writes the page, content + 1, and sets no dirty
 * bit; through the private or the read-only shared vma into the page
 * cache it is write_to_readonly_file, through the shared writable vma or
 * into an anonymous page it is not. */
static void test_copy_to_user_page(void **state)
{
	static const char priv[] = SCN("copy_to_user_page(priv, page0, 0x10000, 0, 0, 8)", "");
	static const char shared[] = SCN("copy_to_user_page(shared, page0, 0x20000, 0, 0, 8)", "");
	static const char ro[] = SCN("copy_to_user_page(ro, page0, 0x30000, 0, 0, 8)", "");
	static const char anon[] = SCN("copy_to_user_page(priv, anon0, 0x10000, 0, 0, 8)", "");
	static const char none[] = SCN("copy_to_user_page(priv, page0, 0x10000, 0, 0, 0)", "");
	(void)state;
	assert_int_equal(RO(run(priv)), 1);
	PageState *pg = w_page(&fx[0].S.L, fx[0].w, 1);
	assert_int_equal(pg->data, 1);
	assert_int_equal(pg->flags & PG_dirty, 0);
	fx_finish(&fx[0]);
	assert_int_equal(RO(run(shared)), 0);
	assert_int_equal(w_page(&fx[0].S.L, fx[0].w, 1)->data, 1);
	fx_finish(&fx[0]);
	assert_int_equal(RO(run(ro)), 1);
	fx_finish(&fx[0]);
	assert_int_equal(RO(run(anon)), 0);
	assert_int_equal(w_page(&fx[0].S.L, fx[0].w, 2)->data, 1);
	fx_finish(&fx[0]);
	assert_int_equal(RO(run(none)), 0);                 /* nothing written */
	assert_int_equal(w_page(&fx[0].S.L, fx[0].w, 1)->data, 0);
	fx_finish(&fx[0]);
}

/* A user store that lands in the file page through a private PTE (one
 * the kernel should never have made writable) is the outcome too; the
 * same store through the shared writable vma is not. */
static void test_user_store(void **state)
{
#define STORE(ADDR) \
	"scenario: w\n" \
	"machine: {cpus: 1, models: [validating]}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - {name: file, size: 4096, pages: [{name: page0, index: 0}]}\n" \
	"vmas:\n" \
	"  - {name: priv, mm: mm, start: 0x10000, file: file, shared: false}\n" \
	"  - {name: shared, mm: mm, start: 0x20000, file: file}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x67}\n" \
	"  - {mm: mm, addr: 0x20000, page: page0, prot: 0x67}\n" \
	"outcomes: {lost_write: off}\n" \
	"cpus:\n" \
	"  - {cpu: 0, mm: mm, body: [\"store(" ADDR ")\"]}\n"
	static const char priv[] = STORE("0x10000"), shared[] = STORE("0x20000");
	(void)state;
	assert_int_equal(RO(run(priv)), 1);
	assert_int_equal(w_page(&fx[0].S.L, fx[0].w, 1)->data, 1);
	fx_finish(&fx[0]);
	assert_int_equal(RO(run(shared)), 0);
	assert_int_equal(w_page(&fx[0].S.L, fx[0].w, 1)->data, 1);
	fx_finish(&fx[0]);
#undef STORE
}

/* Turned off, the outcome is not recorded: the sticky flag stays clear,
 * so the scenario's states are what they were without it. */
static void test_off(void **state)
{
	static const char off[] = SCN("copy_to_user_page(priv, page0, 0x10000, 0, 0, 8)",
	                              "  - {write_to_readonly_file: off}\n");
	(void)state;
	assert_int_equal(RO(run(off)), 0);
	assert_int_equal(w_hdr(fx[0].w)->seen & SEEN_WRITE_RO_FILE, 0);
	fx_finish(&fx[0]);
}

/* Bytes past the page are a scenario error at the step; so is a vma
 * operand that is a page. */
static void test_errors(void **state)
{
	static const char past[] = SCN("copy_to_user_page(priv, page0, 0x10000, 4000, 0, 200)", "");
	static const char kind[] = SCN("copy_to_user_page(page0, page0, 0x10000, 0, 0, 8)", "");
	Choice ch[MAX_CHOICES];
	(void)state;
	fx_start(&fx[0], past, NULL, "validating");
	assert_true(sim_enabled(&fx[0].S, fx[0].w, ch) > 0);
	assert_true(sim_apply(&fx[0].S, fx[0].w, ch[0]) < 0);
	assert_non_null(strstr(fx[0].S.err, "copy_to_user_page: bytes 4000 to 4200 are past the end of the page"));
	fx_finish(&fx[0]);
	char msg[1024];
	compile_err(kind, NULL, msg, sizeof msg);
	assert_non_null(strstr(msg, "copy_to_user_page: argument 1 must be a"));
}

/* stale_mapping skips an anonymous page mapped in a private file vma
 * (the file page's COW copy), not one in a shared file vma. */
static void test_stale_mapping_cow_copy(void **state)
{
#define COPY(SHARED) \
	HEAD \
	"  - {name: vma, mm: mm, start: 0x10000, file: file, shared: " SHARED "}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: anon0, prot: 0x65}\n" \
	"cpus:\n" \
	"  - {cpu: 0, body: [\"x = 0\"]}\n"
	static const char priv[] = COPY("false"), shared[] = COPY("true");
	(void)state;
	assert_int_equal(run(priv) >> OUT_STALE_MAPPING & 1, 0);
	fx_finish(&fx[0]);
	assert_int_equal(run(shared) >> OUT_STALE_MAPPING & 1, 1);
	fx_finish(&fx[0]);
#undef COPY
}

/* get_user_pages' FOLL_* and the fault's FAULT_FLAG_* have v4.8's values
 * (include/linux/mm.h); FOLL_COW is 19be0eaffa3a's. */
static void test_gup_constants(void **state)
{
	static const char text[] = SCN("x = FOLL_WRITE | FOLL_FORCE | FOLL_COW | FOLL_REMOTE | FAULT_FLAG_REMOTE", "");
	(void)state;
	Program *P = compile_ok(text, NULL);
	int i = find_step(P, -1, OP_MOV, 0);
	assert_true(i >= 0);
	assert_int_equal(P->steps[i].a[0].kind, OPD_CONST);
	assert_int_equal(P->steps[i].a[0].v, 0x01 | 0x10 | 0x4000 | 0x2000 | 0x80);
	prog_free(P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_copy_to_user_page, cleanup),
		cmocka_unit_test_teardown(test_user_store, cleanup),
		cmocka_unit_test_teardown(test_off, cleanup),
		cmocka_unit_test_teardown(test_errors, cleanup),
		cmocka_unit_test_teardown(test_stale_mapping_cow_copy, cleanup),
		cmocka_unit_test(test_gup_constants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

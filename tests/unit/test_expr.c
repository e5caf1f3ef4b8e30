/* tests/unit/test_expr.c: unit tests of the expression compiler
 * (scenarios/expr.c): C precedence and folding, short-circuit evaluation,
 * one interleaving point per call in C's evaluation order, liveness of
 * temporaries, the value a trace shows, and the messages of bad
 * expressions.  Run-time values are checked with BUG_ON, so each test
 * asserts what the simulator computed, not how it was lowered. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "scenarios/compile.h"
#include "sim/exec.h"
#include "sim/explore.h"

/* One CPU, page0 mapped at 0x10000 (PTE 0x1027), page1 not mapped. */
#define MACHINE \
	"scenario: x\n" \
	"machine: {cpus: 2}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    pages:\n" \
	"      - {name: page0, index: 0}\n" \
	"      - {name: page1, index: 1}\n" \
	"vmas:\n" \
	"  - {name: vma, mm: mm, start: 0x10000, pages: 1, file: file}\n" \
	"ptes:\n" \
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x27}\n"

static SimFx fx[1];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 1);
	return 0;
}

/* Runs CPU#0's body to the end; returns its outcomes. */
static uint32_t run_body(const char *body)
{
	char text[4096];
	snprintf(text, sizeof text, MACHINE "cpus:\n  - cpu: 0\n    body:\n%s", body);
	fx_start(&fx[0], text, NULL, "validating");
	uint32_t o = fx_run_to_end(&fx[0]);
	fx_finish(&fx[0]);
	return o;
}

/* Asserts that expression e, with registers a = 3, b = 5, z = 0 and
 * m = ~0, evaluates to want at run time (and not to want + 1). */
static void eval_is(const char *e, uint64_t want)
{
	char body[1024];
	snprintf(body, sizeof body,
	         "      - \"a = 3\"\n      - \"b = 5\"\n      - \"z = 0\"\n      - \"m = 0xffffffffffffffff\"\n"
	         "      - \"x = %s\"\n      - \"BUG_ON(x != %#llx)\"\n", e, (unsigned long long)want);
	if (run_body(body) & (1u << OUT_BUG_ON))
		fail_msg("%s != %#llx", e, (unsigned long long)want);
	snprintf(body, sizeof body,
	         "      - \"a = 3\"\n      - \"b = 5\"\n      - \"z = 0\"\n      - \"m = 0xffffffffffffffff\"\n"
	         "      - \"x = %s\"\n      - \"BUG_ON(x == %#llx)\"\n", e, (unsigned long long)want);
	assert_true(run_body(body) & (1u << OUT_BUG_ON));
}

static void test_precedence(void **state)
{
	(void)state;
	eval_is("a + b * 2", 13);
	eval_is("(a + b) * 2", 16);
	eval_is("b - a - 1", 1);                 /* left associative */
	eval_is("b / a", 1);
	eval_is("b % a", 2);
	eval_is("a << 4 | 1", 49);
	eval_is("1 | a << 4", 49);
	eval_is("a & 1 == 1", 1);                /* == binds tighter than & */
	eval_is("b ^ a & 1", 4);                 /* & before ^ */
	eval_is("a | b ^ 1", 7);                 /* ^ before | */
	eval_is("a < b == 1", 1);
	eval_is("a <= 3 && b > 4 && b >= 5", 1);
	eval_is("z || a", 1);
	eval_is("z && a || b", 1);               /* && before || */
	eval_is("!a + 1", 1);
	eval_is("~z", 0xffffffffffffffffull);
	eval_is("-a", (uint64_t)-3);
	eval_is("m >> 63", 1);                   /* logical shift: unsigned */
	eval_is("m > a", 1);                     /* unsigned comparison */
	eval_is("a << 64", 0);
	eval_is("!!b", 1);
	eval_is("_PAGE_DIRTY | _PAGE_RW", 0x42);
	eval_is("pte_dirty(0x1067) && !pte_dirty(0x1027)", 1);
}

static void test_constants_fold(void **state)
{
	(void)state;
	Program *P = compile_ok(MACHINE
		"cpus:\n  - cpu: 0\n    body: [\"x = (1 + 2) * 3 << 1 | _PAGE_PRESENT\"]\n", NULL);
	assert_int_equal(P->steps[0].op, OP_MOV);
	assert_int_equal(P->steps[0].a[0].kind, OPD_CONST);
	assert_int_equal(P->steps[0].a[0].v, 19);
	assert_int_equal(P->steps[1].op, OP_RET);
	prog_free(P);
}

static void test_short_circuit(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char *const bodies[][2] = {
		{ "      - \"z = 0\"\n      - \"x = z && set_page_dirty(page0)\"\n", "0" },
		{ "      - \"o = 1\"\n      - \"x = o || set_page_dirty(page0)\"\n", "0" },
		{ "      - \"o = 1\"\n      - \"x = o && set_page_dirty(page0)\"\n", "1" },
		{ "      - \"z = 0\"\n      - \"x = z || set_page_dirty(page0)\"\n", "1" },
		{ "      - \"if: \\\"0 && set_page_dirty(page0)\\\"\"\n", "0" },
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		char text[2048];
		const char *b = bodies[i][0];
		if (i == 4)
			b = "      - if: \"0 && set_page_dirty(page0)\"\n        then: [\"BUG_ON(1)\"]\n";
		snprintf(text, sizeof text, MACHINE "cpus:\n  - cpu: 0\n    body:\n%s", b);
		fx_start(f, text, NULL, "validating");
		assert_int_equal(fx_run_to_end(f) & (1u << OUT_BUG_ON), 0);
		int dirty = !!(w_page(&f->S.L, f->w, 1)->flags & PG_dirty);
		assert_int_equal(dirty, bodies[i][1][0] - '0');
		fx_finish(f);
	}
}

/* Each call that touches shared state is one interleaving point, in C's
 * order: arguments before the call, left to right. */
static void test_interleaving_points(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_start(f, MACHINE "cpus:\n  - cpu: 0\n    body:\n"
	         "      - \"x = PageDirty(page0) + PageDirty(page1) * pte_dirty(ptep_get(vma, 0x10000))\"\n"
	         "      - \"BUG_ON(x)\"\n", NULL, "validating");
	const Step *s = f->P->steps;
	int at[3];
	for (int k = 0; k < 3; k++) {
		at[k] = w_cpu(&f->S.L, f->w, 0)->pc;
		fx_apply(f, CH_STEP(0));
	}
	assert_int_equal(s[at[0]].op, OP_PAGE_DIRTY);
	assert_int_equal(s[at[0]].a[0].v, h_make(HK_PAGE, 1));
	assert_string_equal(s[at[0]].text, "PageDirty(page0)");
	assert_int_equal(s[at[1]].op, OP_PAGE_DIRTY);
	assert_int_equal(s[at[1]].a[0].v, h_make(HK_PAGE, 2));
	assert_int_equal(s[at[2]].op, OP_PTEP_GET);
	assert_string_equal(s[at[2]].text, "ptep_get(vma, 0x10000)");
	assert_int_equal(s[at[2]].col, (uint32_t)col_of(f->text, "ptep_get"));
	assert_int_equal(w_cpu(&f->S.L, f->w, 0)->status, CPU_DONE);
	fx_finish(f);
}

/* A temporary is live while a later part of its statement reads it and
 * dead (zeroed) from then on; a temporary only a retargeted step wrote is
 * no register at all. */
static void test_temporaries(void **state)
{
	(void)state;
	Program *P = compile_ok(MACHINE "cpus:\n  - cpu: 0\n    body:\n"
		"      - \"x = PageDirty(page0) + PageDirty(page1)\"\n"
		"      - \"y = !PageDirty(page0)\"\n"
		"      - \"BUG_ON(x + y)\"\n", NULL);
	int t0 = find_local(P, 0, "(t0)"), x = find_local(P, 0, "x"), y = find_local(P, 0, "y");
	assert_true(t0 >= 0 && x >= 0 && y >= 0);
	assert_int_equal(find_local(P, 0, "(t2)"), -1);
	const Step *s = P->steps;
	assert_int_equal(s[0].dst, t0);
	assert_false(s[0].dead >> t0 & 1);          /* read by the + */
	assert_int_equal(s[1].op, OP_PAGE_DIRTY);
	assert_int_equal(s[2].op, OP_BADD);
	assert_int_equal(s[2].dst, x);
	assert_true(s[2].dead >> t0 & 1);           /* dead after it */
	assert_int_equal(s[3].dst, t0);             /* the temporary is reused */
	assert_int_equal(s[4].op, OP_NOT);
	assert_int_equal(s[4].dst, y);
	assert_int_equal(s[4].show, 1);
	assert_int_equal(s[2].show, 1);
	prog_free(P);
}

static int has_event(const Trace *t, const char *text)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->ev[i].text, text))
			return 1;
	return 0;
}

/* The trace shows each call's own value and then the value assigned. */
static void test_trace_shows_assigned_value(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_setup(f, MACHINE "cpus:\n  - cpu: 0\n    body:\n"
	         "      - \"x = !PageDirty(page0)\"\n"
	         "      - \"e = ptep_get(vma, 0x10000)\"\n"
	         "      - \"d = pte_dirty(ptep_get(vma, 0x10000)) || pte_write(e)\"\n", NULL, "validating");
	f->S.trace = &f->t;
	f->w = calloc(1, f->S.L.size);
	assert_int_equal(sim_start(&f->S, f->w), 0);
	fx_run_to_end(f);
	assert_true(has_event(&f->t, "PageDirty(page0) = 0"));
	assert_true(has_event(&f->t, "x = !PageDirty(page0) = 1"));
	assert_true(has_event(&f->t, "e = ptep_get(vma, 0x10000) = 0x1027"));
	assert_true(has_event(&f->t, "ptep_get(vma, 0x10000) = 0x1027"));
	assert_true(has_event(&f->t, "d = pte_dirty(ptep_get(vma, 0x10000)) || pte_write(e) = 1"));
	assert_false(has_event(&f->t, "x = !PageDirty(page0) = 0"));
	fx_finish(f);
}

static void test_eight_arguments(void **state)
{
	(void)state;
	uint32_t o = run_body(
		"      - \"x = sum8(1, 2, 3, 4, 5, 6, 7, 0x100)\"\n"
		"      - \"BUG_ON(x != 284)\"\n"
		"procedures:\n"
		"  - name: sum8\n"
		"    params: [a, b, c, d, e, f, g, h]\n"
		"    body: [\"return a + b + c + d + e + f + g + h\"]\n");
	assert_int_equal(o & (1u << OUT_BUG_ON), 0);
}

static void test_compound_assignment(void **state)
{
	(void)state;
	eval_is("a", 3);
	uint32_t o = run_body("      - \"a = 3\"\n      - \"a += 4\"\n      - \"a -= 1\"\n      - \"a &= 0x7\"\n"
	                      "      - \"a ^= 1\"\n      - \"a |= 0x10\"\n      - \"BUG_ON(a != 0x17)\"\n");
	assert_int_equal(o & (1u << OUT_BUG_ON), 0);
}

/* A handle in a register reaches an operator only at run time. */
static void test_handle_operator_at_run_time(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	fx_setup(f, MACHINE "cpus:\n  - cpu: 0\n    body:\n"
	         "      - \"p = pte_page(0x1027)\"\n"
	         "      - \"BUG_ON(p == NULL)\"\n"
	         "      - \"x = p + 1\"\n", NULL, "validating");
	f->w = calloc(1, f->S.L.size);
	assert_int_equal(sim_start(&f->S, f->w), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:%d:%d: operator '+' on a page (x = p + 1)", f->path,
	         line_of(f->text, "x = p + 1"), col_of(f->text, "p + 1"));
	assert_string_equal(f->S.err, want);
	fx_finish(f);
	fx_setup(f, MACHINE "cpus:\n  - cpu: 0\n    body: [\"z = 0\", \"x = 4 % z\"]\n", NULL, "validating");
	f->w = calloc(1, f->S.L.size);
	assert_int_equal(sim_start(&f->S, f->w), -1);
	assert_non_null(strstr(f->S.err, ": x = 4 % z: division by zero"));
	fx_finish(f);
}

static void expect_error(const char *stmt, const char *at, const char *msg)
{
	char text[2048], err[1024], want[1024], path[64];
	snprintf(text, sizeof text, MACHINE "cpus:\n  - cpu: 0\n    body:\n      - \"r = 1\"\n      - \"%s\"\n", stmt);
	Program *P = compile_text_at(text, NULL, path, err, sizeof err);
	if (P)
		fail_msg("'%s' compiled", stmt);
	snprintf(want, sizeof want, "%s:%d:%d: %s", path, line_of(text, stmt), col_of(text, at), msg);
	assert_string_equal(err, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("x = (r + 1", "(r + 1", "unbalanced parenthesis: this '(' is never closed");
	expect_error("x = r + 1)", ")", "unexpected ')' after the value");
	expect_error("x = r ** 2", "* 2", "expected a value, got '*'");
	expect_error("x = r @ 2", "@", "unexpected character '@'");
	expect_error("x = page0 + 1", "+ 1", "operator '+' on a page (only ==, != and ! take handles)");
	expect_error("x = ~ptl", "~", "operator '~' on a lock (only ==, != and ! take handles)");
	expect_error("x = r(1)", "r(1)", "'r' is not a function");
	expect_error("x = ptep_get(vma)", "ptep_get", "ptep_get takes 2 arguments, got 1");
	expect_error("x = spin_unlock(ptl) + 1", "spin_unlock", "spin_unlock returns no value");
	expect_error("NULL = 1", "NULL", "cannot assign to 'NULL': it is a constant, not a register");
	expect_error("x = 4 / 0", "/ 0", "division by zero");
	expect_error("x = pte_dirty", "pte_dirty", "'pte_dirty' is a function: call it as pte_dirty(...)");
	expect_error("x = PageDirty(page0,)", ")", "expected a value, got ')'");
	expect_error("x = PageDirty(page0", "(page0", "expected ')' to close 'PageDirty('");
	expect_error("x += 1", "x += 1", "undefined register 'x'");
	expect_error("y = x", "x\"", "undefined register 'x'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_precedence, cleanup),
		cmocka_unit_test_teardown(test_constants_fold, cleanup),
		cmocka_unit_test_teardown(test_short_circuit, cleanup),
		cmocka_unit_test_teardown(test_interleaving_points, cleanup),
		cmocka_unit_test_teardown(test_temporaries, cleanup),
		cmocka_unit_test_teardown(test_trace_shows_assigned_value, cleanup),
		cmocka_unit_test_teardown(test_eight_arguments, cleanup),
		cmocka_unit_test_teardown(test_compound_assignment, cleanup),
		cmocka_unit_test_teardown(test_handle_operator_at_run_time, cleanup),
		cmocka_unit_test_teardown(test_errors, cleanup),
	};
	return cmocka_run_group_tests_name("expr", tests, NULL, NULL);
}

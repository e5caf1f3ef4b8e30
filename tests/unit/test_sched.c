/* tests/unit/test_sched.c: unit tests of sim/sched.c: schedule strings
 * printed and parsed back, separators, bounds and error messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim/sched.h"

static void test_format(void **state)
{
	Choice ch[] = { CH_STEP(0), CH_STEP(0), CH_STEP(1), CH_IPI(1), CH_STEP(63), CH_IPI(0) };
	char buf[64];
	(void)state;
	assert_string_equal(sched_format(ch, 6, buf, sizeof buf), "0 0 1 i1 63 i0");
	assert_ptr_equal(sched_format(ch, 6, buf, sizeof buf), buf);
	assert_string_equal(sched_format(ch, 1, buf, sizeof buf), "0");
	strcpy(buf, "junk");
	assert_string_equal(sched_format(ch, 0, buf, sizeof buf), "");
}

static void test_format_truncates_whole_tokens(void **state)
{
	Choice ch[40];
	char full[512], buf[512];
	(void)state;
	for (int i = 0; i < 40; i++)
		ch[i] = i % 3 ? CH_STEP(i) : CH_IPI(i);
	sched_format(ch, 40, full, sizeof full);
	for (size_t len = 1; len < strlen(full) + 2; len++) {
		memset(buf, 'x', sizeof buf);
		sched_format(ch, 40, buf, len);
		size_t n = strlen(buf);
		assert_true(n < len);
		assert_memory_equal(buf, full, n);
		/* it stops at a token boundary */
		assert_true(n == 0 || full[n] == ' ' || full[n] == 0);
		assert_int_equal(buf[len], 'x');
	}
}

static void test_parse(void **state)
{
	Choice *ch = NULL;
	char err[256] = "";
	Choice want[] = { CH_STEP(0), CH_STEP(0), CH_STEP(1), CH_STEP(0), CH_IPI(1), CH_STEP(1), CH_STEP(0), CH_STEP(0) };
	(void)state;
	assert_int_equal(sched_parse("0 0 1 0 i1 1 0 0", &ch, err, sizeof err), 8);
	assert_memory_equal(ch, want, sizeof want);
	free(ch);
}

static void test_parse_separators(void **state)
{
	Choice *ch = NULL;
	char err[256] = "";
	Choice want[] = { CH_STEP(0), CH_STEP(1), CH_IPI(2), CH_STEP(3), CH_IPI(12) };
	(void)state;
	assert_int_equal(sched_parse("  0,1\ti2\n3 ,, i12 \n", &ch, err, sizeof err), 5);
	assert_memory_equal(ch, want, sizeof want);
	free(ch);
	ch = NULL;
	assert_int_equal(sched_parse("", &ch, err, sizeof err), 0);
	assert_non_null(ch);
	free(ch);
	ch = NULL;
	assert_int_equal(sched_parse(" \t\n, ", &ch, err, sizeof err), 0);
	free(ch);
}

static void test_parse_long(void **state)
{
	/* more than the initial capacity */
	char s[4096] = "";
	Choice *ch = NULL;
	char err[256] = "";
	(void)state;
	for (int i = 0; i < 500; i++)
		strcat(s, i % 2 ? "i7 " : "5 ");
	assert_int_equal(sched_parse(s, &ch, err, sizeof err), 500);
	for (int i = 0; i < 500; i++)
		assert_int_equal(ch[i], i % 2 ? CH_IPI(7) : CH_STEP(5));
	free(ch);
}

static void test_round_trip(void **state)
{
	Choice ch[2 * MAX_CPUS], *back = NULL;
	char buf[1024], again[1024], err[256] = "";
	(void)state;
	for (int c = 0; c < MAX_CPUS; c++) {
		ch[2 * c] = CH_STEP(c);
		ch[2 * c + 1] = CH_IPI(MAX_CPUS - 1 - c);
	}
	sched_format(ch, 2 * MAX_CPUS, buf, sizeof buf);
	assert_int_equal(sched_parse(buf, &back, err, sizeof err), 2 * MAX_CPUS);
	assert_memory_equal(back, ch, sizeof ch);
	sched_format(back, 2 * MAX_CPUS, again, sizeof again);
	assert_string_equal(again, buf);
	free(back);
}

static void expect_error(const char *s, const char *msg)
{
	Choice *ch = NULL;
	char err[256] = "";
	assert_int_equal(sched_parse(s, &ch, err, sizeof err), -1);
	assert_string_equal(err, msg);
}

static void test_bad_tokens(void **state)
{
	(void)state;
	expect_error("0 x1", "schedule: token 2 'x1': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)");
	expect_error("i", "schedule: token 1 'i': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)");
	expect_error("0 1 ii1", "schedule: token 3 'ii1': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)");
	expect_error("-1", "schedule: token 1 '-1': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)");
	expect_error("0,I1", "schedule: token 2 'I1': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)");
	expect_error("0 64", "schedule: token 2 '64': not a CPU number");
	expect_error("i64", "schedule: token 1 'i64': not a CPU number");
	expect_error("1a 0", "schedule: token 1 '1a': not a CPU number");
	expect_error("0x1", "schedule: token 1 '0x1': not a CPU number");
	expect_error("99999999999999999999999", "schedule: token 1 '99999999999999999999999': not a CPU number");
	expect_error("1 2 3;", "schedule: token 3 '3;': not a CPU number");
}

static void test_bounds(void **state)
{
	Choice *ch = NULL;
	char err[256] = "";
	(void)state;
	assert_int_equal(sched_parse("63 i63 00 007", &ch, err, sizeof err), 4);
	assert_int_equal(ch[0], CH_STEP(63));
	assert_int_equal(ch[1], CH_IPI(63));
	assert_int_equal(ch[2], CH_STEP(0));
	assert_int_equal(ch[3], CH_STEP(7));
	free(ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_truncates_whole_tokens),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_separators),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_tokens),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}

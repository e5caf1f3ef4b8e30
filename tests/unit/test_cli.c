/* tests/unit/test_cli.c: unit tests of cli/json.c (JSON strings for any
 * bytes) and cli/opts.c (getopt_long: prefixes, values, repeats, "--",
 * errors as exit statuses).  Usage errors go to stderr, which cmocka's
 * output shows; the test checks only the statuses and the parsed fields. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/opts.h"

/* json_str of len bytes of s, as a malloc'd string. */
static char *json_of(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	json_str(m, s, len);
	fclose(m);
	return buf;
}

static void expect_json(const char *in, size_t len, const char *want)
{
	char *got = json_of(in, len);
	assert_string_equal(got, want);
	free(got);
}

static void test_json_escapes(void **state)
{
	(void)state;
	expect_json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	expect_json("\n\t\r\x01\x1b\x1f\x7f", 7, "\"\\n\\t\\r\\u0001\\u001b\\u001f\x7f\"");
	expect_json("</script>", 9, "\"</script>\"");
	expect_json("", 0, "\"\"");
}

static void test_json_utf8(void **state)
{
	(void)state;
	expect_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	expect_json("\xff", 1, "\"\\ufffd\"");                 /* never UTF-8 */
	expect_json("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");      /* overlong '/' */
	expect_json("\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\"");
	expect_json("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");  /* a surrogate */
	expect_json("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  /* above U+10FFFF */
	expect_json("\xe2\x82", 2, "\"\\ufffd\\ufffd\"");      /* cut short */
	expect_json("a\xc3", 2, "\"a\\ufffd\"");
}

static const OptSpec spec = { "explore", "usage: test\n", "variant model max-states brief db no-db quiet", 0 };

/* Parses the words of line (split on spaces) with spec; returns the status. */
static int parse(const char *line, Opts *o)
{
	static char buf[512];
	char *words[33] = { "explore" }, *save = NULL;
	int n = 1;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && n < 32; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	int rc = opt_parse(&spec, n - 1, words + 1, o);
	opt_free(o);
	return rc;
}

static void test_opts_forms(void **state)
{
	Opts o;
	(void)state;
	assert_int_equal(parse("f.yaml --variant=old -m blind --max 12 --br -q", &o), -1);
	assert_string_equal(o.variant, "old");
	assert_string_equal(o.model, "blind");
	assert_int_equal(o.max_states, 12);
	assert_true(o.brief && o.quiet);
	assert_int_equal(o.nargs, 1);
	assert_string_equal(o.args[0], "f.yaml");
	assert_int_equal(parse("-vold -- --brief f.yaml", &o), -1);
	assert_string_equal(o.variant, "old");
	assert_int_equal(o.nargs, 2);
	assert_string_equal(o.args[0], "--brief");
	assert_false(o.brief);
	assert_int_equal(parse("a b", &o), -1);
	assert_string_equal(o.db, "tlbsim.db");
	assert_int_equal(o.max_states, 50000000);
}

static void test_opts_errors(void **state)
{
	Opts o;
	(void)state;
	assert_int_equal(parse("f --see 5", &o), 2);          /* unknown */
	assert_int_equal(parse("f --m blind", &o), 2);        /* ambiguous: model, max-states */
	assert_int_equal(parse("f --brief=yes", &o), 2);      /* a value on a flag */
	assert_int_equal(parse("f --model", &o), 2);          /* missing value */
	assert_int_equal(parse("f -m a --model b", &o), 2);   /* repeated */
	assert_int_equal(parse("f --max-states 12x", &o), 2); /* not a number */
	assert_int_equal(parse("f --db x --no-db", &o), 2);
	assert_int_equal(parse("f -s 1", &o), 2);             /* not an option of this command */
	assert_int_equal(parse("f --help", &o), 0);           /* help printed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_utf8),
		cmocka_unit_test(test_opts_forms),
		cmocka_unit_test(test_opts_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

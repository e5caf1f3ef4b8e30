/* tests/unit/test_html.c: unit tests of reports/html.c (escaping, the
 * page and its SVG timelines) and reports/witness.c (replays and where
 * an outcome becomes true).  Pages are written to memory and searched as
 * text; the browser test is tests/html.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "reports/html.h"
#include "reports/witness.h"

/* CPU#0 write-protects the PTE and flushes (an IPI to CPU#1, which holds
 * the mm and a TLB entry); CPU#1 loads.  Every schedule takes the IPI, and
 * the named outcome becomes true at set_pte_at.  The name and description
 * are hostile text. */
static const char two_cpus[] =
	"scenario: \"two <cpus> & \\\"quotes\\\" 'x' </svg>\"\n"
	"description: \"ctrl \\x01\\e[1m <script>alert(1)</script>\"\n"
	"machine: {cpus: 2, models: [blind]}\n"
	"mms: [mm]\n"
	"files:\n"
	"  - {name: file, size: 4096, pages: [{name: page0, index: 0}]}\n"
	"vmas:\n"
	"  - {name: vma, mm: mm, start: 0x10000, file: file}\n"
	"ptes:\n"
	"  - {mm: mm, addr: 0x10000, page: page0, prot: 0x67}\n"
	"tlb:\n"
	"  - {cpu: 1, mm: mm, addr: 0x10000, writable: true, dirty: true}\n"
	"procedures:\n"
	"  - name: pte_readonly\n"
	"    body:\n"
	"      - \"entry = ptep_get(vma, 0x10000)\"\n"
	"      - \"ro = !pte_write(entry)\"\n"
	"      - \"return ro\"\n"
	"cpus:\n"
	"  - cpu: 0\n"
	"    body:\n"
	"      - \"entry = ptep_get(vma, 0x10000)\"\n"
	"      - \"entry = pte_wrprotect(entry)\"\n"
	"      - \"set_pte_at(vma, 0x10000, entry)\"\n"
	"      - \"flush_tlb_page(vma, 0x10000)\"\n"
	"  - {cpu: 1, mm: mm, body: [\"load(0x10000)\"]}\n"
	"outcomes:\n"
	"  - {name: pte_ends_readonly, check: pte_readonly, doc: the PTE is read-only}\n";

static SimFx fx;

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(&fx, 1);
	return 0;
}

/* ---- escaping ---- */

static char *escaped(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	html_text(f, s, len);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect_escape(const char *s, size_t len, const char *want)
{
	char *got = escaped(s, len);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape_markup(void **state)
{
	(void)state;
	expect_escape("<script>alert(\"x\")</script>", 27, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	expect_escape("a & b 'c'", 9, "a &amp; b &#39;c&#39;");
	expect_escape("]]> <!-- -->", 12, "]]&gt; &lt;!-- --&gt;");
}

static void test_escape_controls(void **state)
{
	(void)state;
	expect_escape("a\tb\nc\r", 6, "a\tb\nc\r");                        /* kept */
	expect_escape("\x01\x1b[31m\x7f", 7, "&#x2401;&#x241B;[31m&#x2421;");  /* pictures */
	expect_escape("nul\0x", 5, "nul&#x2400;x");                            /* a NUL byte too */
	expect_escape("\xc2\x85\xc2\x9f", 4, "&#xFFFD;&#xFFFD;");              /* C1 controls */
	expect_escape("\xef\xbf\xbe\xef\xb7\x90", 6, "&#xFFFD;&#xFFFD;");      /* noncharacters */
}

static void test_escape_utf8(void **state)
{
	(void)state;
	expect_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	expect_escape("\xff\xfe", 2, "&#xFFFD;&#xFFFD;");                      /* never UTF-8 */
	expect_escape("\xc0\xaf", 2, "&#xFFFD;&#xFFFD;");                      /* overlong '/' */
	expect_escape("\xed\xa0\x80", 3, "&#xFFFD;&#xFFFD;&#xFFFD;");          /* a surrogate */
	expect_escape("\xf4\x90\x80\x80", 4, "&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;"); /* > U+10FFFF */
	expect_escape("\xe2\x82", 2, "&#xFFFD;&#xFFFD;");                      /* cut short */
	expect_escape("\xe2\x82<", 3, "&#xFFFD;&#xFFFD;&lt;");                 /* cut by markup */
}

/* ---- witnesses ---- */

/* The first event whose text starts with prefix, or -1. */
static int find_event(const Trace *t, const char *prefix)
{
	for (int i = 0; i < t->n; i++)
		if (!strncmp(t->ev[i].text, prefix, strlen(prefix)))
			return i;
	return -1;
}

static const OutcomeStat *explored_outcome(const char *name)
{
	for (int o = 0; o < fx.P->noutcomes; o++)
		if (!strcmp(fx.P->outcomes[o].name, name)) {
			assert_non_null(fx.R.out[o].witness);
			return &fx.R.out[o];
		}
	fail_msg("no outcome %s", name);
	return NULL;
}

static void test_witness_mark(void **state)
{
	(void)state;
	Witness W;
	char err[512];
	fx_explore_ok(&fx, two_cpus, "blind");
	const OutcomeStat *os = explored_outcome("pte_ends_readonly");
	assert_int_equal(wit_replay(&W, fx.P, "blind", os->witness, os->wlen, 0, 1, err, sizeof err), 0);
	int set = find_event(&W.t, "set_pte_at"), ipi = find_event(&W.t, "IPI from CPU#0");
	assert_true(set >= 0 && ipi >= 0);
	assert_int_equal(W.t.ev[ipi].peer, 0);
	assert_int_equal(W.t.ev[set].peer, -1);
	/* read-only from set_pte_at on, not before */
	assert_int_equal(wit_mark(&W, OUT__BUILTIN), (int)W.t.ev[set].choice);
	assert_int_equal(wit_mark(&W, OUT_LOST_DIRTY), -1);
	wit_free(&W);
}

/* ---- the page ---- */

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The page of fx's exploration, in a malloc'd string. */
static char *page(void)
{
	HtmlRun r;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	html_run_explored(&r, fx.P, "blind", &fx.R);
	r.version = "test";
	HtmlDoc d = { "two_cpus.yaml", "test", &r, 1 };
	assert_int_equal(html_write(f, &d), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_page_timeline(void **state)
{
	(void)state;
	Witness W;
	char err[512], steps[32];
	fx_explore_ok(&fx, two_cpus, "blind");
	const OutcomeStat *os = explored_outcome("pte_ends_readonly");
	assert_int_equal(wit_replay(&W, fx.P, "blind", os->witness, os->wlen, 0, 0, err, sizeof err), 0);
	char *p = page();
	assert_int_equal(count(p, "<svg class=\"timeline\""), 1);
	assert_int_equal(count(p, "<g class=\"lane\""), 2);
	assert_int_equal(count(p, "<g class=\"step"), W.t.n);
	snprintf(steps, sizeof steps, "data-steps=\"%d\"", W.t.n);
	assert_non_null(strstr(p, steps));
	assert_int_equal(count(p, "<line class=\"ipi\""), 1);
	assert_int_equal(count(p, "<line class=\"ack\""), 1);
	assert_int_equal(count(p, "<g class=\"mark\">"), 1);
	assert_non_null(strstr(p, "pte_ends_readonly true from here on"));
	assert_non_null(strstr(p, "PTE 0x10000: 0x1067 -&gt; 0x1065"));    /* hex, escaped */
	assert_non_null(strstr(p, "href=\"#w0-0\">pte_ends_readonly</a>"));  /* matrix link */
	assert_non_null(strstr(p, "id=\"w0-0\""));
	free(p);
	wit_free(&W);
}

static void test_page_escapes_user_text(void **state)
{
	(void)state;
	fx_explore_ok(&fx, two_cpus, "blind");
	char *p = page();
	assert_null(strstr(p, "<script"));
	assert_int_equal(count(p, "</svg>"), count(p, "<svg"));
	assert_non_null(strstr(p, "<h3>two &lt;cpus&gt; &amp; &quot;quotes&quot; &#39;x&#39; &lt;/svg&gt;</h3>"));
	assert_non_null(strstr(p, "ctrl &#x2401;&#x241B;[1m &lt;script&gt;alert(1)&lt;/script&gt;"));
	free(p);
}

static void test_page_deterministic(void **state)
{
	(void)state;
	fx_explore_ok(&fx, two_cpus, "blind");
	char *a = page(), *b = page();
	assert_string_equal(a, b);
	assert_null(strstr(a, "0x7f"));      /* no pointer values */
	free(a);
	free(b);
}

/* A run whose scenario does not compile any more: its page still shows
 * the run, the outcome and why, with the error text escaped. */
static void test_page_not_replayed(void **state)
{
	(void)state;
	Choice ch[2] = { CH_STEP(0), CH_IPI(1) };
	HtmlRun r = { .err = "x.yaml:1:1: bad \xff<byte>", .scenario = "s", .variant = "-", .model = "blind",
	              .mode = "explore", .version = "0", .hash = "abc", .seconds = 1.5, .nout = 1 };
	r.out[0] = (HtmlOutcome){ "lost_dirty", 1, 1, ch, 2 };
	HtmlDoc d = { "t.db", "test", &r, 1 };
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	assert_int_equal(html_write(f, &d), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "Not replayed: x.yaml:1:1: bad &#xFFFD;&lt;byte&gt;"));
	assert_non_null(strstr(buf, "--schedule &quot;0 i1&quot;"));
	assert_non_null(strstr(buf, "<td>wall time</td><td>1.500 s</td>"));
	assert_int_equal(count(buf, "<svg class=\"timeline\""), 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_markup),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_utf8),
		cmocka_unit_test_teardown(test_witness_mark, cleanup),
		cmocka_unit_test_teardown(test_page_timeline, cleanup),
		cmocka_unit_test_teardown(test_page_escapes_user_text, cleanup),
		cmocka_unit_test_teardown(test_page_deterministic, cleanup),
		cmocka_unit_test(test_page_not_replayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

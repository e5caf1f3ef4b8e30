/* tests/unit/test_yaml.c: unit tests of scenarios/yaml.c: the tree built
 * from libyaml's events (positions, byte ranges, block scalars, aliases
 * as copies within a byte bound, anchors), and the input file reader
 * (regular files only, the size bound). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "scenarios/yaml.h"
#include "scenarios/compile.h"

/* A one-file source in memory: "t.yaml" is text. */
static char *one_read(void *ctx, const char *path, size_t *len)
{
	if (strcmp(path, "t.yaml"))
		return NULL;
	*len = strlen(ctx);
	return strdup(ctx);
}

/* Loads text as t.yaml into set; returns yset_load's result. */
static int load(YSet *set, const char *text)
{
	static ScnSource src = { .read = one_read };
	src.ctx = (void *)text;
	return yset_load(set, "t.yaml", &src);
}

static void test_positions_and_ranges(void **state)
{
	(void)state;
	YSet set;
	const char *text = "a: \"x\\ty\"\nbb: [one, two]\nc: |\n\n    body(1)\n    more\nd: 7\n";
	assert_int_equal(load(&set, text), 0);
	const YNode *root = set.files[0].root, *a = ynode_get(root, "a"), *bb = ynode_get(root, "bb"),
	            *c = ynode_get(root, "c"), *d = ynode_get(root, "d");
	assert_int_equal(a->line, 1);
	assert_int_equal(a->col, 4);
	assert_true(a->quoted);
	assert_string_equal(a->str, "x\ty");
	assert_memory_equal(text + a->off, "\"x\\ty\"", a->end - a->off);
	assert_int_equal(bb->kind, YN_SEQ);
	assert_int_equal(bb->n, 2);
	assert_int_equal(bb->items[1]->line, 2);
	assert_int_equal(bb->items[1]->col, 11);
	assert_memory_equal(text + bb->items[1]->off, "two", 3);
	/* a block scalar is placed at its first non-empty line */
	assert_int_equal(c->line, 5);
	assert_int_equal(c->col, 5);
	assert_memory_equal(text + c->off, "body(1)", 7);
	assert_string_equal(c->str, "\nbody(1)\nmore\n");
	assert_int_equal(d->line, 7);
	yset_free(&set);
}

/* A multi-byte character before a node: offsets are bytes, columns
 * characters, as libyaml counts them (a BOM is one, on line 1). */
static void test_utf8_offsets(void **state)
{
	(void)state;
	YSet set;
	const char *text = "\xef\xbb\xbf" "a: [\xc3\xa9t\xc3\xa9, x]\n";
	assert_int_equal(load(&set, text), 0);
	const YNode *x = ynode_get(set.files[0].root, "a")->items[1];
	assert_int_equal(x->col, 11);
	assert_int_equal(x->off, 14);
	assert_string_equal(text + x->off, "x]\n");
	yset_free(&set);
}

/* An alias is a deep copy, placed where the anchor was written. */
static void test_alias_copies(void **state)
{
	(void)state;
	YSet set;
	assert_int_equal(load(&set, "a: &m {k: [1, 2]}\nb: *m\n"), 0);
	const YNode *a = ynode_get(set.files[0].root, "a"), *b = ynode_get(set.files[0].root, "b");
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(ynode_get(a, "k"), ynode_get(b, "k"));
	assert_string_equal(ynode_get(b, "k")->items[1]->str, "2");
	assert_int_equal(b->line, 1);
	assert_int_equal(b->col, 4);
	yset_free(&set);
}

/* The alias bound counts bytes: a long scalar aliased often is refused
 * at the alias that passes 16 MB, many short ones are not. */
static void test_alias_bytes(void **state)
{
	(void)state;
	size_t big = 1 << 20, n = 0;
	char *text = malloc(big + 64 * 40);
	n += (size_t)sprintf(text, "a: &s ");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\nb:\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)sprintf(text + n, "  - *s\n");
	YSet set;
	assert_int_equal(load(&set, text), -1);
	assert_string_equal(set.err, "t.yaml:18:5: YAML: aliases expand to more than 16 MB");
	yset_free(&set);
	/* 20,000 anchors and 20,000 aliases of short scalars: fine (and the
	 * anchor table keeps this linear) */
	char *many = malloc(40 * 40000);
	n = (size_t)sprintf(many, "a:\n");
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(many + n, "  - &a%d v%d\n", i, i);
	n += (size_t)sprintf(many + n, "b:\n");
	for (int i = 19999; i >= 0; i--)
		n += (size_t)sprintf(many + n, "  - *a%d\n", i);
	assert_int_equal(load(&set, many), 0);
	assert_string_equal(ynode_get(set.files[0].root, "b")->items[0]->str, "v19999");
	yset_free(&set);
	free(many);
	free(text);
}

static void test_loader_errors(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "a: \"x\\0y\"\n", "t.yaml:1:6: a NUL character (\\0) is not allowed in YAML text" },
		{ "a: &x [*x]\n", "t.yaml:1:8: YAML: an alias inside the node it names" },
		{ "a: *x\n", "t.yaml:1:4: YAML: found undefined alias" },
		{ "a: &x 1\nb: &x 2\n", "t.yaml:2:4: YAML: anchor defined twice (first at 1:4)" },
		{ "a: 1\n---\nb: 2\n", "t.yaml:3:1: a scenario file holds one YAML document; a second one starts here" },
		{ "# nothing\n", "t.yaml:1:1: the file is empty" },
		{ "- a\n", "t.yaml:1:1: expected a mapping of keys at the top" },
		{ "a: [b\n", "t.yaml:2:1: YAML: did not find expected ',' or ']' while parsing a flow sequence" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		YSet set;
		assert_int_equal(load(&set, cases[i][0]), -1);
		assert_string_equal(set.err, cases[i][1]);
		yset_free(&set);
	}
}

static void test_read_regular_only(void **state)
{
	(void)state;
	char dir[] = "/tmp/tlbsim_unit_XXXXXX", p[96], why[128];
	size_t len = 0;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_null(yfile_read(p, 0, &len, why, sizeof why));   /* returns: no writer awaited */
	assert_string_equal(why, "not a regular file (a FIFO)");
	unlink(p);
	assert_null(yfile_read(dir, 0, &len, why, sizeof why));
	assert_string_equal(why, "Is a directory");
	assert_null(yfile_read("/dev/zero", 0, &len, why, sizeof why));
	assert_string_equal(why, "not a regular file (a character device)");
	snprintf(p, sizeof p, "%s/big", dir);
	int fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_int_equal(ftruncate(fd, YFILE_MAX_INPUT), 0);
	close(fd);
	char *t = yfile_read(p, 0, &len, why, sizeof why);   /* exactly the bound: read */
	assert_non_null(t);
	assert_int_equal(len, YFILE_MAX_INPUT);
	free(t);
	assert_int_equal(truncate(p, YFILE_MAX_INPUT + 1), 0);
	assert_null(yfile_read(p, 0, &len, why, sizeof why));
	assert_string_equal(why, "larger than 16 MB, the bound on an input file");
	unlink(p);
	rmdir(dir);
}

static void test_path_from(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{ "a.yaml", "a.yaml", "a.yaml" },
		{ "./d/s.yaml", "d/lib/x.yaml", "lib/x.yaml" },
		{ "d/s.yaml", "e/l.yaml", "../e/l.yaml" },
		{ "/r/d/s.yaml", "/r/d/lib/x.yaml", "lib/x.yaml" },
		{ "/r/dd/s.yaml", "/r/d/x.yaml", "../d/x.yaml" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = ypath_from(cases[i][0], cases[i][1]);
		assert_string_equal(r, cases[i][2]);
		free(r);
	}
}

/* One scenario, spelled three ways: one content hash (issue 11 part 6). */
static void test_hash_by_content(void **state)
{
	(void)state;
	char err[512], abs[4200], h[33] = "";
	snprintf(abs, sizeof abs, "%s/scenarios/mkclean.yaml", getenv("PWD"));
	const char *paths[] = { "scenarios/mkclean.yaml", "./scenarios/mkclean.yaml", abs,
	                        "scenarios/lib/../mkclean.yaml" };
	for (size_t i = 0; i < 4; i++) {
		Program *P = scn_compile(paths[i], NULL, NULL, err, sizeof err);
		if (!P)
			fail_msg("%s", err);
		if (i == 0)
			memcpy(h, P->hash, sizeof h);
		assert_string_equal(P->hash, h);
		prog_free(P);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_and_ranges),
		cmocka_unit_test(test_utf8_offsets),
		cmocka_unit_test(test_alias_copies),
		cmocka_unit_test(test_alias_bytes),
		cmocka_unit_test(test_loader_errors),
		cmocka_unit_test(test_read_regular_only),
		cmocka_unit_test(test_path_from),
		cmocka_unit_test(test_hash_by_content),
	};
	return cmocka_run_group_tests_name("yaml", tests, NULL, NULL);
}

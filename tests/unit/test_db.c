/* tests/unit/test_db.c: unit tests of the results database (reports/db.c)
 * and the matrix printer (reports/matrix.c).  Each test gets a fresh
 * database file under /tmp, removed (with its -wal and -shm) afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "reports/db.h"
#include "reports/matrix.h"

typedef struct Fx {
	char path[64];
	Db *db;
} Fx;

/* ---- helpers --------------------------------------------------------- */

/* A fresh, empty file name under /tmp (SQLite takes an empty file as a new
 * database). */
static void tmp_path(char *buf, size_t n)
{
	int fd;
	snprintf(buf, n, "/tmp/test_db_XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static void rm_db(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char buf[80];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
		unlink(buf);
	}
}

static Db *open_ok(const char *path)
{
	char err[256] = "";
	Db *db = db_open(path, err, sizeof err);
	if (!db)
		fail_msg("db_open %s: %s", path, err);
	return db;
}

static int setup(void **state)
{
	Fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tmp_path(f->path, sizeof f->path);
	f->db = open_ok(f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	Fx *f = *state;
	db_close(f->db);
	rm_db(f->path);
	free(f);
	return 0;
}

/* Column 0 of the first row of sql, through a separate connection. */
static long long q_int(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* Column 0 of the first row of sql as text, copied into buf. */
static void q_text(const char *path, const char *sql, char *buf, size_t n)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
}

/* Runs sql on a raw connection to path (to forge databases). */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* Scenario name with hash "h:name" and one file. */
static int64_t scn(Db *db, const char *name)
{
	char hash[64], path[64];
	const char *paths[1] = { path }, *texts[1] = { "steps: []\n" };
	snprintf(hash, sizeof hash, "h:%s", name);
	snprintf(path, sizeof path, "scenarios/%s.yaml", name);
	int64_t id = db_scenario(db, name, hash, 1, paths, texts);
	assert_true(id > 0);
	return id;
}

static int64_t run_v(Db *db, int64_t sid, const char *variant, const char *model,
                     const char *mode, const char *version)
{
	DbRun r = { .scenario_id = sid, .variant = variant, .model = model,
	            .mode = mode, .seed = 1, .version = version, .seconds = 0.25,
	            .states = 10, .transitions = 20, .schedules = 3, .end_states = 2 };
	int64_t id = db_run(db, &r);
	if (id < 0)
		fail_msg("db_run: %s", db_errmsg(db));
	return id;
}

/* An explore run a bound stopped (runs.complete = 0). */
static int64_t run_incomplete(Db *db, int64_t sid, const char *variant, const char *model, const char *version)
{
	DbRun r = { .scenario_id = sid, .variant = variant, .model = model, .mode = "explore", .seed = 0,
	            .version = version, .seconds = 0.25, .states = 10, .transitions = 20, .end_states = 2,
	            .max_states = 9, .incomplete = 1 };
	int64_t id = db_run(db, &r);
	if (id < 0)
		fail_msg("db_run: %s", db_errmsg(db));
	return id;
}

static int64_t run(Db *db, int64_t sid, const char *variant, const char *model,
                   const char *mode)
{
	return run_v(db, sid, variant, model, mode, "0.1");
}

/* An outcome without a trace. */
static int64_t outc(Db *db, int64_t run_id, const char *name)
{
	DbOutcome o = { .run_id = run_id, .name = name, .schedules = 1,
	                .end_states = 1, .witness = "0 1", .witness_steps = 2 };
	int64_t id = db_outcome(db, &o);
	if (id < 0)
		fail_msg("db_outcome: %s", db_errmsg(db));
	return id;
}

/* A printer's output captured in memory; cap_close returns it, caller frees. */
typedef struct Capture {
	char *buf;
	size_t len;
	FILE *f;
} Capture;

static FILE *cap_open(Capture *c)
{
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static char *cap_close(Capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

/* ---- tests ----------------------------------------------------------- */

static void test_open_creates_schema(void **state)
{
	Fx *f = *state;
	char buf[256];
	assert_int_equal(q_int(f->path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	q_text(f->path, "PRAGMA journal_mode", buf, sizeof buf);
	assert_string_equal(buf, "wal");
	q_text(f->path, "SELECT group_concat(name, ',') FROM (SELECT name FROM "
	       "sqlite_master WHERE type = 'table' ORDER BY name)", buf, sizeof buf);
	assert_string_equal(buf, "outcomes,runs,scenario_files,scenarios");
	q_text(f->path, "SELECT group_concat(name, ',') FROM (SELECT name FROM "
	       "sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' "
	       "ORDER BY name)", buf, sizeof buf);
	assert_string_equal(buf, "outcomes_run,runs_cell");
	/* Reopening an existing database accepts it as it is. */
	db_close(f->db);
	f->db = open_ok(f->path);
	assert_int_equal(q_int(f->path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
}

static void test_scenario_dedup(void **state)
{
	Fx *f = *state;
	const char *paths[] = { "scenarios/a.yaml", "scenarios/lib/pte.yaml" };
	const char *texts[] = { "name: a\n", "lib: pte\n" };
	int64_t a = db_scenario(f->db, "a", "hash-a", 2, paths, texts);
	int64_t again = db_scenario(f->db, "a-renamed", "hash-a", 2, paths, texts);
	int64_t b = db_scenario(f->db, "b", "hash-b", 1, paths, texts);
	assert_true(a > 0);
	assert_int_equal(again, a);
	assert_true(b > 0 && b != a);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenarios"), 2);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenario_files"), 3);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenarios "
	                       "WHERE name = 'a-renamed'"), 0);
}

/* A failed db_scenario (NULL text violates NOT NULL) leaves no row. */
static void test_scenario_all_or_nothing(void **state)
{
	Fx *f = *state;
	const char *paths[] = { "x.yaml", "y.yaml" };
	const char *texts[] = { "x\n", NULL };
	assert_int_equal(db_scenario(f->db, "x", "hash-x", 2, paths, texts), -1);
	assert_non_null(strstr(db_errmsg(f->db), "NOT NULL"));
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenarios"), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenario_files"), 0);
	assert_true(scn(f->db, "x") > 0);

	/* Inside a batch, only the failed scenario is undone. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_scenario(f->db, "y", "hash-y", 2, paths, texts), -1);
	assert_true(scn(f->db, "y") > 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenarios"), 2);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenario_files"), 2);
}

/* A long, repetitive trace, as the timeline printer makes them. */
static char *make_trace(void)
{
	size_t cap = 64 * 200, len = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(t + len, cap - len, "%4d cpu%d ptep_get_and_clear\n",
		                        i, i % 2);
	return t;
}

static void check_scenario_fields(const DbWitness *w)
{
	assert_string_equal(w->scenario, "mkclean");
	assert_string_equal(w->hash, "abc123");
	assert_string_equal(w->variant, "buggy");
	assert_string_equal(w->model, "hw-ad");
	assert_int_equal(w->nfiles, 2);
	assert_string_equal(w->paths[0], "scenarios/mkclean.yaml");
	assert_string_equal(w->texts[0], "name: mkclean\n");
	assert_string_equal(w->paths[1], "scenarios/lib/common.yaml");
	assert_string_equal(w->texts[1], "lib: common\n");
}

static void test_witness_roundtrip(void **state)
{
	Fx *f = *state;
	const char *paths[] = { "scenarios/mkclean.yaml", "scenarios/lib/common.yaml" };
	const char *texts[] = { "name: mkclean\n", "lib: common\n" };
	char *trace = make_trace();
	int64_t sid = db_scenario(f->db, "mkclean", "abc123", 2, paths, texts);
	DbRun r = { .scenario_id = sid, .variant = "buggy", .model = "hw-ad",
	            .mode = "explore", .seed = UINT64_MAX - 1, .version = "0.1",
	            .seconds = 1.5, .states = UINT64_MAX, .transitions = 20,
	            .schedules = 3, .end_states = 2 };
	int64_t rid = db_run(f->db, &r);
	DbOutcome o = { .run_id = rid, .name = "lost_dirty", .schedules = 2,
	                .end_states = 1, .witness = "0 1 1 0", .witness_steps = 4,
	                .trace = trace, .trace_len = strlen(trace) };
	int64_t oid = db_outcome(f->db, &o), oid2;
	DbWitness w;

	assert_true(rid > 0 && oid > 0);
	o.name = "stale_tlb";
	o.trace = NULL;
	oid2 = db_outcome(f->db, &o);
	assert_true(oid2 > oid);

	assert_int_equal(db_witness(f->db, oid, &w), 0);
	assert_int_equal(w.id, oid);
	assert_int_equal(w.run_id, rid);
	check_scenario_fields(&w);
	assert_string_equal(w.mode, "explore");
	assert_true(w.seed == UINT64_MAX - 1);
	assert_string_equal(w.outcome, "lost_dirty");
	assert_string_equal(w.schedule, "0 1 1 0");
	assert_string_equal(w.trace, trace);
	db_witness_free(&w);

	assert_int_equal(db_witness(f->db, oid2, &w), 0);
	assert_string_equal(w.outcome, "stale_tlb");
	assert_null(w.trace);
	db_witness_free(&w);

	/* --run picks the run's first outcome row. */
	assert_int_equal(db_run_witness(f->db, rid, &w), 0);
	assert_int_equal(w.id, oid);
	assert_string_equal(w.trace, trace);
	db_witness_free(&w);

	/* Stored compressed, with the uncompressed length; uint64 cast back. */
	assert_int_equal(q_int(f->path, "SELECT trace_len FROM outcomes ORDER BY id LIMIT 1"),
	                 (long long)strlen(trace));
	assert_true(q_int(f->path, "SELECT length(trace) FROM outcomes ORDER BY id LIMIT 1")
	            < (long long)strlen(trace) / 4);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM outcomes WHERE trace IS NULL"
	                       " AND trace_len IS NULL"), 1);
	assert_int_equal(q_int(f->path, "SELECT states FROM runs"), -1);
	free(trace);
}

/* The compressed column inflates with plain zlib uncompress. */
static void test_trace_is_compress2(void **state)
{
	Fx *f = *state;
	const char *text = "0 cpu0 set_page_dirty\n1 cpu1 flush_tlb_page\n";
	int64_t rid = run(f->db, scn(f->db, "z"), "v", "m", "run");
	DbOutcome o = { .run_id = rid, .name = "ok", .witness = "0",
	                .trace = text, .trace_len = 0 /* strlen */ };
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	char out[128] = "";
	uLongf n = sizeof out - 1;

	assert_true(db_outcome(f->db, &o) > 0);
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT trace, trace_len FROM outcomes",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(uncompress((Bytef *)out, &n, sqlite3_column_blob(st, 0),
	                            (uLong)sqlite3_column_bytes(st, 0)), Z_OK);
	assert_int_equal(n, strlen(text));
	assert_int_equal(sqlite3_column_int64(st, 1), (long long)strlen(text));
	assert_string_equal(out, text);
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void test_run_witness_without_outcomes(void **state)
{
	Fx *f = *state;
	const char *paths[] = { "scenarios/mkclean.yaml", "scenarios/lib/common.yaml" };
	const char *texts[] = { "name: mkclean\n", "lib: common\n" };
	int64_t sid = db_scenario(f->db, "mkclean", "abc123", 2, paths, texts);
	DbRun r = { .scenario_id = sid, .variant = "buggy", .model = "hw-ad",
	            .mode = "run", .seed = 42, .schedule = "1 0 1",
	            .version = "0.1", .trace_hash = "feed" };
	int64_t rid = db_run(f->db, &r);
	DbWitness w;

	assert_true(rid > 0);
	assert_int_equal(db_run_witness(f->db, rid, &w), 0);
	assert_int_equal(w.id, 0);
	assert_int_equal(w.run_id, rid);
	check_scenario_fields(&w);
	assert_string_equal(w.mode, "run");
	assert_true(w.seed == 42);
	assert_null(w.outcome);
	assert_string_equal(w.schedule, "1 0 1");
	assert_null(w.trace);
	db_witness_free(&w);

	assert_int_equal(db_witness(f->db, 9999, &w), -1);
	assert_non_null(strstr(db_errmsg(f->db), "no witness with id 9999"));
	assert_null(w.scenario);
	assert_int_equal(db_run_witness(f->db, 9999, &w), -1);
	assert_non_null(strstr(db_errmsg(f->db), "no run with id 9999"));
}

static void test_rollback_leaves_nothing(void **state)
{
	Fx *f = *state;
	assert_int_equal(db_begin(f->db), 0);
	outc(f->db, run(f->db, scn(f->db, "gone"), "v", "m", "explore"), "lost_dirty");
	db_rollback(f->db);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenarios"), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM scenario_files"), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM runs"), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM outcomes"), 0);
	db_rollback(f->db);        /* no transaction: harmless */

	assert_int_equal(db_begin(f->db), 0);
	outc(f->db, run(f->db, scn(f->db, "kept"), "v", "m", "explore"), "lost_dirty");
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(q_int(f->path, "SELECT count(*) FROM outcomes"), 1);
	assert_int_equal(db_commit(f->db), -1);    /* nothing to commit */
}

/* Cells keyed (scenario name, variant, model) from the latest explore run;
 * "run" mode rows are ignored; outcome names sorted. */
static void test_matrix_latest_explore(void **state)
{
	Fx *f = *state;
	Capture c;
	int64_t beta = scn(f->db, "beta"), alpha = scn(f->db, "alpha"), r;

	outc(f->db, run(f->db, beta, "v1", "hw", "explore"), "lost_dirty");
	outc(f->db, run(f->db, alpha, "base", "hw", "explore"), "old_outcome");
	r = run(f->db, alpha, "base", "hw", "explore");
	outc(f->db, r, "stale_tlb");
	outc(f->db, r, "lost_dirty");
	run(f->db, alpha, "base", "sw", "explore");
	outc(f->db, run(f->db, alpha, "base", "hw", "run"), "ignored");
	outc(f->db, run(f->db, alpha, "fixed", "sw", "explore"), "lost_dirty");

	/* cells as first explored (as the compare that recorded them printed
	 * them): beta v1 hw (run 1), alpha base hw (2), alpha base sw (4),
	 * alpha fixed sw (6); rows and columns keep first-seen order; each
	 * cell shows its latest explore */
	assert_int_equal(db_print_matrix(f->db, cap_open(&c)), 0);
	assert_string_equal(cap_close(&c),
		"scenario  variant  hw                    sw\n"
		"--------  -------  --------------------  ----------\n"
		"beta      v1       lost_dirty            -\n"
		"alpha     base     lost_dirty,stale_tlb  none\n"
		"alpha     fixed    -                     lost_dirty\n");
	free(c.buf);
	/* a later explore changes a cell's content, never the order */
	run(f->db, beta, "v1", "sw", "explore");
	r = run(f->db, alpha, "base", "hw", "explore");
	outc(f->db, r, "lost_dirty");
	assert_int_equal(db_print_matrix(f->db, cap_open(&c)), 0);
	assert_string_equal(cap_close(&c),
		"scenario  variant  hw          sw\n"
		"--------  -------  ----------  ----------\n"
		"beta      v1       lost_dirty  none\n"
		"alpha     base     lost_dirty  none\n"
		"alpha     fixed    -           lost_dirty\n");
	free(c.buf);
}

static void test_matrix_empty(void **state)
{
	Fx *f = *state;
	Capture c;
	assert_int_equal(db_print_matrix(f->db, cap_open(&c)), 0);
	assert_string_equal(cap_close(&c), "scenario  variant\n--------  -------\n");
	free(c.buf);
}

/* First-seen order for rows and columns; the first of duplicates wins. */
static void test_rep_matrix_order(void **state)
{
	static const MatrixCell cells[] = {
		{ "zeta", "v", "sw-dirty", "", 0 },
		{ "alpha", "fixed", "hw", "lost_dirty", 0 },
		{ "zeta", "v", "hw", "a,b", 0 },
		{ "zeta", "v", "hw", "duplicate", 0 },
	};
	Capture c;
	(void)state;
	rep_matrix_print(cap_open(&c), cells, 4);
	assert_string_equal(cap_close(&c),
		"scenario  variant  sw-dirty  hw\n"
		"--------  -------  --------  ----------\n"
		"zeta      v        none      a,b\n"
		"alpha     fixed    -         lost_dirty\n");
	free(c.buf);
}

static void test_print_runs(void **state)
{
	Fx *f = *state;
	Capture c;
	int64_t alpha = scn(f->db, "alpha"), r;
	DbRun big = { .scenario_id = alpha, .variant = "fixed", .model = "sw",
	              .mode = "run", .seed = UINT64_MAX, .schedule = "0",
	              .version = "0.1", .states = 5, .schedules = 1 };

	r = run(f->db, alpha, "base", "hw", "explore");
	outc(f->db, r, "stale_tlb");
	outc(f->db, r, "lost_dirty");
	assert_true(db_run(f->db, &big) > 0);
	outc(f->db, run(f->db, alpha, "base", "sw", "explore"), "lost_dirty");

	assert_int_equal(db_print_runs(f->db, cap_open(&c), 0), 0);
	assert_string_equal(cap_close(&c),
		"id  scenario  variant  model  mode     seed                  states  schedules  outcomes\n"
		"--  --------  -------  -----  -------  --------------------  ------  ---------  --------------------\n"
		"3   alpha     base     sw     explore  1                     10      3          lost_dirty\n"
		"2   alpha     fixed    sw     run      18446744073709551615  5       1          none\n"
		"1   alpha     base     hw     explore  1                     10      3          lost_dirty,stale_tlb\n");
	free(c.buf);

	assert_int_equal(db_print_runs(f->db, cap_open(&c), 1), 0);
	assert_string_equal(cap_close(&c),
		"id  scenario  variant  model  mode     seed  states  schedules  outcomes\n"
		"--  --------  -------  -----  -------  ----  ------  ---------  ----------\n"
		"3   alpha     base     sw     explore  1     10      3          lost_dirty\n");
	free(c.buf);
}

static void test_regressions_versions(void **state)
{
	Fx *f = *state;
	Db *db = f->db;
	Capture c;
	int64_t alpha = scn(db, "alpha"), beta = scn(db, "beta");
	int64_t gamma = scn(db, "gamma"), delta = scn(db, "delta");

	outc(db, run_v(db, alpha, "base", "hw", "explore", "1.0"), "lost_dirty");
	outc(db, run_v(db, alpha, "base", "sw", "explore", "1.0"), "lost_dirty");
	run_v(db, alpha, "base", "sw", "explore", "1.0");      /* latest 1.0: none */
	outc(db, run_v(db, beta, "v1", "hw", "explore", "1.0"), "stale_tlb");
	run_v(db, gamma, "x", "hw", "explore", "1.0");
	run_v(db, alpha, "base", "hw", "explore", "1.1");
	run_v(db, alpha, "base", "sw", "explore", "1.1");
	int64_t r = run_v(db, beta, "v1", "hw", "explore", "1.1");
	outc(db, r, "stale_tlb");
	outc(db, r, "lost_dirty");
	outc(db, run_v(db, delta, "y", "hw", "explore", "1.1"), "lost_dirty");
	outc(db, run_v(db, alpha, "base", "sw", "run", "1.1"), "lost_dirty");

	assert_int_equal(db_print_regressions(db, "1.0", "1.1", NULL, cap_open(&c)), 2);
	assert_string_equal(cap_close(&c),
		"alpha base hw: lost_dirty -> none\n"
		"beta v1 hw: stale_tlb -> lost_dirty,stale_tlb\n"
		"delta y hw: only in after\n"
		"gamma x hw: only in before\n");
	free(c.buf);

	assert_int_equal(db_print_regressions(db, "1.1", "1.1", NULL, cap_open(&c)), 0);
	assert_string_equal(cap_close(&c), "");
	free(c.buf);

	assert_int_equal(db_print_regressions(db, "1.0", NULL, NULL, stdout), -1);
	assert_non_null(strstr(db_errmsg(db), "two versions"));
}

/* An incomplete search is shown as such; only what it found can change
 * a verdict: an outcome the complete side does not have. */
static void test_regressions_incomplete(void **state)
{
	Fx *f = *state;
	Db *db = f->db;
	Capture c;
	int64_t a = scn(db, "alpha"), b = scn(db, "beta"), g = scn(db, "gamma");
	outc(db, run_v(db, a, "v", "hw", "explore", "1.0"), "lost_dirty");
	outc(db, run_v(db, b, "v", "hw", "explore", "1.0"), "lost_dirty");
	run_v(db, g, "v", "hw", "explore", "1.0");
	run_incomplete(db, a, "v", "hw", "1.1");                 /* found nothing yet: not a change */
	outc(db, run_incomplete(db, b, "v", "hw", "1.1"), "lost_dirty");   /* the same, found: only shown */
	outc(db, run_incomplete(db, g, "v", "hw", "1.1"), "bug_on");       /* new for sure */
	assert_int_equal(db_print_regressions(db, "1.0", "1.1", NULL, cap_open(&c)), 1);
	assert_string_equal(cap_close(&c),
		"alpha v hw: lost_dirty -> none (incomplete)\n"
		"beta v hw: lost_dirty -> lost_dirty (incomplete)\n"
		"gamma v hw: none -> bug_on (incomplete)\n");
	free(c.buf);
	assert_int_equal(db_print_matrix(db, cap_open(&c)), 0);
	assert_non_null(strstr(cap_close(&c), "none (incomplete)"));
	assert_non_null(strstr(c.buf, "\n(incomplete): a bound (--max-states, --max-memory) stopped the search"));
	free(c.buf);
}

static void test_regressions_two_files(void **state)
{
	Fx *f = *state;
	char other[64], buf[128];
	Db *a;
	Capture c;

	tmp_path(other, sizeof other);
	a = open_ok(other);
	outc(a, run(a, scn(a, "alpha"), "base", "hw", "explore"), "lost_dirty");
	run(a, scn(a, "alpha"), "base", "sw", "explore");
	run(a, scn(a, "gamma"), "x", "hw", "explore");

	run(f->db, scn(f->db, "alpha"), "base", "hw", "explore");
	run(f->db, scn(f->db, "alpha"), "base", "sw", "explore");
	outc(f->db, run(f->db, scn(f->db, "beta"), "v1", "hw", "explore"), "stale_tlb");

	/* The other database is still open (WAL) while it is read. */
	assert_int_equal(db_print_regressions(f->db, NULL, NULL, other, cap_open(&c)), 1);
	assert_string_equal(cap_close(&c),
		"alpha base hw: lost_dirty -> none\n"
		"beta v1 hw: only in after\n"
		"gamma x hw: only in before\n");
	free(c.buf);
	db_close(a);
	rm_db(other);

	/* A missing file, then one of another schema version. */
	assert_int_equal(db_print_regressions(f->db, NULL, NULL, other, stdout), -1);
	assert_non_null(strstr(db_errmsg(f->db), other));
	raw_exec(other, "CREATE TABLE t(x); PRAGMA user_version = 9;");
	assert_int_equal(db_print_regressions(f->db, NULL, NULL, other, stdout), -1);
	snprintf(buf, sizeof buf, "%s: database has schema version 9", other);
	assert_non_null(strstr(db_errmsg(f->db), buf));
	rm_db(other);
}

static void test_wrong_user_version(void **state)
{
	char path[64], err[256] = "", want[128];
	(void)state;
	tmp_path(path, sizeof path);
	raw_exec(path, "CREATE TABLE runs(x); PRAGMA user_version = 7;");
	assert_null(db_open(path, err, sizeof err));
	snprintf(want, sizeof want, "%s: database has schema version 7, this tlbsim "
	         "reads version %d", path, DB_SCHEMA_VERSION);
	assert_string_equal(err, want);
	assert_int_equal(q_int(path, "PRAGMA user_version"), 7);
	q_text(path, "PRAGMA journal_mode", want, sizeof want);
	assert_string_equal(want, "delete");     /* a refused file is untouched */
	rm_db(path);

	raw_exec(path, "CREATE TABLE foreign_data(x);");
	assert_null(db_open(path, err, sizeof err));
	assert_non_null(strstr(err, "not a tlbsim database"));
	rm_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_open_creates_schema),
		T(test_scenario_dedup),
		T(test_scenario_all_or_nothing),
		T(test_witness_roundtrip),
		T(test_trace_is_compress2),
		T(test_run_witness_without_outcomes),
		T(test_rollback_leaves_nothing),
		T(test_matrix_latest_explore),
		T(test_matrix_empty),
		cmocka_unit_test(test_rep_matrix_order),
		T(test_print_runs),
		T(test_regressions_versions),
		T(test_regressions_incomplete),
		T(test_regressions_two_files),
		cmocka_unit_test(test_wrong_user_version),
#undef T
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}

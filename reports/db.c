/* reports/db.c: the results database on SQLite.  Owns the schema (see
 * docs/schema.md) and its version in PRAGMA user_version; every SQL
 * statement is prepared once per Db, reset after each use, finalized in
 * db_close.  uint64 values are stored as int64 and cast back on reading. */
#include "reports/db.h"
#include "reports/matrix.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum {
	DB_BUSY_MS = 5000,        /* wait this long for another writer */
	DB_ZLEVEL = 6,            /* compress2 level for traces */
	DB_TRACE_MAX = 1 << 28,   /* a recorded trace_len above this is corrupt */
	TABLE_MAXCOLS = 16        /* widest table db_print_runs builds */
};

#define DB_STR_(x) #x
#define DB_STR(x) DB_STR_(x)

/* The provenance columns version 2 added to runs (a version-1 file gets
 * them by ALTER TABLE, with NULL in its old rows). */
#define RUNS_V2_COLUMNS \
	" recorded_at TEXT," /* UTC, ISO 8601 */ \
	" command TEXT," \
	" max_states INTEGER," \
	" complete INTEGER,"  /* 1: the search finished; 0: a bound stopped it (what it found so far) */ \
	RUNS_V3_COLUMNS

/* Version 3 added the git commit the writing tlbsim was built from. */
#define RUNS_V3_COLUMNS \
	" git TEXT,"             /* git describe --always --dirty at build time, or "unknown" */ \
	" symmetry TEXT"         /* explore --symmetry: the classes ("CPU#1-3"); states, transitions
	                            and end states then count the reduced graph.  NULL: full search */

/* Created once in an empty database, in one transaction with user_version. */
static const char schema_sql[] =
	"CREATE TABLE scenarios("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" hash TEXT NOT NULL UNIQUE);"
	"CREATE TABLE scenario_files("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id),"
	" seq INTEGER NOT NULL,"
	" path TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq));"
	"CREATE TABLE runs("
	" id INTEGER PRIMARY KEY,"
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id),"
	" variant TEXT NOT NULL,"
	" model TEXT NOT NULL,"
	" mode TEXT NOT NULL CHECK (mode IN ('explore', 'run')),"
	" seed INTEGER NOT NULL,"
	" schedule TEXT,"
	" version TEXT NOT NULL,"
	" seconds REAL NOT NULL,"
	" states INTEGER NOT NULL,"
	" transitions INTEGER NOT NULL,"
	" schedules INTEGER NOT NULL,"
	" end_states INTEGER NOT NULL,"
	" trace_hash TEXT,"
	RUNS_V2_COLUMNS ");"
	"CREATE INDEX runs_cell ON runs(scenario_id, variant, model, mode);"
	"CREATE TABLE outcomes("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" name TEXT NOT NULL,"
	" schedules INTEGER NOT NULL,"
	" end_states INTEGER NOT NULL,"
	" witness TEXT,"
	" witness_steps INTEGER NOT NULL,"
	" trace BLOB,"
	" trace_len INTEGER);"
	"CREATE INDEX outcomes_run ON outcomes(run_id);";

/* Version 2: views for the questions users ask, over version 1's tables
 * (docs/schema.md).  witness_text uses sqlar_uncompress, which the stock
 * sqlite3 shell has and tlbsim registers on its own connections. */
static const char views_sql[] =
	"CREATE VIEW latest_runs AS"
	" SELECT s.name AS scenario, r.* FROM runs r JOIN scenarios s ON s.id = r.scenario_id"
	" WHERE r.mode = 'explore' AND r.id = (SELECT max(r2.id) FROM runs r2"
	"  JOIN scenarios s2 ON s2.id = r2.scenario_id"
	"  WHERE s2.name = s.name AND r2.variant = r.variant AND r2.model = r.model AND r2.mode = 'explore');"
	"CREATE VIEW verdicts AS"
	" SELECT l.scenario, l.variant, l.model, o.name AS outcome,"
	"  CASE WHEN l.complete IS NOT 0 AND l.end_states > 0 AND o.end_states = l.end_states"
	"  THEN 'Always' ELSE 'Sometimes' END AS verdict,"
	"  o.schedules, o.witness, l.id AS run_id, o.id AS witness_id, l.complete IS NOT 0 AS complete"
	" FROM latest_runs l JOIN outcomes o ON o.run_id = l.id;"
	"CREATE VIEW matrix AS"
	" SELECT l.scenario, l.variant, l.model,"
	"  coalesce((SELECT group_concat(name, ',') FROM"
	"   (SELECT name FROM outcomes WHERE run_id = l.id ORDER BY name)), '') AS outcomes,"
	"  l.complete IS NOT 0 AS complete"
	" FROM latest_runs l;"
	"CREATE VIEW witness_text AS"
	" SELECT o.id AS witness_id, o.run_id, o.name AS outcome, o.witness AS schedule,"
	"  CAST(sqlar_uncompress(o.trace, o.trace_len) AS TEXT) AS text"
	" FROM outcomes o WHERE o.trace IS NOT NULL;"
	"PRAGMA user_version = " DB_STR(DB_SCHEMA_VERSION) ";";

/* The latest explore run of every (scenario name, variant, model), of
 * version ?1 (NULL: any), in the order they were first explored (so a
 * database one compare recorded lists them as that compare did): name,
 * variant, model, run id, complete.  COMPLETE and GIT name the columns a
 * file of an older schema may lack (other_cells reads one). */
#define LATEST_SQL(COMPLETE, GIT) \
	"SELECT name, variant, model, id, " COMPLETE \
	" FROM (SELECT s.name AS name, r.variant AS variant, r.model AS model," \
	"  max(r.id) AS id, min(r.id) AS first" \
	"  FROM runs r JOIN scenarios s ON s.id = r.scenario_id" \
	"  WHERE r.mode = 'explore' AND (?1 IS NULL OR r.version = ?1" GIT ")" \
	"  GROUP BY s.name, r.variant, r.model) t" \
	" ORDER BY first"

/* Every statement a Db runs after opening: X(id, sql). */
#define DB_STMTS(X) \
	X(ST_BEGIN,     "BEGIN IMMEDIATE") \
	X(ST_COMMIT,    "COMMIT") \
	X(ST_ROLLBACK,  "ROLLBACK") \
	X(ST_SAVE,      "SAVEPOINT db_scenario") \
	X(ST_RELEASE,   "RELEASE db_scenario") \
	X(ST_UNDO,      "ROLLBACK TO db_scenario") \
	X(ST_SCN_FIND,  "SELECT id FROM scenarios WHERE hash = ?1") \
	X(ST_SCN_ADD,   "INSERT INTO scenarios(name, hash) VALUES (?1, ?2)") \
	X(ST_FILE_ADD,  "INSERT INTO scenario_files(scenario_id, seq, path, text)" \
	                " VALUES (?1, ?2, ?3, ?4)") \
	X(ST_RUN_ADD,   "INSERT INTO runs(scenario_id, variant, model, mode, seed," \
	                " schedule, version, seconds, states, transitions, schedules," \
	                " end_states, trace_hash, recorded_at, command, max_states, complete, git, symmetry)" \
	                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13," \
	                " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?14, ?15, ?16, ?17, ?18)") \
	X(ST_OUT_ADD,   "INSERT INTO outcomes(run_id, name, schedules, end_states," \
	                " witness, witness_steps, trace, trace_len)" \
	                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
	X(ST_RUN_COPY,  "INSERT INTO runs(scenario_id, variant, model, mode, seed," \
	                " schedule, version, seconds, states, transitions, schedules," \
	                " end_states, trace_hash, recorded_at, command, max_states, complete, git, symmetry)" \
	                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)") \
	X(ST_OUT_GET,   "SELECT run_id, name, witness, trace, trace_len" \
	                " FROM outcomes WHERE id = ?1") \
	X(ST_OUT_FIRST, "SELECT id FROM outcomes WHERE run_id = ?1 ORDER BY id LIMIT 1") \
	X(ST_OUT_LAST,  "SELECT o.id FROM outcomes o JOIN runs r ON r.id = o.run_id" \
	                " JOIN scenarios s ON s.id = r.scenario_id WHERE o.name = ?1" \
	                " AND (?2 IS NULL OR s.name = ?2) ORDER BY o.id DESC LIMIT 1") \
	X(ST_RUN_GET,   "SELECT s.name, s.hash, r.variant, r.model, r.mode, r.seed," \
	                " r.schedule, s.id, r.command FROM runs r JOIN scenarios s" \
	                " ON s.id = r.scenario_id WHERE r.id = ?1") \
	X(ST_FILES,     "SELECT path, text FROM scenario_files" \
	                " WHERE scenario_id = ?1 ORDER BY seq") \
	X(ST_RUNS,      "SELECT r.id, s.name, r.variant, r.model, r.mode, r.seed," \
	                " r.states, r.schedules FROM runs r JOIN scenarios s" \
	                " ON s.id = r.scenario_id ORDER BY r.id DESC LIMIT ?1") \
	X(ST_RUN_INFO,  "SELECT s.name, s.hash, r.variant, r.model, r.mode, r.version," \
	                " r.seed, r.states, r.transitions, r.schedules, r.end_states," \
	                " r.seconds, r.complete, r.git, r.symmetry FROM runs r JOIN scenarios s ON s.id = r.scenario_id" \
	                " WHERE r.id = ?1") \
	X(ST_OUT_ROWS,  "SELECT id, name, schedules, end_states, witness, witness_steps" \
	                " FROM outcomes WHERE run_id = ?1 ORDER BY id") \
	X(ST_NAMES,     "SELECT DISTINCT name FROM outcomes WHERE run_id = ?1" \
	                " ORDER BY name") \
	X(ST_LATEST,    LATEST_SQL("(SELECT complete FROM runs WHERE id = t.id)", " OR r.git = ?1"))

#define ST_ENUM(id, sql) id,
#define ST_SQL(id, sql) sql,
typedef enum StmtId { DB_STMTS(ST_ENUM) ST_COUNT } StmtId;
static const char *const stmt_sql[ST_COUNT] = { DB_STMTS(ST_SQL) };

/* An open database.  Invariant: every st[] is reset (not mid-step) between
 * calls, so COMMIT never meets a statement in progress. */
struct Db {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT];
	char err[512];             /* the last error, for db_errmsg */
};

/* One explore cell: the latest explore run's outcome names, comma-joined;
 * incomplete: a bound stopped that search (runs.complete = 0). */
typedef struct Cell {
	char *scenario, *variant, *model, *outcomes;
	int incomplete;
} Cell;
typedef struct Cells {
	Cell *v;
	int n, cap;
} Cells;

/* A text table: n strings row-major, ncols per row, row 0 the header. */
typedef struct Table {
	char **s;
	int ncols, n, cap;
} Table;

/* ---- errors ---------------------------------------------------------- */

/* Records a formatted message as db's error; returns -1. */
static int fail(Db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof db->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Records "what: <SQLite's message for h>"; returns -1. */
static int fail_sql(Db *db, sqlite3 *h, const char *what)
{
	return fail(db, "%s: %s", what, sqlite3_errmsg(h));
}

/* Prefixes db's error with "prefix: "; returns -1. */
static int fail_prefix(Db *db, const char *prefix)
{
	char old[sizeof db->err];
	memcpy(old, db->err, sizeof old);
	return fail(db, "%s: %s", prefix, old);
}

const char *db_errmsg(Db *db)
{
	return db ? db->err : "no database";
}

/* ---- statements ------------------------------------------------------ */

static void st_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Steps st once expecting no row (INSERT, BEGIN...), then resets it.
 * Returns 0, or -1 with the error recorded under what. */
static int step_done(Db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		fail_sql(db, sqlite3_db_handle(st), what);
	st_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Steps st expecting at most one row: 1 if there is one (st stays on it;
 * the caller resets), 0 if none, -1 on error; resets st unless 1. */
static int step_row(Db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		fail_sql(db, sqlite3_db_handle(st), what);
	st_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Runs the bound INSERT st; bad is nonzero if a bind failed.  Returns the
 * new rowid, or -1 with the error recorded. */
static int64_t insert_row(Db *db, sqlite3_stmt *st, int bad, const char *what)
{
	if (bad) {
		fail_sql(db, db->h, what);
		st_done(st);
		return -1;
	}
	return step_done(db, st, what) ? -1 : sqlite3_last_insert_rowid(db->h);
}

/* Binds s (NULL binds NULL); s must outlive the step. */
static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Column i as text, "" for NULL. */
static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

/* Column i copied to the heap, NULL for SQL NULL; sets *oom on failure. */
static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	char *d;
	if (!s)
		return NULL;
	d = strdup((const char *)s);
	if (!d)
		*oom = 1;
	return d;
}

/* Runs one-off sql (setup only) on db's connection; 0 or -1. */
static int exec(Db *db, const char *sql, const char *what)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fail_sql(db, db->h, what);
	return 0;
}

/* Runs one-off sql on h and reads column 0 of its first row as text into
 * buf (empty if no row).  Returns 0, or -1 with the error recorded. */
static int query_text(Db *db, sqlite3 *h, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fail_sql(db, h, sql);
		sqlite3_finalize(st);
		return -1;
	}
	snprintf(buf, n, "%s", rc == SQLITE_ROW ? col_text(st, 0) : "");
	sqlite3_finalize(st);
	return 0;
}

static int query_int(Db *db, sqlite3 *h, const char *sql, int *out)
{
	char buf[32];
	if (query_text(db, h, sql, buf, sizeof buf))
		return -1;
	*out = atoi(buf);
	return 0;
}

/* ---- open and close -------------------------------------------------- */

/* Opens the connection with a busy timeout and foreign keys on. */
/* sqlar_uncompress(data, size), as the sqlite3 shell defines it: data
 * itself when size is its length, else zlib's uncompress of it into size
 * bytes; NULL when that fails.  For the witness_text view. */
static void sql_uncompress(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const Bytef *z = sqlite3_value_blob(argv[0]);
	int zlen = sqlite3_value_bytes(argv[0]);
	sqlite3_int64 n = sqlite3_value_int64(argv[1]);
	(void)argc;
	if (!z || n <= 0 || n > DB_TRACE_MAX) {
		sqlite3_result_null(ctx);
		return;
	}
	if (n == zlen) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	Bytef *out = sqlite3_malloc64((sqlite3_uint64)n);
	uLongf got = (uLongf)n;
	if (out && uncompress(out, &got, z, (uLong)zlen) == Z_OK && got == (uLongf)n)
		sqlite3_result_blob(ctx, out, (int)n, sqlite3_free);
	else {
		sqlite3_free(out);
		sqlite3_result_null(ctx);
	}
}

static int open_conn(Db *db, const char *path)
{
	if (sqlite3_open(path, &db->h) != SQLITE_OK)
		return fail_sql(db, db->h, "open");
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	if (sqlite3_create_function(db->h, "sqlar_uncompress", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                            sql_uncompress, NULL, NULL) != SQLITE_OK)
		return fail_sql(db, db->h, "register sqlar_uncompress");
	return exec(db, "PRAGMA foreign_keys = ON", "enable foreign keys");
}

/* Switches to WAL (persistent in the file), so readers never block the
 * writer.  Done after the schema check: a refused file stays untouched. */
static int use_wal(Db *db)
{
	char mode[16];
	if (query_text(db, db->h, "PRAGMA journal_mode = WAL", mode, sizeof mode))
		return -1;
	/* An in-memory database reports "memory"; it has no journal file. */
	if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
		return fail(db, "cannot use WAL journal mode (got \"%s\")", mode);
	/* In WAL mode NORMAL keeps every commit atomic and the file never
	 * corrupt; only a power loss may undo the last commits.  FULL (the
	 * default) waited for a disk flush per commit: most of what recording
	 * cost (docs/benchmarks.md, "The database's cost"). */
	return exec(db, "PRAGMA synchronous = NORMAL", "synchronous");
}

/* Creates the schema in an empty database, migrates version 1 (adds
 * the provenance columns and the views) and version 2 (the views again:
 * version 3's know incomplete searches), accepts one already at
 * DB_SCHEMA_VERSION, and refuses anything else. */
static int schema_apply(Db *db, int ver, int nobjs)
{
	if (ver == DB_SCHEMA_VERSION)
		return 0;
	if (ver == 1)
		return exec(db, "ALTER TABLE runs ADD COLUMN recorded_at TEXT;"
		            "ALTER TABLE runs ADD COLUMN command TEXT;"
		            "ALTER TABLE runs ADD COLUMN max_states INTEGER;"
		            "ALTER TABLE runs ADD COLUMN complete INTEGER;"
		            "ALTER TABLE runs ADD COLUMN git TEXT;"
		            "ALTER TABLE runs ADD COLUMN symmetry TEXT;", "migrate schema 1 to 3") ||
		       exec(db, views_sql, "migrate schema 1 to 3");
	if (ver == 2)
		return exec(db, "DROP VIEW witness_text; DROP VIEW matrix; DROP VIEW verdicts; DROP VIEW latest_runs;"
		            "ALTER TABLE runs ADD COLUMN git TEXT;"
		            "ALTER TABLE runs ADD COLUMN symmetry TEXT;", "migrate schema 2 to 3") ||
		       exec(db, views_sql, "migrate schema 2 to 3");
	if (ver != 0)
		return fail(db, "database has schema version %d, this tlbsim "
		            "reads version %d", ver, DB_SCHEMA_VERSION);
	if (nobjs != 0)
		return fail(db, "not a tlbsim database (user_version 0 but %d "
		            "schema objects)", nobjs);
	return exec(db, schema_sql, "create schema") || exec(db, views_sql, "create views");
}

/* Checks or creates the schema under one write lock, so two processes
 * opening a new file at once cannot both create it. */
static int schema_init(Db *db)
{
	int ver = 0, nobjs = 0;
	if (exec(db, "BEGIN IMMEDIATE", "BEGIN"))
		return -1;
	if (query_int(db, db->h, "PRAGMA user_version", &ver) ||
	    query_int(db, db->h, "SELECT count(*) FROM sqlite_master", &nobjs) ||
	    schema_apply(db, ver, nobjs) || exec(db, "COMMIT", "COMMIT")) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static int prepare_all(Db *db)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(db->h, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &db->st[i], NULL) != SQLITE_OK)
			return fail_sql(db, db->h, stmt_sql[i]);
	return 0;
}

Db *db_open(const char *path, char *err, size_t errlen)
{
	Db *db = calloc(1, sizeof *db);
	if (!db) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (open_conn(db, path) || schema_init(db) || use_wal(db) || prepare_all(db)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, db->err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Finalizes every statement and closes; an open transaction rolls back. */
void db_close(Db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	free(db);
}

int db_begin(Db *db)
{
	return step_done(db, db->st[ST_BEGIN], "BEGIN");
}

int db_commit(Db *db)
{
	return step_done(db, db->st[ST_COMMIT], "COMMIT");
}

/* Rolls back the open transaction, if any.  Keeps db's error message: it
 * is usually called after a failure, whose message matters more. */
void db_rollback(Db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return;
	sqlite3_step(db->st[ST_ROLLBACK]);
	sqlite3_reset(db->st[ST_ROLLBACK]);
}

/* ---- writes ---------------------------------------------------------- */

/* Id of the scenario with this hash, 0 if none, -1 on error. */
static int64_t scenario_find(Db *db, const char *hash)
{
	sqlite3_stmt *st = db->st[ST_SCN_FIND];
	int64_t id;
	int rc;
	bind_text(st, 1, hash);
	rc = step_row(db, st, "find scenario");
	if (rc <= 0)
		return rc;
	id = sqlite3_column_int64(st, 0);
	st_done(st);
	return id;
}

/* Inserts a scenario row and its files (seq = index); id or -1. */
static int64_t scenario_insert(Db *db, const char *name, const char *hash,
                               int nfiles, const char *const *paths,
                               const char *const *texts)
{
	sqlite3_stmt *st = db->st[ST_SCN_ADD];
	int64_t id = insert_row(db, st, bind_text(st, 1, name) |
	                        bind_text(st, 2, hash), "insert scenario");
	st = db->st[ST_FILE_ADD];
	for (int i = 0; id > 0 && i < nfiles; i++) {
		int bad = sqlite3_bind_int64(st, 1, id) | sqlite3_bind_int(st, 2, i) |
		          bind_text(st, 3, paths[i]) | bind_text(st, 4, texts[i]);
		if (insert_row(db, st, bad, "insert scenario file") < 0)
			id = -1;
	}
	return id;
}

/* A savepoint makes the insert all-or-nothing even outside db_begin. */
int64_t db_scenario(Db *db, const char *name, const char *hash,
                    int nfiles, const char *const *paths, const char *const *texts)
{
	int64_t id = scenario_find(db, hash);
	if (id != 0)
		return id;
	if (nfiles > 0 && (!paths || !texts))
		return fail(db, "db_scenario: %d files but no paths or texts", nfiles);
	if (step_done(db, db->st[ST_SAVE], "SAVEPOINT"))
		return -1;
	id = scenario_insert(db, name, hash, nfiles, paths, texts);
	if (id < 0) {
		sqlite3_step(db->st[ST_UNDO]);
		sqlite3_reset(db->st[ST_UNDO]);
	}
	if (step_done(db, db->st[ST_RELEASE], "RELEASE"))
		return -1;
	return id;
}

int64_t db_run(Db *db, const DbRun *r)
{
	sqlite3_stmt *st = db->st[ST_RUN_ADD];
	int bad = sqlite3_bind_int64(st, 1, r->scenario_id) |
	          bind_text(st, 2, r->variant) | bind_text(st, 3, r->model) |
	          bind_text(st, 4, r->mode) | bind_u64(st, 5, r->seed) |
	          bind_text(st, 6, r->schedule) | bind_text(st, 7, r->version) |
	          sqlite3_bind_double(st, 8, r->seconds) |
	          bind_u64(st, 9, r->states) | bind_u64(st, 10, r->transitions) |
	          bind_u64(st, 11, r->schedules) | bind_u64(st, 12, r->end_states) |
	          bind_text(st, 13, r->trace_hash) | bind_text(st, 14, r->command) |
	          (r->max_states ? bind_u64(st, 15, r->max_states) : sqlite3_bind_null(st, 15)) |
	          sqlite3_bind_int(st, 16, !r->incomplete) | bind_text(st, 17, r->git) | bind_text(st, 18, r->symmetry);
	return insert_row(db, st, bad, "insert run");
}

/* compress2 of len bytes of s into a new buffer *z of *zlen bytes. */
static int deflate_text(Db *db, const char *s, size_t len,
                        unsigned char **z, size_t *zlen)
{
	uLongf n = compressBound((uLong)len);
	*z = malloc(n);
	if (!*z)
		return fail(db, "out of memory compressing a trace");
	if (compress2(*z, &n, (const Bytef *)s, (uLong)len, DB_ZLEVEL) != Z_OK) {
		free(*z);
		*z = NULL;
		return fail(db, "zlib compress2 failed");
	}
	*zlen = n;
	return 0;
}

/* The trace is stored compressed with its uncompressed length.  A
 * trace_len of 0 with a non-NULL trace means strlen(trace). */
int64_t db_outcome(Db *db, const DbOutcome *o)
{
	sqlite3_stmt *st = db->st[ST_OUT_ADD];
	unsigned char *z = NULL;
	size_t zlen = 0, len = 0;
	int64_t id;
	int bad;
	if (o->trace) {
		len = o->trace_len ? o->trace_len : strlen(o->trace);
		if (deflate_text(db, o->trace, len, &z, &zlen))
			return -1;
	}
	bad = sqlite3_bind_int64(st, 1, o->run_id) | bind_text(st, 2, o->name) |
	      bind_u64(st, 3, o->schedules) | bind_u64(st, 4, o->end_states) |
	      bind_text(st, 5, o->witness) | sqlite3_bind_int(st, 6, o->witness_steps);
	if (z)
		bad |= sqlite3_bind_blob64(st, 7, z, zlen, SQLITE_STATIC) |
		       bind_u64(st, 8, len);
	id = insert_row(db, st, bad, "insert outcome");
	free(z);
	return id;
}

/* ---- witnesses ------------------------------------------------------- */

/* Inflates zlen bytes at z, which must give exactly len bytes, into a new
 * NUL-terminated string *out. */
static int inflate_text(Db *db, const void *z, size_t zlen, sqlite3_int64 len,
                        char **out)
{
	uLongf n = (uLongf)len;
	if (len < 0 || len > DB_TRACE_MAX || !z)
		return fail(db, "corrupt trace (its recorded length is %lld)", (long long)len);
	*out = malloc((size_t)len + 1);
	if (!*out)
		return fail(db, "out of memory inflating a trace");
	if (uncompress((Bytef *)*out, &n, z, (uLong)zlen) != Z_OK ||
	    n != (uLongf)len)
		return fail(db, "corrupt trace (zlib uncompress failed)");
	(*out)[len] = '\0';
	return 0;
}

/* Fills w's outcome fields (id, run_id, outcome, schedule, trace) from
 * outcome row id; -1 if there is none. */
static int load_outcome(Db *db, int64_t id, DbWitness *w)
{
	sqlite3_stmt *st = db->st[ST_OUT_GET];
	int oom = 0, rc;
	sqlite3_bind_int64(st, 1, id);
	rc = step_row(db, st, "load witness");
	if (rc <= 0)
		return rc < 0 ? -1 : fail(db, "no witness with id %lld", (long long)id);
	if (sqlite3_column_type(st, 3) != SQLITE_NULL && sqlite3_column_type(st, 3) != SQLITE_BLOB) {
		st_done(st);
		return fail(db, "witness %lld: corrupt trace (not a blob)", (long long)id);
	}
	w->id = id;
	w->run_id = sqlite3_column_int64(st, 0);
	w->outcome = col_dup(st, 1, &oom);
	w->schedule = col_dup(st, 2, &oom);
	if (oom)
		rc = fail(db, "out of memory");
	else if (sqlite3_column_type(st, 3) == SQLITE_NULL)
		rc = 0;
	else
		rc = inflate_text(db, sqlite3_column_blob(st, 3),
		                  (size_t)sqlite3_column_bytes(st, 3),
		                  sqlite3_column_int64(st, 4), &w->trace);
	st_done(st);
	return rc;
}

/* Binds id to st and calls add(ctx, st) on each row, until one fails
 * (out of memory).  Returns 0, or -1 with the error recorded. */
static int each_row(Db *db, sqlite3_stmt *st, int64_t id, int (*add)(void *, sqlite3_stmt *),
                    void *ctx, const char *what)
{
	int rc, bad = 0;
	sqlite3_bind_int64(st, 1, id);
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW)
		bad = add(ctx, st);
	if (bad)
		fail(db, "out of memory");
	else if (rc != SQLITE_DONE)
		bad = fail_sql(db, db->h, what);
	st_done(st);
	return bad ? -1 : 0;
}

/* Appends the file in st's current row (path, text) to w (a DbWitness). */
static int add_file(void *ctx, sqlite3_stmt *st)
{
	DbWitness *w = ctx;
	int oom = 0;
	char **p = realloc(w->paths, ((size_t)w->nfiles + 1) * sizeof *p);
	if (!p)
		return -1;
	w->paths = p;
	p = realloc(w->texts, ((size_t)w->nfiles + 1) * sizeof *p);
	if (!p)
		return -1;
	w->texts = p;
	w->paths[w->nfiles] = col_dup(st, 0, &oom);
	w->texts[w->nfiles] = col_dup(st, 1, &oom);
	w->nfiles++;
	return oom ? -1 : 0;
}

static int load_files(Db *db, int64_t scenario_id, DbWitness *w)
{
	return each_row(db, db->st[ST_FILES], scenario_id, add_file, w, "load scenario files");
}

/* Steps st, a statement on one run, to the row of run run_id: 0 with
 * st on it (the caller resets), or -1 with the error recorded. */
static int run_row(Db *db, sqlite3_stmt *st, int64_t run_id)
{
	int rc;
	sqlite3_bind_int64(st, 1, run_id);
	rc = step_row(db, st, "load run");
	if (rc == 0)
		fail(db, "no run with id %lld", (long long)run_id);
	return rc > 0 ? 0 : -1;
}

/* Fills w's run and scenario fields from run run_id; schedule only if the
 * outcome gave none. */
static int load_run(Db *db, int64_t run_id, DbWitness *w)
{
	sqlite3_stmt *st = db->st[ST_RUN_GET];
	int64_t sid;
	int oom = 0;
	if (run_row(db, st, run_id))
		return -1;
	w->run_id = run_id;
	w->scenario = col_dup(st, 0, &oom);
	w->hash = col_dup(st, 1, &oom);
	w->variant = col_dup(st, 2, &oom);
	w->model = col_dup(st, 3, &oom);
	w->mode = col_dup(st, 4, &oom);
	w->seed = (uint64_t)sqlite3_column_int64(st, 5);
	if (!w->schedule)
		w->schedule = col_dup(st, 6, &oom);
	sid = sqlite3_column_int64(st, 7);
	w->command = col_dup(st, 8, &oom);
	st_done(st);
	if (oom)
		return fail(db, "out of memory");
	if (load_files(db, sid, w))
		return -1;
	return w->nfiles ? 0 : fail(db, "run %lld: scenario %lld has no recorded files (its scenario_files rows are missing)",
	                             (long long)run_id, (long long)sid);
}

int db_witness(Db *db, int64_t id, DbWitness *w)
{
	memset(w, 0, sizeof *w);
	if (load_outcome(db, id, w) || load_run(db, w->run_id, w)) {
		db_witness_free(w);
		return -1;
	}
	return 0;
}

/* The run's lowest-id outcome; a run without outcomes still loads, with
 * id 0, outcome and trace NULL and schedule from the run row. */
int db_run_witness(Db *db, int64_t run_id, DbWitness *w)
{
	sqlite3_stmt *st = db->st[ST_OUT_FIRST];
	int64_t first = 0;
	int rc;
	memset(w, 0, sizeof *w);
	sqlite3_bind_int64(st, 1, run_id);
	rc = step_row(db, st, "find first witness");
	if (rc < 0)
		return -1;
	if (rc > 0) {
		first = sqlite3_column_int64(st, 0);
		st_done(st);
		return db_witness(db, first, w);
	}
	if (load_run(db, run_id, w)) {
		db_witness_free(w);
		return -1;
	}
	return 0;
}

char *db_witness_file(void *ctx, const char *path, size_t *len)
{
	const DbWitness *w = ctx;
	for (int i = 0; i < w->nfiles; i++)
		if (!strcmp(w->paths[i], path)) {
			*len = strlen(w->texts[i]);
			return strdup(w->texts[i]);
		}
	return NULL;
}

int64_t db_find_witness(Db *db, const char *outcome, const char *scenario)
{
	sqlite3_stmt *st = db->st[ST_OUT_LAST];
	int64_t id = 0;
	bind_text(st, 1, outcome);
	bind_text(st, 2, scenario);
	int rc = step_row(db, st, "find witness");
	if (rc > 0) {
		id = sqlite3_column_int64(st, 0);
		st_done(st);
	}
	return rc < 0 ? -1 : id;
}

void db_witness_free(DbWitness *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->nfiles; i++) {
		free(w->paths[i]);
		free(w->texts[i]);
	}
	free(w->paths);
	free(w->texts);
	free(w->scenario);
	free(w->command);
	free(w->hash);
	free(w->variant);
	free(w->model);
	free(w->mode);
	free(w->outcome);
	free(w->schedule);
	free(w->trace);
	memset(w, 0, sizeof *w);
}

/* ---- reports --------------------------------------------------------- */

/* Joins the distinct outcome names of run_id, sorted, with commas, into a
 * new string *out ("" if none).  names is an ST_NAMES statement. */
static int names_join(Db *db, sqlite3_stmt *names, int64_t run_id, char **out)
{
	size_t len = 0;
	int rc, n = 0;
	FILE *f = open_memstream(out, &len);
	if (!f)
		return fail(db, "out of memory");
	sqlite3_bind_int64(names, 1, run_id);
	while ((rc = sqlite3_step(names)) == SQLITE_ROW)
		fprintf(f, "%s%s", n++ ? "," : "", col_text(names, 0));
	if (rc != SQLITE_DONE)
		fail_sql(db, sqlite3_db_handle(names), "outcome names");
	st_done(names);
	if (fclose(f) != 0 && rc == SQLITE_DONE)
		rc = fail(db, "out of memory");
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void cells_free(Cells *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->v[i].scenario);
		free(c->v[i].variant);
		free(c->v[i].model);
		free(c->v[i].outcomes);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* Appends the cell in latest's current row (name, variant, model, run id). */
static int cells_add(Db *db, sqlite3_stmt *latest, sqlite3_stmt *names, Cells *c)
{
	Cell *cell;
	int oom = 0;
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 16;
		Cell *v = realloc(c->v, (size_t)cap * sizeof *v);
		if (!v)
			return fail(db, "out of memory");
		c->v = v;
		c->cap = cap;
	}
	cell = &c->v[c->n++];
	memset(cell, 0, sizeof *cell);
	cell->scenario = col_dup(latest, 0, &oom);
	cell->variant = col_dup(latest, 1, &oom);
	cell->model = col_dup(latest, 2, &oom);
	if (oom)
		return fail(db, "out of memory");
	cell->incomplete = sqlite3_column_type(latest, 4) != SQLITE_NULL && !sqlite3_column_int(latest, 4);
	return names_join(db, names, sqlite3_column_int64(latest, 3), &cell->outcomes);
}

/* Loads the latest explore run of every (scenario name, variant, model),
 * only runs of version if it is non-NULL, in first-explored order.  latest and
 * names are ST_LATEST and ST_NAMES statements on any connection. */
static int cells_load(Db *db, sqlite3_stmt *latest, sqlite3_stmt *names,
                      const char *version, Cells *c)
{
	int rc, bad = 0;
	bind_text(latest, 1, version);
	while (!bad && (rc = sqlite3_step(latest)) == SQLITE_ROW)
		bad = cells_add(db, latest, names, c);
	if (!bad && rc != SQLITE_DONE)
		bad = fail_sql(db, sqlite3_db_handle(latest), "latest explore runs");
	st_done(latest);
	return bad ? -1 : 0;
}

static int check_out(Db *db, FILE *out)
{
	return ferror(out) ? fail(db, "write error") : 0;
}

/* Appends a copy of s as the next cell of t; 0, or -1 if out of memory. */
static int table_add(Table *t, const char *s)
{
	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		char **v = realloc(t->s, (size_t)cap * sizeof *v);
		if (!v)
			return -1;
		t->s = v;
		t->cap = cap;
	}
	if (!(t->s[t->n] = strdup(s)))
		return -1;
	t->n++;
	return 0;
}

static int table_u64(Table *t, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	return table_add(t, buf);
}

static void table_free(Table *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	memset(t, 0, sizeof *t);
}

/* Prints row r of t padded to widths w, two spaces apart.  Padding is
 * written only before a non-empty cell, so no line ends in spaces. */
static void table_line(const Table *t, const size_t *w, int r, FILE *out)
{
	size_t pad = 0;
	for (int c = 0; c < t->ncols; c++) {
		const char *s = t->s[r * t->ncols + c];
		if (*s) {
			fprintf(out, "%*s%s", (int)pad, "", s);
			pad = 0;
		}
		pad += w[c] - strlen(s) + 2;
	}
	fputc('\n', out);
}

static void table_dashes(const Table *t, const size_t *w, FILE *out)
{
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			fputs("  ", out);
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
}

/* Prints t with each column as wide as its widest cell, and a dashes line
 * under the header (row 0). */
static void table_print(const Table *t, FILE *out)
{
	size_t w[TABLE_MAXCOLS] = {0};
	int rows = t->n / t->ncols;
	for (int i = 0; i < rows * t->ncols; i++)
		if (strlen(t->s[i]) > w[i % t->ncols])
			w[i % t->ncols] = strlen(t->s[i]);
	for (int r = 0; r < rows; r++) {
		table_line(t, w, r, out);
		if (r == 0)
			table_dashes(t, w, out);
	}
}

/* Adds the runs row in st's current row to t, outcomes last. */
static int runs_row(Db *db, sqlite3_stmt *st, Table *t)
{
	char *names = NULL;
	int bad = table_u64(t, (uint64_t)sqlite3_column_int64(st, 0));
	for (int c = 1; c <= 4; c++)
		bad |= table_add(t, col_text(st, c));
	for (int c = 5; c <= 7; c++)
		bad |= table_u64(t, (uint64_t)sqlite3_column_int64(st, c));
	if (bad)
		return fail(db, "out of memory");
	if (names_join(db, db->st[ST_NAMES], sqlite3_column_int64(st, 0), &names))
		return -1;
	bad = table_add(t, *names ? names : "none");
	free(names);
	return bad ? fail(db, "out of memory") : 0;
}

/* Newest runs first (ORDER BY id DESC), at most limit (<= 0: all). */
int db_print_runs(Db *db, FILE *out, int limit)
{
	static const char *const head[] = { "id", "scenario", "variant", "model",
		"mode", "seed", "states", "schedules", "outcomes" };
	sqlite3_stmt *st = db->st[ST_RUNS];
	Table t = { .ncols = (int)(sizeof head / sizeof head[0]) };
	int rc = 0, bad = 0;
	for (int c = 0; c < t.ncols; c++)
		bad |= table_add(&t, head[c]);
	if (bad)
		bad = fail(db, "out of memory");
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW)
		bad = runs_row(db, st, &t);
	if (!bad && rc != SQLITE_DONE)
		bad = fail_sql(db, db->h, "list runs");
	st_done(st);
	if (!bad) {
		table_print(&t, out);
		bad = check_out(db, out);
	}
	table_free(&t);
	return bad ? -1 : 0;
}

/* Prints the matrix of latest explore runs through rep_matrix_print. */
int db_print_matrix(Db *db, FILE *out)
{
	Cells c = {0};
	MatrixCell *m = NULL;
	int rc = cells_load(db, db->st[ST_LATEST], db->st[ST_NAMES], NULL, &c);
	if (rc == 0 && !(m = malloc(((size_t)c.n + 1) * sizeof *m)))
		rc = fail(db, "out of memory");
	if (rc == 0) {
		for (int i = 0; i < c.n; i++)
			m[i] = (MatrixCell){ c.v[i].scenario, c.v[i].variant,
			                     c.v[i].model, c.v[i].outcomes, c.v[i].incomplete };
		rep_matrix_print(out, m, c.n);
		rc = check_out(db, out);
	}
	free(m);
	cells_free(&c);
	return rc;
}

/* Opens another database read-only and checks its schema version (into
 * *ver); returns the handle, or NULL with db's error set. */
static sqlite3 *open_other(Db *db, const char *path, int *ver_out)
{
	sqlite3 *h = NULL;
	int ver = 0;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fail_sql(db, h, path);
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, DB_BUSY_MS);
	if (query_int(db, h, "PRAGMA user_version", &ver))
		fail_prefix(db, path);
	else if (ver < 1 || ver > DB_SCHEMA_VERSION)    /* 1, 2: the same tables */
		fail(db, "%s: database has schema version %d, this tlbsim reads "
		     "versions 1 to %d", path, ver, DB_SCHEMA_VERSION);
	else {
		*ver_out = ver;
		return h;
	}
	sqlite3_close(h);
	return NULL;
}

/* Latest explore cells of the database at path (of version, if non-NULL),
 * through a second, read-only connection. */
static int other_cells(Db *db, const char *path, const char *version, Cells *c)
{
	static const char *const latest_sql[] = {   /* by schema version */
		LATEST_SQL("NULL", ""), LATEST_SQL("NULL", ""),
		LATEST_SQL("(SELECT complete FROM runs WHERE id = t.id)", ""),
		LATEST_SQL("(SELECT complete FROM runs WHERE id = t.id)", " OR r.git = ?1"),
	};
	_Static_assert(sizeof latest_sql / sizeof *latest_sql == DB_SCHEMA_VERSION + 1,
	               "a query of the latest cells for every schema version this tlbsim reads");
	sqlite3_stmt *latest = NULL, *names = NULL;
	int ver = 0;
	sqlite3 *h = open_other(db, path, &ver);
	int rc = -1;
	if (!h)
		return -1;
	if (sqlite3_prepare_v2(h, latest_sql[ver], -1, &latest, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, stmt_sql[ST_NAMES], -1, &names, NULL) != SQLITE_OK)
		fail_sql(db, h, path);
	else
		rc = cells_load(db, latest, names, version, c);
	sqlite3_finalize(latest);
	sqlite3_finalize(names);
	sqlite3_close(h);
	return rc;
}

static int cell_cmp(const Cell *a, const Cell *b)
{
	int d = strcmp(a->scenario, b->scenario);
	if (!d)
		d = strcmp(a->variant, b->variant);
	return d ? d : strcmp(a->model, b->model);
}

/* 1 if every name of the comma-joined list a is in the list b. */
static int names_within(const char *a, const char *b)
{
	while (*a) {
		size_t n = strcspn(a, ",");
		const char *p = b;
		int found = 0;
		while (*p && !found) {
			size_t m = strcspn(p, ",");
			found = m == n && !memcmp(a, p, n);
			p += m + (p[m] == ',');
		}
		if (!found)
			return 0;
		a += n + (a[n] == ',');
	}
	return 1;
}

/* Whether the verdicts of before b and after a differ: complete ones
 * when their outcome sets differ; with one side incomplete only when it
 * reached an outcome the complete side does not have (what it did not
 * reach is not known); two incomplete ones never. */
static int cell_changed(const Cell *b, const Cell *a)
{
	if (!b->incomplete && !a->incomplete)
		return strcmp(b->outcomes, a->outcomes) != 0;
	if (b->incomplete && a->incomplete)
		return 0;
	return b->incomplete ? !names_within(b->outcomes, a->outcomes) : !names_within(a->outcomes, b->outcomes);
}

/* The DbDiff of before b and after a (either NULL: one-sided). */
static DbDiff cell_diff(const Cell *b, const Cell *a)
{
	const Cell *k = b ? b : a;
	DbDiff d = { k->scenario, k->variant, k->model, !a ? -1 : !b ? 1 : 0,
	             b ? b->outcomes : NULL, a ? a->outcomes : NULL,
	             b && b->incomplete, a && a->incomplete, a && b && cell_changed(b, a) };
	return d;
}

static int cell_qcmp(const void *a, const void *b)
{
	return cell_cmp(a, b);
}

/* Merges two cell lists sorted by key (cell_cmp, strcmp order),
 * emitting changed and one-sided cells in key order (and those whose
 * search became complete or incomplete); returns the number of cells
 * whose verdicts changed (cell_changed). */
static int cells_diff(const Cells *b, const Cells *a, void (*emit)(void *, const DbDiff *), void *ctx)
{
	int i = 0, j = 0, changed = 0;
	while (i < b->n || j < a->n) {
		int cmp = i == b->n ? 1 : j == a->n ? -1 : cell_cmp(&b->v[i], &a->v[j]);
		DbDiff d = cell_diff(cmp <= 0 ? &b->v[i] : NULL, cmp >= 0 ? &a->v[j] : NULL);
		if (cmp || strcmp(d.before, d.after) || d.before_incomplete != d.after_incomplete)
			emit(ctx, &d);
		changed += d.changed;
		i += cmp <= 0;
		j += cmp >= 0;
	}
	return changed;
}

/* before: other_path's latest cells (of v1 if given), or this database's
 * runs of version v1; after: this database's latest cells (of v2 if given).
 * Without other_path both versions are required. */
int db_regressions(Db *db, const char *v1, const char *v2, const char *other_path,
                   void (*emit)(void *ctx, const DbDiff *d), void *ctx)
{
	Cells before = {0}, after = {0};
	int rc;
	if (!other_path && (!v1 || !v2))
		return fail(db, "regressions: give two versions or another database");
	rc = other_path ? other_cells(db, other_path, v1, &before)
	                : cells_load(db, db->st[ST_LATEST], db->st[ST_NAMES], v1, &before);
	if (rc == 0)
		rc = cells_load(db, db->st[ST_LATEST], db->st[ST_NAMES], v2, &after);
	/* a version with no explore at all is a typo, not "everything changed" */
	if (rc == 0 && v1 && !before.n)
		rc = fail(db, "regressions: no explore runs of version %s%s%s", v1, other_path ? " in " : "",
		          other_path ? other_path : "");
	else if (rc == 0 && v2 && !after.n)
		rc = fail(db, "regressions: no explore runs of version %s", v2);
	if (rc == 0) {
		qsort(before.v, (size_t)before.n, sizeof *before.v, cell_qcmp);
		qsort(after.v, (size_t)after.n, sizeof *after.v, cell_qcmp);
		rc = cells_diff(&before, &after, emit, ctx);
	}
	cells_free(&before);
	cells_free(&after);
	return rc;
}

/* A cell's outcomes as printed: "none" if empty, " (incomplete)" after
 * those of a search a bound stopped. */
static void diff_side(FILE *out, const char *names, int incomplete)
{
	fputs(*names ? names : "none", out);
	if (incomplete)
		fputs(" (incomplete)", out);
}

/* "scenario variant model: only in before|after", or "...: BEFORE -> AFTER". */
static void diff_line(void *ctx, const DbDiff *d)
{
	FILE *out = ctx;
	fprintf(out, "%s %s %s: ", d->scenario, d->variant, d->model);
	if (d->side)
		fputs(d->side < 0 ? "only in before" : "only in after", out);
	else {
		diff_side(out, d->before, d->before_incomplete);
		fputs(" -> ", out);
		diff_side(out, d->after, d->after_incomplete);
	}
	fputc('\n', out);
}

int db_print_regressions(Db *db, const char *v1, const char *v2,
                         const char *other_path, FILE *out)
{
	int rc = db_regressions(db, v1, v2, other_path, diff_line, out);
	if (rc >= 0 && check_out(db, out))
		rc = -1;
	return rc;
}

/* ---- merging (db merge) --------------------------------------------- */

/* Ids of the other database to ids of this one; from increases (rows are
 * read ORDER BY id), so a lookup is a binary search. */
typedef struct IdMap { int64_t *from, *to; size_t n, cap; } IdMap;

static int map_add(IdMap *m, int64_t from, int64_t to)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		int64_t *f = realloc(m->from, cap * sizeof *f), *t = f ? realloc(m->to, cap * sizeof *t) : NULL;
		if (f)
			m->from = f;
		if (!t)
			return -1;
		m->to = t;
		m->cap = cap;
	}
	m->from[m->n] = from;
	m->to[m->n++] = to;
	return 0;
}

static int64_t map_get(const IdMap *m, int64_t from)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->from[mid] < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->from[lo] == from ? m->to[lo] : -1;
}

static void map_free(IdMap *m)
{
	free(m->from);
	free(m->to);
}

/* Binds columns [from, from + n) of src's row to dst's parameters first... */
static int bind_cols(sqlite3_stmt *dst, int first, sqlite3_stmt *src, int from, int n)
{
	int bad = 0;
	for (int k = 0; k < n; k++)
		bad |= sqlite3_bind_value(dst, first + k, sqlite3_column_value(src, from + k));
	return bad;
}

/* The other database's statements a merge reads with, in this order. */
static const char *const merge_sql[] = {
	"SELECT id, name, hash FROM scenarios ORDER BY id",
	"SELECT seq, path, text FROM scenario_files WHERE scenario_id = ?1 ORDER BY seq",
	"SELECT id, scenario_id, variant, model, mode, seed, schedule, version, seconds, states,"
	" transitions, schedules, end_states, trace_hash, recorded_at, command, max_states, complete, git, symmetry"
	" FROM runs ORDER BY id",
	"SELECT run_id, name, schedules, end_states, witness, witness_steps, trace, trace_len"
	" FROM outcomes ORDER BY id",
};
enum { MS_SCN, MS_FILES, MS_RUNS, MS_OUTS, MS_COUNT };

/* Copies scenario row src (id, name, hash) unless its hash is here:
 * maps its id either way. */
static int merge_scenario(Db *db, sqlite3_stmt **in, IdMap *scn)
{
	sqlite3_stmt *src = in[MS_SCN], *find = db->st[ST_SCN_FIND];
	int64_t id = 0;
	bind_text(find, 1, col_text(src, 2));
	int r = step_row(db, find, "find scenario");
	if (r == 1)
		id = sqlite3_column_int64(find, 0);
	if (r == 1)
		st_done(find);
	if (r == 0) {
		sqlite3_stmt *add = db->st[ST_SCN_ADD];
		id = insert_row(db, add, bind_cols(add, 1, src, 1, 2), "merge scenario");
		sqlite3_stmt *f = in[MS_FILES];
		sqlite3_bind_int64(f, 1, sqlite3_column_int64(src, 0));
		int rc;
		while (id > 0 && (rc = sqlite3_step(f)) == SQLITE_ROW) {
			sqlite3_stmt *fa = db->st[ST_FILE_ADD];
			if (insert_row(db, fa, sqlite3_bind_int64(fa, 1, id) | bind_cols(fa, 2, f, 0, 3), "merge file") < 0)
				id = -1;
		}
		if (id > 0 && rc != SQLITE_DONE)
			id = fail_sql(db, sqlite3_db_handle(f), "read scenario files");
		st_done(f);
	}
	if (r < 0 || id < 0)
		return -1;
	return map_add(scn, sqlite3_column_int64(src, 0), id) ? fail(db, "out of memory") : 0;
}

/* Copies run row src, its scenario id mapped; maps its id. */
static int merge_run(Db *db, sqlite3_stmt *src, const IdMap *scn, IdMap *runs)
{
	sqlite3_stmt *add = db->st[ST_RUN_COPY];
	int64_t sid = map_get(scn, sqlite3_column_int64(src, 1));
	if (sid < 0)
		return fail(db, "run %lld names scenario %lld, which is not there", (long long)sqlite3_column_int64(src, 0),
		            (long long)sqlite3_column_int64(src, 1));
	int64_t id = insert_row(db, add, sqlite3_bind_int64(add, 1, sid) | bind_cols(add, 2, src, 2, 18), "merge run");
	if (id < 0)
		return -1;
	return map_add(runs, sqlite3_column_int64(src, 0), id) ? fail(db, "out of memory") : 0;
}

/* Copies outcome row src (trace still compressed), its run id mapped. */
static int merge_outcome(Db *db, sqlite3_stmt *src, const IdMap *runs)
{
	sqlite3_stmt *add = db->st[ST_OUT_ADD];
	int64_t rid = map_get(runs, sqlite3_column_int64(src, 0));
	if (rid < 0)
		return fail(db, "an outcome names run %lld, which is not there", (long long)sqlite3_column_int64(src, 0));
	return insert_row(db, add, sqlite3_bind_int64(add, 1, rid) | bind_cols(add, 2, src, 1, 7), "merge outcome") < 0 ? -1 : 0;
}

/* Steps src through its rows, each through copy; 0 or -1. */
static int merge_rows(Db *db, sqlite3_stmt *src, int (*copy)(Db *, sqlite3_stmt *, const IdMap *, IdMap *),
                      const IdMap *from, IdMap *to, const char *what)
{
	int rc, bad = 0;
	while (!bad && (rc = sqlite3_step(src)) == SQLITE_ROW)
		bad = copy(db, src, from, to);
	if (!bad && rc != SQLITE_DONE)
		bad = fail_sql(db, sqlite3_db_handle(src), what);
	return bad ? -1 : 0;
}

static int merge_outcome_row(Db *db, sqlite3_stmt *src, const IdMap *runs, IdMap *unused)
{
	(void)unused;
	return merge_outcome(db, src, runs);
}

/* Copies every row of the open other database h into db: scenarios by
 * content hash (one row per content), runs and outcomes appended in id
 * order.  *nruns: the runs copied. */
static int merge_all(Db *db, sqlite3 *h, sqlite3_stmt **in, uint64_t *nruns)
{
	IdMap scn = { 0 }, runs = { 0 };
	int rc, bad = 0;
	for (int i = 0; !bad && i < MS_COUNT; i++)
		if (sqlite3_prepare_v2(h, merge_sql[i], -1, &in[i], NULL) != SQLITE_OK)
			bad = fail_sql(db, h, "read");
	while (!bad && (rc = sqlite3_step(in[MS_SCN])) == SQLITE_ROW)
		bad = merge_scenario(db, in, &scn);
	if (!bad && rc != SQLITE_DONE)
		bad = fail_sql(db, h, "read scenarios");
	if (!bad)
		bad = merge_rows(db, in[MS_RUNS], merge_run, &scn, &runs, "read runs");
	if (!bad)
		bad = merge_rows(db, in[MS_OUTS], merge_outcome_row, &runs, NULL, "read outcomes");
	*nruns = runs.n;
	map_free(&scn);
	map_free(&runs);
	return bad ? -1 : 0;
}

int db_merge(Db *db, const char *path, uint64_t *nruns)
{
	sqlite3_stmt *in[MS_COUNT] = { NULL };
	int ver = 0, rc = -1;
	sqlite3 *h = open_other(db, path, &ver);
	*nruns = 0;
	if (!h)
		return -1;
	if (ver != DB_SCHEMA_VERSION)
		fail(db, "%s: database has schema version %d, db merge reads version %d (opening it with this tlbsim, "
		     "as 'tlbsim db runs --db %s' does, migrates it)", path, ver, DB_SCHEMA_VERSION, path);
	else
		rc = merge_all(db, h, in, nruns);
	if (rc < 0 && strncmp(db->err, path, strlen(path)))
		fail_prefix(db, path);
	for (int i = 0; i < MS_COUNT; i++)
		sqlite3_finalize(in[i]);
	sqlite3_close(h);
	return rc;
}

/* ---- runs for the HTML report ----------------------------------------- */

/* Fills r's provenance from run r->id. */
static int run_info(Db *db, DbRunRow *r)
{
	sqlite3_stmt *st = db->st[ST_RUN_INFO];
	int oom = 0;
	if (run_row(db, st, r->id))
		return -1;
	r->scenario = col_dup(st, 0, &oom);
	r->hash = col_dup(st, 1, &oom);
	r->variant = col_dup(st, 2, &oom);
	r->model = col_dup(st, 3, &oom);
	r->mode = col_dup(st, 4, &oom);
	r->version = col_dup(st, 5, &oom);
	r->seed = (uint64_t)sqlite3_column_int64(st, 6);
	r->states = (uint64_t)sqlite3_column_int64(st, 7);
	r->transitions = (uint64_t)sqlite3_column_int64(st, 8);
	r->schedules = (uint64_t)sqlite3_column_int64(st, 9);
	r->end_states = (uint64_t)sqlite3_column_int64(st, 10);
	r->seconds = sqlite3_column_double(st, 11);
	r->incomplete = sqlite3_column_type(st, 12) != SQLITE_NULL && !sqlite3_column_int(st, 12);
	r->git = col_dup(st, 13, &oom);
	r->symmetry = col_dup(st, 14, &oom);
	st_done(st);
	return oom ? fail(db, "out of memory") : 0;
}

/* Appends the outcome row in st's current row to r (a DbRunRow). */
static int add_outcome_row(void *ctx, sqlite3_stmt *st)
{
	DbRunRow *r = ctx;
	int oom = 0;
	DbOutcomeRow *v = realloc(r->out, ((size_t)r->nout + 1) * sizeof *v), *o;
	if (!v)
		return -1;
	r->out = v;
	o = &r->out[r->nout++];
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(st, 0);
	o->name = col_dup(st, 1, &oom);
	o->schedules = (uint64_t)sqlite3_column_int64(st, 2);
	o->end_states = (uint64_t)sqlite3_column_int64(st, 3);
	o->witness = col_dup(st, 4, &oom);
	o->witness_steps = sqlite3_column_int(st, 5);
	return oom || !o->name ? -1 : 0;
}

/* Fills r's outcome rows, in id order. */
static int run_outcome_rows(Db *db, DbRunRow *r)
{
	return each_row(db, db->st[ST_OUT_ROWS], r->id, add_outcome_row, r, "load outcomes");
}

/* The run ids in column col of st's rows (bound already), into rows[i].id. */
static int run_ids(Db *db, sqlite3_stmt *st, int col, DbRunRow **rows, int *n, const char *what)
{
	int rc, cap = 0, bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			DbRunRow *v = realloc(*rows, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *v);
			if (!v) {
				bad = fail(db, "out of memory");
				break;
			}
			*rows = v;
		}
		memset(&(*rows)[*n], 0, sizeof **rows);
		(*rows)[(*n)++].id = sqlite3_column_int64(st, col);
	}
	if (!bad && rc != SQLITE_DONE)
		bad = fail_sql(db, db->h, what);
	st_done(st);
	return bad ? -1 : 0;
}

/* Fills the rows whose ids run_ids loaded (rc its result). */
static int runs_fill(Db *db, int rc, DbRunRow **rows, int *n)
{
	for (int i = 0; rc == 0 && i < *n; i++)
		rc = run_info(db, &(*rows)[i]) || run_outcome_rows(db, &(*rows)[i]) ? -1 : 0;
	if (rc < 0) {
		db_runs_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

int db_latest_runs(Db *db, DbRunRow **rows, int *n)
{
	*rows = NULL;
	*n = 0;
	bind_text(db->st[ST_LATEST], 1, NULL);
	return runs_fill(db, run_ids(db, db->st[ST_LATEST], 3, rows, n, "latest explore runs"), rows, n);
}

int db_recent_runs(Db *db, int limit, DbRunRow **rows, int *n)
{
	*rows = NULL;
	*n = 0;
	sqlite3_bind_int(db->st[ST_RUNS], 1, limit > 0 ? limit : -1);
	return runs_fill(db, run_ids(db, db->st[ST_RUNS], 0, rows, n, "list runs"), rows, n);
}

void db_runs_free(DbRunRow *rows, int n)
{
	for (int i = 0; i < n; i++) {
		DbRunRow *r = &rows[i];
		for (int o = 0; o < r->nout; o++) {
			free(r->out[o].name);
			free(r->out[o].witness);
		}
		free(r->out);
		free(r->scenario);
		free(r->hash);
		free(r->variant);
		free(r->model);
		free(r->mode);
		free(r->version);
		free(r->git);
		free(r->symmetry);
	}
	free(rows);
}

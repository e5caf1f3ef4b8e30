/* reports/db.h: the results database (SQLite).  Every explore and run is
 * recorded with its scenario text, outcomes, witness schedules and
 * zlib-compressed traces.  Schema: docs/schema.md; version in
 * PRAGMA user_version.  Writes are batched: db_begin ... db_commit, and a
 * failed batch is rolled back whole (never a half-written database). */
#ifndef TLBSIM_DB_H
#define TLBSIM_DB_H
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#define DB_SCHEMA_VERSION 3

typedef struct Db Db;

/* Opens (creating if needed) the database at path, WAL mode, schema
 * created or checked.  On failure returns NULL with a message in err. */
Db *db_open(const char *path, char *err, size_t errlen);
void db_close(Db *db);
int db_begin(Db *db);          /* 0 on success */
int db_commit(Db *db);         /* 0 on success */
void db_rollback(Db *db);
const char *db_errmsg(Db *db);

/* Finds or inserts the scenario with this content hash; stores the text of
 * every file (path + text, [0] the scenario itself).  Returns its id, or -1. */
int64_t db_scenario(Db *db, const char *name, const char *hash,
                    int nfiles, const char *const *paths, const char *const *texts);

typedef struct DbRun {
	int64_t scenario_id;
	const char *variant, *model;
	const char *mode;          /* "explore" or "run" */
	uint64_t seed;
	const char *schedule;      /* run: the schedule it followed; explore: NULL */
	const char *version;       /* tlbsim version */
	double seconds;            /* wall time taken */
	uint64_t states, transitions, schedules, end_states;
	const char *trace_hash;    /* run: hash of its trace; explore: NULL */
	const char *command;       /* the command line that made it (NULL: unknown) */
	uint64_t max_states;       /* explore: its --max-states bound (0: none or a run) */
	int incomplete;            /* explore: a bound stopped it (runs.complete = 0);
	                              its schedules are then 0 (not counted) */
	const char *git;           /* git describe of the writing tlbsim's build (NULL: unknown) */
	const char *symmetry;      /* explore --symmetry: the classes; the counts are the
	                              reduced graph's (NULL: full search) */
} DbRun;
int64_t db_run(Db *db, const DbRun *r);   /* run id or -1 */

typedef struct DbOutcome {
	int64_t run_id;
	const char *name;          /* outcome name, e.g. "lost_dirty" */
	uint64_t schedules;        /* schedules that end with it */
	uint64_t end_states;       /* distinct end states with it */
	const char *witness;       /* shortest schedule string */
	int witness_steps;
	const char *trace;         /* the witness timeline (text), compressed on insert */
	size_t trace_len;
} DbOutcome;
int64_t db_outcome(Db *db, const DbOutcome *o);  /* witness id or -1 */

/* A recorded witness, for `tlbsim replay ID`.  Strings are owned by the
 * struct; free with db_witness_free. */
typedef struct DbWitness {
	int64_t id, run_id;
	char *scenario, *hash, *variant, *model, *mode, *outcome, *schedule;
	uint64_t seed;
	int nfiles; char **paths, **texts;
	char *trace;               /* decompressed timeline as recorded */
	char *command;             /* the run's command line (runs.command), NULL if not recorded */
} DbWitness;
/* Loads witness id (an outcome row); returns 0, or -1 if there is none. */
int db_witness(Db *db, int64_t id, DbWitness *w);
/* Loads the first witness of run id for `tlbsim replay --run ID`. */
int db_run_witness(Db *db, int64_t run_id, DbWitness *w);
void db_witness_free(DbWitness *w);
/* Reads the recorded text of file path of witness ctx (a DbWitness), for
 * compiling what was recorded (a ScnSource's read).  Returns a malloc'd
 * copy and its length, or NULL if the witness has no such file. */
char *db_witness_file(void *ctx, const char *path, size_t *len);
/* The newest witness of outcome (in scenario, if not NULL): its id, 0 if
 * there is none, -1 on error. */
int64_t db_find_witness(Db *db, const char *outcome, const char *scenario);

/* Reports for `tlbsim db ...`; each returns 0, or -1 with db_errmsg set. */
int db_print_runs(Db *db, FILE *out, int limit);
int db_print_matrix(Db *db, FILE *out);
/* Verdict changes: between two tlbsim versions in this database
 * (other == NULL), or between this database and another one (v1 == v2 ==
 * NULL: latest explore of each cell in each).  Prints one line per changed
 * cell; returns the number of changed cells, or -1. */
int db_print_regressions(Db *db, const char *v1, const char *v2,
                         const char *other_path, FILE *out);

/* Copies every scenario, run and outcome of the database at path (of this
 * schema version, opened read-only and left untouched) into db, inside
 * the caller's transaction (db_begin ... db_commit): a scenario whose
 * content hash db has already is not copied again; runs and outcomes are
 * appended in their id order, so the newest stay the newest.  *nruns: the
 * runs copied.  0, or -1 with db_errmsg set (roll back). */
int db_merge(Db *db, const char *path, uint64_t *nruns);

/* One cell of a comparison: on both sides (side 0), only before (-1) or
 * only after (1).  before/after: the cell's outcome names, comma-joined
 * ("" none; NULL on the side it is missing from), each incomplete when a
 * bound stopped that search; changed: the verdicts differ (what
 * db_print_regressions counts). */
typedef struct DbDiff {
	const char *scenario, *variant, *model;
	int side;
	const char *before, *after;
	int before_incomplete, after_incomplete;
	int changed;
} DbDiff;
/* The comparison db_print_regressions prints, cell by cell in key order
 * through emit (only the cells it would print); returns the number of
 * changed cells, or -1 with db_errmsg set. */
int db_regressions(Db *db, const char *v1, const char *v2, const char *other_path,
                   void (*emit)(void *ctx, const DbDiff *d), void *ctx);

/* One outcome row of a run (see db_latest_runs). */
typedef struct DbOutcomeRow {
	int64_t id;                /* witness id */
	char *name, *witness;      /* witness: its schedule, NULL if none */
	uint64_t schedules, end_states;
	int witness_steps;
} DbOutcomeRow;

/* A run with its provenance and outcome rows (owned; db_runs_free). */
typedef struct DbRunRow {
	int64_t id;
	char *scenario, *hash, *variant, *model, *mode, *version;
	uint64_t seed, states, transitions, schedules, end_states;
	double seconds;
	int incomplete;                /* a bound stopped the search (complete = 0) */
	char *git;                     /* git describe of the writing build, NULL if not recorded */
	char *symmetry;                /* CPU classes of a reduced search, NULL: full search */
	int nout; DbOutcomeRow *out;   /* in id order */
} DbRunRow;

/* The latest explore run of every (scenario name, variant, model), in
 * the order db_print_matrix prints them, into a new array *rows of *n.
 * Returns 0, or -1 with db_errmsg set (and *rows NULL). */
int db_latest_runs(Db *db, DbRunRow **rows, int *n);
/* The newest runs (explore and run), newest first, at most limit (<= 0:
 * all), as db_print_runs lists them; as db_latest_runs. */
int db_recent_runs(Db *db, int limit, DbRunRow **rows, int *n);
void db_runs_free(DbRunRow *rows, int n);

#endif

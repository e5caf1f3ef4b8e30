/* cli/batch.h: the work explore, check and compare share: compile
 * scenarios for their variants, explore each under its models, replay
 * the witnesses as text, record the lot in one database transaction.
 * Nothing is recorded unless every exploration succeeded. */
#ifndef TLBSIM_CLI_BATCH_H
#define TLBSIM_CLI_BATCH_H
#include "cli/opts.h"
#include "sim/explore.h"
#include "reports/db.h"

/* One scenario under one variant and one model, explored. */
typedef struct Combo {
	Program *P;
	const char *model;
	const char *input_words;     /* -I and --max-input, for the replay command (Opts.input_words) */
	ExploreResult R;
	char *traces[MAX_OUTCOMES];  /* witness timelines (out_witness), NULL where no witness */
} Combo;

/* The programs compiled (progs, owned) and the combos explored (c), of
 * which incomplete were stopped by a bound (their R.stop). */
typedef struct Batch { Combo *c; int n, cap; Program **progs; int nprogs; int incomplete; } Batch;

/* Compiles path for variant (NULL: every variant) into b; 0, or 2 with
 * the error printed. */
int batch_compile(Batch *b, const char *path, const char *variant, const char *model, const ScnSource *src);
/* Compiles every scenario o's PATH arguments name (default: the folder
 * scenarios; a folder means its *.yaml scenarios, sorted) and explores
 * them (batch_explore).  0, or 2 with the error printed. */
int batch_collect(const Opts *o, Batch *b);
/* Explores every program of b under --model, else every model
 * (o->all_models), else its machine.models; with --shard I/N only the
 * I-th of N contiguous runs of those cells.  0, or 2.  A search a bound
 * stops is kept, with what it found, and counted in b->incomplete;
 * stderr says so in a line (even with --quiet). */
int batch_explore(Batch *b, const Opts *o);
/* Exit status of a command whose results were printed but could not be
 * recorded (the database is locked, full, read-only, of another schema). */
#define BATCH_NOT_RECORDED 3
/* Exit status of a command whose results were printed (and recorded)
 * but are partial: a bound (--max-states, --max-memory) stopped a search. */
#define BATCH_INCOMPLETE 4
/* The exit status after rc (0, 2 or BATCH_NOT_RECORDED): rc if nonzero,
 * else BATCH_INCOMPLETE if a search of b was stopped, else 0. */
int batch_status(const Batch *b, int rc);
/* Records every combo of b in o->db in one transaction (nothing with
 * --no-db).  Called after the results are printed.  0, or
 * BATCH_NOT_RECORDED with why and "nothing was recorded" on stderr; the
 * "recorded witness" lines are printed only after the commit. */
int batch_record(const Opts *o, const Batch *b);
void batch_free(Batch *b);

/* Opens the database at path, or says on stderr why not. */
Db *batch_open_db(const char *path);
/* batch_open_db for a command that only reads a database (replay, db,
 * report): a missing file is a usage error, never a new empty database. */
Db *batch_open_existing_db(const char *cmd, const char *path);
/* The scenario row of P (its files and their texts); id or -1. */
int64_t batch_record_scenario(Db *db, const Program *P);

#endif

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

/* The programs compiled (progs, owned) and the combos explored (c). */
typedef struct Batch { Combo *c; int n, cap; Program **progs; int nprogs; } Batch;

/* Compiles path for variant (NULL: every variant) into b; 0, or 2 with
 * the error printed. */
int batch_compile(Batch *b, const char *path, const char *variant, const ScnSource *src);
/* Compiles every scenario o's PATH arguments name (default: the folder
 * scenarios; a folder means its *.yaml scenarios, sorted) and explores
 * them (batch_explore).  0, or 2 with the error printed. */
int batch_collect(const Opts *o, Batch *b);
/* Explores every program of b under --model, else every model
 * (o->all_models), else its machine.models.  0, or 2. */
int batch_explore(Batch *b, const Opts *o);
/* Exit status of a command whose results were printed but could not be
 * recorded (the database is locked, full, read-only, of another schema). */
#define BATCH_NOT_RECORDED 3
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

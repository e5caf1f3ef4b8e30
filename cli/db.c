/* cli/db.c: tlbsim db: the common questions to the results database
 * without SQL (reports/db.c; schema in docs/schema.md). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/json.h"
#include <inttypes.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

const OptSpec cmd_db_spec = { "db",
	"usage: tlbsim db [options] runs\n"
	"       tlbsim db [options] matrix\n"
	"       tlbsim db [options] regressions --from VERSION --to VERSION\n"
	"       tlbsim db [options] regressions --against OTHER.db\n"
	"       tlbsim db [options] merge OUT.db IN.db...\n\n"
	"Answers the common questions without SQL (schema: docs/schema.md): the runs,\n"
	"newest first; the matrix of the latest explores, as compare prints it; the\n"
	"verdicts that changed between two tlbsim versions or against another database.\n"
	"regressions exits 1 when a verdict changed.  merge copies every IN database\n"
	"(of this schema version; left untouched) into OUT (created if missing), in\n"
	"the order given, in one transaction: the shards of --shard I/N in shard order\n"
	"give the unsharded database's matrix (docs/scale.md).\n\n"
	"options:\n"
	"      --limit N         runs: the newest N only (default: all)\n"
	"      --from VERSION    regressions: the older tlbsim version, or the git\n"
	"                        describe of its build ('tlbsim --version' shows both)\n"
	"      --to VERSION      regressions: the newer tlbsim version, or git describe\n"
	"      --against OTHER   regressions: compare with the database OTHER\n"
	"      --format F        text (default) or json (docs/json.md): the runs, or the\n"
	"                        latest explore of each cell, with outcomes and\n"
	"                        witnesses; regressions: the cells and what changed\n"
	"      --db PATH         the database (default tlbsim.db; not for merge)\n"
	"  -q, --quiet           merge: no 'merged N runs' lines on stderr\n"
	"  -h, --help            this text\n",
	"db limit from to against format quiet", 0 };

/* The subcommand's check of its options: 0, or 2 after a usage line. */
static int db_usage(const Opts *o, const char *sub)
{
	if (!strcmp(sub, "merge"))
		return o->nargs < 3 ? opt_usage("db", "merge expects OUT.db and at least one IN.db%s", "") :
		       o->format ? opt_usage("db", "merge takes no --format%s", "") : 0;
	if (o->nargs != 1 || (strcmp(sub, "runs") && strcmp(sub, "matrix") && strcmp(sub, "regressions")))
		return opt_usage("db", "expected runs, matrix, regressions or merge%s", "");
	if (!strcmp(sub, "regressions") && !o->against && !(o->from && o->to))
		return opt_usage("db", "regressions needs --from and --to, or --against%s", "");
	int fmt = json_format("db", o->format, 0);
	if (fmt < 0)
		return 2;
	return 0;
}

/* One recorded run as a JSON object: no wall time (not deterministic). */
static void db_json_run(const DbRunRow *r)
{
	printf("{\"run_id\": %" PRId64 ", ", r->id);
	json_key_str(stdout, "scenario", r->scenario);
	printf(", ");
	json_key_str(stdout, "variant", r->variant);
	printf(", ");
	json_key_str(stdout, "model", r->model);
	printf(", ");
	json_key_str(stdout, "mode", r->mode);
	printf(", \"seed\": %" PRIu64 ", ", r->seed);
	json_key_str(stdout, "hash", r->hash);
	printf(", ");
	json_key_str(stdout, "version", r->version);
	printf(", ");
	json_key_str(stdout, "git", r->git);
	printf(", ");
	json_key_str(stdout, "symmetry", r->symmetry);
	printf(", \"complete\": %s, \"states\": %" PRIu64 ", \"transitions\": %" PRIu64 ", \"schedules\": ",
	       r->incomplete ? "false" : "true", r->states, r->transitions);
	if (r->incomplete)
		printf("null");
	else
		printf("%" PRIu64, r->schedules);
	printf(", \"end_states\": %" PRIu64 ", \"outcomes\": [", r->end_states);
	for (int k = 0; k < r->nout; k++) {
		const DbOutcomeRow *w = &r->out[k];
		printf("%s{\"witness_id\": %" PRId64 ", ", k ? ",\n    " : "\n    ", w->id);
		json_key_str(stdout, "name", w->name);
		printf(", \"schedules\": ");
		if (r->incomplete)
			printf("null");
		else
			printf("%" PRIu64, w->schedules);
		printf(", \"end_states\": %" PRIu64 ", ", w->end_states);
		json_key_str(stdout, "witness", w->witness);
		printf(", \"witness_choices\": %d}", w->witness_steps);
	}
	printf("]}");
}

/* db matrix / db runs --format json: the latest explore of every cell,
 * or the newest runs. */
static int db_json_runs(Db *db, const char *cmd, int limit)
{
	DbRunRow *rows;
	int n;
	if ((strcmp(cmd, "db runs") ? db_latest_runs(db, &rows, &n) : db_recent_runs(db, limit, &rows, &n)) < 0)
		return -1;
	json_begin(stdout, cmd);
	printf(", \"runs\": [");
	for (int i = 0; i < n; i++) {
		printf(i ? ",\n  " : "\n  ");
		db_json_run(&rows[i]);
	}
	printf("\n]}\n");
	db_runs_free(rows, n);
	return 0;
}

/* One side of a regressions cell: {"outcomes": [...], "complete": B}, or null. */
static void db_json_side(FILE *out, const char *names, int incomplete)
{
	if (!names) {
		fputs("null", out);
		return;
	}
	fputs("{\"outcomes\": [", out);
	for (int k = 0; *names; k++) {
		size_t len = strcspn(names, ",");
		fputs(k ? ", " : "", out);
		json_str(out, names, len);
		names += len + (names[len] == ',');
	}
	fprintf(out, "], \"complete\": %s}", incomplete ? "false" : "true");
}

/* The cells of db regressions --format json, into a buffer first. */
typedef struct DiffDoc { FILE *out; int n; } DiffDoc;

static void db_json_diff(void *ctx, const DbDiff *d)
{
	DiffDoc *doc = ctx;
	FILE *out = doc->out;
	fputs(doc->n++ ? ",\n  {" : "\n  {", out);
	json_key_str(out, "scenario", d->scenario);
	fputs(", ", out);
	json_key_str(out, "variant", d->variant);
	fputs(", ", out);
	json_key_str(out, "model", d->model);
	fputs(", \"before\": ", out);
	db_json_side(out, d->before, d->before_incomplete);
	fputs(", \"after\": ", out);
	db_json_side(out, d->after, d->after_incomplete);
	fprintf(out, ", \"changed\": %s}", d->changed ? "true" : "false");
}

/* db regressions --format json: the cells the text prints, and how many
 * changed; the count or -1, as db_print_regressions.  Nothing is printed
 * unless the comparison succeeded. */
static int db_json_regressions(Db *db, const Opts *o)
{
	char *text = NULL;
	size_t len = 0;
	DiffDoc doc = { open_memstream(&text, &len), 0 };
	if (!doc.out)
		abort();
	int rc = db_regressions(db, o->against ? NULL : o->from, o->against ? NULL : o->to, o->against,
	                        db_json_diff, &doc);
	fclose(doc.out);
	if (rc >= 0) {
		json_begin(stdout, "db regressions");
		printf(", \"cells\": [%s%s], \"changed\": %d}\n", text, doc.n ? "\n" : "", rc);
	}
	free(text);
	return rc;
}

/* 1 if paths a and b are the same file (both exist). */
static int db_same_file(const char *a, const char *b)
{
	struct stat x, y;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* merge OUT IN...: every input checked first (it exists, is not OUT,
 * not given twice), then copied in one transaction; on failure nothing
 * is kept, and an OUT this command created is removed. */
static int db_merge_cmd(const Opts *o)
{
	const char *out = o->args[1];
	for (int i = 2; i < o->nargs; i++) {
		const char *in = o->args[i];
		if (access(in, F_OK) != 0)
			return opt_usage("db", "no database %s", in);
		if (db_same_file(in, out))
			return opt_usage("db", "cannot merge %s into itself", in);
		for (int j = 2; j < i; j++)
			if (db_same_file(in, o->args[j]))
				return opt_usage("db", "%s is given twice", in);
	}
	int fresh = access(out, F_OK) != 0, rc;
	Db *db = batch_open_db(out);
	if (!db)
		return 2;
	char *notes = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&notes, &len);
	rc = log ? db_begin(db) : -1;
	for (int i = 2; rc == 0 && i < o->nargs; i++) {
		uint64_t n;
		rc = db_merge(db, o->args[i], &n);
		if (rc == 0 && !o->quiet)
			fprintf(log, "merged %" PRIu64 " runs of %s into %s\n", n, o->args[i], out);
	}
	if (rc == 0)
		rc = db_commit(db);
	if (log)
		fclose(log);
	if (rc) {
		fprintf(stderr, "tlbsim db: %s; nothing was merged\n", db_errmsg(db));
		db_rollback(db);
	} else if (notes)
		fputs(notes, stderr);
	free(notes);
	db_close(db);
	static const char *const files[] = { "", "-wal", "-shm" };   /* the database and its WAL files */
	for (size_t i = 0; rc && fresh && i < sizeof files / sizeof *files; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", out, files[i]);
		unlink(p);
	}
	return rc ? 2 : 0;
}

int cmd_db(int argc, char **argv)
{
	Opts o;
	int rc = opt_parse(&cmd_db_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	const char *sub = o.nargs ? o.args[0] : "";
	Db *db = NULL;
	if (!(rc = db_usage(&o, sub)) && !strcmp(sub, "merge"))
		return rc = db_merge_cmd(&o), opt_free(&o), rc;
	if (rc || !(db = batch_open_existing_db("db", o.db)))
		return opt_free(&o), rc ? rc : 2;
	int json = o.format && !strcmp(o.format, "json");
	if (!strcmp(sub, "runs") && json)
		rc = db_json_runs(db, "db runs", o.limit);
	else if (!strcmp(sub, "runs"))
		rc = db_print_runs(db, stdout, o.limit);
	else if (!strcmp(sub, "matrix") && json)
		rc = db_json_runs(db, "db matrix", 0);
	else if (!strcmp(sub, "regressions") && json)
		rc = db_json_regressions(db, &o);
	else if (!strcmp(sub, "matrix"))
		rc = db_print_matrix(db, stdout);
	else
		rc = db_print_regressions(db, o.against ? NULL : o.from, o.against ? NULL : o.to, o.against, stdout);
	if (rc < 0)
		fprintf(stderr, "tlbsim db: %s\n", db_errmsg(db));
	db_close(db);
	opt_free(&o);
	return rc < 0 ? 2 : (!strcmp(sub, "regressions") && rc > 0) ? 1 : 0;
}

/* cli/db.c: tlbsim db: the common questions to the results database
 * without SQL (reports/db.c; schema in docs/schema.md). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/json.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const OptSpec cmd_db_spec = { "db",
	"usage: tlbsim db [options] runs\n"
	"       tlbsim db [options] matrix\n"
	"       tlbsim db [options] regressions --from VERSION --to VERSION\n"
	"       tlbsim db [options] regressions --against OTHER.db\n\n"
	"Answers the common questions without SQL (schema: docs/schema.md): the runs,\n"
	"newest first; the matrix of the latest explores, as compare prints it; the\n"
	"verdicts that changed between two tlbsim versions or against another database.\n"
	"regressions exits 1 when a verdict changed.\n\n"
	"options:\n"
	"      --limit N         runs: the newest N only (default: all)\n"
	"      --from VERSION    regressions: the older tlbsim version, or the git\n"
	"                        describe of its build ('tlbsim --version' shows both)\n"
	"      --to VERSION      regressions: the newer tlbsim version, or git describe\n"
	"      --against OTHER   regressions: compare with the database OTHER\n"
	"      --format F        matrix: text (default) or json, the latest explore of each\n"
	"                        cell with its outcomes and witnesses (docs/json.md)\n"
	"      --db PATH         the database (default tlbsim.db)\n"
	"  -h, --help            this text\n",
	"db limit from to against format", 0 };

/* The subcommand's check of its options: 0, or 2 after a usage line. */
static int db_usage(const Opts *o, const char *sub)
{
	if (o->nargs != 1 || (strcmp(sub, "runs") && strcmp(sub, "matrix") && strcmp(sub, "regressions")))
		return opt_usage("db", "expected runs, matrix or regressions%s", "");
	if (!strcmp(sub, "regressions") && !o->against && !(o->from && o->to))
		return opt_usage("db", "regressions needs --from and --to, or --against%s", "");
	int fmt = json_format("db", o->format, 0);
	if (fmt < 0)
		return 2;
	if (fmt && strcmp(sub, "matrix"))
		return opt_usage("db", "--format json is for db matrix only (so far), not %s", sub);
	return 0;
}

static void db_json_str(const char *key, const char *s)
{
	printf("\"%s\": ", key);
	if (s)
		json_str(stdout, s, strlen(s));
	else
		printf("null");
}

/* One recorded run as a JSON object: no wall time (not deterministic). */
static void db_json_run(const DbRunRow *r)
{
	printf("{\"run_id\": %" PRId64 ", ", r->id);
	db_json_str("scenario", r->scenario);
	printf(", ");
	db_json_str("variant", r->variant);
	printf(", ");
	db_json_str("model", r->model);
	printf(", ");
	db_json_str("hash", r->hash);
	printf(", ");
	db_json_str("version", r->version);
	printf(", \"states\": %" PRIu64 ", \"transitions\": %" PRIu64 ", \"schedules\": %" PRIu64
	       ", \"end_states\": %" PRIu64 ", \"outcomes\": [", r->states, r->transitions, r->schedules, r->end_states);
	for (int k = 0; k < r->nout; k++) {
		const DbOutcomeRow *w = &r->out[k];
		printf("%s{\"witness_id\": %" PRId64 ", ", k ? ",\n    " : "\n    ", w->id);
		db_json_str("name", w->name);
		printf(", \"schedules\": %" PRIu64 ", \"end_states\": %" PRIu64 ", ", w->schedules, w->end_states);
		db_json_str("witness", w->witness);
		printf(", \"witness_choices\": %d}", w->witness_steps);
	}
	printf("]}");
}

/* db matrix --format json: the latest explore of every cell. */
static int db_json_matrix(Db *db)
{
	DbRunRow *rows;
	int n;
	if (db_latest_runs(db, &rows, &n) < 0)
		return -1;
	json_begin(stdout, "db matrix");
	printf(", \"runs\": [");
	for (int i = 0; i < n; i++) {
		printf(i ? ",\n  " : "\n  ");
		db_json_run(&rows[i]);
	}
	printf("\n]}\n");
	db_runs_free(rows, n);
	return 0;
}

int cmd_db(int argc, char **argv)
{
	Opts o;
	int rc = opt_parse(&cmd_db_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	const char *sub = o.nargs ? o.args[0] : "";
	Db *db = NULL;
	if ((rc = db_usage(&o, sub)) || !(db = batch_open_existing_db("db", o.db)))
		return opt_free(&o), rc ? rc : 2;
	if (!strcmp(sub, "runs"))
		rc = db_print_runs(db, stdout, o.limit);
	else if (!strcmp(sub, "matrix") && o.format && !strcmp(o.format, "json"))
		rc = db_json_matrix(db);
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

/* cli/db.c: tlbsim db: the common questions to the results database
 * without SQL (reports/db.c; schema in docs/schema.md). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/json.h"
#include <inttypes.h>
#include <stdlib.h>
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
	"      --format F        text (default) or json (docs/json.md): the runs, or the\n"
	"                        latest explore of each cell, with outcomes and\n"
	"                        witnesses; regressions: the cells and what changed\n"
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

/* cli/db.c: tlbsim db: the common questions to the results database
 * without SQL (reports/db.c; schema in docs/schema.md). */
#include "cli/cli.h"
#include "cli/batch.h"
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
	"      --from VERSION    regressions: the older tlbsim version\n"
	"      --to VERSION      regressions: the newer tlbsim version\n"
	"      --against OTHER   regressions: compare with the database OTHER\n"
	"      --db PATH         the database (default tlbsim.db)\n"
	"  -h, --help            this text\n",
	"db limit from to against", 0 };

/* The subcommand's check of its options: 0, or 2 after a usage line. */
static int db_usage(const Opts *o, const char *sub)
{
	if (o->nargs != 1 || (strcmp(sub, "runs") && strcmp(sub, "matrix") && strcmp(sub, "regressions")))
		return opt_usage("db", "expected runs, matrix or regressions%s", "");
	if (!strcmp(sub, "regressions") && !o->against && !(o->from && o->to))
		return opt_usage("db", "regressions needs --from and --to, or --against%s", "");
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
	if ((rc = db_usage(&o, sub)) || !(db = batch_open_db(o.db)))
		return opt_free(&o), rc ? rc : 2;
	if (!strcmp(sub, "runs"))
		rc = db_print_runs(db, stdout, o.limit);
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

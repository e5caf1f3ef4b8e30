/* cli/report.c: tlbsim report: a results database as one self-contained
 * HTML page (reports/report.c, reports/html.c; docs/report.md). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/out.h"
#include "reports/report.h"
#include <stdio.h>
#include <unistd.h>

const OptSpec cmd_report_spec = { "report",
	"usage: tlbsim report [options]\n\n"
	"Writes the database as one self-contained HTML page, to FILE.html or stdout:\n"
	"the matrix of the latest explore of every scenario x variant x model, cells\n"
	"coloured by outcome and linked to their witnesses; per run its provenance and\n"
	"each witness as an SVG timeline (a lane per CPU, a box per step with its YAML\n"
	"line, IPIs and acks as arrows, PTE changes in hex, where each outcome becomes\n"
	"true), replayed from the scenario text recorded with it; and the scenario texts.\n"
	"No script, font or anything else is fetched.  See docs/report.md.\n\n"
	"options:\n"
	"  -o, --output FILE.html  write the page to FILE.html (default, or '-': stdout)\n"
	"      --db PATH         the database (default tlbsim.db); it must exist\n"
	"  -h, --help            this text\n",
	"db output", 0 };

int cmd_report(int argc, char **argv)
{
	Opts o;
	RptDoc r;
	int rc = opt_parse(&cmd_report_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	if (o.nargs)
		return opt_usage("report", "takes no arguments, got '%s'", o.args[0]);
	Db *db = batch_open_existing_db("report", o.db);
	if (!db)
		return 2;
	rc = rpt_load(db, o.db, TLBSIM_VERSION, &r);
	if (rc < 0)
		fprintf(stderr, "tlbsim report: %s: %s\n", o.db, db_errmsg(db));
	db_close(db);
	if (rc < 0)
		return 2;
	rc = out_html("report", o.output ? o.output : "-", &r.doc);
	rpt_free(&r);
	return rc;
}

/* reports/report.h: the HTML report of a results database (`tlbsim
 * report`): the latest explore run of every (scenario, variant, model),
 * each compiled again from the scenario text recorded with it, so that
 * its witnesses replay as they were found whatever the files say now. */
#ifndef TLBSIM_REPORT_H
#define TLBSIM_REPORT_H
#include "reports/db.h"
#include "reports/html.h"

/* A document and everything it borrows from (owned; rpt_free). */
typedef struct RptDoc {
	HtmlDoc doc;
	HtmlRun *runs;
	DbRunRow *rows;
	DbWitness *files;          /* per run: its scenario's recorded files */
	Program **progs;           /* per run: the recorded text compiled, or NULL */
	int *own;                  /* per run: progs[i] is not shared with an earlier run */
	char (*errs)[512];         /* per run: why progs[i] is NULL */
	Choice **choices;          /* per run and outcome: its witness (MAX_OUTCOMES a run) */
	int n;
} RptDoc;

/* Loads db's latest explore runs into r, made from source (a path), by
 * tlbsim version.  Returns 0, or -1 with db_errmsg(db) set. */
int rpt_load(Db *db, const char *source, const char *version, RptDoc *r);
void rpt_free(RptDoc *r);

#endif

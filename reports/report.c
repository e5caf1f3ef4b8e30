/* reports/report.c: a results database as an HtmlDoc.  A (scenario
 * content, variant) is compiled once and shared by the runs of all its
 * models; a recorded text that no longer compiles still shows, with why. */
#include "reports/report.h"
#include "scenarios/compile.h"
#include "sim/sched.h"
#include <stdlib.h>
#include <string.h>

/* The variant to compile for: NULL for "-" (a scenario without variants). */
static const char *variant_of(const DbRunRow *row)
{
	return strcmp(row->variant, "-") ? row->variant : NULL;
}

/* Compiles run i's recorded scenario, or shares an earlier run's. */
static void compile_run(RptDoc *r, int i)
{
	const DbRunRow *row = &r->rows[i];
	ScnSource src = { .read = db_witness_file, .ctx = &r->files[i] };
	for (int j = 0; j < i; j++)
		if (!strcmp(r->rows[j].hash, row->hash) && !strcmp(r->rows[j].variant, row->variant) &&
		    !strcmp(r->rows[j].model, row->model)) {
			r->progs[i] = r->progs[j];
			memcpy(r->errs[i], r->errs[j], sizeof r->errs[i]);
			return;
		}
	if (r->files[i].nfiles == 0) {
		snprintf(r->errs[i], sizeof r->errs[i], "the database has no text of this scenario");
		return;
	}
	r->progs[i] = scn_compile_arch(r->files[i].paths[0], variant_of(row), scn_model_arch(row->model), &src, r->errs[i], sizeof r->errs[i]);
	r->own[i] = 1;
}

/* Run i's outcomes, their witness schedules parsed (a schedule that is
 * missing or does not parse shows as no witness). */
static void run_outcomes(RptDoc *r, int i)
{
	const DbRunRow *row = &r->rows[i];
	HtmlRun *h = &r->runs[i];
	char err[256];
	for (int o = 0; o < row->nout && h->nout < MAX_OUTCOMES; o++) {
		const DbOutcomeRow *dbo = &row->out[o];
		Choice **ch = &r->choices[i * MAX_OUTCOMES + h->nout];
		int n = dbo->witness ? sched_parse(dbo->witness, ch, err, sizeof err) : -1;
		h->out[h->nout++] = (HtmlOutcome){ dbo->name, dbo->schedules, dbo->end_states,
		                                   n >= 0 ? *ch : NULL, n >= 0 ? n : 0 };
	}
}

/* Fills run i's HtmlRun from its row, files and program. */
static void fill_run(RptDoc *r, int i)
{
	const DbRunRow *row = &r->rows[i];
	const DbWitness *f = &r->files[i];
	HtmlRun *h = &r->runs[i];
	*h = (HtmlRun){ .P = r->progs[i], .err = r->errs[i], .scenario = row->scenario, .variant = row->variant,
	                .model = row->model, .mode = row->mode, .version = row->version, .hash = row->hash,
	                .description = r->progs[i] ? r->progs[i]->description : NULL, .run_id = row->id,
	                .seed = row->seed, .states = row->states, .transitions = row->transitions,
	                .schedules = row->schedules, .end_states = row->end_states, .seconds = row->seconds,
	                .incomplete = row->incomplete, .symmetry = row->symmetry };
	h->nfiles = f->nfiles < HTML_MAX_FILES ? f->nfiles : HTML_MAX_FILES;
	for (int k = 0; k < h->nfiles; k++) {
		h->paths[k] = f->paths[k];
		h->texts[k] = f->texts[k];
	}
	run_outcomes(r, i);
}

/* Allocates r's per-run arrays for n runs. */
static void rpt_alloc(RptDoc *r, int n)
{
	size_t m = (size_t)n + 1;
	r->runs = calloc(m, sizeof *r->runs);
	r->files = calloc(m, sizeof *r->files);
	r->progs = calloc(m, sizeof *r->progs);
	r->own = calloc(m, sizeof *r->own);
	r->errs = calloc(m, sizeof *r->errs);
	r->choices = calloc(m * MAX_OUTCOMES, sizeof *r->choices);
	if (!r->runs || !r->files || !r->progs || !r->own || !r->errs || !r->choices)
		abort();
}

int rpt_load(Db *db, const char *source, const char *version, RptDoc *r)
{
	memset(r, 0, sizeof *r);
	if (db_latest_runs(db, &r->rows, &r->n) < 0)
		return -1;
	rpt_alloc(r, r->n);
	for (int i = 0; i < r->n; i++) {
		if (db_run_witness(db, r->rows[i].id, &r->files[i]) < 0) {
			rpt_free(r);
			return -1;
		}
		compile_run(r, i);
		fill_run(r, i);
	}
	r->doc = (HtmlDoc){ source, version, r->runs, r->n };
	return 0;
}

void rpt_free(RptDoc *r)
{
	for (int i = 0; i < r->n && r->runs; i++) {
		db_witness_free(&r->files[i]);
		if (r->own[i])
			prog_free(r->progs[i]);
	}
	for (int i = 0; r->choices && i < r->n * MAX_OUTCOMES; i++)
		free(r->choices[i]);
	db_runs_free(r->rows, r->n);
	free(r->runs);
	free(r->files);
	free(r->progs);
	free(r->own);
	free(r->errs);
	free(r->choices);
	memset(r, 0, sizeof *r);
}

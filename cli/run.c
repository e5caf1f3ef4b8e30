/* cli/run.c: tlbsim run: one timed run (or the replay of a schedule) as a
 * CPU timeline, its end state, outcomes, schedule and trace hash. */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/out.h"
#include "cli/json.h"
#include "sim/sched.h"
#include "scenarios/compile.h"
#include "reports/timeline.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

const OptSpec cmd_run_spec = { "run",
	"usage: tlbsim run [options] FILE\n\n"
	"One deterministic timed run: events ordered by simulated time from the scenario's\n"
	"cost model.  Prints the timeline, the end state, the outcomes, the schedule and a\n"
	"trace hash.  A run that comes back to a state from which no end state can be\n"
	"reached stops there: outcome livelock, its cycle marked in the timeline.\n"
	"FILE '-' reads the scenario from standard input.\n\n"
	"options:\n"
	"  -v, --variant V       variant V (default: the scenario's first)\n"
	"  -m, --model M         dirty-bit model M (default: the scenario's first)\n"
	"  -s, --seed N          N > 0 jitters latencies and breaks ties at random;\n"
	"                        0 (the default) does neither\n"
	"      --schedule S      follow the choices S (\"0 0 1 i1 ...\": N, CPU#N takes its\n"
	"                        next step; iN, CPU#N takes its pending IPIs) first, then\n"
	"                        the timed order; the schedule's steps show in its order,\n"
	"                        as explore draws the witness\n"
	CLI_HELP_TIMELINE
	CLI_HELP_INPUT
	"      --format F        text (default) or json: one document (docs/json.md)\n"
	"      --db PATH         record the run in PATH (default tlbsim.db)\n"
	"      --no-db           record nothing\n"
	"  -q, --quiet           no database ids on stderr\n"
	"  -h, --help            this text\n",
	"variant model seed schedule width cpus timeline format db no-db quiet include-dir max-input", 1 };

/* Records run r in o->db in one transaction (nothing with --no-db). */
static int run_record(const Opts *o, const Program *P, const char *model, const RunResult *r,
                      const char *sched, const char *hash, const char *text)
{
	if (o->no_db)
		return 0;
	Db *db = batch_open_db(o->db);
	if (!db)
		return 2;
	int rc = db_begin(db);
	int64_t sid = rc ? -1 : batch_record_scenario(db, P);
	uint64_t ended = !(r->outcomes >> OUT_LIVELOCK & 1);   /* a livelocked run never ends */
	DbRun run = { sid, P->variant ? P->variant : "-", model, "run", o->seed, sched, TLBSIM_VERSION,
	              0, 0, (uint64_t)r->n, ended, ended, hash, o->cmdline, 0, 0, cli_git(), NULL };
	int64_t rid = sid < 0 ? -1 : db_run(db, &run);
	rc = rid < 0;
	for (int k = 0; k < P->noutcomes && !rc; k++) {
		if (!(r->outcomes >> k & 1))
			continue;
		DbOutcome dbo = { rid, P->outcomes[k].name, ended, ended, sched, r->n, text, strlen(text) };
		rc = db_outcome(db, &dbo) < 0;
	}
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		fprintf(stderr, "tlbsim: %s: %s\n", o->db, db_errmsg(db));
		db_rollback(db);
	} else if (!o->quiet) {
		fprintf(stderr, "recorded run %" PRId64 " in %s\n", rid, o->db);
	}
	db_close(db);
	return rc ? 2 : 0;
}

/* Prints run r of P (its timeline text, shown in the view asked for)
 * and records it (text: the default view). */
static int run_report(const Opts *o, const Program *P, const char *model, const RunResult *r, const char *text,
                      const char *shown)
{
	char outs[512], hash[32], *sched = out_sched(r->choices, r->n);
	XXH64_hash_t h = XXH3_64bits(text, strlen(text));
	snprintf(hash, sizeof hash, "%016" PRIx64, (uint64_t)h);
	int rc = run_record(o, P, model, r, sched, hash, text);
	if (rc == 0 && o->format && !strcmp(o->format, "json")) {
		json_run(stdout, P, model, o->seed, r, sched, hash, text);
	} else if (rc == 0) {
		printf("== %s  variant %s  model %s  seed %" PRIu64 "\n%s", P->name, P->variant ? P->variant : "-",
		       model, o->seed, shown);
		printf("outcomes: %s\nschedule: %s\nended at cycle %" PRIu64 "\ntrace hash: %s\n",
		       r->outcomes ? rep_outcome_list(P, r->outcomes, outs, sizeof outs) : "none", sched, r->time, hash);
	}
	free(sched);
	return rc;
}

/* Compiles, runs and reports o's scenario, following schedule ch[0..n),
 * its timeline in view v (for a program's CPUs: out_view_cpus). */
static int run_one(const Opts *o, const Choice *ch, int n, RepView *v)
{
	char err[1024];
	Program *P = scn_compile_arch(o->args[0], o->variant, scn_model_arch(o->model), opt_source(o), err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	const char *model = o->model ? o->model : P->models[0];
	if (!dirty_find(model)) {
		prog_free(P);
		return opt_usage("run", "unknown dirty-bit model '%s'", model);
	}
	if (out_view_cpus(o, P->ncpu, v)) {
		prog_free(P);
		return 2;
	}
	RunResult r;
	memset(&r, 0, sizeof r);
	RepDraw d = { 1, -1, n, { 0, 0, 0 } };
	char *text = out_witness(P, model, ch, n, &d, o->seed, &r), *shown = NULL;
	d.view = *v;
	if (text && !out_view_default(v))
		shown = out_witness(P, model, ch, n, &d, o->seed, NULL);
	int rc = text && (shown || out_view_default(v)) ? run_report(o, P, model, &r, text, shown ? shown : text) : 2;
	free(shown);
	free(text);
	run_free(&r);
	prog_free(P);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	Opts o;
	char err[1024];
	Choice *ch = NULL;
	RepView view;
	int n = 0;
	int rc = opt_parse(&cmd_run_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	if (json_format("run", o.format, 0) < 0 || out_view(&o, &view))
		rc = 2;
	else if (o.nargs != 1)
		rc = opt_usage("run", "expected one scenario FILE%s", "");
	else if (o.schedule && (n = sched_parse(o.schedule, &ch, err, sizeof err)) < 0) {
		fprintf(stderr, "tlbsim run: %s\n", err);
		rc = 2;
	} else
		rc = run_one(&o, ch, n, &view);
	free(ch);
	opt_free(&o);
	return rc;
}

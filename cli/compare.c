/* cli/compare.c: tlbsim compare: the matrix of scenario x variant x
 * every dirty-bit model -> the outcomes reached (reports/matrix.c). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/json.h"
#include "reports/matrix.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const OptSpec cmd_compare_spec = { "compare",
	"usage: tlbsim compare [options] [PATH...]\n\n"
	"Explores every scenario (a file, or every *.yaml scenario in a folder; default\n"
	"'scenarios'; '-' reads one from standard input) under every variant and every\n"
	"dirty-bit model of its architectures (all of 'tlbsim models', whatever\n"
	"machine.models says) and prints the matrix: rows scenario and variant, columns\n"
	"models (a scenario of several architectures: a table of its own, a column per\n"
	"architecture and model), cells the reachable outcomes ('none').  The matrix is\n"
	"recorded; "
	"'tlbsim db matrix' reprints it without running.\n\n"
	"options:\n"
	CLI_HELP_INPUT
	CLI_HELP_BOUNDS
	CLI_HELP_RANDOM
	CLI_HELP_PREEMPTIONS
	CLI_HELP_JOBS
	CLI_HELP_SHARD
	"      --format F        text (default: the matrix); json: one document with every\n"
	"                        exploration (docs/json.md); herd: a States line and an\n"
	"                        Observation line per outcome of each exploration\n"
	"      --db PATH         record the results in PATH (default tlbsim.db)\n"
	"      --no-db           record nothing\n"
	"      --symmetry        merge states that differ only by a renaming of\n"
	"                        interchangeable CPUs (recorded as such)\n"
	CLI_HELP_NO_SYMMETRY
	CLI_HELP_PROGRESS
	"  -h, --help            this text\n",
	"max-states max-memory format db no-db symmetry no-symmetry random pct preemptions seed jobs shard progress quiet include-dir max-input", 1 };

static int compare_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A matrix cell: outcome names sorted by byte order, joined by ",", as
 * reports/matrix.h wants and `tlbsim db matrix` prints them. */
static char *compare_cell(const Program *P, uint32_t mask, char *buf, size_t len)
{
	const char *names[MAX_OUTCOMES];
	int n = 0;
	size_t k = 0;
	for (int o = 0; o < P->noutcomes; o++)
		if (mask >> o & 1)
			names[n++] = P->outcomes[o].name;
	qsort(names, (size_t)n, sizeof *names, compare_cmp_str);
	buf[0] = 0;
	for (int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? "," : "", names[i]);
	return buf;
}

static void compare_print(const Batch *b)
{
	MatrixCell *cells = calloc((size_t)b->n + 1, sizeof *cells);
	char (*outs)[512] = calloc((size_t)b->n + 1, sizeof *outs);
	if (!cells || !outs)
		abort();
	for (int i = 0; i < b->n; i++) {
		const Combo *c = &b->c[i];
		cells[i] = (MatrixCell){ c->P->name, c->P->variant ? c->P->variant : "-", c->model,
		                         compare_cell(c->P, c->R.reach, outs[i], sizeof outs[i]), c->R.stop != EX_DONE };
	}
	rep_matrix_print(stdout, cells, b->n);
	free(cells);
	free(outs);
}

int cmd_compare(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	int rc = opt_parse(&cmd_compare_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	o.all_models = 1;
	int fmt = json_format("compare", o.format, 1);
	rc = fmt < 0 ? 2 : batch_collect(&o, &b);
	if (!rc && fmt == 1)
		json_batch(stdout, "compare", &b);
	else if (!rc && fmt == 2)
		json_herd(stdout, &b);
	else if (!rc)
		compare_print(&b);
	fflush(stdout);
	if (!rc)                         /* the results first: a failed write loses nothing shown */
		rc = batch_record(&o, &b);
	rc = batch_status(&b, rc);
	batch_free(&b);
	opt_free(&o);
	return rc;
}

/* cli/explore.c: tlbsim explore: every interleaving of one scenario, for
 * each variant and model, with counts and shortest witnesses. */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/out.h"
#include "cli/json.h"
#include <stdio.h>
#include <string.h>

const OptSpec cmd_explore_spec = { "explore",
	"usage: tlbsim explore [options] FILE\n\n"
	"Explores every interleaving of steps and IPI deliveries, merging visited states,\n"
	"for every variant and dirty-bit model of the scenario (or the ones named).\n"
	"Prints each reachable outcome with the number of schedules ending in it and a\n"
	"shortest witness schedule, then (unless --brief) the witness as a CPU timeline.\n"
	"livelock (states from which no end state can be reached) counts those states;\n"
	"its witness is a lasso: a schedule to a cycle, then once round the cycle.\n"
	"FILE '-' reads the scenario from standard input.\n\n"
	"options:\n"
	"  -v, --variant V       only variant V (default: every variant)\n"
	"  -m, --model M         only dirty-bit model M (default: the scenario's machine.models)\n"
	CLI_HELP_INPUT
	CLI_HELP_BOUNDS
	CLI_HELP_JOBS
	CLI_HELP_SHARD
	"      --brief           the outcome lines only, no witness timelines\n"
	CLI_HELP_RANDOM
	CLI_HELP_PREEMPTIONS
	"      --states          also list every distinct end state: its outcomes, a\n"
	"                        shortest schedule to it, its PTEs, pages and variables\n"
	"                        (json: end_state_list; herd: a State line each)\n"
	CLI_HELP_TIMELINE
	"      --format F        text (default); json: one document (docs/json.md);\n"
	"                        herd: a States line and an Observation line per outcome\n"
	"      --html FILE.html  also write what 'tlbsim report' writes, for this\n"
	"                        exploration ('-': to stdout)\n"
	"      --db PATH         record the results in PATH (default tlbsim.db)\n"
	"      --no-db           record nothing\n"
	"      --symmetry        merge states that differ only by a renaming of\n"
	"                        interchangeable CPUs (recorded as such): the same outcomes,\n"
	"                        schedule counts and witness lengths, fewer states\n"
	"                        (counted over the reduced graph)\n"
	CLI_HELP_NO_SYMMETRY
	CLI_HELP_COLOR
	CLI_HELP_PROGRESS
	"  -h, --help            this text\n",
	"variant model max-states max-memory brief width cpus timeline format html db no-db symmetry no-symmetry jobs shard progress color states random pct preemptions seed quiet include-dir max-input", 1 };

int cmd_explore(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	RepView view;
	int rc = opt_parse(&cmd_explore_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	int fmt = json_format("explore", o.format, 1), color = 0;
	rc = fmt < 0 ? 2 : out_color(&o, &color);
	if (!rc)
		rc = out_view(&o, &view);
	if (!rc && o.nargs != 1)
		rc = opt_usage("explore", "expected one scenario FILE%s", "");
	else if (!rc && o.model && !dirty_find(o.model))
		rc = opt_usage("explore", "unknown dirty-bit model '%s'", o.model);
	if (!rc)
		rc = batch_compile(&b, o.args[0], o.variant, o.model, opt_source(&o));
	for (int i = 0; !rc && i < b.nprogs; i++)
		rc = out_view_cpus(&o, b.progs[i]->ncpu, &view);
	if (!rc)
		rc = batch_explore(&b, &o);
	if (!rc && fmt == 1)
		json_batch(stdout, "explore", &b);
	else if (!rc && fmt == 2)
		json_herd(stdout, &b);
	for (int i = 0; !rc && !fmt && i < b.n; i++)
		out_combo(stdout, &b.c[i], o.brief, &view, color);
	if (!rc && o.html)
		rc = out_batch_html("explore", o.html, &b, o.args[0]);
	fflush(stdout);
	if (!rc)                         /* the results first: a failed write loses nothing shown */
		rc = batch_record(&o, &b);
	rc = batch_status(&b, rc);
	batch_free(&b);
	opt_free(&o);
	return rc;
}

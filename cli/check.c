/* cli/check.c: tlbsim check: explore scenarios and judge what they reach
 * against their expect: entries (reports/judge.c), LKMM judgelitmus
 * style.  Exit 1 if any expectation failed, else 4 if a bound stopped a
 * search (BATCH_INCOMPLETE). */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/out.h"
#include "cli/json.h"
#include "reports/judge.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const OptSpec cmd_check_spec = { "check",
	"usage: tlbsim check [options] [PATH...]\n\n"
	"Explores each scenario (a file, or every *.yaml scenario in a folder; default\n"
	"'scenarios'; '-' reads one from standard input) under all its variants and\n"
	"models and compares what it finds with its expect: entries.  Prints one line\n"
	"per expectation and a last line 'N passed, N failed'.  An outcome reached that\n"
	"no expect: entry names fails too ('unexpected: OUTCOME in ...', with its replay\n"
	"command), unless an entry says others: any.  Of a search a bound stopped, what\n"
	"its end states do not decide is 'incomplete ...: not known' and counted as\n"
	"'N not known'.  Exit 1 if any failed, else 4 if a bound stopped a search.\n\n"
	"options:\n"
	CLI_HELP_INPUT
	CLI_HELP_BOUNDS
	CLI_HELP_RANDOM
	CLI_HELP_PREEMPTIONS
	CLI_HELP_JOBS
	CLI_HELP_SHARD
	"      --format F        text (default) or json: the explorations, the lines\n"
	"                        above and the counts as one document (docs/json.md)\n"
	"      --db PATH         record the results in PATH (default tlbsim.db)\n"
	"      --no-db           record nothing\n"
	"      --symmetry        merge states that differ only by a renaming of\n"
	"                        interchangeable CPUs (recorded as such)\n"
	CLI_HELP_NO_SYMMETRY
	CLI_HELP_COLOR
	CLI_HELP_PROGRESS
	"  -h, --help            this text\n",
	"max-states max-memory format db no-db symmetry no-symmetry random pct preemptions seed jobs shard progress color quiet include-dir max-input", 1 };

/* check judges everything: an outcome reached that no expect: entry of
 * the cell names fails, with the command that replays its witness,
 * unless an entry says others: any. */
static void check_others(FILE *out, const Combo *c, JudgeCount *n)
{
	uint32_t bad = judge_unexpected(c->P, c->model, c->R.reach);
	for (int k = 0; k < c->P->noutcomes; k++) {
		if (!(bad >> k & 1))
			continue;
		fprintf(out, "FAIL unexpected: %s in %s %s %s\n     ", c->P->outcomes[k].name, c->P->name,
		       c->P->variant ? c->P->variant : "-", c->model);
		if (c->R.out[k].witness)
			out_replay_cmd(out, c, k);
		fprintf(out, "\n");
		n->failed++;
	}
}

/* Judges one combo's expectations; prints witnesses of a failed one. */
static void check_combo(FILE *out, const Combo *c, JudgeCount *n)
{
	if (!c->R.end_states && c->R.stop == EX_DONE) {
		judge_no_end_state(out, c->P, c->model, &c->R, n);
		return;
	}
	if (judge(out, c->P, c->model, &c->R, n))
		for (int k = 0; k < c->P->noutcomes; k++)
			if (c->R.out[k].witness) {
				char *s = out_sched(c->R.out[k].witness, c->R.out[k].wlen);
				fprintf(out, "     witness for %s: %s\n", c->P->outcomes[k].name, s);
				free(s);
			}
	check_others(out, c, n);
}

/* --format json: the explorations, the judge's lines, the counts. */
static void check_json(const Batch *b, const char *lines, const JudgeCount *n)
{
	json_begin(stdout, "check");
	json_explorations(stdout, b);
	json_lines(stdout, "lines", lines);
	printf(", \"passed\": %d, \"failed\": %d, \"unknown\": %d}\n", n->passed, n->failed, n->unknown);
}

/* The judge's lines to stdout, the first word of each coloured: ok
 * green, FAIL red, incomplete yellow; then the counts line, coloured by
 * the worst of them. */
static void check_print(const char *lines, const JudgeCount *n, int color)
{
	static const struct { const char *word, *sgr; } paint[] = {
		{ "ok   ", OUT_GREEN }, { "FAIL ", OUT_RED }, { "incomplete ", OUT_YELLOW },
	};
	char on[OUT_SGR_MAX], off[OUT_SGR_MAX];
	out_sgr(color, "0", off, sizeof off);
	for (const char *s = lines ? lines : ""; *s; ) {
		size_t len = strcspn(s, "\n"), w = 0;
		for (size_t i = 0; color && !w && i < sizeof paint / sizeof paint[0]; i++)
			if (!strncmp(s, paint[i].word, strlen(paint[i].word))) {
				w = strcspn(paint[i].word, " ");
				printf("%s%.*s%s", out_sgr(1, paint[i].sgr, on, sizeof on), (int)w, s, off);
			}
		printf("%.*s\n", (int)(len - w), s + w);
		s += len + (s[len] == '\n');
	}
	printf("%s%d passed, %d failed", out_sgr(color, n->failed ? OUT_RED : n->unknown ? OUT_YELLOW : OUT_GREEN,
	       on, sizeof on), n->passed, n->failed);
	if (n->unknown)
		printf(", %d not known (a bound stopped the search)", n->unknown);
	printf("%s\n", color ? off : "");
}

int cmd_check(int argc, char **argv)
{
	Opts o;
	Batch b = { 0 };
	JudgeCount n = { 0, 0, 0 };
	int rc = opt_parse(&cmd_check_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	int fmt = json_format("check", o.format, 0), color = 0;
	rc = fmt < 0 ? 2 : out_color(&o, &color);
	if (!rc)
		rc = batch_collect(&o, &b);
	char *lines = NULL;
	size_t len = 0;
	FILE *out = rc ? NULL : open_memstream(&lines, &len);
	if (!rc && !out)
		abort();
	for (int i = 0; !rc && i < b.n; i++)
		check_combo(out, &b.c[i], &n);
	if (out)
		fclose(out);
	if (!rc && !fmt)
		check_print(lines, &n, color);
	else if (!rc)
		check_json(&b, lines, &n);
	free(lines);
	fflush(stdout);
	if (!rc)                         /* the results first: a failed write loses nothing shown */
		rc = batch_record(&o, &b);
	rc = rc ? rc : n.failed ? 1 : batch_status(&b, 0);
	batch_free(&b);
	opt_free(&o);
	return rc;
}

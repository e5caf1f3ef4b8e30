/* cli/replay.c: tlbsim replay: a witness recorded in the database,
 * replayed from the scenario text recorded with it. */
#include "cli/cli.h"
#include "cli/batch.h"
#include "cli/out.h"
#include "cli/json.h"
#include "sim/sched.h"
#include "scenarios/compile.h"
#include "reports/timeline.h"
#include <errno.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const OptSpec cmd_replay_spec = { "replay",
	"usage: tlbsim replay [options] ID\n"
	"       tlbsim replay [options] OUTCOME\n"
	"       tlbsim replay [options] --run ID\n\n"
	"Replays a witness recorded in the database and prints its timeline: witness ID\n"
	"(as printed on stderr by explore and run), the newest witness of an outcome\n"
	"(e.g. lost_dirty, optionally in one scenario), or the first one of run ID.  If\n"
	"the scenario file changed since, says so and replays the recorded text.\n\n"
	"options:\n"
	"      --scenario NAME   the newest witness of OUTCOME in scenario NAME\n"
	"      --run             ID is a run id: replay that run's first witness\n"
	CLI_HELP_TIMELINE
	"      --format F        text (default) or json: one document (docs/json.md)\n"
	"      --db PATH         the database (default tlbsim.db)\n"
	"  -h, --help            this text\n",
	"db run scenario width cpus timeline format", 0 };

/* Says on out whether w's scenario file changed since it was recorded.
 * A file that is not there (a replay from another folder, or a file
 * since removed) is said to be so: whether it changed is not known. */
static void replay_note_changes(FILE *out, const DbWitness *w)
{
	char err[1024];
	struct stat st;
	if (stat(w->paths[0], &st) < 0 && errno == ENOENT) {
		char *p = ytext_escape(w->paths[0]);
		fprintf(out, "note: %s is not found from this folder (it was recorded as the explore command named it),"
		        " so whether it changed is not known; replaying the recorded text\n", p);
		free(p);
		return;
	}
	Program *now = scn_compile_arch(w->paths[0], w->variant[0] == '-' ? NULL : w->variant, scn_model_arch(w->model), NULL, err, sizeof err);
	if (!now)
		fprintf(out, "note: %s no longer compiles as it did (%s); replaying the recorded text\n", w->paths[0], err);
	else if (strcmp(now->hash, w->hash))
		fprintf(out, "note: %s changed since this was recorded (content hash %.12s, now %.12s); replaying the recorded text\n",
		       w->paths[0], w->hash, now->hash);
	prog_free(now);
}

/* The words of cmd, a command line as runs.command records it: split at
 * spaces, '...' quoting, \' a quote.  Returns how many; the words are
 * written into buf and words, each with room for strlen(cmd) + 1. */
static int replay_words(const char *cmd, char *buf, char **words)
{
	int n = 0, quoted = 0, in = 0;
	for (const char *s = cmd; *s; s++) {
		if (!quoted && *s == ' ') {
			if (in)
				*buf++ = 0;
			in = 0;
			continue;
		}
		if (!in)
			words[n++] = buf;
		in = 1;
		if (*s == '\'')
			quoted = !quoted;
		else if (!quoted && *s == '\\' && s[1])
			*buf++ = *++s;
		else
			*buf++ = *s;
	}
	*buf = 0;
	return n;
}

/* How many choices the --schedule of the run command cmd gave (0: none,
 * or no command recorded): the run drew those in their order. */
static int replay_fixed(const char *cmd)
{
	if (!cmd)
		return 0;
	char *buf = malloc(strlen(cmd) + 1), **words = malloc(sizeof *words * (strlen(cmd) + 1)), err[256];
	const char *val = NULL;
	Choice *ch = NULL;
	if (!buf || !words)
		abort();
	int n = replay_words(cmd, buf, words), k = 0;
	for (int i = 2; i < n && !val && strcmp(words[i], "--"); i++) {
		size_t len = strcspn(words[i], "=");
		if (strncmp(words[i], "--", 2) || len < 4 || strncmp(words[i] + 2, "schedule", len - 2) || len > 10)
			continue;
		val = words[i][len] ? words[i] + len + 1 : i + 1 < n ? words[i + 1] : NULL;
	}
	if (val && (k = sched_parse(val, &ch, err, sizeof err)) < 0)
		k = 0;
	free(ch);
	free(words);
	free(buf);
	return k;
}

/* Prints the replay of P (text, result r) against the recording w: the
 * timeline as shown (in the view asked for), compared as text (the
 * default view, the one recorded). */
static void replay_print(const DbWitness *w, const Program *P, const RunResult *r, const char *text,
                         const char *shown)
{
	char outs[512];
	printf("== replay of %s%s: %s  variant %s  model %s\n%s", w->outcome ? "witness for " : "run",
	       w->outcome ? w->outcome : "", w->scenario, w->variant, w->model, shown);
	printf("outcomes: %s\nschedule: %s\n", r->outcomes ? rep_outcome_list(P, r->outcomes, outs, sizeof outs) : "none",
	       w->schedule ? w->schedule : "");
	if (w->trace)
		printf("%s\n", strcmp(w->trace, text) ? "the timeline differs from the recorded one" :
		       "the timeline matches the recorded one");
}

/* --format json: the replay of P (text, result r) against w, with the
 * notes about the scenario file. */
static void replay_json(const DbWitness *w, const Program *P, const RunResult *r, const char *text,
                        const char *notes)
{
	json_begin(stdout, "replay");
	printf(", \"mode\": \"%s\", \"outcome\": ", w->mode);
	if (w->outcome)
		json_str(stdout, w->outcome, strlen(w->outcome));
	else
		printf("null");
	printf(", \"scenario\": ");
	json_str(stdout, w->scenario, strlen(w->scenario));
	printf(", \"file\": ");
	json_str(stdout, w->paths[0], strlen(w->paths[0]));
	printf(", \"variant\": ");
	json_str(stdout, w->variant, strlen(w->variant));
	printf(", \"model\": ");
	json_str(stdout, w->model, strlen(w->model));
	printf(", \"outcomes\": [");
	for (int k = 0, n = 0; k < P->noutcomes; k++)
		if (r->outcomes >> k & 1) {
			printf(n++ ? ", " : "");
			json_str(stdout, P->outcomes[k].name, strlen(P->outcomes[k].name));
		}
	printf("], \"schedule\": ");
	json_str(stdout, w->schedule ? w->schedule : "", strlen(w->schedule ? w->schedule : ""));
	printf(", \"matches_recorded\": %s", !w->trace ? "null" : strcmp(w->trace, text) ? "false" : "true");
	json_lines(stdout, "notes", notes);
	printf(", \"timeline\": ");
	json_str(stdout, text, strlen(text));
	printf("}\n");
}

/* Replays w, its timeline shown in view v (out_view; its CPUs are
 * checked here), as text or json. */
static int replay_one(const Opts *o, const DbWitness *w, int json, RepView *v)
{
	char err[1024];
	Choice *ch = NULL;
	ScnSource src = { .read = db_witness_file, .ctx = (void *)w };
	int n = w->schedule ? sched_parse(w->schedule, &ch, err, sizeof err) : 0;
	if (n < 0) {
		fprintf(stderr, "recorded schedule: %s\n", err);
		return 2;
	}
	char *notes = NULL;
	size_t len = 0;
	FILE *nf = json ? open_memstream(&notes, &len) : stdout;
	replay_note_changes(nf, w);
	if (json)
		fclose(nf);
	Program *P = scn_compile_arch(w->paths[0], w->variant[0] == '-' ? NULL : w->variant, scn_model_arch(w->model), &src, err, sizeof err);
	if (!P) {
		fprintf(stderr, "%s\n", err);
		free(ch);
		free(notes);
		return 2;
	}
	int timed = !strcmp(w->mode, "run"), bad = out_view_cpus(o, P->ncpu, v);
	RunResult r;
	RepDraw d = { timed, -1, timed ? replay_fixed(w->command) : 0, { 0, 0, 0 } };
	char *text = bad ? NULL : out_witness(P, w->model, ch, n, &d, timed ? w->seed : 0, &r), *shown = NULL;
	d.view = *v;
	if (text && !out_view_default(v))
		shown = out_witness(P, w->model, ch, n, &d, timed ? w->seed : 0, NULL);
	if (text && json)
		replay_json(w, P, &r, text, notes);
	else if (text)
		replay_print(w, P, &r, text, shown ? shown : text);
	if (text)
		run_free(&r);
	free(notes);
	free(shown);
	free(text);
	free(ch);
	prog_free(P);
	return text ? 0 : 2;
}

/* Finds the witness o names in the database: 0, or 2 with why not. */
static int replay_find(const Opts *o, DbWitness *w)
{
	uint64_t id = 0;
	int by_name = o->args[0][0] < '0' || o->args[0][0] > '9';
	if ((by_name && o->run_id) || (!by_name && opt_u64("replay", o->args[0], &id)))
		return opt_usage("replay", "expected a number after --run%s", "");
	Db *db = batch_open_existing_db("replay", o->db);
	if (!db)
		return 2;
	if (by_name) {
		int64_t found = db_find_witness(db, o->args[0], o->scenario);
		id = found > 0 ? (uint64_t)found : 0;
	}
	int rc = o->run_id ? db_run_witness(db, (int64_t)id, w) : id ? db_witness(db, (int64_t)id, w) : -1;
	if (rc < 0 && by_name && !id)
		fprintf(stderr, "tlbsim replay: no witness of %s%s%s in %s\n", o->args[0],
		        o->scenario ? " in scenario " : "", o->scenario ? o->scenario : "", o->db);
	else if (rc < 0)      /* a missing row, or a corrupt one: the database says which */
		fprintf(stderr, "tlbsim replay: %s: %s %" PRIu64 ": %s\n", o->db, o->run_id ? "run" : "witness", id,
		        db_errmsg(db));
	db_close(db);
	return rc >= 0 ? 0 : 2;
}

int cmd_replay(int argc, char **argv)
{
	Opts o;
	DbWitness w;
	RepView view;
	int rc = opt_parse(&cmd_replay_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	memset(&w, 0, sizeof w);
	int fmt = json_format("replay", o.format, 0);
	if (fmt < 0 || out_view(&o, &view))
		rc = 2;
	else if (o.nargs != 1)
		rc = opt_usage("replay", "expected one witness ID or outcome name%s", "");
	else if (!(rc = replay_find(&o, &w)))
		rc = replay_one(&o, &w, fmt, &view);
	db_witness_free(&w);
	opt_free(&o);
	return rc;
}

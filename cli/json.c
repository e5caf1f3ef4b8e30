/* cli/json.c: --format json and --format herd (docs/json.md). */
#include "cli/json.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "reports/judge.h"
#include "sim/symmetry.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The length of the UTF-8 sequence at s[0..n), or 0 if it is not one
 * (overlong, a surrogate, above U+10FFFF, cut short). */
static size_t json_utf8(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
	             s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return len;
}

void json_str(FILE *out, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		size_t n;
		if (u[i] == '"' || u[i] == '\\')
			fprintf(out, "\\%c", u[i]);
		else if (u[i] == '\n')
			fputs("\\n", out);
		else if (u[i] == '\t')
			fputs("\\t", out);
		else if (u[i] == '\r')
			fputs("\\r", out);
		else if (u[i] < 0x20)
			fprintf(out, "\\u%04x", u[i]);
		else if (u[i] < 0x80)
			fputc(u[i], out);
		else if ((n = json_utf8(u + i, len - i))) {
			fwrite(u + i, 1, n, out);
			i += n - 1;
		} else
			fputs("\\ufffd", out);
	}
	fputc('"', out);
}

void json_key_str(FILE *out, const char *key, const char *s)
{
	if (key)
		fprintf(out, "\"%s\": ", key);
	if (s)
		json_str(out, s, strlen(s));
	else
		fputs("null", out);
}

/* Outcome k of c as a JSON object. */
static void json_outcome(FILE *out, const Combo *c, int k)
{
	const ExploreResult *R = &c->R;
	const OutcomeStat *os = &R->out[k];
	fputs("{", out);
	json_key_str(out, "name", c->P->outcomes[k].name);
	fprintf(out, ", \"observed\": \"%s\"", judge_observed(R, k));
	if (R->stop == EX_RANDOM || (R->stop == EX_PREEMPT && !os->unbounded))
		fprintf(out, ", \"schedules\": %" PRIu64, os->schedules);
	else if (R->stop != EX_DONE)
		fputs(", \"schedules\": null", out);
	else if (k == OUT_LIVELOCK)
		fprintf(out, ", \"stuck_states\": %" PRIu64, R->stuck_states);
	else if (os->unbounded)
		fputs(", \"schedules\": null", out);
	else
		fprintf(out, ", \"schedules\": %" PRIu64, os->schedules);
	fprintf(out, ", \"end_states\": %" PRIu64, os->end_states);
	if (os->witness) {
		char *s = out_sched(os->witness, os->wlen);
		fputs(", ", out);
		json_key_str(out, "witness", s);
		fprintf(out, ", \"witness_choices\": %d, \"cycle_choices\": %d, ", os->wlen, os->cycle);
		json_key_str(out, "timeline", c->traces[k]);
		free(s);
	}
	fputs("}", out);
}

/* The outcome names of mask as a JSON array. */
static void json_names(FILE *out, const Program *P, uint32_t mask)
{
	fputs("[", out);
	for (int k = 0, n = 0; k < P->noutcomes; k++)
		if (mask >> k & 1) {
			fputs(n++ ? ", " : "", out);
			json_str(out, P->outcomes[k].name, strlen(P->outcomes[k].name));
		}
	fputs("]", out);
}

/* --states: "end_state_list", each end state's outcomes, schedule and state text. */
static void json_end_states(FILE *out, const Combo *c)
{
	const ExploreResult *R = &c->R;
	fputs(", \"end_state_list\": [", out);
	for (uint64_t k = 0; k < R->nends; k++) {
		const EndStateInfo *e = &R->ends[k];
		char *s = out_sched(e->path, e->len), *st = out_end_state(c->P, c->model, e);
		fputs(k ? ",\n    {\"outcomes\": " : "\n    {\"outcomes\": ", out);
		json_names(out, c->P, e->outcomes);
		fputs(", ", out);
		json_key_str(out, "schedule", s);
		fputs(", ", out);
		json_key_str(out, "state", st);
		fputs("}", out);
		free(s);
		free(st);
	}
	fputs("]", out);
}

/* One exploration as a JSON object. */
static void json_combo(FILE *out, const Combo *c)
{
	const Program *P = c->P;
	const ExploreResult *R = &c->R;
	fputs("{", out);
	json_key_str(out, "scenario", P->name);
	fputs(", ", out);
	json_key_str(out, "description", P->description);
	fputs(", ", out);
	json_key_str(out, "file", P->files[0].path);
	fputs(", ", out);
	json_key_str(out, "variant", P->variant);
	fputs(", ", out);
	json_key_str(out, "model", c->model);
	char sym[256];
	fputs(", ", out);
	json_key_str(out, "symmetry", R->nsym ? sym_format(R->sym, R->nsym, sym, sizeof sym) : NULL);
	fprintf(out, ", \"hash\": \"%s\", \"states\": %" PRIu64 ", \"transitions\": %" PRIu64
	        ", \"end_states\": %" PRIu64 ", \"longest_witness_path\": %d, \"schedules\": ",
	        P->hash, R->states, R->transitions, R->end_states, R->max_depth);
	int counted = R->stop == EX_DONE || R->stop == EX_PREEMPT;   /* exactly, within the bound */
	if (R->schedules_unbounded || !counted)
		fputs("null", out);
	else
		fprintf(out, "%" PRIu64, R->schedules);
	fprintf(out, ", \"schedules_end\": \"%s\", \"complete\": %s, \"stopped_by\": ",
	        !counted ? "not known" : R->schedules_unbounded ? "unbounded" :
	        R->schedules_cyclic ? "some never end" : "all end", R->stop == EX_DONE ? "true" : "false");
	json_key_str(out, NULL, R->stop == EX_DONE ? NULL : explore_stop_option(R->stop));
	if (R->stop == EX_RANDOM)
		fprintf(out, ", \"random\": {\"runs\": %" PRIu64 ", \"seed\": %" PRIu64 ", \"pct\": %d, \"ended\": %" PRIu64
		        ", \"unended\": %" PRIu64 "}", R->random_runs, R->random_seed, R->random_pct, R->schedules,
		        R->random_unended);
	if (R->stop == EX_PREEMPT)
		fprintf(out, ", \"preemptions\": %d", R->preemptions);
	fputs(", \"outcomes\": [", out);
	for (int k = 0, n = 0; k < P->noutcomes; k++)
		if (R->out[k].witness) {
			fputs(n++ ? ",\n    " : "\n    ", out);
			json_outcome(out, c, k);
		}
	fputs("]", out);
	if (R->ends)
		json_end_states(out, c);
	fputs("}", out);
}

void json_begin(FILE *out, const char *cmd)
{
	fprintf(out, "{\"tlbsim\": \"%s\", \"schema\": %d, \"command\": \"%s\"", TLBSIM_VERSION, JSON_SCHEMA, cmd);
}

void json_explorations(FILE *out, const Batch *b)
{
	fputs(", \"explorations\": [", out);
	for (int i = 0; i < b->n; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		json_combo(out, &b->c[i]);
	}
	fputs("\n]", out);
}

void json_batch(FILE *out, const char *cmd, const Batch *b)
{
	json_begin(out, cmd);
	json_explorations(out, b);
	fputs("}\n", out);
}

void json_lines(FILE *out, const char *key, const char *text)
{
	fprintf(out, ", \"%s\": [", key);
	for (int n = 0; text && *text; n++) {
		size_t len = strcspn(text, "\n");
		fputs(n ? ",\n  " : "\n  ", out);
		json_str(out, text, len);
		text += len + (text[len] == '\n');
	}
	fputs("\n]", out);
}

void json_run(FILE *out, const Program *P, const char *model, uint64_t seed, const RunResult *r,
              const char *sched, const char *hash, const char *timeline)
{
	json_begin(out, "run");
	fputs(", ", out);
	json_key_str(out, "scenario", P->name);
	fputs(", ", out);
	json_key_str(out, "file", P->files[0].path);
	fputs(", ", out);
	json_key_str(out, "variant", P->variant);
	fputs(", ", out);
	json_key_str(out, "model", model);
	fprintf(out, ", \"seed\": %" PRIu64 ", \"outcomes\": ", seed);
	json_names(out, P, r->outcomes);
	fputs(", ", out);
	json_key_str(out, "schedule", sched);
	fprintf(out, ", \"choices\": %d, \"ended_at_cycle\": %" PRIu64 ", \"trace_hash\": \"%s\", ", r->n, r->time, hash);
	json_key_str(out, "timeline", timeline);
	fputs("}\n", out);
}

/* A herd word: s with spaces and controls as '_' (names are identifiers
 * already; this keeps one line one record whatever they hold). */
static void json_word(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s <= ' ' ? '_' : *s, out);
}

/* --states in herd form: "State K OUTCOMES SCHEDULE_LEN: the state",
 * OUTCOMES comma-joined (none), the state's lines joined by "; ". */
static void json_herd_state(FILE *out, const Combo *c, uint64_t k)
{
	const EndStateInfo *e = &c->R.ends[k];
	char names[512], *st = out_end_state(c->P, c->model, e), *s = out_sched(e->path, e->len);
	rep_outcome_list(c->P, e->outcomes, names, sizeof names);
	fprintf(out, "State %" PRIu64 " ", k + 1);
	for (const char *p = *names ? names : "none"; *p; p++)
		if (*p != ' ')
			fputc(*p, out);
	fprintf(out, " [%s]:", s);
	int sp = 0;
	for (const char *p = st ? st + strlen("end state:") : ""; *p; p++) {
		int blank = *p == ' ' || *p == '\n';
		if (*p == '\n' && p[1])
			fputc(';', out);
		if (blank && !sp && p[1])
			fputc(' ', out);
		else if (!blank)
			fputc((unsigned char)*p < ' ' ? '_' : *p, out);
		sp = blank;
	}
	fputc('\n', out);
	free(st);
	free(s);
}

void json_herd(FILE *out, const Batch *b)
{
	static const char *const verdict[] = { "Never", "Sometimes", "Always", "Unknown" };
	for (int i = 0; i < b->n; i++) {
		const Combo *c = &b->c[i];
		const ExploreResult *R = &c->R;
		fputs("Test ", out);
		json_word(out, c->P->name);
		fputc(' ', out);
		json_word(out, c->P->variant ? c->P->variant : "-");
		fprintf(out, " %s\nStates %" PRIu64 "\n", c->model, R->end_states);
		if (R->stop != EX_DONE)
			fprintf(out, "Incomplete %s %" PRIu64 "\n", explore_stop_option(R->stop),
			        R->stop == EX_RANDOM ? R->random_runs : R->states);
		for (uint64_t k = 0; k < R->nends; k++)
			json_herd_state(out, c, k);
		for (int k = 0; k < c->P->noutcomes; k++) {
			if (c->P->outcomes_off >> k & 1)
				continue;
			int v = R->reach >> k & 1 ? (R->stop == EX_DONE && R->always >> k & 1 ? 2 : 1) :
			        R->stop == EX_DONE ? 0 : 3;
			fputs("Observation ", out);
			json_word(out, c->P->name);
			fputc(' ', out);
			json_word(out, c->P->variant ? c->P->variant : "-");
			fprintf(out, " %s ", c->model);
			json_word(out, c->P->outcomes[k].name);
			if (R->stop == EX_RANDOM)
				fprintf(out, " %s %" PRIu64 " %" PRIu64 "\n", verdict[v], R->out[k].schedules, R->schedules);
			else if (R->stop != EX_DONE)
				fprintf(out, " %s ? ?\n", verdict[v]);
			else if (k == OUT_LIVELOCK)
				fprintf(out, " %s %" PRIu64 " %" PRIu64 "\n", verdict[v], R->stuck_states, R->states);
			else if (R->schedules_unbounded && R->out[k].unbounded)
				fprintf(out, " %s * *\n", verdict[v]);
			else if (R->schedules_unbounded)
				fprintf(out, " %s %" PRIu64 " *\n", verdict[v], R->out[k].schedules);
			else
				fprintf(out, " %s %" PRIu64 " %" PRIu64 "\n", verdict[v], R->out[k].schedules, R->schedules);
		}
	}
}

int json_format(const char *cmd, const char *name, int allow_herd)
{
	if (!name || !strcmp(name, "text"))
		return 0;
	if (!strcmp(name, "json"))
		return 1;
	if (allow_herd && !strcmp(name, "herd"))
		return 2;
	opt_usage(cmd, allow_herd ? "unknown format '%s' (text, json or herd)" : "unknown format '%s' (text or json)", name);
	return -1;
}

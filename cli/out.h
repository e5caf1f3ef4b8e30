/* cli/out.h: text output more than one command prints: witness
 * timelines, schedule strings, the command that replays a witness, an
 * exploration's report, and HTML pages written to a path or stdout.
 * Deterministic: nothing here prints times or database ids. */
#ifndef TLBSIM_CLI_OUT_H
#define TLBSIM_CLI_OUT_H
#include <stdio.h>
#include "cli/batch.h"
#include "reports/html.h"
#include "reports/timeline.h"
#include "sim/run.h"

/* Replays schedule ch[0..n) of P under model with tracing and returns
 * the timeline drawn as d says (its cycle_at is the run's), the end (or
 * cycle) state and any deadlock, malloc'd; NULL with the error printed.
 * keep, if not NULL, receives the run's result (free with run_free). */
char *out_witness(const Program *P, const char *model, const Choice *ch, int n, const RepDraw *d,
                  uint64_t seed, RunResult *keep);
/* The view o's --width, --cpus and --timeline ask for, into v.  --width
 * defaults to the terminal's width when stdout is a terminal, else no
 * limit; a format other than text takes none of them.  0, or 2 after one
 * usage line.  --cpus is checked against the CPUs later (out_view_cpus). */
int out_view(const Opts *o, RepView *v);
/* Sets v->hide from o's --cpus for a program of ncpu CPUs: 0, or 2 after
 * one usage line naming a CPU it does not have. */
int out_view_cpus(const Opts *o, int ncpu, RepView *v);
/* Whether v is the default view (the one the database records). */
int out_view_default(const RepView *v);
/* ch[0..n) as a schedule string ("0 0 1 i1"), malloc'd. */
char *out_sched(const Choice *ch, int n);
/* The command that replays the witness of outcome k of c. */
void out_replay_cmd(FILE *out, const Combo *c, int k);
/* The end state e of an exploration of P under model, as the timeline's
 * "end state:" block (malloc'd; NULL with the error printed): e's path
 * replayed from the initial state. */
char *out_end_state(const Program *P, const char *model, const EndStateInfo *e);
/* Whether text output is coloured, from --color (auto: stdout is a
 * terminal, NO_COLOR is unset or empty and TERM is not "dumb"; always;
 * never), into *on.  0, or 2 after one usage line. */
int out_color(const Opts *o, int *on);
/* The SGR escape sequence for ANSI colour code sgr ("1;31"), or "" when
 * on is 0; out_sgr(on, "0") ends a coloured text. */
const char *out_sgr(int on, const char *sgr, char *buf, size_t len);
#define OUT_SGR_MAX 16
/* Colours, as SGR codes: what went wrong, what passed, what is not known. */
#define OUT_RED "1;31"
#define OUT_GREEN "32"
#define OUT_YELLOW "33"
#define OUT_BOLD "1"
/* c's report: header, one line per outcome and (unless brief) each
 * witness timeline, in view v (NULL: the default, as recorded); color:
 * the header bold, reached outcomes red, "none" green, INCOMPLETE yellow
 * (the timelines are never coloured). */
void out_combo(FILE *out, const Combo *c, int brief, const RepView *v, int color);
/* Writes d to path ("-": stdout); 0, or 2 with why not on stderr. */
int out_html(const char *cmd, const char *path, const HtmlDoc *d);
/* The HTML report of the explored batch b, made from source. */
int out_batch_html(const char *cmd, const char *path, const Batch *b, const char *source);

#endif

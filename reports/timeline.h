/* reports/timeline.h: a trace as per-CPU columns, the way LKML draws
 * races (seed 004): one step per line in its CPU's column, indented by
 * call depth, with the YAML line it came from at the left, and the PTE in
 * hex under every step that changed it. */
#ifndef TLBSIM_TIMELINE_H
#define TLBSIM_TIMELINE_H
#include <stdio.h>
#include "sim/exec.h"

/* A CPU column is at most this wide; longer texts wrap inside it. */
#define REP_COL_MAX 58

/* The pieces both drawings of a trace share (this text diagram and the
 * SVG of reports/html.c), so that they cannot disagree: */
/* The location of e ("rmap.yaml:22"), or "" for an event with no step. */
void rep_ev_where(const Program *P, const TraceEv *e, char *buf, size_t n);
/* e's indentation in columns: 2 per call level below the first, at most 16. */
int rep_ev_indent(const TraceEv *e);
/* The lines e shows in a column width wide: its text wrapped (each line
 * led by its indentation, continuations by 2 more), then its PTE change
 * (2 more).  Returns the number of lines (at most max); *ntext (if not
 * NULL) gets how many of them are text, the rest are the PTE change. */
int rep_ev_lines(const TraceEv *e, int width, char lines[][REP_COL_MAX + 1], int max, int *ntext);
/* The width of CPU c's column in t: its widest line, at most REP_COL_MAX. */
int rep_col_width(const Trace *t, int c);
/* Prints t for P.  show_time adds the simulated cycle of each event. */
void rep_timeline(FILE *out, const Program *P, const Trace *t, int show_time);
/* rep_timeline of a livelock's lasso: a line marks where the cycle
 * starts, before the first event of choice cycle_at + 1 (cycle_at < 0:
 * no mark).  In a timed timeline events are in time order, so a step of
 * the prefix may show below the mark. */
void rep_timeline_lasso(FILE *out, const Program *P, const Trace *t, int show_time, int cycle_at);
/* Prints the end state: every PTE in hex, page flags and content versions. */
void rep_end_state(FILE *out, const Sim *S, uint8_t *w);
/* The same for any state, after label ("end state:", "cycle state:"). */
void rep_state(FILE *out, const Sim *S, uint8_t *w, const char *label);
/* What a livelocked run of n choices shows after its timeline: the
 * choices after cycle_at go round a cycle forever. */
void rep_livelock(FILE *out, int cycle_at, int n);
/* Names of the outcomes in mask, comma-separated ("" if none). */
char *rep_outcome_list(const Program *P, uint32_t mask, char *buf, size_t len);

#endif

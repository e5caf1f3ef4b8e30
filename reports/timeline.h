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
/* The narrowest total width a view may ask for, and the narrowest a
 * column is shrunk to (so many CPUs may not fit in a narrow width). */
#define REP_WIDTH_MIN 40
#define REP_COL_MIN 8

/* How a timeline is shown.  All zero is the default view, the one the
 * database records and trace hashes are taken of. */
typedef struct RepView {
	int width;                   /* the diagram at most this wide (>= REP_WIDTH_MIN), columns
	                                shrunk to share it; 0: no limit (each column its widest
	                                line, at most REP_COL_MAX) */
	uint64_t hide;               /* CPUs not shown, a bitmask: their events are left out and
	                                a line after the diagram counts them */
	int lines;                   /* one line per event ("  7  CPU#1  loc  text"), not columns */
} RepView;

/* What rep_timeline_draw draws. */
typedef struct RepDraw {
	int show_time;               /* each event's simulated cycle; events in time order */
	int cycle_at;                /* a livelock's lasso: mark before the first event of choice
	                                cycle_at + 1; < 0: no mark */
	int fixed;                   /* timed: events of choices 1..fixed keep the trace's order
	                                (the schedule a run followed, as explore draws it) */
	RepView view;
} RepDraw;

/* The pieces both drawings of a trace share (this text diagram and the
 * SVG of reports/html.c), so that they cannot disagree: */
/* The location of e ("rmap.yaml:22"), or "" for an event with no step. */
void rep_ev_where(const Program *P, const TraceEv *e, char *buf, size_t n);
/* e's indentation in columns: 2 per call level below the first, at most 16. */
int rep_ev_indent(const TraceEv *e);
/* The lines e shows in a column width wide: its text wrapped (each line
 * led by its indentation, continuations by 2 more), then its PTE change
 * (2 more).  A line that would keep fewer than 8 characters of text
 * beside its lead has a shorter lead (width - 8), so that no line is
 * wider than the column (width >= 8).  Returns the number of lines (at
 * most max; where more were needed the last ends in "..."); *ntext (if
 * not NULL) gets how many of them are text, the rest the PTE change. */
int rep_ev_lines(const TraceEv *e, int width, char lines[][REP_COL_MAX + 1], int max, int *ntext);
/* The width of CPU c's column in t: its widest line, at most REP_COL_MAX. */
int rep_col_width(const Trace *t, int c);
/* Prints t for P as d says.  In time order a lasso's prefix comes
 * before its cycle (each part by time, after the fixed choices), so the
 * cycle's mark is exact. */
void rep_timeline_draw(FILE *out, const Program *P, const Trace *t, const RepDraw *d);
/* Prints t for P in the default view.  show_time adds the simulated cycle of each event. */
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

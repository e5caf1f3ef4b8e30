/* reports/html.h: the HTML report of `tlbsim report` and `explore --html`:
 * one self-contained page (inline CSS and SVG; no script, font or
 * anything else fetched) with the matrix of runs, each run's provenance
 * and outcomes, an SVG timeline of every witness and the scenario texts.
 * Every text is escaped and made valid UTF-8, whatever bytes it holds.
 * The same document gives the same bytes: no clock, no pointers. */
#ifndef TLBSIM_HTML_H
#define TLBSIM_HTML_H
#include <stdio.h>
#include "sim/explore.h"

#define HTML_MAX_FILES 64        /* scenario files shown per run */

/* One outcome a run reached, with a shortest witness. */
typedef struct HtmlOutcome {
	const char *name;
	uint64_t schedules, end_states;
	const Choice *witness;       /* NULL: none recorded */
	int wlen;
} HtmlOutcome;

/* One scenario explored under one variant and one model.  Strings are
 * borrowed and must outlive html_write. */
typedef struct HtmlRun {
	const Program *P;            /* compiled for variant; NULL if it could not be */
	const char *err;             /* why P is NULL */
	const char *scenario, *variant, *model, *mode, *version, *hash, *description;
	int64_t run_id;              /* database id, 0 if not recorded */
	uint64_t seed, states, transitions, schedules, end_states;
	int schedules_cyclic;        /* schedules unbounded */
	int incomplete;              /* a bound stopped the search: outcomes are
	                                those found, schedules not counted */
	const char *symmetry;        /* CPU classes of a reduced search (states,
	                                transitions, end states of the reduced
	                                graph), NULL: full search */
	char symbuf[128];            /* symmetry's text, for html_run_explored */
	double seconds;              /* wall time, < 0: not shown (not deterministic) */
	int nfiles;
	const char *paths[HTML_MAX_FILES], *texts[HTML_MAX_FILES];
	int nout;
	HtmlOutcome out[MAX_OUTCOMES];
} HtmlRun;

typedef struct HtmlDoc {
	const char *source;          /* what it was made from (a database, a file) */
	const char *version;         /* the tlbsim writing it */
	const HtmlRun *runs;
	int nruns;
} HtmlDoc;

/* Fills r from an exploration R of P under model: outcomes in P's order,
 * no database ids, no wall time. */
void html_run_explored(HtmlRun *r, const Program *P, const char *model, const ExploreResult *R);
/* Writes the page for d.  Witnesses are replayed from r->P to draw them;
 * one that cannot be replayed says why in the page.  Returns 0, or -1 on
 * a write error. */
int html_write(FILE *out, const HtmlDoc *d);
/* Writes len bytes of s as HTML text, valid in an element or a quoted
 * attribute: & < > " ' as references, C0 controls as their U+24xx
 * pictures (tab, LF, CR kept), and C1 controls, noncharacters and bytes
 * that are not UTF-8 as U+FFFD. */
void html_text(FILE *out, const char *s, size_t len);

#endif

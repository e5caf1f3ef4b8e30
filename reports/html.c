/* reports/html.c: the HTML report (see html.h).  Owns the escaping of
 * every text it writes (no byte of user input reaches the page unescaped)
 * and the SVG layout of a witness: one lane per CPU, one row per trace
 * event, in the order and with the wrapping of the text timeline. */
#include "reports/html.h"
#include "sim/symmetry.h"
#include "reports/matrix.h"
#include "reports/timeline.h"
#include "reports/witness.h"
#include "sim/sched.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- text --------------------------------------------------------------- */

/* The code point of the UTF-8 sequence at s (n > 0 bytes left) in *cp;
 * returns its length, or 0 if it is not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF are not). */
static int utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	int len = s[0] < 0x80 ? 1 : s[0] >> 5 == 6 ? 2 : s[0] >> 4 == 14 ? 3 : s[0] >> 3 == 30 ? 4 : 0;
	if (len == 0 || (size_t)len > n)
		return 0;
	*cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if (s[i] >> 6 != 2)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[len - 1] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* What code point cp shows as: itself (0), or a replacement written as a
 * reference into buf (1). */
static int html_replace(uint32_t cp, char *buf, size_t n)
{
	static const char *const named[] = { ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	                                     ['"'] = "&quot;", ['\''] = "&#39;" };
	if (cp < sizeof named / sizeof named[0] && named[cp])
		snprintf(buf, n, "%s", named[cp]);
	else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
		snprintf(buf, n, "&#x%X;", cp == 0x7f ? 0x2421 : 0x2400 + cp);
	else if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		snprintf(buf, n, "&#xFFFD;");
	else
		return 0;
	return 1;
}

void html_text(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char ref[16];
	while (len > 0) {
		uint32_t cp = 0;
		int k = utf8_next(p, len, &cp);
		if (k == 0)
			fputs("&#xFFFD;", out);
		else if (html_replace(cp, ref, sizeof ref))
			fputs(ref, out);
		else
			fwrite(p, 1, (size_t)k, out);
		k = k ? k : 1;
		p += k;
		len -= (size_t)k;
	}
}

/* s escaped (NULL shows as ""). */
static void esc(FILE *out, const char *s)
{
	if (s)
		html_text(out, s, strlen(s));
}

/* pre, s escaped, post. */
static void tag(FILE *out, const char *pre, const char *s, const char *post)
{
	fputs(pre, out);
	esc(out, s);
	fputs(post, out);
}

/* ---- the page --------------------------------------------------------- */

/* Outcome colours (backgrounds), given to outcome names in the order they
 * first appear in the matrix. */
static const char *const palette[] = { "#f4a0a0", "#f8c77a", "#b9d98a", "#9fc9ef", "#d3b1ea",
                                       "#f2a5d0", "#9fe0d0", "#e3d68c", "#c8c8c8", "#f0b49a" };
#define NPAL (int)(sizeof palette / sizeof palette[0])
#define MAX_NAMES 256

static const char css[] =
	"body{font:14px/1.45 sans-serif;margin:1.5em;color:#222}\n"
	"h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}h3{margin:1.5em 0 .3em}\n"
	"code,pre{font-family:monospace;font-size:12px}pre{background:#f6f6f6;padding:6px;overflow-x:auto}\n"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}\n"
	"table.prov td:first-child{color:#555}\n"
	".o,.none{display:inline-block;padding:0 5px;margin:1px;border-radius:3px;color:#111;text-decoration:none;"
	"font-size:12px}\n.none{color:#777}\n"
	"svg.timeline{display:block;margin:6px 0;background:#fff}\n"
	"svg.timeline text{font-family:monospace;font-size:12px;white-space:pre;fill:#111}\n"
	".lanebg{fill:#f4f5f7;stroke:#d8dae0}.lanehead{font-weight:bold}\n"
	".step rect{fill:#fff;stroke:#9aa0b0}.step.k1 rect{fill:#eef4ff}.step.k2 rect{fill:#fff3df;stroke:#c60}\n"
	"svg.timeline text.pte{fill:#b00020;font-weight:bold}svg.timeline text.loc{fill:#667}\n"
	".ipi{stroke:#c60;stroke-width:1.5}.ack{stroke:#c60;stroke-width:1.2;stroke-dasharray:5 3}\n"
	".mark line{stroke:#d00;stroke-width:2;stroke-dasharray:7 3}svg.timeline .mark text{fill:#d00;font-weight:bold}\n"
	".err{color:#b00020}:target{outline:3px solid #fc0}\n";

/* The document's head, its heading and provenance, and the one arrow
 * head every timeline refers to (ids are unique in the page). */
static void page_head(FILE *out, const HtmlDoc *d)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<title>tlbsim report</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
	fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
	      "<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
	      "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c60\"/></marker>"
	      "</defs></svg>\n<h1>tlbsim report</h1>\n", out);
	tag(out, "<p class=\"prov\">Written by tlbsim ", d->version, " from <code>");
	esc(out, d->source);
	fprintf(out, "</code>: %d runs.  <a href=\"#matrix\">Matrix</a> &middot; <a href=\"#runs\">Runs</a> "
	        "&middot; <a href=\"#scenarios\">Scenarios</a></p>\n", d->nruns);
}

/* Palette names: outcome names in order of first appearance. */
typedef struct Names { const char *v[MAX_NAMES]; int n; } Names;

static int name_colour(Names *nm, const char *name)
{
	for (int i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], name))
			return i % NPAL;
	if (nm->n < MAX_NAMES)
		nm->v[nm->n++] = name;
	return (nm->n - 1) % NPAL;
}

/* The index of the outcome of r whose witness anchor o uses: the first
 * one with the same schedule (one drawing for both). */
static int witness_of(const HtmlRun *r, int o)
{
	for (int j = 0; j < o; j++)
		if (r->out[j].witness && r->out[j].wlen == r->out[o].wlen &&
		    !memcmp(r->out[j].witness, r->out[o].witness, sizeof *r->out[o].witness * (size_t)r->out[o].wlen))
			return j;
	return o;
}

/* Outcome indices of r sorted by name (byte order), as the matrix shows them. */
static void sorted_outcomes(const HtmlRun *r, int *idx)
{
	for (int i = 0; i < r->nout; i++) {
		int k = i;
		while (k > 0 && strcmp(r->out[idx[k - 1]].name, r->out[i].name) > 0) {
			idx[k] = idx[k - 1];
			k--;
		}
		idx[k] = i;
	}
}

/* One outcome chip linking to its witness (or to the run, without one). */
static void chip(FILE *out, Names *nm, int k, const HtmlRun *r, int o)
{
	fprintf(out, "<a class=\"o\" style=\"background:%s\" ", palette[name_colour(nm, r->out[o].name)]);
	if (r->out[o].witness)
		fprintf(out, "href=\"#w%d-%d\">", k, witness_of(r, o));
	else
		fprintf(out, "href=\"#r%d\">", k);
	tag(out, "", r->out[o].name, "</a>");
}

/* The matrix cell of run k: its outcomes, or "none". */
static void matrix_cell(FILE *out, Names *nm, const HtmlDoc *d, int k)
{
	const HtmlRun *r = &d->runs[k];
	int idx[MAX_OUTCOMES];
	fputs("<td>", out);
	if (r->nout == 0)
		fprintf(out, "<a class=\"none\" href=\"#r%d\">none</a>", k);
	sorted_outcomes(r, idx);
	for (int i = 0; i < r->nout; i++)
		chip(out, nm, k, r, idx[i]);
	if (r->incomplete)
		fputs(" <i>(incomplete)</i>", out);
	fputs("</td>", out);
}

static void matrix_rows(FILE *out, Names *nm, const HtmlDoc *d, const MatrixGrid *g)
{
	fputs("<table class=\"matrix\">\n<tr><th>scenario</th><th>variant</th>", out);
	for (int c = 0; c < g->ncols; c++)
		tag(out, "<th>", g->cells[g->col[c]].model, "</th>");
	fputs("</tr>\n", out);
	for (int r = 0; r < g->nrows; r++) {
		const MatrixCell *m = &g->cells[g->row[r]];
		tag(out, "<tr><th>", m->scenario, "</th>");
		tag(out, "<th>", m->variant, "</th>");
		for (int c = 0; c < g->ncols; c++) {
			int k = g->at[r * g->ncols + c];
			if (k < 0)
				fputs("<td>-</td>", out);
			else
				matrix_cell(out, nm, d, k);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* The matrix (laid out like `tlbsim compare`'s) and its colour legend. */
static void matrix(FILE *out, Names *nm, const HtmlDoc *d)
{
	MatrixCell *cells = calloc((size_t)d->nruns + 1, sizeof *cells);
	MatrixGrid g = { 0 };
	if (!cells)
		abort();
	for (int k = 0; k < d->nruns; k++)
		cells[k] = (MatrixCell){ d->runs[k].scenario, d->runs[k].variant, d->runs[k].model, "", 0 };
	fputs("<h2 id=\"matrix\">Matrix</h2>\n<p>Rows: scenario and variant; columns: dirty-bit models; "
	      "cells: the outcomes some interleaving reaches, each linking to its shortest witness.</p>\n", out);
	if (rep_grid_build(&g, cells, d->nruns) < 0)
		abort();
	matrix_rows(out, nm, d, &g);
	rep_grid_free(&g);
	free(cells);
	fputs("<p>Outcomes: ", out);
	for (int i = 0; i < nm->n; i++) {
		fprintf(out, "<span class=\"o\" style=\"background:%s\">", palette[i % NPAL]);
		tag(out, "", nm->v[i], "</span> ");
	}
	fputs("(see docs/outcomes.md)</p>\n", out);
}

/* ---- the SVG timeline ------------------------------------------------- */

/* Geometry in CSS pixels, integers so that the page is byte-stable. */
enum {
	FONT_PX = 12,       /* monospace; a character is taken as 0.61 em */
	LINE_H = 15,        /* one text line */
	PAD_X = 5, PAD_Y = 3,
	ROW_GAP = 4,        /* between two event boxes */
	LANE_GAP = 56,      /* between two lanes: room for the IPI arrows */
	HEAD_H = 28,        /* the lane titles */
	MARK_H = 22,        /* the row of an outcome mark */
	MAX_LINES = 8       /* lines of one event, as in the text timeline */
};

/* Pixels of n characters (rounded up: a box never cuts its text). */
static int px(int n)
{
	return (n * FONT_PX * 61 + 99) / 100;
}

/* One witness laid out: lanes left to right, events top to bottom. */
typedef struct Svg {
	const Program *P;
	const Witness *W;
	const Trace *t;
	int ncpu, gutter, width, height;
	int col[MAX_CPUS];             /* lane width in characters (rep_col_width) */
	int lane_x[MAX_CPUS], lane_w[MAX_CPUS];
	int *y, *h;                    /* per event: top and height of its box */
	int *mark_y;                   /* per slot p in 0..n (before event p): the
	                                  y of its outcome mark row, 0 if none */
} Svg;

/* The trace slot where mark j (a choice ordinal) goes: before the first
 * event of a later choice (events come in choice order). */
static int mark_slot(const Trace *t, int j)
{
	int p = 0;
	while (p < t->n && t->ev[p].choice <= (uint32_t)j)
		p++;
	return p;
}

static int ev_nlines(const Svg *g, int i, char lines[][REP_COL_MAX + 1], int *ntext)
{
	const TraceEv *e = &g->t->ev[i];
	return rep_ev_lines(e, g->col[e->cpu], lines, MAX_LINES, ntext);
}

/* Lane positions: the gutter holds the widest YAML location. */
static void svg_lanes(Svg *g)
{
	int loc = 4;
	char w[256];
	for (int i = 0; i < g->t->n; i++) {
		rep_ev_where(g->P, &g->t->ev[i], w, sizeof w);
		loc = (int)strlen(w) > loc ? (int)strlen(w) : loc;
	}
	g->gutter = px(loc) + 3 * PAD_X;
	for (int c = 0; c < g->ncpu; c++) {
		g->col[c] = rep_col_width(g->t, c);
		g->lane_w[c] = px(g->col[c]) + 2 * PAD_X;
		g->lane_x[c] = c ? g->lane_x[c - 1] + g->lane_w[c - 1] + LANE_GAP : g->gutter;
	}
	g->width = g->lane_x[g->ncpu - 1] + g->lane_w[g->ncpu - 1] + PAD_X;
}

/* Rows: a mark row where marked[p], then event p's box, for every slot. */
static void svg_rows(Svg *g, const int *marked)
{
	char lines[MAX_LINES][REP_COL_MAX + 1];
	int y = HEAD_H + ROW_GAP;
	for (int p = 0; p <= g->t->n; p++) {
		if (marked[p]) {
			g->mark_y[p] = y + MARK_H / 2;
			y += MARK_H;
		}
		if (p == g->t->n)
			break;
		g->y[p] = y;
		g->h[p] = ev_nlines(g, p, lines, NULL) * LINE_H + 2 * PAD_Y;
		y += g->h[p] + ROW_GAP;
	}
	g->height = y + PAD_Y;
}

/* Lays out W's trace; marked[p] says a mark row goes before event p. */
static void svg_layout(Svg *g, const Program *P, const Witness *W, const int *marked)
{
	int n = W->t.n;
	memset(g, 0, sizeof *g);
	g->P = P;
	g->W = W;
	g->t = &W->t;
	g->ncpu = P->ncpu;
	g->y = calloc((size_t)n + 1, sizeof *g->y);
	g->h = calloc((size_t)n + 1, sizeof *g->h);
	g->mark_y = calloc((size_t)n + 1, sizeof *g->mark_y);
	if (!g->y || !g->h || !g->mark_y)
		abort();
	svg_lanes(g);
	svg_rows(g, marked);
}

static void svg_free(Svg *g)
{
	free(g->y);
	free(g->h);
	free(g->mark_y);
}

static void svg_lane(FILE *out, const Svg *g, int c)
{
	fprintf(out, "<g class=\"lane\" data-cpu=\"%d\"><rect class=\"lanebg\" x=\"%d\" y=\"%d\" width=\"%d\" "
	        "height=\"%d\"/><text class=\"lanehead\" x=\"%d\" y=\"%d\">CPU#%d", c, g->lane_x[c], HEAD_H - 6,
	        g->lane_w[c], g->height - HEAD_H + 6, g->lane_x[c] + PAD_X, HEAD_H - 12, c);
	tag(out, " (", g->W->S.model[c]->name, ")</text></g>\n");
}

/* The hover text of event i: the YAML location and text of its step. */
static void ev_title(FILE *out, const Svg *g, int i)
{
	const TraceEv *e = &g->t->ev[i];
	fputs("<title>", out);
	if (e->step >= 0) {
		const Step *s = &g->P->steps[e->step];
		esc(out, g->P->files[s->file].path);
		fprintf(out, ":%u:%u: ", s->line, s->col);
		esc(out, s->text);
	} else {
		esc(out, e->text);
	}
	fputs("</title>", out);
}

/* Event i: its YAML location in the gutter and its box in its lane, one
 * text line per wrapped line (leading spaces become x offsets). */
static void svg_event(FILE *out, const Svg *g, int i)
{
	const TraceEv *e = &g->t->ev[i];
	char lines[MAX_LINES][REP_COL_MAX + 1], loc[256];
	int ntext = 0, nl = ev_nlines(g, i, lines, &ntext), ind = rep_ev_indent(e), x = g->lane_x[e->cpu];
	rep_ev_where(g->P, e, loc, sizeof loc);
	if (loc[0]) {
		fprintf(out, "<text class=\"loc\" x=\"%d\" y=\"%d\">", PAD_X, g->y[i] + PAD_Y + LINE_H - 4);
		tag(out, "", loc, "</text>\n");
	}
	fprintf(out, "<g class=\"step k%d\" data-cpu=\"%d\" data-choice=\"%" PRIu32 "\">", e->kind, e->cpu, e->choice);
	ev_title(out, g, i);
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>", x + px(ind), g->y[i],
	        g->lane_w[e->cpu] - px(ind), g->h[i]);
	for (int k = 0; k < nl; k++) {
		int lead = (int)strspn(lines[k], " ");
		fprintf(out, "<text%s x=\"%d\" y=\"%d\">", k < ntext ? "" : " class=\"pte\"", x + PAD_X + px(lead),
		        g->y[i] + PAD_Y + (k + 1) * LINE_H - 4);
		tag(out, "", lines[k] + lead, "</text>");
	}
	fputs("</g>\n", out);
}

/* Is event i a flushing step (its start or its "all IPIs acked") on cpu? */
static int is_flush(const Svg *g, int i, int cpu)
{
	const TraceEv *e = &g->t->ev[i];
	return e->cpu == cpu && e->step >= 0 && sim_op_shoots_down(g->P->steps[e->step].op);
}

/* An arrow from event a's box to event b's, between the edges that face
 * each other, at the height of their first lines. */
static void svg_arrow(FILE *out, const Svg *g, int a, int b, const char *cls)
{
	const TraceEv *ea = &g->t->ev[a], *eb = &g->t->ev[b];
	int right = ea->cpu < eb->cpu;
	int xa = right ? g->lane_x[ea->cpu] + g->lane_w[ea->cpu] : g->lane_x[ea->cpu] + px(rep_ev_indent(ea));
	int xb = right ? g->lane_x[eb->cpu] + px(rep_ev_indent(eb)) : g->lane_x[eb->cpu] + g->lane_w[eb->cpu];
	fprintf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#arrow)\"/>\n", cls,
	        xa, g->y[a] + PAD_Y + LINE_H / 2, xb, g->y[b] + PAD_Y + LINE_H / 2);
}

/* For every IPI taken: an arrow from the sender's flushing step
 * (flush_tlb_page, flush_tlb_range, tlb_flush_mmu, try_to_unmap_flush...)
 * to the receiver's handler, and the ack back to the sender's "all IPIs
 * acked" (none if the sender never got there). */
static void svg_ipis(FILE *out, const Svg *g)
{
	for (int i = 0; i < g->t->n; i++) {
		int s = g->t->ev[i].peer, from = i, to = i;
		if (g->t->ev[i].kind != EV_IPI || s < 0)
			continue;
		while (from >= 0 && !is_flush(g, from, s))
			from--;
		while (to < g->t->n && !is_flush(g, to, s))
			to++;
		if (from >= 0)
			svg_arrow(out, g, from, i, "ipi");
		if (to < g->t->n)
			svg_arrow(out, g, i, to, "ack");
	}
}

/* The label of outcome o's mark. */
static void mark_label(FILE *out, const HtmlRun *r, int o, int first)
{
	tag(out, first ? "" : "; ", r->out[o].name, "");
	fputs(strcmp(r->out[o].name, "deadlock") ? " true from here on" : ": no CPU can move", out);
}

/* The mark rows: a line across the lanes where the named outcomes become
 * true (mark_at[o] is the slot of outcome o, -1 for none). */
static void svg_marks(FILE *out, const Svg *g, const HtmlRun *r, const int *mark_at)
{
	for (int p = 0; p <= g->t->n; p++) {
		int first = 1;
		if (!g->mark_y[p])
			continue;
		fprintf(out, "<g class=\"mark\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text x=\"%d\" y=\"%d\">",
		        PAD_X, g->mark_y[p], g->width - PAD_X, g->mark_y[p], g->gutter + PAD_X, g->mark_y[p] - 4);
		for (int o = 0; o < r->nout; o++)
			if (mark_at[o] == p) {
				mark_label(out, r, o, first);
				first = 0;
			}
		fputs("</text></g>\n", out);
	}
}

/* The SVG of replayed witness W of run r; mark_at as for svg_marks. */
static void svg_write(FILE *out, const HtmlRun *r, const Witness *W, const int *mark_at)
{
	Svg g;
	int *marked = calloc((size_t)W->t.n + 1, sizeof *marked);
	if (!marked)
		abort();
	for (int o = 0; o < r->nout; o++)
		if (mark_at[o] >= 0)
			marked[mark_at[o]] = 1;
	svg_layout(&g, r->P, W, marked);
	fprintf(out, "<svg class=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" data-cpus=\"%d\" "
	        "data-steps=\"%d\" role=\"img\" aria-label=\"CPU timeline of the witness\">\n",
	        g.width, g.height, g.width, g.height, g.ncpu, W->t.n);
	for (int c = 0; c < g.ncpu; c++)
		svg_lane(out, &g, c);
	for (int i = 0; i < W->t.n; i++)
		svg_event(out, &g, i);
	svg_ipis(out, &g);
	svg_marks(out, &g, r, mark_at);
	fputs("</svg>\n", out);
	svg_free(&g);
	free(marked);
}

/* ---- runs and witnesses ----------------------------------------------- */

static int outcome_index(const Program *P, const char *name)
{
	for (int o = 0; o < P->noutcomes; o++)
		if (!strcmp(P->outcomes[o].name, name))
			return o;
	return -1;
}

/* The schedule of outcome o as a string (malloc'd). */
static char *schedule_text(const HtmlOutcome *ho)
{
	size_t len = (size_t)ho->wlen * 4 + 16;
	char *s = malloc(len);
	if (!s)
		abort();
	return sched_format(ho->witness, ho->wlen, s, len);
}

/* The heading and replay line of witness w of run k: the outcomes it
 * shows, its schedule and the command that replays it as text. */
static void witness_head(FILE *out, const HtmlRun *r, int k, int w)
{
	char *s = schedule_text(&r->out[w]);
	fprintf(out, "<section class=\"witness\" id=\"w%d-%d\">\n<h4>Shortest witness of ", k, w);
	for (int o = w, n = 0; o < r->nout; o++)
		if (witness_of(r, o) == w)
			tag(out, n++ ? ", " : "", r->out[o].name, "");
	fprintf(out, " (%d choices)</h4>\n<p>Replay as text: <code>tlbsim run ", r->out[w].wlen);
	esc(out, r->nfiles ? r->paths[0] : r->scenario);
	if (strcmp(r->variant, "-"))
		tag(out, " --variant ", r->variant, "");
	tag(out, " --model ", r->model, " --schedule &quot;");
	tag(out, "", s, "&quot;</code></p>\n");
	free(s);
}

/* The end state of the replay (a livelock's: the state the cycle comes
 * back to), as `explore` prints it. */
static void end_state(FILE *out, const Witness *W)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		abort();
	int lasso = W->r.outcomes >> OUT_LIVELOCK & 1;
	if (lasso)
		rep_livelock(m, W->r.cycle_at, W->r.n);
	rep_state(m, &W->S, W->r.final, lasso ? "cycle state:" : "end state:");
	if (W->r.waits[0])
		fprintf(m, "deadlock: %s\n", W->r.waits);
	fclose(m);
	fputs("<pre class=\"end\">", out);
	html_text(out, buf, len);
	fputs("</pre>\n", out);
	free(buf);
}

/* Witness w of run k: replayed, drawn, its end state. */
static void witness(FILE *out, const HtmlRun *r, int k, int w)
{
	Witness W;
	char err[512];
	int mark_at[MAX_OUTCOMES];
	witness_head(out, r, k, w);
	if (!r->P)
		tag(out, "<p class=\"err\">Not replayed: ", r->err, "</p>\n");
	else if (wit_replay(&W, r->P, r->model, r->out[w].witness, r->out[w].wlen, 0, 1, err, sizeof err) < 0)
		tag(out, "<p class=\"err\">The witness does not replay: ", err, "</p>\n");
	else {
		for (int o = 0; o < r->nout; o++) {
			int idx = witness_of(r, o) == w ? outcome_index(r->P, r->out[o].name) : -1;
			int j = idx < 0 ? -1 : wit_mark(&W, idx);
			mark_at[o] = j < 0 ? -1 : mark_slot(&W.t, j);
		}
		svg_write(out, r, &W, mark_at);
		end_state(out, &W);
	}
	if (r->P)
		wit_free(&W);
	fputs("</section>\n", out);
}

/* Index of the first run with r's scenario content: its text's anchor. */
static int scenario_anchor(const HtmlDoc *d, int k)
{
	for (int j = 0; j < k; j++)
		if (!strcmp(d->runs[j].hash, d->runs[k].hash))
			return j;
	return k;
}

static void prov_row(FILE *out, const char *what, const char *value)
{
	tag(out, "<tr><td>", what, "</td>");
	tag(out, "<td>", value, "</td></tr>\n");
}

static void prov_u64(FILE *out, const char *what, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	prov_row(out, what, buf);
}

/* The provenance table of run k: where its numbers come from. */
static void run_prov(FILE *out, const HtmlDoc *d, int k)
{
	const HtmlRun *r = &d->runs[k];
	char buf[64];
	fputs("<table class=\"prov\">\n", out);
	if (r->run_id)
		prov_u64(out, "database run id", (uint64_t)r->run_id);
	prov_row(out, "mode", r->mode);
	if (r->symmetry) {
		char why[256];
		snprintf(why, sizeof why, "%s interchangeable: states, transitions and end states count the reduced graph "
		         "(one per orbit); schedule counts are exact", r->symmetry);
		prov_row(out, "CPU symmetry", why);
	}
	prov_row(out, "tlbsim version", r->version);
	prov_u64(out, "seed", r->seed);
	prov_u64(out, "states", r->states);
	prov_u64(out, "transitions", r->transitions);
	if (r->incomplete)
		prov_row(out, "search", "incomplete: a bound (--max-states, --max-memory) stopped it, or it sampled "
		         "schedules (--random) or bounded their preemptions (--preemptions: see the command); the "
		         "outcomes below were reached, the others are not known");
	if (r->incomplete)
		prov_row(out, "schedules", "not counted");
	else if (r->schedules_cyclic)
		prov_row(out, "schedules", "unbounded (the state graph has a cycle)");
	else
		prov_u64(out, "schedules", r->schedules);
	prov_u64(out, "end states", r->end_states);
	snprintf(buf, sizeof buf, "%.3f s", r->seconds);
	if (r->seconds >= 0)
		prov_row(out, "wall time", buf);
	fprintf(out, "<tr><td>scenario</td><td><a href=\"#s%d\">", scenario_anchor(d, k));
	tag(out, "", r->nfiles ? r->paths[0] : r->scenario, "</a>, content hash <code>");
	tag(out, "", r->hash, "</code></td></tr>\n</table>\n");
}

/* The outcome list of run k: counts and links to the witnesses. */
static void run_outcomes(FILE *out, const HtmlRun *r, int k)
{
	if (r->nout == 0)
		fputs(r->incomplete ? "<p>No outcome found before the search stopped.</p>\n" :
		      "<p>No interleaving reaches any outcome.</p>\n", out);
	else
		fputs("<ul class=\"outcomes\">\n", out);
	for (int o = 0; o < r->nout; o++) {
		const HtmlOutcome *ho = &r->out[o];
		tag(out, "<li><b>", ho->name, "</b>: ");
		if (r->incomplete)
			fprintf(out, "in %" PRIu64 " end states so far", ho->end_states);
		else {
			fprintf(out, "in %" PRIu64 " of ", ho->schedules);
			if (r->schedules_cyclic)
				fputs("unbounded", out);
			else
				fprintf(out, "%" PRIu64, r->schedules);
			fprintf(out, " schedules (%" PRIu64 " end states)", ho->end_states);
		}
		if (ho->witness)
			fprintf(out, "; <a href=\"#w%d-%d\">witness</a>", k, witness_of(r, o));
		fputs("</li>\n", out);
	}
	if (r->nout)
		fputs("</ul>\n", out);
}

static void run_section(FILE *out, const HtmlDoc *d, int k)
{
	const HtmlRun *r = &d->runs[k];
	fprintf(out, "<section class=\"run\" id=\"r%d\">\n", k);
	tag(out, "<h3>", r->scenario, "");
	tag(out, " &middot; variant ", r->variant, "");
	tag(out, " &middot; model ", r->model, "</h3>\n");
	run_prov(out, d, k);
	run_outcomes(out, r, k);
	for (int o = 0; o < r->nout; o++)
		if (r->out[o].witness && witness_of(r, o) == o)
			witness(out, r, k, o);
	fputs("</section>\n", out);
}

/* ---- scenario texts --------------------------------------------------- */

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The text of every file of run k's scenario, the scenario file open. */
static void scenario_section(FILE *out, const HtmlRun *r, int k)
{
	fprintf(out, "<section class=\"scenario\" id=\"s%d\">\n", k);
	tag(out, "<h3>", r->scenario, "</h3>\n");
	if (r->description)
		tag(out, "<p class=\"desc\">", r->description, "</p>\n");
	tag(out, "<p>Content hash <code>", r->hash, "</code>.</p>\n");
	for (int i = 0; i < r->nfiles; i++) {
		fprintf(out, "<details%s><summary><code>", i ? "" : " open");
		esc(out, r->paths[i]);
		fprintf(out, "</code> (%d lines)</summary>\n<pre>", count_lines(r->texts[i]));
		tag(out, "", r->texts[i], "</pre></details>\n");
	}
	fputs("</section>\n", out);
}

/* ---- the document ----------------------------------------------------- */

int html_write(FILE *out, const HtmlDoc *d)
{
	Names nm = { .n = 0 };
	page_head(out, d);
	matrix(out, &nm, d);
	fputs("<h2 id=\"runs\">Runs</h2>\n", out);
	for (int k = 0; k < d->nruns; k++)
		run_section(out, d, k);
	fputs("<h2 id=\"scenarios\">Scenarios</h2>\n", out);
	for (int k = 0; k < d->nruns; k++)
		if (scenario_anchor(d, k) == k)
			scenario_section(out, &d->runs[k], k);
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}

void html_run_explored(HtmlRun *r, const Program *P, const char *model, const ExploreResult *R)
{
	memset(r, 0, sizeof *r);
	*r = (HtmlRun){ .P = P, .scenario = P->name, .variant = P->variant ? P->variant : "-", .model = model,
	                .mode = "explore", .hash = P->hash, .description = P->description, .states = R->states,
	                .transitions = R->transitions, .schedules = R->schedules, .end_states = R->end_states,
	                .schedules_cyclic = R->schedules_cyclic, .seconds = -1, .incomplete = R->stop != EX_DONE };
	if (R->nsym)
		r->symmetry = sym_format(R->sym, R->nsym, r->symbuf, sizeof r->symbuf);
	r->nfiles = P->nfiles < HTML_MAX_FILES ? P->nfiles : HTML_MAX_FILES;
	for (int i = 0; i < r->nfiles; i++) {
		r->paths[i] = P->files[i].path;
		r->texts[i] = P->files[i].text;
	}
	for (int o = 0; o < P->noutcomes; o++) {
		const OutcomeStat *os = &R->out[o];
		if (os->witness)
			r->out[r->nout++] = (HtmlOutcome){ P->outcomes[o].name, os->schedules, os->end_states,
			                                   os->witness, os->wlen };
	}
}

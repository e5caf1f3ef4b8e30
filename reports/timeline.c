/* reports/timeline.c: column layout of traces.  Column widths are fixed
 * per CPU from the longest text it shows (capped), long texts wrap inside
 * their column, so the diagram pastes into a mail unchanged.  A view
 * (RepView) narrows the columns to share a width, hides CPUs, or draws
 * one line per event; the default view is the layout above. */
#include "reports/timeline.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Paths are short in practice, but the buffer bounds nothing: the left
 * column is as wide as the longest location (LOC_MAX is the cap). */
#define LOC_MAX 200
void rep_ev_where(const Program *P, const TraceEv *e, char *buf, size_t n)
{
	buf[0] = 0;
	if (e->step >= 0)
		snprintf(buf, n, "%s:%u", base_name(P->files[P->steps[e->step].file].path), P->steps[e->step].line);
}

/* The left cell of an event's first line: its location, after its
 * simulated cycle right-aligned in 8 when show_time. */
static void left_cell(const Program *P, const TraceEv *e, int show_time, char *buf, size_t n)
{
	char w[LOC_MAX];
	rep_ev_where(P, e, w, sizeof w);
	if (show_time)
		snprintf(buf, n, "%8" PRIu64 " %s", e->time, w);
	else
		snprintf(buf, n, "%s", w);
}

int rep_ev_indent(const TraceEv *e)
{
	int ind = 2 * (e->depth > 1 ? e->depth - 1 : 0);
	return ind > 16 ? 16 : ind;
}

/* The lead and the room beside it for a piece of text of len characters
 * in a column width wide: a lead that would leave fewer than 8
 * characters for text that does not fit shrinks to width - 8. */
static int ev_room(int width, int len, int *lead)
{
	int room = width - *lead;
	if (len > room && room < 8) {
		*lead = width > 8 ? width - 8 : 0;
		room = width - *lead > 8 ? width - *lead : 8;
	}
	return room;
}

/* Ends line (its text cut) with "...": where an event needs more lines
 * than the caller's max. */
static void mark_cut(char *line)
{
	size_t n = strlen(line);
	memcpy(line + (n > 3 ? n - 3 : 0), "...", 4);
}

int rep_ev_lines(const TraceEv *e, int width, char lines[][REP_COL_MAX + 1], int max, int *ntext)
{
	int n = 0, ind = rep_ev_indent(e);
	const char *srcs[2] = { e->text, e->pte };
	for (int k = 0; k < 2; k++) {
		if (k && ntext)
			*ntext = n;
		const char *s = srcs[k];
		int first = 1, extra = k ? 2 : 0;
		if (*s && n == max && max > 0)
			mark_cut(lines[max - 1]);
		while (*s && n < max) {
			int lead = ind + extra + (first ? 0 : 2), len = (int)strlen(s);
			int room = ev_room(width, len, &lead);
			if (len > room) {
				int cut = room;
				while (cut > room / 2 && s[cut] != ' ')
					cut--;
				len = s[cut] == ' ' ? cut : room;
			}
			snprintf(lines[n++], REP_COL_MAX + 1, "%*s%.*s", lead, "", len, s);
			s += len;
			while (*s == ' ')
				s++;
			first = 0;
			if (*s && n == max)
				mark_cut(lines[n - 1]);
		}
	}
	return n;
}

int rep_col_width(const Trace *t, int c)
{
	int w = 6;
	for (int i = 0; i < t->n; i++) {
		const TraceEv *e = &t->ev[i];
		if (e->cpu != c)
			continue;
		int ind = rep_ev_indent(e);
		int len = ind + (int)strlen(e->text);
		int lp = ind + 2 + (int)strlen(e->pte);
		len = lp > len ? lp : len;
		w = len > w ? len : w;
	}
	return w > REP_COL_MAX ? REP_COL_MAX : w;
}

/* The columns of one drawing: column k shows CPU cpu[k] in width[k]
 * characters; of[c] is CPU c's column, -1 when it is hidden. */
typedef struct Cols { int n, cpu[MAX_CPUS], width[MAX_CPUS], of[MAX_CPUS]; } Cols;

/* A row buffer: long enough for the left column and every CPU column. */
typedef struct Row { char *buf; size_t cap; int lw; const Cols *cols; } Row;

/* Prints one line: left in the left column, then text in column col
 * (col < 0: cells[k] in column k), trailing spaces dropped. */
static void row(FILE *out, Row *r, const char *left, int col, const char *text, const char *const *cells)
{
	int n = snprintf(r->buf, r->cap, "%-*s", r->lw, left);
	for (int k = 0; k < r->cols->n; k++) {
		const char *cell = col < 0 ? cells[k] : k == col ? text : "";
		n += snprintf(r->buf + n, r->cap - (size_t)n, "%s%-*s", k ? " | " : "  ", r->cols->width[k], cell);
	}
	while (n > 0 && r->buf[n - 1] == ' ')
		r->buf[--n] = 0;
	fprintf(out, "%s\n", r->buf);
}

/* Timed traces: explore folds a CPU's local steps into the transition
 * before them, so those events carry later times than other CPUs' events
 * that follow them in the trace.  A stable sort by time puts every line
 * where it happened; events of one CPU keep their order.  The events of
 * the fixed choices (a schedule followed) keep the trace's order, the
 * order explore draws the same witness in: under a forced schedule a
 * step's cycle may be earlier than the previous choice's.  In a lasso
 * the prefix's events come before the cycle's. */
static int part(const TraceEv *e, const RepDraw *d)
{
	if (d->fixed > 0 && e->choice <= (uint32_t)d->fixed)
		return 0;
	return d->cycle_at >= 0 && e->choice > (uint32_t)d->cycle_at ? 2 : 1;
}

static int later(const TraceEv *a, const TraceEv *b, const RepDraw *d)
{
	int pa = part(a, d), pb = part(b, d);
	return pa != pb ? pa > pb : pa && a->time > b->time;
}

static TraceEv *time_order(const Trace *t, const RepDraw *d)
{
	TraceEv *v = malloc(sizeof *v * (size_t)(t->n ? t->n : 1));
	if (!v)
		abort();
	for (int i = 0; i < t->n; i++) {
		int k = i;
		while (k > 0 && later(&v[k - 1], &t->ev[i], d)) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = t->ev[i];
	}
	return v;
}

/* The header label of the left column: "line" above the locations and,
 * timed, "cycle" ending where the 8-digit cycle ends. */
static const char *left_label(int show_time)
{
	return show_time ? "   cycle line" : "line";
}

/* The width of the left column: its label or its longest cell. */
static int left_width(const Program *P, const Trace *t, int show_time)
{
	char left[LOC_MAX + 16];
	int lw = (int)strlen(left_label(show_time));
	for (int i = 0; i < t->n; i++) {
		left_cell(P, &t->ev[i], show_time, left, sizeof left);
		int l = (int)strlen(left);
		lw = l > lw ? l : lw;
	}
	return lw;
}

/* Fits the widths w[0..n) into room: widths no larger than an even share
 * of what is left stay, the others share the rest evenly (the leftmost
 * one more each for the remainder), none below REP_COL_MIN.  Widths that
 * fit already all stay.  O(n^2), n <= MAX_CPUS. */
static void share_widths(int *w, int n, int room)
{
	int keep[MAX_CPUS] = { 0 }, left = room, nfree = n, more = 1;
	while (more && nfree) {
		more = 0;
		for (int k = 0; k < n; k++)
			if (!keep[k] && w[k] <= left / nfree) {
				keep[k] = 1;
				left -= w[k];
				nfree--;
				more = 1;
			}
	}
	for (int k = 0, j = 0; k < n && nfree; k++) {
		if (keep[k])
			continue;
		int share = left / nfree + (j++ < left % nfree);
		w[k] = share < REP_COL_MIN ? (w[k] < REP_COL_MIN ? w[k] : REP_COL_MIN) : share;
	}
}

/* The columns of t's shown CPUs, each as wide as its widest line (at
 * most REP_COL_MAX), shrunk to share a width > 0 beside a left column lw. */
static void layout(const Program *P, const Trace *t, const RepView *v, int lw, Cols *cols)
{
	cols->n = 0;
	for (int c = 0; c < P->ncpu; c++) {
		cols->of[c] = -1;
		if (v->hide >> c & 1)
			continue;
		cols->of[c] = cols->n;
		cols->cpu[cols->n] = c;
		cols->width[cols->n++] = rep_col_width(t, c);
	}
	if (v->width > 0 && cols->n)
		share_widths(cols->width, cols->n, v->width - lw - 2 - 3 * (cols->n - 1));
}

#define CYCLE_MARK "-- cycle starts here: the steps below repeat forever (livelock) --"
#define CYCLE_MARK_SHORT "-- cycle starts here (livelock) --"
#define EV_LINES 64              /* lines of one event at most (160 + 80 characters at 8 a line) */

/* Prints the cycle's mark once, before the first event e after the
 * prefix (e NULL: at the end if not yet printed). */
static void cycle_mark(FILE *out, const RepDraw *d, const TraceEv *e, int *marked)
{
	if (*marked || (e && e->choice <= (uint32_t)d->cycle_at))
		return;
	int w = d->view.width;
	fprintf(out, "%s\n", w > 0 && w < (int)strlen(CYCLE_MARK) ? CYCLE_MARK_SHORT : CYCLE_MARK);
	*marked = 1;
}

/* The columns drawing: a header, then each shown event's lines in its
 * CPU's column. */
static void draw_columns(FILE *out, const Program *P, const Trace *t, const RepDraw *d, int lw)
{
	Cols cols;
	char left[LOC_MAX + 16], lines[EV_LINES][REP_COL_MAX + 1], names[MAX_CPUS][16];
	const char *head[MAX_CPUS], *dash[MAX_CPUS];
	layout(P, t, &d->view, lw, &cols);
	/* a cell is at most REP_COL_MAX wide even where it overflows its column */
	size_t cap = 1 + (size_t)lw + (size_t)cols.n * (REP_COL_MAX + 3);
	Row r = { malloc(cap), cap, lw, &cols };
	if (!r.buf)
		abort();
	for (int k = 0; k < cols.n; k++) {
		snprintf(names[k], sizeof names[k], "CPU#%d", cols.cpu[k]);
		head[k] = names[k];
		dash[k] = "-----";
	}
	row(out, &r, left_label(d->show_time), -1, NULL, head);
	row(out, &r, "", -1, NULL, dash);
	int marked = d->cycle_at < 0;
	for (int i = 0; i < t->n; i++) {
		const TraceEv *e = &t->ev[i];
		int col = cols.of[e->cpu];
		if (col < 0)
			continue;
		cycle_mark(out, d, e, &marked);
		left_cell(P, e, d->show_time, left, sizeof left);
		int nl = rep_ev_lines(e, cols.width[col], lines, EV_LINES, NULL);
		for (int k = 0; k < nl; k++)
			row(out, &r, k ? "" : left, col, lines[k], NULL);
	}
	cycle_mark(out, d, NULL, &marked);
	free(r.buf);
}

/* The text column of the lines drawing: the widest shown line (at most
 * REP_COL_MAX), within what a width > 0 leaves after lead characters. */
static int lines_width(const Trace *t, const RepView *v, int lead)
{
	int w = 6;
	for (int c = 0; c < MAX_CPUS; c++)
		if (!(v->hide >> c & 1)) {
			int cw = rep_col_width(t, c);
			w = cw > w ? cw : w;
		}
	if (v->width > 0 && w > v->width - lead)
		w = v->width - lead < REP_COL_MIN ? REP_COL_MIN : v->width - lead;
	return w;
}

/* The lines drawing: one line per shown event, "  N  CPU#c  loc  text"
 * (N its place among all events from 1), continuations under its text.
 * Where a width leaves fewer than LINES_ROOM characters beside that
 * lead, the text goes on lines of its own under it, indented by 7. */
#define LINES_ROOM 24
static void draw_lines(FILE *out, const Program *P, const Trace *t, const RepDraw *d, int lw)
{
	char left[LOC_MAX + 16], lines[EV_LINES][REP_COL_MAX + 1], cpu[16];
	int lead = 5 + 2 + 6 + 2 + lw + 2;     /* "%5d  CPU#nn  left  " */
	int below = d->view.width > 0 && d->view.width - lead < LINES_ROOM;
	lead = below ? 7 : lead;
	int w = lines_width(t, &d->view, lead), marked = d->cycle_at < 0;
	fprintf(out, "%5s  %-6s  %s\n", "event", "cpu", left_label(d->show_time));
	for (int i = 0; i < t->n; i++) {
		const TraceEv *e = &t->ev[i];
		if (d->view.hide >> e->cpu & 1)
			continue;
		cycle_mark(out, d, e, &marked);
		left_cell(P, e, d->show_time, left, sizeof left);
		snprintf(cpu, sizeof cpu, "CPU#%d", e->cpu);
		int nl = rep_ev_lines(e, w, lines, EV_LINES, NULL);
		if (below)
			fprintf(out, "%5d  %-6s  %s\n", i + 1, cpu, left);
		for (int k = 0; k < nl; k++) {
			if (k || below)
				fprintf(out, "%*s%s\n", lead, "", lines[k]);
			else
				fprintf(out, "%5d  %-6s  %-*s  %s\n", i + 1, cpu, lw, left, lines[k]);
		}
	}
	cycle_mark(out, d, NULL, &marked);
}

/* One line per hidden CPU of P: how many events of t it has. */
static void hidden_note(FILE *out, const Program *P, const Trace *t, uint64_t hide)
{
	for (int c = 0; c < P->ncpu; c++) {
		if (!(hide >> c & 1))
			continue;
		int n = 0;
		for (int i = 0; i < t->n; i++)
			n += t->ev[i].cpu == c;
		fprintf(out, "not shown: CPU#%d, %d event%s\n", c, n, n == 1 ? "" : "s");
	}
}

void rep_timeline(FILE *out, const Program *P, const Trace *tr, int show_time)
{
	rep_timeline_lasso(out, P, tr, show_time, -1);
}

void rep_timeline_lasso(FILE *out, const Program *P, const Trace *tr, int show_time, int cycle_at)
{
	RepDraw d = { show_time, cycle_at, 0, { 0, 0, 0 } };
	rep_timeline_draw(out, P, tr, &d);
}

void rep_timeline_draw(FILE *out, const Program *P, const Trace *tr, const RepDraw *d)
{
	Trace sorted = { d->show_time ? time_order(tr, d) : tr->ev, tr->n, tr->n };
	int lw = left_width(P, &sorted, d->show_time);
	if (d->view.lines)
		draw_lines(out, P, &sorted, d, lw);
	else
		draw_columns(out, P, &sorted, d, lw);
	hidden_note(out, P, &sorted, d->view.hide);
	if (d->show_time)
		free(sorted.ev);
}

void rep_livelock(FILE *out, int cycle_at, int n)
{
	char which[48], from[48];
	int many = n - cycle_at > 1;
	if (many)
		snprintf(which, sizeof which, "choices %d..%d bring", cycle_at + 1, n);
	else
		snprintf(which, sizeof which, "choice %d brings", n);
	if (cycle_at)
		snprintf(from, sizeof from, "after choice %d", cycle_at);
	else
		snprintf(from, sizeof from, "at the start");
	fprintf(out, "livelock: %s the machine back to the state it was in %s; %s forever, "
	        "and no schedule from there reaches an end state\n", which, from, many ? "they repeat" : "it repeats");
}

char *rep_outcome_list(const Program *P, uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int o = 0; o < P->noutcomes && n < len; o++)
		if (mask >> o & 1)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", P->outcomes[o].name);
	return buf;
}

void rep_end_state(FILE *out, const Sim *S, uint8_t *w)
{
	rep_state(out, S, w, "end state:");
}

void rep_state(FILE *out, const Sim *S, uint8_t *w, const char *label)
{
	const Program *P = S->P;
	Mem m;
	world_mem(&S->L, w, &m);
	fprintf(out, "%s", label);
	for (int i = 0; i < P->npte; i++) {
		char d[64], name[48];
		fprintf(out, "  PTE %s = 0x%" PRIx64 " (%s)", prog_pte_name(P, i, name, sizeof name), m.pte[i],
		        arch_describe(S->arch, m.pte[i], d, sizeof d));
	}
	fprintf(out, "\n");
	for (int i = 0; i < P->npages; i++) {
		const PageDesc *pd = &P->pages[i];
		const PageState *pg = &m.page[i + 1];
		fprintf(out, "%*s%s: pfn %d, content v%u", (int)strlen(label) + 1, "", pd->name, i + 1, pg->data);
		int slot = world_page_slot(P, pg);
		if (slot >= 0)
			fprintf(out, ", disk v%u", m.disk[slot]);
		else if (pg->frame & FRAME_FREE)
			fprintf(out, ", free");
		else if (pg->flags & PG_anon)
			fprintf(out, ", anon");
		else if (!pd->nopage)
			fprintf(out, ", in no page cache");
		if ((pg->flags & PG_swapcache) && m.swap)
			fprintf(out, ", swap cache: slot %u v%u", pg->index, m.swap[pg->index].data);
		if (pd->nopage)        /* a DAX block has no struct page, no flags */
			fprintf(out, "\n");
		else
			fprintf(out, ", PG_dirty=%d PG_writeback=%d PG_locked=%d\n", !!(pg->flags & PG_dirty),
			        !!(pg->flags & PG_writeback), !!(pg->flags & PG_locked));
	}
	/* state variables, as signed words (atomic_t counts go negative) */
	for (int i = 0; i < P->nvars; i++)
		fprintf(out, "%*s%s%s=%" PRId64 "%s", i ? 1 : (int)strlen(label) + 1, "", i ? "" : "vars: ",
		        P->vars[i].name, (int64_t)m.var[i], i + 1 == P->nvars ? "\n" : "");
}

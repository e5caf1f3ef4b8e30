/* reports/timeline.c: column layout of traces.  Column widths are fixed
 * per CPU from the longest text it shows (capped), long texts wrap inside
 * their column, so the diagram pastes into a mail unchanged. */
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

int rep_ev_lines(const TraceEv *e, int width, char lines[][REP_COL_MAX + 1], int max, int *ntext)
{
	int n = 0, ind = rep_ev_indent(e);
	const char *srcs[2] = { e->text, e->pte };
	for (int k = 0; k < 2; k++) {
		if (k && ntext)
			*ntext = n;
		const char *s = srcs[k];
		int first = 1, extra = k ? 2 : 0;
		while (*s && n < max) {
			int lead = ind + extra + (first ? 0 : 2);
			int room = width - lead, len = (int)strlen(s);
			if (room < 8)
				room = 8;
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

/* A row buffer: long enough for the left column and every CPU column. */
typedef struct Row { char *buf; size_t cap; int lw, ncpu; const int *width; } Row;

/* Prints one line: left in the left column, then text in CPU c's column
 * (c < 0: cells[k] in column k), trailing spaces dropped. */
static void row(FILE *out, Row *r, const char *left, int c, const char *text, const char *const *cells)
{
	int n = snprintf(r->buf, r->cap, "%-*s", r->lw, left);
	for (int k = 0; k < r->ncpu; k++) {
		const char *cell = c < 0 ? cells[k] : k == c ? text : "";
		n += snprintf(r->buf + n, r->cap - (size_t)n, "%s%-*s", k ? " | " : "  ", r->width[k], cell);
	}
	while (n > 0 && r->buf[n - 1] == ' ')
		r->buf[--n] = 0;
	fprintf(out, "%s\n", r->buf);
}

/* Timed traces: explore folds a CPU's local steps into the transition
 * before them, so those events carry later times than other CPUs' events
 * that follow them in the trace.  A stable sort by time puts every line
 * where it happened; events of one CPU keep their order.  In a lasso
 * (cycle_at >= 0) the prefix's events come first, then the cycle's, each
 * part by time, so that the cycle's mark is exact. */
static int later(const TraceEv *a, const TraceEv *b, int cycle_at)
{
	int ca = cycle_at >= 0 && a->choice > (uint32_t)cycle_at, cb = cycle_at >= 0 && b->choice > (uint32_t)cycle_at;
	return ca != cb ? ca > cb : a->time > b->time;
}

static TraceEv *time_order(const Trace *t, int cycle_at)
{
	TraceEv *v = malloc(sizeof *v * (size_t)(t->n ? t->n : 1));
	if (!v)
		abort();
	for (int i = 0; i < t->n; i++) {
		int k = i;
		while (k > 0 && later(&v[k - 1], &t->ev[i], cycle_at)) {
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

#define CYCLE_MARK "-- cycle starts here: the steps below repeat forever (livelock) --"

void rep_timeline(FILE *out, const Program *P, const Trace *tr, int show_time)
{
	rep_timeline_lasso(out, P, tr, show_time, -1);
}

void rep_timeline_lasso(FILE *out, const Program *P, const Trace *tr, int show_time, int cycle_at)
{
	Trace sorted = { show_time ? time_order(tr, cycle_at) : tr->ev, tr->n, tr->n };
	const Trace *t = &sorted;
	int ncpu = P->ncpu, width[MAX_CPUS], lw = (int)strlen(left_label(show_time));
	char left[LOC_MAX + 16], lines[8][REP_COL_MAX + 1];
	/* a cell is at most REP_COL_MAX wide even where it overflows its column */
	size_t cap = 1 + (size_t)ncpu * (REP_COL_MAX + 3);
	for (int c = 0; c < ncpu; c++)
		width[c] = rep_col_width(t, c);
	for (int i = 0; i < t->n; i++) {
		left_cell(P, &t->ev[i], show_time, left, sizeof left);
		int l = (int)strlen(left);
		lw = l > lw ? l : lw;
	}
	Row r = { malloc(cap + (size_t)lw), cap + (size_t)lw, lw, ncpu, width };
	const char *head[MAX_CPUS], *dash[MAX_CPUS];
	char names[MAX_CPUS][16];
	if (!r.buf)
		abort();
	for (int c = 0; c < ncpu; c++) {
		snprintf(names[c], sizeof names[c], "CPU#%d", c);
		head[c] = names[c];
		dash[c] = "-----";
	}
	row(out, &r, left_label(show_time), -1, NULL, head);
	row(out, &r, "", -1, NULL, dash);
	int marked = cycle_at < 0;
	for (int i = 0; i < t->n; i++) {
		const TraceEv *e = &t->ev[i];
		if (!marked && e->choice > (uint32_t)cycle_at) {
			fprintf(out, "%s\n", CYCLE_MARK);
			marked = 1;
		}
		left_cell(P, e, show_time, left, sizeof left);
		int nl = rep_ev_lines(e, width[e->cpu], lines, 8, NULL);
		for (int k = 0; k < nl; k++)
			row(out, &r, k ? "" : left, e->cpu, lines[k], NULL);
	}
	if (!marked)
		fprintf(out, "%s\n", CYCLE_MARK);
	free(r.buf);
	if (show_time)
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

/* reports/matrix.c: the comparison matrix as a fixed-width text table.
 * Rows (scenario, variant) and columns (model) keep first-seen order; no
 * line ends in a space, so the output is deterministic and diffable. */
#include "reports/matrix.h"
#include "cpus/dirty.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { GRID_TEXT_MAX = 4096 };   /* a cell's text (outcome names, comma-joined) */

static const char *str(const char *s)
{
	return s ? s : "";
}

static int same(const char *a, const char *b)
{
	return strcmp(str(a), str(b)) == 0;
}

/* Row of cell k, appended if its (scenario, variant) is new.  O(rows) per
 * call: a comparison has tens of rows, not thousands. */
static int grid_row(MatrixGrid *g, int k)
{
	const MatrixCell *c = &g->cells[k];
	for (int r = 0; r < g->nrows; r++) {
		const MatrixCell *f = &g->cells[g->row[r]];
		if (same(f->scenario, c->scenario) && same(f->variant, c->variant))
			return r;
	}
	g->row[g->nrows] = k;
	return g->nrows++;
}

/* Column of cell k, appended if its model is new.  O(columns) per call. */
static int grid_col(MatrixGrid *g, int k)
{
	for (int c = 0; c < g->ncols; c++)
		if (same(g->cells[g->col[c]].model, g->cells[k].model))
			return c;
	g->col[g->ncols] = k;
	return g->ncols++;
}

/* Rows and columns first, then which cell fills each slot. */
int rep_grid_build(MatrixGrid *g, const MatrixCell *cells, int n)
{
	g->cells = cells;
	g->row = malloc(((size_t)n + 1) * sizeof *g->row);
	g->col = malloc(((size_t)n + 1) * sizeof *g->col);
	if (!g->row || !g->col)
		return -1;
	for (int k = 0; k < n; k++) {
		grid_row(g, k);
		grid_col(g, k);
	}
	g->at = malloc(((size_t)g->nrows * (size_t)g->ncols + 1) * sizeof *g->at);
	if (!g->at)
		return -1;
	for (int i = 0; i < g->nrows * g->ncols; i++)
		g->at[i] = -1;
	for (int k = 0; k < n; k++) {
		int *slot = &g->at[grid_row(g, k) * g->ncols + grid_col(g, k)];
		if (*slot < 0)
			*slot = k;
	}
	return 0;
}

void rep_grid_free(MatrixGrid *g)
{
	free(g->row);
	free(g->col);
	free(g->at);
}

/* Text at row r (-1: the header) and column c (0 scenario, 1 variant, then
 * one per model): the outcomes, "none" if empty, "-" if no cell, with
 * " (incomplete)" after (in buf) if the cell is. */
static const char *grid_text(const MatrixGrid *g, int heads, int r, int c, char *buf, size_t len)
{
	int k;
	if (r < 0 && c >= 2 && heads) {
		const MatrixCell *m = &g->cells[g->col[c - 2]];
		const DirtyModel *d = m->model ? dirty_find(m->model) : NULL;
		snprintf(buf, len, "%s%s%s", d ? d->arch : "", d ? " " : "", str(m->model));
		return buf;
	}
	if (r < 0)
		return c == 0 ? "scenario" : c == 1 ? "variant"
		                : str(g->cells[g->col[c - 2]].model);
	if (c < 2) {
		const MatrixCell *m = &g->cells[g->row[r]];
		return str(c == 0 ? m->scenario : m->variant);
	}
	k = g->at[r * g->ncols + c - 2];
	if (k < 0)
		return "-";
	const char *s = *str(g->cells[k].outcomes) ? g->cells[k].outcomes : "none";
	if (!g->cells[k].incomplete)
		return s;
	snprintf(buf, len, "%s (incomplete)", s);
	return buf;
}

/* heads: the header names each model's architecture ("x86 blind"), as in
 * the table of multi-architecture scenarios. */
/* Prints row r (-1: header) padded to widths w.  Padding is written only
 * before a non-empty text, so no line ends in spaces. */
static void grid_line(FILE *out, const MatrixGrid *g, int heads, const size_t *w, int r)
{
	size_t pad = 0;
	for (int c = 0; c < g->ncols + 2; c++) {
		char buf[GRID_TEXT_MAX];
		const char *s = grid_text(g, heads, r, c, buf, sizeof buf);
		if (*s) {
			fprintf(out, "%*s%s", (int)pad, "", s);
			pad = 0;
		}
		pad += w[c] - strlen(s) + 2;
	}
	fputc('\n', out);
}

static void grid_dashes(FILE *out, const MatrixGrid *g, const size_t *w)
{
	for (int c = 0; c < g->ncols + 2; c++) {
		if (c)
			fputs("  ", out);
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', out);
	}
	fputc('\n', out);
}

/* Width of every column: its widest text, header included.  Caller frees. */
static size_t *grid_widths(const MatrixGrid *g, int heads)
{
	size_t *w = calloc((size_t)g->ncols + 2, sizeof *w);
	if (!w)
		return NULL;
	for (int c = 0; c < g->ncols + 2; c++)
		for (int r = -1; r < g->nrows; r++) {
			char buf[GRID_TEXT_MAX];
			size_t len = strlen(grid_text(g, heads, r, c, buf, sizeof buf));
			if (len > w[c])
				w[c] = len;
		}
	return w;
}

/* Prints one table: the header, a dashes line, then one line per
 * (scenario, variant).  Returns -1 if out of memory. */
static int table_print(FILE *out, const MatrixCell *cells, int n, int heads)
{
	MatrixGrid g = {0};
	size_t *w = NULL;
	int rc = -1;
	if (rep_grid_build(&g, cells, n) == 0 && (w = grid_widths(&g, heads))) {
		grid_line(out, &g, heads, w, -1);
		grid_dashes(out, &g, w);
		for (int r = 0; r < g.nrows; r++)
			grid_line(out, &g, heads, w, r);
		rc = 0;
	}
	free(w);
	rep_grid_free(&g);
	return rc;
}

/* The architecture of a cell's model (models of no architecture known to
 * this build, as from a newer database, go with NULL). */
static const Arch *cell_arch(const MatrixCell *c)
{
	const DirtyModel *m = c->model ? dirty_find(c->model) : NULL;
	return m ? dirty_arch(m) : NULL;
}

/* 1 if the scenario of cells[k] has cells of two architectures (a
 * multi-architecture machine.arch).  O(n) per call; n is a few hundred. */
static int cell_multi(const MatrixCell *cells, int n, int k)
{
	for (int i = 0; i < n; i++)
		if (same(cells[i].scenario, cells[k].scenario) && cell_arch(&cells[i]) != cell_arch(&cells[k]))
			return 1;
	return 0;
}

/* One table per architecture, in the architecture table's order (x86
 * first), then one for unknown models, then one of the multi-architecture
 * scenarios, a column per (architecture, model) headed "arm64 hafdbs";
 * tables are separated by an empty line.  Out of memory prints a one-line
 * note instead (the interface is void). */
void rep_matrix_print(FILE *out, const MatrixCell *cells, int n)
{
	MatrixCell *sub = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof *sub);
	int printed = 0, ok = sub != NULL;
	for (int a = 0; ok && a <= arch_count() + 1; a++) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (a <= arch_count() ? !cell_multi(cells, n, i) && cell_arch(&cells[i]) == arch_at(a)
			                      : cell_multi(cells, n, i))
				sub[k++] = cells[i];
		if (!k && (a != arch_count() || printed || n > 0))
			continue;
		if (printed++)
			fputc('\n', out);
		ok = table_print(out, sub, k, a > arch_count()) == 0;
	}
	if (!ok)
		fputs("matrix: out of memory\n", out);
	free(sub);
	for (int i = 0; i < n; i++)
		if (cells[i].incomplete) {
			fputs("\n(incomplete): a bound (--max-states, --max-memory) stopped the search, or it sampled "
			      "schedules (--random) or bounded their preemptions (--preemptions): the outcomes shown were "
			      "reached, the others are not known\n", out);
			break;
		}
}

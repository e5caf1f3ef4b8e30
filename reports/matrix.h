/* reports/matrix.h: the comparison matrix: rows are scenario and variant,
 * columns dirty-bit models, cells the reachable outcomes or "none".  Used
 * by `tlbsim compare` and `tlbsim db matrix`, so both print the same. */
#ifndef TLBSIM_MATRIX_H
#define TLBSIM_MATRIX_H
#include <stdio.h>

typedef struct MatrixCell {
	const char *scenario, *variant, *model;
	const char *outcomes;    /* comma-separated, sorted; "" means none */
	int incomplete;          /* a bound stopped the search: outcomes are
	                            those found, the others are not known */
} MatrixCell;

/* The matrix laid out over cells[]: row r is keyed like cells[row[r]],
 * column c like cells[col[c]], and at[r * ncols + c] is the index of the
 * cell shown at (r, c), or -1 for none.  The first of duplicate cells wins.
 * Rows and columns keep the order in which they first appear in cells. */
typedef struct MatrixGrid {
	const MatrixCell *cells;
	int nrows, ncols;
	int *row, *col, *at;
} MatrixGrid;

/* Lays out n cells (which must outlive g).  Returns 0, or -1 if out of
 * memory; free with rep_grid_free either way. */
int rep_grid_build(MatrixGrid *g, const MatrixCell *cells, int n);
void rep_grid_free(MatrixGrid *g);

/* Prints cells as a fixed-width text table.  Rows and columns keep the
 * order in which they first appear in cells.  An incomplete cell shows
 * " (incomplete)" after its outcomes, and a line after the tables says
 * what that means. */
void rep_matrix_print(FILE *out, const MatrixCell *cells, int n);

#endif

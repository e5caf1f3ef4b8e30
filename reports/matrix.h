/* reports/matrix.h: the comparison matrix: rows are scenario and variant,
 * columns dirty-bit models, cells the reachable outcomes or "none".  Used
 * by `tlbsim compare` and `tlbsim db matrix`, so both print the same. */
#ifndef TLBSIM_MATRIX_H
#define TLBSIM_MATRIX_H
#include <stdio.h>

typedef struct MatrixCell {
	const char *scenario, *variant, *model;
	const char *outcomes;    /* comma-separated, sorted; "" means none */
} MatrixCell;

/* Prints cells as a fixed-width text table.  Rows and columns keep the
 * order in which they first appear in cells. */
void rep_matrix_print(FILE *out, const MatrixCell *cells, int n);

#endif

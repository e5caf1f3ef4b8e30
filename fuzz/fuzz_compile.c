/* fuzz/fuzz_compile.c: libFuzzer harness for the loader and compiler.
 * Contract: the input bytes are a scenario's text (fuzz/fuzz_src.h);
 * scn_compile must return a Program or NULL with a one-line error, for
 * its first variant and then for every variant it names, without a crash,
 * a leak, a hang or an abort.  Deterministic; no state between calls. */
#include <stdint.h>
#include <string.h>
#include "scenarios/compile.h"
#include "fuzz/fuzz_src.h"

/* Compiles variant v of the input; 0 if it compiled.  A compile error
 * must be one non-empty line. */
static int fz_compile_one(const ScnSource *src, const char *variant, Program **out)
{
	char err[1024] = "";
	Program *P = scn_compile(FUZZ_SCN_PATH, variant, src, err, sizeof err);
	if (!P && (!err[0] || strchr(err, '\n')))
		abort();   /* the error contract is broken: report it as a crash */
	*out = P;
	return P ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	FuzzText t = { data, size };
	ScnSource src = { .read = fuzz_read, .ctx = &t };
	Program *P;
	if (fz_compile_one(&src, NULL, &P) < 0)
		return 0;
	for (int v = 0; v < P->nvariants; v++) {
		Program *Q;
		if (fz_compile_one(&src, P->variants[v], &Q) == 0)
			prog_free(Q);
	}
	prog_free(P);
	return 0;
}

/* fuzz/fuzz_sched.c: libFuzzer harness for the schedule-string parser.
 * Contract: sched_parse on any NUL-terminated text returns a count with a
 * malloc'd array, or -1 with a one-line error; a parsed schedule prints
 * (sched_format) and parses back to the same choices.  No crash, leak or
 * abort; deterministic; no state between calls. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sim/sched.h"

/* A schedule printed and parsed again must give the same choices. */
static void fz_roundtrip(const Choice *ch, int n)
{
	size_t len = (size_t)n * 8 + 16;
	char *buf = malloc(len), err[256];
	Choice *again = NULL;
	if (!buf)
		abort();
	sched_format(ch, n, buf, len);
	int m = sched_parse(buf, &again, err, sizeof err);
	if (m != n || (n && memcmp(ch, again, sizeof *ch * (size_t)n)))
		abort();
	free(again);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *s = malloc(size + 1), err[256] = "";
	Choice *ch = NULL;
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = 0;
	int n = sched_parse(s, &ch, err, sizeof err);
	if (n < 0 && (!err[0] || strchr(err, '\n')))
		abort();
	if (n >= 0)
		fz_roundtrip(ch, n);
	free(ch);
	free(s);
	return 0;
}

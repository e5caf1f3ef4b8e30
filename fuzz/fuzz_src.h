/* fuzz/fuzz_src.h: the in-memory scenario source the libFuzzer harnesses
 * share.  The fuzz input is the text of FUZZ_SCN_PATH; an include is read
 * from the disk only when it names a regular file below scenarios/lib/
 * (relative to the working directory, the repository's top: `make fuzz`
 * and tests/fuzz-replay.sh run there), so a seed's includes resolve and
 * no input can make a harness read anything else.  No state outlives a
 * call: the source's context is the caller's FuzzText. */
#ifndef TLBSIM_FUZZ_SRC_H
#define TLBSIM_FUZZ_SRC_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "scenarios/yaml.h"

#define FUZZ_SCN_PATH "scenarios/fuzz-input.yaml"
#define FUZZ_MAX_INPUT (64u << 10)   /* a scenario is small; bounds time */

typedef struct FuzzText { const uint8_t *data; size_t size; } FuzzText;

/* 1 if path is a library file the harness may read: scenarios/lib/NAME
 * with no ".." component (paths arrive normalised by ypath_join). */
static int fuzz_lib_ok(const char *path)
{
	const char *pre = "scenarios/lib/";
	return !strncmp(path, pre, strlen(pre)) && !strstr(path, "..") && !strchr(path + strlen(pre), '/');
}

/* ScnSource.read: a malloc'd NUL-terminated copy of the fuzz input for
 * FUZZ_SCN_PATH, a library file from the disk, or NULL. */
static char *fuzz_read(void *ctx, const char *path, size_t *len)
{
	const FuzzText *t = ctx;
	if (!strcmp(path, FUZZ_SCN_PATH)) {
		char *s = malloc(t->size + 1);
		if (!s)
			abort();
		memcpy(s, t->data, t->size);
		s[t->size] = 0;
		*len = t->size;
		return s;
	}
	char why[128];
	return fuzz_lib_ok(path) ? yfile_read(path, 0, len, why, sizeof why) : NULL;
}
#endif

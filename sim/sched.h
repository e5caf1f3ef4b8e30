/* sim/sched.h: schedule strings, the human-editable form of a sequence of
 * scheduling choices: space-separated tokens, "N" for "CPU#N takes its
 * next step", "iN" for "CPU#N takes its pending flush IPIs".
 * Example (seed race 1, old code, blind CPU): "0 0 1 0 i1 1 0 0". */
#ifndef TLBSIM_SCHED_H
#define TLBSIM_SCHED_H
#include <stddef.h>
#include "sim/exec.h"

/* Writes the schedule into buf (always NUL-terminated); returns buf. */
char *sched_format(const Choice *ch, int n, char *buf, size_t len);
/* Parses s into *out (malloc'd); returns the count, or -1 with err set
 * ("schedule: token 3 'x1': ..."). */
int sched_parse(const char *s, Choice **out, char *err, size_t errlen);

#endif

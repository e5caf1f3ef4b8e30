/* reports/timeline.h: a trace as per-CPU columns, the way LKML draws
 * races (seed 004): one step per line in its CPU's column, indented by
 * call depth, with the YAML line it came from at the left, and the PTE in
 * hex under every step that changed it. */
#ifndef TLBSIM_TIMELINE_H
#define TLBSIM_TIMELINE_H
#include <stdio.h>
#include "sim/exec.h"

/* Prints t for P.  show_time adds the simulated cycle of each event. */
void rep_timeline(FILE *out, const Program *P, const Trace *t, int show_time);
/* Prints the end state: every PTE in hex, page flags and content versions. */
void rep_end_state(FILE *out, const Sim *S, uint8_t *w);
/* Names of the outcomes in mask, comma-separated ("" if none). */
char *rep_outcome_list(const Program *P, uint32_t mask, char *buf, size_t len);

#endif

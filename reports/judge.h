/* reports/judge.h: compares what exploration observed with what the
 * scenario says it expects, herd7 style (never / sometimes / always). */
#ifndef TLBSIM_JUDGE_H
#define TLBSIM_JUDGE_H
#include <stdio.h>
#include <stdint.h>
#include "sim/program.h"

/* Checks every expectation of P (compiled for one variant) that applies to
 * model, against reach (outcomes in some end state) and always (in every
 * end state).  Prints "ok" / "FAIL" lines; adds to *passed and *failed;
 * returns the number that failed. */
int judge(FILE *out, const Program *P, const char *model, uint32_t reach, uint32_t always,
          int *passed, int *failed);
/* For an exploration that reached no end state (every schedule runs
 * forever): expectations of livelock are judged as judge() does; the
 * others cannot be, and a `never` would hold vacuously, so if any of
 * them applies it prints one FAIL line, adds to *failed and returns 1,
 * else 0. */
int judge_no_end_state(FILE *out, const Program *P, const char *model, uint32_t reach, uint32_t always,
                       int *passed, int *failed);
/* The outcomes reach shows that no expectation applying to model names
 * (check fails on each), or 0 when an applying entry says others: any. */
uint32_t judge_unexpected(const Program *P, const char *model, uint32_t reach);
/* "never" / "sometimes" / "always" for what was observed of outcome o. */
const char *judge_observed(uint32_t reach, uint32_t always, int o);

#endif

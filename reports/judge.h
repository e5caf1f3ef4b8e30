/* reports/judge.h: compares what exploration observed with what the
 * scenario says it expects, herd7 style (never / sometimes / always). */
#ifndef TLBSIM_JUDGE_H
#define TLBSIM_JUDGE_H
#include <stdio.h>
#include <stdint.h>
#include "sim/program.h"
#include "sim/explore.h"

/* What judging adds up.  unknown: expectations a search stopped by a
 * bound cannot decide (a `never` not yet contradicted, say). */
typedef struct JudgeCount { int passed, failed, unknown; } JudgeCount;

/* Checks every expectation of P (compiled for one variant) that applies to
 * model, against exploration R: reach (outcomes in some end state) and
 * always (in every end state).  Of a search a bound stopped (R->stop),
 * only what its end states show decides: an outcome reached passes
 * `sometimes` and fails `never`, an end state without it fails `always`;
 * the rest are unknown.  Prints "ok" / "FAIL" / "incomplete" lines, adds
 * to *n and returns the number that failed. */
int judge(FILE *out, const Program *P, const char *model, const ExploreResult *R, JudgeCount *n);
/* For a complete exploration that reached no end state (every schedule
 * runs forever): expectations of livelock are judged as judge() does; the
 * others cannot be, and a `never` would hold vacuously, so if any of
 * them applies it prints one FAIL line, adds to n->failed and returns 1,
 * else 0. */
int judge_no_end_state(FILE *out, const Program *P, const char *model, const ExploreResult *R, JudgeCount *n);
/* The outcomes reach shows that no expectation applying to model names
 * (check fails on each), or 0 when an applying entry says others: any. */
uint32_t judge_unexpected(const Program *P, const char *model, uint32_t reach);
/* "never" / "sometimes" / "always" for what R observed of outcome o; of
 * a search a bound stopped, "sometimes" if reached, else "unknown". */
const char *judge_observed(const ExploreResult *R, int o);

#endif

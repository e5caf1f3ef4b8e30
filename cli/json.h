/* cli/json.h: machine-readable output (--format json|herd; docs/json.md).
 * JSON: one document per command, schema version JSON_SCHEMA, every
 * string valid JSON and valid UTF-8 whatever bytes it came from.  herd:
 * one line per outcome of each exploration, as herd7 prints a test's
 * verdict.  Deterministic: no times, no database ids. */
#ifndef TLBSIM_CLI_JSON_H
#define TLBSIM_CLI_JSON_H
#include <stdio.h>
#include "cli/batch.h"
#include "sim/run.h"

#define JSON_SCHEMA 1

/* Writes len bytes of s as a JSON string: quotes and backslashes escaped,
 * control characters as \uXXXX (\n, \t, \r as such), bytes that are not
 * UTF-8 (or encode a surrogate or more than U+10FFFF) as \ufffd. */
void json_str(FILE *out, const char *s, size_t len);
/* "key": s, a JSON string or null for NULL; key NULL: the value only. */
void json_key_str(FILE *out, const char *key, const char *s);
/* The explorations of b as one JSON document for command cmd. */
void json_batch(FILE *out, const char *cmd, const Batch *b);
/* The pieces of a document: its opening fields, b's "explorations"
 * array, an array of text's lines under key; the caller closes it. */
void json_begin(FILE *out, const char *cmd);
void json_explorations(FILE *out, const Batch *b);
void json_lines(FILE *out, const char *key, const char *text);
/* A timed run of P as one JSON document (docs/json.md). */
void json_run(FILE *out, const Program *P, const char *model, uint64_t seed, const RunResult *r,
              const char *sched, const char *hash, const char *timeline);
/* The explorations of b as herd-style lines:
 *   Test SCN VARIANT MODEL
 *   States N                 (distinct end states)
 *   Observation SCN VARIANT MODEL OUTCOME Never|Sometimes|Always COUNT TOTAL */
void json_herd(FILE *out, const Batch *b);
/* "text", "json" or "herd" to 0, 1, 2; -1 (after a usage line) otherwise. */
int json_format(const char *cmd, const char *name, int allow_herd);

#endif

/* scenarios/compile.h: scenario YAML -> immutable step Program.
 * Compile errors come back as one "file:line:col: what is wrong" line;
 * they never reach the simulator, which only ever sees a valid Program. */
#ifndef TLBSIM_COMPILE_H
#define TLBSIM_COMPILE_H
#include <stddef.h>
#include "sim/program.h"
#include "scenarios/yaml.h"

/* Compiles the scenario at path for one variant (NULL: its first).
 * src NULL reads the disk; a database record can stand in (replay).
 * Returns the Program (free with prog_free), or NULL with err set. */
Program *scn_compile(const char *path, const char *variant, const ScnSource *src,
                     char *err, size_t errlen);
/* As scn_compile, for the architecture arch of a multi-architecture
 * machine.arch list (NULL, or one the list does not name: its first). */
Program *scn_compile_arch(const char *path, const char *variant, const char *arch, const ScnSource *src,
                          char *err, size_t errlen);
/* The architecture name a dirty-bit model runs on, NULL if model is NULL
 * or unknown (the argument commands with --model give scn_compile_arch). */
const char *scn_model_arch(const char *model);
/* 1 if the file at path is a scenario (has a top-level `scenario:` key),
 * 0 if it is something else (a library), -1 if it cannot be read (as
 * yfile_read with the bound max). */
int scn_is_scenario(const char *path, size_t max);

#endif

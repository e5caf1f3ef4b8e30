/* tests/unit/helpers.h: shared helpers of the unit tests (header only,
 * static inline functions, so that a test file may leave some unused): scenario text written to temporary files under /tmp,
 * compiled, and the files removed again; small lookups over a Program and
 * a world; the SimFx fixture (a scenario compiled, set up for a model, then
 * stepped, run or explored).  Include after <cmocka.h>. */
#ifndef TLBSIM_TEST_HELPERS_H
#define TLBSIM_TEST_HELPERS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "scenarios/compile.h"
#include "sim/program.h"
#include "sim/world.h"
#include "sim/exec.h"
#include "sim/explore.h"

/* The architecture table called name (the test fails if there is none). */
static inline const Arch *arch(const char *name)
{
	const Arch *a = arch_find(name);
	assert_non_null(a);
	return a;
}

/* Writes text to a fresh file /tmp/tlbsim_unit_XXXXXX (mkstemp); the name
 * goes into path (size >= 64).  Fails the test on any I/O error. */
static inline void tmp_write(char *path, size_t n, const char *text)
{
	snprintf(path, n, "/tmp/tlbsim_unit_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t len = strlen(text);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* Writes text to dir/rel (creating the one folder level of rel, if any). */
static inline void tmp_write_at(const char *dir, const char *rel, const char *text)
{
	char path[512];
	const char *slash = strrchr(rel, '/');
	if (slash) {
		snprintf(path, sizeof path, "%s/%.*s", dir, (int)(slash - rel), rel);
		mkdir(path, 0700);
	}
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Compiles text as a scenario (variant NULL: its first).  The temporary
 * file's name goes into path (size >= 64; may be NULL); the file is removed
 * before returning.  Returns the Program or NULL with err set. */
static inline Program *compile_text_at(const char *text, const char *variant, char *path,
                                char *err, size_t errlen)
{
	char buf[64];
	char *p = path ? path : buf;
	tmp_write(p, 64, text);
	Program *P = scn_compile(p, variant, NULL, err, errlen);
	unlink(p);
	return P;
}

/* Compiles text and fails the test with the compiler's message if it
 * does not compile. */
static inline Program *compile_ok(const char *text, const char *variant)
{
	char err[1024] = "";
	Program *P = compile_text_at(text, variant, NULL, err, sizeof err);
	if (!P)
		fail_msg("scenario does not compile: %s", err);
	return P;
}

/* Compiles text, which must fail; returns the message with every
 * occurrence of the temporary path replaced by "F" (so "F:7:9: what"). */
static inline void compile_err(const char *text, const char *variant, char *msg, size_t n)
{
	char path[64], err[1024] = "";
	Program *P = compile_text_at(text, variant, path, err, sizeof err);
	if (P) {
		prog_free(P);
		fail_msg("scenario compiled, expected an error");
	}
	size_t pl = strlen(path), k = 0;
	for (const char *e = err; *e && k + 1 < n; )
		if (!strncmp(e, path, pl)) {
			msg[k++] = 'F';
			e += pl;
		} else {
			msg[k++] = *e++;
		}
	msg[k] = 0;
}

/* Index of the first procedure called name, or -1. */
static inline int find_proc(const Program *P, const char *name)
{
	for (int i = 0; i < P->nprocs; i++)
		if (!strcmp(P->procs[i].name, name))
			return i;
	return -1;
}

/* Index of the nth (0-based) step with opcode op in procedure proc (-1:
 * any procedure), or -1. */
static inline int find_step(const Program *P, int proc, int op, int nth)
{
	for (int i = 0; i < P->nsteps; i++)
		if (P->steps[i].op == op && (proc < 0 || P->steps[i].proc == proc) && nth-- == 0)
			return i;
	return -1;
}

/* Register slot of local name in procedure proc, or -1. */
static inline int find_local(const Program *P, int proc, const char *name)
{
	for (int i = 0; i < P->procs[proc].nlocals; i++)
		if (!strcmp(P->procs[proc].locals[i], name))
			return i;
	return -1;
}

/* World accessors for tests. */
static inline pte_t w_pte(const Layout *L, uint8_t *w, int slot)
{
	return ((pte_t *)(w + L->pte))[slot];
}

static inline PageState *w_page(const Layout *L, uint8_t *w, int pfn)
{
	return (PageState *)(w + L->page) + pfn;
}

/* sim_init that must succeed. */
static inline void sim_ok(Sim *S, const Program *P, const char *model)
{
	char err[256] = "";
	if (sim_init(S, P, model, err, sizeof err) < 0)
		fail_msg("sim_init: %s", err);
}

/* The enabled choices of w as a schedule string ("0 i1"), into buf. */
static inline const char *enabled_str(Sim *S, uint8_t *w, char *buf, size_t n)
{
	Choice ch[MAX_CHOICES];
	int k = sim_enabled(S, w, ch);
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; i < k && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s%d", i ? " " : "",
		                        CH_IS_IPI(ch[i]) ? "i" : "", CH_CPU(ch[i]));
	return buf;
}

/* 1-based line of the first line of text containing needle (which must
 * occur). */
static inline int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	assert_non_null(at);
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* 1-based column, in its line, of the first occurrence of needle in text
 * (which must occur): an error names a statement by where its text
 * starts. */
static inline int col_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	assert_non_null(at);
	const char *bol = at;
	while (bol > text && bol[-1] != '\n')
		bol--;
	return (int)(at - bol) + 1;
}

/* ---- SimFx: one scenario under test ---- */

/* Its text and temporary file name (for the messages that name it), the
 * Program and the Sim, and what a test made of them: the world (fx_start),
 * a trace (the test points S.trace at t), an exploration's result.  All
 * zero: nothing held (fx_finish frees whatever is set). */
typedef struct SimFx {
	char path[64];
	const char *text;
	Program *P;
	Sim S;
	uint8_t *w;
	Trace t;
	ExploreResult R;
} SimFx;

/* Zeroes *f, compiles text (variant NULL: its first) and sets up its Sim
 * for model.  Fails the test with "compile: <message>" or the sim_ok
 * message; f->P is set before sim_init, so a teardown frees it. */
static inline void fx_setup(SimFx *f, const char *text, const char *variant, const char *model)
{
	char err[1024] = "";
	memset(f, 0, sizeof *f);
	f->text = text;
	f->P = compile_text_at(text, variant, f->path, err, sizeof err);
	if (!f->P)
		fail_msg("compile: %s", err);
	sim_ok(&f->S, f->P, model);
}

/* fx_setup, then a fresh world from sim_start, which must succeed
 * ("sim_start: <error>"): the CPUs parked at their first choices. */
static inline void fx_start(SimFx *f, const char *text, const char *variant, const char *model)
{
	fx_setup(f, text, variant, model);
	f->w = calloc(1, f->S.L.size);
	assert_non_null(f->w);
	if (sim_start(&f->S, f->w) < 0)
		fail_msg("sim_start: %s", f->S.err);
}

/* Frees all that f holds and zeroes it (f->P == NULL afterwards). */
static inline void fx_finish(SimFx *f)
{
	explore_free(&f->R);
	trace_free(&f->t);
	free(f->w);
	sim_free(&f->S);
	prog_free(f->P);
	memset(f, 0, sizeof *f);
}

/* For a teardown: finishes those of the n fixtures f[0..n-1] that a
 * failed test left holding something (P set). */
static inline void fx_cleanup(SimFx *f, int n)
{
	for (int i = 0; i < n; i++)
		if (f[i].P)
			fx_finish(&f[i]);
}

/* sim_apply of ch to f's world, which must succeed: fails the test with
 * "sim_apply(<choice>): <error>" (choice as in a schedule: "0", "i1"). */
static inline void fx_apply(SimFx *f, Choice ch)
{
	if (sim_apply(&f->S, f->w, ch) < 0)
		fail_msg("sim_apply(%s%d): %s", CH_IS_IPI(ch) ? "i" : "", CH_CPU(ch), f->S.err);
}

/* The enabled choices of f's world as a schedule string (enabled_str), in
 * a static buffer that the next call overwrites. */
static inline const char *fx_enabled(SimFx *f)
{
	static char buf[256];
	return enabled_str(&f->S, f->w, buf, sizeof buf);
}

/* Applies the first enabled choice until none is left (fewer than 1000
 * of them); returns the outcomes of the end state, which must be computed
 * without error ("sim_outcomes: <error>"). */
static inline uint32_t fx_run_to_end(SimFx *f)
{
	Choice ch[MAX_CHOICES];
	int k = 0;
	while (sim_enabled(&f->S, f->w, ch) > 0) {
		assert_true(++k < 1000);
		fx_apply(f, ch[0]);
	}
	uint32_t o = sim_outcomes(&f->S, f->w);
	if (f->S.failed)
		fail_msg("sim_outcomes: %s", f->S.err);
	return o;
}

/* fx_setup of text (its first variant), then explore with the bound
 * max_states (0: none) into f->R; returns what explore returns (-1 with
 * f->S.err set). */
static inline int fx_explore(SimFx *f, const char *text, const char *model, uint64_t max_states)
{
	ExploreOpts o = { .max_states = max_states };
	fx_setup(f, text, NULL, model);
	return explore(&f->S, &o, &f->R);
}

/* fx_explore with no bound, which must succeed ("explore: <error>"). */
static inline void fx_explore_ok(SimFx *f, const char *text, const char *model)
{
	if (fx_explore(f, text, model, 0) < 0)
		fail_msg("explore: %s", f->S.err);
}

#endif

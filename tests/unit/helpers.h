/* tests/unit/helpers.h: shared helpers of the unit tests (header only,
 * static inline functions, so that a test file may leave some unused): scenario text written to temporary files under /tmp,
 * compiled, and the files removed again; small lookups over a Program and
 * a world.  Include after <cmocka.h>. */
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

#endif

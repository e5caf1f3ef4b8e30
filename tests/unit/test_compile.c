/* tests/unit/test_compile.c: unit tests of scenarios/compile.c (and the
 * include handling of scenarios/yaml.c): small scenarios are written to
 * temporary files, compiled, and the Program checked step by step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "helpers.h"
#include "scenarios/compile.h"
#include "scenarios/yaml.h"
#include "sim/program.h"

/* The machine every small scenario below starts with. */
#define HEAD \
	"scenario: t\n" \
	"machine: {cpus: 1}\n" \
	"mms: [mm]\n"

/* A CPU program, for scenarios that need one but test something else. */
#define ONECPU \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    body: [\"x = 1\"]\n"

static void assert_reg(const Operand *o, int slot)
{
	assert_int_equal(o->kind, OPD_REG);
	assert_int_equal(o->v, (uint64_t)slot);
}

static void assert_const(const Operand *o, uint64_t v)
{
	assert_int_equal(o->kind, OPD_CONST);
	assert_int_equal(o->v, v);
}

/* ---- the machine ---- */

static void test_minimal(void **state)
{
	(void)state;
	char path[64], err[512] = "";
	Program *P = compile_text_at(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"x = 1\"\n", NULL, path, err, sizeof err);
	if (!P)
		fail_msg("%s", err);
	assert_string_equal(err, "");
	assert_string_equal(P->name, "t");
	assert_null(P->variant);
	assert_int_equal(P->nvariants, 0);
	assert_int_equal(P->ncpu, 1);
	assert_int_equal(P->tlb_size, 8);               /* default */
	assert_int_equal(P->nmodels, 2);
	assert_string_equal(P->models[0], "validating");
	assert_string_equal(P->models[1], "blind");
	assert_int_equal(P->nfiles, 1);
	assert_string_equal(P->files[0].path, path);
	assert_int_equal(strlen(P->hash), 32);
	assert_int_equal(P->fault_handler, -1);
	assert_int_equal(P->nmms, 1);
	assert_string_equal(P->mms[0], "mm");
	/* one page-table lock per mm, named plainly with one mm */
	assert_int_equal(P->nlocks, 1);
	assert_string_equal(P->locks[0].name, "ptl");
	assert_int_equal(P->locks[0].mm, 0);
	/* the built-in outcomes, in their enum order */
	assert_int_equal(P->noutcomes, OUT__BUILTIN);
	assert_string_equal(P->outcomes[OUT_LOST_DIRTY].name, "lost_dirty");
	assert_string_equal(P->outcomes[OUT_DIRTY_NONPRESENT_PTE].name, "dirty_nonpresent_pte");
	assert_string_equal(P->outcomes[OUT_STALE_TLB_WRITE].name, "stale_tlb_write");
	assert_string_equal(P->outcomes[OUT_DEADLOCK].name, "deadlock");
	assert_string_equal(P->outcomes[OUT_BUG_ON].name, "bug_on");
	/* default costs */
	assert_int_equal(P->cost.walk, 30);
	assert_int_equal(P->cost.jitter_pct, 20);
	/* CPU#0: x = 1, then the implicit return */
	assert_int_equal(P->nprocs, 1);
	assert_string_equal(P->procs[0].name, "CPU#0");
	assert_int_equal(P->cpus[0].proc, 0);
	assert_int_equal(P->cpus[0].mm, -1);
	assert_int_equal(P->cpus[0].model, -1);
	assert_int_equal(P->nsteps, 2);
	assert_int_equal(P->steps[0].op, OP_MOV);
	assert_int_equal(P->steps[0].dst, 0);
	assert_int_equal(P->steps[0].dst_or, 0);
	assert_const(&P->steps[0].a[0], 1);
	assert_string_equal(P->steps[0].text, "x = 1");
	/* where it was written: line 7, column of the x inside the quotes */
	assert_int_equal(P->steps[0].line, 7);
	assert_int_equal(P->steps[0].col, 10);
	assert_int_equal(P->steps[1].op, OP_RET);
	assert_int_equal(P->steps[1].nargs, 0);
	assert_int_equal(P->procs[0].entry, 0);
	assert_int_equal(P->procs[0].nlocals, 1);
	assert_string_equal(P->procs[0].locals[0], "x");
	prog_free(P);
}

static void test_machine_objects(void **state)
{
	(void)state;
	Program *P = compile_ok(
		"scenario: objs\n"
		"machine:\n"
		"  cpus: 3\n"
		"  tlb_entries: 2\n"
		"  models: [blind]\n"
		"  cost: {walk: 7, jitter_pct: 0}\n"
		"mms: [a, b]\n"
		"files:\n"
		"  - name: f\n"
		"    size: 8192\n"
		"    pages:\n"
		"      - {name: p0, index: 0, flags: [PG_dirty]}\n"
		"      - {name: p1, index: 1}\n"
		"vmas:\n"
		"  - {name: v, mm: a, start: 0x10000, pages: 2, file: f}\n"
		"  - {name: w, mm: b, start: 0x10000, pages: 1}\n"
		"ptes:\n"
		"  - {mm: a, addr: 0x11000, page: p1, prot: 0x25}\n"
		"  - {mm: b, addr: 0x10000, value: 0x40}\n"
		"tlb:\n"
		"  - {cpu: 2, mm: a, addr: 0x11000, writable: false}\n"
		"locks: [l1, l2]\n"
		"cpus:\n"
		"  - cpu: 2\n"
		"    mm: a\n"
		"    model: validating\n"
		"    body: [\"spin_lock(l2)\", \"spin_unlock(l2)\"]\n", NULL);
	assert_int_equal(P->ncpu, 3);
	assert_int_equal(P->tlb_size, 2);
	assert_int_equal(P->nmodels, 1);
	assert_string_equal(P->models[0], "blind");
	assert_int_equal(P->cost.walk, 7);
	assert_int_equal(P->cost.jitter_pct, 0);
	assert_int_equal(P->cost.io, 1000);            /* not given: default */
	assert_int_equal(P->nfilesys, 1);
	assert_int_equal(P->filesys[0].npages, 2);
	assert_int_equal(P->nslots, 2);
	assert_int_equal(P->npages, 2);
	assert_int_equal(P->pages[0].flags, PG_dirty);
	assert_int_equal(P->pages[1].index, 1);
	assert_int_equal(P->nvmas, 2);
	assert_int_equal(P->vmas[0].end, 0x12000);
	assert_int_equal(P->vmas[0].file, 0);
	assert_int_equal(P->vmas[1].file, -1);
	assert_int_equal(P->vmas[1].first_pte, 2);
	assert_int_equal(P->npte, 3);
	/* pfn = page index + 1 */
	assert_int_equal(P->ptes[0].val, 0x2025);
	assert_int_equal(P->ptes[1].val, 0x40);
	assert_int_equal(P->ntlbs, 1);
	assert_int_equal(P->tlbs[0].cpu, 2);
	assert_int_equal(P->tlbs[0].w, 0);
	/* two mms: the PTLs carry the mm name; then the scenario's locks */
	assert_int_equal(P->nlocks, 4);
	assert_string_equal(P->locks[0].name, "ptl(a)");
	assert_string_equal(P->locks[1].name, "ptl(b)");
	assert_string_equal(P->locks[3].name, "l2");
	assert_int_equal(P->locks[3].mm, -1);
	/* CPUs without a program */
	assert_int_equal(P->cpus[0].proc, -1);
	assert_int_equal(P->cpus[1].proc, -1);
	assert_int_equal(P->cpus[2].mm, 0);
	assert_int_equal(P->cpus[2].model, 0);         /* dirty_model(0): validating */
	/* named objects are constants with their kind */
	int s = find_step(P, -1, OP_SPIN_LOCK, 0);
	assert_true(s >= 0);
	assert_const(&P->steps[s].a[0], h_make(HK_LOCK, 3));
	prog_free(P);
}

/* ---- control flow ---- */

static void test_if_else(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"a = 1\"\n"
		"      - if: \"a\"\n"
		"        then: [\"b = 2\"]\n"
		"        else: [\"b = 3\"]\n"
		"      - \"c = 4\"\n", NULL);
	/* 0 a=1; 1 if a -> 4; 2 b=2; 3 goto 5; 4 b=3; 5 c=4; 6 return */
	assert_int_equal(P->nsteps, 7);
	const Step *s = P->steps;
	assert_int_equal(s[1].op, OP_JZ);
	assert_reg(&s[1].a[0], 0);
	assert_int_equal(s[1].target, 4);
	assert_int_equal(s[1].dst, -1);                /* a plain register: no temp */
	assert_int_equal(s[2].op, OP_MOV);
	assert_const(&s[2].a[0], 2);
	assert_int_equal(s[3].op, OP_JMP);
	assert_int_equal(s[3].target, 5);
	assert_int_equal(s[4].op, OP_MOV);
	assert_const(&s[4].a[0], 3);
	assert_int_equal(s[2].dst, s[4].dst);          /* the same register b */
	assert_int_equal(s[5].op, OP_MOV);
	assert_int_equal(s[6].op, OP_RET);
	assert_int_equal(P->procs[0].nlocals, 3);
	prog_free(P);
}

static void test_if_call_condition(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"e = 0x1067\"\n"
		"      - if: \"pte_dirty(e)\"\n"
		"        then: [\"x = 1\"]\n"
		"      - if: \"!e\"\n"
		"        then: [\"x = 2\"]\n", NULL);
	/* 0 e=; 1 pte_dirty -> tmp; 2 if tmp -> 4; 3 x=1; 4 !e -> tmp;
	 * 5 if tmp -> 7; 6 x=2; 7 return */
	assert_int_equal(P->nsteps, 8);
	const Step *s = P->steps;
	int tmp = find_local(P, 0, "(t0)");
	assert_true(tmp >= 0);
	assert_int_equal(s[1].op, OP_PTE_DIRTY);
	assert_int_equal(s[1].dst, tmp);
	assert_reg(&s[1].a[0], 0);
	assert_int_equal(s[2].op, OP_JZ);
	assert_reg(&s[2].a[0], tmp);
	assert_int_equal(s[2].target, 4);
	assert_true(s[2].dead >> tmp & 1);             /* the temp is dead after the JZ: zeroed */
	assert_int_equal(s[4].op, OP_NOT);
	assert_reg(&s[4].a[0], 0);
	assert_int_equal(s[4].dst, tmp);
	assert_int_equal(s[5].op, OP_JZ);
	assert_int_equal(s[5].target, 7);
	assert_int_equal(s[7].op, OP_RET);
	/* one temp for the whole procedure: e, (t0), x */
	assert_int_equal(P->procs[0].nlocals, 3);
	prog_free(P);
}

static void test_loop_break_continue(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - loop:\n"
		"          - \"x = 1\"\n"
		"          - if: \"x\"\n"
		"            then: [break]\n"
		"          - continue\n"
		"      - \"y = 2\"\n", NULL);
	/* 0 x=1; 1 if x -> 3; 2 break -> 5; 3 continue -> 0; 4 loop -> 0;
	 * 5 y=2; 6 return */
	assert_int_equal(P->nsteps, 7);
	const Step *s = P->steps;
	assert_int_equal(s[1].op, OP_JZ);
	assert_int_equal(s[1].target, 3);
	assert_int_equal(s[2].op, OP_JMP);
	assert_int_equal(s[2].target, 5);
	assert_string_equal(s[2].text, "break");
	assert_int_equal(s[3].op, OP_JMP);
	assert_int_equal(s[3].target, 0);
	assert_int_equal(s[4].op, OP_JMP);
	assert_int_equal(s[4].target, 0);
	assert_int_equal(s[5].op, OP_MOV);
	prog_free(P);
}

static void test_while_nested(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"i = 1\"\n"
		"      - while: \"i\"\n"
		"        do:\n"
		"          - loop:\n"
		"              - break\n"
		"          - \"i = 0\"\n"
		"          - if: \"i\"\n"
		"            then: [continue]\n"
		"      - \"j = 1\"\n", NULL);
	/* 0 i=1; 1 while i -> 8; 2 break -> 4; 3 loop -> 2; 4 i=0;
	 * 5 if i -> 7; 6 continue -> 1; 7 while -> 1; 8 j=1; 9 return */
	assert_int_equal(P->nsteps, 10);
	const Step *s = P->steps;
	assert_int_equal(s[1].op, OP_JZ);
	assert_int_equal(s[1].target, 8);
	assert_int_equal(s[2].op, OP_JMP);
	assert_int_equal(s[2].target, 4);              /* the inner loop's end */
	assert_int_equal(s[3].op, OP_JMP);
	assert_int_equal(s[3].target, 2);
	assert_int_equal(s[5].op, OP_JZ);
	assert_int_equal(s[5].target, 7);
	assert_int_equal(s[6].op, OP_JMP);
	assert_int_equal(s[6].target, 1);              /* continue: the test */
	assert_int_equal(s[7].op, OP_JMP);
	assert_int_equal(s[7].target, 1);
	assert_int_equal(s[8].op, OP_MOV);
	prog_free(P);
}

/* ---- statements, registers, calls ---- */

static void test_dst_or(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"r = 0\"\n"
		"      - \"e = 0x1067\"\n"
		"      - \"r |= pte_dirty(e)\"\n"
		"      - \"r = pte_dirty(e)\"\n"
		"      - \"r |= 4\"\n"
		"      - \"n = !r\"\n", NULL);
	const Step *s = P->steps;
	assert_int_equal(s[2].op, OP_PTE_DIRTY);
	assert_int_equal(s[2].dst, 0);
	assert_int_equal(s[2].dst_or, 1);
	assert_reg(&s[2].a[0], 1);
	assert_int_equal(s[3].op, OP_PTE_DIRTY);
	assert_int_equal(s[3].dst_or, 0);
	assert_int_equal(s[4].op, OP_MOV);
	assert_int_equal(s[4].dst_or, 1);
	assert_const(&s[4].a[0], 4);
	assert_int_equal(s[5].op, OP_NOT);
	assert_int_equal(s[5].dst, 2);
	assert_reg(&s[5].a[0], 0);
	prog_free(P);
}

static void test_named_constants(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"files:\n"
		"  - name: f\n"
		"    pages: [{name: pg, index: 0}]\n"
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x10000, file: f}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"a = _PAGE_DIRTY\"\n"
		"      - \"b = true\"\n"
		"      - \"c = NULL\"\n"
		"      - \"d = mk_pte(pg, 0x27)\"\n"
		"      - \"e = ptep_get(v, 0x10000)\"\n"
		"      - \"pg = 5\"\n"
		"      - \"g = pg\"\n", NULL);
	const Step *s = P->steps;
	assert_const(&s[0].a[0], 0x40);
	assert_const(&s[1].a[0], 1);
	assert_const(&s[2].a[0], 0);
	assert_int_equal(s[3].op, OP_MK_PTE);
	assert_const(&s[3].a[0], h_make(HK_PAGE, 1));
	assert_const(&s[3].a[1], 0x27);
	assert_int_equal(s[4].op, OP_PTEP_GET);
	assert_const(&s[4].a[0], h_make(HK_VMA, 0));
	/* once a register is called pg, pg means the register */
	assert_int_equal(s[6].op, OP_MOV);
	assert_reg(&s[6].a[0], find_local(P, 0, "pg"));
	prog_free(P);
}

static void test_procedure_call_registers(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"r = f(1, 2)\"\n"
		"      - \"g()\"\n"
		"      - \"BUG_ON(r)\"\n"
		"procedures:\n"
		"  - name: f\n"
		"    params: [a, b]\n"
		"    body:\n"
		"      - \"c = a\"\n"
		"      - \"d = h(c)\"\n"
		"      - \"return d\"\n"
		"  - name: h\n"
		"    params: [x]\n"
		"    body: [\"return x\"]\n"
		"  - name: g\n"
		"    body: [\"return\"]\n", NULL);
	int f = find_proc(P, "f"), g = find_proc(P, "g"), h = find_proc(P, "h");
	assert_true(f > 0 && g > 0 && h > 0);
	assert_int_equal(P->procs[f].nparams, 2);
	assert_int_equal(P->procs[f].nlocals, 4);
	assert_string_equal(P->procs[f].locals[0], "a");
	assert_string_equal(P->procs[f].locals[1], "b");
	assert_string_equal(P->procs[f].locals[2], "c");
	assert_string_equal(P->procs[f].locals[3], "d");
	assert_int_equal(P->procs[h].nparams, 1);
	assert_int_equal(P->procs[h].nlocals, 1);
	assert_int_equal(P->procs[g].nparams, 0);
	assert_int_equal(P->procs[g].nlocals, 0);
	/* the call step */
	const Step *c = &P->steps[0];
	assert_int_equal(c->op, OP_CALL);
	assert_int_equal(c->target, f);
	assert_int_equal(c->nargs, 2);
	assert_const(&c->a[0], 1);
	assert_const(&c->a[1], 2);
	assert_int_equal(c->dst, 0);
	assert_int_equal(P->steps[1].op, OP_CALL);
	assert_int_equal(P->steps[1].target, g);
	assert_int_equal(P->steps[1].dst, -1);
	/* f's steps belong to f and start at its entry */
	const Step *e = &P->steps[P->procs[f].entry];
	assert_int_equal(e->proc, f);
	assert_int_equal(e->op, OP_MOV);
	assert_reg(&e->a[0], 0);
	int hc = find_step(P, f, OP_CALL, 0);
	assert_int_equal(P->steps[hc].target, h);
	assert_reg(&P->steps[hc].a[0], 2);
	/* return x: a register operand */
	int hr = find_step(P, h, OP_RET, 0);
	assert_int_equal(P->steps[hr].nargs, 1);
	assert_reg(&P->steps[hr].a[0], 0);
	/* stack: CPU#0 (r) + f (4) + h (1); depth 3 */
	assert_int_equal(P->max_stack, 6);
	assert_int_equal(P->max_depth, 3);
	prog_free(P);
	/* a result no one reads is not written (the callee's return comes
	 * after the caller's dead registers were zeroed at the call) */
	P = compile_ok(HEAD
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"r = g()\"]\n"
		"procedures:\n"
		"  - name: g\n"
		"    body: [\"return 7\"]\n", NULL);
	assert_int_equal(P->steps[0].op, OP_CALL);
	assert_int_equal(P->steps[0].dst, -1);
	prog_free(P);
}

static void test_stack_counts_fault_handler(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x10000}\n"
		"fault_handler: fh\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    mm: mm\n"
		"    body: [\"a = 1\", \"store(0x10000)\"]\n"
		"procedures:\n"
		"  - name: fh\n"
		"    params: [vma, address, write]\n"
		"    body: [\"x = 1\", \"return 0\"]\n", NULL);
	int fh = find_proc(P, "fh");
	assert_true(fh >= 0);
	assert_int_equal(P->fault_handler, fh);
	assert_int_equal(P->procs[fh].nlocals, 4);
	/* a user access may enter the fault handler: 1 + 4 registers, 2 frames */
	assert_int_equal(P->max_stack, 5);
	assert_int_equal(P->max_depth, 2);
	prog_free(P);
}

/* ---- variants, reachability, includes ---- */

#define VARIANTS HEAD \
	"variants: [old, new]\n" \
	"cpus:\n" \
	"  - cpu: 0\n" \
	"    body: [\"x = f()\", \"y = g()\", \"z = h()\"]\n" \
	"procedures:\n" \
	"  - name: f\n" \
	"    variant: old\n" \
	"    body: [\"return 1\"]\n" \
	"  - name: f\n" \
	"    variant: new\n" \
	"    body: [\"return 2\"]\n" \
	"  - name: g\n" \
	"    body: [\"return 3\"]\n" \
	"  - name: h\n" \
	"    body: [\"return 4\"]\n" \
	"  - name: h\n" \
	"    variant: new\n" \
	"    body: [\"return 5\"]\n"

/* The constant procedure name returns (its first step is `return N`). */
static uint64_t returns(const Program *P, const char *name)
{
	int p = find_proc(P, name);
	assert_true(p >= 0);
	const Step *s = &P->steps[P->procs[p].entry];
	assert_int_equal(s->op, OP_RET);
	assert_int_equal(s->a[0].kind, OPD_CONST);
	return s->a[0].v;
}

static void test_variants(void **state)
{
	(void)state;
	Program *P = compile_ok(VARIANTS, NULL);     /* the first: old */
	assert_string_equal(P->variant, "old");
	assert_int_equal(P->nvariants, 2);
	assert_string_equal(P->variants[1], "new");
	assert_int_equal(returns(P, "f"), 1);
	assert_int_equal(returns(P, "g"), 3);
	assert_int_equal(returns(P, "h"), 4);       /* no old h: the generic one */
	assert_string_equal(P->procs[find_proc(P, "f")].variant, "old");
	assert_null(P->procs[find_proc(P, "h")].variant);
	prog_free(P);

	P = compile_ok(VARIANTS, "new");
	assert_string_equal(P->variant, "new");
	assert_int_equal(returns(P, "f"), 2);
	assert_int_equal(returns(P, "g"), 3);
	assert_int_equal(returns(P, "h"), 5);       /* its own beats the generic */
	assert_int_equal(P->nprocs, 4);
	prog_free(P);

	char msg[512];
	compile_err(VARIANTS, "zzz", msg, sizeof msg);
	assert_string_equal(msg, "F:4:11: scenario t has no variant 'zzz'");
}

/* variant: hunks keep one body with the lines that differ, like a diff:
 * the compiled variant takes then: when listed, else: otherwise. */
static void test_variant_hunks(void **state)
{
	(void)state;
	static const char text[] = HEAD
		"variants: [old, fixed, v2620]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"x = 1\"\n"
		"      - variant: [fixed, v2620]\n"
		"        then: [\"x = 2\"]\n"
		"        else: [\"x = 3\", \"x = 4\"]\n"
		"      - variant: old\n"
		"        then: [\"x = 5\"]\n";
	static const struct { const char *v; int nsteps; uint64_t last; } want[] = {
		{ "old", 5, 5 }, { "fixed", 3, 2 }, { "v2620", 3, 2 },
	};
	for (int i = 0; i < 3; i++) {
		Program *P = compile_ok(text, want[i].v);
		assert_int_equal(P->nsteps, want[i].nsteps);
		assert_int_equal(P->steps[P->nsteps - 2].a[0].v, want[i].last);
		prog_free(P);
	}
	char msg[512];
	compile_err(HEAD "variants: [old]\ncpus:\n  - cpu: 0\n    body:\n      - variant: [old, fixd]\n"
	            "        then: [\"x = 1\"]\n", NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:8:24: variant hunk: the scenario has no variant 'fixd'");
	compile_err(HEAD "variants: [old]\ncpus:\n  - cpu: 0\n    body:\n      - variant: old\n", NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:8:9: variant: missing key 'then'");
}

/* A procedure named like a primitive is an error unless it says
 * override: true; then every call in the scenario is a call of it. */
static void test_override(void **state)
{
	(void)state;
	static const char text[] = HEAD
		"files:\n  - name: file\n    pages: [{name: page0, index: 0}]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"x = set_page_dirty(page0)\", \"f(page0)\"]\n"
		"procedures:\n"
		"  - name: f\n"
		"    params: [p]\n"
		"    body: [\"set_page_dirty(p)\"]\n"
		"  - name: set_page_dirty\n"
		"    override: true\n"
		"    params: [page]\n"
		"    body: [\"return 7\"]\n";
	Program *P = compile_ok(text, NULL);
	int o = find_proc(P, "set_page_dirty");
	assert_true(o > 0);
	assert_int_equal(P->procs[o].override, 1);
	assert_int_equal(find_step(P, 0, OP_SET_PAGE_DIRTY, 0), -1);
	assert_int_equal(find_step(P, find_proc(P, "f"), OP_SET_PAGE_DIRTY, 0), -1);
	assert_int_equal(P->steps[0].op, OP_CALL);
	assert_int_equal(P->steps[0].target, o);
	prog_free(P);
	char msg[512];
	compile_err(HEAD ONECPU "procedures:\n  - name: pte_none\n    params: [e]\n    body: [\"return 0\"]\n",
	            NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:8:11: procedure 'pte_none' has the name of a primitive step: "
	                    "say override: true to replace the primitive in this scenario");
	compile_err(HEAD ONECPU "procedures:\n  - name: mine\n    override: true\n    body: [\"return 0\"]\n",
	            NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:9:15: override: 'mine' is not a primitive step");
}

static void test_only_reachable_procedures(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"outcomes:\n"
		"  - {name: seen, check: chk}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"f()\"]\n"
		"procedures:\n"
		"  - name: unused\n"
		"    body: [\"f()\"]\n"
		"  - name: f\n"
		"    body: [\"g()\", \"g()\"]\n"
		"  - name: g\n"
		"    body: [\"return\"]\n"
		"  - name: chk\n"
		"    body: [\"return 1\"]\n"
		"  - name: also_unused\n"
		"    params: [a]\n"
		"    body: [\"return a\"]\n", NULL);
	assert_int_equal(P->nprocs, 4);             /* CPU#0, f, g, chk */
	assert_true(find_proc(P, "f") >= 0);
	assert_true(find_proc(P, "g") >= 0);
	assert_true(find_proc(P, "chk") >= 0);
	assert_int_equal(find_proc(P, "unused"), -1);
	assert_int_equal(find_proc(P, "also_unused"), -1);
	/* g is compiled once though called twice */
	int g = find_proc(P, "g");
	int f = find_proc(P, "f");
	assert_int_equal(P->steps[find_step(P, f, OP_CALL, 0)].target, g);
	assert_int_equal(P->steps[find_step(P, f, OP_CALL, 1)].target, g);
	/* every step belongs to a compiled procedure */
	for (int i = 0; i < P->nsteps; i++)
		assert_true(P->steps[i].proc < P->nprocs);
	/* the named outcome */
	assert_int_equal(P->noutcomes, OUT__BUILTIN + 1);
	assert_string_equal(P->outcomes[OUT__BUILTIN].name, "seen");
	assert_int_equal(P->outcomes[OUT__BUILTIN].proc, find_proc(P, "chk"));
	assert_int_equal(prog_outcome(P, "seen"), OUT__BUILTIN);
	prog_free(P);
}

static void test_include_relative(void **state)
{
	(void)state;
	char dir[64], path[128], err[512] = "";
	snprintf(dir, sizeof dir, "/tmp/tlbsim_unit_XXXXXX");
	assert_non_null(mkdtemp(dir));
	tmp_write_at(dir, "scn.yaml", HEAD
		"include: [lib/a.yaml]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"x = fa()\"]\n");
	/* lib/a.yaml includes b.yaml: relative to lib/, not to the scenario */
	tmp_write_at(dir, "lib/a.yaml",
		"include: [b.yaml]\n"
		"procedures:\n"
		"  - name: fa\n"
		"    body: [\"y = fb()\", \"return y\"]\n");
	tmp_write_at(dir, "lib/b.yaml",
		"description: the second library\n"
		"procedures:\n"
		"  - name: fb\n"
		"    body: [\"return 7\"]\n");
	/* a decoy with the same name beside the scenario */
	tmp_write_at(dir, "b.yaml",
		"procedures:\n"
		"  - name: fb\n"
		"    body: [\"return 8\"]\n");
	snprintf(path, sizeof path, "%s/scn.yaml", dir);
	Program *P = scn_compile(path, NULL, NULL, err, sizeof err);
	if (!P)
		fail_msg("%s", err);
	assert_int_equal(P->nfiles, 3);
	assert_string_equal(P->files[0].path, path);
	snprintf(path, sizeof path, "%s/lib/a.yaml", dir);
	assert_string_equal(P->files[1].path, path);
	snprintf(path, sizeof path, "%s/lib/b.yaml", dir);
	assert_string_equal(P->files[2].path, path);
	assert_int_equal(returns(P, "fb"), 7);
	int fa = find_proc(P, "fa"), fb = find_proc(P, "fb");
	assert_int_equal(P->procs[fa].file, 1);
	assert_int_equal(P->procs[fb].file, 2);
	assert_int_equal(P->steps[P->procs[fa].entry].file, 1);
	assert_string_equal(prog_step_file(P, &P->steps[P->procs[fb].entry]), path);
	assert_int_equal(P->steps[P->procs[fb].entry].line, 4);
	/* the hash covers the included files */
	char h1[33];
	memcpy(h1, P->hash, sizeof h1);
	prog_free(P);
	tmp_write_at(dir, "lib/b.yaml",
		"description: the second library, edited\n"
		"procedures:\n"
		"  - name: fb\n"
		"    body: [\"return 7\"]\n");
	snprintf(path, sizeof path, "%s/scn.yaml", dir);
	P = scn_compile(path, NULL, NULL, err, sizeof err);
	assert_non_null(P);
	assert_string_not_equal(P->hash, h1);
	prog_free(P);

	const char *files[] = { "scn.yaml", "lib/a.yaml", "lib/b.yaml", "b.yaml" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(unlink(path), 0);
	}
	snprintf(path, sizeof path, "%s/lib", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_expectations(void **state)
{
	(void)state;
	Program *P = compile_ok(HEAD
		"variants: [a, b]\n"
		"outcomes:\n"
		"  - {name: flag, check: chk, doc: the flag}\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body: [\"x = 1\"]\n"
		"procedures:\n"
		"  - name: chk\n"
		"    body: [\"return 0\"]\n"
		"expect:\n"
		"  - {variant: b, model: blind, lost_dirty: sometimes, flag: always}\n"
		"  - {deadlock: never}\n", NULL);
	assert_int_equal(P->nexpects, 3);
	const Expect *e = P->expects;
	assert_int_equal(e[0].outcome, OUT_LOST_DIRTY);
	assert_int_equal(e[0].quant, Q_SOMETIMES);
	assert_string_equal(e[0].variant, "b");
	assert_string_equal(e[0].model, "blind");
	assert_int_equal(e[0].line, 14);
	assert_int_equal(e[0].col, 32);
	assert_int_equal(e[1].outcome, OUT__BUILTIN);
	assert_int_equal(e[1].quant, Q_ALWAYS);
	assert_string_equal(e[1].variant, "b");
	assert_int_equal(e[2].outcome, OUT_DEADLOCK);
	assert_int_equal(e[2].quant, Q_NEVER);
	assert_null(e[2].variant);
	assert_null(e[2].model);
	assert_int_equal(e[2].line, 15);
	assert_string_equal(P->outcomes[OUT__BUILTIN].doc, "the flag");
	prog_free(P);
}

/* ---- error messages ---- */

static void expect_err(const char *text, const char *want)
{
	char msg[1024];
	compile_err(text, NULL, msg, sizeof msg);
	assert_string_equal(msg, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("scenario: t\nmms: [mm]\n" ONECPU,
	           "F:1:1: scenario: missing key 'machine'");
	expect_err("scenario: t\nmachine: {cpus: 1}\n" ONECPU,
	           "F:1:1: scenario: missing key 'mms'");
	expect_err(HEAD "bogus: 1\n",
	           "F:4:1: scenario: unknown key 'bogus'");
	expect_err("scenario: t\nmachine: {cpus: 65}\nmms: [mm]\n",
	           "F:2:17: machine.cpus: 65 is out of range (1 to 64)");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body: [\"frob(1)\"]\n",
	           "F:6:13: unknown step 'frob' (neither a primitive nor a procedure)");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - \"x = y\"\n",
	           "F:7:14: undefined register 'y'");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - \"x = x\"\n",
	           "F:7:14: undefined register 'x'");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - break\n",
	           "F:7:9: break outside a loop");
	expect_err(HEAD "vmas:\n  - {name: v, mm: mm, start: 0x10000}\n"
	           "cpus:\n  - cpu: 0\n    mm: mm\n    body:\n      - \"store(0x10000, 1)\"\n",
	           "F:10:10: store takes 1 argument, got 2");
	expect_err(HEAD "locks: [l]\ncpus:\n  - cpu: 0\n    body:\n      - \"x = spin_lock(l)\"\n",
	           "F:8:14: spin_lock returns no value");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - \"lock_page(mm)\"\n",
	           "F:7:20: lock_page: argument 1 must be a page, got a mm");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - \"x = 0x1z\"\n",
	           "F:7:14: bad number '0x1z'");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body: [\"f(1)\"]\n"
	           "procedures:\n  - name: f\n    params: [a, b]\n    body: [\"return a\"]\n",
	           "F:6:13: f takes 2 arguments, got 1");
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body: [\"f()\"]\n"
	           "procedures:\n  - name: f\n    body: [\"g()\"]\n"
	           "  - name: g\n    body: [\"f()\"]\n",
	           "F:8:5: procedure 'f' calls itself (directly or through others): recursion is not allowed");
	expect_err(HEAD "procedures:\n  - name: f\n    body: []\n  - name: f\n    body: []\n" ONECPU,
	           "F:7:5: procedure 'f' is defined twice (first at F:5)");
	expect_err(HEAD "vmas:\n  - {name: v, mm: mm, start: 0x10000}\n"
	           "tlb:\n  - {cpu: 0, mm: mm, addr: 0x10000}\n" ONECPU,
	           "F:7:5: tlb: no present PTE for 0x10000 to cache (x86 never caches P=0)");
	expect_err(HEAD "expect:\n  - {lost_dirty: often}\n" ONECPU,
	           "F:5:18: expected never, sometimes or always, got 'often'");
	expect_err(HEAD "expect:\n  - {nothing: never}\n" ONECPU,
	           "F:5:6: expect: unknown outcome 'nothing'");
	expect_err(HEAD "include: [nope.yaml]\n" ONECPU,
	           "F:4:11: include 'nope.yaml': No such file or directory");
}

/* A mapping with a non-scalar key inside a body must be an error, not a
 * crash (the key has no text).  The compile runs in a child process so
 * that a crash fails this test only (ASan would end the whole program). */
static void test_error_non_scalar_key_in_body(void **state)
{
	(void)state;
	char path[64];
	tmp_write(path, sizeof path, HEAD "cpus:\n  - cpu: 0\n    body:\n      - {[a]: b}\n");
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[1024] = "", prefix[80];
		/* die of a crash here, not in cmocka's or ASan's handler */
		const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		Program *P = scn_compile(path, NULL, NULL, err, sizeof err);
		snprintf(prefix, sizeof prefix, "%s:7:", path);
		/* any "file:7:col: what" line will do */
		_exit(!P && !strncmp(err, prefix, strlen(prefix)) && strlen(err) > strlen(prefix) + 4 ? 0 : 3);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(path);
	if (WIFSIGNALED(status))
		fail_msg("scn_compile crashed with signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) == 3)
		fail_msg("scn_compile gave no 'file:7:col: ...' error");
	if (WEXITSTATUS(status) != 0)   /* a sanitizer's exit after a crash */
		fail_msg("scn_compile crashed (exit status %d)", WEXITSTATUS(status));
}

/* `y = pte_dirty(y)` reads y before anything was assigned to it: the
 * same typo as `y = y`, which is rejected. */
static void test_error_undefined_register_in_own_call(void **state)
{
	(void)state;
	expect_err(HEAD "cpus:\n  - cpu: 0\n    body:\n      - \"y = pte_dirty(y)\"\n",
	           "F:7:24: undefined register 'y'");
}

static void test_include_errors(void **state)
{
	(void)state;
	char dir[64], path[128], err[512] = "", want[512];
	snprintf(dir, sizeof dir, "/tmp/tlbsim_unit_XXXXXX");
	assert_non_null(mkdtemp(dir));
	tmp_write_at(dir, "scn.yaml", HEAD "include: [a.yaml]\n" ONECPU);
	tmp_write_at(dir, "a.yaml", "include: [b.yaml]\n");
	tmp_write_at(dir, "b.yaml", "include: [a.yaml]\n");
	snprintf(path, sizeof path, "%s/scn.yaml", dir);
	assert_null(scn_compile(path, NULL, NULL, err, sizeof err));
	snprintf(want, sizeof want, "%s/b.yaml:1:11: include cycle: %s/a.yaml -> %s/b.yaml -> %s/a.yaml",
	         dir, dir, dir, dir);
	assert_string_equal(err, want);
	/* an included scenario is refused */
	tmp_write_at(dir, "b.yaml", HEAD ONECPU);
	assert_null(scn_compile(path, NULL, NULL, err, sizeof err));
	snprintf(want, sizeof want, "%s/b.yaml:1:1: an included file must be a library (procedures only), not a scenario", dir);
	assert_string_equal(err, want);
	/* a library with a scenario key is refused */
	tmp_write_at(dir, "b.yaml", ONECPU);
	assert_null(scn_compile(path, NULL, NULL, err, sizeof err));
	snprintf(want, sizeof want, "%s/b.yaml:1:1: library: unknown key 'cpus'", dir);
	assert_string_equal(err, want);
	const char *files[] = { "scn.yaml", "a.yaml", "b.yaml" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* ---- a source in memory (a database record) ---- */

typedef struct MemFile { const char *path, *text; } MemFile;
typedef struct MemSrc { const MemFile *f; int n; int reads; } MemSrc;

static char *mem_read(void *ctx, const char *path, size_t *len)
{
	MemSrc *m = ctx;
	m->reads++;
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].path, path)) {
			*len = strlen(m->f[i].text);
			return strdup(m->f[i].text);
		}
	return NULL;
}

static void test_source_in_memory(void **state)
{
	(void)state;
	static const MemFile files[] = {
		{ "rec/scn.yaml", HEAD "include: [lib/l.yaml]\ncpus:\n  - cpu: 0\n    body: [\"x = f()\"]\n" },
		{ "rec/lib/l.yaml", "procedures:\n  - name: f\n    body: [\"return 9\"]\n" },
	};
	MemSrc m = { files, 2, 0 };
	ScnSource src = { .read = mem_read, .ctx = &m };
	char err[512] = "";
	/* the paths exist only in memory */
	assert_int_not_equal(access("rec/scn.yaml", F_OK), 0);
	Program *P = scn_compile("rec/scn.yaml", NULL, &src, err, sizeof err);
	if (!P)
		fail_msg("%s", err);
	assert_int_equal(m.reads, 2);
	assert_int_equal(P->nfiles, 2);
	assert_string_equal(P->files[0].path, "rec/scn.yaml");
	assert_string_equal(P->files[1].path, "rec/lib/l.yaml");
	assert_string_equal(P->files[1].text, files[1].text);
	assert_int_equal(returns(P, "f"), 9);
	/* the scenario path is normalised before it is read: the same
	 * files, the same hash */
	char h[33];
	memcpy(h, P->hash, sizeof h);
	prog_free(P);
	P = scn_compile("rec/./lib/../scn.yaml", NULL, &src, err, sizeof err);
	assert_non_null(P);
	assert_int_equal(m.reads, 4);
	assert_string_equal(P->files[0].path, "rec/scn.yaml");
	assert_string_equal(P->hash, h);
	prog_free(P);

	/* an include the record does not have */
	static const MemFile only[] = {
		{ "rec/scn.yaml", HEAD "include: [lib/l.yaml]\n" ONECPU },
	};
	MemSrc m2 = { only, 1, 0 };
	ScnSource src2 = { .read = mem_read, .ctx = &m2 };
	assert_null(scn_compile("rec/scn.yaml", NULL, &src2, err, sizeof err));
	assert_string_equal(err, "rec/scn.yaml:4:11: include 'lib/l.yaml': not in the recorded scenario");
	assert_null(scn_compile("rec/other.yaml", NULL, &src2, err, sizeof err));
	assert_string_equal(err, "rec/other.yaml: not in the recorded scenario");
}

static void test_is_scenario(void **state)
{
	(void)state;
	char path[64];
	tmp_write(path, sizeof path, HEAD ONECPU);
	assert_int_equal(scn_is_scenario(path, 0), 1);
	unlink(path);
	tmp_write(path, sizeof path, "procedures: []\n");
	assert_int_equal(scn_is_scenario(path, 0), 0);
	unlink(path);
	assert_int_equal(scn_is_scenario(path, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_machine_objects),
		cmocka_unit_test(test_if_else),
		cmocka_unit_test(test_if_call_condition),
		cmocka_unit_test(test_loop_break_continue),
		cmocka_unit_test(test_while_nested),
		cmocka_unit_test(test_dst_or),
		cmocka_unit_test(test_named_constants),
		cmocka_unit_test(test_procedure_call_registers),
		cmocka_unit_test(test_stack_counts_fault_handler),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_variant_hunks),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_only_reachable_procedures),
		cmocka_unit_test(test_include_relative),
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_non_scalar_key_in_body),
		cmocka_unit_test(test_error_undefined_register_in_own_call),
		cmocka_unit_test(test_include_errors),
		cmocka_unit_test(test_source_in_memory),
		cmocka_unit_test(test_is_scenario),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}

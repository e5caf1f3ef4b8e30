/* scenarios/compileInt.h: what the scenario compiler's files share (the
 * compile context Cx and its typed YAML accessors); private to
 * scenarios/, like SQLite's vdbeInt.h.  Every helper that reports an
 * error returns -1 (or NULL) with cx->err set to "file:line:col: ...". */
#ifndef TLBSIM_COMPILEINT_H
#define TLBSIM_COMPILEINT_H
#include "scenarios/compile.h"
#include <stdint.h>

#define MAX_LOCALS 64
#define MAX_VARS 64
#define MAX_LOOPS 16

typedef struct ProcDef {
	const char *name, *variant;
	const Arch *arch;        /* arch: the machine.arch it is for, or NULL: any */
	const YNode *node, *params, *body;
	int proc;                /* index in P->procs once referenced, else -1 */
	int override;            /* override: true: replaces the primitive */
} ProcDef;

typedef struct Cx {
	Program *P;
	const char *want_arch;   /* the architecture of machine.arch to compile for
	                            (NULL or not listed: the first listed) */
	YSet set;
	char *err; size_t errlen;
	int failed;
	ProcDef *defs; int ndefs;
	Step *steps; int nsteps, scap;
	Proc *procs; int nprocs, pcap;
	int *work; int nwork;    /* procedures referenced, bodies not compiled */
	/* the procedure being compiled */
	const char *locals[MAX_LOCALS]; int nlocals;
	int cur;                 /* proc index */
	uint64_t tmp_busy;       /* temporaries "(tN)" holding a value now */
	int tmp_slot[MAX_LOCALS];/* the register of temporary N */
	int label;               /* the last step index a jump was patched to */
	int loop_top[MAX_LOOPS], nloops;
	int breaks[MAX_LOOPS][32], nbreaks[MAX_LOOPS];
	const YNode *var_at[MAX_VARS];  /* the key that declared each variable */
} Cx;

/* Errors and typed access to YAML nodes (compile.c). */
int cx_err(Cx *cx, const YNode *n, int unused, const char *fmt, ...);
int cx_want(Cx *cx, const YNode *n, int kind, const char *what);
int cx_u64(Cx *cx, const YNode *n, const char *what, uint64_t *out);
/* The architecture other than the machine's that has PTE bit name, or NULL. */
const Arch *cx_other_arch(const Cx *cx, const char *name);
int cx_int(Cx *cx, const YNode *n, const char *what, int lo, int hi, int *out);
int cx_bool(Cx *cx, const YNode *n, const char *what, int *out);
/* Every key of map is one of keys (NULL-terminated), at most once. */
int cx_keys(Cx *cx, const YNode *map, const char *what, const char *const *keys);
/* For maps whose keys are names (expect:, mm_cpumask:): plain, once. */
int cx_plain_keys(Cx *cx, const YNode *map, const char *what);
const YNode *cx_need(Cx *cx, const YNode *map, const char *key, const char *what);
int cx_find_name(const char *const *names, int n, const char *s);
/* 1 if s is an identifier of the statement language. */
int cx_is_ident(const char *s);

/* Errors at character off of scalar n's text, and where that is. */
int cx_err_at(Cx *cx, const YNode *n, int off, const char *fmt, ...);
void cx_text_pos(Cx *cx, const YNode *n, int off, int *line, int *col);
/* Procedure definitions (compile.c): the one for the compiled variant
 * (-1: none); the procedure index of a call of name, queued to compile. */
int cx_find_def(Cx *cx, const char *name);
/* The first definition of name for another machine.arch than the
 * compiled one (for the error of a call that finds none), or -1. */
int cx_other_arch_def(const Cx *cx, const char *name);
int cx_proc_ref(Cx *cx, const char *name);

/* Statements and expressions (expr.c).  cx_condition emits the test and
 * a JZ whose target the caller patches, and returns the JZ's index. */
Step *cx_emit(Cx *cx, int op, const YNode *at, const char *text);
int cx_statement(Cx *cx, const YNode *n);
int cx_condition(Cx *cx, const YNode *n, const char *what);
/* `return EXPR` for the expression scalar n (an outcome's exists:). */
int cx_return_expr(Cx *cx, const YNode *n);
/* The register named name (declare: add it; -2 when full), or -1. */
int cx_local(Cx *cx, const char *name, int declare);
/* A named constant or object handle; 0, or -1 if name is neither.
 * cx NULL: the built-in constants only (_PAGE_*, VM_FAULT_*, NULL...). */
int cx_named_const(Cx *cx, const char *name, uint64_t *v);
const char *cx_hk_word(int kind);

/* Pass 1, the machine (machine.c): machine:, files:, vmas:, ptes:, tlb:,
 * locks:, mm_cpumask: and vars: of the scenario root. */
int cx_machine(Cx *cx, const YNode *root);
/* A list of unique names into *out (owned by the Program). */
int cx_name_list(Cx *cx, const YNode *n, const char *what, const char ***out, int *cnt);
/* The index of the object of kind HK_MM, HK_FILE or HK_PAGE (its index
 * in P->pages, not its pfn) named by n, or -1. */
int cx_lookup_obj(Cx *cx, const YNode *n, const char *what, int kind);
/* The index (dirty_model) of the model named by scalar v, which must be
 * a model of the machine's architecture; -1 with the error reported. */
int cx_model(Cx *cx, const YNode *v, const char *what);
/* v names a dirty-bit model of one of machine.arch's architectures (any
 * of them in a multi-architecture scenario; with one architecture, as
 * cx_model, and its message); its index in the model table, or -1 with
 * the error reported. */
int cx_listed_model(Cx *cx, const YNode *v, const char *what);
/* A CPU's model: (cpus[].model) a scalar as cx_model, or a mapping from
 * architectures machine.arch lists to a model of each.  Returns the
 * index of this compile's architecture's model, -2 if the mapping has
 * none for it (the run's model applies), or -1 with the error reported. */
int cx_cpu_model(Cx *cx, const YNode *v);

#endif

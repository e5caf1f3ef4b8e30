/* scenarios/compile.c: the scenario compiler.  Three passes over the
 * YAML tree: (1) the machine (CPUs, mms, files, pages, VMAs, PTEs, TLBs,
 * locks), (2) every procedure definition of every included file, (3) the
 * bodies reachable from the CPU programs, the fault handler and the
 * outcome checks, for the chosen variant, compiled to steps (chibicc-like
 * recursive descent over each statement string).  Then call-graph checks
 * (arity, recursion) and the register stack each CPU needs. */
#include "scenarios/compileInt.h"
#include "cpus/dirty.h"
#include "mmu/mem.h"
#include "sim/symmetry.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* ---- errors ---- */

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int cx_is_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	while (ident_char(*s))
		s++;
	return *s == 0;
}

/* Where character off of scalar n's value was written.  YAML folds line
 * breaks and expands escapes, so offsets do not add up; instead the token
 * at off is looked for in the source, from where the scalar starts: its
 * k-th occurrence in the value is its k-th occurrence in the source.
 * Only the scalar's own bytes [n->off, n->end) are scanned, so placing
 * every step of a file costs O(file), not O(file) per step. */
void cx_text_pos(Cx *cx, const YNode *n, int off, int *line, int *col)
{
	const char *v = n->str, *src = cx->set.files[n->file].text;
	int len = ident_char(v[off]) ? 0 : v[off] != 0;
	while (ident_char(v[off + len]))
		len++;
	*line = n->line;
	*col = n->col + off + n->quoted;
	if (len == 0)
		return;
	int occ = 0;
	for (int i = 0; i + len <= off; i++)
		occ += !strncmp(v + i, v + off, (size_t)len) && (i == 0 || !ident_char(v[i - 1]) || !ident_char(v[i]));
	/* first as a whole word; then anywhere (an escape such as \t may
	 * glue it to a letter in the source) */
	for (int strict = 1; strict >= 0; strict--) {
		const char *p = src + n->off, *end = src + n->end;
		int l = n->line, c = n->col, k = occ;
		for (; p < end; p++, c++) {
			int at_word = !strict || p == src || !ident_char(p[-1]) || !ident_char(p[0]);
			if (at_word && !strncmp(p, v + off, (size_t)len) && k-- == 0) {
				*line = l;
				*col = c;
				return;
			}
			if (*p == '\n')
				l++, c = 0;
		}
	}
}

/* Reports an error at node n, or (off >= 0) at character off of a
 * scalar's text (see text_pos).  Returns -1. */
static int verr(Cx *cx, const YNode *n, int off, const char *fmt, va_list ap)
{
	if (cx->failed)
		return -1;
	cx->failed = 1;
	int k = 0, line = n ? n->line : 0, col = n ? n->col : 0;
	if (n && off >= 0)
		cx_text_pos(cx, n, off, &line, &col);
	if (n)
		k = snprintf(cx->err, cx->errlen, "%s:%d:%d: ", cx->set.files[n->file].path, line, col);
	vsnprintf(cx->err + k, cx->errlen - (size_t)k, fmt, ap);
	return -1;
}

int cx_err(Cx *cx, const YNode *n, int unused, const char *fmt, ...)
{
	va_list ap;
	(void)unused;
	va_start(ap, fmt);
	verr(cx, n, -1, fmt, ap);
	va_end(ap);
	return -1;
}

int cx_err_at(Cx *cx, const YNode *n, int off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(cx, n, off, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- typed access to YAML nodes ---- */

static const char *kind_word(int k)
{
	return k == YN_SCALAR ? "a value" : k == YN_SEQ ? "a list" : "a mapping";
}

int cx_want(Cx *cx, const YNode *n, int kind, const char *what)
{
	if (n->kind == kind)
		return 0;
	return cx_err(cx, n, 0, "%s: expected %s, got %s", what, kind_word(kind), kind_word(n->kind));
}

int cx_u64(Cx *cx, const YNode *n, const char *what, uint64_t *out)
{
	char *end;
	if (cx_want(cx, n, YN_SCALAR, what))
		return -1;
	errno = 0;
	*out = strtoull(n->str, &end, 0);
	if (!n->str[0] || *end || n->str[0] == '-' || errno)
		return cx_err(cx, n, 0, "%s: expected a number, got '%s'", what, n->str);
	return 0;
}

int cx_int(Cx *cx, const YNode *n, const char *what, int lo, int hi, int *out)
{
	uint64_t v;
	if (cx_u64(cx, n, what, &v))
		return -1;
	if (v < (uint64_t)lo || v > (uint64_t)hi)
		return cx_err(cx, n, 0, "%s: %" PRIu64 " is out of range (%d to %d)", what, v, lo, hi);
	*out = (int)v;
	return 0;
}

int cx_bool(Cx *cx, const YNode *n, const char *what, int *out)
{
	if (cx_want(cx, n, YN_SCALAR, what))
		return -1;
	if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) { *out = 1; return 0; }
	if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) { *out = 0; return 0; }
	return cx_err(cx, n, 0, "%s: expected true or false, got '%s'", what, n->str);
}

/* Checks that every key of map is one of keys (NULL-terminated). */
int cx_keys(Cx *cx, const YNode *map, const char *what, const char *const *keys)
{
	if (cx_want(cx, map, YN_MAP, what))
		return -1;
	for (int i = 0; i + 1 < map->n; i += 2) {
		const YNode *k = map->items[i];
		int ok = 0;
		if (k->kind != YN_SCALAR)
			return cx_err(cx, k, 0, "%s: keys must be plain words", what);
		for (int j = 0; keys[j] && !ok; j++)
			ok = !strcmp(keys[j], k->str);
		if (!ok)
			return cx_err(cx, k, 0, "%s: unknown key '%s'", what, k->str);
		if (ynode_key(map, k->str) != k)
			return cx_err(cx, k, 0, "%s: duplicate key '%s'", what, k->str);
	}
	return 0;
}

/* For maps whose keys are names (expect:, mm_cpumask:): plain, once. */
int cx_plain_keys(Cx *cx, const YNode *map, const char *what)
{
	for (int i = 0; i + 1 < map->n; i += 2) {
		const YNode *k = map->items[i];
		if (k->kind != YN_SCALAR)
			return cx_err(cx, k, 0, "%s: keys must be plain words", what);
		if (ynode_key(map, k->str) != k)
			return cx_err(cx, k, 0, "%s: duplicate key '%s'", what, k->str);
	}
	return 0;
}

const YNode *cx_need(Cx *cx, const YNode *map, const char *key, const char *what)
{
	const YNode *v = ynode_get(map, key);
	if (!v)
		cx_err(cx, map, 0, "%s: missing key '%s'", what, key);
	return v;
}

int cx_find_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* ---- pass 2: procedure definitions ---- */

/* A procedure named like a primitive step replaces it only when it says
 * so (override: true); else the name is a mistake that would silently
 * never be called.  override: true on any other name is a mistake too. */
static int def_override(Cx *cx, ProcDef *pd, const YNode *d)
{
	const YNode *x = ynode_get(d, "override");
	int op = prog_op_lookup(pd->name), prim = op >= 0 && prog_op_is_step(op);
	if (x && cx_bool(cx, x, "procedure.override", &pd->override))
		return -1;
	if (pd->override && !prim)
		return cx_err(cx, x, 0, "override: '%s' is not a primitive step", pd->name);
	if (prim && !pd->override)
		return cx_err(cx, ynode_get(d, "name"), 0,
		              "procedure '%s' has the name of a primitive step: say override: true to replace the primitive in this scenario",
		              pd->name);
	return 0;
}

/* arch: NAME makes a definition the one for machine.arch NAME only (the
 * kernel's arch/NAME/ code of a generic helper): pd->arch, or NULL when
 * the key is absent.  An unknown name is an error. */
static int def_arch(Cx *cx, ProcDef *pd, const YNode *d)
{
	const YNode *x = ynode_get(d, "arch");
	pd->arch = NULL;
	if (!x)
		return 0;
	if (cx_want(cx, x, YN_SCALAR, "procedure.arch"))
		return -1;
	if (!(pd->arch = arch_find(x->str)))
		return cx_err(cx, x, 0, "procedure.arch: unknown architecture '%s' (x86, arm64 or riscv)", x->str);
	return 0;
}

static int collect_defs(Cx *cx)
{
	static const char *const keys[] = { "name", "variant", "arch", "params", "body", "doc", "override", NULL };
	int total = 0;
	for (int f = 0; f < cx->set.nfiles; f++) {
		const YNode *ps = ynode_get(cx->set.files[f].root, "procedures");
		total += ps && ps->kind == YN_SEQ ? ps->n : 0;
	}
	cx->defs = calloc((size_t)total + 1, sizeof *cx->defs);
	for (int f = 0; f < cx->set.nfiles; f++) {
		const YNode *ps = ynode_get(cx->set.files[f].root, "procedures"), *x;
		if (!ps)
			continue;
		if (cx_want(cx, ps, YN_SEQ, "procedures"))
			return -1;
		for (int i = 0; i < ps->n; i++) {
			const YNode *d = ps->items[i];
			ProcDef *pd = &cx->defs[cx->ndefs];
			if (cx_keys(cx, d, "procedure", keys) || !(x = cx_need(cx, d, "name", "procedure")) ||
			    cx_want(cx, x, YN_SCALAR, "procedure.name"))
				return -1;
			pd->name = x->str;
			pd->node = d;
			pd->proc = -1;
			if ((x = ynode_get(d, "variant")) && cx_want(cx, x, YN_SCALAR, "procedure.variant"))
				return -1;
			pd->variant = x ? x->str : NULL;
			if (def_arch(cx, pd, d) || def_override(cx, pd, d))
				return -1;
			if ((pd->params = ynode_get(d, "params")) && cx_want(cx, pd->params, YN_SEQ, "procedure.params"))
				return -1;
			if (!(pd->body = cx_need(cx, d, "body", "procedure")) || cx_want(cx, pd->body, YN_SEQ, "procedure.body"))
				return -1;
			for (int k = 0; k < cx->ndefs; k++) {
				const ProcDef *o = &cx->defs[k];
				if (!strcmp(o->name, pd->name) && o->arch == pd->arch && ((!o->variant && !pd->variant) ||
				    (o->variant && pd->variant && !strcmp(o->variant, pd->variant))))
					return cx_err(cx, d, 0, "procedure '%s'%s%s%s%s is defined twice (first at %s:%d)",
					            pd->name, pd->variant ? " variant " : "", pd->variant ? pd->variant : "",
					            pd->arch ? " arch " : "", pd->arch ? pd->arch->name : "",
					            cx->set.files[o->node->file].path, o->node->line);
			}
			cx->ndefs++;
		}
	}
	return 0;
}

/* How well definition d fits the compiled variant and machine.arch: -1
 * not at all (another variant's, or another architecture's), else 2 for
 * the variant's own plus 1 for the architecture's own. */
static int def_fit(const Cx *cx, const ProcDef *d)
{
	int v = d->variant && cx->P->variant && !strcmp(d->variant, cx->P->variant);
	if ((d->variant && !v) || (d->arch && d->arch != cx->P->arch))
		return -1;
	return 2 * v + (d->arch != NULL);
}

/* The definition of name for the compiled variant and architecture: the
 * variant's own first (with the architecture's own before one for any),
 * then the architecture's own, then the one for both any.  -1 if there is
 * none.  A variant thus replaces an arch/ helper, as a scenario's variant
 * replaces the kernel code it is a version of. */
int cx_find_def(Cx *cx, const char *name)
{
	int best = -1, fit = -1;
	for (int i = 0; i < cx->ndefs; i++) {
		int f = strcmp(cx->defs[i].name, name) ? -1 : def_fit(cx, &cx->defs[i]);
		if (f > fit) {
			best = i;
			fit = f;
		}
	}
	return best;
}

int cx_other_arch_def(const Cx *cx, const char *name)
{
	for (int i = 0; i < cx->ndefs; i++)
		if (!strcmp(cx->defs[i].name, name) && cx->defs[i].arch && cx->defs[i].arch != cx->P->arch)
			return i;
	return -1;
}

static int new_proc(Cx *cx, const char *name, const char *variant, int nparams, const YNode *at)
{
	if (cx->nprocs == cx->pcap) {
		cx->pcap = cx->pcap ? 2 * cx->pcap : 16;
		cx->procs = realloc(cx->procs, sizeof *cx->procs * (size_t)cx->pcap);
		cx->work = realloc(cx->work, sizeof *cx->work * (size_t)cx->pcap);
		if (!cx->procs || !cx->work)
			abort();
	}
	Proc *p = &cx->procs[cx->nprocs];
	memset(p, 0, sizeof *p);
	p->name = prog_strdup(cx->P, name);
	p->variant = variant ? prog_strdup(cx->P, variant) : NULL;
	p->nparams = nparams;
	p->entry = -1;
	p->file = (uint16_t)at->file;
	p->line = (uint32_t)at->line;
	p->col = (uint32_t)at->col;
	return cx->nprocs++;
}

/* The procedure index for a call of name (queued for compiling), or -1. */
int cx_proc_ref(Cx *cx, const char *name)
{
	int d = cx_find_def(cx, name);
	if (d < 0)
		return -1;
	ProcDef *pd = &cx->defs[d];
	if (pd->proc < 0) {
		pd->proc = new_proc(cx, pd->name, pd->variant, pd->params ? pd->params->n : 0, pd->node);
		cx->procs[pd->proc].override = pd->override;
		cx->work[cx->nwork++] = d;
	}
	return pd->proc;
}

/* ---- pass 3: bodies (statements are compiled by expr.c) ---- */

static int body(Cx *cx, const YNode *list, const char *what);

static int do_if(Cx *cx, const YNode *m)
{
	static const char *const keys[] = { "if", "then", "else", NULL };
	const YNode *th, *el;
	if (cx_keys(cx, m, "if", keys) || !(th = cx_need(cx, m, "then", "if")))
		return -1;
	int jz = cx_condition(cx, ynode_get(m, "if"), "if");
	if (jz < 0 || body(cx, th, "then"))
		return -1;
	if ((el = ynode_get(m, "else"))) {
		int j = cx->nsteps;
		cx_emit(cx, OP_JMP, m, "else");
		cx->steps[jz].target = cx->nsteps;
		if (body(cx, el, "else"))
			return -1;
		cx->steps[j].target = cx->nsteps;
	} else {
		cx->steps[jz].target = cx->nsteps;
	}
	return 0;
}

static int do_loop(Cx *cx, const YNode *m)
{
	static const char *const kw[] = { "while", "do", NULL };
	static const char *const kl[] = { "loop", NULL };
	const YNode *w = ynode_get(m, "while"), *b;
	if (cx->nloops == MAX_LOOPS)
		return cx_err(cx, m, 0, "loops nested too deep");
	if (cx_keys(cx, m, w ? "while" : "loop", w ? kw : kl))
		return -1;
	int l = cx->nloops++, jz = -1;
	cx->loop_top[l] = cx->nsteps;
	cx->nbreaks[l] = 0;
	if (w && ((jz = cx_condition(cx, w, "while")) < 0 || !(b = cx_need(cx, m, "do", "while"))))
		return -1;
	if (!w)
		b = ynode_get(m, "loop");
	if (body(cx, b, w ? "do" : "loop"))
		return -1;
	Step *s = cx_emit(cx, OP_JMP, m, w ? "while" : "loop");
	s->target = cx->loop_top[l];
	if (jz >= 0)
		cx->steps[jz].target = cx->nsteps;
	for (int i = 0; i < cx->nbreaks[l]; i++)
		cx->steps[cx->breaks[l][i]].target = cx->nsteps;
	cx->nloops--;
	return 0;
}

/* variant: [V, ...] then: [...] else: [...]: a hunk of the body that the
 * compiler keeps for the variants listed (then) or for the others (else),
 * like an #ifdef: the branch not taken is not compiled. */
static int do_variant(Cx *cx, const YNode *m)
{
	static const char *const keys[] = { "variant", "then", "else", NULL };
	const YNode *v = ynode_get(m, "variant"), *th, *el = ynode_get(m, "else");
	const Program *P = cx->P;
	int hit = 0;
	if (cx_keys(cx, m, "variant", keys) || !(th = cx_need(cx, m, "then", "variant")))
		return -1;
	int n = v->kind == YN_SCALAR ? 1 : v->n;
	if (v->kind != YN_SCALAR && cx_want(cx, v, YN_SEQ, "variant"))
		return -1;
	for (int i = 0; i < n; i++) {
		const YNode *x = v->kind == YN_SCALAR ? v : v->items[i];
		if (cx_want(cx, x, YN_SCALAR, "variant"))
			return -1;
		if (cx_find_name(P->variants, P->nvariants, x->str) < 0)
			return cx_err(cx, x, 0, "variant hunk: the scenario has no variant '%s'", x->str);
		hit |= P->variant && !strcmp(P->variant, x->str);
	}
	return hit ? body(cx, th, "then") : el ? body(cx, el, "else") : 0;
}

static int body(Cx *cx, const YNode *list, const char *what)
{
	if (cx_want(cx, list, YN_SEQ, what))
		return -1;
	for (int i = 0; i < list->n; i++) {
		const YNode *it = list->items[i];
		int rc;
		if (it->kind == YN_SCALAR)
			rc = cx_statement(cx, it);
		else if (it->kind == YN_MAP && cx_plain_keys(cx, it, what))
			rc = -1;
		else if (it->kind == YN_MAP && ynode_get(it, "if"))
			rc = do_if(cx, it);
		else if (it->kind == YN_MAP && (ynode_get(it, "while") || ynode_get(it, "loop")))
			rc = do_loop(cx, it);
		else if (it->kind == YN_MAP && ynode_get(it, "variant"))
			rc = do_variant(cx, it);
		else if (it->kind == YN_MAP && it->n)
			rc = cx_err(cx, it->items[0], 0, "unknown key '%s' (a step is a string, or if:/while:/loop:/variant:)", it->items[0]->str);
		else
			rc = cx_err(cx, it, 0, "%s: expected a step", what);
		if (rc)
			return -1;
	}
	return 0;
}

static int nparams_of(const YNode *params)
{
	return params ? params->n : 0;
}

/* Drops the registers of the procedure whose steps start at first that
 * no step names (a temporary whose value a later step was retargeted to
 * write directly), renumbering the rest: parameters and named registers
 * in declaration order, then the temporaries "(tN)". */
static void compact_regs(Cx *cx, int first, int nparams)
{
	int map[MAX_LOCALS], n = 0;
	uint64_t used = nparams >= 64 ? ~0ull : (1ull << nparams) - 1;
	for (int i = first; i < cx->nsteps; i++) {
		const Step *s = &cx->steps[i];
		for (int k = 0; k < s->nargs; k++)
			if (s->a[k].kind == OPD_REG)
				used |= 1ull << s->a[k].v;
		if (s->dst >= 0)
			used |= 1ull << s->dst;
	}
	const char *names[MAX_LOCALS];
	for (int pass = 0; pass < 2; pass++)      /* named registers, then temporaries */
		for (int r = 0; r < cx->nlocals; r++)
			if (used >> r & 1 && (cx->locals[r][0] == '(') == pass) {
				names[n] = cx->locals[r];
				map[r] = n++;
			}
	memcpy(cx->locals, names, sizeof(char *) * (size_t)n);
	cx->nlocals = n;
	for (int i = first; i < cx->nsteps; i++) {
		Step *s = &cx->steps[i];
		for (int k = 0; k < s->nargs; k++)
			if (s->a[k].kind == OPD_REG)
				s->a[k].v = (uint64_t)map[s->a[k].v];
		if (s->dst >= 0)
			s->dst = (int16_t)map[s->dst];
	}
}

/* Compiles one procedure body (params from the definition, if any). */
/* Starts compiling procedure proc: a fresh register file and its entry. */
static void proc_begin(Cx *cx, int proc)
{
	cx->cur = proc;
	cx->nlocals = 0;
	cx->tmp_busy = 0;
	cx->label = -1;
	cx->nloops = 0;
	cx->procs[proc].entry = cx->nsteps;
}

/* Ends it: compacts its registers and records their names. */
static void proc_end(Cx *cx, int proc, int nparams)
{
	compact_regs(cx, cx->procs[proc].entry, nparams);
	Proc *p = &cx->procs[proc];
	p->nlocals = cx->nlocals;
	p->locals = prog_alloc(cx->P, sizeof(char *) * (size_t)(cx->nlocals + 1));
	memcpy(p->locals, cx->locals, sizeof(char *) * (size_t)cx->nlocals);
}

static int compile_proc(Cx *cx, int proc, const YNode *params, const YNode *b)
{
	proc_begin(cx, proc);
	if (params && params->n > STEP_MAXARGS)
		return cx_err(cx, params->items[STEP_MAXARGS], 0, "too many parameters (at most %d)", STEP_MAXARGS);
	for (int i = 0; params && i < params->n; i++) {
		if (cx_want(cx, params->items[i], YN_SCALAR, "params"))
			return -1;
		if (cx_local(cx, params->items[i]->str, 0) >= 0)
			return cx_err(cx, params->items[i], 0, "parameter '%s' is listed twice", params->items[i]->str);
		cx_local(cx, params->items[i]->str, 1);
	}
	if (body(cx, b, "body"))
		return -1;
	cx_emit(cx, OP_RET, b->kind == YN_SEQ && b->n ? b->items[b->n - 1] : b, "return (end of body)");
	proc_end(cx, proc, nparams_of(params));
	return 0;
}

static int drain_work(Cx *cx)
{
	while (cx->nwork > 0) {
		ProcDef *pd = &cx->defs[cx->work[--cx->nwork]];
		if (compile_proc(cx, pd->proc, pd->params, pd->body))
			return -1;
	}
	return 0;
}

/* ---- CPUs, fault handler, outcomes, expectations ---- */

static int cpus(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "cpu", "mm", "model", "body", NULL };
	Program *P = cx->P;
	P->cpus = prog_alloc(P, sizeof(CpuDesc) * (size_t)P->ncpu);
	for (int c = 0; c < P->ncpu; c++)
		P->cpus[c] = (CpuDesc){ -1, -1, -1 };
	if (!n)
		return cx_err(cx, cx->set.files[0].root, 0, "scenario: missing key 'cpus'");
	if (cx_want(cx, n, YN_SEQ, "cpus"))
		return -1;
	if (n->n == 0)
		return cx_err(cx, n, 0, "cpus: list at least one CPU program");
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *x;
		int c;
		char name[16];
		if (cx_keys(cx, e, "cpu", keys) || !(x = cx_need(cx, e, "cpu", "cpu")) ||
		    cx_int(cx, x, "cpu", 0, P->ncpu - 1, &c))
			return -1;
		if (P->cpus[c].proc >= 0)
			return cx_err(cx, x, 0, "CPU#%d has two programs", c);
		if ((x = ynode_get(e, "mm")) && (P->cpus[c].mm = cx_lookup_obj(cx, x, "cpu.mm", HK_MM)) < 0)
			return -1;
		if ((x = ynode_get(e, "model"))) {
			int m = cx_cpu_model(cx, x);
			if (m == -1)
				return -1;
			P->cpus[c].model = m >= 0 ? m : -1;
		}
		if (!(x = cx_need(cx, e, "body", "cpu")))
			return -1;
		snprintf(name, sizeof name, "CPU#%d", c);
		P->cpus[c].proc = new_proc(cx, name, NULL, 0, e);
		if (compile_proc(cx, P->cpus[c].proc, NULL, x) || drain_work(cx))
			return -1;
	}
	return 0;
}

static int named_proc(Cx *cx, const YNode *x, int nparams, const char *what)
{
	if (cx_want(cx, x, YN_SCALAR, what))
		return -1;
	int d = cx_find_def(cx, x->str);
	if (d < 0)
		return cx_err(cx, x, 0, "%s: no procedure named '%s'", what, x->str);
	int np = cx->defs[d].params ? cx->defs[d].params->n : 0;
	if (np != nparams)
		return cx_err(cx, x, 0, "%s: '%s' must take %d parameter%s, it takes %d", what, x->str,
		            nparams, nparams == 1 ? "" : "s", np);
	int p = cx_proc_ref(cx, x->str);
	return drain_work(cx) ? -1 : p;
}

/* A variable's name may not be a constant's or another object's: an
 * operand resolves to the first match, so the variable could never be
 * named (see named_const). */
static int var_names(Cx *cx)
{
	for (int i = 0; i < cx->P->nvars; i++) {
		uint64_t v;
		cx_named_const(cx, cx->P->vars[i].name, &v);
		if (h_kind(v) != HK_VAR || h_index(v) != (uint32_t)i)
			return cx_err(cx, cx->var_at[i], 0, "vars: '%s' is already the name of a%s %s", cx->P->vars[i].name,
			              h_kind(v) == HK_MM ? "n" : "", h_kind(v) == HK_INT ? "constant" : cx_hk_word(h_kind(v)));
	}
	return 0;
}

/* vmas: vm_ops: {page_mkwrite: P, pfn_mkwrite: P}: each a procedure of
 * two parameters, (vma, page) and (vma, address). */
static int vm_ops(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "page_mkwrite", "pfn_mkwrite", NULL };
	static const char *const what[] = { "vm_ops.page_mkwrite", "vm_ops.pfn_mkwrite" };
	for (int i = 0; n && i < n->n; i++) {
		const YNode *ops = ynode_get(n->items[i], "vm_ops");
		if (!ops)
			continue;
		if (cx_keys(cx, ops, "vm_ops", keys))
			return -1;
		for (int k = 0; k < VMOPS__COUNT; k++) {
			const YNode *x = ynode_get(ops, keys[k]);
			if (x && (cx->P->vmas[i].vm_ops[k] = named_proc(cx, x, 2, what[k])) < 0)
				return -1;
		}
	}
	return 0;
}

static const char *const builtin_doc[OUT__BUILTIN][2] = {
	{ "lost_dirty", "a file page's latest data would not be written by a full sync (no PTE D, PG_dirty or writeback)" },
	{ "dirty_nonpresent_pte", "a PTE with P=0 and A or D set was created (the 0x40 'dirty zero')" },
	{ "stale_tlb_write", "a store went through a TLB entry that a completed flush should have removed" },
	{ "deadlock", "every unfinished CPU is blocked" },
	{ "bug_on", "a BUG_ON in the scenario fired" },
	{ "stale_mapping", "at the end a PTE maps a page that is no longer the file's page at that index, or lies beyond i_size" },
	{ "use_after_free", "a PTE maps, or an access reached, a freed block" },
	{ "mtime_missed", "file data changed through a mapping and the file's mtime never changed" },
	{ "lost_write", "after a full sync (every way the kernel under test writes a page) the disk would lack data a completed write put in a file page" },
	{ "livelock", "a reachable cycle of states from which no end state can be reached: the CPUs run forever" },
	{ "stale_access", "a user access went through a TLB entry whose translation a system call had revoked and returned" },
	{ "write_to_readonly_file", "a write through a mapping that may never write its file (private, or shared without VM_MAYWRITE) changed a page-cache page" },
};

/* The procedure of an exists: or always: expression: `return EXPR`, named after
 * its outcome, compiled as a check (no parameters). */
static int expr_proc(Cx *cx, const YNode *ex, const char *name)
{
	if (cx_want(cx, ex, YN_SCALAR, "outcome expression"))
		return -1;
	int p = new_proc(cx, name, NULL, 0, ex);
	proc_begin(cx, p);
	if (cx_return_expr(cx, ex))
		return -1;
	proc_end(cx, p, 0);
	return drain_work(cx) ? -1 : p;
}

/* BUILTIN: off | on, in outcomes: (a mapping, or a list item of one key). */
static int outcome_switch(Cx *cx, const YNode *k, const YNode *v)
{
	Program *P = cx->P;
	int o = prog_outcome(P, k->str), off;
	if (o < 0 || o >= OUT__BUILTIN)
		return cx_err(cx, k, 0, "outcomes: '%s' is no built-in outcome (a named one is {name: N, check: P})",
		              k->str);
	if (cx_want(cx, v, YN_SCALAR, "outcomes") || (strcmp(v->str, "off") && strcmp(v->str, "on")))
		return cx->failed ? -1 : cx_err(cx, v, 0, "outcomes: %s: expected off or on, got '%s'", k->str, v->str);
	off = !strcmp(v->str, "off");
	if (off && o == OUT_LIVELOCK)
		return cx_err(cx, v, 0, "outcomes: livelock cannot be turned off (a schedule that never ends has no end state to judge)");
	P->outcomes_off = off ? P->outcomes_off | 1u << o : P->outcomes_off & ~(1u << o);
	return 0;
}

static int outcome_switches(Cx *cx, const YNode *map)
{
	if (cx_plain_keys(cx, map, "outcomes"))
		return -1;
	for (int k = 0; k + 1 < map->n; k += 2)
		if (outcome_switch(cx, map->items[k], map->items[k + 1]))
			return -1;
	return 0;
}

/* {name: N, check: PROC} or {name: N, exists: "EXPR"}: a named outcome,
 * reached at an end state where the check returns nonzero. */
static int named_outcome(Cx *cx, const YNode *e)
{
	static const char *const keys[] = { "name", "check", "exists", "always", "doc", NULL };
	Program *P = cx->P;
	OutcomeDesc *o = &P->outcomes[P->noutcomes];
	const YNode *x, *chk, *ex, *inv;
	if (P->noutcomes == MAX_OUTCOMES)
		return cx_err(cx, e, 0, "too many outcomes (at most %d)", MAX_OUTCOMES);
	if (cx_keys(cx, e, "outcome", keys) || !(x = cx_need(cx, e, "name", "outcome")) ||
	    cx_want(cx, x, YN_SCALAR, "outcome.name"))
		return -1;
	if (prog_outcome(P, x->str) >= 0)
		return cx_err(cx, x, 0, "outcome '%s' is defined twice", x->str);
	o->name = prog_strdup(P, x->str);
	chk = ynode_get(e, "check");
	ex = ynode_get(e, "exists");
	inv = ynode_get(e, "always");
	if (!!chk + !!ex + !!inv != 1)
		return cx_err(cx, e, 0, "outcome %s: give one of check: (a procedure), exists: (an expression) or "
		              "always: (an invariant)", o->name);
	if ((o->proc = chk ? named_proc(cx, chk, 0, "outcome.check") : expr_proc(cx, ex ? ex : inv, o->name)) < 0)
		return -1;
	if (inv) {
		o->always = 1;
		P->invariants |= 1u << P->noutcomes;
	}
	if ((x = ynode_get(e, "doc")) && !cx_want(cx, x, YN_SCALAR, "outcome.doc"))
		o->doc = prog_strdup(P, x->str);
	P->noutcomes++;
	return 0;
}

/* Fails unless every step procedure p and its callees run only reads
 * the machine (prog_op_reads_only): an outcome check judges an end state,
 * it may not change it.  seen marks procedures already walked. */
static int reads_only(Cx *cx, int p, const char *outcome, unsigned char *seen)
{
	if (seen[p])
		return 0;
	seen[p] = 1;
	for (int i = cx->procs[p].entry; i < cx->nsteps && cx->steps[i].proc == p; i++) {
		const Step *s = &cx->steps[i];
		if (s->op == OP_CALL) {
			if (reads_only(cx, s->target, outcome, seen))
				return -1;
		} else if (!prog_op_reads_only(s->op)) {
			return cx_err(cx, &(YNode){ .file = s->file, .line = (int)s->line, .col = (int)s->col }, 0,
			              "outcome %s: a check may only read the machine, and %s can change it", outcome,
			              prog_ops[s->op].name);
		}
	}
	return 0;
}

static int checks_read_only(Cx *cx)
{
	Program *P = cx->P;
	unsigned char *seen = prog_alloc(P, (size_t)cx->nprocs + 1);
	for (int i = OUT__BUILTIN; i < P->noutcomes; i++) {
		memset(seen, 0, (size_t)cx->nprocs + 1);
		if (reads_only(cx, P->outcomes[i].proc, P->outcomes[i].name, seen))
			return -1;
	}
	return 0;
}

static int outcomes(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	for (int i = 0; i < OUT__BUILTIN; i++)
		P->outcomes[P->noutcomes++] = (OutcomeDesc){ builtin_doc[i][0], -1, builtin_doc[i][1], 0 };
	if (!n)
		return 0;
	if (n->kind == YN_MAP)
		return outcome_switches(cx, n);
	if (cx_want(cx, n, YN_SEQ, "outcomes"))
		return -1;
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i];
		int rc = e->kind == YN_MAP && e->n == 2 && !ynode_get(e, "name") ? outcome_switches(cx, e)
		                                                                : named_outcome(cx, e);
		if (rc)
			return -1;
	}
	return checks_read_only(cx);
}

static int quant(Cx *cx, const YNode *v, int *q)
{
	static const char *const w[] = { "never", "sometimes", "always" };
	if (cx_want(cx, v, YN_SCALAR, "expectation"))
		return -1;
	for (int i = 0; i < 3; i++)
		if (!strcmp(v->str, w[i])) { *q = i; return 0; }
	return cx_err(cx, v, 0, "expected never, sometimes or always, got '%s'", v->str);
}

/* others: any | never.  `any` lets the outcomes that no entry of the
 * cells it applies to names be reached without failing check; `never`
 * (the default) says so explicitly. */
static int others(Cx *cx, const YNode *v, Expect *x)
{
	if (cx_want(cx, v, YN_SCALAR, "expect.others"))
		return -1;
	if (strcmp(v->str, "any") && strcmp(v->str, "never"))
		return cx_err(cx, v, 0, "expect: others: expected any or never, got '%s'", v->str);
	x->outcome = EXPECT_OTHERS;
	x->quant = strcmp(v->str, "any") ? Q_NEVER : Q_SOMETIMES;
	return 0;
}

static int expects(Cx *cx, const YNode *n)
{
	Program *P = cx->P;
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "expect"))
		return -1;
	int total = 0;
	for (int i = 0; i < n->n; i++)
		total += n->items[i]->kind == YN_MAP ? n->items[i]->n / 2 : 0;
	P->expects = prog_alloc(P, sizeof(Expect) * (size_t)(total + 1));
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *v = ynode_get(e, "variant"), *m = ynode_get(e, "model");
		if (cx_want(cx, e, YN_MAP, "expect") || cx_plain_keys(cx, e, "expect"))
			return -1;
		if (v && (cx_want(cx, v, YN_SCALAR, "expect.variant") ||
		          (P->nvariants ? cx_find_name(P->variants, P->nvariants, v->str) < 0 : 1)))
			return cx->failed ? -1 : cx_err(cx, v, 0, "expect: no variant named '%s'", v->str);
		if (m && cx_listed_model(cx, m, "expect.model") < 0)
			return -1;
		if (m && cx_find_name(P->listed, P->nlisted, m->str) < 0)
			return cx_err(cx, m, 0, "expect: model '%s' is not in machine.models, so it is never explored", m->str);
		for (int k = 0; k + 1 < e->n; k += 2) {
			const YNode *key = e->items[k];
			if (!strcmp(key->str, "variant") || !strcmp(key->str, "model"))
				continue;
			Expect *x = &P->expects[P->nexpects];
			if (!strcmp(key->str, "others")) {
				if (others(cx, e->items[k + 1], x))
					return -1;
			} else if ((x->outcome = prog_outcome(P, key->str)) < 0) {
				return cx_err(cx, key, 0, "expect: unknown outcome '%s'", key->str);
			} else if (P->outcomes_off >> x->outcome & 1) {
				return cx_err(cx, key, 0, "expect: outcome '%s' is off in this scenario (outcomes:)", key->str);
			} else if (quant(cx, e->items[k + 1], &x->quant)) {
				return -1;
			}
			x->variant = v ? prog_strdup(P, v->str) : NULL;
			x->model = m ? prog_strdup(P, m->str) : NULL;
			x->file = (uint16_t)key->file;
			x->line = (uint32_t)key->line;
			x->col = (uint32_t)key->col;
			P->nexpects++;
		}
	}
	return 0;
}

/* ---- liveness: which registers are dead after each step ---- */

static uint64_t step_uses(const Step *s)
{
	uint64_t u = 0;
	for (int i = 0; i < s->nargs; i++)
		if (s->a[i].kind == OPD_REG)
			u |= 1ull << s->a[i].v;
	if (s->dst >= 0 && s->dst_or)
		u |= 1ull << s->dst;
	return u;
}

static uint64_t step_defs(const Step *s)
{
	return s->dst >= 0 && !s->dst_or ? 1ull << s->dst : 0;
}

/* Backward dataflow over procedure p's steps [first, end): live_in(s) =
 * uses(s) | (live_out(s) & ~defs(s)); live_out(s) = the union over its
 * successors.  A faulting user access is retried from its own step, so
 * what it reads stays live until it completes: it is in uses(s). */
static void liveness(Cx *cx, int first, int end)
{
	int n = end - first;
	uint64_t *in = calloc((size_t)n + 1, sizeof *in);
	if (!in)
		abort();
	for (int changed = 1; changed; ) {
		changed = 0;
		for (int i = n - 1; i >= 0; i--) {
			Step *s = &cx->steps[first + i];
			uint64_t out = 0;
			int t = s->target - first;
			if (s->op == OP_JMP || s->op == OP_JZ || s->op == OP_JNZ)
				out |= t >= 0 && t < n ? in[t] : 0;
			if (s->op != OP_JMP && s->op != OP_RET && i + 1 < n)
				out |= in[i + 1];
			uint64_t v = step_uses(s) | (out & ~step_defs(s));
			s->dead = ~out;
			changed |= v != in[i];
			in[i] = v;
		}
	}
	free(in);
}

static void all_liveness(Cx *cx)
{
	for (int p = 0; p < cx->nprocs; p++) {
		int first = cx->procs[p].entry, end = first;
		while (end < cx->nsteps && cx->steps[end].proc == p)
			end++;
		liveness(cx, first, end);
		uint64_t mask = cx->procs[p].nlocals >= 64 ? ~0ull : (1ull << cx->procs[p].nlocals) - 1;
		for (int i = first; i < end; i++) {
			Step *s = &cx->steps[i];
			s->dead &= mask;
			/* A call's result is written when the callee returns, after
			 * its dead registers were zeroed at the call: a result no
			 * one reads is not written at all, so that it cannot keep
			 * equal states apart. */
			if ((s->op == OP_CALL || s->op == OP_PAGE_MKWRITE || s->op == OP_PFN_MKWRITE) &&
			    s->dst >= 0 && (s->dead >> s->dst & 1)) {
				s->dst = -1;
				s->dst_or = 0;
			}
		}
	}
}

/* ---- call graph: recursion and stack sizes ---- */

/* The k-th procedure step s may call (-1: none there), -2 past the last:
 * a call's target, the fault handler for a user access, and for a
 * vm_ops call every vma's callback of that kind. */
static int callee_k(Cx *cx, const Step *s, int fault, int k)
{
	if (s->op == OP_PAGE_MKWRITE || s->op == OP_PFN_MKWRITE)
		return k < cx->P->nvmas ? cx->P->vmas[k].vm_ops[s->op == OP_PFN_MKWRITE] : -2;
	if (k > 0)
		return -2;
	return s->op == OP_CALL ? s->target : prog_ops[s->op].cls == USER ? fault : -1;
}

static int stack_of(Cx *cx, int p, int *color, int *stk, int *dep, int fault)
{
	if (color[p] == 2)
		return 0;
	if (color[p] == 1) {
		const Proc *pr = &cx->procs[p];
		return cx_err(cx, &(YNode){ .file = pr->file, .line = (int)pr->line, .col = (int)pr->col }, 0,
		            "procedure '%s' calls itself (directly or through others): recursion is not allowed", pr->name);
	}
	color[p] = 1;
	int best = 0, bestd = 0;
	for (int i = cx->procs[p].entry; i < cx->nsteps && cx->steps[i].proc == p; i++)
		for (int k = 0, callee; (callee = callee_k(cx, &cx->steps[i], fault, k)) != -2; k++) {
			if (callee < 0)
				continue;
			if (stack_of(cx, callee, color, stk, dep, fault))
				return -1;
			best = stk[callee] > best ? stk[callee] : best;
			bestd = dep[callee] > bestd ? dep[callee] : bestd;
		}
	stk[p] = cx->procs[p].nlocals + best;
	dep[p] = 1 + bestd;
	color[p] = 2;
	return 0;
}

static int sizes(Cx *cx)
{
	Program *P = cx->P;
	int *color = calloc((size_t)cx->nprocs + 1, sizeof(int) * 3);
	int *stk = color + cx->nprocs + 1, *dep = stk + cx->nprocs + 1;
	int rc = 0;
	P->max_stack = 1;
	P->max_depth = 1;
	for (int p = 0; p < cx->nprocs && !rc; p++) {
		rc = stack_of(cx, p, color, stk, dep, P->fault_handler);
		P->max_stack = stk[p] > P->max_stack ? stk[p] : P->max_stack;
		P->max_depth = dep[p] > P->max_depth ? dep[p] : P->max_depth;
	}
	free(color);
	if (!rc && (P->max_depth > 250 || P->max_stack > 60000))
		return cx_err(cx, cx->set.files[0].root, 0, "calls nest too deep");
	return rc;
}

/* The steps compiled so far are the kernel's: the CPU programs, the
 * fault handler, the vm_ops and all they call (outcome checks come
 * after).  They may not call check functions, and what they read
 * decides what a full sync would find (lost_write). */
static int kernel_steps(Cx *cx)
{
	Program *P = cx->P;
	for (int i = 0; i < cx->nsteps; i++) {
		const Step *s = &cx->steps[i];
		if (prog_op_check_only(s->op))
			return cx_err(cx, &(YNode){ .file = s->file, .line = (int)s->line, .col = (int)s->col }, 0,
			              "%s is a check function: only outcome checks may call it (kernel code cannot read it)",
			              prog_ops[s->op].name);
		P->kernel_reads_pte_dirty |= s->op == OP_PTE_DIRTY;
		P->kernel_reads_skey |= s->op == OP_PAGE_TEST_AND_CLEAR_DIRTY;
	}
	return 0;
}

/* ---- top level ---- */

static int top_keys(Cx *cx)
{
	static const char *const scn[] = { "scenario", "description", "include", "variants", "machine",
		"mms", "mm_cpumask", "files", "pages", "vars", "vmas", "ptes", "tlb", "locks", "fault_handler", "cpus", "outcomes",
		"expect", "procedures", NULL };
	static const char *const lib[] = { "include", "description", "vars", "procedures", NULL };
	if (cx_keys(cx, cx->set.files[0].root, "scenario", scn))
		return -1;
	for (int f = 1; f < cx->set.nfiles; f++)
		if (ynode_get(cx->set.files[f].root, "scenario"))
			return cx_err(cx, ynode_key(cx->set.files[f].root, "scenario"), 0,
			            "an included file must be a library (procedures only), not a scenario");
		else if (cx_keys(cx, cx->set.files[f].root, "library", lib))
			return -1;
	return 0;
}

static int header(Cx *cx, const char *variant)
{
	Program *P = cx->P;
	const YNode *root = cx->set.files[0].root, *x;
	if (!(x = ynode_get(root, "scenario")))
		return cx_err(cx, root, 0, "not a scenario: missing key 'scenario' (a library is used through include:)");
	if (cx_want(cx, x, YN_SCALAR, "scenario"))
		return -1;
	char *name = ytext_escape(x->str);   /* printed on terminals */
	P->name = prog_strdup(P, name);
	free(name);
	if ((x = ynode_get(root, "description")) && !cx_want(cx, x, YN_SCALAR, "description"))
		P->description = prog_strdup(P, x->str);
	if (cx->failed || top_keys(cx))
		return -1;
	if ((x = ynode_get(root, "variants")) && cx_name_list(cx, x, "variants", &P->variants, &P->nvariants))
		return -1;
	if (variant && cx_find_name(P->variants, P->nvariants, variant) < 0)
		return cx_err(cx, x ? x : root, 0, "scenario %s has no variant '%s'", P->name, variant);
	P->variant = variant ? prog_strdup(P, variant) : P->nvariants ? P->variants[0] : NULL;
	if (!(x = ynode_get(root, "mms")))
		return cx_err(cx, root, 0, "scenario: missing key 'mms'");
	if (cx_name_list(cx, x, "mms", &P->mms, &P->nmms))
		return -1;
	if (P->nmms > 255 || P->nmms == 0)
		return cx_err(cx, x, 0, "mms: list 1 to 255 mm names");
	return 0;
}

static void hash_files(Cx *cx)
{
	Program *P = cx->P;
	XXH3_state_t *st = XXH3_createState();
	XXH3_128bits_reset(st);
	P->nfiles = cx->set.nfiles;
	P->files = prog_alloc(P, sizeof(SrcFile) * (size_t)P->nfiles);
	for (int i = 0; i < P->nfiles; i++) {
		YFile *f = &cx->set.files[i];
		P->files[i] = (SrcFile){ prog_strdup(P, f->path), prog_strdup(P, f->text), f->len };
		char *rel = ypath_from(cx->set.files[0].path, f->path);   /* identity: not the spelling */
		XXH3_128bits_update(st, rel, strlen(rel) + 1);
		XXH3_128bits_update(st, f->text, f->len + 1);
		free(rel);
	}
	XXH128_hash_t h = XXH3_128bits_digest(st);
	XXH3_freeState(st);
	snprintf(P->hash, sizeof P->hash, "%016" PRIx64 "%016" PRIx64, h.high64, h.low64);
}

static int compile_all(Cx *cx, const char *variant)
{
	const YNode *root = cx->set.files[0].root, *x;
	Program *P = cx->P;
	hash_files(cx);
	if (header(cx, variant) || cx_machine(cx, root) || var_names(cx) || collect_defs(cx))
		return -1;
	P->fault_handler = -1;
	if ((x = ynode_get(root, "fault_handler")) && (P->fault_handler = named_proc(cx, x, 3, "fault_handler")) < 0)
		return -1;
	if (vm_ops(cx, ynode_get(root, "vmas")))
		return -1;
	if (cpus(cx, ynode_get(root, "cpus")) || kernel_steps(cx) || outcomes(cx, ynode_get(root, "outcomes")) ||
	    expects(cx, ynode_get(root, "expect")) || sizes(cx))
		return -1;
	if (cx->nsteps > 65000)
		return cx_err(cx, root, 0, "program too large (%d steps)", cx->nsteps);
	all_liveness(cx);
	return 0;
}

/* machine.symmetric on the finished program (steps and procedures
 * copied out of cx: it sees what the explorer runs): refused at the item
 * of the first CPU not interchangeable with the list's lowest under some
 * model of machine.models, naming the field that differs (sym_check);
 * "under model M" when it holds under the models before M. */
static int check_symmetric(Cx *cx)
{
	Program *P = cx->P;
	const YNode *n = ynode_get(ynode_get(cx->set.files[0].root, "machine"), "symmetric");
	char why[256];
	for (int m = 0; m < P->nmodels && P->symmetric; m++) {
		int bad = sym_check(P, P->models[m], P->symmetric, why, sizeof why);
		if (bad == -2)
			return cx_err(cx, n, 0, "machine.symmetric: %s", why);
		for (int i = 0; bad >= 0 && i < n->n; i++)
			if ((uint64_t)bad == strtoull(n->items[i]->str, NULL, 0))
				return cx_err(cx, n->items[i], 0, "machine.symmetric: %s%s%s", why, m ? " under model " : "",
				              m ? P->models[m] : "");
	}
	return 0;
}

Program *scn_compile(const char *path, const char *variant, const ScnSource *src,
                     char *err, size_t errlen)
{
	return scn_compile_arch(path, variant, NULL, src, err, errlen);
}

const char *scn_model_arch(const char *model)
{
	const DirtyModel *m = model ? dirty_find(model) : NULL;
	return m ? m->arch : NULL;
}

Program *scn_compile_arch(const char *path, const char *variant, const char *arch, const ScnSource *src,
                          char *err, size_t errlen)
{
	Cx cx = { .err = err, .errlen = errlen, .want_arch = arch };
	Program *P = calloc(1, sizeof *P);
	if (!P)
		abort();
	cx.P = P;
	err[0] = 0;
	int rc = yset_load(&cx.set, path, src);
	if (rc < 0)
		snprintf(err, errlen, "%s", cx.set.err);
	else
		rc = compile_all(&cx, variant);
	if (rc == 0) {
		P->steps = prog_alloc(P, sizeof(Step) * (size_t)(cx.nsteps + 1));
		memcpy(P->steps, cx.steps, sizeof(Step) * (size_t)cx.nsteps);
		P->nsteps = cx.nsteps;
		P->procs = prog_alloc(P, sizeof(Proc) * (size_t)(cx.nprocs + 1));
		memcpy(P->procs, cx.procs, sizeof(Proc) * (size_t)cx.nprocs);
		P->nprocs = cx.nprocs;
		rc = check_symmetric(&cx);
	}
	free(cx.steps);
	free(cx.procs);
	free(cx.work);
	free(cx.defs);
	yset_free(&cx.set);
	if (rc) {
		ytext_clean(err, errlen);   /* names, keys, paths: from input */
		prog_free(P);
		return NULL;
	}
	return P;
}

int scn_is_scenario(const char *path, size_t max)
{
	char why[128];
	size_t len = 0;
	char *text = yfile_read(path, max, &len, why, sizeof why);
	if (!text)
		return -1;
	int is = !strncmp(text, "scenario:", 9);   /* a top-level key */
	for (const char *p = text; !is && (p = memchr(p, '\n', len - (size_t)(p - text))); )
		is = !strncmp(++p, "scenario:", 9);
	free(text);
	return is;
}

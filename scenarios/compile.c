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
 * k-th occurrence in the value is its k-th occurrence in the source. */
static void text_pos(Cx *cx, const YNode *n, int off, int *line, int *col)
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
		const char *p = src;
		int l = 1, c = 1, k = occ;
		for (; *p && (l < n->line || (l == n->line && c < n->col)); p++, c++)
			if (*p == '\n')
				l++, c = 0;
		for (; *p; p++, c++) {
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
		text_pos(cx, n, off, &line, &col);
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

static int terr(Cx *cx, const YNode *n, int off, const char *fmt, ...)
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

static int collect_defs(Cx *cx)
{
	static const char *const keys[] = { "name", "variant", "params", "body", "doc", NULL };
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
			if ((pd->params = ynode_get(d, "params")) && cx_want(cx, pd->params, YN_SEQ, "procedure.params"))
				return -1;
			if (!(pd->body = cx_need(cx, d, "body", "procedure")) || cx_want(cx, pd->body, YN_SEQ, "procedure.body"))
				return -1;
			for (int k = 0; k < cx->ndefs; k++) {
				const ProcDef *o = &cx->defs[k];
				if (!strcmp(o->name, pd->name) && ((!o->variant && !pd->variant) ||
				    (o->variant && pd->variant && !strcmp(o->variant, pd->variant))))
					return cx_err(cx, d, 0, "procedure '%s'%s%s is defined twice (first at %s:%d)",
					            pd->name, pd->variant ? " variant " : "", pd->variant ? pd->variant : "",
					            cx->set.files[o->node->file].path, o->node->line);
			}
			cx->ndefs++;
		}
	}
	return 0;
}

/* The definition of name for the compiled variant: its own, else the
 * variant-less one.  -1 if there is none. */
static int find_def(Cx *cx, const char *name)
{
	int any = -1;
	for (int i = 0; i < cx->ndefs; i++) {
		if (strcmp(cx->defs[i].name, name))
			continue;
		if (cx->defs[i].variant && cx->P->variant && !strcmp(cx->defs[i].variant, cx->P->variant))
			return i;
		if (!cx->defs[i].variant)
			any = i;
	}
	return any;
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
static int proc_ref(Cx *cx, const char *name)
{
	int d = find_def(cx, name);
	if (d < 0)
		return -1;
	ProcDef *pd = &cx->defs[d];
	if (pd->proc < 0) {
		pd->proc = new_proc(cx, pd->name, pd->variant, pd->params ? pd->params->n : 0, pd->node);
		cx->work[cx->nwork++] = d;
	}
	return pd->proc;
}

/* ---- pass 3: statements ---- */

enum { T_IDENT, T_NUM, T_PUNCT, T_END };
typedef struct Tok { int kind, off, len; uint64_t num; } Tok;
typedef struct Stmt {
	const YNode *n;   /* the scalar */
	const char *s;
	Tok t[48]; int nt, i;
} Stmt;

static int tok_is(const Stmt *st, int i, const char *p)
{
	const Tok *t = &st->t[i];
	return t->kind != T_END && (int)strlen(p) == t->len && !strncmp(st->s + t->off, p, (size_t)t->len);
}

static int serr(Cx *cx, const Stmt *st, int ti, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return terr(cx, st->n, st->t[ti].off, "%s", msg);
}

static int tokenize(Cx *cx, Stmt *st)
{
	const char *s = st->s;
	int i = 0;
	st->nt = 0;
	for (;;) {
		while (s[i] && isspace((unsigned char)s[i]))
			i++;
		Tok *t = &st->t[st->nt];
		t->off = i;
		if (st->nt == 47)
			return terr(cx, st->n, i, "step is too long");
		if (!s[i]) {
			t->kind = T_END;
			t->len = 0;
			return 0;
		}
		if (isalpha((unsigned char)s[i]) || s[i] == '_') {
			while (isalnum((unsigned char)s[i]) || s[i] == '_')
				i++;
			t->kind = T_IDENT;
		} else if (isdigit((unsigned char)s[i])) {
			char *end;
			errno = 0;
			t->num = strtoull(s + i, &end, 0);
			if (errno || isalnum((unsigned char)*end) || *end == '_')
				return terr(cx, st->n, i, "bad number '%.*s'", (int)strcspn(s + i, " \t\n,()"), s + i);
			i = (int)(end - s);
			t->kind = T_NUM;
		} else if (s[i] == '|' && s[i + 1] == '=') {
			i += 2;
			t->kind = T_PUNCT;
		} else if (strchr("=(),!", s[i])) {
			i++;
			t->kind = T_PUNCT;
		} else {
			return isprint((unsigned char)s[i]) ? terr(cx, st->n, i, "unexpected character '%c'", s[i])
			                                    : terr(cx, st->n, i, "unexpected character \\x%02x", (unsigned char)s[i]);
		}
		t->len = i - t->off;
		st->nt++;
	}
}

static void tok_str(const Stmt *st, int i, char *buf, size_t n)
{
	int len = st->t[i].len < (int)n - 1 ? st->t[i].len : (int)n - 1;
	memcpy(buf, st->s + st->t[i].off, (size_t)len);
	buf[len] = 0;
}

static Step *emit(Cx *cx, int op, const YNode *at, const char *text)
{
	if (cx->nsteps == cx->scap) {
		cx->scap = cx->scap ? 2 * cx->scap : 64;
		cx->steps = realloc(cx->steps, sizeof *cx->steps * (size_t)cx->scap);
		if (!cx->steps)
			abort();
	}
	Step *s = &cx->steps[cx->nsteps++];
	memset(s, 0, sizeof *s);
	s->op = (uint8_t)op;
	s->dst = -1;
	s->target = -1;
	s->file = (uint16_t)at->file;
	s->line = (uint32_t)at->line;
	s->col = (uint32_t)at->col + (at->quoted ? 1 : 0);
	s->text = text ? prog_strdup(cx->P, text) : "";
	s->proc = (uint16_t)cx->cur;
	return s;
}

static int local_slot(Cx *cx, const char *name, int declare)
{
	int i = cx_find_name(cx->locals, cx->nlocals, name);
	if (i >= 0 || !declare)
		return i;
	if (cx->nlocals == MAX_LOCALS)
		return -2;
	cx->locals[cx->nlocals] = prog_strdup(cx->P, name);
	return cx->nlocals++;
}

static int named_const(Cx *cx, const char *name, uint64_t *v)
{
	static const struct { const char *name; uint64_t v; } k[] = {
		{ "_PAGE_PRESENT", _PAGE_PRESENT }, { "_PAGE_RW", _PAGE_RW }, { "_PAGE_USER", _PAGE_USER },
		{ "_PAGE_ACCESSED", _PAGE_ACCESSED }, { "_PAGE_DIRTY", _PAGE_DIRTY },
		{ "true", 1 }, { "false", 0 }, { "NULL", 0 },
		{ "PAGE_SIZE", 4096 }, { "PAGE_SHIFT", 12 },
		/* include/linux/mm.h, as of 2.6.30-4.x */
		{ "VM_FAULT_OOM", 0x1 }, { "VM_FAULT_SIGBUS", 0x2 }, { "VM_FAULT_MAJOR", 0x4 }, { "VM_FAULT_WRITE", 0x8 },
		{ "VM_FAULT_NOPAGE", 0x100 }, { "VM_FAULT_LOCKED", 0x200 }, { "VM_FAULT_RETRY", 0x400 },
		{ "VM_FAULT_ERROR", VM_FAULT_ERROR_BITS },
	};
	const Program *P = cx->P;
	int i;
	for (size_t j = 0; j < sizeof k / sizeof k[0]; j++)
		if (!strcmp(k[j].name, name)) { *v = k[j].v; return 0; }
	if ((i = cx_find_name(P->mms, P->nmms, name)) >= 0) { *v = h_make(HK_MM, (uint64_t)i); return 0; }
	for (i = 0; i < P->nvmas; i++)
		if (!strcmp(P->vmas[i].name, name)) { *v = h_make(HK_VMA, (uint64_t)i); return 0; }
	for (i = 0; i < P->nfilesys; i++)
		if (!strcmp(P->filesys[i].name, name)) { *v = h_make(HK_FILE, (uint64_t)i); return 0; }
	for (i = 0; i < P->npages; i++)
		if (!strcmp(P->pages[i].name, name)) { *v = h_make(HK_PAGE, (uint64_t)i + 1); return 0; }
	for (i = 0; i < P->nlocks; i++)
		if (!strcmp(P->locks[i].name, name)) { *v = h_make(HK_LOCK, (uint64_t)i); return 0; }
	for (i = 0; i < P->nvars; i++)
		if (!strcmp(P->vars[i].name, name)) { *v = h_make(HK_VAR, (uint64_t)i); return 0; }
	return -1;
}

/* operand := IDENT | NUM.  Registers first, then named objects. */
static int operand(Cx *cx, Stmt *st, Operand *o)
{
	Tok *t = &st->t[st->i];
	char name[64];
	if (t->kind == T_NUM) {
		*o = (Operand){ OPD_CONST, t->num };
		st->i++;
		return 0;
	}
	if (t->kind != T_IDENT)
		return serr(cx, st, st->i, "expected a register, a name or a number");
	tok_str(st, st->i, name, sizeof name);
	int r = local_slot(cx, name, 0);
	if (r >= 0)
		*o = (Operand){ OPD_REG, (uint64_t)r };
	else if (named_const(cx, name, &o->v) == 0)
		o->kind = OPD_CONST;
	else
		return serr(cx, st, st->i, "undefined register '%s'", name);
	st->i++;
	return 0;
}

static int arg_letter_kind(char a)
{
	return a == 'm' ? HK_MM : a == 'v' ? HK_VMA : a == 'p' ? HK_PAGE : a == 'l' ? HK_LOCK : a == 'f' ? HK_FILE :
	       a == 'x' ? HK_VAR : -1;
}

/* The kind of a value, for messages; a top byte that is no handle kind
 * is a plain number (0xff00000000000001 is a number, not a kind 255). */
static const char *hk_word(int k)
{
	static const char *w[] = { "number", "mm", "vma", "file", "page", "lock", "variable" };
	return k > HK_INT && k <= HK_VAR ? w[k] : w[HK_INT];
}

/* Checks constant operands against the op's operand kinds. */
static int check_args(Cx *cx, Stmt *st, int op, const Step *s, const int *argtok)
{
	const char *args = prog_ops[op].args;
	for (int i = 0, k = 0; args[k] && i < s->nargs; k++) {
		if (args[k] == '?')
			continue;
		int want_k = arg_letter_kind(args[k]);
		const Operand *o = &s->a[i];
		if (o->kind == OPD_CONST && want_k >= 0) {
			int got = h_kind(o->v);
			int ok = got == want_k || (want_k == HK_MM && got == HK_VMA);
			if (!ok)
				return serr(cx, st, argtok[i], "%s: argument %d must be a%s %s, got a %s",
				            prog_ops[op].name, i + 1, want_k == HK_MM ? "n" : "", hk_word(want_k), hk_word(got));
		}
		i++;
	}
	return 0;
}

static int op_arity(int op, int *min)
{
	const char *a = prog_ops[op].args;
	int n = 0;
	for (; *a; a++)
		if (*a != '?')
			n++;
	*min = strchr(prog_ops[op].args, '?') ? n - 1 : n;
	return n;
}

/* call := IDENT "(" [operand {"," operand}] ")".  Emits the step with
 * its result into register dst_name (declared only after the operands are
 * read, so `x = f(x)` needs an x), or into slot dst (dst_name NULL; -1:
 * discard). */
static int call(Cx *cx, Stmt *st, const char *dst_name, int dst, int dst_or, const char *text)
{
	char name[64];
	int nt = st->i, argtok[STEP_MAXARGS + 1];
	Operand a[STEP_MAXARGS + 1];
	int na = 0;
	tok_str(st, nt, name, sizeof name);
	st->i += 2;     /* name ( */
	while (!tok_is(st, st->i, ")")) {
		if (na == STEP_MAXARGS)
			return serr(cx, st, st->i, "%s: too many arguments (at most %d)", name, STEP_MAXARGS);
		argtok[na] = st->i;
		if (operand(cx, st, &a[na++]))
			return -1;
		if (tok_is(st, st->i, ","))
			st->i++;
		else if (!tok_is(st, st->i, ")"))
			return serr(cx, st, st->i, "expected ',' or ')'");
	}
	st->i++;
	if (st->t[st->i].kind != T_END)
		return serr(cx, st, st->i, "unexpected text after ')'");
	if (dst_name && (dst = local_slot(cx, dst_name, 1)) == -2)
		return serr(cx, st, 0, "too many registers (at most %d)", MAX_LOCALS);
	int op = prog_op_lookup(name);
	Step *s;
	if (op >= 0 && prog_op_is_step(op)) {
		int min, max = op_arity(op, &min);
		if (na < min || na > max)
			return serr(cx, st, nt, "%s takes %d argument%s, got %d", name, max, max == 1 ? "" : "s", na);
		if (dst >= 0 && !prog_ops[op].dst)
			return serr(cx, st, nt, "%s returns no value", name);
		s = emit(cx, op, st->n, text);
	} else {
		int d = find_def(cx, name);
		if (d < 0)
			return serr(cx, st, nt, "unknown step '%s' (neither a primitive nor a procedure)", name);
		int np = cx->defs[d].params ? cx->defs[d].params->n : 0;
		if (na != np)
			return serr(cx, st, nt, "%s takes %d argument%s, got %d", name, np, np == 1 ? "" : "s", na);
		int target = proc_ref(cx, name);
		s = emit(cx, OP_CALL, st->n, text);
		s->target = target;
	}
	s->nargs = (uint8_t)na;
	memcpy(s->a, a, sizeof(Operand) * (size_t)na);
	s->dst = (int16_t)dst;
	s->dst_or = (uint8_t)dst_or;
	return op >= 0 ? check_args(cx, st, op, s, argtok) : 0;
}

static int is_call(const Stmt *st, int i)
{
	return st->t[i].kind == T_IDENT && tok_is(st, i + 1, "(");
}

static int do_return(Cx *cx, Stmt *st)
{
	Step *s = emit(cx, OP_RET, st->n, st->s);
	st->i = 1;
	if (st->t[1].kind != T_END) {
		Operand o;
		if (operand(cx, st, &o))
			return -1;
		s = &cx->steps[cx->nsteps - 1];
		s->a[0] = o;
		s->nargs = 1;
		if (st->t[st->i].kind != T_END)
			return serr(cx, st, st->i, "return takes one register or number");
	}
	return 0;
}

static int do_break(Cx *cx, Stmt *st, int is_break)
{
	if (cx->nloops == 0)
		return serr(cx, st, 0, "%s outside a loop", is_break ? "break" : "continue");
	if (st->t[1].kind != T_END)
		return serr(cx, st, 1, "unexpected text after %s", is_break ? "break" : "continue");
	Step *s = emit(cx, OP_JMP, st->n, st->s);
	int l = cx->nloops - 1;
	if (!is_break)
		s->target = cx->loop_top[l];
	else if (cx->nbreaks[l] < 32)
		cx->breaks[l][cx->nbreaks[l]++] = cx->nsteps - 1;
	else
		return serr(cx, st, 0, "too many breaks in one loop");
	return 0;
}

/* stmt := "return" [operand] | "break" | "continue"
 *       | IDENT ("=" | "|=") ["!"] (call | operand) | call */
static int statement(Cx *cx, const YNode *n)
{
	Stmt st = { .n = n, .s = n->str };
	if (tokenize(cx, &st))
		return -1;
	if (tok_is(&st, 0, "return"))
		return do_return(cx, &st);
	if (tok_is(&st, 0, "break") || tok_is(&st, 0, "continue"))
		return do_break(cx, &st, tok_is(&st, 0, "break"));
	if (is_call(&st, 0))
		return call(cx, &st, NULL, -1, 0, n->str);
	if (st.t[0].kind != T_IDENT || !(tok_is(&st, 1, "=") || tok_is(&st, 1, "|=")))
		return serr(cx, &st, 0, "expected a step: 'name(args)', 'x = name(args)', 'x = value', 'return x', 'break' or 'continue'");
	char name[64];
	tok_str(&st, 0, name, sizeof name);
	int dst_or = tok_is(&st, 1, "|=");
	st.i = 2;
	if (is_call(&st, 2))
		return call(cx, &st, name, -1, dst_or, n->str);
	int neg = tok_is(&st, 2, "!");
	st.i += neg;
	if (neg && is_call(&st, st.i)) {      /* x = !f(args): f into the temp, NOT into x */
		if (cx->tmp < 0 && (cx->tmp = local_slot(cx, "(cond)", 1)) < 0)
			return serr(cx, &st, 0, "too many registers (at most %d)", MAX_LOCALS);
		if (call(cx, &st, NULL, cx->tmp, 0, n->str))
			return -1;
		int d = local_slot(cx, name, 1);
		if (d == -2)
			return serr(cx, &st, 0, "too many registers (at most %d)", MAX_LOCALS);
		Step *s = emit(cx, OP_NOT, n, n->str);
		s->a[0] = (Operand){ OPD_REG, (uint64_t)cx->tmp };
		s->nargs = 1;
		s->dst = (int16_t)d;
		s->dst_or = (uint8_t)dst_or;
		s = emit(cx, OP_MOV, n, n->str);     /* the temp never outlives the step */
		s->a[0] = (Operand){ OPD_CONST, 0 };
		s->nargs = 1;
		s->dst = (int16_t)cx->tmp;
		return 0;
	}
	Operand o;
	if (operand(cx, &st, &o))
		return -1;
	if (st.t[st.i].kind != T_END)
		return serr(cx, &st, st.i, "unexpected text after the value");
	int d = local_slot(cx, name, 1);
	if (d == -2)
		return serr(cx, &st, 0, "too many registers (at most %d)", MAX_LOCALS);
	Step *s = emit(cx, neg ? OP_NOT : OP_MOV, n, n->str);
	s->a[0] = o;
	s->nargs = 1;
	s->dst = (int16_t)d;
	s->dst_or = (uint8_t)dst_or;
	return 0;
}

/* cond := ["!"] (call | operand).  Emits the test and a JZ whose target
 * the caller patches; returns the JZ's index or -1.  The condition temp
 * register is cleared by the JZ, so it never outlives the test. */
static int condition(Cx *cx, const YNode *n, const char *what)
{
	Stmt st = { .n = n, .s = n->str };
	Operand o;
	if (cx_want(cx, n, YN_SCALAR, what) || tokenize(cx, &st))
		return -1;
	int neg = tok_is(&st, 0, "!"), clear = 0;
	st.i = neg;
	if (st.t[st.i].kind == T_END)
		return serr(cx, &st, st.i, "%s: expected a condition", what);
	if (is_call(&st, st.i) || neg) {
		if (cx->tmp < 0 && (cx->tmp = local_slot(cx, "(cond)", 1)) < 0)
			return serr(cx, &st, 0, "too many registers");
		clear = 1;
	}
	if (is_call(&st, st.i)) {
		if (call(cx, &st, NULL, cx->tmp, 0, n->str + st.t[st.i].off))
			return -1;
		o = (Operand){ OPD_REG, (uint64_t)cx->tmp };
	} else {
		if (operand(cx, &st, &o))
			return -1;
		if (st.t[st.i].kind != T_END)
			return serr(cx, &st, st.i, "unexpected text after the condition");
	}
	if (neg) {
		Step *s = emit(cx, OP_NOT, n, n->str);
		s->a[0] = o;
		s->nargs = 1;
		s->dst = (int16_t)cx->tmp;
		o = (Operand){ OPD_REG, (uint64_t)cx->tmp };
	}
	Step *j = emit(cx, OP_JZ, n, n->str);
	j->a[0] = o;
	j->nargs = 1;
	j->dst = (int16_t)(clear ? cx->tmp : -1);
	return cx->nsteps - 1;
}

static int body(Cx *cx, const YNode *list, const char *what);

static int do_if(Cx *cx, const YNode *m)
{
	static const char *const keys[] = { "if", "then", "else", NULL };
	const YNode *th, *el;
	if (cx_keys(cx, m, "if", keys) || !(th = cx_need(cx, m, "then", "if")))
		return -1;
	int jz = condition(cx, ynode_get(m, "if"), "if");
	if (jz < 0 || body(cx, th, "then"))
		return -1;
	if ((el = ynode_get(m, "else"))) {
		int j = cx->nsteps;
		emit(cx, OP_JMP, m, "else");
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
	if (w && ((jz = condition(cx, w, "while")) < 0 || !(b = cx_need(cx, m, "do", "while"))))
		return -1;
	if (!w)
		b = ynode_get(m, "loop");
	if (body(cx, b, w ? "do" : "loop"))
		return -1;
	Step *s = emit(cx, OP_JMP, m, w ? "while" : "loop");
	s->target = cx->loop_top[l];
	if (jz >= 0)
		cx->steps[jz].target = cx->nsteps;
	for (int i = 0; i < cx->nbreaks[l]; i++)
		cx->steps[cx->breaks[l][i]].target = cx->nsteps;
	cx->nloops--;
	return 0;
}

static int body(Cx *cx, const YNode *list, const char *what)
{
	if (cx_want(cx, list, YN_SEQ, what))
		return -1;
	for (int i = 0; i < list->n; i++) {
		const YNode *it = list->items[i];
		int rc;
		if (it->kind == YN_SCALAR)
			rc = statement(cx, it);
		else if (it->kind == YN_MAP && cx_plain_keys(cx, it, what))
			rc = -1;
		else if (it->kind == YN_MAP && ynode_get(it, "if"))
			rc = do_if(cx, it);
		else if (it->kind == YN_MAP && (ynode_get(it, "while") || ynode_get(it, "loop")))
			rc = do_loop(cx, it);
		else if (it->kind == YN_MAP && it->n)
			rc = cx_err(cx, it->items[0], 0, "unknown key '%s' (a step is a string, or if:/while:/loop:)", it->items[0]->str);
		else
			rc = cx_err(cx, it, 0, "%s: expected a step", what);
		if (rc)
			return -1;
	}
	return 0;
}

/* Compiles one procedure body (params from the definition, if any). */
static int compile_proc(Cx *cx, int proc, const YNode *params, const YNode *b)
{
	Proc *p;
	cx->cur = proc;
	cx->nlocals = 0;
	cx->tmp = -1;
	cx->nloops = 0;
	for (int i = 0; params && i < params->n; i++) {
		if (cx_want(cx, params->items[i], YN_SCALAR, "params"))
			return -1;
		if (local_slot(cx, params->items[i]->str, 0) >= 0)
			return cx_err(cx, params->items[i], 0, "parameter '%s' is listed twice", params->items[i]->str);
		local_slot(cx, params->items[i]->str, 1);
	}
	cx->procs[proc].entry = cx->nsteps;
	if (body(cx, b, "body"))
		return -1;
	emit(cx, OP_RET, b->kind == YN_SEQ && b->n ? b->items[b->n - 1] : b, "return (end of body)");
	p = &cx->procs[proc];
	p->nlocals = cx->nlocals;
	p->locals = prog_alloc(cx->P, sizeof(char *) * (size_t)(cx->nlocals + 1));
	memcpy(p->locals, cx->locals, sizeof(char *) * (size_t)cx->nlocals);
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
			if (cx_want(cx, x, YN_SCALAR, "cpu.model"))
				return -1;
			for (int k = 0; dirty_model(k); k++)
				if (!strcmp(dirty_model(k)->name, x->str))
					P->cpus[c].model = k;
			if (P->cpus[c].model < 0)
				return cx_err(cx, x, 0, "unknown dirty-bit model '%s'", x->str);
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
	int d = find_def(cx, x->str);
	if (d < 0)
		return cx_err(cx, x, 0, "%s: no procedure named '%s'", what, x->str);
	int np = cx->defs[d].params ? cx->defs[d].params->n : 0;
	if (np != nparams)
		return cx_err(cx, x, 0, "%s: '%s' must take %d parameter%s, it takes %d", what, x->str,
		            nparams, nparams == 1 ? "" : "s", np);
	int p = proc_ref(cx, x->str);
	return drain_work(cx) ? -1 : p;
}

/* A variable's name may not be a constant's or another object's: an
 * operand resolves to the first match, so the variable could never be
 * named (see named_const). */
static int var_names(Cx *cx)
{
	for (int i = 0; i < cx->P->nvars; i++) {
		uint64_t v;
		named_const(cx, cx->P->vars[i].name, &v);
		if (h_kind(v) != HK_VAR || h_index(v) != (uint32_t)i)
			return cx_err(cx, cx->var_at[i], 0, "vars: '%s' is already the name of a%s %s", cx->P->vars[i].name,
			              h_kind(v) == HK_MM ? "n" : "", h_kind(v) == HK_INT ? "constant" : hk_word(h_kind(v)));
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
	{ "livelock", "a reachable cycle of states from which no end state can be reached: the CPUs run forever" },
};

static int outcomes(Cx *cx, const YNode *n)
{
	static const char *const keys[] = { "name", "check", "doc", NULL };
	Program *P = cx->P;
	for (int i = 0; i < OUT__BUILTIN; i++)
		P->outcomes[P->noutcomes++] = (OutcomeDesc){ builtin_doc[i][0], -1, builtin_doc[i][1] };
	if (!n)
		return 0;
	if (cx_want(cx, n, YN_SEQ, "outcomes"))
		return -1;
	for (int i = 0; i < n->n; i++) {
		const YNode *e = n->items[i], *x;
		OutcomeDesc *o = &P->outcomes[P->noutcomes];
		if (P->noutcomes == MAX_OUTCOMES)
			return cx_err(cx, e, 0, "too many outcomes (at most %d)", MAX_OUTCOMES);
		if (cx_keys(cx, e, "outcome", keys) || !(x = cx_need(cx, e, "name", "outcome")) ||
		    cx_want(cx, x, YN_SCALAR, "outcome.name"))
			return -1;
		if (prog_outcome(P, x->str) >= 0)
			return cx_err(cx, x, 0, "outcome '%s' is defined twice", x->str);
		o->name = prog_strdup(P, x->str);
		if (!(x = cx_need(cx, e, "check", "outcome")) || (o->proc = named_proc(cx, x, 0, "outcome.check")) < 0)
			return -1;
		if ((x = ynode_get(e, "doc")) && !cx_want(cx, x, YN_SCALAR, "outcome.doc"))
			o->doc = prog_strdup(P, x->str);
		P->noutcomes++;
	}
	return 0;
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
		if (m && (cx_want(cx, m, YN_SCALAR, "expect.model") || !dirty_find(m->str)))
			return cx->failed ? -1 : cx_err(cx, m, 0, "unknown dirty-bit model '%s'", m->str);
		if (m && cx_find_name(P->models, P->nmodels, m->str) < 0)
			return cx_err(cx, m, 0, "expect: model '%s' is not in machine.models, so it is never explored", m->str);
		for (int k = 0; k + 1 < e->n; k += 2) {
			const YNode *key = e->items[k];
			if (!strcmp(key->str, "variant") || !strcmp(key->str, "model"))
				continue;
			Expect *x = &P->expects[P->nexpects];
			if ((x->outcome = prog_outcome(P, key->str)) < 0)
				return cx_err(cx, key, 0, "expect: unknown outcome '%s'", key->str);
			if (quant(cx, e->items[k + 1], &x->quant))
				return -1;
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
			if (s->op == OP_JMP || s->op == OP_JZ)
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

/* ---- top level ---- */

static int top_keys(Cx *cx)
{
	static const char *const scn[] = { "scenario", "description", "include", "variants", "machine",
		"mms", "mm_cpumask", "files", "vars", "vmas", "ptes", "tlb", "locks", "fault_handler", "cpus", "outcomes",
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
	P->name = prog_strdup(P, x->str);
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
		XXH3_128bits_update(st, f->path, strlen(f->path) + 1);
		XXH3_128bits_update(st, f->text, f->len + 1);
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
	if (cpus(cx, ynode_get(root, "cpus")) || outcomes(cx, ynode_get(root, "outcomes")) ||
	    expects(cx, ynode_get(root, "expect")) || sizes(cx))
		return -1;
	if (cx->nsteps > 65000)
		return cx_err(cx, root, 0, "program too large (%d steps)", cx->nsteps);
	all_liveness(cx);
	return 0;
}

Program *scn_compile(const char *path, const char *variant, const ScnSource *src,
                     char *err, size_t errlen)
{
	Cx cx = { .err = err, .errlen = errlen };
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
	}
	free(cx.steps);
	free(cx.procs);
	free(cx.work);
	free(cx.defs);
	yset_free(&cx.set);
	if (rc) {
		prog_free(P);
		return NULL;
	}
	return P;
}

int scn_is_scenario(const char *path)
{
	char line[512];
	int is = 0;
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (!is && fgets(line, sizeof line, fp))   /* a top-level key */
		is = !strncmp(line, "scenario:", 9);
	fclose(fp);
	return is;
}

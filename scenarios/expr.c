/* scenarios/expr.c: the statement and expression compiler.  Lowers one
 * YAML statement string ("dirty = !PageDirty(page)", an if: condition,
 * "return pte_dirty(ptep_get(vma, addr))") into steps of the immutable
 * program.  Invariants: every call of a primitive or a procedure is one
 * step, emitted innermost first and left to right, so each call that
 * touches shared state is its own interleaving point in that order;
 * operators are LOCAL steps on temporaries (registers named "(tN)", free
 * again when the statement ends, so liveness zeroes them and they never
 * tell states apart); operators on constants fold at compile time. */
#include "scenarios/compileInt.h"
#include "mmu/arch.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_IDENT, T_NUM, T_PUNCT, T_END };
typedef struct Tok { int kind, off, len; uint64_t num; } Tok;

#define MAX_TOKS 256
typedef struct Stmt {
	const YNode *n;          /* the scalar */
	const char *s;
	Tok t[MAX_TOKS]; int nt, i;
	int ncalls;              /* traced calls emitted so far */
	const char *what;        /* "statement", "if", "while": for messages */
} Stmt;

/* A value of an expression: a register or a constant operand. */
typedef struct Val {
	Operand o;
	int tok;                 /* its first token, for messages */
	int tmp;                 /* o is a temporary this expression owns */
} Val;

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
	return cx_err_at(cx, st->n, st->t[ti].off, "%s", msg);
}

static void tok_str(const Stmt *st, int i, char *buf, size_t n)
{
	int len = st->t[i].len < (int)n - 1 ? st->t[i].len : (int)n - 1;
	memcpy(buf, st->s + st->t[i].off, (size_t)len);
	buf[len] = 0;
}

/* ---- tokens ---- */

/* Longest match first: two-character operators before one. */
static int punct_len(const char *p)
{
	static const char *const two[] = { "||", "&&", "==", "!=", "<=", ">=", "<<", ">>",
		"|=", "&=", "^=", "+=", "-=", "->", NULL };
	for (int k = 0; two[k]; k++)
		if (p[0] == two[k][0] && p[1] == two[k][1])
			return 2;
	return p[0] && strchr("=(),!~-+*/%<>&|^", p[0]) ? 1 : 0;
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
		if (st->nt == MAX_TOKS - 1)
			return cx_err_at(cx, st->n, i, "statement is too long (at most %d tokens)", MAX_TOKS - 1);
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
				return cx_err_at(cx, st->n, i, "bad number '%.*s'", (int)strcspn(s + i, " \t\n,()"), s + i);
			i = (int)(end - s);
			t->kind = T_NUM;
		} else if (punct_len(s + i)) {
			i += punct_len(s + i);
			t->kind = T_PUNCT;
		} else {
			return isprint((unsigned char)s[i]) ? cx_err_at(cx, st->n, i, "unexpected character '%c'", s[i])
			                                    : cx_err_at(cx, st->n, i, "unexpected character \\x%02x", (unsigned char)s[i]);
		}
		t->len = i - t->off;
		st->nt++;
	}
}

/* ---- steps, registers, names ---- */

Step *cx_emit(Cx *cx, int op, const YNode *at, const char *text)
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

/* A step for the text of tokens [from, to] of st, placed at its column. */
static Step *emit_at(Cx *cx, Stmt *st, int op, int from, int to)
{
	char text[512];
	int a = st->t[from].off, b = st->t[to].off + st->t[to].len, line, col;
	snprintf(text, sizeof text, "%.*s", b - a, st->s + a);
	Step *s = cx_emit(cx, op, st->n, text);
	cx_text_pos(cx, st->n, a, &line, &col);
	s->line = (uint32_t)line;
	s->col = (uint32_t)col;
	return s;
}

int cx_local(Cx *cx, const char *name, int declare)
{
	int i = cx_find_name(cx->locals, cx->nlocals, name);
	if (i >= 0 || !declare)
		return i;
	if (cx->nlocals == MAX_LOCALS)
		return -2;
	cx->locals[cx->nlocals] = prog_strdup(cx->P, name);
	return cx->nlocals++;
}

/* A free temporary register of the current procedure, or -1 (error
 * reported).  Temporaries are named "(t0)", "(t1)", ... and declared on
 * first use, so a procedure pays only for those its statements need. */
static int tmp_get(Cx *cx, Stmt *st, int tok)
{
	for (int k = 0; k < MAX_LOCALS; k++) {
		if (cx->tmp_busy >> k & 1)
			continue;
		char name[16];
		snprintf(name, sizeof name, "(t%d)", k);
		int r = cx_local(cx, name, 1);
		if (r == -2)
			break;
		cx->tmp_busy |= 1ull << k;
		cx->tmp_slot[k] = r;
		return r;
	}
	return serr(cx, st, tok, "too many registers (at most %d)", MAX_LOCALS);
}

static void tmp_put(Cx *cx, const Val *v)
{
	for (int k = 0; v->tmp && k < MAX_LOCALS; k++)
		if (cx->tmp_busy >> k & 1 && cx->tmp_slot[k] == (int)v->o.v)
			cx->tmp_busy &= ~(1ull << k);
}

/* The first other architecture with a PTE bit constant called name. */
const Arch *cx_other_arch(const Cx *cx, const char *name)
{
	uint64_t v;
	for (int i = 0; arch_at(i); i++)
		if (arch_at(i) != cx->P->arch && arch_const(arch_at(i), name, &v))
			return arch_at(i);
	return NULL;
}

int cx_named_const(Cx *cx, const char *name, uint64_t *v)
{
	static const struct { const char *name; uint64_t v; } k[] = {
		{ "true", 1 }, { "false", 0 }, { "NULL", 0 },
		{ "PAGE_SIZE", 4096 }, { "PAGE_SHIFT", 12 },
		/* include/linux/mm.h, as of 2.6.30-4.x */
		{ "VM_FAULT_OOM", 0x1 }, { "VM_FAULT_SIGBUS", 0x2 }, { "VM_FAULT_MAJOR", 0x4 }, { "VM_FAULT_WRITE", 0x8 },
		{ "VM_FAULT_NOPAGE", 0x100 }, { "VM_FAULT_LOCKED", 0x200 }, { "VM_FAULT_RETRY", 0x400 },
		{ "VM_FAULT_ERROR", VM_FAULT_ERROR_BITS },
		/* include/uapi/asm-generic/mman-common.h (PROT_* are the VM_*
		 * bits calc_vm_prot_bits makes of them) and errno-base.h: the
		 * system calls of lib/mm.yaml return the positive errno */
		{ "PROT_NONE", 0 }, { "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 }, { "PROT_EXEC", 0x4 },
		{ "MADV_DONTNEED", 4 }, { "MADV_FREE", 8 },
		{ "ENOMEM", 12 }, { "EACCES", 13 }, { "EINVAL", 22 },
		/* include/linux/rmap.h, 5.10: enum ttu_flags */
		{ "TTU_MIGRATION", 0x1 }, { "TTU_BATCH_FLUSH", 0x40 },
		{ "EIO", 5 }, { "EFAULT", 14 },
		/* include/linux/mm.h, v4.8: gup's FOLL_* flags (FOLL_COW: 19be0eaffa3a,
		 * v4.9) and the fault's FAULT_FLAG_* (lib/gup.yaml, lib/memory.yaml) */
		{ "FOLL_WRITE", 0x01 }, { "FOLL_TOUCH", 0x02 }, { "FOLL_GET", 0x04 }, { "FOLL_DUMP", 0x08 },
		{ "FOLL_FORCE", 0x10 }, { "FOLL_NOWAIT", 0x20 }, { "FOLL_POPULATE", 0x40 }, { "FOLL_SPLIT", 0x80 },
		{ "FOLL_HWPOISON", 0x100 }, { "FOLL_NUMA", 0x200 }, { "FOLL_MIGRATION", 0x400 }, { "FOLL_TRIED", 0x800 },
		{ "FOLL_MLOCK", 0x1000 }, { "FOLL_REMOTE", 0x2000 }, { "FOLL_COW", 0x4000 },
		{ "FAULT_FLAG_WRITE", 0x01 }, { "FAULT_FLAG_MKWRITE", 0x02 }, { "FAULT_FLAG_ALLOW_RETRY", 0x04 },
		{ "FAULT_FLAG_RETRY_NOWAIT", 0x08 }, { "FAULT_FLAG_KILLABLE", 0x10 }, { "FAULT_FLAG_TRIED", 0x20 },
		{ "FAULT_FLAG_USER", 0x40 }, { "FAULT_FLAG_REMOTE", 0x80 }, { "FAULT_FLAG_INSTRUCTION", 0x100 },
	};
	for (size_t j = 0; j < sizeof k / sizeof k[0]; j++)
		if (!strcmp(k[j].name, name)) { *v = k[j].v; return 0; }
	if (!prog_vm_flag(name, v))            /* VM_READ, VM_WRITE, ... */
		return 0;
	if (!cx)
		return -1;
	const Program *P = cx->P;
	if (arch_const(P->arch, name, v))      /* the PTE bits of machine.arch */
		return 0;
	int i;
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

/* The kind of a value, for messages; a top byte that is no handle kind
 * is a plain number (0xff00000000000001 is a number, not a kind 255). */
const char *cx_hk_word(int k)
{
	static const char *w[] = { "number", "mm", "vma", "file", "page", "lock", "variable" };
	return k > HK_INT && k <= HK_VAR ? w[k] : w[HK_INT];
}

static int is_handle(const Operand *o)
{
	return o->kind == OPD_CONST && h_kind(o->v) > HK_INT && h_kind(o->v) <= HK_VAR;
}

/* ---- calls ---- */

static int arg_letter_kind(char a)
{
	return a == 'm' ? HK_MM : a == 'v' ? HK_VMA : a == 'p' ? HK_PAGE : a == 'l' ? HK_LOCK : a == 'f' ? HK_FILE :
	       a == 'x' ? HK_VAR : -1;
}

/* Checks constant operands against the op's operand kinds. */
static int check_args(Cx *cx, Stmt *st, int op, const Val *a, int na)
{
	const char *args = prog_ops[op].args;
	for (int i = 0, k = 0; args[k] && i < na; k++) {
		if (args[k] == '?')
			continue;
		int want_k = arg_letter_kind(args[k]);
		const Operand *o = &a[i].o;
		if (o->kind == OPD_CONST && want_k >= 0) {
			int got = h_kind(o->v);
			int ok = got == want_k || (want_k == HK_MM && got == HK_VMA);
			if (!ok)
				return serr(cx, st, a[i].tok, "%s: argument %d must be a%s %s, got a %s",
				            prog_ops[op].name, i + 1, want_k == HK_MM ? "n" : "", cx_hk_word(want_k),
				            cx_hk_word(got));
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

static int expr(Cx *cx, Stmt *st, Val *out);

/* 1 if steps of op print a trace line of their own: procedure calls,
 * vm_ops calls and every step that is not register arithmetic. */
static int traced(int op)
{
	return op == OP_CALL || prog_ops[op].cls != LOCAL;
}

/* What a call of name at token nt emits: a primitive step (*op >= 0)
 * or a procedure call (*op = OP_CALL, *target); a procedure that
 * overrides the primitive of its name wins.  Checks the argument
 * count na and, for a value wanted, that there is one. */
static int callee(Cx *cx, Stmt *st, int nt, int na, int want_value, int *op, int *target)
{
	char name[64];
	tok_str(st, nt, name, sizeof name);
	int d = cx_find_def(cx, name);
	*op = prog_op_lookup(name);
	if (*op >= 0 && prog_op_is_step(*op) && (d < 0 || !cx->defs[d].override)) {
		int min, max = op_arity(*op, &min);
		if (na < min || na > max)
			return serr(cx, st, nt, "%s takes %d argument%s, got %d", name, max, max == 1 ? "" : "s", na);
		if (want_value && !prog_ops[*op].dst)
			return serr(cx, st, nt, "%s returns no value", name);
		return 0;
	}
	if (d < 0) {
		uint64_t v;
		if (cx_local(cx, name, 0) >= 0 || cx_named_const(cx, name, &v) == 0)
			return serr(cx, st, nt, "'%s' is not a function", name);
		if ((d = cx_other_arch_def(cx, name)) >= 0)
			return serr(cx, st, nt, "procedure '%s' has no definition for arch %s (one for arch %s at %s:%d)", name,
			            cx->P->arch->name, cx->defs[d].arch->name, cx->set.files[cx->defs[d].node->file].path,
			            cx->defs[d].node->line);
		return serr(cx, st, nt, "unknown step '%s' (neither a primitive nor a procedure)", name);
	}
	int np = cx->defs[d].params ? cx->defs[d].params->n : 0;
	if (na != np)
		return serr(cx, st, nt, "%s takes %d argument%s, got %d", name, np, np == 1 ? "" : "s", na);
	*op = OP_CALL;
	*target = cx_proc_ref(cx, name);
	return 0;
}

/* call := IDENT "(" [expr {"," expr}] ")".  The arguments are evaluated
 * left to right, then the call is one step.  want_value: the result is
 * used (else it is discarded and *out is 0). */
static int call(Cx *cx, Stmt *st, int want_value, Val *out)
{
	int nt = st->i, na = 0, op, target = -1;
	Val a[STEP_MAXARGS + 1];
	char name[64];
	tok_str(st, nt, name, sizeof name);
	st->i += 2;     /* name ( */
	while (!tok_is(st, st->i, ")")) {
		if (na == STEP_MAXARGS)
			return serr(cx, st, st->i, "%s: too many arguments (at most %d)", name, STEP_MAXARGS);
		if (expr(cx, st, &a[na++]))
			return -1;
		if (tok_is(st, st->i, ",") && tok_is(st, st->i + 1, ")"))
			return serr(cx, st, st->i + 1, "expected a value, got ')'");
		if (tok_is(st, st->i, ","))
			st->i++;
		else if (!tok_is(st, st->i, ")"))
			return serr(cx, st, st->t[st->i].kind == T_END ? nt + 1 : st->i,
			            st->t[st->i].kind == T_END ? "expected ')' to close '%s('"
			                                                        : "expected ',' or ')' in the call of %s", name);
	}
	if (callee(cx, st, nt, na, want_value, &op, &target) || (op != OP_CALL && check_args(cx, st, op, a, na)))
		return -1;
	for (int i = 0; i < na; i++)
		tmp_put(cx, &a[i]);
	*out = (Val){ { OPD_CONST, 0 }, nt, 0 };
	if (want_value) {
		int r = tmp_get(cx, st, nt);
		if (r < 0)
			return -1;
		*out = (Val){ { OPD_REG, (uint64_t)r }, nt, 1 };
	}
	Step *s = emit_at(cx, st, op, nt, st->i);
	s->target = target;
	s->nargs = (uint8_t)na;
	for (int i = 0; i < na; i++)
		s->a[i] = a[i].o;
	s->dst = (int16_t)(want_value ? (int)out->o.v : -1);
	st->i++;
	st->ncalls += traced(op);
	return 0;
}

/* ---- expressions ---- */

/* Binary operators by C precedence (higher binds tighter); && and || are
 * lowered to jumps, the others to one LOCAL step each. */
static const struct BinOp { const char *tok; int prec; int op; } binops[] = {
	{ "||", 1, -1 }, { "&&", 2, -1 },
	{ "|", 3, OP_BOR }, { "^", 4, OP_BXOR }, { "&", 5, OP_BAND },
	{ "==", 6, OP_BEQ }, { "!=", 6, OP_BNE },
	{ "<", 7, OP_BLT }, { "<=", 7, OP_BLE }, { ">", 7, OP_BGT }, { ">=", 7, OP_BGE },
	{ "<<", 8, OP_BSHL }, { ">>", 8, OP_BSHR },
	{ "+", 9, OP_BADD }, { "-", 9, OP_BSUB },
	{ "*", 10, OP_BMUL }, { "/", 10, OP_BDIV }, { "%", 10, OP_BMOD },
};

static const struct BinOp *binop_at(const Stmt *st)
{
	for (size_t k = 0; k < sizeof binops / sizeof binops[0]; k++)
		if (tok_is(st, st->i, binops[k].tok))
			return &binops[k];
	return NULL;
}

/* Operators that compare or test handles are fine (`page == NULL`,
 * `!vma`); arithmetic on a page or a lock is a mistake. */
static int handle_ok(int op)
{
	return op == OP_BEQ || op == OP_BNE || op == OP_NOT;
}

/* Emits dst = op(a [, b]) over tokens [from, to], or folds it. */
static int apply(Cx *cx, Stmt *st, int op, int optok, Val *a, const Val *b, int from, int to)
{
	const Val *v[2] = { a, b };
	for (int k = 0; k < 2 && v[k]; k++)
		if (is_handle(&v[k]->o) && !handle_ok(op))
			return serr(cx, st, optok, "operator '%.*s' on a %s (%s)", st->t[optok].len, st->s + st->t[optok].off,
			            cx_hk_word(h_kind(v[k]->o.v)), "only ==, != and ! take handles");
	/* `count == 0` compares the variable itself (a handle) with a number:
	 * never what is meant; its value is READ_ONCE(count) */
	for (int k = 0; b && k < 2 && (op == OP_BEQ || op == OP_BNE); k++)
		if (is_handle(&v[k]->o) && h_kind(v[k]->o.v) == HK_VAR && v[!k]->o.kind == OPD_CONST &&
		    h_kind(v[!k]->o.v) == HK_INT)
			return serr(cx, st, optok, "'%.*s' compares the variable %s with a number; its value is READ_ONCE(%s)",
			            st->t[optok].len, st->s + st->t[optok].off, cx->P->vars[h_index(v[k]->o.v)].name,
			            cx->P->vars[h_index(v[k]->o.v)].name);
	if (a->o.kind == OPD_CONST && (!b || b->o.kind == OPD_CONST)) {
		int ok;
		uint64_t r = prog_fold(op, a->o.v, b ? b->o.v : 0, &ok);
		if (!ok)
			return serr(cx, st, optok, "division by zero");
		*a = (Val){ { OPD_CONST, r }, a->tok, 0 };
		return 0;
	}
	tmp_put(cx, a);
	if (b)
		tmp_put(cx, b);
	int r = tmp_get(cx, st, from);
	if (r < 0)
		return -1;
	Step *s = emit_at(cx, st, op, from, to);
	s->a[0] = a->o;
	s->nargs = 1;
	if (b)
		s->a[s->nargs++] = b->o;
	s->dst = (int16_t)r;
	*a = (Val){ { OPD_REG, (uint64_t)r }, a->tok, 1 };
	return 0;
}

/* The result of `a && b` or `a || b` as 0 or 1, b evaluated only when a
 * does not decide:  t = a != 0; J(N)Z t -> end; t = b != 0; end:. */
static int logical(Cx *cx, Stmt *st, int is_or, int optok, Val *a, int from, int prec);

/* primary := NUM | IDENT | call | "(" expr ")" */
static int primary(Cx *cx, Stmt *st, Val *out)
{
	Tok *t = &st->t[st->i];
	char name[64];
	if (t->kind == T_NUM) {
		*out = (Val){ { OPD_CONST, t->num }, st->i++, 0 };
		return 0;
	}
	if (tok_is(st, st->i, "(")) {
		int open = st->i++;
		if (expr(cx, st, out))
			return -1;
		if (!tok_is(st, st->i, ")"))
			return serr(cx, st, st->t[st->i].kind == T_END ? open : st->i,
			            st->t[st->i].kind == T_END ? "unbalanced parenthesis: this '(' is never closed"
			                                       : "expected ')'");
		out->tok = open;
		st->i++;
		return 0;
	}
	if (t->kind == T_END)
		return serr(cx, st, st->i, "%s: expected a %s", st->what,
		            strcmp(st->what, "if") && strcmp(st->what, "while") ? "value" : "condition");
	if (t->kind != T_IDENT)
		return serr(cx, st, st->i, "expected a value, got '%.*s'", t->len, st->s + t->off);
	if (tok_is(st, st->i + 1, "("))
		return call(cx, st, 1, out);
	tok_str(st, st->i, name, sizeof name);
	int r = cx_local(cx, name, 0);
	if (r >= 0)
		*out = (Val){ { OPD_REG, (uint64_t)r }, st->i, 0 };
	else if (cx_named_const(cx, name, &out->o.v) == 0)
		*out = (Val){ { OPD_CONST, out->o.v }, st->i, 0 };
	else if (cx_find_def(cx, name) >= 0 || prog_op_lookup(name) >= 0)
		return serr(cx, st, st->i, "'%s' is a function: call it as %s(...)", name, name);
	else if (cx_other_arch(cx, name))
		return serr(cx, st, st->i, "'%s' is a PTE bit of %s, not of this machine's %s (machine.arch)", name,
		            cx_other_arch(cx, name)->name, cx->P->arch->name);
	else if (!strncmp(name, "FOLL_", 5) || !strncmp(name, "FAULT_FLAG_", 11))
		return serr(cx, st, st->i, "'%s' is not a %s flag of include/linux/mm.h (v4.8; docs/language.md#operands-and-names lists them)",
		            name, name[1] == 'O' ? "FOLL_*" : "FAULT_FLAG_*");
	else
		return serr(cx, st, st->i, "undefined register '%s'", name);
	st->i++;
	return 0;
}

/* lockaddr := "&" IDENT "->" ["vm_mm" "->"] ("mmap_sem" | "mmap_lock"):
 * the address of an mm's mmap_lock (of a vma's vm_mm), the operand of the
 * era names down_read(&mm->mmap_sem), ...  Its value is the mm (the vma)
 * itself, which those steps take; no other address exists in the
 * language. */
static int lock_address(Cx *cx, Stmt *st, Val *out)
{
	int amp = st->i++, via_vma = 0;
	if (st->t[st->i].kind != T_IDENT || !tok_is(st, st->i + 1, "->"))
		return serr(cx, st, amp, "'&' takes the address of an mmap_lock only: &mm->mmap_sem or &vma->vm_mm->mmap_sem");
	int obj = st->i;
	if (primary(cx, st, out))
		return -1;
	st->i++;                                   /* "->" */
	if (tok_is(st, st->i, "vm_mm") && tok_is(st, st->i + 1, "->"))
		via_vma = 1, st->i += 2;
	if (!tok_is(st, st->i, "mmap_sem") && !tok_is(st, st->i, "mmap_lock"))
		return serr(cx, st, st->i, "'&...->%.*s': the only field with an address is the mm's mmap_sem (mmap_lock since 5.8)",
		            st->t[st->i].len, st->s + st->t[st->i].off);
	if (out->o.kind == OPD_CONST && h_kind(out->o.v) != (via_vma ? HK_VMA : HK_MM))
		return serr(cx, st, obj, via_vma ? "'%.*s' is a %s, not a vma (&vma->vm_mm->mmap_sem)"
		                                 : "'%.*s' is a %s, not an mm (&mm->mmap_sem; of a vma: &vma->vm_mm->mmap_sem)",
		            st->t[obj].len, st->s + st->t[obj].off, cx_hk_word(h_kind(out->o.v)));
	st->i++;
	out->tok = amp;
	return 0;
}

/* unary := ("!" | "~" | "-") unary | lockaddr | primary */
static int unary(Cx *cx, Stmt *st, Val *out)
{
	int op = tok_is(st, st->i, "!") ? OP_NOT : tok_is(st, st->i, "~") ? OP_BNOT : tok_is(st, st->i, "-") ? OP_NEG : -1;
	if (tok_is(st, st->i, "&"))
		return lock_address(cx, st, out);
	if (op < 0)
		return primary(cx, st, out);
	int optok = st->i++;
	if (unary(cx, st, out) || apply(cx, st, op, optok, out, NULL, optok, st->i - 1))
		return -1;
	out->tok = optok;
	return 0;
}

/* binary(p) := unary {OP binary(prec(OP) + 1)} for operators of
 * precedence >= p: precedence climbing, left-associative. */
static int binary(Cx *cx, Stmt *st, int p, Val *out)
{
	int from = st->i;
	if (unary(cx, st, out))
		return -1;
	for (const struct BinOp *b; (b = binop_at(st)) && b->prec >= p; ) {
		int optok = st->i++;
		if (b->op < 0) {
			if (logical(cx, st, b->prec == 1, optok, out, from, b->prec + 1))
				return -1;
			continue;
		}
		Val rhs;
		if (binary(cx, st, b->prec + 1, &rhs) || apply(cx, st, b->op, optok, out, &rhs, from, st->i - 1))
			return -1;
		out->tok = from;
	}
	return 0;
}

static int logical(Cx *cx, Stmt *st, int is_or, int optok, Val *a, int from, int prec)
{
	Val zero = { { OPD_CONST, 0 }, optok, 0 }, b;
	int at = cx->nsteps;
	if (apply(cx, st, OP_BNE, optok, a, &zero, from, optok - 1))
		return -1;
	int jump = -1;
	if (a->o.kind == OPD_REG) {
		jump = cx->nsteps;
		Step *j = emit_at(cx, st, is_or ? OP_JNZ : OP_JZ, from, optok);
		j->a[0] = a->o;
		j->nargs = 1;
	}
	if (binary(cx, st, prec, &b) || apply(cx, st, OP_BNE, optok, &b, &zero, optok + 1, st->i - 1))
		return -1;
	if (jump < 0 && (a->o.v != 0) == is_or) {   /* a constant decides: b is never run */
		cx->nsteps = at;
		tmp_put(cx, &b);
		return 0;
	}
	if (jump < 0) {                             /* a constant does not decide: b is the value */
		*a = b;
		return 0;
	}
	if (b.o.kind == OPD_CONST || b.o.v != a->o.v) {
		Step *m = emit_at(cx, st, OP_MOV, optok + 1, st->i - 1);
		m->a[0] = b.o;
		m->nargs = 1;
		m->dst = (int16_t)a->o.v;
		tmp_put(cx, &b);
	}
	cx->steps[jump].target = cx->nsteps;
	cx->label = cx->nsteps;
	return 0;
}

/* expr := binary(1): || && | ^ & (== !=) (< <= > >=) (<< >>) (+ -) (* / %)
 *         and the unary ! ~ -, as in C */
static int expr(Cx *cx, Stmt *st, Val *out)
{
	return binary(cx, st, 1, out);
}

/* ---- statements ---- */

/* Makes the value v land in register d (MOV when no step can be
 * retargeted): the last step computed v into a temporary and no jump
 * lands after it, so it writes d instead. */
static int store(Cx *cx, Stmt *st, const Val *v, int d, int dst_or)
{
	Step *last = cx->nsteps ? &cx->steps[cx->nsteps - 1] : NULL;
	if (v->tmp && last && last->proc == cx->cur && last->dst == (int)v->o.v && cx->label != cx->nsteps) {
		last->dst = (int16_t)d;
		last->dst_or = (uint8_t)dst_or;
		tmp_put(cx, v);
		return 0;
	}
	Step *s = cx_emit(cx, OP_MOV, st->n, st->s);
	s->a[0] = v->o;
	s->nargs = 1;
	s->dst = (int16_t)d;
	s->dst_or = (uint8_t)dst_or;
	tmp_put(cx, v);
	return 0;
}

static int do_return(Cx *cx, Stmt *st)
{
	Val v = { { OPD_NONE, 0 }, 0, 0 };
	st->i = 1;
	if (st->t[1].kind != T_END) {
		if (expr(cx, st, &v))
			return -1;
		if (st->t[st->i].kind != T_END)
			return serr(cx, st, st->i, "unexpected '%.*s' after the return value", st->t[st->i].len,
			            st->s + st->t[st->i].off);
	}
	Step *s = cx_emit(cx, OP_RET, st->n, st->s);
	if (v.o.kind != OPD_NONE) {
		s->a[0] = v.o;
		s->nargs = 1;
	}
	tmp_put(cx, &v);
	return 0;
}

static int do_break(Cx *cx, Stmt *st, int is_break)
{
	if (cx->nloops == 0)
		return serr(cx, st, 0, "%s outside a loop", is_break ? "break" : "continue");
	if (st->t[1].kind != T_END)
		return serr(cx, st, 1, "unexpected text after %s", is_break ? "break" : "continue");
	Step *s = cx_emit(cx, OP_JMP, st->n, st->s);
	int l = cx->nloops - 1;
	if (!is_break)
		s->target = cx->loop_top[l];
	else if (cx->nbreaks[l] < 32)
		cx->breaks[l][cx->nbreaks[l]++] = cx->nsteps - 1;
	else
		return serr(cx, st, 0, "too many breaks in one loop");
	return 0;
}

/* The operator of a compound assignment `x OP= e`, OP_MOV for `=`,
 * -1 if token i is no assignment. */
static int assign_op(const Stmt *st, int i)
{
	static const struct { const char *tok; int op; } k[] = {
		{ "=", OP_MOV }, { "|=", OP_BOR }, { "&=", OP_BAND }, { "^=", OP_BXOR }, { "+=", OP_BADD }, { "-=", OP_BSUB },
	};
	for (size_t j = 0; j < sizeof k / sizeof k[0]; j++)
		if (tok_is(st, i, k[j].tok))
			return k[j].op;
	return -1;
}

/* x OP= e.  The register x is declared only after e is read, so that
 * `x = f(x)` needs an x.  A register may shadow an object (`ptl =
 * pte_lockptr(vma, address)` in a scenario with a lock named ptl), as a
 * local shadows a global in C; a named constant cannot be assigned.  `x |= e` ORs the result in (dst_or); the other
 * compound forms are x = x OP e. */
static int assignment(Cx *cx, Stmt *st, int aop)
{
	char name[64];
	uint64_t k;
	Val v;
	tok_str(st, 0, name, sizeof name);
	if (cx_local(cx, name, 0) < 0 && (cx_named_const(NULL, name, &k) == 0 || arch_const(cx->P->arch, name, &k)))
		return serr(cx, st, 0, "cannot assign to '%s': it is a constant, not a register", name);
	if (aop != OP_MOV && aop != OP_BOR && cx_local(cx, name, 0) < 0)
		return serr(cx, st, 0, "undefined register '%s'", name);
	st->i = 2;
	if (expr(cx, st, &v))
		return -1;
	if (st->t[st->i].kind != T_END)
		return serr(cx, st, st->i, "unexpected '%.*s' after the value", st->t[st->i].len, st->s + st->t[st->i].off);
	int d = cx_local(cx, name, 1);
	if (d == -2)
		return serr(cx, st, 0, "too many registers (at most %d)", MAX_LOCALS);
	if (aop != OP_MOV && aop != OP_BOR) {
		Val x = { { OPD_REG, (uint64_t)d }, 0, 0 };
		if (apply(cx, st, aop, 1, &x, &v, 0, st->nt - 1))
			return -1;
		v = x;
	}
	if (store(cx, st, &v, d, aop == OP_BOR))
		return -1;
	Step *last = &cx->steps[cx->nsteps - 1];
	last->text = prog_strdup(cx->P, st->s);
	/* the assigned value shows in the trace when a traced call computed
	 * part of it and a silent local step the rest (x = !f(a) shows f(a),
	 * then x) */
	last->show = st->ncalls > 0 && !traced(last->op);
	return 0;
}

int cx_statement(Cx *cx, const YNode *n)
{
	Stmt st = { .n = n, .s = n->str, .what = "statement" };
	int aop;
	if (tokenize(cx, &st))
		return -1;
	if (tok_is(&st, 0, "return"))
		return do_return(cx, &st);
	if (tok_is(&st, 0, "break") || tok_is(&st, 0, "continue"))
		return do_break(cx, &st, tok_is(&st, 0, "break"));
	if (st.t[0].kind == T_IDENT && (aop = assign_op(&st, 1)) >= 0)
		return assignment(cx, &st, aop);
	if (st.t[0].kind == T_END)
		return serr(cx, &st, 0, "empty statement");
	if (st.t[0].kind == T_IDENT && tok_is(&st, 1, "(")) {   /* a call whose result is discarded */
		Val v;
		st.i = 0;
		if (call(cx, &st, 0, &v))
			return -1;
		if (st.t[st.i].kind != T_END)
			return serr(cx, &st, st.i, "unexpected text after ')'");
		cx->steps[cx->nsteps - 1].text = prog_strdup(cx->P, st.s);
		return 0;
	}
	return serr(cx, &st, st.i, "expected a step: 'name(args)', 'x = expression', 'return expression', 'break' or 'continue'");
}

int cx_condition(Cx *cx, const YNode *n, const char *what)
{
	Stmt st = { .n = n, .s = n->str, .what = what };
	Val v;
	if (cx_want(cx, n, YN_SCALAR, what) || tokenize(cx, &st))
		return -1;
	if (st.t[0].kind == T_END)
		return serr(cx, &st, 0, "%s: expected a condition", what);
	if (expr(cx, &st, &v))
		return -1;
	if (st.t[st.i].kind != T_END)
		return serr(cx, &st, st.i, "unexpected '%.*s' after the condition", st.t[st.i].len, st.s + st.t[st.i].off);
	Step *j = cx_emit(cx, OP_JZ, n, n->str);
	j->a[0] = v.o;
	j->nargs = 1;
	tmp_put(cx, &v);
	return cx->nsteps - 1;
}

int cx_return_expr(Cx *cx, const YNode *n)
{
	Stmt st = { .n = n, .s = n->str, .what = "exists" };
	Val v;
	if (tokenize(cx, &st) || expr(cx, &st, &v))
		return -1;
	if (st.t[st.i].kind != T_END)
		return serr(cx, &st, st.i, "unexpected '%.*s' after the expression", st.t[st.i].len, st.s + st.t[st.i].off);
	Step *s = cx_emit(cx, OP_RET, n, n->str);
	s->a[0] = v.o;
	s->nargs = 1;
	tmp_put(cx, &v);
	return 0;
}

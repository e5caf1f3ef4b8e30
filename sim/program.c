/* sim/program.c: the opcode table, program listing (EXPLAIN) and static
 * lookups over the machine description.  Nothing here changes a Program. */
#include "sim/program.h"
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const OpInfo prog_ops[OP__COUNT] = {
#define OP(e, name, args, dst, cls, doc) { name, args, dst, cls, doc },
#include "sim/ops.def"
#undef OP
};

/* include/linux/mm.h.  VM_ACCESS_FLAGS is 5.8's name for what the fault
 * path's access_error() tests on a read (vma_is_accessible). */
const VmFlag prog_vm_flags[] = {
	{ "VM_NONE", 0 }, { "VM_READ", VM_READ }, { "VM_WRITE", VM_WRITE }, { "VM_EXEC", VM_EXEC },
	{ "VM_SHARED", VM_SHARED }, { "VM_MAYREAD", VM_MAYREAD }, { "VM_MAYWRITE", VM_MAYWRITE },
	{ "VM_MAYEXEC", VM_MAYEXEC }, { "VM_MAYSHARE", VM_MAYSHARE }, { "VM_GROWSDOWN", 0x100 },
	{ "VM_PFNMAP", VM_PFNMAP }, { "VM_LOCKED", 0x2000 }, { "VM_IO", 0x4000 }, { "VM_DONTCOPY", 0x20000 },
	{ "VM_DONTEXPAND", 0x40000 }, { "VM_ACCOUNT", 0x100000 }, { "VM_NORESERVE", 0x200000 },
	{ "VM_HUGETLB", 0x400000 }, { "VM_MIXEDMAP", 0x10000000 }, { "VM_HUGEPAGE", 0x20000000 },
	{ "VM_NOHUGEPAGE", 0x40000000 }, { "VM_MERGEABLE", 0x80000000 },
	{ "VM_ACCESS_FLAGS", VM_ACCESS_FLAGS }, { NULL, 0 },
};

int prog_vm_flag(const char *name, uint64_t *v)
{
	for (const VmFlag *f = prog_vm_flags; f->name; f++)
		if (!strcmp(f->name, name)) {
			*v = f->v;
			return 0;
		}
	return -1;
}

int prog_op_is_step(int op)
{
	const char *n = prog_ops[op].name;
	if (!(isalpha((unsigned char)n[0]) || n[0] == '_') || op == OP_NEG)
		return 0;      /* an operator: "=", "!", "+", "neg" (unary -) */
	return prog_ops[op].cls != CTRL || op == OP_PAGE_MKWRITE || op == OP_PFN_MKWRITE;
}

uint64_t prog_fold(int op, uint64_t a, uint64_t b, int *ok)
{
	*ok = 1;
	switch (op) {
	case OP_BOR:  return a | b;
	case OP_BXOR: return a ^ b;
	case OP_BAND: return a & b;
	case OP_BEQ:  return a == b;
	case OP_BNE:  return a != b;
	case OP_BLT:  return a < b;
	case OP_BLE:  return a <= b;
	case OP_BGT:  return a > b;
	case OP_BGE:  return a >= b;
	case OP_BSHL: return b < 64 ? a << b : 0;
	case OP_BSHR: return b < 64 ? a >> b : 0;
	case OP_BADD: return a + b;
	case OP_BSUB: return a - b;
	case OP_BMUL: return a * b;
	case OP_BDIV: *ok = b != 0; return b ? a / b : 0;
	case OP_BMOD: *ok = b != 0; return b ? a % b : 0;
	case OP_NOT:  return !a;
	case OP_BNOT: return ~a;
	case OP_NEG:  return -a;
	default:      *ok = 0; return 0;
	}
}

int prog_op_check_only(int op)
{
	return op == OP_PAGE_CONTENT || op == OP_DISK_VERSION || op == OP_TLB_VALID || op == OP_TLB_WRITABLE ||
	       op == OP_TLB_DIRTY;
}

int prog_op_reads_only(int op)
{
	switch (op) {
	case OP_PTEP_GET: case OP_READ_ONCE: case OP_ATOMIC_READ: case OP_TEST_BIT: case OP_I_SIZE_READ: case OP_FIND_GET_PAGE: case OP_PAGE_MAPPING:
	case OP_PAGE_MAPPED: case OP_PAGE_COUNT: case OP_PAGE_MAPCOUNT: case OP_PAGEANON: case OP_PAGESWAPBACKED: case OP_GET_BLOCK: case OP_PAGE_DIRTY: case OP_PAGE_LOCKED:
	case OP_VM_FLAGS: case OP_VM_PAGE_PROT: case OP_MM_TLB_FLUSH_PENDING: case OP_MM_TLB_FLUSH_NESTED:
	case OP_FIND_VMA: case OP_PAGESWAPCACHE: case OP_PAGE_PRIVATE: case OP___SWAP_COUNT:
		return 1;
	default:
		return prog_op_check_only(op) || prog_ops[op].cls == LOCAL || prog_ops[op].cls == CTRL;
	}
}

int prog_op_lookup(const char *name)
{
	for (int i = 0; i < OP__COUNT; i++)
		if (strcmp(prog_ops[i].name, name) == 0)
			return i;
	return -1;
}

const char *prog_step_file(const Program *P, const Step *s)
{
	return P->files[s->file].path;
}

int prog_vma_of(const Program *P, int mm, uint64_t addr)
{
	for (int i = 0; i < P->nvmas; i++)
		if (P->vmas[i].mm == mm && addr >= P->vmas[i].start && addr < P->vmas[i].end)
			return i;
	return -1;
}

int prog_pte_slot(const Program *P, int mm, uint64_t addr)
{
	int v = prog_vma_of(P, mm, addr);
	if (v < 0)
		return -1;
	return P->vmas[v].first_pte + (int)((addr - P->vmas[v].start) >> 12);
}

char *prog_pte_name(const Program *P, int slot, char *buf, size_t n)
{
	int mm = 0;
	uint64_t addr = 0;
	prog_slot_addr(P, slot, &mm, &addr);
	if (P->nmms > 1)
		snprintf(buf, n, "%s 0x%" PRIx64, P->mms[mm], addr);
	else
		snprintf(buf, n, "0x%" PRIx64, addr);
	return buf;
}

int prog_slot_addr(const Program *P, int slot, int *mm, uint64_t *addr)
{
	for (int i = 0; i < P->nvmas; i++) {
		const VmaDesc *v = &P->vmas[i];
		int n = (int)((v->end - v->start) >> 12);
		if (slot >= v->first_pte && slot < v->first_pte + n) {
			if (mm)
				*mm = v->mm;
			*addr = v->start + ((uint64_t)(slot - v->first_pte) << 12);
			return 0;
		}
	}
	return -1;
}

int prog_outcome(const Program *P, const char *name)
{
	for (int i = 0; i < P->noutcomes; i++)
		if (strcmp(P->outcomes[i].name, name) == 0)
			return i;
	return -1;
}

static const char *cls_name(int c)
{
	return c == LOCAL ? "local" : c == CTRL ? "ctrl" : c == SHARED ? "shared" : "user";
}

const char *prog_value_name(const Program *P, uint64_t v, char *buf, size_t len)
{
	uint32_t i = h_index(v);
	const char *name = NULL;
	switch (h_kind(v)) {
	case HK_MM:   name = i < (uint32_t)P->nmms ? P->mms[i] : NULL; break;
	case HK_VMA:  name = i < (uint32_t)P->nvmas ? P->vmas[i].name : NULL; break;
	case HK_FILE: name = i < (uint32_t)P->nfilesys ? P->filesys[i].name : NULL; break;
	case HK_PAGE: name = i >= 1 && i <= (uint32_t)P->npages ? P->pages[i - 1].name : NULL; break;
	case HK_LOCK: name = i < (uint32_t)P->nlocks ? P->locks[i].name : NULL; break;
	case HK_VAR:  name = i < (uint32_t)P->nvars ? P->vars[i].name : NULL; break;
	default: break;
	}
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
	return buf;
}

static void list_operand(const Program *P, const Proc *p, const Operand *o, FILE *out)
{
	char buf[64];
	if (o->kind == OPD_REG)
		fprintf(out, " r%" PRIu64 ":%s", o->v, p->locals[o->v]);
	else
		fprintf(out, " %s", prog_value_name(P, o->v, buf, sizeof buf));
}

void prog_list(const Program *P, FILE *out)
{
	fprintf(out, "scenario %s  variant %s  (%d steps, %d procedures)\n",
	        P->name, P->variant ? P->variant : "-", P->nsteps, P->nprocs);
	fprintf(out, "%-5s %-20s %-6s %-4s %-28s %s\n", "addr", "opcode", "class", "dst", "operands", "source");
	for (int i = 0; i < P->nsteps; i++) {
		const Step *s = &P->steps[i];
		const Proc *p = &P->procs[s->proc];
		if (p->entry == i)
			fprintf(out, "%s(%d params, %d registers)%s  %s:%u\n", p->name, p->nparams,
			        p->nlocals, p->override ? " overrides the primitive" : "", P->files[p->file].path, p->line);
		char ops[160] = "";
		FILE *m = fmemopen(ops, sizeof ops - 1, "w");
		for (int k = 0; k < s->nargs && m; k++)
			list_operand(P, p, &s->a[k], m);
		if (s->op == OP_JMP || s->op == OP_JZ || s->op == OP_JNZ)
			fprintf(m, " -> %d", s->target);
		if (s->op == OP_CALL)
			fprintf(m, " -> %s", P->procs[s->target].name);
		if (m)
			fclose(m);
		char dst[16] = "";
		if (s->dst >= 0)
			snprintf(dst, sizeof dst, "%sr%d", s->dst_or ? "|" : "", s->dst);
		fprintf(out, "%-5d %-20s %-6s %-4s %-28s %s:%u:%u  %s\n", i, prog_ops[s->op].name,
		        cls_name(prog_ops[s->op].cls), dst, ops[0] ? ops + 1 : "",
		        prog_step_file(P, s), s->line, s->col, s->text ? s->text : "");
	}
}

static const char *arg_doc(char a)
{
	switch (a) {
	case 'm': return "mm";
	case 'v': return "vma";
	case 'p': return "page";
	case 'l': return "lock";
	case 'f': return "file";
	case 'x': return "variable";
	default:  return "value";
	}
}

void prog_ops_markdown(FILE *out)
{
	fprintf(out, "| step | operands | returns | class | meaning |\n|---|---|---|---|---|\n");
	for (int i = 0; i < OP__COUNT; i++) {
		const OpInfo *o = &prog_ops[i];
		if (!prog_op_is_step(i))
			continue;    /* written as YAML structure, see docs/language.md */
		fprintf(out, "| `%s` | ", o->name);
		for (const char *a = o->args; *a; a++)
			if (*a != '?')
				fprintf(out, "%s%s%s", a == o->args ? "" : ", ", arg_doc(*a),
				        a[1] == '?' ? " (optional)" : "");
		if (!*o->args)
			fprintf(out, "-");
		fprintf(out, " | %s | %s | %s |\n", o->dst ? "yes" : "-", cls_name(o->cls), o->doc);
	}
}

/* The arena is a chain of blocks, each headed by the next pointer. */
void *prog_alloc(Program *P, size_t n)
{
	void **blk = calloc(1, sizeof(void *) * 2 + n);
	if (!blk)
		abort();
	blk[0] = P->arena;
	P->arena = blk;
	return blk + 2;
}

char *prog_strdup(Program *P, const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(prog_alloc(P, n), s, n);
}

void prog_free(Program *P)
{
	if (!P)
		return;
	for (void **blk = P->arena; blk; ) {
		void **next = blk[0];
		free(blk);
		blk = next;
	}
	free(P);
}

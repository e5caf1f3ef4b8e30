/* sim/exec.c: the executor: one switch over the opcodes of sim/ops.def.
 * Owns the canonical-parking invariant of sim/exec.h and the hardware
 * sequence of a user access: TLB lookup -> (miss: walk | fault) ->
 * (D=0: dirty-bit model step, its own interleaving point) -> data access.
 * A CPU takes IPIs only between instructions: never while a user access
 * is between its phases, never while its interrupts are off. */
#include "sim/execInt.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>


/* ---- errors and trace ---- */

int ex_fail(Sim *S, const Step *s, const char *fmt, ...)
{
	va_list ap;
	int n = 0;
	if (S->failed)
		return R_ERR;
	S->failed = 1;
	if (s)
		n = snprintf(S->err, sizeof S->err, "%s:%u:%u: ",
		             S->P->files[s->file].path, s->line, s->col);
	va_start(ap, fmt);
	vsnprintf(S->err + n, sizeof S->err - (size_t)n, fmt, ap);
	va_end(ap);
	return R_ERR;
}

void trace_free(Trace *t)
{
	free(t->ev);
	memset(t, 0, sizeof *t);
}

/* Appends an event for CPU c, or returns NULL when not tracing. */
/* Appends an event to S->trace (none without one); its text from fmt. */
static TraceEv *vev(Sim *S, uint8_t *w, int c, int kind, int step, const char *fmt, va_list ap)
{
	Trace *t = S->trace;
	if (!t)
		return NULL;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->ev = realloc(t->ev, sizeof *t->ev * (size_t)t->cap);
		if (!t->ev)
			abort();
	}
	TraceEv *e = &t->ev[t->n++];
	memset(e, 0, sizeof *e);
	e->cpu = (int16_t)c;
	e->kind = (uint8_t)kind;
	e->peer = -1;
	e->step = step;
	e->choice = S->nchoice;
	e->time = S->now + S->lat;
	e->depth = c <= S->L.ncpu ? w_cpu(&S->L, w, c)->depth : 0;
	if (kind == EV_HW)
		e->depth++;          /* a hardware sub-step of the access above */
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	return e;
}

static TraceEv *ev(Sim *S, uint8_t *w, int c, int kind, int step, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	TraceEv *e = vev(S, w, c, kind, step, fmt, ap);
	va_end(ap);
	return e;
}

void ex_note(Sim *S, uint8_t *w, int c, const char *text)
{
	ev(S, w, c, EV_HW, -1, "%s", text);
}

void ex_event(Sim *S, uint8_t *w, int c, const char *fmt, ...)
{
	va_list ap;
	if (!S->trace)
		return;
	va_start(ap, fmt);
	vev(S, w, c, EV_STEP, w_cpu(&S->L, w, c)->pc, fmt, ap);
	va_end(ap);
}

void ex_ipi_event(Sim *S, uint8_t *w, int c, int from, const char *fmt, ...)
{
	va_list ap;
	if (!S->trace)
		return;
	va_start(ap, fmt);
	TraceEv *e = vev(S, w, c, EV_IPI, -1, fmt, ap);
	va_end(ap);
	if (e)
		e->peer = (int16_t)from;
}

int ex_bug(Sim *S, uint8_t *w, int c, const Step *s, const char *why)
{
	w_hdr(w)->seen |= SEEN_BUG_ON;
	w_cpu(&S->L, w, c)->status = CPU_HALTED;
	ev(S, w, c, EV_STEP, w_cpu(&S->L, w, c)->pc, "%s: kernel BUG at %s:%u! (%s)", s->text,
	   prog_step_file(S->P, s), s->line, why);
	return R_STAY;
}

/* ---- operands ---- */

static uint64_t *reg(Sim *S, uint8_t *w, int c, int slot)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	FrameState *f = w_frame(&S->L, w, c, cs->depth - 1);
	return &w_regs(&S->L, w, c)[f->base + slot];
}

uint64_t ex_opv(Sim *S, uint8_t *w, int c, const Step *s, int i)
{
	const Operand *o = &s->a[i];
	if (o->kind == OPD_REG)
		return *reg(S, w, c, (int)o->v);
	return o->v;
}

static void setdst(Sim *S, uint8_t *w, int c, const Step *s, uint64_t v)
{
	if (s->dst < 0)
		return;
	uint64_t *r = reg(S, w, c, s->dst);
	*r = s->dst_or ? (*r | v) : v;
}

void ex_setdst(Sim *S, uint8_t *w, int c, const Step *s, uint64_t v)
{
	setdst(S, w, c, s, v);
}

static const char *kind_name(int k)
{
	static const char *n[] = { "number", "mm", "vma", "file", "page", "lock", "variable" };
	return k >= 0 && k <= HK_VAR ? n[k] : "value";
}

/* Operand i as a handle of kind `want` (a vma is accepted as its mm);
 * returns its index, or -1 after reporting the error. */
static int obj(Sim *S, uint8_t *w, int c, const Step *s, int i, int want)
{
	uint64_t v = ex_opv(S, w, c, s, i);
	int k = h_kind(v);
	int64_t idx = h_index(v);
	const Program *P = S->P;
	if (want == HK_MM && k == HK_VMA && idx < P->nvmas)
		return P->vmas[idx].mm;
	int n = want == HK_MM ? P->nmms : want == HK_VMA ? P->nvmas :
	        want == HK_PAGE ? P->npages + 1 : want == HK_LOCK ? P->nlocks :
	        want == HK_FILE ? P->nfilesys : want == HK_VAR ? P->nvars : 0;
	if (k != want) {
		char buf[64];
		if (k > HK_INT && k <= HK_VAR)
			ex_fail(S, s, "%s: operand %d must be a %s, got a %s (%s)", prog_ops[s->op].name, i + 1,
			     kind_name(want), kind_name(k), prog_value_name(P, v, buf, sizeof buf));
		else
			ex_fail(S, s, "%s: operand %d must be a %s, got the number 0x%" PRIx64, prog_ops[s->op].name,
			     i + 1, kind_name(want), v);
		return -1;
	}
	if (idx >= n || (want == HK_PAGE && idx == 0)) {
		ex_fail(S, s, "%s: operand %d: no %s 0x%" PRIx64, prog_ops[s->op].name, i + 1, kind_name(want), v);
		return -1;
	}
	return (int)idx;
}

int ex_obj(Sim *S, uint8_t *w, int c, const Step *s, int i, int want)
{
	return obj(S, w, c, s, i, want);
}

/* The PTE slot for (operand mi as mm, operand ai as address), or -1. */
static int pte_slot(Sim *S, uint8_t *w, int c, const Step *s, int mi, int ai)
{
	int mm = obj(S, w, c, s, mi, HK_MM);
	if (mm < 0)
		return -1;
	uint64_t addr = ex_opv(S, w, c, s, ai);
	int slot = prog_pte_slot(S->P, mm, addr);
	if (slot < 0)
		ex_fail(S, s, "%s: no PTE for address 0x%" PRIx64 " in mm %s (not inside a VMA)",
		     prog_ops[s->op].name, addr, S->P->mms[mm]);
	return slot;
}

/* ---- PTE writes: the one place a PTE changes ---- */

/* hw: the MMU writes it (a walk's or a dirty update's A/D bits), and
 * marks it leaves on an entry it may not cache are dirty_nonpresent_pte
 * (a walk that changes nothing leaves none: a PROT_NONE entry's A is
 * the kernel's); the
 * kernel's writes of entries that are not present (swap and migration
 * entries, whose type and offset bits may sit where A and D are) are
 * not. */
static void pte_set(Sim *S, uint8_t *w, int slot, pte_t v, TraceEv *e, int hw)
{
	Mem m;
	/* callers of kernel steps check pte_frame_ok() first; hardware only
	 * changes A/D bits, never the frame */
	world_mem(&S->L, w, &m);
	pte_t old = m.pte[slot];
	m.pte[slot] = v;
	if (hw && v != old && S->arch->hw_stray(v))
		w_hdr(w)->seen |= SEEN_DIRTY_NONPRESENT;
	if (e && old != v) {
		char name[48];
		snprintf(e->pte, sizeof e->pte, "PTE %s: 0x%" PRIx64 " -> 0x%" PRIx64,
		         prog_pte_name(S->P, slot, name, sizeof name), old, v);
	}
}

static pte_t pte_get(Sim *S, uint8_t *w, int slot)
{
	return ((pte_t *)(w + S->L.pte))[slot];
}

/* A present PTE must map a frame of the scenario: the TLB and the data
 * access index struct pages by its pfn. */
static int pte_frame_ok(Sim *S, const Step *s, pte_t v)
{
	uint64_t pfn = arch_pfn(S->arch, v);
	if (!S->arch->present(v) || (pfn >= 1 && pfn <= (uint64_t)S->P->npages))
		return 1;
	ex_fail(S, s, "%s: 0x%" PRIx64 " maps pfn 0x%" PRIx64 ", which is not a page of the scenario",
	     prog_ops[s->op].name, v, pfn);
	return 0;
}

/* ---- calls and returns ---- */

static int do_call(Sim *S, uint8_t *w, int c, int proc, int call_pc, int kind,
                   const uint64_t *args, int nargs)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	const Proc *p = &S->P->procs[proc];
	const Step *s = &S->P->steps[call_pc];
	if (cs->depth >= S->L.depth)
		return ex_fail(S, s, "call depth %d exceeded calling %s", S->L.depth, p->name);
	FrameState *cur = w_frame(&S->L, w, c, cs->depth - 1);
	int base = cur->base + S->P->procs[cur->proc].nlocals;
	if (base + p->nlocals > S->L.stack)
		return ex_fail(S, s, "register stack exceeded calling %s", p->name);
	uint64_t *r = w_regs(&S->L, w, c) + base;
	for (int i = 0; i < nargs; i++)
		r[i] = args[i];
	FrameState *f = w_frame(&S->L, w, c, cs->depth);
	f->proc = (uint16_t)proc;
	f->call_pc = (uint16_t)call_pc;
	f->base = (uint16_t)base;
	f->kind = (uint8_t)kind;
	cs->depth++;
	cs->pc = (uint16_t)p->entry;
	return R_NEXT;
}

static void kill_dead(Sim *S, uint8_t *w, int c, int d, const Step *s);

/* The task on CPU c is killed (SIGBUS from a user access): its frames and
 * registers are cleared, its program is over. */
static int kill_task(Sim *S, uint8_t *w, int c)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	memset(w_regs(&S->L, w, c), 0, sizeof(uint64_t) * (size_t)S->L.stack);
	memset(w_frame(&S->L, w, c, 0), 0, sizeof(FrameState) * (size_t)S->L.depth);
	cs->depth = 0;
	cs->pc = 0;
	cs->phase = PH_START;
	cs->acc_slot = 0;
	cs->irq_off = 0;        /* an exiting task's interrupts are on again */
	cs->status = CPU_DONE;
	return R_NEXT;
}

/* The access at step pc of CPU c ends without being done (what: the
 * fault's end, for the trace): a kernel copy returns PAGE_SIZE not copied
 * (-EFAULT) and goes on, a user load or store kills the task with sig. */
static int access_fails(Sim *S, uint8_t *w, int c, int pc, const char *what, const char *sig)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	const Step *s = &S->P->steps[pc];
	cs->phase = PH_START;
	cs->acc_slot = 0;
	if (prog_ops[s->op].args[0] == 'p') {
		ev(S, w, c, EV_HW, pc, "%s: -EFAULT, nothing copied", what);
		setdst(S, w, c, s, 4096);
		cs->pc = (uint16_t)(pc + 1);
		return R_NEXT;
	}
	ev(S, w, c, EV_HW, pc, "%s: %s, the task is killed", what, sig);
	return kill_task(S, w, c);
}

/* Drops the mmap_lock a fault of CPU c took for read (FrameState.mmap_locked). */
static void fault_unlock(Sim *S, uint8_t *w, int c)
{
	w_mm(&S->L, w, S->P->cpus[c].mm)->mmap_readers &= ~(1ull << c);
}

/* The fault handler returned v for the access at step pc (its frame had
 * taken mmap_lock if locked): retry it, or on a VM_FAULT_ERROR bit end it
 * (access_fails: SIGBUS). */
static int fault_return(Sim *S, uint8_t *w, int c, int pc, uint64_t v, int locked)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	char what[64];
	if (locked)
		fault_unlock(S, w, c);
	cs->phase = PH_START;
	if (!(v & VM_FAULT_ERROR_BITS)) {
		cs->pc = (uint16_t)pc;     /* retry the faulting access */
		return R_NEXT;
	}
	snprintf(what, sizeof what, "fault handler returned 0x%" PRIx64, v);
	access_fails(S, w, c, pc, what, "SIGBUS");
	if (cs->depth)                 /* the copy is done in its frame */
		kill_dead(S, w, c, cs->depth - 1, &S->P->steps[pc]);
	return R_NEXT;
}

static int do_ret(Sim *S, uint8_t *w, int c, uint64_t v)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	FrameState f = *w_frame(&S->L, w, c, cs->depth - 1);
	memset(w_regs(&S->L, w, c) + f.base, 0, sizeof(uint64_t) * (size_t)S->P->procs[f.proc].nlocals);
	memset(w_frame(&S->L, w, c, cs->depth - 1), 0, sizeof(FrameState));
	cs->depth--;
	if (cs->depth == 0) {
		cs->status = CPU_DONE;
		cs->pc = 0;
		cs->scratch = v;       /* the check CPU's answer */
		return R_NEXT;
	}
	if (f.kind == FR_FAULT)
		return fault_return(S, w, c, f.call_pc, v, f.mmap_locked);
	setdst(S, w, c, &S->P->steps[f.call_pc], v);
	cs->pc = (uint16_t)(f.call_pc + 1);
	return R_NEXT;
}

/* ---- user accesses ---- */

/* What the access s is called in messages: store, load, copy_from_user. */
static const char *access_name(const Step *s, int write)
{
	return write ? "store" : s->op == OP_LOAD ? "load" : prog_ops[s->op].name;
}

/* The VMA check of the fault path (do_user_addr_fault under
 * mmap_read_lock: find_vma, then access_error): the vma of (mm of CPU c,
 * addr), or -1 after ending the access with SIGSEGV (access_fails). */
static int fault_vma(Sim *S, uint8_t *w, int c, uint64_t addr, int write)
{
	const Program *P = S->P;
	int pc = w_cpu(&S->L, w, c)->pc;
	int vma = prog_vma_of(P, P->cpus[c].mm, addr);
	if (vma >= 0 && w_vma_detached(&S->L, w, vma))
		vma = -1;          /* munmap took it out of the tree */
	const char *why = vma < 0 ? NULL : vm_access_error(S, w, vma, write);
	char what[160];
	if (vma >= 0 && !why)
		return vma;
	if (vma < 0)
		snprintf(what, sizeof what, "page fault: no VMA maps 0x%" PRIx64 " (find_vma)", addr);
	else
		snprintf(what, sizeof what, "page fault: %s of vma %s (%s: access_error)", write ? "write" : "read",
		         P->vmas[vma].name, why);
	access_fails(S, w, c, pc, what, "SIGSEGV");
	return -1;
}

/* A fault of (addr, write) on CPU c: mmap_read_lock of its mm (the access
 * sleeps in PH_FAULT_WAIT while a writer holds it; a CPU holding it for
 * read already keeps that hold), the VMA check, then the fault handler,
 * whose return drops the lock again. */
static int page_fault(Sim *S, uint8_t *w, int c, const Step *s, uint64_t addr, int write)
{
	const Program *P = S->P;
	CpuState *cs = w_cpu(&S->L, w, c);
	MmState *ms = w_mm(&S->L, w, P->cpus[c].mm);
	cs->acc_slot = 0;
	if (ms->mmap_writer) {
		if (cs->phase != PH_FAULT_WAIT)
			ev(S, w, c, EV_HW, -1, "page fault: mmap_read_lock(%s) sleeps: CPU#%d holds mmap_lock for write",
			   P->mms[P->cpus[c].mm], ms->mmap_writer - 1);
		cs->phase = PH_FAULT_WAIT;
		return R_STAY;
	}
	cs->phase = PH_START;
	int locked = !(ms->mmap_readers >> c & 1);
	ms->mmap_readers |= 1ull << c;
	int vma = fault_vma(S, w, c, addr, write);
	if (vma < 0 || P->fault_handler < 0) {
		if (locked)
			fault_unlock(S, w, c);
		return vma < 0 ? R_NEXT : ex_fail(S, s, "%s 0x%" PRIx64 " faults, and the scenario has no fault_handler",
		                                  access_name(s, write), addr);
	}
	uint64_t args[3] = { h_make(HK_VMA, (uint64_t)vma), addr, (uint64_t)write };
	ev(S, w, c, EV_HW, -1, "page fault: %s(%s, 0x%" PRIx64 ", %s)",
	   P->procs[P->fault_handler].name, P->vmas[vma].name, addr, write ? "write" : "read");
	S->lat += P->cost.fault_entry;
	int r = do_call(S, w, c, P->fault_handler, cs->pc, FR_FAULT, args, 3);
	if (r == R_NEXT)
		w_frame(&S->L, w, c, cs->depth - 1)->mmap_locked = (uint8_t)locked;
	else if (locked)
		fault_unlock(S, w, c);
	return r;
}

/* A fault of the access s: the fault handler, or for a copy with page
 * faults disabled a short copy (PAGE_SIZE not copied) that ends it. */
static int access_fault(Sim *S, uint8_t *w, int c, const Step *s, uint64_t addr, int write)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	if (s->op != OP_COPY_FROM_USER_INATOMIC)
		return page_fault(S, w, c, s, addr, write);
	ev(S, w, c, EV_HW, -1, "page faults disabled: no fault handler, short copy");
	setdst(S, w, c, s, 4096);
	cs->phase = PH_START;
	cs->acc_slot = 0;
	cs->pc++;
	return R_NEXT;
}

/* Every write to frame pfn, by a CPU or by the kernel: the content
 * version, the storage key, and what the write means for its file. */
void ex_frame_written(Sim *S, uint8_t *w, int pfn, int user)
{
	PageState *pg = (PageState *)(w + S->L.page) + pfn;
	pg->data++;
	if (S->storage_keys)
		pg->skey = 1;
	if (user && pg->mapping)
		((FileState *)(w + S->L.file))[pg->mapping - 1].mapped_write = 1;
}

/* The vma may never write its file: private (its writes belong in COW
 * copies: do_wp_page, do_cow_fault) or shared without VM_MAYWRITE (the
 * file was opened read-only, and mprotect cannot add VM_WRITE).  Its
 * current vm_flags decide; mprotect keeps both bits.  A scenario that
 * turns the outcome off records nothing, so its states are as before. */
void ex_write_through(Sim *S, uint8_t *w, int c, int vma, int pfn)
{
	const PageState *pg = (const PageState *)(w + S->L.page) + pfn;
	uint64_t f = w_vm_flags(&S->L, w)[vma];
	if (!pg->mapping || (S->P->outcomes_off >> OUT_WRITE_TO_READONLY_FILE & 1))
		return;
	if ((f & VM_SHARED) && (f & VM_MAYWRITE))
		return;
	w_hdr(w)->seen |= SEEN_WRITE_RO_FILE;
	char note[160];
	snprintf(note, sizeof note, "a write through vma %s (%s) reached the page cache of %s: write to a read-only file",
	         S->P->vmas[vma].name, f & VM_SHARED ? "shared, no VM_MAYWRITE" : "private",
	         S->P->filesys[pg->mapping - 1].name);
	ex_note(S, w, c, note);
}

/* A user access of CPU c through entry t, which a returned system call
 * revoked (for a store: or made read-only): stale_access, sticky. */
static void stale_access(Sim *S, uint8_t *w, int c, const TlbEntry *t)
{
	int p = w_cpu(&S->L, w, c)->revoked_by - 1;
	w_hdr(w)->seen |= SEEN_STALE_ACCESS;
	ev(S, w, c, EV_HW, -1, "entry %s by %s, which has returned: stale access",
	   t->flags & TLB_REVOKED ? "was revoked" : "was revoked for stores (its PTE is read-only or clean now)",
	   p >= 0 ? S->P->procs[p].name : "a system call");
}

/* The data access through TLB entry i; ends the instruction.  A kernel
 * copy (copy_from_user) reads the user page and writes the page of its
 * first operand. */
static int data_access(Sim *S, uint8_t *w, int c, const Step *s, int i, int write)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	TlbEntry *t = &w_tlb(&S->L, w, c)[i];
	PageState *pg = (PageState *)(w + S->L.page) + t->pfn;
	const char *pname = t->pfn >= 1 && t->pfn <= S->P->npages ? S->P->pages[t->pfn - 1].name : "?";
	int step = (int)(s - S->P->steps);
	if (t->flags & TLB_STALE) {
		w_hdr(w)->seen |= SEEN_STALE_TLB_WRITE * (write != 0);
		ev(S, w, c, EV_HW, -1, "entry is STALE: a completed TLB flush missed it");
	}
	if ((t->flags & TLB_REVOKED) || (write && (t->flags & TLB_REVOKED_W)))
		stale_access(S, w, c, t);
	if ((pg->frame & FRAME_FREE) || (t->flags & TLB_FREED)) {
		w_hdr(w)->seen |= SEEN_USE_AFTER_FREE;
		ev(S, w, c, EV_HW, -1, pg->frame & FRAME_FREE ? "%s was freed: use after free"
		   : "%s was freed and allocated again since this entry was filled: use after free", pname);
	}
	S->lat += S->P->cost.mem;
	if (write) {
		int vma = prog_vma_of(S->P, t->mm, (uint64_t)t->vpn << 12);
		ex_frame_written(S, w, t->pfn, 1);
		if (vma >= 0)
			ex_write_through(S, w, c, vma, t->pfn);
		ev(S, w, c, EV_HW, step, "data write lands in %s (content v%u)", pname, pg->data);
	} else if (prog_ops[s->op].args[0] == 'p') {   /* copy_from_user */
		int dst = (int)h_index(ex_opv(S, w, c, s, 0));
		ex_frame_written(S, w, dst, 0);
		setdst(S, w, c, s, 0);
		ev(S, w, c, EV_HW, step, "copy: read %s (content v%u), write %s (content v%u)", pname, pg->data,
		   S->P->pages[dst - 1].name, ((PageState *)(w + S->L.page))[dst].data);
	} else {
		setdst(S, w, c, s, pg->data);
		ev(S, w, c, EV_HW, step, "data read from %s (content v%u)", pname, pg->data);
	}
	cs->phase = PH_START;
	cs->acc_slot = 0;
	cs->pc++;
	return R_NEXT;
}

/* The dirty-bit step of a store through writable clean entry i. */
static int dirty_step(Sim *S, uint8_t *w, int c, const Step *s, int i, uint64_t addr, int phase)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	TlbEntry *t = &w_tlb(&S->L, w, c)[i];
	int slot = prog_pte_slot(S->P, t->mm, (uint64_t)t->vpn << 12);
	pte_t v = pte_get(S, w, slot);
	const char *note = "";
	int r = S->model[c]->set_dirty(S->arch, &v, phase, &cs->scratch, &note);
	TraceEv *e = ev(S, w, c, EV_HW, -1, "%s", note);
	pte_set(S, w, slot, v, e, 1);
	S->lat += S->P->cost.pte_atomic;
	if (r == DIRTY_AGAIN) {
		cs->phase = (uint8_t)(PH_DIRTY0 + phase + 1);
		cs->acc_slot = (uint8_t)i;
		return R_STAY;
	}
	cs->scratch = 0;
	if (r == DIRTY_FAULT) {
		tlb_invalidate(w_tlb(&S->L, w, c), S->L.tlb_size, t->mm, t->vpn);
		return access_fault(S, w, c, s, addr, 1);
	}
	t->flags |= TLB_D;
	cs->phase = PH_DATA;
	cs->acc_slot = (uint8_t)i;
	return R_STAY;
}

/* Phase PH_START of a load or store: TLB lookup, then hit or walk. */
static int access_start(Sim *S, uint8_t *w, int c, const Step *s, uint64_t addr, int write)
{
	const Program *P = S->P;
	int mm = P->cpus[c].mm;
	uint32_t vpn = (uint32_t)(addr >> 12);
	TlbEntry *tlb = w_tlb(&S->L, w, c);
	int i = tlb_lookup(tlb, S->L.tlb_size, mm, vpn);
	const char *what = access_name(s, write);
	if (i >= 0) {
		S->lat += P->cost.tlb_hit;
		ev(S, w, c, EV_STEP, s - P->steps, "%s 0x%" PRIx64 ": TLB hit (W=%d D=%d)", what, addr,
		   !!(tlb[i].flags & TLB_W), !!(tlb[i].flags & TLB_D));
		if (write && !(tlb[i].flags & TLB_W)) {
			tlb_invalidate(tlb, S->L.tlb_size, mm, vpn);
			return access_fault(S, w, c, s, addr, 1);
		}
		if (!write || (tlb[i].flags & TLB_D))
			return data_access(S, w, c, s, i, write);
		return dirty_step(S, w, c, s, i, addr, 0);
	}
	int slot = prog_pte_slot(P, mm, addr);
	S->lat += P->cost.walk;
	if (slot < 0) {
		ev(S, w, c, EV_STEP, s - P->steps, "%s 0x%" PRIx64 ": TLB miss, no page table", what, addr);
		return access_fault(S, w, c, s, addr, write);
	}
	pte_t v = pte_get(S, w, slot);
	const char *note = "";
	int ok = S->model[c]->walk(S->arch, &v, write, &note);
	TraceEv *e = ev(S, w, c, EV_STEP, s - P->steps, "%s 0x%" PRIx64 ": TLB miss, %s", what, addr, note);
	pte_set(S, w, slot, v, e, 1);
	if (!ok)
		return access_fault(S, w, c, s, addr, write);
	CpuState *cs = w_cpu(&S->L, w, c);
	/* with no hardware dirty bit a clean PTE is read-only to the MMU */
	const Arch *a = S->arch;
	int hw_w = a->hw_writable(v) && (a->hw_dirty(v) || !(S->model[c]->flags & DM_SW_DIRTY));
	uint8_t fl = (uint8_t)((hw_w ? TLB_W : 0) | (a->hw_dirty(v) ? TLB_D : 0));
	cs->acc_slot = (uint8_t)tlb_fill(tlb, S->L.tlb_size, &cs->tlb_rr, mm, vpn, (uint16_t)arch_pfn(a, v), fl);
	cs->phase = PH_DATA;
	return R_STAY;
}

/* load/store (address: operand 0) and the kernel's copies from user
 * memory (a read of operand 1). */
static int user_access(Sim *S, uint8_t *w, int c, const Step *s, int write)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	uint64_t addr = ex_opv(S, w, c, s, prog_ops[s->op].args[0] == 'p');
	if (c >= S->L.ncpu || S->P->cpus[c].mm < 0)
		return ex_fail(S, s, "%s: CPU#%d runs no user mm", access_name(s, write), c);
	if (cs->phase == PH_START)
		return access_start(S, w, c, s, addr, write);
	if (cs->phase == PH_FAULT_WAIT)
		return page_fault(S, w, c, s, addr, write);
	if (cs->phase == PH_DATA)
		return data_access(S, w, c, s, cs->acc_slot, write);
	return dirty_step(S, w, c, s, cs->acc_slot, addr, cs->phase - PH_DIRTY0);
}

/* ---- guards: may the step at pc run now? ---- */

static int lock_free(Sim *S, uint8_t *w, int c, const Step *s)
{
	uint64_t v = ex_opv(S, w, c, s, 0);
	if (h_kind(v) != HK_LOCK || h_index(v) >= (uint32_t)S->P->nlocks)
		return 1;              /* let the step report the bad operand */
	return w[S->L.lock + h_index(v)] == 0;
}

/* 1 if the page of step s's first operand has none of the PG_* flags
 * (a bad operand runs, so the step reports it). */
static int page_flag_clear(Sim *S, uint8_t *w, int c, const Step *s, unsigned flags)
{
	uint64_t v = ex_opv(S, w, c, s, 0);
	if (h_kind(v) != HK_PAGE || h_index(v) == 0 || h_index(v) > (uint32_t)S->P->npages)
		return 1;
	return !(((PageState *)(w + S->L.page))[h_index(v)].flags & flags);
}

static int page_unlocked(Sim *S, uint8_t *w, int c, const Step *s)
{
	return page_flag_clear(S, w, c, s, PG_locked);
}

int ex_can_run(Sim *S, uint8_t *w, int c)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	const Step *s = &S->P->steps[cs->pc];
	if (sim_op_shoots_down(s->op))
		return fl_can_run(S, w, c);
	switch (s->op) {
	case OP_SPIN_LOCK:         return lock_free(S, w, c, s);
	case OP_SPIN_LOCK_IRQSAVE: return cs->phase == PH_START || lock_free(S, w, c, s);
	case OP_LOCK_PAGE:
	case OP_WAIT_ON_PAGE_LOCKED: return page_unlocked(S, w, c, s);
	case OP_WAIT_ON_PAGE_WRITEBACK: return page_flag_clear(S, w, c, s, PG_writeback);
	case OP_I_MMAP_LOCK_READ:  return vm_i_mmap_free(S, w, c, s, 0);
	case OP_I_MMAP_LOCK_WRITE: return vm_i_mmap_free(S, w, c, s, 1);
	case OP_MMAP_READ_LOCK:
	case OP_MMAP_WRITE_LOCK:
	case OP_DOWN_READ:
	case OP_DOWN_WRITE:        return vm_mmap_lock_free(S, w, c, s);
	case OP_STORE:
	case OP_LOAD:
	case OP_COPY_FROM_USER:    return cs->phase != PH_FAULT_WAIT || vm_fault_can_lock(S, w, c);
	default:                   return 1;
	}
}

static int in_instruction(Sim *S, uint8_t *w, int c)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	return cs->status == CPU_RUN && cs->phase != PH_START && cs->phase != PH_FAULT_WAIT &&
	       prog_ops[S->P->steps[cs->pc].op].cls == USER;
}

int sim_enabled(Sim *S, uint8_t *w, Choice *out)
{
	int n = 0;
	for (int c = 0; c < S->L.ncpu; c++) {
		CpuState *cs = w_cpu(&S->L, w, c);
		if (cs->status == CPU_RUN && ex_can_run(S, w, c))
			out[n++] = CH_STEP(c);
		if (cs->ipi_from && !cs->irq_off && !in_instruction(S, w, c))
			out[n++] = CH_IPI(c);
	}
	return n;
}

/* The trace line of a return: a handle by its name, a number in decimal
 * (below 10) or hex. */
static void trace_return(Sim *S, uint8_t *w, int c, int pc, uint64_t a)
{
	char buf[64];
	if (h_kind(a) != HK_INT)
		ev(S, w, c, EV_STEP, pc, "return %s", prog_value_name(S->P, a, buf, sizeof buf));
	else
		ev(S, w, c, EV_STEP, pc, a < 10 ? "return %" PRIu64 : "return 0x%" PRIx64, a);
}

/* ---- files, the page cache, DAX blocks, state variables ---- */

/* Ends a shared step: its cost, the next pc. */
static int next(Sim *S, uint8_t *w, int c, uint32_t cost)
{
	S->lat += cost;
	w_cpu(&S->L, w, c)->pc++;
	return R_NEXT;
}

int ex_next(Sim *S, uint8_t *w, int c, uint32_t cost)
{
	return next(S, w, c, cost);
}

/* The page-cache (or block-map) slot of file f at index, or -1. */
int ex_file_slot(Sim *S, int f, uint64_t index)
{
	const FileDesc *fd = &S->P->filesys[f];
	return index < (uint64_t)fd->npages ? fd->first_slot + (int)index : -1;
}

/* READ_ONCE / WRITE_ONCE of a state variable. */
static int var_step(Sim *S, uint8_t *w, int c, const Step *s, uint64_t b)
{
	int v = obj(S, w, c, s, 0, HK_VAR), pc = w_cpu(&S->L, w, c)->pc;
	uint64_t *var = (uint64_t *)(w + S->L.var);
	if (v < 0)
		return R_ERR;
	if (s->op == OP_READ_ONCE) {
		setdst(S, w, c, s, var[v]);
		ev(S, w, c, EV_STEP, pc, "%s = %" PRIu64, s->text, var[v]);
	} else {
		var[v] = b;
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
	}
	return next(S, w, c, S->P->cost.mem);
}

/* The read-modify-write of an atomic step on *v: the new value (*v is
 * left alone by the reads), and in *ret what the step returns.  a and b
 * are the step's values other than the variable, in kernel order. */
static int64_t atomic_rmw(int op, int64_t v, int64_t a, int64_t b, int64_t *ret)
{
	uint64_t bit = 1ull << (a & 63);
	int64_t n;
	switch (op) {
	case OP_SET_BIT:            *ret = 0; return (int64_t)((uint64_t)v | bit);
	case OP_CLEAR_BIT:          *ret = 0; return (int64_t)((uint64_t)v & ~bit);
	case OP_TEST_BIT:           *ret = ((uint64_t)v & bit) != 0; return v;
	case OP_TEST_AND_SET_BIT:   *ret = ((uint64_t)v & bit) != 0; return (int64_t)((uint64_t)v | bit);
	case OP_TEST_AND_CLEAR_BIT: *ret = ((uint64_t)v & bit) != 0; return (int64_t)((uint64_t)v & ~bit);
	case OP_ATOMIC_READ:        *ret = v; return v;
	case OP_ATOMIC_SET:         *ret = 0; return a;
	case OP_CMPXCHG:            *ret = v; return v == a ? b : v;
	case OP_XCHG:               *ret = v; return a;
	default: break;
	}
	/* the adds, in unsigned arithmetic: they wrap, never overflow */
	uint64_t d = op == OP_ATOMIC_ADD || op == OP_ATOMIC_ADD_NEGATIVE ? (uint64_t)a :
	             op == OP_ATOMIC_SUB ? -(uint64_t)a :
	             op == OP_ATOMIC_INC || op == OP_ATOMIC_INC_RETURN || op == OP_ATOMIC_INC_AND_TEST ? 1 : UINT64_MAX;
	n = (int64_t)((uint64_t)v + d);
	*ret = op == OP_ATOMIC_INC_AND_TEST || op == OP_ATOMIC_DEC_AND_TEST ? n == 0 :
	       op == OP_ATOMIC_ADD_NEGATIVE ? n < 0 : n;
	return n;
}

/* An atomic step on a state variable: one indivisible read-modify-write
 * (the bit operations and atomic_add_negative take the variable second,
 * as the kernel's do). */
static int atomic_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	int vi = prog_ops[s->op].args[0] == 'x' ? 0 : 1, pc = w_cpu(&S->L, w, c)->pc;
	int v = obj(S, w, c, s, vi, HK_VAR);
	int64_t *var = (int64_t *)(w + S->L.var), ret = 0, a, b, old;
	if (v < 0)
		return R_ERR;
	a = (int64_t)ex_opv(S, w, c, s, vi == 0 ? 1 : 0);
	b = s->nargs > 2 ? (int64_t)ex_opv(S, w, c, s, 2) : 0;
	if (s->op >= OP_SET_BIT && s->op <= OP_TEST_AND_CLEAR_BIT && (uint64_t)a > 63)
		return ex_fail(S, s, "%s: bit %" PRIu64 " is past the 64-bit variable %s", prog_ops[s->op].name,
		               (uint64_t)a, S->P->vars[v].name);
	old = var[v];
	var[v] = atomic_rmw(s->op, old, a, b, &ret);
	if (prog_ops[s->op].dst)
		setdst(S, w, c, s, (uint64_t)ret);
	char r[32] = "";
	if (S->trace && prog_ops[s->op].dst)             /* the trace only: atomics are on the search's path */
		snprintf(r, sizeof r, " = %" PRId64, ret);
	if (var[v] != old)
		ev(S, w, c, EV_STEP, pc, "%s%s: %s %" PRId64 " -> %" PRId64, s->text, r, S->P->vars[v].name, old, var[v]);
	else
		ev(S, w, c, EV_STEP, pc, "%s%s", s->text, r);
	return next(S, w, c, s->op == OP_ATOMIC_READ || s->op == OP_TEST_BIT || s->op == OP_ATOMIC_SET ?
	                         S->P->cost.mem : S->P->cost.pte_atomic);
}

static int file_step(Sim *S, uint8_t *w, int c, const Step *s, uint64_t b)
{
	const Program *P = S->P;
	int pc = w_cpu(&S->L, w, c)->pc, f = obj(S, w, c, s, 0, HK_FILE);
	Mem m;
	if (f < 0)
		return R_ERR;
	world_mem(&S->L, w, &m);
	FileState *fs = &m.file[f];
	int slot = ex_file_slot(S, f, b), pfn = 0;
	switch (s->op) {
	case OP_I_SIZE_READ:
		setdst(S, w, c, s, fs->i_size);
		ev(S, w, c, EV_STEP, pc, "%s = %u", s->text, fs->i_size);
		break;
	case OP_I_SIZE_WRITE:
		if (b > 0xffffffffu)
			return ex_fail(S, s, "i_size_write: %" PRIu64 " is too large", b);
		fs->i_size = (uint32_t)b;
		ev(S, w, c, EV_STEP, pc, "%s: i_size = %u", s->text, fs->i_size);
		break;
	case OP_FILE_UPDATE_TIME:
		fs->mtime++;
		ev(S, w, c, EV_STEP, pc, "%s: mtime = %u", s->text, fs->mtime);
		break;
	case OP_FIND_GET_PAGE:
	case OP_GET_BLOCK:
		if (s->op == OP_GET_BLOCK && !P->filesys[f].dax)
			return ex_fail(S, s, "get_block: file %s is not a DAX file (it has pages, not blocks)", P->filesys[f].name);
		if (slot >= 0 && P->filesys[f].dax == (s->op == OP_GET_BLOCK))
			pfn = m.pcache[slot];
		if (pfn && s->op == OP_FIND_GET_PAGE)
			m.page[pfn].count++;    /* page_cache_get_speculative */
		setdst(S, w, c, s, s->op == OP_GET_BLOCK ? (uint64_t)pfn : pfn ? h_make(HK_PAGE, (uint64_t)pfn) : 0);
		ev(S, w, c, EV_STEP, pc, "%s = %s", s->text, pfn ? P->pages[pfn - 1].name : "NULL");
		break;
	case OP_FREE_BLOCK:
		if (!P->filesys[f].dax)
			return ex_fail(S, s, "free_block: file %s is not a DAX file (it has pages, not blocks)", P->filesys[f].name);
		if (slot < 0 || !m.pcache[slot])
			return ex_fail(S, s, "free_block: file %s has no block at index %" PRIu64, P->filesys[f].name, b);
		pfn = m.pcache[slot];
		m.pcache[slot] = 0;
		m.page[pfn].mapping = m.page[pfn].index = 0;
		m.page[pfn].frame |= FRAME_FREE;
		ev(S, w, c, EV_STEP, pc, "%s: %s (pfn %d) is free", s->text, P->pages[pfn - 1].name, pfn);
		break;
	}
	return next(S, w, c, P->cost.mem);
}

/* 1 if a present PTE maps pfn. */
static int pfn_mapped(Sim *S, uint8_t *w, int pfn)
{
	const pte_t *pte = (const pte_t *)(w + S->L.pte);
	for (int i = 0; i < S->L.npte; i++)
		if (S->arch->present(pte[i]) && arch_pfn(S->arch, pte[i]) == (uint64_t)pfn)
			return 1;
	return 0;
}

/* add_to_page_cache(page, file, index): -EEXIST (17) if the slot is
 * taken; a page already in a page cache is a scenario error (BUG_ON in
 * the kernel's __add_to_page_cache_locked). */
static int add_to_page_cache(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	const Program *P = S->P;
	PageState *pg = (PageState *)(w + S->L.page) + pfn;
	uint16_t *pcache = (uint16_t *)(w + S->L.pcache);
	int f = obj(S, w, c, s, 1, HK_FILE), pc = w_cpu(&S->L, w, c)->pc;
	uint64_t index = ex_opv(S, w, c, s, 2);
	if (f < 0)
		return R_ERR;
	int slot = ex_file_slot(S, f, index);
	if (P->filesys[f].dax)
		return ex_fail(S, s, "add_to_page_cache: file %s is DAX: it has no page cache", P->filesys[f].name);
	if (slot < 0)
		return ex_fail(S, s, "add_to_page_cache: index %" PRIu64 " is beyond file %s's %d pages", index,
		               P->filesys[f].name, P->filesys[f].npages);
	if (pg->mapping)
		return ex_fail(S, s, "add_to_page_cache: %s is already in the page cache of %s", P->pages[pfn - 1].name,
		               P->filesys[pg->mapping - 1].name);
	int busy = pcache[slot] != 0;
	if (!busy && pg->count <= 0)
		return ex_bug(S, w, c, s, "add_to_page_cache of a freed page");
	if (!busy) {
		pcache[slot] = (uint16_t)pfn;
		pg->mapping = (uint16_t)(f + 1);
		pg->index = (uint16_t)index;
		pg->count++;                     /* the page cache's reference */
	}
	setdst(S, w, c, s, busy ? 17 : 0);
	ev(S, w, c, EV_STEP, pc, "%s%s", s->text, busy ? " = -EEXIST" : "");
	return next(S, w, c, P->cost.mem);
}

static int page_step(Sim *S, uint8_t *w, int c, const Step *s, int pfn)
{
	const Program *P = S->P;
	PageState *pg = (PageState *)(w + S->L.page) + pfn;
	int pc = w_cpu(&S->L, w, c)->pc, slot = world_page_slot(P, pg);
	uint64_t v = 0;
	switch (s->op) {
	case OP_DELETE_FROM_PAGE_CACHE:
		ev(S, w, c, EV_STEP, pc, "%s%s", s->text, slot >= 0 ? "" : ": not in the page cache");
		if (slot >= 0) {
			((uint16_t *)(w + S->L.pcache))[slot] = 0;
			pg->mapping = pg->index = 0;
			pg_put_ref(S, w, c, pfn);    /* the page cache's reference */
		}
		return next(S, w, c, P->cost.mem);
	case OP_PAGE_MAPPING:
		v = pg->mapping ? h_make(HK_FILE, (uint64_t)pg->mapping - 1) : 0;
		ev(S, w, c, EV_STEP, pc, "%s = %s", s->text, pg->mapping ? P->filesys[pg->mapping - 1].name : "NULL");
		break;
	case OP_PAGE_MAPPED:
		v = P->pages[pfn - 1].nopage ? (uint64_t)pfn_mapped(S, w, pfn) : pg->mapcount > 0;
		ev(S, w, c, EV_STEP, pc, "%s = %d", s->text, (int)v);
		break;
	case OP_PAGE_TEST_AND_CLEAR_DIRTY:
		v = pg->skey;
		pg->skey = 0;
		ev(S, w, c, EV_STEP, pc, "%s = %d%s", s->text, (int)v, v ? ": storage key change bit cleared" : "");
		break;
	}
	setdst(S, w, c, s, v);
	return next(S, w, c, P->cost.mem);
}

/* VMA arithmetic and the (static) i_mmap walk. */
static int vma_step(Sim *S, uint8_t *w, int c, const Step *s, uint64_t a, uint64_t b)
{
	const Program *P = S->P;
	uint64_t v = 0;
	(void)a;
	if (s->op == OP_VMA_INTERVAL_TREE_NEXT) {
		int f = obj(S, w, c, s, 0, HK_FILE), from = 0;
		if (f < 0 || (b && (from = obj(S, w, c, s, 1, HK_VMA) + 1) <= 0))
			return R_ERR;
		for (int i = from; i < P->nvmas && !v; i++)
			if (P->vmas[i].file == f)
				v = h_make(HK_VMA, (uint64_t)i);
	} else {
		int vi = obj(S, w, c, s, 0, HK_VMA);
		if (vi < 0)
			return R_ERR;
		const VmaDesc *vm = &P->vmas[vi];
		uint64_t npages = (vm->end - vm->start) >> 12;
		if (s->op == OP_VMA_FILE)
			v = vm->file >= 0 ? h_make(HK_FILE, (uint64_t)vm->file) : 0;
		else if (s->op == OP_LINEAR_PAGE_INDEX)
			v = vm->pgoff + ((b - vm->start) >> 12);
		else if (b >= vm->pgoff && b - vm->pgoff < npages)
			v = vm->start + ((b - vm->pgoff) << 12);
	}
	setdst(S, w, c, s, v);
	return next(S, w, c, P->cost.local);
}

/* vma->vm_ops->page_mkwrite / ->pfn_mkwrite: a call of the procedure
 * the vma names (its shape was checked by the compiler). */
static int vm_ops_call(Sim *S, uint8_t *w, int c, const Step *s)
{
	int vi = obj(S, w, c, s, 0, HK_VMA);
	if (vi < 0)
		return R_ERR;
	int k = s->op == OP_PAGE_MKWRITE ? VMOPS_PAGE_MKWRITE : VMOPS_PFN_MKWRITE;
	int proc = S->P->vmas[vi].vm_ops[k], pfn;
	if (k == VMOPS_PAGE_MKWRITE) {           /* the page is operand 2: check it here */
		if ((pfn = obj(S, w, c, s, 1, HK_PAGE)) < 0)
			return R_ERR;
		if (S->P->pages[pfn - 1].nopage)
			return ex_fail(S, s, "page_mkwrite: %s is a DAX block: it has no struct page (use pfn_mkwrite)",
			               S->P->pages[pfn - 1].name);
	}
	if (proc < 0)
		return ex_fail(S, s, "%s: vma %s has no vm_ops %s", prog_ops[s->op].name, S->P->vmas[vi].name,
		            prog_ops[s->op].name);
	uint64_t args[2] = { ex_opv(S, w, c, s, 0), ex_opv(S, w, c, s, 1) };
	int pc = w_cpu(&S->L, w, c)->pc;
	ev(S, w, c, EV_STEP, pc, "%s: ->%s = %s", s->text, prog_ops[s->op].name, S->P->procs[proc].name);
	S->lat += S->P->cost.local;
	return do_call(S, w, c, proc, pc, FR_CALL, args, 2);
}

/* ---- expression operators ---- */

/* The operator step s on a (and b): a handle operand is an error except
 * for == and != (the compiler checks constants; registers are checked
 * here), and so is a division by zero.  R_NEXT or R_ERR. */
static int operator(Sim *S, uint8_t *w, int c, const Step *s, uint64_t a, uint64_t b)
{
	int ok;
	for (int i = 0; i < s->nargs && s->op != OP_BEQ && s->op != OP_BNE; i++) {
		uint64_t v = i ? b : a;
		if (h_kind(v) > HK_INT && h_kind(v) <= HK_VAR)
			return ex_fail(S, s, "operator '%s' on a %s (%s)", prog_ops[s->op].name, kind_name(h_kind(v)), s->text);
	}
	uint64_t v = prog_fold(s->op, a, b, &ok);
	if (!ok)
		return ex_fail(S, s, "%s: division by zero", s->text);
	setdst(S, w, c, s, v);
	return R_NEXT;
}

/* A local step that shows the value it assigned (Step.show). */
static void show_value(Sim *S, uint8_t *w, int c, const Step *s, int pc)
{
	char name[64];
	uint64_t v = s->dst >= 0 ? *reg(S, w, c, s->dst) : 0;
	if (h_kind(v) > HK_INT && h_kind(v) <= HK_VAR)
		prog_value_name(S->P, v, name, sizeof name);
	else
		snprintf(name, sizeof name, v < 10 ? "%" PRIu64 : "0x%" PRIx64, v);
	ev(S, w, c, EV_STEP, pc, "%s = %s", s->text, name);
}

/* ---- the step switch ---- */

#define PAGE(i)  ((PageState *)(w + S->L.page) + pg_idx[i])

int ex_step(Sim *S, uint8_t *w, int c, const Step *s)
{
	CpuState *cs = w_cpu(&S->L, w, c);
	const Program *P = S->P;
	int pc = cs->pc;
	uint64_t a = s->nargs > 0 ? ex_opv(S, w, c, s, 0) : 0;
	uint64_t b = s->nargs > 1 ? ex_opv(S, w, c, s, 1) : 0;
	int slot, pg_idx[1] = { 0 };
	TraceEv *e;
	Mem m;

	if (prog_ops[s->op].args[0] == 'p' && (pg_idx[0] = obj(S, w, c, s, 0, HK_PAGE)) < 0)
		return R_ERR;
	if (pg_idx[0] && P->pages[pg_idx[0] - 1].nopage && s->op != OP_PAGE_MAPPED)
		return ex_fail(S, s, "%s: %s is a DAX block: it has no struct page", prog_ops[s->op].name,
		            P->pages[pg_idx[0] - 1].name);
	switch ((OpCode)s->op) {
	case OP_MOV:        setdst(S, w, c, s, a); break;
	case OP_NOT:        setdst(S, w, c, s, !a); break;
	case OP_JMP:        cs->pc = (uint16_t)s->target; S->lat += P->cost.local; return R_NEXT;
	case OP_JZ:
	case OP_JNZ:
		cs->pc = (uint16_t)(!a == (s->op == OP_JNZ) ? pc + 1 : s->target);
		S->lat += P->cost.local;
		return R_NEXT;
	case OP_CALL: {
		uint64_t args[STEP_MAXARGS];
		for (int i = 0; i < s->nargs; i++)
			args[i] = ex_opv(S, w, c, s, i);
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.local;
		return do_call(S, w, c, s->target, pc, FR_CALL, args, s->nargs);
	}
	case OP_RET:
		if (S->trace && cs->depth > 1)                /* a CPU's program ending is not news */
			trace_return(S, w, c, pc, a);
		S->lat += P->cost.local;
		return do_ret(S, w, c, a);
	case OP_PTE_MKCLEAN:   setdst(S, w, c, s, S->arch->mkclean(a)); break;
	case OP_PTE_MKDIRTY:   setdst(S, w, c, s, S->arch->mkdirty(a)); break;
	case OP_PTE_WRPROTECT: setdst(S, w, c, s, S->arch->wrprotect(a)); break;
	case OP_PTE_MKWRITE:   setdst(S, w, c, s, S->arch->mkwrite(a)); break;
	case OP_PTE_MKYOUNG:   setdst(S, w, c, s, S->arch->mkyoung(a)); break;
	case OP_PTE_MKOLD:     setdst(S, w, c, s, S->arch->mkold(a)); break;
	case OP_PTE_DIRTY:     setdst(S, w, c, s, (uint64_t)S->arch->dirty(a)); break;
	case OP_PTE_WRITE:     setdst(S, w, c, s, (uint64_t)S->arch->write(a)); break;
	case OP_PTE_YOUNG:     setdst(S, w, c, s, (uint64_t)S->arch->young(a)); break;
	case OP_PTE_PRESENT:   setdst(S, w, c, s, (uint64_t)S->arch->present(a)); break;
	case OP_PTE_NONE:      setdst(S, w, c, s, (uint64_t)S->arch->none(a)); break;
	case OP_PTE_PROTNONE:  setdst(S, w, c, s, (uint64_t)S->arch->protnone(a)); break;
	case OP_PTE_SAME:      setdst(S, w, c, s, (uint64_t)pte_same(a, b)); break;
	case OP_PTE_PFN:       setdst(S, w, c, s, arch_pfn(S->arch, a)); break;
	case OP_PTE_PAGE:      setdst(S, w, c, s, h_make(HK_PAGE, arch_pfn(S->arch, a))); break;
	case OP_PTE_MODIFY:    setdst(S, w, c, s, arch_pte_modify(S->arch, a, b)); break;
	case OP_MK_PTE:        setdst(S, w, c, s, arch_pfn_pte(S->arch, (uint64_t)pg_idx[0], b)); break;
	case OP_SWP_ENTRY: case OP_SWP_TYPE: case OP_SWP_OFFSET: case OP_PTE_TO_SWP_ENTRY:
	case OP_SWP_ENTRY_TO_PTE: case OP_IS_SWAP_PTE: case OP_NON_SWAP_ENTRY: case OP_IS_MIGRATION_ENTRY:
	case OP_IS_WRITABLE_MIGRATION_ENTRY: case OP_IS_WRITE_MIGRATION_ENTRY: case OP_MAKE_MIGRATION_ENTRY:
	case OP_MAKE_READABLE_MIGRATION_ENTRY: case OP_MAKE_WRITABLE_MIGRATION_ENTRY:
	case OP_MIGRATION_ENTRY_TO_PAGE: case OP_PFN_SWAP_ENTRY_TO_PAGE: case OP_PAGE_TO_PFN:
		if (sw_local(S, w, c, s, a, b, pg_idx[0]) != R_NEXT)
			return R_ERR;
		break;
	case OP_VMA_ADDRESS: {
		int vma = obj(S, w, c, s, 1, HK_VMA);
		if (vma < 0)
			return R_ERR;
		const VmaDesc *v = &P->vmas[vma];
		const PageState *pg = PAGE(0);
		if (!pg->mapping || pg->mapping - 1 != v->file || pg->index < v->pgoff ||
		    v->start + ((uint64_t)(pg->index - v->pgoff) << 12) >= v->end)
			return ex_fail(S, s, "vma_address: vma %s does not map %s", v->name, P->pages[pg_idx[0] - 1].name);
		setdst(S, w, c, s, v->start + ((uint64_t)(pg->index - v->pgoff) << 12));
		break;
	}
	case OP_PTE_LOCKPTR: {
		int mm = obj(S, w, c, s, 0, HK_MM);
		if (mm < 0)
			return R_ERR;
		setdst(S, w, c, s, h_make(HK_LOCK, (uint64_t)mm));
		break;
	}
	case OP_PTEP_GET:
		if ((slot = pte_slot(S, w, c, s, 0, 1)) < 0)
			return R_ERR;
		setdst(S, w, c, s, pte_get(S, w, slot));
		ev(S, w, c, EV_STEP, pc, "%s = 0x%" PRIx64, s->text, pte_get(S, w, slot));
		S->lat += P->cost.mem;
		break;
	case OP_SET_PTE_AT:
	case OP_PTE_CLEAR: {
		if ((slot = pte_slot(S, w, c, s, 0, 1)) < 0)
			return R_ERR;
		pte_t v = s->op == OP_SET_PTE_AT ? ex_opv(S, w, c, s, 2) : 0;
		if (!pte_frame_ok(S, s, v))
			return R_ERR;
		e = ev(S, w, c, EV_STEP, pc, "%s", s->text);
		pte_set(S, w, slot, v, e, 0);
		S->lat += P->cost.mem;
		break;
	}
	case OP_PTEP_GET_AND_CLEAR:
	case OP_PTEP_EXCHANGE:
	case OP_PTEP_CMPXCHG: {
		if ((slot = pte_slot(S, w, c, s, 0, 1)) < 0)
			return R_ERR;
		pte_t old = pte_get(S, w, slot), v = 0;
		if (s->op == OP_PTEP_EXCHANGE)
			v = ex_opv(S, w, c, s, 2);
		else if (s->op == OP_PTEP_CMPXCHG)
			v = old == ex_opv(S, w, c, s, 2) ? ex_opv(S, w, c, s, 3) : old;
		if (!pte_frame_ok(S, s, v))
			return R_ERR;
		setdst(S, w, c, s, old);
		e = ev(S, w, c, EV_STEP, pc, "%s = 0x%" PRIx64, s->text, old);
		pte_set(S, w, slot, v, e, 0);
		S->lat += P->cost.pte_atomic;
		break;
	}
	case OP_PTEP_TEST_AND_CLEAR_BIT: {
		uint64_t nr = ex_opv(S, w, c, s, 0);
		if ((slot = pte_slot(S, w, c, s, 1, 2)) < 0)
			return R_ERR;
		if (nr >= 64) {
			ex_fail(S, s, "ptep_test_and_clear_bit: bit %" PRIu64 " is not a bit of a PTE (0-63)", nr);
			return R_ERR;
		}
		pte_t old = pte_get(S, w, slot);
		setdst(S, w, c, s, (old >> nr) & 1);
		e = ev(S, w, c, EV_STEP, pc, "%s = %d", s->text, (int)((old >> nr) & 1));
		pte_set(S, w, slot, old & ~(1ull << nr), e, 0);
		S->lat += P->cost.pte_atomic;
		break;
	}
	case OP_FLUSH_TLB_PAGE:
	case OP_FLUSH_TLB_RANGE:
	case OP_FLUSH_TLB_MM:
	case OP_TLB_GATHER_MMU:
	case OP_TLB_REMOVE_TLB_ENTRY:
	case OP_TLB_REMOVE_PAGE:
	case OP_TLB_FLUSH_MMU:
	case OP_TLB_FINISH_MMU:
	case OP_SET_TLB_UBC_FLUSH_PENDING:
	case OP_TRY_TO_UNMAP_FLUSH:
	case OP_TRY_TO_UNMAP_FLUSH_DIRTY:
	case OP_INC_TLB_FLUSH_PENDING:
	case OP_DEC_TLB_FLUSH_PENDING:
	case OP_MM_TLB_FLUSH_PENDING:
	case OP_MM_TLB_FLUSH_NESTED:
		return fl_step(S, w, c, s);
	case OP_LOCAL_FLUSH_TLB_PAGE: {
		int vma = obj(S, w, c, s, 0, HK_VMA);
		if (vma < 0)
			return R_ERR;
		if (c < S->L.ncpu)
			tlb_invalidate(w_tlb(&S->L, w, c), S->L.tlb_size, P->vmas[vma].mm, (uint32_t)(b >> 12));
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.tlb_hit;
		break;
	}
	case OP_SPIN_LOCK:
	case OP_SPIN_LOCK_IRQSAVE: {
		int l = obj(S, w, c, s, 0, HK_LOCK);
		if (l < 0)
			return R_ERR;
		world_mem(&S->L, w, &m);
		if (s->op == OP_SPIN_LOCK_IRQSAVE && cs->phase == PH_START)
			cs->irq_off++;
		S->lat += P->cost.lock;
		if (!mem_spin_trylock(&m, l, c)) {   /* irqsave: spin with irqs off */
			ev(S, w, c, EV_STEP, pc, "%s: interrupts off, spinning (held by CPU#%d)", s->text, m.lock[l] - 1);
			cs->phase = PH_WAIT;
			return R_STAY;
		}
		cs->phase = PH_START;
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		break;
	}
	case OP_SPIN_UNLOCK:
	case OP_SPIN_UNLOCK_IRQRESTORE: {
		int l = obj(S, w, c, s, 0, HK_LOCK);
		if (l < 0)
			return R_ERR;
		world_mem(&S->L, w, &m);
		if (mem_spin_unlock(&m, l, c) < 0)
			return ex_fail(S, s, "%s: CPU#%d does not hold %s", prog_ops[s->op].name, c, P->locks[l].name);
		if (s->op == OP_SPIN_UNLOCK_IRQRESTORE && cs->irq_off)
			cs->irq_off--;
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.lock;
		break;
	}
	case OP_LOCAL_IRQ_DISABLE: cs->irq_off++; ev(S, w, c, EV_STEP, pc, "%s", s->text); break;
	case OP_LOCAL_IRQ_ENABLE:  cs->irq_off = 0; ev(S, w, c, EV_STEP, pc, "%s", s->text); break;
	case OP_LOCK_PAGE:
	case OP_TRYLOCK_PAGE: {
		int got = mem_trylock_page(PAGE(0), c);
		if (s->op == OP_TRYLOCK_PAGE)
			setdst(S, w, c, s, (uint64_t)got);
		else if (!got)
			return ex_fail(S, s, "internal: lock_page ran while the page was locked");
		ev(S, w, c, EV_STEP, pc, "%s%s", s->text, s->op == OP_TRYLOCK_PAGE ? (got ? " = 1" : " = 0") : "");
		S->lat += P->cost.lock;
		break;
	}
	case OP_WAIT_ON_PAGE_LOCKED:     /* ex_can_run let it run: the flag is clear now */
	case OP_WAIT_ON_PAGE_WRITEBACK:
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.lock;
		break;
	case OP_UNLOCK_PAGE:
		if (mem_unlock_page(PAGE(0), c) < 0)
			return ex_fail(S, s, "unlock_page: CPU#%d does not hold the lock of %s", c, P->pages[pg_idx[0] - 1].name);
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.lock;
		break;
	case OP_SET_PAGE_DIRTY:
		setdst(S, w, c, s, (uint64_t)mem_set_page_dirty(PAGE(0)));
		ev(S, w, c, EV_STEP, pc, "%s: PG_dirty = 1", s->text);
		S->lat += P->cost.mem;
		break;
	case OP_TEST_CLEAR_PAGE_DIRTY: {
		int was = mem_test_clear_dirty(PAGE(0));
		setdst(S, w, c, s, (uint64_t)was);
		ev(S, w, c, EV_STEP, pc, "%s = %d: PG_dirty = 0", s->text, was);
		S->lat += P->cost.pte_atomic;
		break;
	}
	case OP_PAGESWAPBACKED:
		setdst(S, w, c, s, (uint64_t)!!(PAGE(0)->flags & PG_swapbacked));
		ev(S, w, c, EV_STEP, pc, "%s = %d", s->text, !!(PAGE(0)->flags & PG_swapbacked));
		S->lat += P->cost.mem;
		break;
	case OP_SETPAGESWAPBACKED: case OP_CLEARPAGESWAPBACKED: {
		int set = s->op == OP_SETPAGESWAPBACKED;
		PAGE(0)->flags = (uint8_t)(set ? PAGE(0)->flags | PG_swapbacked : PAGE(0)->flags & ~PG_swapbacked);
		ev(S, w, c, EV_STEP, pc, "%s: PG_swapbacked = %d", s->text, set);
		S->lat += P->cost.pte_atomic;
		break;
	}
	case OP_PAGE_DIRTY:
		setdst(S, w, c, s, (uint64_t)!!(PAGE(0)->flags & PG_dirty));
		ev(S, w, c, EV_STEP, pc, "%s = %d", s->text, !!(PAGE(0)->flags & PG_dirty));
		S->lat += P->cost.mem;
		break;
	case OP_PAGE_CONTENT: case OP_DISK_VERSION: case OP_TLB_VALID: case OP_TLB_WRITABLE: case OP_TLB_DIRTY:
		if (ex_check_read(S, w, c, s, pg_idx[0]) == R_ERR)
			return R_ERR;
		break;
	case OP_PAGE_LOCKED:
		setdst(S, w, c, s, (uint64_t)(PAGE(0)->locker != 0));
		ev(S, w, c, EV_STEP, pc, "%s = %d", s->text, PAGE(0)->locker != 0);
		S->lat += P->cost.mem;
		break;
	case OP_SET_PAGE_WRITEBACK:
	case OP_END_PAGE_WRITEBACK:
		if (s->op == OP_SET_PAGE_WRITEBACK)
			PAGE(0)->flags |= PG_writeback;
		else
			PAGE(0)->flags &= (uint8_t)~PG_writeback;
		ev(S, w, c, EV_STEP, pc, "%s", s->text);
		S->lat += P->cost.mem;
		break;
	case OP_SUBMIT_BIO: {
		const PageDesc *pd = &P->pages[pg_idx[0] - 1];
		if (PAGE(0)->flags & PG_swapcache) {
			sw_writepage(S, w, pg_idx[0]);
			ev(S, w, c, EV_STEP, pc, "%s: swap slot %u gets %s content v%u", s->text, PAGE(0)->index, pd->name,
			   PAGE(0)->data);
			S->lat += P->cost.io;
			break;
		}
		if ((slot = world_page_slot(P, PAGE(0))) < 0)
			return ex_fail(S, s, "submit_bio: %s is in no page cache (no file block to write)", pd->name);
		world_mem(&S->L, w, &m);
		mem_submit_bio(&m, pg_idx[0], slot);
		ev(S, w, c, EV_STEP, pc, "%s: disk gets %s content v%u", s->text, pd->name, PAGE(0)->data);
		S->lat += P->cost.io;
		break;
	}
	case OP_STORE: return user_access(S, w, c, s, 1);
	case OP_LOAD:
	case OP_COPY_FROM_USER:
	case OP_COPY_FROM_USER_INATOMIC:
		return user_access(S, w, c, s, 0);
	case OP_PFN_PTE:  setdst(S, w, c, s, arch_pfn_pte(S->arch, a, b)); break;
	case OP_BMUL: case OP_BDIV: case OP_BMOD: case OP_BADD: case OP_BSUB: case OP_BSHL: case OP_BSHR:
	case OP_BLT: case OP_BLE: case OP_BGT: case OP_BGE: case OP_BEQ: case OP_BNE:
	case OP_BAND: case OP_BXOR: case OP_BOR: case OP_BNOT: case OP_NEG:
		if (operator(S, w, c, s, a, b) == R_ERR)
			return R_ERR;
		break;
	case OP_AND:      setdst(S, w, c, s, a & b); break;
	case OP_ADD:      setdst(S, w, c, s, a + b); break;
	case OP_SUB:      setdst(S, w, c, s, a - b); break;
	case OP_EQ:       setdst(S, w, c, s, a == b); break;
	case OP_LT:       setdst(S, w, c, s, a < b); break;
	case OP_GE:       setdst(S, w, c, s, a >= b); break;
	case OP_DIV_ROUND_UP:
		if (!b)
			return ex_fail(S, s, "DIV_ROUND_UP: division by 0");
		setdst(S, w, c, s, a / b + (a % b != 0));
		break;
	case OP_VMA_FILE:
	case OP_LINEAR_PAGE_INDEX:
	case OP_VMA_PGOFF_ADDRESS:
	case OP_VMA_INTERVAL_TREE_NEXT:
		return vma_step(S, w, c, s, a, b);
	case OP_PAGE_MKWRITE:
	case OP_PFN_MKWRITE:
		return vm_ops_call(S, w, c, s);
	case OP_I_MMAP_LOCK_READ:
	case OP_I_MMAP_UNLOCK_READ:
	case OP_I_MMAP_LOCK_WRITE:
	case OP_I_MMAP_UNLOCK_WRITE:
		return vm_i_mmap_step(S, w, c, s);
	case OP_MMAP_READ_LOCK:
	case OP_MMAP_READ_UNLOCK:
	case OP_MMAP_WRITE_LOCK:
	case OP_MMAP_WRITE_UNLOCK:
	case OP_DOWN_READ:
	case OP_UP_READ:
	case OP_DOWN_WRITE:
	case OP_UP_WRITE:
		return vm_mmap_lock_step(S, w, c, s);
	case OP_VM_FLAGS:
	case OP_VM_FLAGS_RESET:
	case OP_VM_FLAGS_SET:
	case OP_VM_FLAGS_CLEAR:
		return vm_flags_step(S, w, c, s);
	case OP_VM_PAGE_PROT:
		return vm_page_prot_step(S, w, c, s);
	case OP_FIND_VMA:
	case OP_DETACH_VMAS_TO_BE_UNMAPPED:
		return vm_tree_step(S, w, c, s);
	case OP_SYSCALL_EXIT_TO_USER_MODE:
		return fl_syscall_exit(S, w, c, s);
	case OP_VM_GET_PAGE_PROT:
		if (vm_get_page_prot(S, w, c, s) != R_NEXT)
			return R_ERR;
		break;
	case OP_READ_ONCE:
	case OP_WRITE_ONCE:
		return var_step(S, w, c, s, b);
	case OP_SET_BIT: case OP_CLEAR_BIT: case OP_TEST_BIT: case OP_TEST_AND_SET_BIT: case OP_TEST_AND_CLEAR_BIT:
	case OP_ATOMIC_READ: case OP_ATOMIC_SET: case OP_ATOMIC_INC: case OP_ATOMIC_DEC: case OP_ATOMIC_ADD:
	case OP_ATOMIC_SUB: case OP_ATOMIC_INC_RETURN: case OP_ATOMIC_DEC_RETURN: case OP_ATOMIC_INC_AND_TEST:
	case OP_ATOMIC_DEC_AND_TEST: case OP_ATOMIC_ADD_NEGATIVE: case OP_CMPXCHG: case OP_XCHG:
		return atomic_step(S, w, c, s);
	case OP_I_SIZE_READ:
	case OP_I_SIZE_WRITE:
	case OP_FILE_UPDATE_TIME:
	case OP_FIND_GET_PAGE:
	case OP_GET_BLOCK:
	case OP_FREE_BLOCK:
		return file_step(S, w, c, s, b);
	case OP_ADD_TO_PAGE_CACHE:
		return add_to_page_cache(S, w, c, s, pg_idx[0]);
	case OP_GET_PAGE: case OP_PUT_PAGE: case OP_PAGE_CACHE_GET: case OP_PAGE_CACHE_RELEASE:
	case OP_GET_PAGE_UNLESS_ZERO: case OP_PAGE_COUNT: case OP_PAGE_MAPCOUNT: case OP_PAGE_ADD_FILE_RMAP: case OP_PAGE_REMOVE_RMAP:
	case OP_DMA_TO_PAGE: case OP_MEMCPY_TO_PAGE: case OP_ZERO_USER_SEGMENT:
	case OP___FREE_PAGE: case OP_PAGE_ADD_ANON_RMAP: case OP_PAGE_ADD_NEW_ANON_RMAP: case OP_PAGEANON:
	case OP_COPY_USER_HIGHPAGE: case OP_COPY_HIGHPAGE:
		return pg_step(S, w, c, s, pg_idx[0]);
	case OP_COPY_TO_USER_PAGE:
		return pg_copy_to_user_page(S, w, c, s);
	case OP_ALLOC_PAGE:
		return pg_alloc(S, w, c, s);
	case OP_GET_SWAP_PAGE: case OP_ADD_TO_SWAP_CACHE: case OP_LOOKUP_SWAP_CACHE: case OP_DELETE_FROM_SWAP_CACHE:
	case OP_PUT_SWAP_PAGE: case OP_SWAP_DUPLICATE: case OP_SWAP_FREE: case OP___SWAP_COUNT: case OP_SWAPCACHE_PREPARE:
	case OP_SWAP_READPAGE: case OP_PAGESWAPCACHE: case OP_PAGE_PRIVATE:
		return sw_step(S, w, c, s, pg_idx[0]);
	case OP_DELETE_FROM_PAGE_CACHE:
	case OP_PAGE_MAPPING:
	case OP_PAGE_MAPPED:
	case OP_PAGE_TEST_AND_CLEAR_DIRTY:
		return page_step(S, w, c, s, pg_idx[0]);
	case OP_BUG_ON:
		if (a) {
			w_hdr(w)->seen |= SEEN_BUG_ON;
			cs->status = CPU_HALTED;
			ev(S, w, c, EV_STEP, pc, "%s: kernel BUG at %s:%u!", s->text, prog_step_file(P, s), s->line);
			return R_STAY;
		}
		break;
	case OP__COUNT:
		break;
	}
	if (S->cls[s->op] == LOCAL)
		S->lat += P->cost.local;
	if (s->show && S->trace)
		show_value(S, w, c, s, pc);
	cs->pc = (uint16_t)(pc + 1);
	return R_NEXT;
}

/* After step s completed in frame d of CPU c: zero the registers no
 * continuation reads, so that states differing only in dead values are
 * one state (sound: a dead register is never read again, and callees
 * cannot see their caller's registers). */
static void kill_dead(Sim *S, uint8_t *w, int c, int d, const Step *s)
{
	if (!s->dead)
		return;
	uint64_t *r = w_regs(&S->L, w, c) + w_frame(&S->L, w, c, d)->base;
	for (uint64_t m = s->dead; m; m &= m - 1)
		r[__builtin_ctzll(m)] = 0;
}

/* Runs CPU c: at most one shared step (none when !shared), then local
 * steps up to the next shared one (the parking invariant). */
static int run_cpu(Sim *S, uint8_t *w, int c, int shared)
{
	for (int budget = LOCAL_BUDGET; budget > 0; budget--) {
		CpuState *cs = w_cpu(&S->L, w, c);
		if (cs->status != CPU_RUN)
			return 0;
		const Step *s = &S->P->steps[cs->pc];
		if (S->cls[s->op] >= SHARED) {
			if (!shared)
				return 0;
			shared = 0;
		}
		int depth = cs->depth;
		int r = ex_step(S, w, c, s);
		if (r == R_ERR)
			return -1;
		if (r == R_STAY)
			return 0;
		/* the step is done in its frame, unless it returned or faulted */
		if (s->op == OP_CALL || s->op == OP_PAGE_MKWRITE || s->op == OP_PFN_MKWRITE ||
		    (cs->depth == depth && s->op != OP_RET))
			kill_dead(S, w, c, depth - 1, s);
	}
	ex_fail(S, &S->P->steps[w_cpu(&S->L, w, c)->pc],
	     "CPU#%d ran %d steps without touching shared state: an endless loop?", c, LOCAL_BUDGET);
	return -1;
}

int sim_apply(Sim *S, uint8_t *w, Choice ch)
{
	int c = CH_CPU(ch);
	S->lat = 0;
	S->nchoice++;
	int rc = CH_IS_IPI(ch) ? fl_take_ipis(S, w, c) : run_cpu(S, w, c, 1);
	return rc < 0 || !S->P->invariants ? rc : ex_invariants(S, w, c);
}

int sim_start(Sim *S, uint8_t *w)
{
	world_init(&S->L, S->P, w);
	S->nchoice = 0;
	for (int c = 0; c < S->L.ncpu; c++)
		if (run_cpu(S, w, c, 0) < 0)
			return -1;
	return S->P->invariants ? ex_invariants(S, w, 0) : 0;
}

/* ---- setup ---- */

int sim_init(Sim *S, const Program *P, const char *model, char *err, size_t errlen)
{
	memset(S, 0, sizeof *S);
	S->P = P;
	world_layout(&S->L, P);
	const DirtyModel *dm = dirty_find(model);
	if (!dm) {
		snprintf(err, errlen, "unknown dirty-bit model '%s'", model);
		return -1;
	}
	S->model_name = dm->name;
	S->arch = P->arch ? P->arch : arch_at(0);
	if (dirty_arch(dm) != S->arch) {
		snprintf(err, errlen, "dirty-bit model '%s' is of %s, not of this machine's %s (machine.arch)", model,
		         dm->arch, S->arch->name);
		return -1;
	}
	unsigned flags = 0;
	for (int c = 0; c < P->ncpu; c++) {
		S->model[c] = P->cpus[c].model >= 0 ? dirty_model(P->cpus[c].model) : dm;
		flags |= S->model[c]->flags;
	}
	/* A step that only reads state no transition writes commutes with
	 * every transition: fold it like a local step (fewer states, the
	 * same outcomes). */
	for (int op = 0; op < OP__COUNT; op++)
		S->cls[op] = (uint8_t)prog_ops[op].cls;
	S->storage_keys = (flags & DM_STORAGE_KEY) != 0;
	if (!S->storage_keys)
		S->cls[OP_PAGE_TEST_AND_CLEAR_DIRTY] = LOCAL;
	S->cpumask = calloc((size_t)P->nmms + 1, sizeof *S->cpumask);
	if (!S->cpumask)
		abort();
	for (int c = 0; c < P->ncpu; c++)
		if (P->cpus[c].mm >= 0)
			S->cpumask[P->cpus[c].mm] |= 1ull << c;
	for (int i = 0; i < P->ntlbs; i++)
		S->cpumask[P->tlbs[i].mm] |= 1ull << P->tlbs[i].cpu;
	for (int m = 0; m < P->nmms; m++)
		if (P->cpumask && P->cpumask[m])
			S->cpumask[m] = P->cpumask[m];
	return 0;
}

void sim_free(Sim *S)
{
	free(S->cpumask);
	free(S->check_world);
	S->cpumask = NULL;
	S->check_world = NULL;
}

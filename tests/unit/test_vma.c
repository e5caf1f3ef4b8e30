/* tests/unit/test_vma.c: unit tests of VMAs and mmap_lock (sim/vma.c and
 * the fault path of sim/exec.c): vm_flags as the compiler reads them and
 * as steps change them, SIGSEGV from the fault path's VMA check, mmap_lock
 * as a sleeping rwsem (waits, the fault's read hold, deadlocks), and
 * vm_get_page_prot. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sim/exec.h"
#include "sim/world.h"

/* Three CPUs, one mm; vma ro (0x10000, no VM_WRITE), vma rw (0x20000, the
 * shorthands' default) and vma none (0x30000, no access at all); the PTEs
 * are none, so every access faults.  The handler maps nothing. */
#define MACHINE \
	"scenario: v\n" \
	"machine: {cpus: 3, tlb_entries: 4}\n" \
	"mms: [mm]\n" \
	"files:\n" \
	"  - name: file\n" \
	"    size: 4096\n" \
	"    pages: [{name: page0, index: 0}]\n" \
	"vmas:\n" \
	"  - {name: ro, mm: mm, start: 0x10000, file: file, vm_flags: [VM_READ, VM_SHARED, VM_MAYREAD, VM_MAYSHARE]}\n" \
	"  - {name: rw, mm: mm, start: 0x20000, file: file}\n" \
	"  - {name: none, mm: mm, start: 0x30000, vm_flags: []}\n" \
	"  - {name: wo, mm: mm, start: 0x40000, vm_flags: [VM_WRITE]}\n" \
	"fault_handler: fault\n" \
	"vars: {n: 0}\n" \
	"procedures:\n" \
	"  - name: fault\n" \
	"    params: [vma, address, write]\n" \
	"    body: [\"atomic_inc(n)\", \"return VM_FAULT_SIGBUS\"]\n"

static SimFx fx[1];

static int cleanup(void **state)
{
	(void)state;
	fx_cleanup(fx, 1);
	return 0;
}

static CpuState *cpu(SimFx *f, int c) { return w_cpu(&f->S.L, f->w, c); }
static MmState *mm0(SimFx *f) { return w_mm(&f->S.L, f->w, 0); }
static uint64_t flags_of(SimFx *f, int vma) { return w_vm_flags(&f->S.L, f->w)[vma]; }
static uint64_t var_n(SimFx *f) { return ((uint64_t *)(f->w + f->S.L.var))[0]; }

/* 1 if some event of f's trace contains text. */
static int traced(SimFx *f, const char *text)
{
	for (int i = 0; i < f->t.n; i++)
		if (strstr(f->t.ev[i].text, text))
			return 1;
	return 0;
}

/* ---- the compiler ---- */

static void test_vm_flags_compile(void **state)
{
	(void)state;
	static const char text[] = MACHINE
		"cpus: [{cpu: 0, body: [\"x = 1\"]}]\n";
	char more[4096];
	const char *vmas_end = strstr(text, "fault_handler:");
	snprintf(more, sizeof more, "%.*s%s%s", (int)(vmas_end - text), text,
	         "  - {name: x, mm: mm, start: 0x50000, writable: false}\n"
	         "  - {name: y, mm: mm, start: 0x60000, shared: false}\n"
	         "  - {name: z, mm: mm, start: 0x70000, vm_flags: [VM_READ, VM_EXEC, VM_PFNMAP, VM_MIXEDMAP]}\n",
	         vmas_end);
	Program *P = compile_ok(more, NULL);
	/* vmas: ro, rw, none, wo, then x, y, z */
	assert_int_equal(P->nvmas, 7);
	assert_int_equal(P->vmas[0].vm_flags, 0x99);     /* READ|SHARED|MAYREAD|MAYSHARE */
	assert_int_equal(P->vmas[1].vm_flags, 0xfb);     /* mmap(PROT_READ|PROT_WRITE, MAP_SHARED) */
	assert_int_equal(P->vmas[2].vm_flags, 0);
	assert_int_equal(P->vmas[3].vm_flags, 0x2);
	assert_int_equal(P->vmas[4].vm_flags, 0xf9);     /* no VM_WRITE */
	assert_int_equal(P->vmas[5].vm_flags, 0x73);     /* MAP_PRIVATE: no VM_SHARED, VM_MAYSHARE */
	assert_int_equal(P->vmas[6].vm_flags, 0x1 | 0x4 | 0x400 | 0x10000000);
	/* the names are constants in expressions too */
	uint64_t v;
	assert_int_equal(prog_vm_flag("VM_MAYWRITE", &v), 0);
	assert_int_equal(v, 0x20);
	assert_int_equal(prog_vm_flag("VM_ACCESS_FLAGS", &v), 0);
	assert_int_equal(v, 0x7);
	assert_int_equal(prog_vm_flag("VM_BOGUS", &v), -1);
	prog_free(P);
}

static void test_vm_flags_errors(void **state)
{
	(void)state;
	char msg[512];
	static const char unknown[] =
		"scenario: e\nmachine: {cpus: 1}\nmms: [mm]\n"
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x10000, vm_flags: [VM_READ, VM_WRTIE]}\n"
		"cpus: [{cpu: 0, body: [\"x = 1\"]}]\n";
	compile_err(unknown, NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:5:59: vma.vm_flags: 'VM_WRTIE' is not a VM_* flag of include/linux/mm.h "
	                         "(docs/language.md#vmas lists them)");
	static const char both[] =
		"scenario: e\nmachine: {cpus: 1}\nmms: [mm]\n"
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x10000, vm_flags: [VM_READ], writable: false}\n"
		"cpus: [{cpu: 0, body: [\"x = 1\"]}]\n";
	compile_err(both, NULL, msg, sizeof msg);
	assert_string_equal(msg, "F:5:60: vma 'v': give vm_flags: or the shorthands writable:/shared:, not both");
	static const char scalar[] =
		"scenario: e\nmachine: {cpus: 1}\nmms: [mm]\n"
		"vmas:\n"
		"  - {name: v, mm: mm, start: 0x10000, vm_flags: VM_READ}\n"
		"cpus: [{cpu: 0, body: [\"x = 1\"]}]\n";
	compile_err(scalar, NULL, msg, sizeof msg);
	assert_non_null(strstr(msg, "F:5:49: vma.vm_flags"));
}

/* ---- vm_flags steps ---- */

static void test_vm_flags_steps(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"mmap_write_lock(mm)\"\n"
		"      - \"a = vm_flags(rw) & VM_WRITE\"\n"
		"      - \"vm_flags_clear(rw, VM_WRITE | VM_MAYWRITE)\"\n"
		"      - \"vm_flags_set(ro, VM_WRITE)\"\n"
		"      - \"vm_flags_reset(none, VM_READ | VM_EXEC)\"\n"
		"      - \"b = vm_flags(rw) & VM_WRITE\"\n"
		"      - \"WRITE_ONCE(n, a * 16 + b)\"\n"
		"      - \"mmap_write_unlock(mm)\"\n";
	fx_start(f, text, NULL, "validating");
	assert_int_equal(fx_run_to_end(f), 0);
	assert_int_equal(flags_of(f, 1), 0xfb & ~0x22ull);
	assert_int_equal(flags_of(f, 0), 0x9b);
	assert_int_equal(flags_of(f, 2), 0x5);
	assert_int_equal(var_n(f), 0x20);                /* a = 2, b = 0 */
	assert_int_equal(mm0(f)->mmap_writer, 0);
	fx_finish(f);

	/* without mmap_write_lock: mmap_assert_write_locked BUGs */
	static const char unlocked[] = MACHINE
		"cpus: [{cpu: 0, body: [\"vm_flags_reset(rw, 0)\", \"WRITE_ONCE(n, 1)\"]}]\n";
	fx_start(f, unlocked, NULL, "validating");
	f->S.trace = &f->t;
	assert_int_equal(fx_run_to_end(f), 1u << OUT_BUG_ON);
	assert_int_equal(flags_of(f, 1), 0xfb);          /* unchanged */
	assert_int_equal(var_n(f), 0);
	assert_true(traced(f, "mmap_assert_write_locked"));
	fx_finish(f);

	/* a read-only step: an outcome check may call vm_flags */
	assert_true(prog_op_reads_only(OP_VM_FLAGS));
	assert_false(prog_op_reads_only(OP_VM_FLAGS_RESET));
}

/* ---- SIGSEGV ---- */

/* CPU#0 runs body (one access, then WRITE_ONCE(n, 100)); returns 1 if
 * the task was killed with SIGSEGV before the fault handler ran. */
static int segv(SimFx *f, const char *access)
{
	char text[4096];
	snprintf(text, sizeof text, MACHINE "cpus: [{cpu: 0, mm: mm, body: [\"%s\", \"WRITE_ONCE(n, 100)\"]}]\n", access);
	fx_start(f, text, NULL, "validating");
	f->S.trace = &f->t;
	assert_int_equal(fx_run_to_end(f), 0);           /* not an outcome */
	int killed = traced(f, "SIGSEGV, the task is killed");
	assert_int_equal(var_n(f), killed ? 0 : 1);      /* the handler ran once, SIGBUS */
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_int_equal(mm0(f)->mmap_readers, 0);       /* the fault's hold dropped */
	fx_finish(f);
	return killed;
}

static void test_segv(void **state)
{
	(void)state;
	SimFx *f = &fx[0];
	assert_true(segv(f, "store(0x10000)"));          /* no VM_WRITE */
	assert_false(segv(f, "load(0x10000)"));          /* VM_READ: the handler runs */
	assert_false(segv(f, "store(0x20000)"));
	assert_true(segv(f, "load(0x30000)"));           /* no VM_READ|VM_WRITE|VM_EXEC */
	assert_true(segv(f, "store(0x30000)"));
	assert_false(segv(f, "load(0x40000)"));          /* vma_is_accessible: VM_WRITE will do */
	assert_true(segv(f, "store(0x90000)"));          /* no VMA (find_vma) */
	assert_true(segv(f, "load(0x90000)"));
}

/* A kernel copy from a VMA it may not read: -EFAULT, PAGE_SIZE not
 * copied, and the task goes on. */
static void test_copy_efault(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"pages: [{name: kpage}]\n"
		"cpus: [{cpu: 0, mm: mm, body: [\"r = copy_from_user(kpage, 0x30000)\", \"WRITE_ONCE(n, r)\"]}]\n";
	fx_start(f, text, NULL, "validating");
	f->S.trace = &f->t;
	assert_int_equal(fx_run_to_end(f), 0);
	assert_int_equal(var_n(f), 4096);
	assert_true(traced(f, "-EFAULT, nothing copied"));
	fx_finish(f);
}

/* ---- mmap_lock ---- */

static void test_mmap_lock_rwsem(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - {cpu: 0, body: [\"mmap_read_lock(mm)\", \"mmap_read_unlock(mm)\"]}\n"
		"  - {cpu: 1, body: [\"mmap_read_lock(rw)\", \"mmap_read_unlock(rw)\"]}\n"
		"  - {cpu: 2, body: [\"mmap_write_lock(mm)\", \"mmap_write_unlock(mm)\"]}\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));                          /* readers share it; a vma means its mm */
	assert_int_equal(mm0(f)->mmap_readers, 0x3);
	assert_string_equal(fx_enabled(f), "0 1");        /* the writer sleeps */
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	fx_apply(f, CH_STEP(2));
	assert_int_equal(mm0(f)->mmap_writer, 3);
	fx_finish(f);
}

/* A fault holds mmap_lock for read while its handler runs; a writer
 * waits for it, and a fault waits for a writer. */
static void test_fault_holds_mmap_lock(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - {cpu: 0, mm: mm, body: [\"load(0x20000)\"]}\n"
		"  - {cpu: 1, body: [\"mmap_write_lock(mm)\", \"mmap_write_unlock(mm)\"]}\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));                          /* TLB miss, fault, atomic_inc(n) folded in */
	assert_int_equal(mm0(f)->mmap_readers, 0x1);
	assert_int_equal(w_frame(&f->S.L, f->w, 0, 1)->mmap_locked, 1);
	assert_string_equal(fx_enabled(f), "0");
	fx_apply(f, CH_STEP(0));                          /* return VM_FAULT_SIGBUS */
	assert_int_equal(mm0(f)->mmap_readers, 0);
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	fx_finish(f);

	static const char wait[] = MACHINE
		"cpus:\n"
		"  - {cpu: 0, mm: mm, body: [\"store(0x10000)\"]}\n"
		"  - {cpu: 1, body: [\"mmap_write_lock(mm)\", \"mmap_write_unlock(mm)\"]}\n";
	fx_start(f, wait, NULL, "validating");
	f->S.trace = &f->t;
	fx_apply(f, CH_STEP(1));
	fx_apply(f, CH_STEP(0));                          /* the fault sleeps */
	assert_int_equal(cpu(f, 0)->phase, PH_FAULT_WAIT);
	assert_true(traced(f, "mmap_read_lock(mm) sleeps: CPU#1 holds mmap_lock for write"));
	assert_string_equal(fx_enabled(f), "1");
	fx_apply(f, CH_STEP(1));
	assert_string_equal(fx_enabled(f), "0");
	fx_apply(f, CH_STEP(0));                          /* then no VM_WRITE: SIGSEGV */
	assert_int_equal(cpu(f, 0)->status, CPU_DONE);
	assert_true(traced(f, "write of vma ro (no VM_WRITE: access_error): SIGSEGV"));
	fx_finish(f);
}

static void test_mmap_lock_deadlock(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	/* a fault under one's own mmap_write_lock waits on itself */
	static const char text[] = MACHINE
		"cpus: [{cpu: 0, mm: mm, body: [\"mmap_write_lock(mm)\", \"load(0x20000)\", \"mmap_write_unlock(mm)\"]}]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(0));
	assert_string_equal(fx_enabled(f), "");
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_DEADLOCK);
	char buf[512], want[512];
	sim_waits(&f->S, f->w, buf, sizeof buf);
	snprintf(want, sizeof want, "CPU#0 waits in load(0x20000) (page fault) for mmap_lock of mm, held by CPU#0 (write): "
	         "it waits on itself (%s:%d)", f->path, line_of(text, "load(0x20000)"));
	assert_string_equal(buf, want);
	fx_finish(f);

	/* two writers of two orders: mmap_lock against a spinlock */
	static const char abba[] = MACHINE
		"locks: [la]\n"
		"cpus:\n"
		"  - {cpu: 0, body: [\"mmap_write_lock(mm)\", \"spin_lock(la)\", \"spin_unlock(la)\", \"mmap_write_unlock(mm)\"]}\n"
		"  - {cpu: 1, body: [\"spin_lock(la)\", \"mmap_read_lock(mm)\", \"mmap_read_unlock(mm)\", \"spin_unlock(la)\"]}\n";
	fx_start(f, abba, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	assert_string_equal(fx_enabled(f), "");
	assert_int_equal(sim_outcomes(&f->S, f->w), 1u << OUT_DEADLOCK);
	sim_waits(&f->S, f->w, buf, sizeof buf);
	assert_non_null(strstr(buf, "CPU#1 waits in mmap_read_lock(mm) for mmap_lock of mm, held by CPU#0 (write)"));
	fx_finish(f);
}

/* The era names: down_read(&mm->mmap_sem) and the others are the
 * mmap_lock steps, and &X->mmap_sem is X. */
static void test_mmap_sem_era_names(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus:\n"
		"  - {cpu: 0, body: [\"down_read(&mm->mmap_sem)\", \"up_read(&rw->vm_mm->mmap_sem)\"]}\n"
		"  - {cpu: 1, body: [\"down_write(&rw->vm_mm->mmap_lock)\", \"up_write(&mm->mmap_sem)\"]}\n";
	fx_start(f, text, NULL, "validating");
	const Step *s = &f->P->steps[cpu(f, 0)->pc];
	assert_int_equal(s->op, OP_DOWN_READ);
	assert_int_equal(s->a[0].kind, OPD_CONST);
	assert_int_equal(s->a[0].v, h_make(HK_MM, 0));
	fx_apply(f, CH_STEP(0));
	assert_int_equal(mm0(f)->mmap_readers, 0x1);
	assert_string_equal(fx_enabled(f), "0");          /* down_write sleeps */
	char buf[512];
	sim_waits(&f->S, f->w, buf, sizeof buf);
	assert_non_null(strstr(buf, "CPU#1 waits in down_write(&rw->vm_mm->mmap_lock) for mmap_lock of mm, held by CPU#0 (read)"));
	fx_apply(f, CH_STEP(0));
	fx_apply(f, CH_STEP(1));
	assert_int_equal(mm0(f)->mmap_writer, 2);
	fx_apply(f, CH_STEP(1));
	assert_int_equal(mm0(f)->mmap_writer, 0);
	fx_finish(f);

	char msg[512];
	static const char bad[] = MACHINE "cpus: [{cpu: 0, body: [\"down_read(&page0->mmap_sem)\"]}]\n";
	compile_err(bad, NULL, msg, sizeof msg);
	assert_non_null(strstr(msg, "'page0' is a page, not an mm (&mm->mmap_sem; of a vma: &vma->vm_mm->mmap_sem)"));
	static const char amp[] = MACHINE "cpus: [{cpu: 0, body: [\"down_read(&mm)\"]}]\n";
	compile_err(amp, NULL, msg, sizeof msg);
	assert_non_null(strstr(msg, "'&' takes the address of an mmap_lock only"));
}

static void test_mmap_lock_errors(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"cpus: [{cpu: 0, body: [\"mmap_read_unlock(mm)\"]}]\n";
	fx_start(f, text, NULL, "validating");
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	char want[256];
	snprintf(want, sizeof want, "%s:%d:25: mmap_read_unlock: CPU#0 does not hold mmap_lock of mm for read",
	         f->path, line_of(text, "mmap_read_unlock"));
	assert_string_equal(f->S.err, want);
	fx_finish(f);
	static const char twice[] = MACHINE
		"cpus: [{cpu: 0, body: [\"mmap_read_lock(mm)\", \"mmap_read_lock(mm)\"]}]\n";
	fx_start(f, twice, NULL, "validating");
	fx_apply(f, CH_STEP(0));
	assert_int_equal(sim_apply(&f->S, f->w, CH_STEP(0)), -1);
	assert_non_null(strstr(f->S.err, "already holds mmap_lock of mm for read"));
	fx_finish(f);
}

/* ---- vm_get_page_prot ---- */

static void test_vm_get_page_prot(void **state)
{
	(void)state;
	const Arch *x86 = arch_find("x86"), *a64 = arch_find("arm64");
	pte_t p = 0, q = 0;
	assert_int_equal(arch_vm_get_page_prot(x86, VM_READ | VM_WRITE | VM_SHARED, &p), 0);
	assert_int_equal(p, 0x27);                        /* PAGE_SHARED */
	assert_int_equal(arch_vm_get_page_prot(x86, VM_READ | VM_WRITE, &p), 0);
	assert_int_equal(p, 0x25);                        /* PAGE_COPY: COW on write */
	assert_int_equal(arch_vm_get_page_prot(x86, VM_WRITE | VM_SHARED, &p), 0);
	assert_int_equal(p, 0x27);
	assert_int_equal(arch_vm_get_page_prot(x86, VM_READ | VM_SHARED | VM_MAYWRITE, &p), 0);
	assert_int_equal(p, 0x25);                        /* PAGE_READONLY; VM_MAY* do not count */
	assert_int_equal(arch_vm_get_page_prot(x86, VM_EXEC, &p), 0);
	assert_int_equal(p, 0x25);                        /* _PAGE_NX is not modelled */
	assert_int_equal(arch_vm_get_page_prot(x86, VM_SHARED, &p), 0);
	assert_int_equal(p, 0x120);                       /* PAGE_NONE: _PAGE_PROTNONE | _PAGE_ACCESSED */
	assert_int_equal(arch_vm_get_page_prot(a64, VM_MAYREAD, &p), 0);
	assert_true(arch_const(a64, "PAGE_NONE", &q));
	assert_int_equal(p, q);
	assert_int_equal(arch_vm_get_page_prot(a64, VM_READ | VM_WRITE | VM_SHARED, &p), 0);
	assert_true(arch_const(a64, "PAGE_SHARED", &q));
	assert_int_equal(p, q);
	assert_int_equal(arch_vm_get_page_prot(a64, VM_READ | VM_EXEC, &p), -1);

	SimFx *f = &fx[0];
	static const char text[] = MACHINE
		"cpus: [{cpu: 0, body: [\"WRITE_ONCE(n, vm_get_page_prot(vm_flags(rw)))\", \"WRITE_ONCE(n, vm_get_page_prot(0))\"]}]\n";
	fx_start(f, text, NULL, "validating");
	fx_apply(f, CH_STEP(0));                          /* vm_flags(rw), vm_get_page_prot folded in */
	fx_apply(f, CH_STEP(0));                          /* WRITE_ONCE, then vm_get_page_prot(0) */
	assert_int_equal(var_n(f), 0x27);
	fx_apply(f, CH_STEP(0));
	assert_int_equal(var_n(f), 0x120);                /* PAGE_NONE */
	fx_finish(f);
}

/* vma->vm_page_prot: read-only for a shared writable file mapping
 * (vma_wants_writenotify), writable for an anonymous shared one or a
 * VM_PFNMAP one; it follows vm_flags. */
static void test_vm_page_prot(void **state)
{
	SimFx *f = &fx[0];
	(void)state;
	static const char text[] = MACHINE
		"  - name: mkwrite\n"
		"    params: [vma, page]\n"
		"    body: [\"return 0\"]\n"
		"cpus:\n"
		"  - cpu: 0\n"
		"    body:\n"
		"      - \"a = vm_page_prot(rw)\"\n"
		"      - \"b = vm_page_prot(anon)\"\n"
		"      - \"c = vm_page_prot(pfn)\"\n"
		"      - \"d = vm_page_prot(ro)\"\n"
		"      - \"e = vm_page_prot(withops)\"\n"
		"      - \"mmap_write_lock(mm)\"\n"
		"      - \"vm_flags_clear(anon, VM_SHARED)\"\n"
		"      - \"g = vm_page_prot(anon)\"\n"
		"      - \"WRITE_ONCE(n, a | b << 8 | c << 16 | d << 24 | e << 32 | g << 40)\"\n"
		"      - \"mmap_write_unlock(mm)\"\n";
	char more[4096];
	const char *end = strstr(text, "fault_handler:");
	snprintf(more, sizeof more, "%.*s%s%s", (int)(end - text), text,
	         "  - {name: anon, mm: mm, start: 0x50000}\n"
	         "  - {name: pfn, mm: mm, start: 0x60000, file: file, vm_flags: [VM_READ, VM_WRITE, VM_SHARED, VM_PFNMAP]}\n"
	         "  - {name: withops, mm: mm, start: 0x70000, vm_ops: {page_mkwrite: mkwrite}}\n", end);
	fx_start(f, more, NULL, "validating");
	fx_run_to_end(f);
	/* x86: PAGE_SHARED 0x27, PAGE_READONLY and PAGE_COPY 0x25 */
	assert_int_equal(var_n(f), 0x25ull | 0x27ull << 8 | 0x27ull << 16 | 0x25ull << 24 | 0x25ull << 32 | 0x25ull << 40);
	assert_true(prog_op_reads_only(OP_VM_PAGE_PROT));
	fx_finish(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vm_flags_compile, cleanup),
		cmocka_unit_test_teardown(test_vm_flags_errors, cleanup),
		cmocka_unit_test_teardown(test_vm_flags_steps, cleanup),
		cmocka_unit_test_teardown(test_segv, cleanup),
		cmocka_unit_test_teardown(test_copy_efault, cleanup),
		cmocka_unit_test_teardown(test_mmap_lock_rwsem, cleanup),
		cmocka_unit_test_teardown(test_fault_holds_mmap_lock, cleanup),
		cmocka_unit_test_teardown(test_mmap_lock_deadlock, cleanup),
		cmocka_unit_test_teardown(test_mmap_sem_era_names, cleanup),
		cmocka_unit_test_teardown(test_mmap_lock_errors, cleanup),
		cmocka_unit_test_teardown(test_vm_get_page_prot, cleanup),
		cmocka_unit_test_teardown(test_vm_page_prot, cleanup),
	};
	return cmocka_run_group_tests_name("vma", tests, NULL, NULL);
}

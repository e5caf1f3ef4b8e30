/* sim/program.h: the immutable step program a scenario compiles to.
 * Built once by scenarios/compile.c, then only read: explore, run, list and
 * the reports share one Program, so they can never disagree about what a
 * step means.  Every step keeps the file:line:col of its YAML text. */
#ifndef TLBSIM_PROGRAM_H
#define TLBSIM_PROGRAM_H
#include <stdint.h>
#include <stddef.h>
#include "mmu/arch.h"

enum OpClass { LOCAL, CTRL, SHARED, USER };

typedef enum OpCode {
#define OP(e, name, args, dst, cls, doc) OP_##e,
#include "sim/ops.def"
#undef OP
	OP__COUNT
} OpCode;

typedef struct OpInfo {
	const char *name;  /* kernel name, as written in YAML and traces */
	const char *args;  /* operand kinds, see sim/ops.def */
	int dst;           /* 1 if it yields a value */
	int cls;           /* enum OpClass */
	const char *doc;
} OpInfo;

extern const OpInfo prog_ops[OP__COUNT];
int prog_op_lookup(const char *name);   /* OP_* or -1 */
/* 1 if op is a step a statement names ("spin_lock(ptl)"), 0 if it is YAML
 * structure (if/loop/return/break, calls of procedures) or an operator of
 * expressions (=, !, +, ==, ...).  The
 * vm_ops calls page_mkwrite/pfn_mkwrite are control flow written as steps. */
int prog_op_is_step(int op);
/* The value of operator op (OP_BMUL..OP_NEG, OP_NOT) on a and b, for the
 * compiler's constant folding and the executor alike; *ok = 0 where C
 * leaves it undefined (a / 0, a % 0) or op is no operator. */
uint64_t prog_fold(int op, uint64_t a, uint64_t b, int *ok);
/* 1 for the check functions (page_content, disk_version, tlb_*): only
 * outcome checks may call them. */
int prog_op_check_only(int op);
/* 1 if op never changes the machine: what an outcome check may run. */
int prog_op_reads_only(int op);

/* Values are 64-bit.  Handles to machine objects carry a tag so that
 * steps can check what they were given: 0xf0 | kind in the top byte, bits
 * 32-55 zero, the index in the low 32 bits.  Every other value is a
 * number (HK_INT): PTE values, swap entries, addresses, counts.  No value
 * the architecture tables can build has that shape: x86, arm64 and RISC-V
 * PTEs set bits 59-62 only for protection keys, PBHA and reserved bits
 * (not modelled), and x86's swap PTEs, whose type fills bits 59-63, hold
 * the inverted offset in bits 14-58, so bits 32-55 are ones for every
 * offset below 2^41 (mmu/swap.c).  Small negative numbers (-EINVAL) have
 * the top byte 0xff: numbers too. */
enum HandleKind { HK_INT, HK_MM, HK_VMA, HK_FILE, HK_PAGE, HK_LOCK, HK_VAR };
#define HK_SHIFT 56
#define HK_TAG   0xf0u
static inline uint64_t h_make(int kind, uint64_t idx)
{
	return ((uint64_t)(HK_TAG | (unsigned)kind) << HK_SHIFT) | (idx & 0xffffffffu);
}
static inline int h_kind(uint64_t v)
{
	unsigned top = (unsigned)(v >> HK_SHIFT), k = top & 0x0fu;
	if ((top & 0xf0u) != HK_TAG || k < HK_MM || k > HK_VAR || (v >> 32 & 0xffffffu))
		return HK_INT;
	return (int)k;
}
static inline uint32_t h_index(uint64_t v) { return (uint32_t)(v & 0xffffffffu); }

enum { OPD_NONE, OPD_REG, OPD_CONST };
typedef struct Operand { uint8_t kind; uint64_t v; } Operand;  /* OPD_REG: v = frame slot */

#define STEP_MAXARGS 8
typedef struct Step {
	uint8_t op;              /* OpCode */
	uint8_t nargs;
	uint8_t dst_or;          /* `dst |= call(...)` */
	uint8_t show;            /* a local step that shows its result in the
	                            trace: the value assigned by a statement
	                            whose calls showed only their own */
	int16_t dst;             /* frame slot of the result, -1: none */
	int32_t target;          /* JMP/JZ: step index; CALL: procedure index */
	Operand a[STEP_MAXARGS];
	uint16_t file;           /* index into Program.files */
	uint32_t line, col;      /* 1-based */
	const char *text;        /* the statement as written (for list and traces) */
	uint16_t proc;           /* the procedure this step belongs to */
	uint64_t dead;           /* registers no continuation reads once this step
	                            is done: the executor zeroes them (liveness) */
} Step;

typedef struct Proc {
	const char *name;        /* kernel function name */
	const char *variant;     /* NULL: every variant */
	int nparams, nlocals;    /* locals include the params (slots 0..nparams-1) */
	const char **locals;     /* slot names */
	int entry;               /* first step */
	int stack;               /* register slots needed, callees included */
	int override;            /* replaces the primitive step of its name */
	uint16_t file; uint32_t line, col;
} Proc;

typedef struct VmaDesc {
	const char *name;
	int mm, file;            /* file: -1 for anonymous */
	uint64_t start, end;     /* [start, end), page aligned */
	uint32_t pgoff;          /* file page of start */
	uint64_t vm_flags;       /* initial vma->vm_flags (VM_*); the world
	                            holds the current value (Mem.vm_flags) */
	int first_pte;           /* PTE slot of start */
	int vm_ops[2];           /* VMOPS_*: the callback's procedure, -1: none */
} VmaDesc;

/* vma->vm_flags bits, as include/linux/mm.h defines them (the same values
 * from 2.6 to 6.x for those listed in prog_vm_flags). */
#define VM_READ     0x1ull
#define VM_WRITE    0x2ull
#define VM_EXEC     0x4ull
#define VM_SHARED   0x8ull
#define VM_MAYREAD  0x10ull
#define VM_MAYWRITE 0x20ull
#define VM_MAYEXEC  0x40ull
#define VM_MAYSHARE 0x80ull
#define VM_PFNMAP   0x400ull
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

typedef struct VmFlag { const char *name; uint64_t v; } VmFlag;
/* The VM_* names a scenario may use (vmas: vm_flags:, expressions),
 * NULL-terminated. */
extern const VmFlag prog_vm_flags[];
/* The value of VM_* constant name; returns 0, or -1 if there is none. */
int prog_vm_flag(const char *name, uint64_t *v);

/* vma->vm_ops callbacks a scenario may give (vmas: vm_ops:). */
enum { VMOPS_PAGE_MKWRITE, VMOPS_PFN_MKWRITE, VMOPS__COUNT };

typedef struct FileDesc {
	const char *name;
	int npages;              /* pages the file can hold */
	int first_slot;          /* its slots in the page cache and disk arrays */
	uint32_t i_size;         /* initial size in bytes */
	int dax;                 /* DAX: its slots map blocks (frames with no
	                            struct page), not page-cache pages */
	int mtime_watch;         /* every mapping of it starts write-protected
	                            (no writable initial PTE or TLB entry), so a
	                            store needs a write fault in the run, which
	                            must update mtime (mtime_missed) */
} FileDesc;

typedef struct PageDesc {    /* a physical frame and its struct page */
	const char *name;
	int file;                /* -1: not in a page cache */
	uint32_t index;
	uint8_t flags;           /* initial PG_* */
	uint8_t nopage;          /* a DAX block: no struct page to lock or dirty */
	uint8_t anon;            /* pages: an anonymous page (PageAnon); 2: lazily
	                            freed (lazyfree: true, PageSwapBacked clear) */
	uint8_t free;            /* pages: a free frame, for alloc_page */
} PageDesc;

typedef struct VarDesc { const char *name; uint64_t init; } VarDesc;  /* vars: */

typedef struct LockDesc { const char *name; int mm; uint64_t addr; } LockDesc; /* mm >= 0: a PTL */

typedef struct TlbInit { int cpu, mm; uint64_t addr; int w, d; uint16_t line; } TlbInit;
typedef struct PteInit { int mm; uint64_t addr; uint64_t val; } PteInit;

typedef struct CpuDesc {
	int proc;                /* its program: a procedure with no params */
	int mm;                  /* the user mm it runs in (-1: none) */
	int model;               /* fixed dirty-bit model, -1: the run's */
} CpuDesc;

enum Quant { Q_NEVER, Q_SOMETIMES, Q_ALWAYS };
#define EXPECT_OTHERS (-1)        /* `others: any|never`: quant Q_SOMETIMES
                                     for any (unnamed outcomes may be
                                     reached), Q_NEVER for never */
typedef struct Expect {
	const char *variant, *model;  /* NULL: any */
	int outcome;                  /* index into Program.outcomes, or
	                                 EXPECT_OTHERS */
	int quant;                    /* enum Quant */
	uint16_t file; uint32_t line, col;
} Expect;

/* VM_FAULT_ERROR of include/linux/mm.h (OOM|SIGBUS|HWPOISON|HWPOISON_LARGE):
 * a fault handler returning one of these bits does not retry the access. */
#define VM_FAULT_ERROR_BITS 0x33

/* Built-in outcomes first, then the scenario's named conditions.  All
 * but OUT_LIVELOCK are judged at end states; OUT_LIVELOCK is a property
 * of the state graph (a reachable state from which no end state is
 * reachable), found by explore after the search and by run when a
 * schedule comes back to a state it was in. */
enum { OUT_LOST_DIRTY, OUT_DIRTY_NONPRESENT_PTE, OUT_STALE_TLB_WRITE,
       OUT_DEADLOCK, OUT_BUG_ON, OUT_STALE_MAPPING, OUT_USE_AFTER_FREE,
       OUT_MTIME_MISSED, OUT_LOST_WRITE, OUT_LIVELOCK, OUT_STALE_ACCESS,
       OUT_WRITE_TO_READONLY_FILE, OUT__BUILTIN };
#define MAX_OUTCOMES 32
/* A named outcome is an end-state check (proc returns nonzero where it
 * holds), or, with always set, an invariant over every state: proc is its
 * expression, and the outcome holds on a path where some state makes it 0. */
typedef struct OutcomeDesc {
	const char *name;
	int proc;                /* -1: built in */
	const char *doc;
	int always;              /* an always: invariant */
} OutcomeDesc;

/* Latencies, in simulated cycles, for timed runs (`tlbsim run`). */
typedef struct CostModel {
	uint32_t local, tlb_hit, walk, pte_atomic, mem, lock, lock_handoff,
	         ipi_send, ipi_delivery, fault_entry, io;
	uint32_t jitter_pct;     /* +-percent applied with --seed */
} CostModel;

typedef struct SrcFile { const char *path; const char *text; size_t len; } SrcFile;

typedef struct Program {
	const char *name, *description, *variant;
	SrcFile *files; int nfiles;           /* [0] is the scenario file */
	char hash[33];                        /* content hash of all files (hex) */
	Step *steps; int nsteps;
	Proc *procs; int nprocs;
	int ncpu, tlb_size;
	CpuDesc *cpus;
	const Arch *arch;                     /* machine.arch: PTE layout and helpers */
	const Arch **archs; int narchs;       /* every architecture machine.arch lists
	                                         (arch is one of them); each compiles
	                                         to a Program of its own */
	const char **models; int nmodels;     /* dirty-bit models to compare (of arch) */
	const char **listed; int nlisted;     /* the models of every listed arch that
	                                         run (machine.models, or the default) */
	const char **variants; int nvariants; /* all variants of the scenario */
	VmaDesc *vmas; int nvmas;
	const char **mms; int nmms;
	uint64_t *cpumask;                    /* per mm: mm_cpumask override, 0: derived */
	uint64_t symmetric;                   /* machine.symmetric: CPUs the scenario declares
	                                         interchangeable (a bitmask, 0: none); checked
	                                         by the compiler, and explore then reduces by
	                                         CPU symmetry unless --no-symmetry */
	FileDesc *filesys; int nfilesys; int nslots;
	PageDesc *pages; int npages;          /* pfn = index + 1 */
	LockDesc *locks; int nlocks;
	VarDesc *vars; int nvars;             /* scenario state variables */
	int nswap;                            /* machine.swap: slots of the swap device (0: none) */
	PteInit *ptes; int nptes_init;
	TlbInit *tlbs; int ntlbs;
	int npte;                             /* PTE slots (all VMA pages) */
	int fault_handler;                    /* proc index or -1 */
	int max_stack;                        /* register slots per CPU */
	int max_depth;                        /* call frames per CPU */
	OutcomeDesc outcomes[MAX_OUTCOMES]; int noutcomes;
	Expect *expects; int nexpects;
	uint32_t outcomes_off;                /* built-in outcomes turned off (outcomes: {X: off}) */
	uint32_t invariants;                  /* outcomes that are always: invariants */
	int kernel_reads_pte_dirty;           /* some kernel step reads a PTE's dirty bit
	                                         (pte_dirty): a sync would find it (lost_write) */
	int kernel_reads_skey;                /* some kernel step reads the storage key
	                                         (page_test_and_clear_dirty) */
	CostModel cost;
	void *arena;                          /* owns everything above */
} Program;

void prog_free(Program *P);
/* Zeroed memory owned by P (freed by prog_free); aborts when out of memory. */
void *prog_alloc(Program *P, size_t n);
char *prog_strdup(Program *P, const char *s);
/* Prints the program like SQLite's EXPLAIN: one step per line. */
#include <stdio.h>
void prog_list(const Program *P, FILE *out);
/* The path of the file step s was written in. */
const char *prog_step_file(const Program *P, const Step *s);
int prog_vma_of(const Program *P, int mm, uint64_t addr);   /* vma index or -1 */
int prog_pte_slot(const Program *P, int mm, uint64_t addr); /* slot or -1 */
/* The (mm, address) of PTE slot; returns 0, or -1 if there is no such slot. */
int prog_slot_addr(const Program *P, int slot, int *mm, uint64_t *addr);
/* The PTE of slot as traces name it: its address ("0x10000"), after its
 * mm's name when the scenario has several mms ("child 0x10000").
 * Returns buf. */
char *prog_pte_name(const Program *P, int slot, char *buf, size_t n);
int prog_outcome(const Program *P, const char *name);       /* index or -1 */
/* The name of a handle value ("page0"), else its hex; returns buf. */
const char *prog_value_name(const Program *P, uint64_t v, char *buf, size_t len);
/* Markdown reference of every step, generated from sim/ops.def. */
void prog_ops_markdown(FILE *out);

#endif

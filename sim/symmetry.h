/* sim/symmetry.h: CPU symmetry.  CPUs that the machine cannot tell apart
 * (interchangeable CPUs) make worlds that differ only by a renaming of
 * those CPUs behave alike; explore keys its visited set by a canonical
 * member of each such orbit (explore --symmetry).
 *
 * Interchangeable (sym_init): CPUs a and b are, when every static part of
 * the machine that depends on a CPU's number treats them alike:
 *   - the same user mm (Program.cpus[].mm) and dirty-bit model (Sim.model);
 *   - bodies with the same steps (Program.cpus[].proc: the same procedure,
 *     or two whose steps are equal but for their source lines, jumps
 *     relative to the entry);
 *   - the same membership in every mm's mm_cpumask (Sim.cpumask: the
 *     derived mask includes the initial tlb: entries; an override may not);
 *   - no outcome check names one of them (tlb_valid(1, ...) pins CPU#1; a
 *     CPU number computed at run time turns the reduction off).
 * and the start world does not tell them apart (their initial TLB entries,
 * registers after parking, irq state: the same).
 *
 * The executor uses a CPU's number only through those static tables, as a
 * bit in CPU bitmasks and as CPU + 1 in holder fields, and its loops over
 * CPUs give results independent of their order; so for a permutation p of
 * interchangeable CPUs, p(w) -c-> p(w') exactly when w -p^-1(c)-> w'
 * (with p(w) moving CPU a's block to b's slot, its body pcs translated to
 * b's body, and every CPU number in the world renamed by p). */
#ifndef TLBSIM_SYMMETRY_H
#define TLBSIM_SYMMETRY_H
#include <stdint.h>
#include <stddef.h>
#include "sim/exec.h"

typedef struct Sym {
	int ncls;                    /* classes of two or more CPUs */
	uint64_t cls[MAX_CPUS / 2];  /* each a CPU bitmask, by lowest CPU */
	const char *off;             /* why there is no reduction at all (NULL:
	                                none needed to be turned off) */
	int8_t of[MAX_CPUS];         /* CPU -> its class, -1: none (fixed) */
	uint64_t fixed;              /* CPUs in no class, the check CPU included */
	int lo[MAX_CPUS], hi[MAX_CPUS];  /* CPU c's body steps [lo, hi) */
	int body[MAX_CPUS];          /* CPU c's body procedure (-1: none) */
	int delta[MAX_CPUS];         /* class's first body entry - c's entry */
	int rep[MAX_CPUS];           /* the class's first CPU's body */
	size_t keylen;               /* bytes of one CPU's sort key */
	uint8_t *key;                /* scratch: keys of every CPU [ncpu][keylen] */
} Sym;

/* Finds the classes of S's machine, split so that the start world w0 is
 * symmetric (CPUs whose start differs, e.g. in their tlb: entries, are
 * not interchangeable: then the reachable worlds are closed under the
 * permutations, and schedule counts are exact, see sim/explore.c).
 * Returns 0, or -1 when out of memory. */
int sym_init(Sym *y, const Sim *S, const uint8_t *w0);
void sym_free(Sym *y);
/* Writes into out (S->L.size bytes) a canonical member of w's orbit,
 * normalised (body pcs of a class as its first CPU's body): equal outputs
 * mean worlds that are permutations of each other, and it is never
 * executed, only hashed. */
void sym_canon(Sym *y, const Sim *S, const uint8_t *w, uint8_t *out);
/* sym_canon, and the renaming it applied: CPU c's block went to CPU
 * perm[c]'s (perm: MAX_CPUS bytes), for what the caller keeps beside the
 * world that names a CPU (explore's preemption tag). */
void sym_canon_perm(Sym *y, const Sim *S, const uint8_t *w, uint8_t *out, uint8_t *perm);
/* The classes as "CPU#1-4" / "CPU#1,3", joined by "; "; returns buf. */
char *sym_format(const uint64_t *cls, int n, char *buf, size_t len);
/* What explore --symmetry would find for P under dirty-bit model `model`
 * (from sim_start's world): "CPU#1-4 interchangeable", or "none (why)".
 * Returns buf, or NULL with the reason in buf (a bad model, no memory). */
char *sym_describe(const Program *P, const char *model, char *buf, size_t len);
/* A scenario's declaration machine.symmetric (cpus: a bitmask of two or
 * more CPUs) under dirty-bit model `model`: -1 if every CPU of it is
 * interchangeable with its lowest one (sym_init would put them all in one
 * class), else the first CPU that is not, with why (len bytes) saying how
 * in the first test it fails, in this order: "differs from CPU#1 in body"
 * (its compiled steps), "... in mm", "... in model", "... in tlb" (its
 * initial entries, in order), "... in mm_cpumask of MM", "is named by an
 * outcome check (tlb_valid, line 30)", "... in its start state" (what
 * parking leaves in its registers, TLB and irq state).  Returns -2 with
 * why set if S cannot be set up (a bad model, no memory). */
int sym_check(const Program *P, const char *model, uint64_t cpus, char *why, size_t len);

#endif

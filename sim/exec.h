/* sim/exec.h: the executor.  Applies one scheduling choice to a world:
 * "CPU c takes its next shared step" or "CPU c takes its pending flush
 * IPIs".  Everything the simulator does to a world goes through here, for
 * explore, timed runs and replays alike.
 * Invariant (canonical parking): after sim_start and after every
 * sim_apply, each running CPU stands before a SHARED or USER step: LOCAL
 * and CTRL steps are run eagerly, since they touch only the CPU's
 * registers and commute with every other transition (a CPU whose program
 * ends this way is done).  Traces show every shared step, every call and
 * return, and every hardware step; register arithmetic shows in its
 * results. */
#ifndef TLBSIM_EXEC_H
#define TLBSIM_EXEC_H
#include <stdint.h>
#include "sim/world.h"
#include "cpus/dirty.h"

typedef uint16_t Choice;                 /* cpu << 1 | 1 for "take IPIs" */
#define CH_STEP(c) ((Choice)((c) << 1))
#define CH_IPI(c)  ((Choice)(((c) << 1) | 1))
#define CH_CPU(ch) ((ch) >> 1)
#define CH_IS_IPI(ch) ((ch) & 1)
#define MAX_CHOICES (2 * MAX_CPUS)

enum EvKind { EV_STEP, EV_HW, EV_IPI, EV_OUTCOME };
typedef struct TraceEv {
	int16_t cpu;
	uint8_t depth, kind;     /* call depth (indentation), enum EvKind */
	int16_t peer;            /* EV_IPI: the CPU whose flush sent it; else -1 */
	int32_t step;            /* program step, -1 for none */
	uint32_t choice;         /* ordinal of the scheduling choice */
	uint64_t time;           /* timed runs: simulated cycle */
	char text[160];
	char pte[80];            /* "PTE 0x1000: 0x8067 -> 0x0" when it changed */
} TraceEv;

typedef struct Trace { TraceEv *ev; int n, cap; } Trace;
void trace_free(Trace *t);

typedef struct Sim {
	const Program *P;
	Layout L;
	const DirtyModel *model[MAX_CPUS];  /* per CPU */
	const Arch *arch;                   /* P->arch: every model is of it */
	const char *model_name;             /* the run's model */
	uint64_t *cpumask;                  /* per mm: CPUs that may cache it */
	int storage_keys;                   /* some CPU's model has DM_STORAGE_KEY:
	                                       the machine's memory keeps a change
	                                       bit per frame, set by every write */
	uint8_t cls[OP__COUNT];             /* enum OpClass of each opcode on this
	                                       machine: prog_ops' class, except
	                                       page_test_and_clear_dirty, LOCAL when
	                                       no CPU has storage keys (the bit it
	                                       reads is then never set) */
	Trace *trace;                       /* NULL: no tracing (explore) */
	uint32_t nchoice;                   /* choices applied so far (trace) */
	uint64_t now;                       /* timed runs: time stamped on events */
	uint64_t lat;                       /* latency of the last sim_apply */
	uint8_t *check_world;               /* scratch world an outcome check runs
	                                       on (allocated on first use) */
	int failed;                         /* a scenario error happened */
	char err[512];                      /* "file:line:col: message" */
} Sim;

/* Prepares S for P under dirty-bit model `model` (CPUs with a fixed model
 * keep theirs).  Returns 0, or -1 with err set. */
int sim_init(Sim *S, const Program *P, const char *model, char *err, size_t errlen);
void sim_free(Sim *S);
/* Writes the initial world into w (S->L.size bytes), CPUs parked. */
int sim_start(Sim *S, uint8_t *w);
/* Fills out[] with the enabled choices in a fixed order; returns how many. */
int sim_enabled(Sim *S, uint8_t *w, Choice *out);
/* 1 if a step of op may send shootdown IPIs and wait for their acks
 * (flush_tlb_page and the others sim/flush.c runs on its shootdown): its
 * event, then its "...: all IPIs acked" one. */
int sim_op_shoots_down(int op);
/* Applies choice ch; returns 0, or -1 on a scenario error (S->err). */
int sim_apply(Sim *S, uint8_t *w, Choice ch);
/* At an end state (no choice enabled): the outcome bitmask (1 << OUT_*,
 * named conditions included).  Returns 0 with S->failed on error. */
uint32_t sim_outcomes(Sim *S, uint8_t *w);
/* Describes who waits for what at a deadlocked end state ("CPU#0 waits
 * in lock_page(page0) held by CPU#0"); writes into buf. */
void sim_waits(Sim *S, uint8_t *w, char *buf, size_t len);
/* "CPU#1" / "IPI->CPU#1" tokens of the schedule language (sim/sched.c). */

#endif

/* reports/judge.c: the judge (LKMM's judgelitmus.sh, in C). */
#include "reports/judge.h"
#include <string.h>

static const char *qname[] = { "never", "sometimes", "always" };

const char *judge_observed(uint32_t reach, uint32_t always, int o)
{
	if (!(reach >> o & 1))
		return "never";
	return always >> o & 1 ? "always" : "sometimes";
}

static int holds(const Expect *e, uint32_t reach, uint32_t always)
{
	int r = reach >> e->outcome & 1, a = always >> e->outcome & 1;
	return e->quant == Q_NEVER ? !r : e->quant == Q_ALWAYS ? a : r;
}

static int applies(const Expect *e, const Program *P, const char *model)
{
	if (e->model && strcmp(e->model, model))
		return 0;
	return !e->variant || (P->variant && !strcmp(e->variant, P->variant));
}

/* Judges expectation e: one ok/FAIL line; returns 1 if it failed. */
static int judge_one(FILE *out, const Program *P, const char *model, const Expect *e, uint32_t reach,
                     uint32_t always, int *passed, int *failed)
{
	int ok = holds(e, reach, always);
	fprintf(out, "%s %s %s %s: %s %s", ok ? "ok  " : "FAIL", P->name, P->variant ? P->variant : "-",
	        model, P->outcomes[e->outcome].name, qname[e->quant]);
	if (!ok)
		fprintf(out, ", observed %s (%s:%u)", judge_observed(reach, always, e->outcome),
		        P->files[e->file].path, e->line);
	fprintf(out, "\n");
	if (ok)
		++*passed;
	else
		++*failed;
	return !ok;
}

int judge_no_end_state(FILE *out, const Program *P, const char *model, uint32_t reach, uint32_t always,
                       int *passed, int *failed)
{
	int n = 0;
	for (int i = 0; i < P->nexpects; i++) {
		const Expect *e = &P->expects[i];
		if (!applies(e, P, model) || e->outcome == EXPECT_OTHERS)
			continue;
		if (e->outcome == OUT_LIVELOCK)
			judge_one(out, P, model, e, reach, always, passed, failed);
		else
			n++;
	}
	if (!n)
		return 0;
	fprintf(out, "FAIL %s %s %s: no end state (every schedule runs forever: livelock): %d expectation%s "
	        "of end states cannot be judged\n", P->name, P->variant ? P->variant : "-", model, n, n == 1 ? "" : "s");
	++*failed;
	return 1;
}

int judge(FILE *out, const Program *P, const char *model, uint32_t reach, uint32_t always,
          int *passed, int *failed)
{
	int bad = 0;
	for (int i = 0; i < P->nexpects; i++)
		if (applies(&P->expects[i], P, model) && P->expects[i].outcome != EXPECT_OTHERS)
			bad += judge_one(out, P, model, &P->expects[i], reach, always, passed, failed);
	return bad;
}

uint32_t judge_unexpected(const Program *P, const char *model, uint32_t reach)
{
	uint32_t named = 0;
	for (int i = 0; i < P->nexpects; i++) {
		const Expect *e = &P->expects[i];
		if (!applies(e, P, model))
			continue;
		if (e->outcome == EXPECT_OTHERS && e->quant != Q_NEVER)
			return 0;
		if (e->outcome != EXPECT_OTHERS)
			named |= 1u << e->outcome;
	}
	return reach & ~named;
}

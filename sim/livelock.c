/* sim/livelock.c: the livelock analysis (see livelock.h): backward
 * reachability from the end states, Tarjan's strongly connected
 * components of the states that reach none, and a shortest cycle.
 * Invariant: every successor of a stuck state is stuck (if it reached an
 * end state, so would its predecessor), and every stuck state has a
 * successor (it is not an end state), so a walk from one never leaves
 * them and always ends up going round a cycle. */
#include "sim/livelock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* Zeroed memory; out of memory is said plainly and exits 2, as in
 * explore.c (nothing has been recorded yet). */
static void *zalloc(uint64_t n, size_t size)
{
	void *p = calloc(n ? (size_t)n : 1, size);
	if (!p) {
		fprintf(stderr, "tlbsim: out of memory while looking for livelocks: the scenario's state space is "
		        "too large for this machine; lower --max-states to stop sooner\n");
		exit(2);
	}
	return p;
}

/* ok[i] = 1 if an end state is reachable from state i: a breadth-first
 * search from the end states over the reversed edges (a CSR built by
 * counting sort: 4 bytes per edge, 8 per state). */
static uint8_t *reaching_end(const LvGraph *g)
{
	uint64_t n = g->n, ne = g->estart[n], head = 0, tail = 0;
	uint64_t *rs = zalloc(n + 1, sizeof *rs);
	uint32_t *re = zalloc(ne, sizeof *re), *q = zalloc(n, sizeof *q);
	uint8_t *ok = zalloc(n, 1);
	for (uint64_t e = 0; e < ne; e++)
		rs[g->edge[e] + 1]++;
	for (uint64_t i = 0; i < n; i++)
		rs[i + 1] += rs[i];
	for (uint64_t s = 0; s < n; s++)
		for (uint64_t e = g->estart[s]; e < g->estart[s + 1]; e++)
			re[rs[g->edge[e]]++] = (uint32_t)s;
	memmove(rs + 1, rs, n * sizeof *rs);   /* rs[t] was the end of t's list */
	rs[0] = 0;
	for (uint64_t k = 0; k < g->nends; k++)
		if (!ok[g->ends[k]]) {
			ok[g->ends[k]] = 1;
			q[tail++] = (uint32_t)g->ends[k];
		}
	while (head < tail) {
		uint32_t t = q[head++];
		for (uint64_t e = rs[t]; e < rs[t + 1]; e++)
			if (!ok[re[e]]) {
				ok[re[e]] = 1;
				q[tail++] = re[e];
			}
	}
	free(rs);
	free(re);
	free(q);
	return ok;
}

/* The stuck states, numbered 0..m-1 in state order: local[state] (NONE
 * for a state that reaches an end) and glob[local]. */
typedef struct Sub { uint32_t *local, *glob; uint32_t m; } Sub;

/* Tarjan's algorithm, iteratively, over the stuck states: comp[v] is the
 * component of v, numbered as they complete.  Returns their count. */
static uint32_t components(const LvGraph *g, const Sub *s, uint32_t *comp)
{
	uint32_t m = s->m, counter = 0, ncomp = 0, sp = 0, fp = 0;
	uint32_t *idx = zalloc(m, 4), *low = zalloc(m, 4), *stk = zalloc(m, 4), *fv = zalloc(m, 4);
	uint64_t *fe = zalloc(m, sizeof *fe);
	uint8_t *on = zalloc(m, 1);
	memset(idx, 0xff, (size_t)m * 4);
#define VISIT(v) (idx[v] = low[v] = counter++, stk[sp++] = (v), on[v] = 1, \
                  fv[fp] = (v), fe[fp++] = g->estart[s->glob[v]])
	for (uint32_t r = 0; r < m; r++) {
		if (idx[r] != NONE)
			continue;
		VISIT(r);
		while (fp) {
			uint32_t v = fv[fp - 1];
			if (fe[fp - 1] < g->estart[s->glob[v] + 1]) {
				uint32_t w = s->local[g->edge[fe[fp - 1]++]];
				if (idx[w] == NONE)
					VISIT(w);
				else if (on[w] && idx[w] < low[v])
					low[v] = idx[w];
				continue;
			}
			if (--fp && low[v] < low[fv[fp - 1]])
				low[fv[fp - 1]] = low[v];
			if (low[v] != idx[v])
				continue;
			uint32_t w;
			do {
				w = stk[--sp];
				on[w] = 0;
				comp[w] = ncomp;
			} while (w != v);
			ncomp++;
		}
	}
#undef VISIT
	free(idx);
	free(low);
	free(stk);
	free(fv);
	free(fe);
	free(on);
	return ncomp;
}

/* The lowest stuck state in a bottom component (no edge leaves it).
 * One exists: the component graph is acyclic and finite. */
static uint32_t bottom_state(const LvGraph *g, const Sub *s, const uint32_t *comp, uint32_t ncomp)
{
	uint8_t *leaves = zalloc(ncomp, 1);
	uint32_t v = 0;
	for (uint32_t u = 0; u < s->m; u++)
		for (uint64_t e = g->estart[s->glob[u]]; e < g->estart[s->glob[u] + 1]; e++)
			if (comp[s->local[g->edge[e]]] != comp[u])
				leaves[comp[u]] = 1;
	while (leaves[comp[v]])
		v++;
	free(leaves);
	return v;
}

/* A shortest cycle from stuck state c back to it, breadth first in edge
 * order: its edges into *out (malloc'd); returns its length. */
static int shortest_cycle(const LvGraph *g, const Sub *s, uint32_t c, uint64_t **out)
{
	uint32_t *par = zalloc(s->m, 4), *q = zalloc(s->m, 4), head = 0, tail = 0, last = NONE;
	uint64_t *pe = zalloc(s->m, sizeof *pe), last_e = 0;
	memset(par, 0xff, (size_t)s->m * 4);
	par[c] = c;
	q[tail++] = c;
	while (head < tail && last == NONE) {
		uint32_t v = q[head++];
		for (uint64_t e = g->estart[s->glob[v]]; e < g->estart[s->glob[v] + 1] && last == NONE; e++) {
			uint32_t w = s->local[g->edge[e]];
			if (w == c)
				last = v, last_e = e;
			else if (par[w] == NONE)
				par[w] = v, pe[w] = e, q[tail++] = w;
		}
	}
	int len = 1;
	for (uint32_t v = last; v != c; v = par[v])
		len++;
	*out = zalloc((uint64_t)len, sizeof **out);
	(*out)[len - 1] = last_e;
	int k = len - 2;
	for (uint32_t v = last; v != c; v = par[v])
		(*out)[k--] = pe[v];
	free(par);
	free(q);
	free(pe);
	return len;
}

int lv_find(const LvGraph *g, LvResult *r)
{
	memset(r, 0, sizeof *r);
	uint8_t *ok = reaching_end(g);
	Sub s = { zalloc(g->n, 4), NULL, 0 };
	for (uint64_t i = 0; i < g->n; i++)
		s.local[i] = ok[i] ? NONE : s.m++;
	free(ok);
	if (!s.m) {
		free(s.local);
		return 0;
	}
	s.glob = zalloc(s.m, 4);
	for (uint64_t i = 0; i < g->n; i++)
		if (s.local[i] != NONE)
			s.glob[s.local[i]] = (uint32_t)i;
	uint32_t *comp = zalloc(s.m, 4);
	uint32_t ncomp = components(g, &s, comp);
	uint32_t c = bottom_state(g, &s, comp, ncomp);
	free(comp);
	r->stuck = s.m;
	r->root_stuck = s.local[0] != NONE;
	r->cycle_state = s.glob[c];
	r->ncycle = shortest_cycle(g, &s, c, &r->cycle);
	free(s.local);
	free(s.glob);
	return 1;
}

void lv_free(LvResult *r)
{
	free(r->cycle);
	memset(r, 0, sizeof *r);
}

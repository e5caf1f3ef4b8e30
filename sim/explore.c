/* sim/explore.c: breadth-first exhaustive exploration (see explore.h).
 * Invariants: state i's parent has a smaller index and its depth is
 * minimal (BFS), so the first end state met with an outcome, in index
 * order, gives a shortest witness; the edges of state i are
 * edges[edge_start[i] .. edge_start[i+1]), in sim_enabled order.
 *
 * CPU symmetry (ExploreOpts.symmetry, sim/symmetry.h).  Only the key of
 * the visited set is canonical: a state is stored, expanded and linked to
 * its parent as the concrete world the parent's choice made, so every
 * witness is a concrete schedule that replays unchanged.  Why the reduced
 * search finds what the full one finds: for a permutation p of
 * interchangeable CPUs, the successors of p(w) are the p-images of w's
 * successors (symmetry.h), so the worlds reachable from p(w) are the
 * images of those reachable from w; and every outcome is invariant under
 * p: the built-in ones look at all CPUs alike, the sticky flags and
 * always: invariants are about the machine, and a named check that names
 * a CPU (tlb_valid) pins it, so p never moves it.  Expanding one member of
 * each orbit therefore reaches an end state with outcome o exactly when
 * the full search does, at the same least depth, and a cycle exactly when
 * it has one.  Schedule counts are exact: the reduced graph keeps one
 * edge per enabled choice of the stored world, the number of complete
 * schedules from a world depends only on its orbit, and the start world
 * is fixed by every renaming (sym_init), so the reachable worlds are
 * closed under them and count_paths sums what the full search would.
 * States, transitions and end states count the reduced graph's orbits.
 * The argument in full: docs/architecture.md, "CPU symmetry".
 *
 * Preemption bounding (ExploreOpts.bound_preemptions).  A state is a
 * world and a tag (tag_of): the CPU that made the last choice and the
 * preemptions used so far.  A choice that would use more than the bound
 * is not taken; every other is, so the graph searched is exactly the
 * schedules within the bound, each a path of it (the tag is a function
 * of the path), and BFS, the visited set, path counting and witnesses
 * work on it unchanged: the same world reached with other tags is
 * another state (up to ncpu x (bound + 1) of them per world, the cost of
 * being exact), and reached again with the same tag is merged as ever.
 * The tag keeps only what the bound depends on: end states get tag 0
 * (nothing follows them), so they are counted once per world, and a
 * state whose last CPU has no choice left forgets it (any next choice is
 * free).  Under CPU symmetry too: the key's canonical form renames the
 * tag's last CPU with the world's CPUs (rename_tag), and the rule for a
 * preemption names no CPU, so the successors of a renamed (world, tag)
 * are the renamed successors and the argument above holds for the
 * bounded graph (its start tag, 0, is fixed by every renaming). */
#include "sim/explore.h"
#include "sim/livelock.h"
#include "sim/symmetry.h"
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

typedef struct Node { uint32_t parent; Choice choice; uint16_t depth; } Node;
/* The frontier lives in chunks of QCHUNK states, freed once every state
 * in them is expanded: no copying as the BFS advances.  States are kept,
 * and hashed, packed: most of a world is zero words (idle register
 * stacks, empty TLB slots), so a run-length code of the zero words makes
 * them several times smaller.  Hashing is done on the raw world (XXH3 is
 * faster than packing); only new states are packed, for storage. */
#define QCHUNK 4096

typedef struct Chunk {
	uint64_t *data; size_t len, cap;   /* packed states, in words */
	uint32_t off[QCHUNK];              /* where each state starts */
} Chunk;

typedef struct EndState { uint64_t idx; uint32_t mask; } EndState;
/* 32 bytes, table 64-byte aligned: a probe touches one cache line. */
typedef struct Slot { uint64_t h1, h2; uint32_t idx1; uint32_t pad[3]; } Slot; /* idx1 = index + 1, 0: empty */

typedef struct Ex {
	Sim *S;
	const uint8_t *start;        /* the initial world (NULL: sim_start's) */
	size_t size;                 /* bytes per world */
	Slot *tab; uint64_t tcap;    /* open addressing, power of two */
	Node *node; uint64_t n, ncap;
	uint64_t *estart;
	uint32_t *edge; uint64_t ne, ecap;
	Chunk **chunk; uint64_t nchunk;     /* the frontier */
	uint64_t *packed; size_t plen;      /* the last state packed */
	EndState *ends; uint64_t nend, endcap;
	Sym *sym;                    /* CPU symmetry, NULL: none */
	size_t wsize;                /* bytes of a world (S->L.size); size is
	                                wsize + 8 under a preemption bound */
	int bound;                   /* the preemption bound, -1: none */
	uint8_t *canon;              /* the canonical form being hashed */
	uint64_t qbytes;             /* bytes the live frontier chunks hold */
} Ex;

/* Out of memory: the state space is larger than this machine holds.
 * Said plainly and exit 2 (bad input: the scenario is too big, or cannot
 * end), instead of a bare abort.  Nothing has been recorded yet: the
 * database batch is written only after every exploration has ended. */
static _Noreturn void oom(void)
{
	fprintf(stderr, "tlbsim: out of memory while exploring: the scenario's state space is too large "
	        "for this machine (can it run forever?); lower --max-states to stop sooner\n");
	exit(2);
}

static void *grow(void *p, uint64_t *cap, uint64_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	uint64_t c = *cap ? *cap : 1024;
	while (c < need)
		c *= 2;
	p = realloc(p, c * elem);
	if (!p)
		oom();
	*cap = c;
	return p;
}

static void rehash(Ex *x)
{
	uint64_t ncap = x->tcap ? x->tcap * 2 : 1u << 16;
	Slot *t = aligned_alloc(64, ncap * sizeof *t);
	if (!t)
		oom();
	memset(t, 0, ncap * sizeof *t);
	for (uint64_t i = 0; i < x->tcap; i++) {
		if (!x->tab[i].idx1)
			continue;
		uint64_t k = x->tab[i].h1 & (ncap - 1);
		while (t[k].idx1)
			k = (k + 1) & (ncap - 1);
		t[k] = x->tab[i];
	}
	free(x->tab);
	x->tab = t;
	x->tcap = ncap;
}

/* Index of the state with hash h, inserting it (as index x->n) if new;
 * *fresh tells which. */
static uint64_t intern(Ex *x, XXH128_hash_t h, int *fresh)
{
	if ((x->n + 1) * 10 > x->tcap * 6)
		rehash(x);
	uint64_t k = h.low64 & (x->tcap - 1);
	for (; x->tab[k].idx1; k = (k + 1) & (x->tcap - 1))
		if (x->tab[k].h1 == h.low64 && x->tab[k].h2 == h.high64) {
			*fresh = 0;
			return x->tab[k].idx1 - 1;
		}
	x->tab[k] = (Slot){ h.low64, h.high64, (uint32_t)(x->n + 1), { 0 } };
	*fresh = 1;
	return x->n;
}

/* Under a preemption bound, w's tag: the word after its world, bits 0-7
 * the CPU that made the last choice + 1 (0: none, or an end state), the
 * bits above the preemptions used.  Hashed and stored with the world. */
static uint64_t *tag_of(const Ex *x, uint8_t *w)
{
	return (uint64_t *)(void *)(w + x->wsize);
}

/* A tag with its last CPU renamed by perm (CPU c to perm[c]), as the
 * world it goes with was. */
static uint64_t rename_tag(uint64_t tag, const uint8_t *perm)
{
	int last = (int)(tag & 0xff) - 1;
	return last < 0 ? tag : (tag & ~(uint64_t)0xff) | (uint64_t)(perm[last] + 1);
}

/* The visited-set key of world w (and its tag, under a preemption bound):
 * its hash, or under CPU symmetry the hash of its canonical form, the
 * tag's last CPU renamed with the world's CPUs. */
static XXH128_hash_t key_hash(Ex *x, const uint8_t *w)
{
	uint8_t perm[MAX_CPUS];
	if (!x->sym)
		return XXH3_128bits(w, x->size);
	sym_canon_perm(x->sym, x->S, w, x->canon, perm);
	if (x->bound >= 0)
		*tag_of(x, x->canon) = rename_tag(*tag_of(x, (uint8_t *)w), perm);
	return XXH3_128bits(x->canon, x->size);
}

/* 1 if one of the nc choices ch is CPU c's. */
static int cpu_enabled(const Choice *ch, int nc, int c)
{
	for (int k = 0; k < nc; k++)
		if (CH_CPU(ch[k]) == c)
			return 1;
	return 0;
}

/* Under a preemption bound: 1 if choice ch[k] of world w (choices ch[0..nc))
 * keeps within it, its successor's tag into *tag; 0 if it would be one
 * preemption too many.  Moving to another CPU is a preemption when the
 * CPU that made the last choice has one enabled. */
static int within_bound(const Ex *x, uint8_t *w, const Choice *ch, int nc, int k, uint64_t *tag)
{
	uint64_t old = *tag_of(x, w), used = old >> 8;
	int last = (int)(old & 0xff) - 1, c = CH_CPU(ch[k]);
	if (last >= 0 && c != last && cpu_enabled(ch, nc, last))
		used++;
	*tag = (uint64_t)(c + 1) | used << 8;
	return used <= (uint64_t)x->bound;
}

/* The tag of successor t, given the one within_bound made: 0 for an end
 * state, and no last CPU when the CPU that ran has no choice left in t
 * (the next choice is free whoever makes it): states that differ only
 * there are one.  next: scratch for MAX_CHOICES choices. */
static uint64_t successor_tag(const Ex *x, uint8_t *t, uint64_t tag, Choice *next)
{
	int nc = sim_enabled(x->S, t, next);
	if (nc == 0)
		return 0;
	return cpu_enabled(next, nc, (int)(tag & 0xff) - 1) ? tag : tag & ~(uint64_t)0xff;
}

/* Packs n words: groups of a header (zero words << 32 | literal words)
 * followed by the literal words.  out holds at least n + n / 2 + 1.
 * One pass, no calls: this runs for every new state. */
static size_t pack(const uint64_t *w, size_t n, uint64_t *out)
{
	size_t k = 0, hdr = 0;
	uint64_t z = 0, l = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = w[i];
		if (v) {
			if (!l)
				hdr = k++;      /* a group's literals start */
			out[k++] = v;
			l++;
		} else {
			if (l) {            /* the group ends */
				out[hdr] = z << 32 | l;
				z = l = 0;
			}
			z++;
		}
	}
	if (l)
		out[hdr] = z << 32 | l;
	else if (z)
		out[k++] = z << 32;
	return k;
}

static void unpack(const uint64_t *p, size_t n, uint64_t *w)
{
	for (size_t i = 0; i < n; ) {
		size_t z = (size_t)(*p >> 32), l = (size_t)(*p & 0xffffffffu);
		p++;
		memset(w + i, 0, z * sizeof *w);
		memcpy(w + i + z, p, l * sizeof *w);
		p += l;
		i += z + l;
	}
}

/* Appends the state in x->packed (its parent, the choice, its depth). */
static void push_state(Ex *x, uint32_t parent, Choice ch, uint16_t depth)
{
	x->node = grow(x->node, &x->ncap, x->n + 1, sizeof *x->node);
	x->node[x->n] = (Node){ parent, ch, depth };
	if (x->n % QCHUNK == 0) {
		x->chunk = realloc(x->chunk, sizeof *x->chunk * (size_t)(x->n / QCHUNK + 1));
		if (!x->chunk || !(x->chunk[x->n / QCHUNK] = calloc(1, sizeof(Chunk))))
			oom();
		x->nchunk = x->n / QCHUNK + 1;
		x->qbytes += sizeof(Chunk);
	}
	Chunk *c = x->chunk[x->n / QCHUNK];
	uint64_t cap = c->cap;
	c->data = grow(c->data, &cap, c->len + x->plen, sizeof *c->data);
	x->qbytes += (cap - c->cap) * sizeof *c->data;
	c->cap = cap;
	c->off[x->n % QCHUNK] = (uint32_t)c->len;
	memcpy(c->data + c->len, x->packed, x->plen * sizeof *c->data);
	c->len += x->plen;
	x->n++;
}

/* Unpacks state i into w. */
static void load_state(Ex *x, uint64_t i, uint8_t *w)
{
	Chunk *c = x->chunk[i / QCHUNK];
	unpack(c->data + c->off[i % QCHUNK], x->size / 8, (uint64_t *)w);
}

/* Packs w into x->packed, to be stored. */
static void pack_state(Ex *x, const uint8_t *w)
{
	x->plen = pack((const uint64_t *)w, x->size / 8, x->packed);
}

/* State i is expanded: free its chunk if it was the chunk's last. */
static void retire(Ex *x, uint64_t i)
{
	if (i % QCHUNK == QCHUNK - 1) {
		x->qbytes -= sizeof(Chunk) + x->chunk[i / QCHUNK]->cap * sizeof(uint64_t);
		free(x->chunk[i / QCHUNK]->data);
		free(x->chunk[i / QCHUNK]);
		x->chunk[i / QCHUNK] = NULL;
	}
}

/* The bytes the search holds now: the visited table, the state graph
 * (nodes, edge starts with capacity ecap, edges), the end states and the
 * live frontier.  A deterministic count of what the tables reserved, not
 * what the allocator took. */
static uint64_t ex_bytes(const Ex *x, uint64_t ecap)
{
	return x->tcap * sizeof(Slot) + x->ncap * sizeof(Node) + ecap * sizeof(uint64_t) +
	       x->ecap * sizeof(uint32_t) + x->endcap * sizeof(EndState) + x->qbytes;
}

static Choice *witness(Ex *x, uint64_t i, int *len)
{
	int n = x->node[i].depth;
	Choice *w = malloc(sizeof *w * (size_t)(n + 1));
	if (!w)
		abort();
	for (int k = n; k > 0; k--, i = x->node[i].parent)
		w[k - 1] = x->node[i].choice;
	*len = n;
	return w;
}

static void end_state(Ex *x, ExploreResult *R, uint64_t i, uint32_t mask)
{
	x->ends = grow(x->ends, &x->endcap, x->nend + 1, sizeof *x->ends);
	x->ends[x->nend++] = (EndState){ i, mask };
	R->always = R->end_states ? (R->always & mask) : mask;
	R->end_states++;
	R->reach |= mask;
	for (int o = 0; o < MAX_OUTCOMES; o++) {
		if (!(mask >> o & 1))
			continue;
		if (!R->out[o].end_states++)
			R->out[o].witness = witness(x, i, &R->out[o].wlen);
	}
}

/* Expands state i: every successor is computed and hashed first, its
 * table slot prefetched, and only then looked up, so the cache misses of
 * the lookups overlap.  tmp holds MAX_CHOICES worlds. */
static int expand(Ex *x, ExploreResult *R, uint64_t i, uint8_t *w, uint8_t *tmp)
{
	Sim *S = x->S;
	Choice ch[MAX_CHOICES], next[MAX_CHOICES];
	XXH128_hash_t h[MAX_CHOICES];
	uint64_t tag[MAX_CHOICES];
	int keep[MAX_CHOICES], kept = 0;
	load_state(x, i, w);
	int nc = sim_enabled(S, w, ch);
	x->estart[i] = x->ne;
	if (nc == 0) {
		uint32_t m = sim_outcomes(S, w);
		if (S->failed)
			return -1;
		end_state(x, R, i, m);
	}
	for (int k = 0; k < nc; k++) {
		uint8_t *t = tmp + (size_t)k * x->size;
		kept += keep[k] = x->bound < 0 || within_bound(x, w, ch, nc, k, &tag[k]);
		if (!keep[k])
			continue;
		memcpy(t, w, x->size);
		if (sim_apply(S, t, ch[k]) < 0)
			return -1;
		if (x->bound >= 0)
			*tag_of(x, t) = successor_tag(x, t, tag[k], next);
		h[k] = key_hash(x, t);
		__builtin_prefetch(&x->tab[h[k].low64 & (x->tcap - 1)]);
	}
	for (int k = 0; k < nc; k++) {
		int fresh;
		if (!keep[k])
			continue;
		uint64_t j = intern(x, h[k], &fresh);
		if (fresh) {
			uint16_t d = x->node[i].depth;  /* < EX_MAX_DEPTH: bound_hit stops before */
			pack_state(x, tmp + (size_t)k * x->size);
			push_state(x, (uint32_t)i, ch[k], (uint16_t)(d + 1));
		}
		x->edge = grow(x->edge, &x->ecap, x->ne + 1, sizeof *x->edge);
		x->edge[x->ne++] = (uint32_t)j;
	}
	R->transitions += (uint64_t)kept;
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b, int *saturated)
{
	if (a + b < a) {
		*saturated = 1;
		return UINT64_MAX;
	}
	return a + b;
}

/* Kahn's algorithm over the stored graph: paths from the root to every
 * state; schedules ending with outcome o = sum over its end states.  A
 * state Kahn cannot order lies on or after a cycle: an end state so has
 * unboundedly many schedules, and is left out of the sums. */
static void count_paths(Ex *x, ExploreResult *R)
{
	uint32_t *indeg = calloc(x->n, sizeof *indeg), *queue = malloc(sizeof *queue * x->n);
	uint64_t *paths = calloc(x->n, sizeof *paths), head = 0, tail = 0;
	if (!indeg || !queue || !paths)
		oom();
	for (uint64_t e = 0; e < x->ne; e++)
		indeg[x->edge[e]]++;
	paths[0] = 1;
	if (!indeg[0])
		queue[tail++] = 0;
	while (head < tail) {
		uint32_t s = queue[head++];
		for (uint64_t e = x->estart[s]; e < x->estart[s + 1]; e++) {
			uint32_t t = x->edge[e];
			paths[t] = sat_add(paths[t], paths[s], &R->schedules_saturated);
			if (--indeg[t] == 0)
				queue[tail++] = t;
		}
	}
	R->schedules_cyclic = tail < x->n;
	for (uint64_t k = 0; k < x->nend; k++) {
		uint64_t p = paths[x->ends[k].idx];
		int inf = indeg[x->ends[k].idx] != 0;
		R->schedules_unbounded |= inf;
		if (!inf)
			R->schedules = sat_add(R->schedules, p, &R->schedules_saturated);
		for (int o = 0; o < MAX_OUTCOMES; o++) {
			if (!(x->ends[k].mask >> o & 1))
				continue;
			R->out[o].unbounded |= inf;
			if (!inf)
				R->out[o].schedules = sat_add(R->out[o].schedules, p, &R->schedules_saturated);
		}
	}
	free(indeg);
	free(queue);
	free(paths);
}

/* The initial world into w: the one given, or sim_start's. */
static int start_world(Ex *x, uint8_t *w)
{
	if (x->bound >= 0)
		*tag_of(x, w) = 0;
	if (!x->start)
		return sim_start(x->S, w);
	memcpy(w, x->start, x->wsize);
	return 0;
}

/* The choices of the lasso's cycle, after the prefix w[0..np): the
 * edges keep no choices, but edge k of a state is its k-th choice in
 * sim_enabled order, so the cycle is replayed from the prefix's end
 * (recomputing a few successors instead of 2 bytes per edge). */
static int cycle_choices(Ex *x, Choice *w, int np, const LvResult *lr)
{
	Sim *S = x->S;
	Choice ch[MAX_CHOICES];
	uint8_t *cur = malloc(x->size);
	int rc = cur ? start_world(x, cur) : -1;
	for (int k = 0; k < np && rc == 0; k++)
		rc = sim_apply(S, cur, w[k]);
	uint64_t s = lr->cycle_state;
	for (int k = 0; k < lr->ncycle && rc == 0; k++) {
		uint64_t e = lr->cycle[k];
		int nc = sim_enabled(S, cur, ch);
		assert((uint64_t)nc == x->estart[s + 1] - x->estart[s]);
		(void)nc;
		w[np + k] = ch[e - x->estart[s]];
		rc = sim_apply(S, cur, w[np + k]);
		s = x->edge[e];
	}
	free(cur);
	return rc;
}

/* State i's world into w, replayed from the initial one along its BFS
 * parents (the frontier that held it is gone). */
static int replay_state(Ex *x, uint64_t i, uint8_t *w)
{
	int n, rc;
	Choice *p = witness(x, i, &n);
	rc = start_world(x, w);
	for (int k = 0; k < n && rc == 0; k++)
		rc = sim_apply(x->S, w, p[k]);
	free(p);
	return rc;
}

/* Under CPU symmetry: key[k] is the key of the state edge k of the
 * cycle leads to, from the stored world of the state it leaves. */
static int cycle_keys(Ex *x, const LvResult *lr, XXH128_hash_t *key, uint8_t *w)
{
	Choice ch[MAX_CHOICES];
	uint64_t s = lr->cycle_state;
	for (int k = 0; k < lr->ncycle; k++) {
		uint64_t e = lr->cycle[k];
		if (replay_state(x, s, w) < 0)
			return -1;
		sim_enabled(x->S, w, ch);
		if (sim_apply(x->S, w, ch[e - x->estart[s]]) < 0)
			return -1;
		key[k] = key_hash(x, w);
		s = x->edge[e];
	}
	return 0;
}

/* Applies to cur its first choice (in sim_enabled order) whose successor
 * has key k, and says which in *out.  cur is a member of the orbit the
 * edge leaves, so some choice leads into the orbit it enters. */
static int step_to(Ex *x, uint8_t *cur, uint8_t *t, XXH128_hash_t k, Choice *out)
{
	Choice ch[MAX_CHOICES];
	int nc = sim_enabled(x->S, cur, ch);
	for (int i = 0; i < nc; i++) {
		memcpy(t, cur, x->size);
		if (sim_apply(x->S, t, ch[i]) < 0)
			return -1;
		if (XXH128_isEqual(key_hash(x, t), k)) {
			memcpy(cur, t, x->size);
			*out = ch[i];
			return 0;
		}
	}
	snprintf(x->S->err, sizeof x->S->err, "internal: a livelock cycle of the reduced graph has no concrete step");
	x->S->failed = 1;
	return -1;
}

#define LASSO_MAX 1000000    /* choices a symmetric lasso may take */

/* Appends choice c to the lasso (*w, *len), growing it as needed. */
static void lasso_add(Choice **w, int *len, uint64_t *cap, Choice c)
{
	*w = grow(*w, cap, (uint64_t)*len + 1, sizeof **w);
	(*w)[(*len)++] = c;
}

/* The lasso under CPU symmetry.  Going round a cycle of the reduced graph
 * from a concrete world leads back into its orbit, not always to that
 * world (a round may permute the CPUs).  So the cycle is followed
 * concretely, round after round, until the world at the start of a round
 * was the world at the start of an earlier one: the rounds before that
 * one join the prefix, and those from it are the lasso's cycle.  The
 * worlds at round starts lie in one orbit, a finite set, so one comes
 * back (after at most the orbit's size in rounds).  On entry (*w, *len)
 * is the shortest schedule to the cycle's state; *cycle gets the
 * cycle's length. */
static int lasso_sym(Ex *x, const LvResult *lr, Choice **w, int *len, int *cycle)
{
	XXH128_hash_t *key = malloc(sizeof *key * (size_t)lr->ncycle), *seen = NULL;
	uint8_t *cur = malloc(x->size), *t = malloc(x->size);
	uint64_t cap = (uint64_t)*len, scap = 0, acap = 0, nseen = 0;
	int *at = NULL, rc = key && cur && t ? cycle_keys(x, lr, key, t) : -1, found = -1;
	if (rc == 0)
		rc = replay_state(x, lr->cycle_state, cur);
	while (rc == 0 && found < 0) {
		XXH128_hash_t h = XXH3_128bits(cur, x->size);
		for (uint64_t i = 0; i < nseen && found < 0; i++)
			if (XXH128_isEqual(seen[i], h))
				found = at[i];
		if (found >= 0)
			break;
		seen = grow(seen, &scap, nseen + 1, sizeof *seen);
		at = grow(at, &acap, nseen + 1, sizeof *at);
		seen[nseen] = h;
		at[nseen++] = *len;
		for (int k = 0; k < lr->ncycle && rc == 0; k++) {
			Choice c;
			rc = step_to(x, cur, t, key[k], &c);
			if (rc == 0)
				lasso_add(w, len, &cap, c);
		}
		if (rc == 0 && *len > LASSO_MAX) {
			snprintf(x->S->err, sizeof x->S->err, "internal: a livelock's lasso under CPU symmetry is longer "
			         "than %d choices", LASSO_MAX);
			x->S->failed = 1;
			rc = -1;
		}
	}
	*cycle = *len - found;
	free(key);
	free(cur);
	free(t);
	free(seen);
	free(at);
	return rc;
}

/* Livelock: states from which no end state is reachable.  The witness is
 * a lasso: a shortest schedule to the cycle's state, then the cycle. */
static int livelock(Ex *x, ExploreResult *R)
{
	uint64_t *ends = malloc(sizeof *ends * (size_t)(x->nend ? x->nend : 1));
	if (!ends)
		oom();
	for (uint64_t k = 0; k < x->nend; k++)
		ends[k] = x->ends[k].idx;
	LvGraph g = { x->n, x->estart, x->edge, ends, x->nend };
	LvResult lr;
	int found = lv_find(&g, &lr), np, rc = 0;
	free(ends);
	if (!found)
		return 0;
	OutcomeStat *os = &R->out[OUT_LIVELOCK];
	Choice *w = witness(x, lr.cycle_state, &np);
	if (x->sym) {
		rc = lasso_sym(x, &lr, &w, &np, &os->cycle);
		os->wlen = np;
	} else {
		if (!(w = realloc(w, sizeof *w * (size_t)(np + lr.ncycle))))
			oom();
		rc = cycle_choices(x, w, np, &lr);
		os->wlen = np + lr.ncycle;
		os->cycle = lr.ncycle;
	}
	os->witness = w;
	R->stuck_states = lr.stuck;
	R->reach |= 1u << OUT_LIVELOCK;
	if (lr.root_stuck)
		R->always |= 1u << OUT_LIVELOCK;
	lv_free(&lr);
	return rc;
}

static void ex_free(Ex *x)
{
	free(x->tab);
	free(x->node);
	free(x->estart);
	free(x->edge);
	for (uint64_t c = 0; c < x->nchunk; c++)
		if (x->chunk[c]) {
			free(x->chunk[c]->data);
			free(x->chunk[c]);
		}
	free(x->chunk);
	free(x->packed);
	free(x->ends);
	free(x->canon);
	if (x->sym)
		sym_free(x->sym);
}

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Reports progress through o->progress if a second passed since *last
 * (wall time since t0); expanded states so far.  Only ever reads. */
static void progress(const Ex *x, const ExploreOpts *o, const ExploreResult *R, uint64_t expanded,
                     uint64_t ecap, const struct timespec *t0, double *last)
{
	double now = since(t0);
	if (now - *last < 1.0)
		return;
	*last = now;
	ExploreProgress p = { x->n, x->ne, R->end_states, expanded, ex_bytes(x, ecap),
	                      x->node[expanded - 1].depth, now };
	o->progress(o->progress_arg, &p);
}

/* R->ends: every end state met, with a shortest schedule to it. */
static void keep_ends(Ex *x, ExploreResult *R)
{
	if (!(R->ends = calloc((size_t)x->nend + 1, sizeof *R->ends)))
		oom();
	for (uint64_t k = 0; k < x->nend; k++) {
		EndStateInfo *e = &R->ends[k];
		e->outcomes = x->ends[k].mask;
		e->path = witness(x, x->ends[k].idx, &e->len);
	}
	R->nends = x->nend;
}

/* 1 if a bound of o stops the search now: R->stop and S->err say which. */
static int bound_hit(Ex *x, const ExploreOpts *o, ExploreResult *R, uint64_t ecap)
{
	Sim *S = x->S;
	if (x->node[x->n - 1].depth >= EX_DEPTH_LIMIT) {
		R->stop = EX_MAX_DEPTH;
		snprintf(S->err, sizeof S->err, "%s: exploration stopped at %llu states: a schedule reached %d choices, "
		         "the longest tlbsim keeps (max-depth): can the scenario run forever?", S->P->files[0].path,
		         (unsigned long long)x->n, EX_DEPTH_LIMIT);
	} else if (o->max_states && x->n > o->max_states) {
		R->stop = EX_MAX_STATES;
		snprintf(S->err, sizeof S->err, "%s: exploration stopped at %llu states (--max-states): "
		         "can the scenario run forever?", S->P->files[0].path, (unsigned long long)x->n);
	} else if (o->max_bytes && ex_bytes(x, ecap) > o->max_bytes) {
		R->stop = EX_MAX_MEMORY;
		snprintf(S->err, sizeof S->err, "%s: exploration stopped at %llu states: its tables need more "
		         "than %llu MB (--max-memory)", S->P->files[0].path, (unsigned long long)x->n,
		         (unsigned long long)(o->max_bytes >> 20));
	}
	return R->stop != EX_DONE;
}

/* CPU symmetry, if o asks for it: x->sym stays NULL when no two CPUs are
 * interchangeable, and R says why. */
static void sym_setup(Ex *x, const ExploreOpts *o, Sym *y, ExploreResult *R, const uint8_t *w0)
{
	if (!o->symmetry)
		return;
	if (sym_init(y, x->S, w0) < 0)
		oom();
	R->sym_off = y->off ? y->off : !y->ncls ? "no two CPUs are interchangeable" : NULL;
	if (!y->ncls)
		return;
	R->nsym = y->ncls;
	memcpy(R->sym, y->cls, sizeof y->cls);
	if (!(x->canon = malloc(x->size)))
		oom();
	x->sym = y;
}

int explore(Sim *S, const ExploreOpts *o, ExploreResult *R)
{
	Ex x = { .S = S, .start = o->start, .wsize = S->L.size, .bound = o->bound_preemptions ? o->preemptions : -1 };
	x.size = x.wsize + (x.bound >= 0 ? 8 : 0);
	struct timespec t0;
	uint8_t *tmp = malloc(x.size * MAX_CHOICES), *cur = malloc(x.size);
	x.packed = malloc(sizeof *x.packed * (x.size / 8 + x.size / 16 + 2));
	int fresh, rc = 0;
	uint64_t ecap = 0;
	Sym y;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	double last = 0;
	memset(R, 0, sizeof *R);
	S->trace = NULL;
	if (!tmp || !cur || !x.packed || start_world(&x, tmp) < 0) {
		free(tmp);
		free(cur);
		free(x.packed);
		return -1;
	}
	sym_setup(&x, o, &y, R, tmp);
	intern(&x, key_hash(&x, tmp), &fresh);
	pack_state(&x, tmp);
	push_state(&x, UINT32_MAX, 0, 0);
	for (uint64_t i = 0; i < x.n && rc == 0 && !(o->until_end && R->end_states); i++) {
		x.estart = grow(x.estart, &ecap, x.n + 2, sizeof *x.estart);
		rc = expand(&x, R, i, cur, tmp);
		x.estart = grow(x.estart, &ecap, x.n + 2, sizeof *x.estart);
		retire(&x, i);
		if (rc == 0)
			rc = bound_hit(&x, o, R, ecap);
		if (o->progress && (i & 1023) == 1023)
			progress(&x, o, R, i + 1, ecap, &t0, &last);
	}
	if (rc == 1)
		R->max_depth = x.node[x.n - 1].depth;
	if (rc == 0 && !o->until_end) {
		x.estart[x.n] = x.ne;
		R->max_depth = x.node[x.n - 1].depth;
		count_paths(&x, R);
		if (R->schedules_cyclic && x.bound < 0)
			rc = livelock(&x, R);
		if (x.bound >= 0)
			R->stop = EX_PREEMPT;
	}
	R->preemptions = x.bound;
	if (rc >= 0 && o->keep_ends)
		keep_ends(&x, R);
	R->states = x.n;
	R->seconds = since(&t0);
	ex_free(&x);
	free(tmp);
	free(cur);
	return rc;
}

void explore_free(ExploreResult *R)
{
	for (int o = 0; o < MAX_OUTCOMES; o++)
		free(R->out[o].witness);
	for (uint64_t k = 0; k < R->nends; k++)
		free(R->ends[k].path);
	free(R->ends);
	memset(R, 0, sizeof *R);
}

const char *explore_stop_option(ExploreStop stop)
{
	return stop == EX_MAX_STATES ? "--max-states" : stop == EX_MAX_MEMORY ? "--max-memory" :
	       stop == EX_MAX_DEPTH ? "max-depth" : stop == EX_RANDOM ? "--random" :
	       stop == EX_PREEMPT ? "--preemptions" : "";
}

/* scenarios/yaml.c: libyaml events to YNode trees, and includes.
 * libyaml marks are 0-based; every node here stores them 1-based.
 * Include paths are resolved lexically against the including file's
 * folder, so the same tree loads the same way from disk or from a
 * database record; from disk they may not leave the roots (the top
 * file's folder, -I folders and TLBSIM_PATH), symbolic links followed. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "scenarios/yaml.h"
#include <yaml.h>
#include <xxhash.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static void ynode_free(YNode *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->str);
	free(n);
}

YNode *ynode_get(const YNode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (int i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == YN_SCALAR && strcmp(map->items[i]->str, key) == 0)
			return map->items[i + 1];
	return NULL;
}

YNode *ynode_key(const YNode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (int i = 0; i + 1 < map->n; i += 2)
		if (map->items[i]->kind == YN_SCALAR && strcmp(map->items[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

#define MAX_INCLUDE_DEPTH 32          /* files in one chain of includes */
#define MAX_DEPTH 64                  /* nesting levels */
#define MAX_NODES 1000000             /* nodes written in one file (aliases not counted) */
#define MAX_ALIAS_BYTES (16u << 20)   /* what aliases may add to one file's tree */
#define ALIAS_NODE_COST 64            /* bytes a copied node counts, besides its text */

/* An anchor (&name): the node it names; open while that node is still
 * being built (an alias inside it would make the tree a cycle). */
typedef struct Anchor { char *name; YNode *node; int open, line, col; } Anchor;

/* An open collection: its node, the room in its items, its anchor. */
typedef struct Open { YNode *node; int cap; Anchor *anchor; } Open;

/* The tree builder of one file, fed libyaml events in document order.
 * Positions: libyaml marks count characters (index) from the start of
 * the text (the input is UTF-8; a BOM is one character); a cursor that
 * only moves forward turns them into byte offsets, so placing every node
 * costs O(file) in all. */
typedef struct Build {
	YSet *set;
	int file;
	const char *text;
	size_t len, pos, index;       /* cursor: byte pos is character index */
	Open open[MAX_DEPTH + 1];
	int depth;
	YNode *root;
	Anchor *anchors;              /* open-addressing hash table of names */
	size_t nanchors, acap;
	long nodes;
	size_t alias_bytes;
} Build;

/* A 0-based libyaml mark as a 1-based int.  Saturates rather than going
 * negative; YFILE_MAX_INPUT keeps real files far below the limit. */
static int mark_num(size_t m)
{
	return m < (size_t)INT_MAX ? (int)m + 1 : INT_MAX;
}

static int build_err(Build *b, yaml_mark_t m, const char *fmt, const char *arg)
{
	int k = snprintf(b->set->err, sizeof b->set->err, "%s:%d:%d: ", b->set->files[b->file].path,
	                 mark_num(m.line), mark_num(m.column));
	snprintf(b->set->err + k, sizeof b->set->err - (size_t)k, fmt, arg);
	return -1;
}

/* The byte offset of mark m.  Marks come in document order, so the
 * cursor moves forward; a mark behind it (not expected) restarts it. */
static size_t build_offset(Build *b, yaml_mark_t m)
{
	if (m.index < b->index)
		b->pos = b->index = 0;
	while (b->index < m.index && b->pos < b->len) {
		b->pos++;
		while (b->pos < b->len && ((unsigned char)b->text[b->pos] & 0xc0) == 0x80)
			b->pos++;   /* a UTF-8 continuation byte: same character */
		b->index++;
	}
	return b->pos;
}

/* A block scalar (| or >) starts at its indicator; its text starts on the
 * next non-empty line, which is where statement columns count from.  The
 * scan stays inside the scalar's own bytes [off, end). */
static void place_block_scalar(const Build *b, YNode *n)
{
	const char *p = b->text + n->off, *end = b->text + n->end;
	int line = n->line;
	while (p < end && *p != '\n')
		p++;
	while (p < end) {
		const char *q = ++p;
		line += line < INT_MAX;
		while (q < end && *q == ' ')
			q++;
		if (q < end && *q != '\n' && *q != '\r') {
			n->line = line;
			n->col = (int)(q - p) + 1;
			n->off = (size_t)(q - b->text);
			return;
		}
		p = q;
		while (p < end && *p != '\n')
			p++;
	}
}

/* ---- anchors: an open-addressing hash table (names are file text, so
 * a linear search would make n aliases of n anchors quadratic) ---- */

static Anchor *anchor_slot(Build *b, const char *name)
{
	size_t i = (size_t)XXH3_64bits(name, strlen(name)) & (b->acap - 1);
	while (b->anchors[i].name && strcmp(b->anchors[i].name, name))
		i = (i + 1) & (b->acap - 1);
	return &b->anchors[i];
}

static Anchor *anchor_find(Build *b, const char *name)
{
	if (!b->acap)
		return NULL;
	Anchor *a = anchor_slot(b, name);
	return a->name ? a : NULL;
}

static void anchor_grow(Build *b)
{
	Anchor *old = b->anchors;
	size_t ocap = b->acap;
	b->acap = ocap ? 2 * ocap : 64;
	b->anchors = xcalloc(b->acap, sizeof *b->anchors);
	for (size_t i = 0; i < ocap; i++)
		if (old[i].name)
			*anchor_slot(b, old[i].name) = old[i];
	free(old);
}

/* Registers &name for node n (open: a collection being built).  Returns
 * the anchor, or NULL with set->err (a name defined twice). */
static Anchor *anchor_add(Build *b, const char *name, YNode *n, int open, yaml_mark_t m)
{
	Anchor *a = anchor_find(b, name);
	if (a) {
		char first[32];
		snprintf(first, sizeof first, "%d:%d", a->line, a->col);
		build_err(b, m, "YAML: anchor defined twice (first at %s)", first);
		return NULL;
	}
	if (2 * (b->nanchors + 1) > b->acap)
		anchor_grow(b);
	a = anchor_slot(b, name);
	*a = (Anchor){ xstrdup(name), n, open, mark_num(m.line), mark_num(m.column) };
	b->nanchors++;
	return a;
}

static void anchors_free(Build *b)
{
	for (size_t i = 0; i < b->acap; i++)
		free(b->anchors[i].name);
	free(b->anchors);
}

/* ---- nodes ---- */

/* Appends n to the open collection, or makes it the root. */
static void build_attach(Build *b, YNode *n)
{
	if (b->depth == 0) {
		b->root = n;
		return;
	}
	Open *o = &b->open[b->depth - 1];
	if (o->node->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 4;
		o->node->items = realloc(o->node->items, sizeof *o->node->items * (size_t)o->cap);
		if (!o->node->items)
			abort();
	}
	o->node->items[o->node->n++] = n;
}

/* A new node of kind at event ev, counted against MAX_NODES and placed.
 * Returns NULL with set->err when it is one too many or too deep. */
static YNode *build_node(Build *b, int kind, const yaml_event_t *ev)
{
	if (b->depth > MAX_DEPTH) {
		build_err(b, ev->start_mark, "nested too deep (at most %s levels)", "64");
		return NULL;
	}
	if (++b->nodes > MAX_NODES) {
		build_err(b, ev->start_mark, "YAML: more than %s nodes in one file", "1000000");
		return NULL;
	}
	YNode *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->file = b->file;
	n->line = mark_num(ev->start_mark.line);
	n->col = mark_num(ev->start_mark.column);
	n->off = n->end = build_offset(b, ev->start_mark);
	return n;
}

/* Where the first \0 escape of a quoted scalar is (it would cut the text
 * short); falls back to the scalar's start. */
static yaml_mark_t nul_mark(const Build *b, const YNode *n, yaml_mark_t m)
{
	static const char *const esc[] = { "\\0", "\\x00", "\\u0000", "\\U00000000" };
	for (size_t i = n->off; i < n->end; i++) {
		if (b->text[i] == '\n')
			m.line++, m.column = 0;
		else if (((unsigned char)b->text[i] & 0xc0) != 0x80 && i > n->off)
			m.column++;
		if (b->text[i] != '\\')
			continue;
		for (size_t k = 0; k < 4; k++)
			if (!strncmp(b->text + i, esc[k], strlen(esc[k])))
				return m;
		i++;   /* any other escape, \\ included */
		m.column++;
	}
	return m;
}

static int build_scalar(Build *b, const yaml_event_t *ev)
{
	YNode *n = build_node(b, YN_SCALAR, ev);
	if (!n)
		return -1;
	yaml_scalar_style_t st = ev->data.scalar.style;
	size_t len = ev->data.scalar.length;
	n->str = xcalloc(len + 1, 1);
	memcpy(n->str, ev->data.scalar.value, len);
	n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	n->end = build_offset(b, ev->end_mark);
	build_attach(b, n);
	if (memchr(ev->data.scalar.value, 0, len))
		return build_err(b, nul_mark(b, n, ev->start_mark), "a NUL character (\\0) is not allowed in %s", "YAML text");
	if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE)
		place_block_scalar(b, n);
	if (ev->data.scalar.anchor && !anchor_add(b, (char *)ev->data.scalar.anchor, n, 0, ev->start_mark))
		return -1;
	return 0;
}

static int build_start(Build *b, const yaml_event_t *ev)
{
	int seq = ev->type == YAML_SEQUENCE_START_EVENT;
	YNode *n = build_node(b, seq ? YN_SEQ : YN_MAP, ev);
	if (!n)
		return -1;
	build_attach(b, n);
	const yaml_char_t *name = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
	Anchor *a = NULL;
	if (name && !(a = anchor_add(b, (const char *)name, n, 1, ev->start_mark)))
		return -1;
	b->open[b->depth++] = (Open){ n, 0, a };
	return 0;
}

static void build_end(Build *b)
{
	Open *o = &b->open[--b->depth];
	if (o->anchor)
		o->anchor->open = 0;
}

/* What copying n costs against MAX_ALIAS_BYTES, and its height. */
static size_t copy_cost(const YNode *n, int *height)
{
	size_t c = ALIAS_NODE_COST + (n->str ? strlen(n->str) + 1 : 0);
	int h = 0;
	for (int i = 0; i < n->n; i++) {
		int hi;
		c += sizeof *n->items + copy_cost(n->items[i], &hi);
		h = hi > h ? hi : h;
	}
	*height = h + 1;
	return c;
}

static YNode *copy_node(const YNode *n)
{
	YNode *c = xcalloc(1, sizeof *c);
	*c = *n;
	c->str = n->str ? xstrdup(n->str) : NULL;
	c->items = n->n ? xcalloc((size_t)n->n, sizeof *c->items) : NULL;
	for (int i = 0; i < n->n; i++)
		c->items[i] = copy_node(n->items[i]);
	return c;
}

/* *name: a copy of the anchored node, within the alias budget (bytes,
 * not nodes: one long scalar aliased many times is what costs memory). */
static int build_alias(Build *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	Anchor *a = anchor_find(b, name);
	if (!a)
		return build_err(b, ev->start_mark, "YAML: found undefined alias%s", "");
	if (a->open)
		return build_err(b, ev->start_mark, "YAML: an alias inside the node it names%s", "");
	int height;
	size_t cost = copy_cost(a->node, &height);
	if (b->depth + height - 1 > MAX_DEPTH)
		return build_err(b, ev->start_mark, "nested too deep (at most %s levels)", "64");
	if (cost > MAX_ALIAS_BYTES - b->alias_bytes)
		return build_err(b, ev->start_mark, "YAML: aliases expand to more than %s MB", "16");
	b->alias_bytes += cost;
	build_attach(b, copy_node(a->node));
	return 0;
}

/* The libyaml error, where it is most useful: an unterminated quoted
 * scalar is reported where its quote opens, not at the end of the file. */
static void yaml_error(YSet *set, const YFile *f, const yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;
	if (p->context && strstr(p->context, "quoted scalar"))
		m = p->context_mark;
	snprintf(set->err, sizeof set->err, "%s:%d:%d: YAML: %s%s%s", f->path, mark_num(m.line), mark_num(m.column),
	         p->problem ? p->problem : p->error == YAML_MEMORY_ERROR ? "out of memory" : "syntax error",
	         p->context ? " " : "", p->context ? p->context : "");
}

/* One event into the tree.  Returns 1 at the end of the stream, 0 to go
 * on, -1 with set->err. */
static int build_event(Build *b, const yaml_event_t *ev, int *docs)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		++*docs;
		return 0;
	case YAML_SCALAR_EVENT:
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	case YAML_ALIAS_EVENT:
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		build_end(b);
		return 0;
	default:
		return 0;
	}
	if (*docs > 1)   /* a second document is an error, not silently ignored */
		return build_err(b, ev->start_mark, "a scenario file holds one YAML document; a second one starts here%s", "");
	if (ev->type == YAML_SCALAR_EVENT)
		return build_scalar(b, ev);
	if (ev->type == YAML_ALIAS_EVENT)
		return build_alias(b, ev);
	return build_start(b, ev);
}

/* Builds f's tree from libyaml's events (not its document API, whose
 * aliases cannot be told from first uses and which holds the whole
 * document before a bound can be checked).  Returns 0 or -1. */
static int build_tree(YSet *set, int file)
{
	YFile *f = &set->files[file];
	Build b = { .set = set, .file = file, .text = f->text, .len = f->len };
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	int rc = 0, docs = 0;
	while (rc == 0) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_error(set, f, &parser);
			rc = -1;
			break;
		}
		rc = build_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	anchors_free(&b);
	f->root = b.root;   /* whole or partial: yset_free frees it */
	return rc < 0 ? -1 : 0;
}

static int check_root(YSet *set, YFile *f)
{
	if (!f->root || f->root->kind != YN_MAP) {
		snprintf(set->err, sizeof set->err, "%s:%d:%d: expected a mapping of keys at the top",
		         f->path, f->root ? f->root->line : 1, f->root ? f->root->col : 1);
		return -1;
	}
	for (int i = 0; i + 1 < f->root->n; i += 2)
		if (f->root->items[i]->kind != YN_SCALAR) {
			snprintf(set->err, sizeof set->err, "%s:%d:%d: keys must be plain words",
			         f->path, f->root->items[i]->line, f->root->items[i]->col);
			return -1;
		}
	return 0;
}

static int parse_text(YSet *set, int file)
{
	YFile *f = &set->files[file];
	if (build_tree(set, file) < 0)
		return -1;
	if (!f->root) {
		snprintf(set->err, sizeof set->err, "%s:1:1: the file is empty", f->path);
		return -1;
	}
	return check_root(set, f);
}

/* What kind of file st is, for "not a regular file (a FIFO)". */
static const char *file_kind(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "not a plain file";
}

/* why: a file over max bytes. */
static void too_large(size_t max, char *why, size_t whylen)
{
	if (max % (1u << 20))
		snprintf(why, whylen, "larger than %zu bytes, the bound on an input file (--max-input)", max);
	else
		snprintf(why, whylen, "larger than %zu MB, the bound on an input file%s", max >> 20,
		         max == YFILE_MAX_INPUT ? "" : " (--max-input)");
}

/* Reads the open regular file fd whole, at most max bytes (the file may
 * grow while it is read).  Returns the malloc'd text or NULL with why set. */
static char *read_fd(int fd, off_t size, size_t max, size_t *len, char *why, size_t whylen)
{
	size_t cap = (size_t)size + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		abort();
	for (ssize_t r; (r = read(fd, buf + n, cap - n)) != 0; ) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, whylen, "%s", strerror(errno));
			free(buf);
			return NULL;
		}
		n += (size_t)r;
		if (n > max) {
			too_large(max, why, whylen);
			free(buf);
			return NULL;
		}
		if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1)))
			abort();
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

char *yfile_read(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
	if (!max || max > YFILE_MAX_INPUT_LIMIT)
		max = max ? YFILE_MAX_INPUT_LIMIT : YFILE_MAX_INPUT;
	/* O_NONBLOCK: opening a FIFO without a writer must not wait */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	char *text = NULL;
	if (fd < 0 || fstat(fd, &st) < 0)
		snprintf(why, whylen, "%s", strerror(errno));
	else if (S_ISDIR(st.st_mode))
		snprintf(why, whylen, "%s", strerror(EISDIR));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, whylen, "not a regular file (%s)", file_kind(&st));
	else if ((uintmax_t)st.st_size > max)
		too_large(max, why, whylen);
	else
		text = read_fd(fd, st.st_size, max, len, why, whylen);
	if (fd >= 0)
		close(fd);
	return text;
}

/* The length of the valid UTF-8 character at s that is not a C1 control
 * (U+0080..U+009F), or 0. */
static size_t utf8_char(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90) ||
	    (n == 2 && s[0] == 0xc2 && s[1] < 0xa0))
		return 0;   /* overlong, surrogate, above U+10FFFF, C1 */
	return n;
}

char *ytext_escape(const char *s)
{
	char *out = xcalloc(4 * strlen(s) + 1, 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; ) {
		size_t n = *p >= 0x80 ? utf8_char(p) : *p >= 0x20 && *p != 0x7f;
		if (n == 0) {
			o += sprintf(o, "\\x%02x", *p++);
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = 0;
	return out;
}

void ytext_clean(char *buf, size_t size)
{
	char *e = ytext_escape(buf);
	snprintf(buf, size, "%s", e);
	free(e);
}

char *ypath_join(const char *dir_of, const char *rel)
{
	size_t dl = 0;
	if (dir_of && rel[0] != '/') {
		const char *slash = strrchr(dir_of, '/');
		dl = slash ? (size_t)(slash - dir_of) + 1 : 0;
	}
	char *tmp = xcalloc(dl + strlen(rel) + 1, 1);
	if (dl)
		memcpy(tmp, dir_of, dl);
	strcpy(tmp + dl, rel);
	/* split on '/', drop "." and fold "x/.." */
	char *out = xcalloc(strlen(tmp) + 2, 1);
	char **seg = xcalloc(strlen(tmp) + 1, sizeof *seg);
	int ns = 0, abs = tmp[0] == '/';
	for (char *save = NULL, *t = strtok_r(tmp, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (strcmp(t, ".") == 0)
			continue;
		if (strcmp(t, "..") == 0 && ns > 0 && strcmp(seg[ns - 1], "..") != 0)
			ns--;
		else
			seg[ns++] = t;
	}
	if (abs)
		strcat(out, "/");
	for (int i = 0; i < ns; i++) {
		strcat(out, seg[i]);
		if (i + 1 < ns)
			strcat(out, "/");
	}
	free(seg);
	free(tmp);
	return out;
}

/* 1 if set's source is one whose includes are checked (the disk). */
static int checked(const YSet *set)
{
	return !set->src || !set->src->read || set->src->disk;
}

/* The text of path from set's source, or NULL with why set. */
static char *read_file(const YSet *set, const char *path, size_t *len, char *why, size_t whylen)
{
	const ScnSource *s = set->src;
	char *text = s && s->read ? s->read(s->ctx, path, len) : NULL;
	if (!text && checked(set))
		text = yfile_read(path, s ? s->max_input : 0, len, why, whylen);
	return text;
}

/* Loads path (already normalised) as a new file; `stack` is the chain
 * of including files, for the cycle message. */
static int load_one(YSet *set, const char *path, const char **stack, int depth,
                    const YNode *from);

/* An include that cannot be loaded, at the entry that names it; only the
 * name as written and why, never the included file's content. */
static int include_err(YSet *set, const YNode *from, const char *why)
{
	snprintf(set->err, sizeof set->err, "%s:%d:%d: include '%s': %s",
	         set->files[from->file].path, from->line, from->col, from->str, why);
	return -1;
}

/* p made absolute against cwd (NULL: left relative), normalised. */
static char *abs_path(const char *cwd, const char *p)
{
	if (!cwd || p[0] == '/')
		return ypath_join(NULL, p);
	char *t = xcalloc(strlen(cwd) + strlen(p) + 2, 1);
	sprintf(t, "%s/%s", cwd, p);
	char *r = ypath_join(NULL, t);
	free(t);
	return r;
}

/* 1 if the absolute normalised path a lies in one of set's roots, by
 * text: "a/b" is in "a", "ab" is not. */
static int in_roots(const YSet *set, const char *a)
{
	int in = 0;
	for (int i = 0; i < set->nroots && !in; i++) {
		size_t n = strlen(set->roots[i]);
		in = !strcmp(set->roots[i], "/") ||
		     (!strncmp(a, set->roots[i], n) && (a[n] == '/' || a[n] == 0));
	}
	return in;
}

/* 1 if path lies in one of set's roots, both by text (made absolute
 * against the current directory) and with symbolic links followed (a
 * link inside a root to a file outside is outside); else 0, with *real
 * the real path (malloc'd) where only the link leads out.  A path inside
 * by text that does not resolve is let through, for the reader to say
 * why it cannot be read.  A source other than the disk (a database
 * record) has no roots: what it holds was checked when it was recorded. */
static int inside_roots(const YSet *set, const char *path, char **real)
{
	*real = NULL;
	if (!checked(set))
		return 1;
	char *cwd = getcwd(NULL, 0), *a = abs_path(cwd, path);
	int in = in_roots(set, a);
	free(a);
	free(cwd);
	if (!in)
		return 0;
	if (!(a = realpath(path, NULL)) || in_roots(set, a)) {
		free(a);
		return 1;
	}
	*real = a;
	return 0;
}

/* The refusal of an include outside the roots; real (freed) is where a
 * symbolic link inside leads, or NULL. */
static int outside_err(YSet *set, const YNode *from, char *real)
{
	char why[600], *shown = real ? ytext_escape(real) : NULL;
	snprintf(why, sizeof why, "outside the scenario's folder, -I and TLBSIM_PATH%s%.400s%s",
	         shown ? " (a symbolic link to " : "", shown ? shown : "", shown ? ")" : "");
	free(shown);
	free(real);
	return include_err(set, from, why);
}

/* Adds the folder d (relative to cwd) to set's roots, made absolute with
 * its symbolic links resolved (by text if it does not resolve). */
static void add_root(YSet *set, const char *cwd, const char *d)
{
	char *a = abs_path(cwd, d), *r = realpath(a, NULL);
	set->roots[set->nroots++] = r ? r : a;
	if (r)
		free(a);
}

/* The roots includes may not leave: the top file's folder, each folder
 * of src->dirs (-I), then each folder of TLBSIM_PATH (colon-separated). */
static void set_roots(YSet *set, const char *top)
{
	char *cwd = getcwd(NULL, 0), *a = abs_path(cwd, top);
	const char *env = getenv("TLBSIM_PATH");
	int ndirs = set->src ? set->src->ndirs : 0;
	char *slash = strrchr(a, '/');
	if (slash)
		slash[slash == a] = 0;   /* "/s.yaml" -> "/" */
	else
		a[0] = 0;                /* a relative top without getcwd: "" is its folder */
	set->roots = xcalloc(2 + (size_t)ndirs + (env ? strlen(env) : 0), sizeof *set->roots);
	add_root(set, NULL, a[0] ? a : ".");
	free(a);
	for (int i = 0; i < ndirs; i++)
		add_root(set, cwd, set->src->dirs[i]);
	for (const char *e = env; e && *e; e += strcspn(e, ":"), e += *e == ':') {
		size_t n = strcspn(e, ":");
		if (n == 0)
			continue;
		char *d = xcalloc(n + 1, 1);
		memcpy(d, e, n);
		add_root(set, cwd, d);
		free(d);
	}
	free(cwd);
}

char *ypath_from(const char *top, const char *path)
{
	char *cwd = getcwd(NULL, 0), *t = abs_path(cwd, top), *a = abs_path(cwd, path);
	free(cwd);
	char *slash = strrchr(t, '/');
	if (slash)
		slash[1] = 0;   /* t: the folder, ending in '/' */
	else
		t[0] = 0;
	size_t common = 0;   /* the longest common prefix that ends a folder */
	for (size_t i = 0; t[i] && t[i] == a[i]; i++)
		if (t[i] == '/')
			common = i + 1;
	int up = 0;
	for (const char *q = t + common; *q; q++)
		up += *q == '/';
	char *r = xcalloc(3 * (size_t)up + strlen(a + common) + 1, 1);
	for (int i = 0; i < up; i++)
		strcat(r, "../");
	strcat(r, a + common);
	free(t);
	free(a);
	return r;
}

static int follow_includes(YSet *set, int file, const char **stack, int depth)
{
	YNode *inc = ynode_get(set->files[file].root, "include");
	if (!inc)
		return 0;
	const char *fpath = set->files[file].path;
	if (inc->kind != YN_SEQ) {
		snprintf(set->err, sizeof set->err, "%s:%d:%d: include: expected a list of file names",
		         fpath, inc->line, inc->col);
		return -1;
	}
	for (int i = 0; i < inc->n; i++) {
		YNode *it = inc->items[i];
		if (it->kind != YN_SCALAR) {
			snprintf(set->err, sizeof set->err, "%s:%d:%d: include: expected a file name",
			         fpath, it->line, it->col);
			return -1;
		}
		char *p = ypath_join(set->files[file].path, it->str), *real;
		int rc = inside_roots(set, p, &real) ? load_one(set, p, stack, depth, it)
		                                     : outside_err(set, it, real);
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int load_one(YSet *set, const char *path, const char **stack, int depth,
                    const YNode *from)
{
	for (int i = 0; i < depth; i++) {
		if (strcmp(stack[i], path) != 0)
			continue;
		const YFile *ff = &set->files[from->file];
		int n = snprintf(set->err, sizeof set->err, "%s:%d:%d: include cycle: ", ff->path, from->line, from->col);
		for (int k = i; k < depth && n < (int)sizeof set->err; k++)
			n += snprintf(set->err + n, sizeof set->err - (size_t)n, "%s -> ", stack[k]);
		if (n < (int)sizeof set->err)
			snprintf(set->err + n, sizeof set->err - (size_t)n, "%s", path);
		return -1;
	}
	for (int i = 0; i < set->nfiles; i++)
		if (strcmp(set->files[i].path, path) == 0)
			return 0;   /* included twice (a diamond): once is enough */
	if (depth >= MAX_INCLUDE_DEPTH)
		return include_err(set, from, "includes nested too deep (at most 32 files)");
	size_t len = 0;
	char why[128] = "not in the recorded scenario";
	char *text = read_file(set, path, &len, why, sizeof why);
	if (!text) {
		if (from)
			return include_err(set, from, why);
		snprintf(set->err, sizeof set->err, "%s: %s", path, why);
		return -1;
	}
	if (set->nfiles == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 8;
		set->files = realloc(set->files, sizeof *set->files * (size_t)set->cap);
		if (!set->files)
			abort();
	}
	int idx = set->nfiles++;
	set->files[idx] = (YFile){ xstrdup(path), text, len, NULL };
	if (parse_text(set, idx) < 0)
		return -1;
	stack[depth] = set->files[idx].path;
	return follow_includes(set, idx, stack, depth + 1);
}

int yset_load(YSet *set, const char *path, const ScnSource *src)
{
	const char *stack[MAX_INCLUDE_DEPTH + 1];
	memset(set, 0, sizeof *set);
	set->src = src;
	if (checked(set))
		set_roots(set, path);
	char *p = ypath_join(NULL, path);
	int rc = load_one(set, p, stack, 0, NULL);
	free(p);
	return rc;
}

void yset_free(YSet *set)
{
	for (int i = 0; i < set->nfiles; i++) {
		free(set->files[i].path);
		free(set->files[i].text);
		ynode_free(set->files[i].root);
	}
	free(set->files);
	for (int i = 0; i < set->nroots; i++)
		free(set->roots[i]);
	free(set->roots);
	memset(set, 0, sizeof *set);
}

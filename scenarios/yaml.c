/* scenarios/yaml.c: libyaml documents to YNode trees, and includes.
 * libyaml marks are 0-based; every node here stores them 1-based.
 * Include paths are resolved lexically against the including file's
 * folder, so the same tree loads the same way from disk or from a
 * database record. */
#include "scenarios/yaml.h"
#include <yaml.h>
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

#define MAX_DEPTH 64        /* nesting levels */
#define MAX_NODES 200000    /* nodes, aliases expanded (an alias bomb stops here) */

typedef struct Conv {
	YSet *set;
	yaml_document_t *doc;
	const char *text;       /* the file, to place block scalars */
	int file, nodes;
} Conv;

/* A 0-based libyaml mark as a 1-based int.  Saturates rather than going
 * negative; YFILE_MAX_INPUT keeps real files far below the limit. */
static int mark_num(size_t m)
{
	return m < (size_t)INT_MAX ? (int)m + 1 : INT_MAX;
}

static int conv_err(Conv *cv, yaml_node_t *yn, const char *msg)
{
	snprintf(cv->set->err, sizeof cv->set->err, "%s:%zu:%zu: %s", cv->set->files[cv->file].path,
	         yn->start_mark.line + 1, yn->start_mark.column + 1, msg);
	return -1;
}

/* A block scalar (| or >) starts at its indicator; its text starts on the
 * next non-empty line, which is where statement columns count from. */
static void place_block_scalar(const Conv *cv, YNode *n)
{
	const char *p = cv->text;
	int line = 1;
	while (*p && line < n->line + 1)
		line += *p++ == '\n';
	while (*p) {
		const char *q = p;
		while (*q == ' ')
			q++;
		if (*q && *q != '\n') {
			n->line = line;
			n->col = (int)(q - p) + 1;
			return;
		}
		p = *q ? q + 1 : q;
		line++;
	}
}

/* Converts libyaml node id into *out; returns 0 or -1 with set->err. */
static int convert(Conv *cv, int id, int depth, YNode **out)
{
	yaml_node_t *yn = yaml_document_get_node(cv->doc, id);
	*out = NULL;
	if (!yn)
		return 0;
	if (depth > MAX_DEPTH)
		return conv_err(cv, yn, "nested too deep (at most 64 levels)");
	if (++cv->nodes > MAX_NODES)
		return conv_err(cv, yn, "YAML: aliases expand to too many nodes");
	YNode *n = xcalloc(1, sizeof *n);
	*out = n;
	n->file = cv->file;
	n->line = mark_num(yn->start_mark.line);
	n->col = mark_num(yn->start_mark.column);
	if (yn->type == YAML_SCALAR_NODE) {
		yaml_scalar_style_t st = yn->data.scalar.style;
		n->kind = YN_SCALAR;
		n->str = xstrdup((char *)yn->data.scalar.value);
		n->quoted = st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE)
			place_block_scalar(cv, n);
		return 0;
	}
	int seq = yn->type == YAML_SEQUENCE_NODE;
	int cnt = seq ? (int)(yn->data.sequence.items.top - yn->data.sequence.items.start)
	              : (int)(yn->data.mapping.pairs.top - yn->data.mapping.pairs.start);
	n->kind = seq ? YN_SEQ : YN_MAP;
	n->items = xcalloc((size_t)cnt * (seq ? 1 : 2), sizeof *n->items);
	for (int i = 0; i < cnt; i++) {
		YNode *k = NULL, *v = NULL;
		int rc;
		if (seq) {
			rc = convert(cv, yn->data.sequence.items.start[i], depth + 1, &v);
		} else {
			yaml_node_pair_t *p = &yn->data.mapping.pairs.start[i];
			rc = convert(cv, p->key, depth + 1, &k);
			if (rc == 0)
				rc = convert(cv, p->value, depth + 1, &v);
		}
		if (rc || !v || (!seq && !k)) {   /* children are owned by n only when whole */
			ynode_free(k);
			ynode_free(v);
			if (rc)
				return -1;
			continue;
		}
		if (!seq)
			n->items[n->n++] = k;
		n->items[n->n++] = v;
	}
	return 0;
}

/* A second document in the file is an error, not silently ignored. */
static int no_second_document(YSet *set, const YFile *f, yaml_parser_t *parser)
{
	yaml_document_t doc2;
	if (!yaml_parser_load(parser, &doc2)) {
		snprintf(set->err, sizeof set->err, "%s:%zu:%zu: YAML: %s", f->path,
		         parser->problem_mark.line + 1, parser->problem_mark.column + 1,
		         parser->problem ? parser->problem : "syntax error");
		return -1;
	}
	yaml_node_t *r = yaml_document_get_root_node(&doc2);
	int rc = 0;
	if (r) {
		snprintf(set->err, sizeof set->err, "%s:%zu:%zu: a scenario file holds one YAML document; a second one starts here",
		         f->path, r->start_mark.line + 1, r->start_mark.column + 1);
		rc = -1;
	}
	yaml_document_delete(&doc2);
	return rc;
}

/* The libyaml error, where it is most useful: an unterminated quoted
 * scalar is reported where its quote opens, not at the end of the file. */
static void yaml_error(YSet *set, const YFile *f, const yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark;
	if (p->context && strstr(p->context, "quoted scalar"))
		m = p->context_mark;
	snprintf(set->err, sizeof set->err, "%s:%zu:%zu: YAML: %s%s%s", f->path, m.line + 1, m.column + 1,
	         p->problem ? p->problem : "syntax error", p->context ? " " : "", p->context ? p->context : "");
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
	yaml_parser_t parser;
	yaml_document_t doc;
	int rc = 0;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)f->text, f->len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(set, f, &parser);
		yaml_parser_delete(&parser);
		return -1;
	}
	if (!yaml_document_get_root_node(&doc)) {
		snprintf(set->err, sizeof set->err, "%s:1:1: the file is empty", f->path);
		rc = -1;
	} else {
		Conv cv = { set, &doc, f->text, file, 0 };
		rc = convert(&cv, 1, 0, &f->root);
		if (rc == 0)
			rc = check_root(set, f);
		if (rc == 0)
			rc = no_second_document(set, f, &parser);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
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

/* Reads the open regular file fd whole, at most YFILE_MAX_INPUT bytes
 * (the file may grow while it is read).  Returns the malloc'd text or
 * NULL with why set. */
static char *read_fd(int fd, off_t size, size_t *len, char *why, size_t whylen)
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
		if (n > YFILE_MAX_INPUT) {
			snprintf(why, whylen, "larger than %u MB, the bound on an input file", YFILE_MAX_INPUT >> 20);
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

char *yfile_read(const char *path, size_t *len, char *why, size_t whylen)
{
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
	else if ((uintmax_t)st.st_size > YFILE_MAX_INPUT)
		snprintf(why, whylen, "larger than %u MB, the bound on an input file", YFILE_MAX_INPUT >> 20);
	else
		text = read_fd(fd, st.st_size, len, why, whylen);
	if (fd >= 0)
		close(fd);
	return text;
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

/* Loads path (already normalised) as a new file; `stack` is the chain
 * of including files, for the cycle message. */
static int load_one(YSet *set, const char *path, const char **stack, int depth,
                    const YNode *from);

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
		char *p = ypath_join(set->files[file].path, it->str);
		int rc = load_one(set, p, stack, depth, it);
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
	if (depth >= 32) {
		snprintf(set->err, sizeof set->err, "%s: includes nested too deep", path);
		return -1;
	}
	size_t len = 0;
	char why[128] = "not in the recorded scenario";
	char *text = set->src ? set->src->read(set->src->ctx, path, &len) : yfile_read(path, &len, why, sizeof why);
	if (!text) {
		if (from)
			snprintf(set->err, sizeof set->err, "%s:%d:%d: include '%s': %s",
			         set->files[from->file].path, from->line, from->col, from->str, why);
		else
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
	const char *stack[33];
	memset(set, 0, sizeof *set);
	set->src = src;
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
	memset(set, 0, sizeof *set);
}

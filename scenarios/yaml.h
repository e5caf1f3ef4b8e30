/* scenarios/yaml.h: a YAML file as a tree of nodes that remember where
 * they were written (1-based line and column), and the reader that follows
 * `include:` with cycle detection.  All errors are "file:line:col: what". */
#ifndef TLBSIM_YAML_H
#define TLBSIM_YAML_H
#include <stddef.h>

enum { YN_SCALAR, YN_SEQ, YN_MAP };

typedef struct YNode {
	int kind;
	char *str;             /* scalar text */
	int quoted;            /* scalar was quoted ('...' or "...") */
	int file, line, col;   /* where it starts: file index, 1-based line/col */
	size_t off, end;       /* its bytes in the file's text: [off, end) (a collection: off only) */
	struct YNode **items;  /* seq: items; map: key0, val0, key1, val1, ... */
	int n;                 /* number of items (a map: 2 x pairs) */
} YNode;

/* Where source text comes from: the disk, or a database record (replay),
 * or standard input, and the rules the disk is read by.  A NULL source is
 * the disk with the default rules. */
typedef struct ScnSource {
	/* Returns a malloc'd NUL-terminated text of path, or NULL.  NULL
	 * read: every path is read from the disk. */
	char *(*read)(void *ctx, const char *path, size_t *len);
	void *ctx;
	/* 1: a path read returns NULL for is read from the disk, by the
	 * disk's rules (standard input's includes).  0 with read set: a
	 * record, checked when it was recorded, so no rule applies. */
	int disk;
	const char *const *dirs;    /* -I folders includes may also reach */
	int ndirs;
	size_t max_input;           /* bound on one file, bytes; 0: YFILE_MAX_INPUT */
} ScnSource;

typedef struct YFile { char *path; char *text; size_t len; YNode *root; } YFile;

/* A scenario and everything it includes, in include order ([0] first). */
typedef struct YSet {
	YFile *files; int nfiles, cap;
	const ScnSource *src;
	char **roots; int nroots;   /* absolute folders includes may not leave (disk only) */
	char err[1024];
} YSet;

/* The default bound on one input file, scenario or include: 16 MB
 * (--max-input changes it, up to YFILE_MAX_INPUT_LIMIT, 1 GB, which
 * keeps every line and column number below INT_MAX). */
#define YFILE_MAX_INPUT (16u << 20)
#define YFILE_MAX_INPUT_LIMIT (1u << 30)

/* Reads the regular file at path whole into a malloc'd NUL-terminated
 * text (*len bytes).  A FIFO, a device or a directory is refused without
 * blocking or reading it, and so is a file over max bytes (0:
 * YFILE_MAX_INPUT).  Returns NULL with why set to the reason ("Is a
 * directory", "not a regular file (a FIFO)", "larger than 16 MB, ...", or
 * strerror). */
char *yfile_read(const char *path, size_t max, size_t *len, char *why, size_t whylen);

/* Loads path and, depth first, every file it includes.  Returns 0, or -1
 * with set->err.  src NULL reads the disk.  From the disk, an include
 * resolves (by text) against the including file's folder, and the file
 * it names, symbolic links followed, must lie inside the folder of path,
 * a folder of src->dirs (-I) or a folder of the environment's TLBSIM_PATH
 * (colon-separated).  A database record (src, not disk) is not checked
 * again. */
int yset_load(YSet *set, const char *path, const ScnSource *src);
void yset_free(YSet *set);

/* Map lookup: the value node of key, or NULL. */
YNode *ynode_get(const YNode *map, const char *key);
/* Map lookup: the key node of key, or NULL (to point errors at keys). */
YNode *ynode_key(const YNode *map, const char *key);
/* Text from input made safe for a terminal or an error line: control
 * characters (C0, DEL, C1) and bytes that are not valid UTF-8 become
 * \xNN (ESC -> \x1b); everything else, backslashes included, is kept.
 * Returns malloc'd. */
char *ytext_escape(const char *s);
/* ytext_escape of the string in buf, in place (cut at size). */
void ytext_clean(char *buf, size_t size);
/* path relative to the folder of top, both made absolute (against the
 * current directory) and normalised first: how a path is spelled
 * ("./a.yaml", "a.yaml", "/x/a.yaml") does not change it.  "../" where
 * path is outside that folder.  Returns malloc'd. */
char *ypath_from(const char *top, const char *path);
/* Lexical path normalisation ("a/./b/../c" -> "a/c"); returns malloc'd. */
char *ypath_join(const char *dir_of, const char *rel);

#endif

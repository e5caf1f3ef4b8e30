/* cli/opts.c: option parsing for every command, on getopt_long.
 * Options and arguments may come in any order: the option string starts
 * with '-', so getopt hands back each argument in place (in order, argv
 * untouched, the same with or without POSIXLY_CORRECT) and "--" ends the
 * options.  getopt's own messages are off (':' and opterr = 0): every
 * error is ours, one line.  getopt keeps its position in libc's globals
 * (optind, optarg, optopt); optind = 0 restarts it for each parse. */
#include "cli/opts.h"
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every option of every command: long name, short form (0: none), what
 * its value is and the Opts field it sets.  A command takes those its
 * OptSpec names, and help. */
/* kinds: string, flag (int = 1), number, small number, --help, a folder
 * added to dirs (the one option that may be repeated) */
enum { OK_STR, OK_FLAG, OK_U64, OK_INT, OK_HELP, OK_DIR };

typedef struct OptDef {
	const char *name;
	int shrt;
	int kind;
	size_t off;                  /* offsetof the field in Opts */
} OptDef;

#define STR(f) OK_STR, offsetof(Opts, f)
#define FLAG(f) OK_FLAG, offsetof(Opts, f)
static const OptDef opt_defs[] = {
	{ "variant", 'v', STR(variant) }, { "model", 'm', STR(model) },
	{ "seed", 's', OK_U64, offsetof(Opts, seed) }, { "output", 'o', STR(output) },
	{ "quiet", 'q', FLAG(quiet) }, { "help", 'h', OK_HELP, 0 },
	{ "db", 0, STR(db) }, { "no-db", 0, FLAG(no_db) }, { "schedule", 0, STR(schedule) },
	{ "from", 0, STR(from) }, { "to", 0, STR(to) }, { "against", 0, STR(against) },
	{ "scenario", 0, STR(scenario) }, { "html", 0, STR(html) }, { "brief", 0, FLAG(brief) },
	{ "markdown", 0, FLAG(markdown) }, { "run", 0, FLAG(run_id) }, { "symmetry", 0, FLAG(symmetry) },
	{ "no-symmetry", 0, FLAG(no_symmetry) },
	{ "progress", 0, FLAG(progress) }, { "color", 0, STR(color) },
	{ "states", 0, FLAG(states) }, { "shard", 0, STR(shard) }, { "jobs", 'j', OK_INT, offsetof(Opts, jobs) },
	{ "random", 0, OK_U64, offsetof(Opts, random) }, { "pct", 0, OK_INT, offsetof(Opts, pct) },
	{ "preemptions", 0, STR(preempt_arg) },
	{ "format", 0, STR(format) }, { "max-states", 0, OK_U64, offsetof(Opts, max_states) },
	{ "max-memory", 0, OK_U64, offsetof(Opts, max_memory) }, { "limit", 0, OK_INT, offsetof(Opts, limit) },
	{ "include-dir", 'I', OK_DIR, 0 }, { "max-input", 0, OK_U64, offsetof(Opts, max_input) },
	{ "width", 0, STR(width) }, { "cpus", 0, STR(cpus) }, { "timeline", 0, STR(timeline) },
};
#undef STR
#undef FLAG
#define OPT_NDEFS ((int)(sizeof opt_defs / sizeof opt_defs[0]))
#define OPT_LONG_ONLY 256        /* getopt value of opt_defs[i] without a short form: 256 + i */

/* The getopt tables of one command. */
typedef struct OptTable {
	struct option lo[OPT_NDEFS + 1];
	char shorts[3 * OPT_NDEFS + 3];
	int def[OPT_NDEFS];          /* lo[k] is opt_defs[def[k]] */
	int n;
} OptTable;

/* One usage line on stderr; returns 2. */
static int opt_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tlbsim %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'tlbsim %s --help')\n", cmd);
	va_end(ap);
	return 2;
}

int opt_usage(const char *cmd, const char *fmt, const char *arg)
{
	return opt_fail(cmd, fmt, arg);
}

int opt_u64(const char *cmd, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (!*s || *end || *s == '-' || errno == ERANGE)
		return opt_usage(cmd, "expected a number below 2^64, got '%s'", s);
	return 0;
}

static int opt_def_named(const char *name, size_t len)
{
	for (int i = 0; i < OPT_NDEFS; i++)
		if (strlen(opt_defs[i].name) == len && !strncmp(opt_defs[i].name, name, len))
			return i;
	return -1;
}

/* Builds the getopt tables of the options spec->takes names, plus help.
 * An unknown name in takes is a programming error: abort. */
static void opt_table(const OptSpec *spec, OptTable *t)
{
	char *p = t->shorts;
	memset(t, 0, sizeof *t);
	p += sprintf(p, "-:");
	for (const char *s = spec->takes; ; ) {
		s += strspn(s, " ");
		size_t len = strcspn(s, " ");
		int i = len ? opt_def_named(s, len) : opt_def_named("help", 4);
		if (i < 0)
			abort();
		const OptDef *d = &opt_defs[i];
		int has_arg = d->kind != OK_FLAG && d->kind != OK_HELP;
		t->lo[t->n] = (struct option){ d->name, has_arg ? required_argument : no_argument, NULL,
		                               d->shrt ? d->shrt : OPT_LONG_ONLY + i };
		t->def[t->n++] = i;
		if (d->shrt)
			p += sprintf(p, "%c%s", d->shrt, has_arg ? ":" : "");
		if (!len)
			break;
		s += len;
	}
}

/* The table entry getopt returned val for, or -1. */
static int opt_entry(const OptTable *t, int val)
{
	for (int k = 0; k < t->n; k++)
		if (t->lo[k].val == val)
			return k;
	return -1;
}

/* getopt said '?' for word: an unknown or ambiguous long option (optopt
 * 0), an unknown short one, or a value given to a flag. */
static int opt_bad(const char *cmd, const OptTable *t, const char *word, int optopt_)
{
	int k = optopt_ ? opt_entry(t, optopt_) : -1;
	if (k >= 0)
		return opt_fail(cmd, "option '--%s' takes no value", t->lo[k].name);
	if (optopt_ > ' ' && optopt_ < 127)
		return opt_fail(cmd, "unknown option '-%c'", optopt_);
	if (strncmp(word, "--", 2))
		return opt_fail(cmd, "unknown option '%s'", word);
	size_t len = strcspn(word + 2, "=");
	char list[512] = "";
	int n = 0;
	for (k = 0; k < t->n; k++)
		if (!strncmp(t->lo[k].name, word + 2, len) && strlen(list) + strlen(t->lo[k].name) + 5 < sizeof list) {
			strcat(strcat(strcat(list, n ? ", " : ""), "--"), t->lo[k].name);
			n++;
		}
	if (n < 2)
		return opt_fail(cmd, "unknown option '%s'", word);
	return opt_fail(cmd, "option '%.*s' is ambiguous (%s)", (int)len + 2, word, list);
}

/* Sets the field of option opt_defs[i] from val; returns -1, or the exit
 * status (0 after --help, 2 after an error). */
static int opt_set(const OptSpec *spec, Opts *o, int i, const char *val)
{
	const OptDef *d = &opt_defs[i];
	char *f = (char *)o + d->off;
	uint64_t n;
	switch (d->kind) {
	case OK_HELP:
		fputs(spec->help, stdout);
		return 0;
	case OK_STR:
		memcpy(f, &val, sizeof val);
		return -1;
	case OK_FLAG:
		*(int *)(void *)f = 1;
		return -1;
	case OK_DIR:
		if (o->ndirs == OPT_MAX_ARGS)
			return opt_fail(spec->cmd, "more than %d -I folders", OPT_MAX_ARGS);
		o->dirs[o->ndirs++] = val;
		return -1;
	}
	if (opt_u64(spec->cmd, val, &n))
		return 2;
	if (d->kind == OK_U64)
		memcpy(f, &n, sizeof n);
	else if (n > 1000000000)
		return opt_fail(spec->cmd, "--%s %s is too large", d->name, val);
	else
		*(int *)(void *)f = (int)n;
	return -1;
}

/* An argument (not an option): kept in order, "-" at most once. */
static int opt_arg(const OptSpec *spec, Opts *o, const char *a)
{
	if (o->nargs == OPT_MAX_ARGS)
		return opt_fail(spec->cmd, "more than %d arguments", OPT_MAX_ARGS);
	for (int i = 0; i < o->nargs && !strcmp(a, "-"); i++)
		if (!strcmp(o->args[i], "-"))
			return opt_fail(spec->cmd, "'-' (standard input) given twice%s", "");
	o->args[o->nargs++] = a;
	return -1;
}

/* All of fp, at most max bytes, as a malloc'd NUL-terminated text; NULL
 * on a read error (errno set) or past max (errno EFBIG). */
static char *opt_slurp(FILE *fp, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (size_t r; buf && n <= max && (r = fread(buf + n, 1, cap - n - 1, fp)) > 0; ) {
		n += r;
		if (cap - n - 1 == 0)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf)
		abort();
	if (ferror(fp) || n > max) {
		int e = n > max ? EFBIG : errno;
		free(buf);
		errno = e;
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

/* ScnSource.read: "-" is standard input as read once by opt_parse; any
 * other path (an include) is NULL: the loader reads it from the disk. */
static char *opt_read(void *ctx, const char *path, size_t *len)
{
	const Opts *o = ctx;
	if (!o->in || strcmp(path, "-"))
		return NULL;
	char *t = malloc(o->inlen + 1);
	if (!t)
		abort();
	memcpy(t, o->in, o->inlen + 1);
	*len = o->inlen;
	return t;
}

/* The scenario library `make install` put beside the running binary,
 * BINDIR/../share/tlbsim/scenarios, if that folder exists (so a moved
 * installation still finds its own); else NULL.  Malloc'd. */
static char *opt_libdir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 64);
	char *slash = n > 0 ? memchr(exe, '/', (size_t)n) : NULL;
	if (!slash)
		return NULL;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;                       /* BINDIR */
	strcat(exe, "/../share/tlbsim/scenarios");
	struct stat st;
	return stat(exe, &st) == 0 && S_ISDIR(st.st_mode) ? strdup(exe) : NULL;
}

static char *opt_input_words(const Opts *o, int ndirs);

/* After the options: the source of scenario text, and standard input
 * read if an argument is "-". */
static int opt_stdin(Opts *o)
{
	o->input_words = opt_input_words(o, o->ndirs);
	if ((o->libdir = opt_libdir()))
		o->dirs[o->ndirs++] = o->libdir;
	if (o->max_input == 0 || o->max_input > YFILE_MAX_INPUT_LIMIT >> 20)
		return opt_fail(o->cmd, "--max-input is in MB, from 1 to %u", YFILE_MAX_INPUT_LIMIT >> 20);
	size_t max = (size_t)o->max_input << 20;
	o->src = (ScnSource){ opt_read, o, 1, o->dirs, o->ndirs, max };
	for (int i = 0; i < o->nargs; i++)
		if (!strcmp(o->args[i], "-") && !(o->in = opt_slurp(stdin, max, &o->inlen))) {
			if (errno == EFBIG)
				fprintf(stderr, "-: larger than %zu MB, the bound on an input file%s\n", max >> 20,
				        max == YFILE_MAX_INPUT ? "" : " (--max-input)");
			else
				fprintf(stderr, "-: %s\n", strerror(errno));
			return 2;
		}
	return -1;
}

/* The usage error getopt's return c stands for (':' or '?'). */
static int opt_error(const OptSpec *spec, const OptTable *t, char **argv, int c)
{
	const char *word = argv[optind - 1];
	int k = opt_entry(t, optopt);
	if (c == ':' && k >= 0)
		return opt_fail(spec->cmd, "option '--%s' needs a value", t->lo[k].name);
	return opt_bad(spec->cmd, t, word, optopt);
}

/* Writes " WORD" at p, in single quotes (a ' as '\'') if it has other
 * than [A-Za-z0-9_./=:,+-]; returns the end (not NUL-terminated).  At
 * most 4 * strlen(a) + 3 bytes. */
static char *opt_word(char *p, const char *a)
{
	int plain = *a != 0 && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-") == strlen(a);
	*p++ = ' ';
	if (!plain)
		*p++ = '\'';
	for (; *a; a++)
		p = *a == '\'' && !plain ? p + sprintf(p, "'\\''") : (*p = *a, p + 1);
	if (!plain)
		*p++ = '\'';
	return p;
}

/* "tlbsim CMD ARG..." with each word that has other than [A-Za-z0-9_./=:,+-]
 * in single quotes (a ' as '\''), for the database's provenance. */
static char *opt_cmdline(const char *cmd, int argc, char **argv)
{
	size_t n = strlen("tlbsim ") + strlen(cmd) + 1;
	for (int i = 0; i < argc; i++)
		n += 4 * strlen(argv[i]) + 3;
	char *s = malloc(n), *p = s;
	if (!s)
		return NULL;
	p += sprintf(p, "tlbsim %s", cmd);
	for (int i = 0; i < argc; i++)
		p = opt_word(p, argv[i]);
	*p = 0;
	return s;
}

/* " -I DIR" for each -I (shell-quoted), then " --max-input N" if not the
 * default: what a command line that reads o's files again must repeat.
 * Malloc'd. */
static char *opt_input_words(const Opts *o, int ndirs)
{
	size_t n = 32;
	for (int i = 0; i < ndirs; i++)
		n += 4 * strlen(o->dirs[i]) + 8;
	char *s = malloc(n), *p = s;
	if (!s)
		abort();
	*p = 0;
	for (int i = 0; i < ndirs; i++)
		p = opt_word(p + sprintf(p, " -I"), o->dirs[i]);
	if (o->max_input != YFILE_MAX_INPUT >> 20)
		p += sprintf(p, " --max-input %" PRIu64, o->max_input);
	*p = 0;
	return s;
}

/* Half the machine's physical memory, in MB (4096 if unknown): the
 * default --max-memory, so a search stops with a message before the
 * machine swaps. */
static uint64_t opt_half_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (uint64_t)pages / 2 * (uint64_t)size >> 20 : 4096;
}

/* --shard I/N: 1 <= I <= N, both decimal, N at most a million. */
static int opt_shard(Opts *o)
{
	const char *s = o->shard;
	char *end;
	long i = *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : 0, n = 0;
	if (i > 0 && *end == '/' && end[1] >= '0' && end[1] <= '9')
		n = strtol(end + 1, &end, 10);
	if (i < 1 || n < 1 || *end || i > n || n > 1000000)
		return opt_fail(o->cmd, "--shard expects I/N with 1 <= I <= N (say 2/4), got '%s'", s);
	o->shard_i = (int)i;
	o->shard_n = (int)n;
	return -1;
}

/* --preemptions K: K decimal, 0 to 1000; not with --random (which
 * samples). */
static int opt_preemptions(Opts *o)
{
	const char *s = o->preempt_arg;
	char *end;
	long k = *s >= '0' && *s <= '9' ? strtol(s, &end, 10) : -1;
	if (k < 0 || *end || k > 1000)
		return opt_fail(o->cmd, "--preemptions expects a number of preemptions from 0 to 1000, got '%s'", s);
	if (o->random)
		return opt_fail(o->cmd, "--preemptions bounds an exhaustive search: it cannot be combined with --random%s", "");
	o->preemptions = (int)k;
	return -1;
}

int opt_parse(const OptSpec *spec, int argc, char **argv, Opts *o)
{
	OptTable t;
	int seen[OPT_NDEFS] = { 0 }, c, rc = -1;
	memset(o, 0, sizeof *o);
	o->cmd = spec->cmd;
	o->cmdline = opt_cmdline(spec->cmd, argc, argv);
	o->db = "tlbsim.db";
	o->max_states = 50000000;
	o->max_memory = opt_half_memory();
	o->max_input = YFILE_MAX_INPUT >> 20;
	o->preemptions = -1;
	opt_table(spec, &t);
	/* getopt wants argv[0] to be the program: the command name is */
	char **av = argv - 1;
	optind = 0;
	opterr = 0;
	while (rc < 0 && (c = getopt_long(argc + 1, av, t.shorts, t.lo, NULL)) != -1) {
		if (c == 1) {
			rc = opt_arg(spec, o, optarg);
			continue;
		}
		int k = c == '?' || c == ':' ? -1 : opt_entry(&t, c);
		if (k < 0)
			return opt_error(spec, &t, av, c);
		if (seen[t.def[k]]++ && opt_defs[t.def[k]].kind != OK_DIR)
			return opt_fail(spec->cmd, "option '--%s' given twice", t.lo[k].name);
		rc = opt_set(spec, o, t.def[k], optarg);
	}
	for (; rc < 0 && optind <= argc; optind++)     /* the words after "--" */
		rc = opt_arg(spec, o, av[optind]);
	if (rc < 0 && o->no_db && seen[opt_def_named("db", 2)])
		rc = opt_fail(spec->cmd, "--db and --no-db cannot both be given%s", "");
	if (rc < 0 && o->shard)
		rc = opt_shard(o);
	if (rc < 0 && o->preempt_arg)
		rc = opt_preemptions(o);
	if (rc < 0 && seen[opt_def_named("jobs", 4)] && (o->jobs < 1 || o->jobs > 1024))
		rc = opt_fail(spec->cmd, "--jobs expects a number of threads from 1 to 1024, got %d", o->jobs);
	if (rc < 0 && seen[opt_def_named("random", 6)] && (o->random < 1 || o->random > 1000000000))
		rc = opt_fail(spec->cmd, "--random expects a number of schedules from 1 to 1000000000, got %" PRIu64, o->random);
	if (rc < 0 && seen[opt_def_named("pct", 3)] && (o->pct < 1 || o->pct > 16))
		rc = opt_fail(spec->cmd, "--pct expects a bug depth from 1 to 16, got %d", o->pct);
	/* run's --seed jitters its latencies; the searches' seeds their samples */
	if (rc < 0 && o->seed && !o->random && strcmp(spec->cmd, "run"))
		rc = opt_fail(spec->cmd, "--seed is for --random (an exhaustive search has no randomness)%s", "");
	if (rc < 0 && o->pct && !o->random)
		rc = opt_fail(spec->cmd, "--pct needs --random N (PCT samples N schedules)%s", "");
	if (rc < 0 && o->symmetry && o->no_symmetry)
		rc = opt_fail(spec->cmd, "--symmetry and --no-symmetry cannot both be given%s", "");
	if (rc < 0 && o->random && (o->symmetry || o->states))
		rc = opt_fail(spec->cmd, "--random samples schedules: it takes no %s", o->symmetry ? "--symmetry" : "--states");
	if (rc < 0 && !o->jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = n < 1 ? 1 : n > 64 ? 64 : (int)n;
	}
	return rc < 0 && spec->files ? opt_stdin(o) : rc;
}

const ScnSource *opt_source(const Opts *o)
{
	return &o->src;
}

void opt_free(Opts *o)
{
	free(o->in);
	free(o->cmdline);
	free(o->libdir);
	free(o->input_words);
	o->libdir = NULL;
	o->input_words = NULL;
	o->in = NULL;
	o->cmdline = NULL;
}

/* sim/sched.c: parse and print schedule strings (see sim/sched.h). */
#include "sim/sched.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sched_format(const Choice *ch, int n, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = 0;
	for (int i = 0; i < n && k + 8 < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s%d", i ? " " : "",
		                      CH_IS_IPI(ch[i]) ? "i" : "", CH_CPU(ch[i]));
	return buf;
}

int sched_parse(const char *s, Choice **out, char *err, size_t errlen)
{
	int n = 0, cap = 16, tok = 0;
	Choice *v = malloc(sizeof *v * (size_t)cap);
	if (!v)
		abort();
	while (*s) {
		while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		tok++;
		const char *start = s;
		int ipi = (*s == 'i');
		s += ipi;
		if (!isdigit((unsigned char)*s)) {
			snprintf(err, errlen, "schedule: token %d '%.*s': expected N (CPU#N steps) or iN (CPU#N takes its IPIs)",
			         tok, (int)strcspn(start, " ,\t\n"), start);
			free(v);
			return -1;
		}
		long c = strtol(s, (char **)&s, 10);
		if (c >= MAX_CPUS || (*s && !strchr(" ,\t\n", *s))) {
			snprintf(err, errlen, "schedule: token %d '%.*s': not a CPU number", tok,
			         (int)strcspn(start, " ,\t\n"), start);
			free(v);
			return -1;
		}
		if (n == cap && !(v = realloc(v, sizeof *v * (size_t)(cap *= 2))))
			abort();
		v[n++] = ipi ? CH_IPI(c) : CH_STEP(c);
	}
	*out = v;
	return n;
}

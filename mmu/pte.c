/* mmu/pte.c: printing PTEs the way a kernel developer reads them. */
#include "mmu/pte.h"
#include <stdio.h>
#include <inttypes.h>

char *pt_format(pte_t p, char *buf, size_t len)
{
	snprintf(buf, len, "0x%" PRIx64, p);
	return buf;
}

char *pt_describe(pte_t p, char *buf, size_t len)
{
	static const struct { pte_t bit; const char *name; } bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "U" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" },
	};
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if ((p & bits[i].bit) && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", bits[i].name);
	if (n < len)
		snprintf(buf + n, len - n, "%spfn=%" PRIu64, n ? " " : "", pte_pfn(p));
	return buf;
}

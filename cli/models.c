/* cli/models.c: tlbsim models: the dirty-bit models of each architecture
 * (cpus/dirty.c, mmu/arch.c). */
#include "cli/cli.h"
#include "cpus/dirty.h"
#include <inttypes.h>
#include <stdio.h>

const OptSpec cmd_models_spec = { "models",
	"usage: tlbsim models\n\n"
	"The dirty-bit models a CPU can have and the PTE bits, per architecture, with\n"
	"their sources.\n\n"
	"options:\n"
	"  -h, --help            this text\n",
	"", 0 };

/* An architecture's PTE bit names and values, three to a line (the names
 * pte.prot lists and expressions use). */
static void models_arch_bits(const Arch *a)
{
	int n = 0;
	printf("  PTE bits:");
	for (const ArchBit *b = a->bits; b->name; b++, n++) {
		char hex[24];
		int last = n % 3 == 2 || !b[1].name;    /* no padding ends a line */
		snprintf(hex, sizeof hex, "0x%" PRIx64, b->mask);
		printf("%s%-19s %-*s", n % 3 ? "  " : "\n    ", b->name, last ? 0 : 18, hex);
	}
	printf("\n");
}

int cmd_models(int argc, char **argv)
{
	Opts o;
	int rc = opt_parse(&cmd_models_spec, argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs)
		return opt_usage("models", "takes no arguments, got '%s'", o.args[0]);
	for (int a = 0; arch_at(a); a++) {
		printf("%s%s (%s):\n", a ? "\n" : "", arch_at(a)->name, arch_at(a)->source);
		for (int i = 0; dirty_model_of(arch_at(a), i); i++)
			printf("  %-16s %s\n", dirty_model_of(arch_at(a), i)->name, dirty_model_of(arch_at(a), i)->summary);
		models_arch_bits(arch_at(a));
	}
	return 0;
}

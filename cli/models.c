/* cli/models.c: tlbsim models: the dirty-bit models of each architecture
 * (cpus/dirty.c, mmu/arch.c). */
#include "cli/cli.h"
#include "cpus/dirty.h"
#include <stdio.h>

const OptSpec cmd_models_spec = { "models",
	"usage: tlbsim models\n\n"
	"The dirty-bit models a CPU can have, per architecture, with their sources.\n\n"
	"options:\n"
	"  -h, --help            this text\n",
	"", 0 };

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
	}
	return 0;
}

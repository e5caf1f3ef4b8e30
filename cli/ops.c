/* cli/ops.c: tlbsim ops: the primitive steps, from sim/ops.def (the same
 * table the compiler uses); --markdown writes docs/steps.md. */
#include "cli/cli.h"
#include "sim/program.h"
#include <stdio.h>

const OptSpec cmd_ops_spec = { "ops",
	"usage: tlbsim ops [options]\n\n"
	"The primitive steps, from the same table the compiler uses: name, operands and\n"
	"meaning, one per line.\n\n"
	"options:\n"
	"      --markdown        the reference as Markdown (docs/steps.md)\n"
	"  -h, --help            this text\n",
	"markdown", 0 };

int cmd_ops(int argc, char **argv)
{
	Opts o;
	int rc = opt_parse(&cmd_ops_spec, argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.nargs)
		return opt_usage("ops", "takes no arguments, got '%s'", o.args[0]);
	if (o.markdown) {
		prog_ops_markdown(stdout);
		return 0;
	}
	for (int i = 0; i < OP__COUNT; i++)
		if (prog_op_is_step(i))
			printf("%-24s %-6s %s\n", prog_ops[i].name, prog_ops[i].args, prog_ops[i].doc);
	return 0;
}

/* cli/list.c: tlbsim list: the compiled step program (like EXPLAIN). */
#include "cli/cli.h"
#include "scenarios/compile.h"
#include <stdio.h>

const OptSpec cmd_list_spec = { "list",
	"usage: tlbsim list [options] FILE\n\n"
	"Prints the compiled step program, one step per line with its source line.\n"
	"FILE '-' reads the scenario from standard input.\n\n"
	"options:\n"
	"  -v, --variant V       compile variant V (default: the scenario's first)\n"
	"  -h, --help            this text\n",
	"variant", 1 };

int cmd_list(int argc, char **argv)
{
	Opts o;
	char err[1024];
	int rc = opt_parse(&cmd_list_spec, argc, argv, &o);
	if (rc >= 0)
		return opt_free(&o), rc;
	Program *P = NULL;
	rc = 2;
	if (o.nargs != 1)
		opt_usage("list", "expected one scenario FILE%s", "");
	else if (!(P = scn_compile(o.args[0], o.variant, opt_source(&o), err, sizeof err)))
		fprintf(stderr, "%s\n", err);
	else
		rc = 0;
	if (P)
		prog_list(P, stdout);
	prog_free(P);
	opt_free(&o);
	return rc;
}

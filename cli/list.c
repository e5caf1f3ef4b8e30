/* cli/list.c: tlbsim list: the compiled step program (like EXPLAIN). */
#include "cli/cli.h"
#include "scenarios/compile.h"
#include "sim/symmetry.h"
#include <string.h>
#include <stdio.h>

const OptSpec cmd_list_spec = { "list",
	"usage: tlbsim list [options] FILE\n\n"
	"Prints the compiled step program, one step per line with its source line,\n"
	"then the CPUs machine.symmetric declares interchangeable (if it does) and\n"
	"those explore --symmetry finds (symmetry: CPU#1-3 interchangeable, or none).\n"
	"A scenario whose machine.arch lists several architectures is compiled for\n"
	"each, each program under a line '== machine.arch NAME'.\n"
	"FILE '-' reads the scenario from standard input.\n\n"
	"options:\n"
	"  -v, --variant V       compile variant V (default: the scenario's first)\n"
	CLI_HELP_INPUT
	"  -h, --help            this text\n",
	"variant include-dir max-input", 1 };

/* list's last line(s): the CPUs the scenario declares interchangeable
 * (machine.symmetric), then those explore --symmetry would find, once if
 * every model of the scenario gives the same. */
static void list_symmetry(const Program *P)
{
	char first[600], buf[512];
	int same = 1;
	if (P->symmetric)
		printf("symmetric (machine.symmetric): %s: explore, check and compare reduce by CPU symmetry unless "
		       "--no-symmetry\n", sym_format(&P->symmetric, 1, buf, sizeof buf));
	for (int m = 0; m < P->nmodels; m++) {
		const char *d = sym_describe(P, P->models[m], buf, sizeof buf);
		if (m == 0)
			snprintf(first, sizeof first, "%s%s", d ? "" : "not known: ", buf);
		else
			same &= d && !strcmp(buf, first);
	}
	for (int m = 0; m < P->nmodels && !same; m++) {
		const char *d = sym_describe(P, P->models[m], buf, sizeof buf);
		printf("symmetry under %s: %s%s\n", P->models[m], d ? "" : "not known: ", buf);
	}
	if (same && P->nmodels)
		printf("symmetry: %s\n", first);
}

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
	for (int a = 0; P && !rc; a++) {
		if (P->narchs > 1)
			printf("%s== machine.arch %s\n", a ? "\n" : "", P->arch->name);
		prog_list(P, stdout);
		list_symmetry(P);
		if (a + 1 >= P->narchs)
			break;
		Program *next = scn_compile_arch(o.args[0], o.variant, P->archs[a + 1]->name, opt_source(&o), err, sizeof err);
		if (!next)
			fprintf(stderr, "%s\n", err), rc = 2;
		prog_free(P);
		P = next;
	}
	prog_free(P);
	opt_free(&o);
	return rc;
}

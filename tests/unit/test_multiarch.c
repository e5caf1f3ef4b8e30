/* tests/unit/test_multiarch.c: scenarios of several architectures
 * (machine.arch as a list): dirty-bit model names are unique across
 * architectures (so --model and the database's model column name the
 * architecture too), each compile takes its architecture's models and
 * constants, and an unlisted architecture falls back to the first. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cpus/dirty.h"
#include "scenarios/compile.h"

static const char *const SCN = "scenarios/mkclean_archs.yaml";

/* The invariant --model relies on: no two models share a name. */
static void test_model_names_unique(void **state)
{
	(void)state;
	for (int i = 0; dirty_model(i); i++) {
		for (int j = i + 1; dirty_model(j); j++)
			assert_string_not_equal(dirty_model(i)->name, dirty_model(j)->name);
		assert_ptr_equal(dirty_find(dirty_model(i)->name), dirty_model(i));
		assert_string_equal(scn_model_arch(dirty_model(i)->name), dirty_model(i)->arch);
	}
	assert_null(scn_model_arch("no-such-model"));
	assert_null(scn_model_arch(NULL));
}

/* One compile per listed architecture, each with its own models (in
 * machine.models order) and the same list of every listed model. */
static void test_compile_per_arch(void **state)
{
	static const char *const archs[] = { "x86", "arm64", "riscv" };
	static const char *const first[] = { "validating", "hafdbs", "svadu" };
	char err[512];
	(void)state;
	for (int a = 0; a < 3; a++) {
		Program *P = scn_compile_arch(SCN, "old", archs[a], NULL, err, sizeof err);
		assert_non_null(P);
		assert_string_equal(P->arch->name, archs[a]);
		assert_int_equal(P->narchs, 3);
		assert_int_equal(P->nlisted, 10);
		assert_int_equal(P->nmodels, a == 0 ? 4 : 3);
		assert_string_equal(P->models[0], first[a]);
		for (int m = 0; m < P->nmodels; m++)
			assert_string_equal(dirty_find(P->models[m])->arch, archs[a]);
		prog_free(P);
	}
}

/* NULL or an architecture the list lacks: the first listed. */
static void test_compile_fallback(void **state)
{
	char err[512];
	(void)state;
	Program *P = scn_compile(SCN, NULL, NULL, err, sizeof err);
	assert_non_null(P);
	assert_string_equal(P->arch->name, "x86");
	prog_free(P);
	P = scn_compile_arch("scenarios/mkclean.yaml", NULL, "arm64", NULL, err, sizeof err);
	assert_non_null(P);
	assert_string_equal(P->arch->name, "x86");
	assert_int_equal(P->narchs, 1);
	assert_int_equal(P->nmodels, P->nlisted);
	prog_free(P);
}

/* cpus[].model as a mapping: each compile takes its architecture's
 * model, and the run's (-1) where the mapping has none. */
static void test_cpu_model_map(void **state)
{
	static const char *const archs[] = { "x86", "arm64", "riscv" };
	static const char *const fixed[] = { "blind", "nonatomic-arm64", NULL };
	char err[512];
	(void)state;
	for (int a = 0; a < 3; a++) {
		Program *P = scn_compile_arch("tests/data/cpu_model_map.yaml", NULL, archs[a], NULL, err, sizeof err);
		assert_non_null(P);
		assert_int_equal(P->cpus[0].model, -1);
		if (fixed[a])
			assert_ptr_equal(dirty_model(P->cpus[1].model), dirty_find(fixed[a]));
		else
			assert_int_equal(P->cpus[1].model, -1);
		prog_free(P);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_names_unique),
		cmocka_unit_test(test_compile_per_arch),
		cmocka_unit_test(test_compile_fallback),
		cmocka_unit_test(test_cpu_model_map),
	};
	return cmocka_run_group_tests_name("multiarch", tests, NULL, NULL);
}

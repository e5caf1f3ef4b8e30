build-san/scenarios/compile.o: scenarios/compile.c scenarios/compile.h \
 sim/program.h sim/ops.def scenarios/yaml.h cpus/dirty.h mmu/pte.h \
 mmu/mem.h
scenarios/compile.h:
sim/program.h:
sim/ops.def:
scenarios/yaml.h:
cpus/dirty.h:
mmu/pte.h:
mmu/mem.h:

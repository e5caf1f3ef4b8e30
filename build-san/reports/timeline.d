build-san/reports/timeline.o: reports/timeline.c reports/timeline.h \
 sim/exec.h sim/world.h mmu/mem.h mmu/pte.h cpus/tlb.h sim/program.h \
 sim/ops.def cpus/dirty.h
reports/timeline.h:
sim/exec.h:
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:
cpus/dirty.h:

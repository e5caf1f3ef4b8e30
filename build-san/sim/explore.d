build-san/sim/explore.o: sim/explore.c sim/explore.h sim/exec.h \
 sim/world.h mmu/mem.h mmu/pte.h cpus/tlb.h sim/program.h sim/ops.def \
 cpus/dirty.h
sim/explore.h:
sim/exec.h:
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:
cpus/dirty.h:

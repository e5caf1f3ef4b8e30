build-san/sim/exec.o: sim/exec.c sim/exec.h sim/world.h mmu/mem.h \
 mmu/pte.h cpus/tlb.h sim/program.h sim/ops.def cpus/dirty.h
sim/exec.h:
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:
cpus/dirty.h:

build-san/sim/world.o: sim/world.c sim/world.h mmu/mem.h mmu/pte.h \
 cpus/tlb.h sim/program.h sim/ops.def
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:

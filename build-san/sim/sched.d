build-san/sim/sched.o: sim/sched.c sim/sched.h sim/exec.h sim/world.h \
 mmu/mem.h mmu/pte.h cpus/tlb.h sim/program.h sim/ops.def cpus/dirty.h
sim/sched.h:
sim/exec.h:
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:
cpus/dirty.h:

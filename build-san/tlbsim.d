build-san/tlbsim.o: tlbsim.c sim/explore.h sim/exec.h sim/world.h \
 mmu/mem.h mmu/pte.h cpus/tlb.h sim/program.h sim/ops.def cpus/dirty.h \
 sim/run.h sim/sched.h scenarios/compile.h scenarios/yaml.h \
 reports/timeline.h reports/judge.h reports/db.h reports/matrix.h
sim/explore.h:
sim/exec.h:
sim/world.h:
mmu/mem.h:
mmu/pte.h:
cpus/tlb.h:
sim/program.h:
sim/ops.def:
cpus/dirty.h:
sim/run.h:
sim/sched.h:
scenarios/compile.h:
scenarios/yaml.h:
reports/timeline.h:
reports/judge.h:
reports/db.h:
reports/matrix.h:

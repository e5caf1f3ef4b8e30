build-san/sim/program.o: sim/program.c sim/program.h sim/ops.def
sim/program.h:
sim/ops.def:

build-san/reports/judge.o: reports/judge.c reports/judge.h sim/program.h \
 sim/ops.def
reports/judge.h:
sim/program.h:
sim/ops.def:

build-san/cpus/tlb.o: cpus/tlb.c cpus/tlb.h
cpus/tlb.h:

build-san/cpus/dirty.o: cpus/dirty.c cpus/dirty.h mmu/pte.h
cpus/dirty.h:
mmu/pte.h:

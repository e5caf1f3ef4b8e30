build-san/mmu/mem.o: mmu/mem.c mmu/mem.h mmu/pte.h
mmu/mem.h:
mmu/pte.h:

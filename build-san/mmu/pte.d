build-san/mmu/pte.o: mmu/pte.c mmu/pte.h
mmu/pte.h:

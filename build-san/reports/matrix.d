build-san/reports/matrix.o: reports/matrix.c reports/matrix.h
reports/matrix.h:

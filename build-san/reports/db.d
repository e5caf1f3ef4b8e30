build-san/reports/db.o: reports/db.c reports/db.h reports/matrix.h
reports/db.h:
reports/matrix.h:

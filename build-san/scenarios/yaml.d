build-san/scenarios/yaml.o: scenarios/yaml.c scenarios/yaml.h
scenarios/yaml.h:

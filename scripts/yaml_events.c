/* The reference of `make bench-lint` (issue 15): a small C program that reads
 * each file named on standard input (one path per line) and pulls every
 * libyaml event from it, single-threaded, as fast as libyaml goes. Prints the
 * wall seconds of the best of REPEAT rounds and the events counted.
 *
 *     find DIR -name '*.yaml' | ./yaml_events [REPEAT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int repeat = argc > 1 ? atoi(argv[1]) : 3;
    size_t count = 0, capacity = 1024;
    char **paths = malloc(capacity * sizeof *paths);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!*line) continue;
        if (count == capacity) paths = realloc(paths, (capacity *= 2) * sizeof *paths);
        paths[count++] = strdup(line);
    }
    double best = 1e9;
    long events = 0;
    for (int round = 0; round < repeat; round++) {
        double start = now();
        events = 0;
        for (size_t i = 0; i < count; i++) {
            FILE *file = fopen(paths[i], "rb");
            if (!file) { perror(paths[i]); return 1; }
            yaml_parser_t parser;
            yaml_parser_initialize(&parser);
            yaml_parser_set_input_file(&parser, file);
            yaml_event_t event;
            for (;;) {
                if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "%s: %s\n", paths[i], parser.problem); break; }
                yaml_event_type_t type = event.type;
                yaml_event_delete(&event);
                events++;
                if (type == YAML_STREAM_END_EVENT) break;
            }
            yaml_parser_delete(&parser);
            fclose(file);
        }
        double elapsed = now() - start;
        if (elapsed < best) best = elapsed;
    }
    printf("%.3f s, %zu files, %ld events\n", best, count, events);
    return 0;
}

/* The floor for reading a return: libcsv tokenizing the file in 64 KiB chunks, counting fields and rows,
   nothing else. cts validate is measured against this. Build: cc -O2 csvfloor.c -lcsv */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static size_t fields, rows;
static void on_field(void *s, size_t len, void *data) { (void)s; (void)len; (void)data; fields++; }
static void on_row(int c, void *data) { (void)c; (void)data; rows++; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: csvfloor FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) { fprintf(stderr, "parse error\n"); return 1; }
    }
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    fclose(f);
    printf("%zu rows, %zu fields\n", rows, fields);
    return 0;
}

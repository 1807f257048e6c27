/* The floor for storing cells: every row of a return inserted into SQLite with one prepared statement in
   one transaction, parsed by libcsv, with no checks. cts ingest is measured against this.
   Build: cc -O2 sqlitefloor.c -lcsv -lsqlite3 */
#include <csv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *insert;
static int field, header = 1;
static size_t rows;

static void on_field(void *s, size_t len, void *data) {
    (void)data;
    if (!header && field < 10) sqlite3_bind_text(insert, field + 1, s ? s : "", (int)len, SQLITE_TRANSIENT);
    field++;
}

static void on_row(int c, void *data) {
    (void)c; (void)data;
    if (header) header = 0;
    else { sqlite3_step(insert); sqlite3_reset(insert); rows++; }
    field = 0;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: sqlitefloor FILE DB\n"); return 2; }
    sqlite3 *db;
    remove(argv[2]);
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) return 2;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE cell (country TEXT, year INTEGER, table_id TEXT, "
                     "variable TEXT, sex TEXT, age TEXT, citizenship TEXT, value TEXT, status TEXT, note TEXT);"
                     "BEGIN;", NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO cell VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &insert, NULL);
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) csv_parse(&p, buf, n, on_field, on_row, NULL);
    csv_fini(&p, on_field, on_row, NULL);
    sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    printf("%zu rows inserted\n", rows);
    return 0;
}

/* Exchange CSV logs (HttpProxy, ECP, Rps_Http, Rps_Cmdlet, ...) and CSV exports of them.
 *
 * Layout of an Exchange CSV log (catalogue 1.3):
 *   [bare CSV header line]          optional, e.g. "DateTime,RequestId,..."
 *   #Software: Microsoft Exchange Server
 *   #Version: 15.01.2375.007
 *   #Log-type: HttpProxy Logs
 *   #Date: 2023-01-06T11:00:05.327Z
 *   #Fields: DateTime,RequestId,...  authoritative when present
 *   rows: RFC 4180 fields, "" inside quotes, CRLF or LF, UTF-8 with an optional BOM.
 *
 * Columns are resolved by name, case-insensitively. Duplicated names keep their first
 * position under the plain name and get "name#2", "name#3" for later ones; empty names
 * become "#<position>". Nothing here allocates: a schema is a fixed-size value.
 */
#ifndef XS_PARSERS_CSV_H
#define XS_PARSERS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"
#include "core/str.h"

typedef struct xs_csv_row {
    xs_str f[XS_MAX_FIELDS];
    size_t n;
    bool merged;    /* more than XS_MAX_FIELDS fields: the rest is inside the last one */
    bool bad_quote; /* a quote was not closed, or text followed a closing quote */
} xs_csv_row;

/* Splits one line (without its line break; a trailing CR is dropped) into row. Quoted fields
 * containing doubled quotes are unescaped into scratch, which must hold len bytes; the
 * fields point into line or scratch. Never fails: malformed quoting is flagged. */
void xs_csv_split(const char *line, size_t len, xs_csv_row *row, char *scratch);

/* Strips a UTF-8 BOM at the start of s. */
xs_str xs_strip_bom(xs_str s);

#define XS_CSV_NAMES_BYTES (XS_MAX_FIELDS * 24)

typedef struct xs_csv_schema {
    size_t n;
    unsigned short off[XS_MAX_FIELDS]; /* name i is names + off[i] */
    unsigned char len[XS_MAX_FIELDS];
    char names[XS_CSV_NAMES_BYTES];
    size_t used;
    size_t renamed; /* duplicated or empty names given a synthetic name */
} xs_csv_schema;

/* Builds a schema from a header row's fields. Names longer than XS_MAX_FIELD_NAME are cut;
 * when the name area runs short, later columns get positional names ("#<position>"), for
 * which room is always kept. */
void xs_csv_schema_set(xs_csv_schema *s, const xs_csv_row *header);

/* Copies the used part of a schema. */
void xs_csv_schema_copy(xs_csv_schema *dst, const xs_csv_schema *src);
/* Builds a schema from a comma-separated literal list (for default layouts). */
void xs_csv_schema_set_list(xs_csv_schema *s, const char *list);
/* Position of the first column named name (ASCII case-insensitive), or -1. */
int xs_csv_schema_find(const xs_csv_schema *s, const char *name);
xs_str xs_csv_schema_name(const xs_csv_schema *s, size_t i);

/* The field at position i, or an empty span when the row is shorter or i < 0. */
static inline xs_str xs_csv_get(const xs_csv_row *r, int i)
{
    return (i >= 0 && (size_t)i < r->n) ? r->f[i] : XS_STR_NULL;
}

/* True when every field looks like a column name, not data: the signature of a bare header.
 * (No field is a timestamp or a number, at least two fields, names made of name characters.) */
bool xs_csv_looks_like_header(const xs_csv_row *r);

/* Default column lists for files without a header (catalogue 1.3-1.5). */
extern const char xs_csv_fields_httpproxy[];
extern const char xs_csv_fields_ecp[];
extern const char xs_csv_fields_rpshttp[];
extern const char xs_csv_fields_rpscmdlet[];

#endif

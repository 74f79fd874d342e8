/* Per-file state shared by the log readers (internal to lib/logs/). */
#ifndef EXS_LOGS_STATE_H
#define EXS_LOGS_STATE_H

#include <stdbool.h>

#include "core/limits.h"
#include "detectors/detect.h"
#include "logs/kinds.h"
#include "parsers/json.h"
#include "parsers/csv.h"
#include "parsers/w3c.h"

/* Columns a reader may need, resolved by name whenever the schema changes. */
enum exs_col {
    C_TIME, C_IP, C_UA, C_METHOD, C_HOST, C_STEM, C_QUERY, C_STATUS, C_USER, C_ANCHOR,
    C_ROUTING, C_PROTOCOL, C_ISAUTH, C_AUTHTYPE, C_CLIENTINFO, C_GENERICINFO, C_CMDLET,
    C_PARAMS, C_CLIENTAPP, C_RESULT, C_EVENTDATA, C__COUNT
};

#define EXS_SCHEMA_CACHE_TEXT 4096  /* longest header text whose schema is kept between files */

/* The CSV schema of the last file read, kept across files (exs_logstate_reset leaves it): the
 * hourly logs of one folder repeat their header, and building a schema (names, duplicates,
 * column bindings) was a tenth of the time of a small log file. */
typedef struct exs_schema_cache {
    bool valid;
    exs_kind kind;
    bool header;            /* the text is a header row (exs_csv_looks_like_header) */
    size_t len;
    char text[EXS_SCHEMA_CACHE_TEXT];
    exs_csv_schema schema;
    int col[C__COUNT];
} exs_schema_cache;

struct exs_logstate {
    exs_kind kind;
    /* CSV */
    exs_csv_schema schema;
    bool have_schema;
    bool fields_directive; /* a #Fields line was seen: it wins over bare headers */
    int col[C__COUNT];
    exs_csv_row row;
    unsigned schema_changes;
    size_t schema_renamed;  /* duplicated/empty column names in the current schema */
    bool warned_names;      /* ...reported once per file */
    unsigned long fields_hash;
    bool warned_wide;      /* the EXS_MAX_FIELDS warning was given for this file */
    exs_schema_cache cache;
    /* W3C */
    exs_w3c_schema w3c;
    exs_w3c_row wrow;
    char last_sip[64];     /* the server address (s-ip) last noted for this file */
    /* JSON event exports */
    exs_json_pair *pairs;        /* EXS_EVTX_MAX_FIELDS */
    exs_event_field *evfields;   /* EXS_EVTX_MAX_FIELDS */
    exs_event_state ev;
    /* unescaping and decoding room, 2 * EXS_MAX_LINE */
    char *scratch;
};

/* Sets the default column layout of the state's kind, then binds columns. */
void exs_csvlog_default_schema(exs_logstate *st);

#endif

/* EVTX (Windows XML event log) reader: a streaming, bounded parser.
 *
 * The reader pulls bytes through a read callback, one 64 KiB chunk at a time, so it works the
 * same for a plain file and for an archive member: it never seeks and never loads the whole
 * file. Every record is handed to a callback as a flat, already-decoded view (System fields,
 * EventData/UserData as name/value pairs, and a compact XML-ish text). Hostile input is never
 * an error of the call: it is counted in xs_evtx_stats and the reader goes on.
 *
 * Memory: one reader owns fixed-capacity buffers (see the EVTX section of core/limits.h) that
 * are reused for every chunk and record; nothing is allocated per record. A reader is not
 * thread-safe: give each worker its own.
 *
 * Format notes and the libevtx comparison: docs/evtx.md.
 */
#ifndef XS_PARSERS_EVTX_H
#define XS_PARSERS_EVTX_H

#include <stddef.h>
#include <stdint.h>

#include "exsweep/error.h"

/* Like read(2): up to n bytes into buf, 0 at end of input, <0 on error. Short reads are fine. */
typedef long (*xs_evtx_read_fn)(void *ctx, void *buf, size_t n);

/* One EventData/UserData value. name and value are NUL-terminated UTF-8. The layout is two
 * (pointer, length) pairs, that of the detectors' xs_event_field, so the scanner hands the
 * fields over without copying them (checked at compile time in lib/scan/worker.c). */
typedef struct xs_evtx_field {
    const char *name; /* Data@Name, else the element name ("Data", "string", ...) */
    size_t name_len;
    const char *value; /* "" for an empty element */
    size_t value_len;
} xs_evtx_field;

/* Record flags */
#define XS_EVTX_REC_RECOVERED 0x1u /* found in chunk slack space or in a damaged chunk */
#define XS_EVTX_REC_TRUNCATED 0x2u /* text, a value or the field list was cut at a cap */
#define XS_EVTX_REC_BAD_CRC 0x4u   /* its chunk failed a checksum: data used anyway */

/* A decoded record. Every pointer is valid only during the record callback. Strings are
 * NUL-terminated UTF-8 ("" when absent); UTF-16 errors become U+FFFD. */
typedef struct xs_evtx_record {
    uint64_t record_id;       /* record header identifier (renumbered in saved/filtered logs) */
    uint64_t event_record_id; /* System/EventRecordID, 0 when absent */
    int64_t time_ms;          /* System/TimeCreated/@SystemTime, Unix ms UTC; else written_ms */
    int64_t written_ms;       /* record header time, Unix ms UTC; INT64_MIN (no time) when 0 */
    uint32_t event_id;        /* System/EventID text */
    uint32_t qualifiers;      /* System/EventID/@Qualifiers when has_qualifiers */
    uint8_t has_qualifiers;
    uint8_t level;         /* System/Level */
    uint32_t flags;        /* XS_EVTX_REC_* */
    uint64_t chunk_index;  /* 0-based chunk number in the stream */
    uint32_t chunk_offset; /* record offset inside its chunk */
    const char *provider;  /* System/Provider/@Name (else @EventSourceName) */
    const char *channel;
    const char *computer;
    size_t provider_len, channel_len, computer_len;
    const xs_evtx_field *fields; /* EventData then UserData leaves, in document order */
    size_t nfields;
    const char *text; /* compact XML-ish rendering; values are NOT XML-escaped */
    size_t text_len;
} xs_evtx_record;

/* Return EXS_OK to go on; anything else stops the run, which returns that code. */
typedef exs_rc (*xs_evtx_record_fn)(void *ctx, const xs_evtx_record *rec);

/* What a run saw. Counters only ever grow during a run; a new run starts from zero. */
typedef struct xs_evtx_stats {
    uint64_t bytes;              /* bytes read from the stream */
    uint64_t chunks;             /* chunks with the ElfChnk signature */
    uint64_t chunks_past_header; /* of which beyond the header's chunk count (stale header) */
    uint64_t chunks_empty;       /* all-zero chunk-sized blocks */
    uint64_t chunks_bad;         /* chunk-sized blocks with no signature (scanned for records) */
    uint64_t records;            /* records delivered, recovered ones included */
    uint64_t recovered;          /* records found in slack space or damaged chunks */
    uint64_t checksum_errors;    /* sum of the three below */
    uint64_t header_crc_errors;  /* file header CRC mismatch (0 or 1) */
    uint64_t chunk_crc_errors;   /* chunk header CRC mismatches */
    uint64_t data_crc_errors;    /* chunk record-data CRC mismatches */
    uint64_t bad_records;        /* skipped: bad signature, size, size copy or BinXML */
    uint64_t name_hash_errors;   /* names whose stored hash does not match them: damage; live
                                    records use them anyway, recovered records are dropped */
    uint64_t templates;          /* template definitions compiled (each once per chunk) */
    uint64_t templates_forward;  /* of which referenced before the record defining them:
                                    Windows never writes that; decoded anyway, from the chunk */
    uint64_t missing_templates;  /* skipped: template absent or unreadable */
    uint64_t limit_hits;         /* skipped: depth, substitution, work or memory cap */
    uint64_t truncated_records;  /* delivered with XS_EVTX_REC_TRUNCATED */
    uint32_t header_chunks;      /* chunk count stated by the file header */
    uint16_t major_version;
    uint16_t minor_version;
    uint8_t has_header;    /* 0: the stream started with a bare chunk */
    uint8_t dirty;         /* header flag 0x1: not closed cleanly (copied from a live system) */
    uint8_t full;          /* header flag 0x2 */
    uint8_t truncated;     /* the stream ended inside the header or a chunk */
    uint8_t chunk_cap_hit; /* the chunk cap (XS_EVTX_MAX_CHUNKS, or the reader's own, see
                              xs_evtx_reader_set_max_chunks) was reached with bytes left:
                              the rest was not read */
} xs_evtx_stats;

/* Reader flags */
#define XS_EVTX_NO_TEXT 0x1u     /* leave xs_evtx_record.text empty (faster) */
#define XS_EVTX_NO_RECOVERY 0x2u /* do not scan slack space or damaged chunks */
#define XS_EVTX_NO_CRC 0x4u      /* do not verify checksums (faster; counters stay 0) */

typedef struct xs_evtx_reader xs_evtx_reader;

/* A reader with the given XS_EVTX_* flags in *out; destroy it with xs_evtx_reader_destroy.
 * EXS_ENOMEM or EXS_EINVAL (out NULL). */
exs_rc xs_evtx_reader_create(xs_evtx_reader **out, unsigned flags);

/* Chunks read per stream before the run stops with chunk_cap_hit; 0 restores the default,
 * XS_EVTX_MAX_CHUNKS. For tests, which cannot write 64 GiB to reach it. */
void xs_evtx_reader_set_max_chunks(xs_evtx_reader *r, uint64_t max_chunks);

/* Frees r and everything it owns. Accepts NULL. */
void xs_evtx_reader_destroy(xs_evtx_reader *r);

/* Reads one EVTX stream to its end, calling cb for every record. stats (may be NULL) is
 * zeroed first and filled as the run goes. Returns EXS_OK at end of stream, EXS_EFORMAT when
 * the stream starts with neither a file header nor a chunk, EXS_EIO when read fails (stats
 * keep what was read), EXS_EINVAL when r, read or cb is NULL, or the first non-EXS_OK code
 * returned by cb. The reader may be run again on another stream. */
exs_rc xs_evtx_reader_run(xs_evtx_reader *r, xs_evtx_read_fn read, void *read_ctx,
                           xs_evtx_record_fn cb, void *cb_ctx, xs_evtx_stats *stats);

/* 1 when p starts with the EVTX file header magic "ElfFile\0" or a bare chunk "ElfChnk\0".
 * Looks at most at 8 bytes. */
int xs_evtx_sniff(const void *p, size_t n);

/* FILETIME (100 ns ticks since 1601) to Unix milliseconds; INT64_MIN (EXS_TIME_NONE) for 0,
 * which stands for no time. */
int64_t xs_evtx_filetime_to_ms(uint64_t filetime);

/* CRC-32 (IEEE, as zlib) of n bytes, continuing from crc (0 to start). */
uint32_t xs_evtx_crc32(uint32_t crc, const void *p, size_t n);

#endif

/* Test-suite EVTX writer: valid EVTX files from events described in C, so that tests never
 * depend on third-party logs.
 *
 * Files look like Windows writes them: a file header, 64 KiB chunks with string and template
 * tables, one template per event shape per chunk (defined inline by its first record,
 * referenced by offset afterwards), names inline at first use and by offset afterwards, every
 * CRC right. UserData goes in as a nested BinXML value (type 0x21), as Windows does for
 * events whose payload is not EventData.
 *
 * For malformed or unusual records there is a low-level BinXML builder (xs_evtxw_raw_begin
 * and the xs_evtxw_bx_* calls) that writes straight into the current chunk, so that inline
 * names and templates get the right absolute offsets.
 *
 * Errors are sticky: after a failure (out of memory, a record that cannot fit in a chunk)
 * every call is a no-op and xs_evtxw_finish returns -1.
 */
#ifndef XS_TESTS_EVTXWRITER_H
#define XS_TESTS_EVTXWRITER_H

#include <stddef.h>
#include <stdint.h>

/* EVTX value types used in tests. */
enum {
    XS_EVTXW_NULL = 0x00,
    XS_EVTXW_STRING = 0x01,
    XS_EVTXW_ANSI = 0x02,
    XS_EVTXW_INT8 = 0x03,
    XS_EVTXW_UINT8 = 0x04,
    XS_EVTXW_INT16 = 0x05,
    XS_EVTXW_UINT16 = 0x06,
    XS_EVTXW_INT32 = 0x07,
    XS_EVTXW_UINT32 = 0x08,
    XS_EVTXW_INT64 = 0x09,
    XS_EVTXW_UINT64 = 0x0a,
    XS_EVTXW_REAL32 = 0x0b,
    XS_EVTXW_REAL64 = 0x0c,
    XS_EVTXW_BOOL = 0x0d,
    XS_EVTXW_BINARY = 0x0e,
    XS_EVTXW_GUID = 0x0f,
    XS_EVTXW_SIZET = 0x10,
    XS_EVTXW_FILETIME = 0x11,
    XS_EVTXW_SYSTEMTIME = 0x12,
    XS_EVTXW_SID = 0x13,
    XS_EVTXW_HEXINT32 = 0x14,
    XS_EVTXW_HEXINT64 = 0x15,
    XS_EVTXW_BINXML = 0x21,
    XS_EVTXW_ARRAY = 0x80,
};

/* A substitution value. type 0 with str set means a string. */
typedef struct xs_evtxw_value {
    uint8_t type;
    const char *str; /* STRING (UTF-8, written as UTF-16LE without NUL) and ANSI */
    uint64_t num;    /* integers, BOOL, FILETIME, HEXINT*, SIZET (8 bytes), REAL64 bits */
    const void *raw; /* any other type, arrays included: the exact value bytes */
    size_t raw_len;
} xs_evtxw_value;

typedef struct xs_evtxw_field {
    const char *name; /* <Data Name="name">; NULL: <Data> (UserData: required element name) */
    xs_evtxw_value v;
} xs_evtxw_field;

typedef struct xs_evtxw_event {
    const char *provider; /* required */
    const char *channel;  /* required */
    const char *computer; /* required */
    uint16_t event_id;
    uint16_t qualifiers;
    uint8_t has_qualifiers;
    uint8_t level;
    uint64_t record_id;          /* 0: one more than the previous record */
    uint64_t filetime;           /* TimeCreated and written time; 0: from time_ms */
    int64_t time_ms;             /* Unix ms, used when filetime is 0 */
    const xs_evtxw_field *data; /* EventData */
    size_t ndata;
    const char *user_root; /* non-NULL: <UserData><user_root xmlns=...>user leaves</...> */
    const xs_evtxw_field *user;
    size_t nuser;
    const char *user_ns; /* the user_root's xmlns; NULL: a namespace of the tests' own */
} xs_evtxw_event;

typedef struct xs_evtxw xs_evtxw;

/* A new, empty writer, or NULL when out of memory. Free with xs_evtxw_destroy. */
xs_evtxw *xs_evtxw_create(void);
/* Frees w. Accepts NULL. */
void xs_evtxw_destroy(xs_evtxw *w);

/* Appends one event; starts a new chunk when the current one is full. 0, or -1. */
int xs_evtxw_add(xs_evtxw *w, const xs_evtxw_event *ev);

/* Ends the current chunk; the next record starts a new one (and redefines its templates). */
void xs_evtxw_new_chunk(xs_evtxw *w);

/* The whole file in a new malloc'd buffer (*out, *len; the caller frees *out). The writer
 * stays usable: more events may be added and the file produced again. 0, or -1. */
int xs_evtxw_finish(xs_evtxw *w, uint8_t **out, size_t *len);

/* xs_evtxw_finish, then xs_evtxw_destroy: the file (the caller frees it), or NULL. */
uint8_t *xs_evtxw_take(xs_evtxw *w, size_t *len);

/* Writes the file to path. 0, or -1. */
int xs_evtxw_write_file(xs_evtxw *w, const char *path);

/* Recomputes the file header CRC and every chunk's header and data CRCs, after a test edited
 * the bytes. len may end inside a chunk; that chunk is left alone. */
void xs_evtxw_fix_crcs(uint8_t *file, size_t len);

/* Unix ms to FILETIME. */
uint64_t xs_evtxw_filetime(int64_t unix_ms);

/* Low-level builder. raw_begin starts a record at the current chunk position (a new chunk
 * first if fewer than reserve bytes are left) and writes its header and a fragment header;
 * the bx_* calls append BinXML; raw_end writes the end-of-fragment token and the trailer.
 * Elements get a dependency id only inside a template body. 0, or -1. */
int xs_evtxw_raw_begin(xs_evtxw *w, uint64_t record_id, uint64_t filetime, size_t reserve);
int xs_evtxw_raw_end(xs_evtxw *w);
/* Chunk offset the next byte will be written at. */
uint32_t xs_evtxw_pos(const xs_evtxw *w);
void xs_evtxw_bx_bytes(xs_evtxw *w, const void *p, size_t n);
void xs_evtxw_bx_fragment(xs_evtxw *w);
void xs_evtxw_bx_open(xs_evtxw *w, const char *name, int has_attrs);
void xs_evtxw_bx_attr(xs_evtxw *w, const char *name);
void xs_evtxw_bx_close_start(xs_evtxw *w);
void xs_evtxw_bx_close_empty(xs_evtxw *w);
void xs_evtxw_bx_end(xs_evtxw *w);
void xs_evtxw_bx_text(xs_evtxw *w, const char *utf8);
void xs_evtxw_bx_subst(xs_evtxw *w, uint16_t index, uint8_t type, int optional);
/* A template instance defined inline: writes the instance header and the definition header
 * and returns the definition offset; the bx_* calls that follow write its body (a fragment
 * header is written for you); template_end closes the body and fixes its size. The caller
 * then writes the value count, descriptors and values with xs_evtxw_bx_bytes. */
uint32_t xs_evtxw_bx_template_begin(xs_evtxw *w);
void xs_evtxw_bx_template_end(xs_evtxw *w);
/* A template instance referring to a definition at def_off. */
void xs_evtxw_bx_template_ref(xs_evtxw *w, uint32_t def_off);

/* One raw record whose template names a single string value refs times in one
 * <EventData><Data>; the value is `units` (at most 32767) copies of the UTF-16 code unit
 * `unit`. Large values named often make records that render far beyond their size (value,
 * text and work caps). 0, or -1. */
int xs_evtxw_add_repeated(xs_evtxw *w, uint64_t filetime, int refs, uint16_t unit,
                           uint16_t units);

#endif

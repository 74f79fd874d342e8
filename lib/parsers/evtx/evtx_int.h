/* EVTX reader internals shared by the files of lib/parsers/evtx/. Not for other modules.
 *
 * Pipeline per record: evtx_binxml.c compiles BinXML bytes into a flat list of ops (templates
 * once per chunk, the record's own few tokens per record), evtx_render.c runs the ops with the
 * record's substitution values and builds the xs_evtx_record, evtx_value.c turns typed values
 * into UTF-8 text. evtx_reader.c owns the stream, chunks and records.
 */
#ifndef XS_PARSERS_EVTX_INT_H
#define XS_PARSERS_EVTX_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/evtx/evtx.h"

/* Milliseconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01 (Unix time). */
#define EVTX_EPOCH_GAP_MS 11644473600000LL

/* Bytes of a chunk header: records, names and templates all lie past it (evtx_reader.c). */
#define EVTX_CHUNK_HDR 512u

/* Little-endian loads; callers have checked the bounds. */
static inline uint16_t evtx_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}
static inline uint32_t evtx_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t evtx_u64(const uint8_t *p)
{
    return (uint64_t)evtx_u32(p) | (uint64_t)evtx_u32(p + 4) << 32;
}

/* Bump allocator over one fixed reservation; reset or rolled back to a mark, never freed
 * piecemeal. Untouched pages of the reservation cost no memory. */
struct evtx_arena {
    uint8_t *base;
    size_t used, cap;
};

static inline void *evtx_arena_alloc(struct evtx_arena *a, size_t n)
{
    n = (n + 7u) & ~(size_t)7u;
    if (n > a->cap - a->used)
        return NULL;
    void *p = a->base + a->used;
    a->used += n;
    return p;
}

/* Output buffer with a hard capacity (the storage has one more byte for a NUL). The first
 * append that does not fit is cut at a UTF-8 character boundary, sets cut and closes the
 * buffer (cap = len), so that nothing after a gap is appended. evtx_buf_reset reopens it. */
struct evtx_buf {
    char *p;
    size_t len, cap;
    uint8_t cut;
};

/* Names the record builder looks for, recognised once when a name is decoded. */
enum evtx_known {
    EVTX_N_OTHER = 0,
    EVTX_N_SYSTEM,
    EVTX_N_EVENTDATA,
    EVTX_N_USERDATA,
    EVTX_N_PROVIDER,
    EVTX_N_EVENTID,
    EVTX_N_LEVEL,
    EVTX_N_TIMECREATED,
    EVTX_N_EVENTRECORDID,
    EVTX_N_CHANNEL,
    EVTX_N_COMPUTER,
    EVTX_N_DATA,
    EVTX_N_NAME,
    EVTX_N_EVENTSOURCENAME,
    EVTX_N_QUALIFIERS,
    EVTX_N_SYSTEMTIME,
    EVTX_N_XMLNS,
};

/* A decoded element/attribute/entity name, stored once per chunk, with the text pieces the
 * rendering writes around it ready-made: "<NAME", "</NAME>" and " NAME=\"". */
struct evtx_name {
    const char *s; /* UTF-8, NUL-terminated */
    uint32_t len;
    uint32_t known;    /* enum evtx_known */
    const char *open;  /* "<NAME", len + 1 bytes */
    const char *close; /* "</NAME>", len + 3 bytes */
    const char *attr;  /* " NAME=\"", len + 3 bytes */
    uint8_t hash_ok;   /* the stored hash matches the characters */
    uint8_t counted;   /* a hash mismatch already counted */
};

/* Compiled BinXML. */
enum evtx_opk {
    EVTX_OP_OPEN,        /* a: name */
    EVTX_OP_ATTR,        /* a: name */
    EVTX_OP_CLOSE_START, /* end of a start tag: content follows */
    EVTX_OP_CLOSE_EMPTY, /* end of an empty element */
    EVTX_OP_END,         /* end tag */
    EVTX_OP_TEXT16,      /* a: UTF-16LE bytes, n: units (value text, CDATA) */
    EVTX_OP_VALUE,       /* a: raw bytes, n: size, vtype: type (typed value token) */
    EVTX_OP_SUBST,       /* n: substitution index, vtype: declared type, optional */
    EVTX_OP_CHARREF,     /* n: code unit */
    EVTX_OP_ENTITY,      /* a: name */
    EVTX_OP_PI_TARGET,   /* a: name */
    EVTX_OP_PI_DATA,     /* a: UTF-16LE bytes, n: units */
    EVTX_OP_TEMPLATE,    /* a: template, n: value count, b: descriptors then values */
};

struct evtx_op {
    uint8_t kind;
    uint8_t vtype;
    uint8_t optional;
    uint8_t pad;
    uint32_t n;
    const void *a;
    const uint8_t *b;
};

struct evtx_tpl {
    const struct evtx_op *ops;
    uint32_t nops;
    uint8_t names_ok; /* every name it uses hashes right (else recovered records skip it) */
};

/* One substitution value of a template instance. */
struct evtx_val {
    const uint8_t *p;
    uint32_t size;
    uint8_t type;
};

/* Outcome of compiling or running BinXML for one record. */
enum evtx_err {
    EVTX_OK = 0,
    EVTX_EBAD,      /* malformed: counted in bad_records */
    EVTX_ELIMIT,    /* a cap: counted in limit_hits */
    EVTX_ETEMPLATE, /* template missing or unreadable: counted in missing_templates */
};

/* Where an open element sits, for the record builder. */
enum evtx_ctx {
    EVTX_C_ROOT = 0,  /* the root element (Event) */
    EVTX_C_OTHER,     /* anywhere nothing is extracted */
    EVTX_C_SYSTEM,    /* the System element */
    EVTX_C_SYSFIELD,  /* a child of System */
    EVTX_C_EVENTDATA, /* the EventData element */
    EVTX_C_USERDATA,  /* the UserData element */
    EVTX_C_DATA,      /* below EventData */
    EVTX_C_USER,      /* below UserData */
};

struct evtx_elem {
    const struct evtx_name *name;
    const char *dname; /* Data@Name, in rmem */
    uint32_t dname_len;
    uint32_t text_start; /* text length before its start tag, to drop it again */
    uint8_t ctx;
    uint8_t has_child;
    uint8_t has_content; /* a value or text was written inside it */
    uint8_t null_opt;    /* an optional substitution inside it was null */
};

/* State of the record being built. */
struct evtx_out {
    struct evtx_buf text; /* rendered record */
    struct evtx_buf val;  /* text content of the innermost element */
    struct evtx_buf attr; /* value of the attribute being built */
    struct evtx_elem stack[XS_EVTX_MAX_DEPTH];
    int depth;
    const struct evtx_name *attr_name; /* attribute being built, NULL when none */
    uint8_t attr_vals;                 /* values seen for it */
    uint8_t attr_skipped;              /* empty optional substitutions seen for it */
    uint8_t attr_ft_set; /* its value is one FILETIME, kept in attr_ft (no date parsing) */
    uint64_t attr_ft;
    uint8_t tag_open; /* "<name ..." written, '>' not yet */
    uint8_t cut;      /* a cap cut something: record flagged */
    uint8_t time_set;
    xs_evtx_record rec;
    xs_evtx_field *fields;
    size_t nfields;
};

struct evtx_name_slot {
    uint32_t off, gen;
    struct evtx_name *name;
};

struct evtx_tpl_slot {
    uint32_t off, gen;
    const struct evtx_tpl *tpl; /* NULL: could not be compiled, err says why */
    int err;                    /* EVTX_ETEMPLATE or EVTX_ELIMIT when tpl is NULL */
};

#define EVTX_NAME_SLOTS (2u * XS_EVTX_MAX_NAMES)
#define EVTX_TPL_SLOTS (2u * XS_EVTX_MAX_TEMPLATES)
#define EVTX_MAX_VALS (XS_EVTX_MAX_SUBST * XS_EVTX_MAX_NEST)

struct xs_evtx_reader {
    unsigned flags;
    uint64_t max_chunks;       /* chunks read per stream, XS_EVTX_MAX_CHUNKS unless set */
    uint8_t *chunk;            /* XS_EVTX_CHUNK_SIZE bytes */
    uint32_t clen;             /* bytes of it that came from the stream */
    uint32_t rec_off;          /* chunk offset of the record being decoded */
    uint8_t recovering;        /* it comes from slack space: stricter checks */
    uint8_t bad_name_seen;     /* a name with a wrong hash was handed out since last cleared */
    uint32_t gen;              /* cache generation: bumped per chunk, so caches reset in O(1) */
    struct evtx_arena cmem;    /* names and templates of the current chunk */
    struct evtx_arena scratch; /* ops of the current record */
    struct evtx_arena rmem;    /* decoded strings of the current record */
    struct evtx_name_slot *names;
    uint32_t nnames;
    struct evtx_tpl_slot *tpls;
    uint32_t ntpls;
    struct evtx_val *vals; /* stack of substitution values, EVTX_MAX_VALS */
    uint32_t nvals;
    uint32_t work;       /* BinXML tokens left for this record */
    uint32_t chunk_work; /* and for this chunk */
    struct evtx_out out;
    xs_evtx_stats *st;
};

/* Work is counted in tokens run, plus one unit per 16 bytes of value decoded or BinXML
 * compiled on the way (template definitions included): a template can name one large value
 * thousands of times, and that must cost what it costs. */
#define EVTX_VALUE_COST(bytes) (1u + (uint32_t)((bytes) >> 4))

/* Takes units from the record's and the chunk's work budgets; EVTX_ELIMIT (and the record's
 * budget emptied) when either is short. */
static inline int evtx_charge(xs_evtx_reader *r, uint32_t units)
{
    if (r->work < units || r->chunk_work < units) {
        r->work = 0;
        return EVTX_ELIMIT;
    }
    r->work -= units;
    r->chunk_work -= units;
    return EVTX_OK;
}

/* evtx_binxml.c */
void evtx_chunk_caches_reset(xs_evtx_reader *r);
/* Compiles BinXML in [p, end) (inside r->chunk) up to its end-of-fragment token into ops
 * appended to r->scratch. tpl_body: the bytes are a template definition body (elements carry a
 * dependency identifier, template instances are not allowed). */
int evtx_compile(xs_evtx_reader *r, const uint8_t *p, const uint8_t *end, int tpl_body,
                 const struct evtx_op **ops, uint32_t *nops);

/* evtx_render.c */
/* Decodes the BinXML of one record into r->out.rec (fields, System values, text). */
int evtx_render_record(xs_evtx_reader *r, const uint8_t *p, const uint8_t *end);
exs_rc evtx_out_init(struct evtx_out *o);
void evtx_out_free(struct evtx_out *o);

/* evtx_crc.c: the table-driven path alone, for tests */
uint32_t evtx_crc32_portable(uint32_t crc, const void *data, size_t n);

static inline void evtx_buf_reset(struct evtx_buf *b, size_t cap)
{
    b->len = 0;
    b->cap = cap;
    b->cut = 0;
}

/* evtx_value.c */
void evtx_buf_put_slow(struct evtx_buf *b, const char *s, size_t n);
/* Rendering appends many short pieces; they are copied inline rather than through a memcpy
 * call each (a choice, not separately measured). */
static inline void evtx_copy(char *d, const char *s, size_t n)
{
    if (n > 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

static inline void evtx_buf_put(struct evtx_buf *b, const char *s, size_t n)
{
    if (n <= b->cap - b->len) {
        evtx_copy(b->p + b->len, s, n);
        b->len += n;
    } else {
        evtx_buf_put_slow(b, s, n);
    }
}
/* UTF-16LE units to UTF-8, up to the first NUL; lone surrogates become U+FFFD. */
void evtx_buf_put_utf16(struct evtx_buf *b, const uint8_t *s, size_t units);
/* A typed BinXML value as text (arrays joined with ','). BinXML (0x21) values are not text. */
void evtx_buf_put_value(struct evtx_buf *b, uint8_t type, const uint8_t *p, size_t n);
/* Next item of an array value (type has 0x80 set) from *pos; 0 when there is none. */
int evtx_array_next(uint8_t type, const uint8_t *p, size_t n, size_t *pos, const uint8_t **ip,
                    size_t *in);
/* Size of a fixed-size scalar type, 0 for variable-size types. */
size_t evtx_fixed_size(uint8_t type);

#endif

/* Test-suite EVTX writer. Layouts: lib/parsers/evtx/evtx_reader.c and evtx_binxml.c.
 *
 * Deliberately independent of the reader: its own CRC-32 (bitwise) and its own encoders, so
 * that a shared mistake cannot make the two agree on something wrong; evtxexport checks the
 * output too (tests/unit/test-evtx.c). */
#include "evtxwriter.h"
#include "utf16enc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_CHUNK 65536u
#define W_FILE_HDR 4096u
#define W_CHUNK_HDR 512u
#define W_MAX_DEPTH 256
#define W_EVENT_NS "http://schemas.microsoft.com/win/2004/08/events/event"
#define W_USER_NS "http://manifests.microsoft.com/win/2004/08/windows/exsweep-test"

struct wname {
    char *s;
    uint32_t off;
};

struct wtpl {
    char *key;
    uint32_t off;
    uint8_t guid[16];
};

struct welem {
    uint32_t size_pos, attrs_pos, last_attr;
};

struct xs_evtxw {
    uint8_t *file; /* finished chunks, after W_FILE_HDR bytes kept for the header */
    size_t flen, fcap;
    uint32_t nchunks;
    uint8_t chunk[W_CHUNK];
    uint32_t pos; /* 0: no chunk open */
    uint64_t first_id, last_id, next_id;
    uint32_t last_rec, nrec, rec_start;
    struct wname *names;
    size_t nnames, cnames;
    struct wtpl *tpls;
    size_t ntpls, ctpls;
    struct welem stack[W_MAX_DEPTH];
    int depth;
    int in_tpl;
    uint32_t tpl_size_pos;
    int overflow; /* the current record ran past the chunk */
    int err;      /* sticky */
};

static uint32_t w_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t xs_evtxw_filetime(int64_t unix_ms)
{
    return (uint64_t)(unix_ms + 11644473600000LL) * 10000u;
}

/* ---- bytes into the current chunk ---- */

static int live(const xs_evtxw *w)
{
    return !w->err && !w->overflow && w->pos;
}

static void put(xs_evtxw *w, const void *p, size_t n)
{
    if (!live(w))
        return;
    if (n > W_CHUNK - w->pos) {
        w->overflow = 1;
        return;
    }
    memcpy(w->chunk + w->pos, p, n);
    w->pos += (uint32_t)n;
}

static void put8(xs_evtxw *w, uint8_t v)
{
    put(w, &v, 1);
}

static void put16(xs_evtxw *w, uint16_t v)
{
    uint8_t b[2];
    le16(b, v);
    put(w, b, 2);
}

static void put32(xs_evtxw *w, uint32_t v)
{
    uint8_t b[4];
    le32(b, v);
    put(w, b, 4);
}

static void put64(xs_evtxw *w, uint64_t v)
{
    uint8_t b[8];
    le64(b, v);
    put(w, b, 8);
}

static void patch32(xs_evtxw *w, uint32_t at, uint32_t v)
{
    if (live(w))
        le32(w->chunk + at, v);
}

static void put_utf16(xs_evtxw *w, const char *s)
{
    size_t n = t_utf16_units(s, NULL);
    uint16_t *u = malloc((n ? n : 1) * sizeof *u);
    if (!u) {
        w->err = 1;
        return;
    }
    t_utf16_units(s, u);
    for (size_t i = 0; i < n; i++)
        put16(w, u[i]);
    free(u);
}

/* ---- chunks ---- */

static void clear_chunk_tables(xs_evtxw *w, size_t keep_names, size_t keep_tpls)
{
    while (w->nnames > keep_names)
        free(w->names[--w->nnames].s);
    while (w->ntpls > keep_tpls)
        free(w->tpls[--w->ntpls].key);
}

static void chunk_start(xs_evtxw *w)
{
    memset(w->chunk, 0, W_CHUNK);
    memcpy(w->chunk, "ElfChnk", 8);
    w->pos = W_CHUNK_HDR;
    w->nrec = 0;
    w->first_id = w->last_id = 0;
    w->last_rec = 0;
    clear_chunk_tables(w, 0, 0);
}

static void chunk_crcs(uint8_t *c)
{
    uint32_t free_off = rd32(c + 48);
    if (free_off >= W_CHUNK_HDR && free_off <= W_CHUNK)
        le32(c + 52, w_crc32(c + W_CHUNK_HDR, free_off - W_CHUNK_HDR));
    uint8_t tmp[W_CHUNK_HDR - 8];
    memcpy(tmp, c, 120);
    memcpy(tmp + 120, c + 128, W_CHUNK_HDR - 128);
    le32(c + 124, w_crc32(tmp, sizeof tmp));
}

static int grow(xs_evtxw *w, size_t need)
{
    if (w->fcap - w->flen >= need)
        return 0;
    size_t cap = w->fcap ? w->fcap : W_FILE_HDR + W_CHUNK;
    while (cap - w->flen < need)
        cap *= 2;
    uint8_t *p = realloc(w->file, cap);
    if (!p)
        return -1;
    w->file = p;
    w->fcap = cap;
    return 0;
}

static void chunk_finish(xs_evtxw *w)
{
    if (!w->pos || w->err)
        return;
    uint8_t *c = w->chunk;
    le64(c + 8, w->first_id);
    le64(c + 16, w->last_id);
    le64(c + 24, w->first_id);
    le64(c + 32, w->last_id);
    le32(c + 40, 128);
    le32(c + 44, w->last_rec);
    le32(c + 48, w->pos);
    le32(c + 120, 1);
    chunk_crcs(c);
    if (grow(w, W_CHUNK)) {
        w->err = 1;
        return;
    }
    memcpy(w->file + w->flen, c, W_CHUNK);
    w->flen += W_CHUNK;
    w->nchunks++;
    w->pos = 0;
}

void xs_evtxw_new_chunk(xs_evtxw *w)
{
    chunk_finish(w);
}

/* ---- names and BinXML ---- */

static uint16_t name_hash(const uint16_t *u, size_t n)
{
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 65599u + u[i];
    return (uint16_t)h;
}

static void name_ref(xs_evtxw *w, const char *name)
{
    for (size_t i = 0; i < w->nnames; i++)
        if (strcmp(w->names[i].s, name) == 0) {
            put32(w, w->names[i].off);
            return;
        }
    if (!live(w))
        return;
    if (w->nnames == w->cnames) {
        size_t c = w->cnames ? 2 * w->cnames : 64;
        struct wname *nn = realloc(w->names, c * sizeof *nn);
        if (!nn) {
            w->err = 1;
            return;
        }
        w->names = nn;
        w->cnames = c;
    }
    uint32_t off = w->pos + 4;
    size_t n = t_utf16_units(name, NULL);
    uint16_t *u = malloc((n ? n : 1) * sizeof *u);
    char *copy = strdup(name);
    if (!u || !copy) {
        free(u);
        free(copy);
        w->err = 1;
        return;
    }
    t_utf16_units(name, u);
    uint16_t h = name_hash(u, n);
    uint8_t *bucket = w->chunk + 128 + 4 * (h % 64);
    put32(w, off);
    put32(w, rd32(bucket));
    put16(w, h);
    put16(w, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        put16(w, u[i]);
    put16(w, 0);
    free(u);
    if (!live(w)) {
        free(copy);
        return;
    }
    le32(bucket, off);
    w->names[w->nnames++] = (struct wname){copy, off};
}

uint32_t xs_evtxw_pos(const xs_evtxw *w)
{
    return w->pos;
}

void xs_evtxw_bx_bytes(xs_evtxw *w, const void *p, size_t n)
{
    put(w, p, n);
}

void xs_evtxw_bx_fragment(xs_evtxw *w)
{
    put(w, "\x0f\x01\x01\x00", 4);
}

void xs_evtxw_bx_open(xs_evtxw *w, const char *name, int has_attrs)
{
    if (w->depth >= W_MAX_DEPTH) {
        w->err = 1;
        return;
    }
    put8(w, has_attrs ? 0x41 : 0x01);
    if (w->in_tpl)
        put16(w, 0xFFFF);
    struct welem e = {w->pos, 0, 0};
    put32(w, 0);
    name_ref(w, name);
    if (has_attrs) {
        e.attrs_pos = w->pos;
        put32(w, 0);
    }
    w->stack[w->depth++] = e;
}

void xs_evtxw_bx_attr(xs_evtxw *w, const char *name)
{
    if (w->depth && w->stack[w->depth - 1].last_attr && live(w))
        w->chunk[w->stack[w->depth - 1].last_attr] = 0x46; /* "another attribute follows" */
    if (w->depth)
        w->stack[w->depth - 1].last_attr = w->pos;
    put8(w, 0x06);
    name_ref(w, name);
}

static void attrs_done(xs_evtxw *w)
{
    if (w->depth && w->stack[w->depth - 1].attrs_pos) {
        uint32_t at = w->stack[w->depth - 1].attrs_pos;
        patch32(w, at, w->pos - at - 4);
        w->stack[w->depth - 1].attrs_pos = 0;
    }
}

static void elem_done(xs_evtxw *w)
{
    if (!w->depth)
        return;
    uint32_t at = w->stack[--w->depth].size_pos;
    patch32(w, at, w->pos - at - 4);
}

void xs_evtxw_bx_close_start(xs_evtxw *w)
{
    attrs_done(w);
    put8(w, 0x02);
}

void xs_evtxw_bx_close_empty(xs_evtxw *w)
{
    attrs_done(w);
    put8(w, 0x03);
    elem_done(w);
}

void xs_evtxw_bx_end(xs_evtxw *w)
{
    put8(w, 0x04);
    elem_done(w);
}

void xs_evtxw_bx_text(xs_evtxw *w, const char *utf8)
{
    put8(w, 0x05);
    put8(w, 0x01);
    put16(w, (uint16_t)t_utf16_units(utf8, NULL));
    put_utf16(w, utf8);
}

void xs_evtxw_bx_subst(xs_evtxw *w, uint16_t index, uint8_t type, int optional)
{
    put8(w, optional ? 0x0e : 0x0d);
    put16(w, index);
    put8(w, type);
}

static void guid_for(const char *key, uint32_t salt, uint8_t g[16])
{
    uint64_t h1 = 1469598103934665603ull ^ salt, h2 = 1099511628211ull * (salt + 7u);
    for (const char *p = key; *p; p++) {
        h1 = (h1 ^ (uint8_t)*p) * 1099511628211ull;
        h2 = (h2 ^ (uint8_t)*p) * 1469598103934665603ull + 0x9E3779B97F4A7C15ull;
    }
    le64(g, h1);
    le64(g + 8, h2);
}

/* Instance header and inline definition header; the body follows. */
static uint32_t tpl_begin(xs_evtxw *w, const uint8_t guid[16], uint32_t next)
{
    put8(w, 0x0c);
    put8(w, 0x01);
    put(w, guid, 4);
    uint32_t def = w->pos + 4;
    put32(w, def);
    put32(w, next);
    put(w, guid, 16);
    w->tpl_size_pos = w->pos;
    put32(w, 0);
    w->in_tpl = 1;
    xs_evtxw_bx_fragment(w);
    return def;
}

uint32_t xs_evtxw_bx_template_begin(xs_evtxw *w)
{
    uint8_t g[16];
    guid_for("raw", w->pos, g);
    return tpl_begin(w, g, 0);
}

void xs_evtxw_bx_template_end(xs_evtxw *w)
{
    put8(w, 0x00);
    patch32(w, w->tpl_size_pos, w->pos - w->tpl_size_pos - 4);
    w->in_tpl = 0;
}

void xs_evtxw_bx_template_ref(xs_evtxw *w, uint32_t def_off)
{
    put8(w, 0x0c);
    put8(w, 0x01);
    if (live(w) && def_off + 8 <= W_CHUNK)
        put(w, w->chunk + def_off + 4, 4); /* the id is the GUID's first 4 bytes */
    else
        put32(w, 0);
    put32(w, def_off);
}

/* ---- records ---- */

static void rec_begin(xs_evtxw *w, uint64_t id, uint64_t ft)
{
    w->rec_start = w->pos;
    w->depth = 0;
    w->in_tpl = 0;
    put(w, "**\0\0", 4);
    put32(w, 0);
    put64(w, id);
    put64(w, ft);
    xs_evtxw_bx_fragment(w);
}

static void rec_end(xs_evtxw *w, uint64_t id)
{
    put8(w, 0x00);
    while (live(w) && (w->pos + 4 - w->rec_start) % 8) /* Windows keeps records 8-byte aligned */
        put8(w, 0x00);
    uint32_t size = w->pos + 4 - w->rec_start;
    put32(w, size);
    patch32(w, w->rec_start + 4, size);
    if (!live(w))
        return;
    if (!w->nrec)
        w->first_id = id;
    w->last_id = id;
    w->last_rec = w->rec_start;
    w->nrec++;
    w->next_id = id + 1;
}

struct snapshot {
    uint32_t pos;
    size_t nnames, ntpls;
    uint8_t tables[W_CHUNK_HDR - 128];
};

static void snap(const xs_evtxw *w, struct snapshot *s)
{
    s->pos = w->pos;
    s->nnames = w->nnames;
    s->ntpls = w->ntpls;
    memcpy(s->tables, w->chunk + 128, sizeof s->tables);
}

static void rollback(xs_evtxw *w, const struct snapshot *s)
{
    w->pos = s->pos;
    memset(w->chunk + s->pos, 0, W_CHUNK - s->pos);
    memcpy(w->chunk + 128, s->tables, sizeof s->tables);
    clear_chunk_tables(w, s->nnames, s->ntpls);
    w->overflow = 0;
    w->depth = 0;
    w->in_tpl = 0;
}

int xs_evtxw_raw_begin(xs_evtxw *w, uint64_t record_id, uint64_t filetime, size_t reserve)
{
    if (w->err)
        return -1;
    if (w->pos && W_CHUNK - w->pos < reserve)
        chunk_finish(w);
    if (!w->pos)
        chunk_start(w);
    rec_begin(w, record_id ? record_id : w->next_id, filetime);
    return live(w) ? 0 : -1;
}

int xs_evtxw_raw_end(xs_evtxw *w)
{
    uint64_t id = 0;
    if (live(w))
        id = rd32(w->chunk + w->rec_start + 8) | (uint64_t)rd32(w->chunk + w->rec_start + 12) << 32;
    rec_end(w, id);
    if (w->overflow)
        w->err = 1;
    return w->err ? -1 : 0;
}

/* ---- events ---- */

static uint8_t vtype(const xs_evtxw_value *v)
{
    return v->type ? v->type : v->str ? XS_EVTXW_STRING : XS_EVTXW_NULL;
}

static size_t fixed_len(uint8_t t)
{
    switch (t) {
    case XS_EVTXW_INT8:
    case XS_EVTXW_UINT8:
        return 1;
    case XS_EVTXW_INT16:
    case XS_EVTXW_UINT16:
        return 2;
    case XS_EVTXW_INT32:
    case XS_EVTXW_UINT32:
    case XS_EVTXW_HEXINT32:
    case XS_EVTXW_BOOL:
    case XS_EVTXW_REAL32:
        return 4;
    case XS_EVTXW_INT64:
    case XS_EVTXW_UINT64:
    case XS_EVTXW_HEXINT64:
    case XS_EVTXW_FILETIME:
    case XS_EVTXW_REAL64:
    case XS_EVTXW_SIZET:
        return 8;
    default:
        return 0;
    }
}

/* Writes the value bytes; the caller measures them by position. */
static void put_value(xs_evtxw *w, const xs_evtxw_value *v)
{
    uint8_t t = vtype(v);
    size_t fl = fixed_len(t);
    if (fl && !v->raw) {
        uint8_t b[8];
        le64(b, v->num);
        put(w, b, fl);
    } else if (t == XS_EVTXW_STRING && v->str) {
        put_utf16(w, v->str);
    } else if (t == XS_EVTXW_ANSI && v->str) {
        put(w, v->str, strlen(v->str));
    } else if (v->raw) {
        put(w, v->raw, v->raw_len);
    }
}

/* Template keys: everything that shapes the XML, not the values. */
static char *shape_key(const xs_evtxw_event *ev)
{
    size_t n = 32;
    for (size_t i = 0; i < ev->ndata; i++)
        n += (ev->data[i].name ? strlen(ev->data[i].name) : 0) + 8;
    char *k = malloc(n);
    if (!k)
        return NULL;
    size_t o = (size_t)snprintf(k, n, "E%d|", ev->user_root != NULL);
    for (size_t i = 0; i < ev->ndata; i++)
        o += (size_t)snprintf(k + o, n - o, "%s:%02x|", ev->data[i].name ? ev->data[i].name : "",
                              vtype(&ev->data[i].v));
    return k;
}

static char *user_key(const xs_evtxw_event *ev)
{
    size_t n = 32 + strlen(ev->user_root) + (ev->user_ns ? strlen(ev->user_ns) : 0);
    for (size_t i = 0; i < ev->nuser; i++)
        n += (ev->user[i].name ? strlen(ev->user[i].name) : 4) + 8;
    char *k = malloc(n);
    if (!k)
        return NULL;
    /* (the namespace is part of the shape only when it is not the default, so that the
     * templates of the default keep their keys and GUIDs) */
    size_t o = (size_t)snprintf(k, n, "U|%s|", ev->user_root);
    if (ev->user_ns)
        o += (size_t)snprintf(k + o, n - o, "%s|", ev->user_ns);
    for (size_t i = 0; i < ev->nuser; i++)
        o += (size_t)snprintf(k + o, n - o, "%s:%02x|",
                              ev->user[i].name ? ev->user[i].name : "Data", vtype(&ev->user[i].v));
    return k;
}

static void sys_elem(xs_evtxw *w, const char *name, uint16_t idx, uint8_t type)
{
    xs_evtxw_bx_open(w, name, 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_subst(w, idx, type, 1);
    xs_evtxw_bx_end(w);
}

enum {
    S_PROVIDER,
    S_QUALIFIERS,
    S_EVENTID,
    S_LEVEL,
    S_TIME,
    S_RECID,
    S_CHANNEL,
    S_COMPUTER,
    S_DATA
};

static void user_body(xs_evtxw *w, const xs_evtxw_event *ev)
{
    xs_evtxw_bx_open(w, ev->user_root, 1);
    xs_evtxw_bx_attr(w, "xmlns");
    xs_evtxw_bx_text(w, ev->user_ns ? ev->user_ns : W_USER_NS);
    xs_evtxw_bx_close_start(w);
    for (size_t i = 0; i < ev->nuser; i++) {
        xs_evtxw_bx_open(w, ev->user[i].name ? ev->user[i].name : "Data", 0);
        xs_evtxw_bx_close_start(w);
        xs_evtxw_bx_subst(w, (uint16_t)i, vtype(&ev->user[i].v), 0);
        xs_evtxw_bx_end(w);
    }
    xs_evtxw_bx_end(w);
}

static void event_body(xs_evtxw *w, const xs_evtxw_event *ev)
{
    xs_evtxw_bx_open(w, "Event", 1);
    xs_evtxw_bx_attr(w, "xmlns");
    xs_evtxw_bx_text(w, W_EVENT_NS);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "System", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Provider", 1);
    xs_evtxw_bx_attr(w, "Name");
    xs_evtxw_bx_subst(w, S_PROVIDER, XS_EVTXW_STRING, 1);
    xs_evtxw_bx_close_empty(w);
    xs_evtxw_bx_open(w, "EventID", 1);
    xs_evtxw_bx_attr(w, "Qualifiers");
    xs_evtxw_bx_subst(w, S_QUALIFIERS, XS_EVTXW_UINT16, 1);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_subst(w, S_EVENTID, XS_EVTXW_UINT16, 1);
    xs_evtxw_bx_end(w);
    sys_elem(w, "Level", S_LEVEL, XS_EVTXW_UINT8);
    xs_evtxw_bx_open(w, "TimeCreated", 1);
    xs_evtxw_bx_attr(w, "SystemTime");
    xs_evtxw_bx_subst(w, S_TIME, XS_EVTXW_FILETIME, 1);
    xs_evtxw_bx_close_empty(w);
    sys_elem(w, "EventRecordID", S_RECID, XS_EVTXW_UINT64);
    sys_elem(w, "Channel", S_CHANNEL, XS_EVTXW_STRING);
    sys_elem(w, "Computer", S_COMPUTER, XS_EVTXW_STRING);
    xs_evtxw_bx_end(w);
    if (ev->ndata) {
        xs_evtxw_bx_open(w, "EventData", 0);
        xs_evtxw_bx_close_start(w);
        for (size_t i = 0; i < ev->ndata; i++) {
            xs_evtxw_bx_open(w, "Data", ev->data[i].name != NULL);
            if (ev->data[i].name) {
                xs_evtxw_bx_attr(w, "Name");
                xs_evtxw_bx_text(w, ev->data[i].name);
            }
            xs_evtxw_bx_close_start(w);
            xs_evtxw_bx_subst(w, (uint16_t)(S_DATA + i), vtype(&ev->data[i].v), 0);
            xs_evtxw_bx_end(w);
        }
        xs_evtxw_bx_end(w);
    }
    if (ev->user_root) {
        xs_evtxw_bx_open(w, "UserData", 0);
        xs_evtxw_bx_close_start(w);
        xs_evtxw_bx_subst(w, (uint16_t)(S_DATA + ev->ndata), XS_EVTXW_BINXML, 1);
        xs_evtxw_bx_end(w);
    }
    xs_evtxw_bx_end(w);
}

typedef void (*body_fn)(xs_evtxw *w, const xs_evtxw_event *ev);

/* An instance of the chunk's template for key (taken over), defining it inline first when the
 * chunk does not have it yet. */
static int template_for(xs_evtxw *w, const xs_evtxw_event *ev, char *key, body_fn body)
{
    if (!key) {
        w->err = 1;
        return -1;
    }
    for (size_t i = 0; i < w->ntpls; i++)
        if (strcmp(w->tpls[i].key, key) == 0) {
            free(key);
            xs_evtxw_bx_template_ref(w, w->tpls[i].off);
            return 0;
        }
    if (w->ntpls == w->ctpls) {
        size_t c = w->ctpls ? 2 * w->ctpls : 16;
        struct wtpl *t = realloc(w->tpls, c * sizeof *t);
        if (!t) {
            free(key);
            w->err = 1;
            return -1;
        }
        w->tpls = t;
        w->ctpls = c;
    }
    struct wtpl t = {key, 0, {0}};
    guid_for(key, w->nchunks, t.guid);
    uint8_t *bucket = w->chunk + 384 + 4 * (rd32(t.guid) % 32);
    t.off = tpl_begin(w, t.guid, rd32(bucket));
    body(w, ev);
    xs_evtxw_bx_template_end(w);
    if (!live(w)) {
        free(key);
        return -1;
    }
    le32(bucket, t.off);
    w->tpls[w->ntpls++] = t;
    return 0;
}

/* n values: count, descriptors, then each value as value(i) writes it. */
typedef uint8_t (*value_fn)(xs_evtxw *w, const xs_evtxw_event *ev, size_t i, const void *ctx);

static void put_values(xs_evtxw *w, const xs_evtxw_event *ev, size_t n, value_fn value,
                       const void *ctx)
{
    put32(w, (uint32_t)n);
    uint32_t desc = w->pos;
    for (size_t i = 0; i < n; i++)
        put32(w, 0);
    for (size_t i = 0; i < n && live(w); i++) {
        uint32_t start = w->pos;
        uint8_t t = value(w, ev, i, ctx);
        uint32_t size = w->pos - start;
        if (size > 0xFFFF) {
            w->overflow = 1;
            return;
        }
        if (live(w)) {
            le16(w->chunk + desc + 4 * i, (uint16_t)size);
            w->chunk[desc + 4 * i + 2] = t;
        }
    }
}

static uint8_t user_value(xs_evtxw *w, const xs_evtxw_event *ev, size_t i, const void *ctx)
{
    (void)ctx;
    put_value(w, &ev->user[i].v);
    return vtype(&ev->user[i].v);
}

/* UserData as Windows stores it: a nested fragment holding its own template instance. */
static void put_user_binxml(xs_evtxw *w, const xs_evtxw_event *ev)
{
    xs_evtxw_bx_fragment(w);
    if (template_for(w, ev, user_key(ev), user_body) == 0)
        put_values(w, ev, ev->nuser, user_value, NULL);
    put8(w, 0x00);
}

static uint8_t event_value(xs_evtxw *w, const xs_evtxw_event *ev, size_t i, const void *ctx)
{
    const xs_evtxw_value *sys = ctx;
    if (i < S_DATA) {
        put_value(w, &sys[i]);
        return vtype(&sys[i]);
    }
    if (i < S_DATA + ev->ndata) {
        put_value(w, &ev->data[i - S_DATA].v);
        return vtype(&ev->data[i - S_DATA].v);
    }
    put_user_binxml(w, ev);
    return XS_EVTXW_BINXML;
}

static void event_values(xs_evtxw *w, const xs_evtxw_event *ev, uint64_t id, uint64_t ft)
{
    xs_evtxw_value sys[S_DATA] = {
        [S_PROVIDER] = {.str = ev->provider},
        [S_QUALIFIERS] = {.type = ev->has_qualifiers ? XS_EVTXW_UINT16 : XS_EVTXW_NULL,
                          .num = ev->qualifiers},
        [S_EVENTID] = {.type = XS_EVTXW_UINT16, .num = ev->event_id},
        [S_LEVEL] = {.type = XS_EVTXW_UINT8, .num = ev->level},
        [S_TIME] = {.type = XS_EVTXW_FILETIME, .num = ft},
        [S_RECID] = {.type = XS_EVTXW_UINT64, .num = id},
        [S_CHANNEL] = {.str = ev->channel},
        [S_COMPUTER] = {.str = ev->computer},
    };
    put_values(w, ev, S_DATA + ev->ndata + (ev->user_root != NULL), event_value, sys);
}

static void write_event(xs_evtxw *w, const xs_evtxw_event *ev)
{
    uint64_t id = ev->record_id ? ev->record_id : w->next_id;
    uint64_t ft = ev->filetime ? ev->filetime : xs_evtxw_filetime(ev->time_ms);
    rec_begin(w, id, ft);
    if (template_for(w, ev, shape_key(ev), event_body) == 0)
        event_values(w, ev, id, ft);
    rec_end(w, id);
}

int xs_evtxw_add(xs_evtxw *w, const xs_evtxw_event *ev)
{
    if (!w || w->err || !ev || !ev->provider || !ev->channel || !ev->computer)
        return -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!w->pos)
            chunk_start(w);
        struct snapshot s;
        snap(w, &s);
        write_event(w, ev);
        if (w->err)
            return -1;
        if (!w->overflow)
            return 0;
        rollback(w, &s);
        if (w->nrec == 0)
            break; /* does not fit even in an empty chunk */
        chunk_finish(w);
    }
    w->err = 1;
    return -1;
}

/* ---- files ---- */

static void file_header(uint8_t *h, uint32_t nchunks, uint64_t next_id)
{
    memset(h, 0, W_FILE_HDR);
    memcpy(h, "ElfFile", 8);
    le64(h + 8, 0);
    le64(h + 16, nchunks ? nchunks - 1 : 0);
    le64(h + 24, next_id);
    le32(h + 32, 128);
    le16(h + 36, 1);
    le16(h + 38, 3);
    le16(h + 40, W_FILE_HDR);
    le16(h + 42, (uint16_t)nchunks);
    le32(h + 124, w_crc32(h, 120));
}

int xs_evtxw_finish(xs_evtxw *w, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!w || w->err)
        return -1;
    chunk_finish(w);
    if (w->err)
        return -1;
    size_t n = W_FILE_HDR + w->flen;
    uint8_t *f = malloc(n);
    if (!f)
        return -1;
    file_header(f, w->nchunks, w->next_id ? w->next_id : 1);
    if (w->flen)
        memcpy(f + W_FILE_HDR, w->file, w->flen);
    *out = f;
    *len = n;
    return 0;
}

int xs_evtxw_add_repeated(xs_evtxw *w, uint64_t filetime, int refs, uint16_t unit, uint16_t units)
{
    uint16_t size = (uint16_t)(2 * units);
    if (units > 0x7FFF || xs_evtxw_raw_begin(w, 0, filetime, 0))
        return -1;
    xs_evtxw_bx_template_begin(w);
    xs_evtxw_bx_open(w, "Event", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "EventData", 0);
    xs_evtxw_bx_close_start(w);
    xs_evtxw_bx_open(w, "Data", 0);
    xs_evtxw_bx_close_start(w);
    for (int i = 0; i < refs; i++)
        xs_evtxw_bx_subst(w, 0, XS_EVTXW_STRING, 0);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_end(w);
    xs_evtxw_bx_template_end(w);
    uint32_t one = 1;
    xs_evtxw_bx_bytes(w, &one, 4);
    xs_evtxw_bx_bytes(w, &size, 2);
    xs_evtxw_bx_bytes(w, "\1\0", 2);
    const uint8_t le[2] = {(uint8_t)unit, (uint8_t)(unit >> 8)};
    for (uint16_t i = 0; i < units; i++)
        xs_evtxw_bx_bytes(w, le, 2);
    return xs_evtxw_raw_end(w);
}

uint8_t *xs_evtxw_take(xs_evtxw *w, size_t *len)
{
    uint8_t *f;
    if (xs_evtxw_finish(w, &f, len))
        f = NULL;
    xs_evtxw_destroy(w);
    return f;
}

int xs_evtxw_write_file(xs_evtxw *w, const char *path)
{
    uint8_t *f;
    size_t n;
    if (xs_evtxw_finish(w, &f, &n))
        return -1;
    FILE *fp = fopen(path, "wb");
    int rc = fp && fwrite(f, 1, n, fp) == n ? 0 : -1;
    if (fp && fclose(fp))
        rc = -1;
    free(f);
    return rc;
}

void xs_evtxw_fix_crcs(uint8_t *file, size_t len)
{
    if (len >= 128)
        le32(file + 124, w_crc32(file, 120));
    for (size_t off = W_FILE_HDR; off + W_CHUNK <= len; off += W_CHUNK)
        chunk_crcs(file + off);
}

xs_evtxw *xs_evtxw_create(void)
{
    xs_evtxw *w = calloc(1, sizeof *w);
    if (w)
        w->next_id = 1;
    return w;
}

void xs_evtxw_destroy(xs_evtxw *w)
{
    if (!w)
        return;
    clear_chunk_tables(w, 0, 0);
    free(w->names);
    free(w->tpls);
    free(w->file);
    free(w);
}

/* BinXML to ops: the compiler half of the EVTX record decoder.
 *
 * Every record's BinXML is a fragment, nearly always one template instance: a reference to a
 * template definition (XML with numbered holes, stored once per chunk) plus the values for
 * the holes. Templates are compiled once per chunk into a flat op list and cached by offset;
 * a record then costs only its own few tokens plus one pass over the template's ops.
 *
 * All offsets below are relative to the start of the chunk; every BinXML read is checked
 * against the end of the bytes being compiled and every offset against the chunk length.
 *
 * Tokens (1 byte; 0x40 set on 0x01/0x05-0x09 = "more follows", no other meaning here)
 *   0x00 EndOfFragment
 *   0x01 OpenStartElement  [dependency id u16]  data size u32  name ref  [attr list size u32]
 *        the dependency id is present in template definitions, absent elsewhere (checked,
 *        see open_element); attr list size only when 0x40 is set
 *   0x02 CloseStartElement       0x03 CloseEmptyElement      0x04 EndElement
 *   0x05 Value                   type u8, then a typed value: type 0x01 = count u16 +
 *                                UTF-16LE units, fixed-size types = their bytes
 *   0x06 Attribute               name ref, then its value tokens
 *   0x07 CDATA section           count u16 + UTF-16LE units
 *   0x08 Character reference     u16
 *   0x09 Entity reference        name ref
 *   0x0a PI target               name ref
 *   0x0b PI data                 count u16 + UTF-16LE units
 *   0x0c Template instance       see below
 *   0x0d Normal substitution     index u16, type u8
 *   0x0e Optional substitution   index u16, type u8 (null value: the attribute is dropped)
 *   0x0f Fragment header         major u8 (1), minor u8 (1), flags u8
 *
 * Name ref: offset u32. When the offset equals the position right after it, the name is
 * stored inline there and the stream continues after it. Name at an offset:
 *   off  size
 *   0    4    next name in the same string-table bucket
 *   4    2    hash of the UTF-16 name
 *   6    2    count of UTF-16 units
 *   8    2*n  UTF-16LE units
 *   8+2n 2    NUL
 *
 * Template instance (after the 0x0c byte):
 *   0    1    unknown (1)
 *   1    4    template id (first 4 bytes of the GUID)
 *   5    4    definition offset; equal to the position right after it = defined inline here
 *   [inline definition: 24-byte header + body, skipped]
 *   +0   4    value count n
 *   +4   4*n  descriptors: size u16, type u8, 0 u8
 *   ...       the n values back to back
 *
 * Template definition at its offset:
 *   0    4    next template in the same template-table bucket
 *   4    16   GUID
 *   20   4    body size
 *   24   size body: a fragment (0x0f header ... 0x00)
 *
 * Value type 0x21 in a substitution holds a nested BinXML fragment (itself possibly a template
 * instance); it is compiled when run (evtx_render.c), within XS_EVTX_MAX_NEST.
 */
#include "parsers/evtx/evtx_int.h"

#include <string.h>

#define NAME_HDR 8u    /* next, hash, count */
#define TPL_HDR 24u    /* next, GUID, size */

struct cc {
    xs_evtx_reader *r;
    const uint8_t *p, *end;
    int tpl_body;
    struct evtx_op *first;
    uint32_t nops;
};

void evtx_chunk_caches_reset(xs_evtx_reader *r)
{
    r->gen++;
    if (r->gen == 0) { /* wrapped after 4 billion chunks: clear for real */
        memset(r->names, 0, EVTX_NAME_SLOTS * sizeof *r->names);
        memset(r->tpls, 0, EVTX_TPL_SLOTS * sizeof *r->tpls);
        r->gen = 1;
    }
    r->nnames = 0;
    r->ntpls = 0;
    r->cmem.used = 0;
}

static uint32_t slot_hash(uint32_t off)
{
    return (off * 2654435761u) >> 7;
}

static uint32_t classify(const char *s, uint32_t n)
{
    static const struct {
        const char *s;
        uint32_t k;
    } known[] = {
        {"System", EVTX_N_SYSTEM},
        {"EventData", EVTX_N_EVENTDATA},
        {"UserData", EVTX_N_USERDATA},
        {"Provider", EVTX_N_PROVIDER},
        {"EventID", EVTX_N_EVENTID},
        {"Level", EVTX_N_LEVEL},
        {"TimeCreated", EVTX_N_TIMECREATED},
        {"EventRecordID", EVTX_N_EVENTRECORDID},
        {"Channel", EVTX_N_CHANNEL},
        {"Computer", EVTX_N_COMPUTER},
        {"Data", EVTX_N_DATA},
        {"Name", EVTX_N_NAME},
        {"EventSourceName", EVTX_N_EVENTSOURCENAME},
        {"Qualifiers", EVTX_N_QUALIFIERS},
        {"SystemTime", EVTX_N_SYSTEMTIME},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].s) == n && memcmp(known[i].s, s, n) == 0)
            return known[i].k;
    if (n >= 5 && memcmp(s, "xmlns", 5) == 0 && (n == 5 || s[5] == ':'))
        return EVTX_N_XMLNS;
    return EVTX_N_OTHER;
}

/* The hash Windows stores with every name: x65599 over the UTF-16 units, low 16 bits. It is
 * what tells a name from the bytes left where a name used to be, in reused chunks. */
static uint16_t name_hash(const uint8_t *units, uint32_t n)
{
    uint32_t h = 0;
    for (uint32_t i = 0; i < n; i++)
        h = h * 65599u + evtx_u16(units + 2 * i);
    return (uint16_t)h;
}

/* A wrong hash is damage in a live record (counted once per name and chunk, the name used
 * anyway) and a sign of overwritten bytes in a slack record (rejected). */
static int name_checked(xs_evtx_reader *r, struct evtx_name *nm, const struct evtx_name **out)
{
    if (!nm->hash_ok) {
        if (r->recovering)
            return EVTX_EBAD;
        if (!nm->counted)
            r->st->name_hash_errors++;
        nm->counted = 1;
        r->bad_name_seen = 1;
    }
    *out = nm;
    return EVTX_OK;
}

/* Decodes the name stored at chunk offset off, once per chunk. */
static int name_at(xs_evtx_reader *r, uint32_t off, const struct evtx_name **out)
{
    uint32_t h = slot_hash(off) & (EVTX_NAME_SLOTS - 1);
    while (r->names[h].gen == r->gen) {
        if (r->names[h].off == off)
            return name_checked(r, r->names[h].name, out);
        h = (h + 1) & (EVTX_NAME_SLOTS - 1);
    }
    if (off < EVTX_CHUNK_HDR || off > r->clen || r->clen - off < NAME_HDR)
        return EVTX_EBAD;
    uint32_t units = evtx_u16(r->chunk + off + 6);
    if ((r->clen - off - NAME_HDR) / 2 < units)
        return EVTX_EBAD;
    if (r->nnames >= XS_EVTX_MAX_NAMES)
        return EVTX_ELIMIT;
    size_t mark = r->cmem.used;
    struct evtx_name *nm = evtx_arena_alloc(&r->cmem, sizeof *nm);
    /* worst case: 4 copies of 3 bytes per unit, plus "<", "</>", " =\"" and a NUL */
    char *s = evtx_arena_alloc(&r->cmem, 12 * (size_t)units + 8);
    if (!nm || !s) {
        r->cmem.used = mark;
        return EVTX_ELIMIT;
    }
    struct evtx_buf b = {s, 0, 3 * (size_t)units, 0};
    evtx_buf_put_utf16(&b, r->chunk + off + NAME_HDR, units);
    size_t n = b.len;
    /* s = NAME\0, then "<NAME", "</NAME>", " NAME=\"" */
    s[n] = '\0';
    char *o = s + n + 1;
    o[0] = '<';
    memcpy(o + 1, s, n);
    char *c = o + 1 + n;
    memcpy(c, "</", 2);
    memcpy(c + 2, s, n);
    c[2 + n] = '>';
    char *a = c + 3 + n;
    a[0] = ' ';
    memcpy(a + 1, s, n);
    memcpy(a + 1 + n, "=\"", 2);
    /* Give back what the worst-case UTF-8 estimate did not use. */
    r->cmem.used = (size_t)((uint8_t *)s - r->cmem.base) + ((4 * n + 8 + 7) & ~(size_t)7);
    nm->s = s;
    nm->len = (uint32_t)n;
    nm->known = classify(s, nm->len);
    nm->open = o;
    nm->close = c;
    nm->attr = a;
    nm->hash_ok = name_hash(r->chunk + off + NAME_HDR, units) == evtx_u16(r->chunk + off + 4);
    nm->counted = 0;
    r->names[h] = (struct evtx_name_slot){off, r->gen, nm};
    r->nnames++;
    return name_checked(r, nm, out);
}

static int need(const struct cc *c, size_t n)
{
    return (size_t)(c->end - c->p) >= n;
}

static uint32_t pos_of(const struct cc *c, const uint8_t *p)
{
    return (uint32_t)(p - c->r->chunk);
}

static int read_name(struct cc *c, const struct evtx_name **out)
{
    if (!need(c, 4))
        return EVTX_EBAD;
    uint32_t off = evtx_u32(c->p);
    c->p += 4;
    if (off == pos_of(c, c->p)) {
        if (!need(c, NAME_HDR))
            return EVTX_EBAD;
        size_t sz = NAME_HDR + 2 * (size_t)evtx_u16(c->p + 6) + 2;
        if (!need(c, sz))
            return EVTX_EBAD;
        c->p += sz;
    }
    return name_at(c->r, off, out);
}

/* Appends an op; NULL when the scratch arena is full. Ops of one compile stay contiguous:
 * a template compiled on the way is copied out and its scratch space given back first. */
static struct evtx_op *emit(struct cc *c, uint8_t kind, const void *a, uint32_t n)
{
    struct evtx_op *op = evtx_arena_alloc(&c->r->scratch, sizeof *op);
    if (!op)
        return NULL;
    if (!c->first)
        c->first = op;
    *op = (struct evtx_op){.kind = kind, .n = n, .a = a};
    c->nops++;
    return op;
}

static int emitted(const struct evtx_op *op)
{
    return op ? EVTX_OK : EVTX_ELIMIT;
}

/* Whether a name ref at q looks right: inline, or pointing back into the chunk (names are
 * written before their first use). */
static int name_ref_plausible(const struct cc *c, const uint8_t *q)
{
    if (c->end - q < 4)
        return 0;
    uint32_t off = evtx_u32(q);
    uint32_t pos = pos_of(c, q + 4);
    return off == pos || (off >= EVTX_CHUNK_HDR && off < pos);
}

static int open_element(struct cc *c, uint8_t tok)
{
    /* Template bodies carry a dependency id before the data size, other BinXML does not;
     * files that break the rule exist, so the other layout is taken when only it makes
     * sense. */
    int dep = c->tpl_body;
    const uint8_t *q = c->p;
    if (!name_ref_plausible(c, q + (dep ? 6 : 4)) && name_ref_plausible(c, q + (dep ? 4 : 6)))
        dep = !dep;
    size_t skip = dep ? 6 : 4;
    if (!need(c, skip))
        return EVTX_EBAD;
    c->p += skip;
    const struct evtx_name *nm;
    int rc = read_name(c, &nm);
    if (rc)
        return rc;
    if (tok & 0x40) {
        if (!need(c, 4))
            return EVTX_EBAD;
        c->p += 4;
    }
    return emitted(emit(c, EVTX_OP_OPEN, nm, 0));
}

static int text16(struct cc *c, uint8_t kind)
{
    if (!need(c, 2))
        return EVTX_EBAD;
    uint32_t units = evtx_u16(c->p);
    c->p += 2;
    if (!need(c, 2 * (size_t)units))
        return EVTX_EBAD;
    const struct evtx_op *op = emit(c, kind, c->p, units);
    c->p += 2 * (size_t)units;
    return emitted(op);
}

static int value(struct cc *c)
{
    if (!need(c, 1))
        return EVTX_EBAD;
    uint8_t type = *c->p++;
    if (type == 0x01)
        return text16(c, EVTX_OP_TEXT16);
    size_t sz = evtx_fixed_size(type);
    if (!sz || !need(c, sz))
        return EVTX_EBAD;
    struct evtx_op *op = emit(c, EVTX_OP_VALUE, c->p, (uint32_t)sz);
    if (op)
        op->vtype = type;
    c->p += sz;
    return emitted(op);
}

static int named(struct cc *c, uint8_t kind)
{
    const struct evtx_name *nm;
    int rc = read_name(c, &nm);
    return rc ? rc : emitted(emit(c, kind, nm, 0));
}

static int substitution(struct cc *c, uint8_t tok)
{
    if (!need(c, 3))
        return EVTX_EBAD;
    struct evtx_op *op = emit(c, EVTX_OP_SUBST, NULL, evtx_u16(c->p));
    if (op) {
        op->vtype = c->p[2];
        op->optional = tok == 0x0e;
    }
    c->p += 3;
    return emitted(op);
}

static int tpl_lookup(xs_evtx_reader *r, uint32_t off, uint32_t *slot)
{
    uint32_t h = slot_hash(off) & (EVTX_TPL_SLOTS - 1);
    while (r->tpls[h].gen == r->gen) {
        if (r->tpls[h].off == off) {
            *slot = h;
            return 1;
        }
        h = (h + 1) & (EVTX_TPL_SLOTS - 1);
    }
    *slot = h;
    return 0;
}

/* Compiles the definition at off into cmem, charging the work of reading its body. Records
 * normally reference templates defined earlier in the chunk; one defined later or whose
 * defining record is gone is still used when its bytes are a well-formed definition, since
 * the chunk is entirely in memory. */
static int tpl_compile(xs_evtx_reader *r, uint32_t off, const struct evtx_tpl **out)
{
    if (off < EVTX_CHUNK_HDR || off > r->clen || r->clen - off < TPL_HDR + 4)
        return EVTX_ETEMPLATE;
    const uint8_t *body = r->chunk + off + TPL_HDR;
    uint32_t size = evtx_u32(r->chunk + off + 20);
    if (size < 4 || size > r->clen - off - TPL_HDR || body[0] != 0x0f || body[1] != 0x01 ||
        body[2] != 0x01)
        return EVTX_ETEMPLATE;
    if (evtx_charge(r, EVTX_VALUE_COST(size)))
        return EVTX_ELIMIT;
    size_t mark = r->scratch.used;
    const struct evtx_op *ops;
    uint32_t nops;
    r->bad_name_seen = 0;
    int rc = evtx_compile(r, body, body + size, 1, &ops, &nops);
    if (!rc) {
        struct evtx_tpl *t = evtx_arena_alloc(&r->cmem, sizeof *t);
        struct evtx_op *copy = evtx_arena_alloc(&r->cmem, (size_t)nops * sizeof *copy + 1);
        if (!t || !copy) {
            rc = EVTX_ELIMIT;
        } else {
            if (nops) /* an empty body compiles to no ops (and ops == NULL) */
                memcpy(copy, ops, (size_t)nops * sizeof *copy);
            t->ops = copy;
            t->nops = nops;
            t->names_ok = !r->bad_name_seen;
            *out = t;
        }
    }
    r->scratch.used = mark;
    if (rc == EVTX_EBAD)
        rc = EVTX_ETEMPLATE;
    return rc;
}

static int tpl_get(xs_evtx_reader *r, uint32_t off, int inline_def, const struct evtx_tpl **out)
{
    uint32_t h;
    if (tpl_lookup(r, off, &h)) {
        *out = r->tpls[h].tpl;
        return *out ? EVTX_OK : r->tpls[h].err;
    }
    if (r->ntpls >= XS_EVTX_MAX_TEMPLATES)
        return EVTX_ELIMIT;
    const struct evtx_tpl *t = NULL;
    int rc = tpl_compile(r, off, &t);
    /* A failure is cached too, caps included: the chunk's names, memory and work only fill up,
     * so a template that hit one would hit it again, at the same cost, for every record. (A
     * record's own budget runs short only deep inside nested values, i.e. in hostile input.) */
    r->tpls[h] = (struct evtx_tpl_slot){off, r->gen, rc ? NULL : t, rc};
    r->ntpls++;
    r->st->templates += rc == EVTX_OK;
    r->st->templates_forward += rc == EVTX_OK && !inline_def && off > r->rec_off;
    *out = t;
    return rc;
}

static int template_instance(struct cc *c)
{
    if (c->tpl_body || !need(c, 9))
        return EVTX_EBAD;
    uint32_t def = evtx_u32(c->p + 5);
    c->p += 9;
    int inline_def = def == pos_of(c, c->p);
    if (inline_def) {
        if (!need(c, TPL_HDR))
            return EVTX_EBAD;
        uint32_t size = evtx_u32(c->p + 20);
        if ((size_t)(c->end - c->p) - TPL_HDR < size)
            return EVTX_EBAD;
        c->p += TPL_HDR + size;
    }
    const struct evtx_tpl *t;
    int rc = tpl_get(c->r, def, inline_def, &t);
    if (rc)
        return rc;
    if (!need(c, 4))
        return EVTX_EBAD;
    uint32_t n = evtx_u32(c->p);
    c->p += 4;
    if (n > XS_EVTX_MAX_SUBST)
        return EVTX_ELIMIT;
    if (!need(c, 4 * (size_t)n))
        return EVTX_EBAD;
    const uint8_t *desc = c->p;
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += evtx_u16(desc + 4 * i);
    c->p += 4 * (size_t)n;
    if (!need(c, total))
        return EVTX_EBAD;
    c->p += total;
    struct evtx_op *op = emit(c, EVTX_OP_TEMPLATE, t, n);
    if (op)
        op->b = desc;
    return emitted(op);
}

static int simple(struct cc *c, uint8_t kind, size_t skip)
{
    if (!need(c, skip))
        return EVTX_EBAD;
    uint32_t n = skip == 2 ? evtx_u16(c->p) : 0;
    c->p += skip;
    return emitted(emit(c, kind, NULL, n));
}

static int token(struct cc *c, uint8_t tok)
{
    switch (tok) {
    case 0x01:
    case 0x41:
        return open_element(c, tok);
    case 0x02:
        return simple(c, EVTX_OP_CLOSE_START, 0);
    case 0x03:
        return simple(c, EVTX_OP_CLOSE_EMPTY, 0);
    case 0x04:
        return simple(c, EVTX_OP_END, 0);
    case 0x05:
    case 0x45:
        return value(c);
    case 0x06:
    case 0x46:
        return named(c, EVTX_OP_ATTR);
    case 0x07:
    case 0x47:
        return text16(c, EVTX_OP_TEXT16);
    case 0x08:
    case 0x48:
        return simple(c, EVTX_OP_CHARREF, 2);
    case 0x09:
    case 0x49:
        return named(c, EVTX_OP_ENTITY);
    case 0x0a:
        return named(c, EVTX_OP_PI_TARGET);
    case 0x0b:
        return text16(c, EVTX_OP_PI_DATA);
    case 0x0c:
        return template_instance(c);
    case 0x0d:
    case 0x0e:
        return substitution(c, tok);
    case 0x0f:
        if (!need(c, 3))
            return EVTX_EBAD;
        c->p += 3;
        return EVTX_OK;
    default:
        return EVTX_EBAD;
    }
}

int evtx_compile(xs_evtx_reader *r, const uint8_t *p, const uint8_t *end, int tpl_body,
                 const struct evtx_op **ops, uint32_t *nops)
{
    struct cc c = {r, p, end, tpl_body, NULL, 0};
    while (c.p < c.end) {
        uint8_t tok = *c.p++;
        if (tok == 0x00)
            break;
        int rc = token(&c, tok);
        if (rc)
            return rc;
    }
    *ops = c.first;
    *nops = c.nops;
    return EVTX_OK;
}

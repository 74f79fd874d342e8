/* Ops to record: the runner half of the EVTX record decoder.
 *
 * Runs compiled BinXML (evtx_binxml.c) with a template instance's substitution values and
 * builds, in one pass, the three views of a record: the System values, the EventData/UserData
 * leaves as (name, value) pairs, and a compact XML-ish text. Element content is collected in
 * one buffer for the innermost open element only, since only leaves become fields.
 *
 * Windows rules kept here: an array value inside element content repeats the element once
 * per item (the classic-provider "<Data>%1</Data>" with a string array renders as one <Data>
 * per string); an optional substitution with a null value drops its attribute.
 */
#include "parsers/evtx/evtx_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeparse.h"

static int run(xs_evtx_reader *r, const struct evtx_op *ops, uint32_t n,
               const struct evtx_val *vals, uint32_t nv, int nest);

static inline void text_put(xs_evtx_reader *r, const char *s, size_t n)
{
    if (!(r->flags & XS_EVTX_NO_TEXT))
        evtx_buf_put(&r->out.text, s, n);
}

static const char *rmem_dup(xs_evtx_reader *r, const char *s, size_t n)
{
    char *d = evtx_arena_alloc(&r->rmem, n + 1);
    if (!d) {
        r->out.cut = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static uint64_t parse_u64(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

static void add_field(xs_evtx_reader *r, const char *name, size_t nlen, const char *v, size_t vlen)
{
    struct evtx_out *o = &r->out;
    if (o->nfields >= XS_EVTX_MAX_FIELDS) {
        o->cut = 1;
        return;
    }
    const char *copy = rmem_dup(r, v, vlen);
    if (!copy) {
        copy = "";
        vlen = 0;
    }
    o->fields[o->nfields++] = (xs_evtx_field){name, nlen, copy, vlen};
}

static void set_str(xs_evtx_reader *r, const char **dst, size_t *len, const struct evtx_buf *b)
{
    const char *s = rmem_dup(r, b->p, b->len);
    if (s) {
        *dst = s;
        *len = b->len;
    }
}

/* An attribute is complete: write it and pick out what the record needs. */
static void attr_done(xs_evtx_reader *r, const struct evtx_elem *e, const struct evtx_name *a)
{
    struct evtx_out *o = &r->out;
    const struct evtx_buf *v = &o->attr;
    o->cut |= v->cut;
    if (!e)
        return;
    uint32_t ek = e->name->known;
    switch (e->ctx) {
    case EVTX_C_SYSFIELD:
        if (ek == EVTX_N_PROVIDER && a->known == EVTX_N_NAME)
            set_str(r, &o->rec.provider, &o->rec.provider_len, v);
        else if (ek == EVTX_N_PROVIDER && a->known == EVTX_N_EVENTSOURCENAME && !*o->rec.provider)
            set_str(r, &o->rec.provider, &o->rec.provider_len, v);
        else if (ek == EVTX_N_EVENTID && a->known == EVTX_N_QUALIFIERS && v->len) {
            o->rec.qualifiers = (uint32_t)parse_u64(v->p, v->len);
            o->rec.has_qualifiers = 1;
        } else if (ek == EVTX_N_TIMECREATED && a->known == EVTX_N_SYSTEMTIME) {
            if (o->attr_ft_set) {
                o->rec.time_ms = xs_evtx_filetime_to_ms(o->attr_ft);
                o->time_set = 1;
            } else {
                /* 1601-01-01T00:00:00Z is a zero FILETIME as text: no time either */
                o->rec.time_ms = xs_time_parse_iso(xs_str_make(v->p, v->len));
                o->time_set =
                    o->rec.time_ms != EXS_TIME_NONE && o->rec.time_ms != -EVTX_EPOCH_GAP_MS;
            }
        }
        break;
    case EVTX_C_DATA:
        if (ek == EVTX_N_DATA && a->known == EVTX_N_NAME) {
            struct evtx_elem *top = &o->stack[o->depth - 1];
            top->dname = rmem_dup(r, v->p, v->len);
            top->dname_len = top->dname ? (uint32_t)v->len : 0;
        }
        break;
    case EVTX_C_USER:
        if (a->known != EVTX_N_XMLNS)
            add_field(r, a->s, a->len, v->p, v->len);
        break;
    default:
        break;
    }
}

static void attr_write(xs_evtx_reader *r)
{
    struct evtx_out *o = &r->out;
    const struct evtx_name *a = o->attr_name;
    o->attr_name = NULL;
    if (!o->attr_vals && o->attr_skipped)
        return; /* only null optional values: Windows drops the attribute */
    text_put(r, a->attr, a->len + 3);
    text_put(r, o->attr.p, o->attr.len);
    text_put(r, "\"", 1);
    attr_done(r, o->depth ? &o->stack[o->depth - 1] : NULL, a);
}

static inline void attr_finish(xs_evtx_reader *r)
{
    if (r->out.attr_name)
        attr_write(r);
}

/* Ends the start tag if still open, so that content may follow. */
static void content_begin(xs_evtx_reader *r)
{
    attr_finish(r);
    if (r->out.tag_open) {
        text_put(r, ">", 1);
        r->out.tag_open = 0;
    }
}

/* Content is about to be written into the innermost element. */
static void content_mark(xs_evtx_reader *r)
{
    content_begin(r);
    if (r->out.depth)
        r->out.stack[r->out.depth - 1].has_content = 1;
}

static uint8_t child_ctx(const struct evtx_out *o, uint32_t known)
{
    if (o->depth == 0)
        return EVTX_C_ROOT;
    switch (o->stack[o->depth - 1].ctx) {
    case EVTX_C_ROOT:
        return known == EVTX_N_SYSTEM      ? EVTX_C_SYSTEM
               : known == EVTX_N_EVENTDATA ? EVTX_C_EVENTDATA
               : known == EVTX_N_USERDATA  ? EVTX_C_USERDATA
                                           : EVTX_C_OTHER;
    case EVTX_C_SYSTEM:
        return EVTX_C_SYSFIELD;
    case EVTX_C_EVENTDATA:
    case EVTX_C_DATA:
        return EVTX_C_DATA;
    case EVTX_C_USERDATA:
    case EVTX_C_USER:
        return EVTX_C_USER;
    default:
        return EVTX_C_OTHER;
    }
}

static int push(xs_evtx_reader *r, const struct evtx_name *nm, uint8_t ctx, const char *dname,
                uint32_t dname_len)
{
    struct evtx_out *o = &r->out;
    if (o->depth >= XS_EVTX_MAX_DEPTH)
        return EVTX_ELIMIT;
    if (o->depth)
        o->stack[o->depth - 1].has_child = 1;
    o->stack[o->depth++] =
        (struct evtx_elem){nm, dname, dname_len, (uint32_t)o->text.len, ctx, 0, 0, 0};
    evtx_buf_reset(&o->val, XS_EVTX_MAX_VALUE);
    text_put(r, nm->open, nm->len + 1);
    return EVTX_OK;
}

static int open_elem(xs_evtx_reader *r, const struct evtx_name *nm)
{
    content_begin(r);
    int rc = push(r, nm, child_ctx(&r->out, nm->known), NULL, 0);
    r->out.tag_open = rc == EVTX_OK;
    return rc;
}

/* A leaf is complete: its collected content is its value. */
static void leaf_done(xs_evtx_reader *r, const struct evtx_elem *e)
{
    struct evtx_out *o = &r->out;
    const struct evtx_buf *v = &o->val;
    o->cut |= v->cut;
    switch (e->ctx) {
    case EVTX_C_SYSFIELD:
        switch (e->name->known) {
        case EVTX_N_EVENTID:
            o->rec.event_id = (uint32_t)parse_u64(v->p, v->len);
            break;
        case EVTX_N_LEVEL:
            o->rec.level = (uint8_t)parse_u64(v->p, v->len);
            break;
        case EVTX_N_EVENTRECORDID:
            o->rec.event_record_id = parse_u64(v->p, v->len);
            break;
        case EVTX_N_CHANNEL:
            set_str(r, &o->rec.channel, &o->rec.channel_len, v);
            break;
        case EVTX_N_COMPUTER:
            set_str(r, &o->rec.computer, &o->rec.computer_len, v);
            break;
        default:
            break;
        }
        break;
    case EVTX_C_DATA:
    case EVTX_C_USER:
        if (e->dname)
            add_field(r, e->dname, e->dname_len, v->p, v->len);
        else
            add_field(r, e->name->s, e->name->len, v->p, v->len);
        break;
    default:
        break;
    }
}

static void pop(xs_evtx_reader *r, int empty)
{
    struct evtx_out *o = &r->out;
    attr_finish(r);
    if (o->depth == 0)
        return; /* an end with nothing open: ignored */
    const struct evtx_elem *e = &o->stack[o->depth - 1];
    if (e->null_opt && !e->has_content && !e->has_child) {
        /* Only a null optional value inside: Windows leaves the element out altogether. */
        if (o->text.len > e->text_start && !o->text.cut)
            o->text.len = e->text_start;
        o->tag_open = 0;
        o->depth--;
        evtx_buf_reset(&o->val, XS_EVTX_MAX_VALUE);
        return;
    }
    if (o->tag_open || empty) {
        if (o->tag_open)
            text_put(r, "/>", 2);
        o->tag_open = 0;
    } else {
        text_put(r, e->name->close, e->name->len + 3);
    }
    if (!e->has_child)
        leaf_done(r, e);
    o->depth--;
    evtx_buf_reset(&o->val, XS_EVTX_MAX_VALUE);
}

static void attr_begin(xs_evtx_reader *r, const struct evtx_name *nm)
{
    struct evtx_out *o = &r->out;
    attr_finish(r);
    if (!o->tag_open)
        return; /* an attribute outside a start tag: its values become content */
    o->attr_name = nm;
    evtx_buf_reset(&o->attr, XS_EVTX_MAX_VALUE);
    o->attr_vals = 0;
    o->attr_skipped = 0;
    o->attr_ft_set = 0;
}

/* Content text already in val at [from, val.len): mirror it into the text. */
static void content_mirror(xs_evtx_reader *r, size_t from)
{
    text_put(r, r->out.val.p + from, r->out.val.len - from);
}

static int put_value(xs_evtx_reader *r, uint8_t type, const uint8_t *p, size_t n)
{
    struct evtx_out *o = &r->out;
    if (o->attr_name) {
        o->attr_ft_set = !o->attr_vals && type == 0x11 && n >= 8;
        if (o->attr_ft_set)
            o->attr_ft = evtx_u64(p);
        evtx_buf_put_value(&o->attr, type, p, n);
        o->attr_vals = 1;
        return EVTX_OK;
    }
    content_mark(r);
    if (!(type & 0x80) || o->depth == 0) {
        size_t from = o->val.len;
        evtx_buf_put_value(&o->val, type, p, n);
        content_mirror(r, from);
        return EVTX_OK;
    }
    size_t pos = 0, in;
    const uint8_t *ip;
    int first = 1;
    while (evtx_array_next(type, p, n, &pos, &ip, &in)) {
        if (!first) { /* one element per item, as Windows renders arrays */
            struct evtx_elem e = o->stack[o->depth - 1];
            pop(r, 0);
            int rc = push(r, e.name, e.ctx, e.dname, e.dname_len);
            if (rc)
                return rc;
            if (e.dname) {
                text_put(r, " Name=\"", 7);
                text_put(r, e.dname, e.dname_len);
                text_put(r, "\"", 1);
            }
            text_put(r, ">", 1);
        }
        first = 0;
        size_t from = o->val.len;
        evtx_buf_put_value(&o->val, type & 0x7F, ip, in);
        content_mirror(r, from);
    }
    return EVTX_OK;
}

static void put_text16(xs_evtx_reader *r, const uint8_t *p, uint32_t units)
{
    struct evtx_out *o = &r->out;
    if (o->attr_name) {
        evtx_buf_put_utf16(&o->attr, p, units);
        o->attr_vals = 1;
        return;
    }
    content_mark(r);
    size_t from = o->val.len;
    evtx_buf_put_utf16(&o->val, p, units);
    content_mirror(r, from);
}

static void put_plain(xs_evtx_reader *r, const char *s, size_t n)
{
    struct evtx_out *o = &r->out;
    if (o->attr_name) {
        evtx_buf_put(&o->attr, s, n);
        o->attr_vals = 1;
        return;
    }
    content_mark(r);
    size_t from = o->val.len;
    evtx_buf_put(&o->val, s, n);
    content_mirror(r, from);
}

static void put_charref(xs_evtx_reader *r, uint32_t u)
{
    const uint8_t le[2] = {(uint8_t)u, (uint8_t)(u >> 8)};
    put_text16(r, le, 1); /* lone surrogates become U+FFFD there, NUL nothing */
}

static void put_entity(xs_evtx_reader *r, const struct evtx_name *nm)
{
    static const char *const ent[][2] = {
        {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"},
    };
    for (size_t i = 0; i < sizeof ent / sizeof ent[0]; i++)
        if (strcmp(nm->s, ent[i][0]) == 0) {
            put_plain(r, ent[i][1], 1);
            return;
        }
    put_plain(r, "&", 1);
    put_plain(r, nm->s, nm->len);
    put_plain(r, ";", 1);
}

static void put_pi(xs_evtx_reader *r, const struct evtx_op *op)
{
    content_begin(r);
    if (op->kind == EVTX_OP_PI_TARGET) {
        const struct evtx_name *nm = op->a;
        text_put(r, "<?", 2);
        text_put(r, nm->s, nm->len);
        text_put(r, "?>", 2);
        return;
    }
    /* PI data: written inside the target's "<?name ?>" */
    struct evtx_buf *t = &r->out.text;
    if (r->flags & XS_EVTX_NO_TEXT || t->cut || t->len < 2 ||
        memcmp(t->p + t->len - 2, "?>", 2) != 0)
        return;
    t->len -= 2;
    text_put(r, " ", 1);
    evtx_buf_put_utf16(t, op->a, op->n);
    text_put(r, "?>", 2);
}

static int nested_binxml(xs_evtx_reader *r, const struct evtx_val *v, int nest)
{
    if (nest + 1 > XS_EVTX_MAX_NEST)
        return EVTX_ELIMIT;
    size_t mark = r->scratch.used;
    const struct evtx_op *ops;
    uint32_t n;
    int rc = evtx_compile(r, v->p, v->p + v->size, 0, &ops, &n);
    if (!rc)
        rc = run(r, ops, n, NULL, 0, nest + 1);
    r->scratch.used = mark;
    return rc;
}

static int substitute(xs_evtx_reader *r, const struct evtx_op *op, const struct evtx_val *vals,
                      uint32_t nv, int nest)
{
    const struct evtx_val *v = op->n < nv ? &vals[op->n] : NULL;
    if (!v || v->type == 0x00 || v->size == 0) {
        if (op->optional) {
            if (r->out.attr_name)
                r->out.attr_skipped = 1;
            else if (r->out.depth)
                r->out.stack[r->out.depth - 1].null_opt = 1;
            return EVTX_OK;
        }
        return put_value(r, 0x00, NULL, 0);
    }
    int rc = evtx_charge(r, EVTX_VALUE_COST(v->size));
    if (rc)
        return rc;
    if (v->type == 0x21)
        return nested_binxml(r, v, nest);
    return put_value(r, v->type, v->p, v->size);
}

static int instance(xs_evtx_reader *r, const struct evtx_op *op, int nest)
{
    const struct evtx_tpl *t = op->a;
    uint32_t n = op->n;
    if (nest + 1 > XS_EVTX_MAX_NEST || n > EVTX_MAX_VALS - r->nvals)
        return EVTX_ELIMIT;
    if (r->recovering && !t->names_ok)
        return EVTX_EBAD;
    struct evtx_val *vals = r->vals + r->nvals;
    const uint8_t *d = op->b;
    const uint8_t *v = d + 4 * (size_t)n; /* sizes were checked against the stream */
    for (uint32_t i = 0; i < n; i++) {
        vals[i].size = evtx_u16(d + 4 * i);
        vals[i].type = d[4 * i + 2];
        vals[i].p = v;
        v += vals[i].size;
    }
    r->nvals += n;
    int rc = run(r, t->ops, t->nops, vals, n, nest + 1);
    r->nvals -= n;
    return rc;
}

static int step(xs_evtx_reader *r, const struct evtx_op *op, const struct evtx_val *vals,
                uint32_t nv, int nest)
{
    switch (op->kind) {
    case EVTX_OP_OPEN:
        return open_elem(r, op->a);
    case EVTX_OP_ATTR:
        attr_begin(r, op->a);
        return EVTX_OK;
    case EVTX_OP_CLOSE_START:
        content_begin(r);
        return EVTX_OK;
    case EVTX_OP_CLOSE_EMPTY:
        pop(r, 1);
        return EVTX_OK;
    case EVTX_OP_END:
        pop(r, 0);
        return EVTX_OK;
    case EVTX_OP_TEXT16:
        if (evtx_charge(r, EVTX_VALUE_COST(2 * (size_t)op->n)))
            return EVTX_ELIMIT;
        put_text16(r, op->a, op->n);
        return EVTX_OK;
    case EVTX_OP_VALUE:
        return put_value(r, op->vtype, op->a, op->n);
    case EVTX_OP_SUBST:
        return substitute(r, op, vals, nv, nest);
    case EVTX_OP_CHARREF:
        put_charref(r, op->n);
        return EVTX_OK;
    case EVTX_OP_ENTITY:
        put_entity(r, op->a);
        return EVTX_OK;
    case EVTX_OP_PI_TARGET:
    case EVTX_OP_PI_DATA:
        put_pi(r, op);
        return EVTX_OK;
    case EVTX_OP_TEMPLATE:
        return instance(r, op, nest);
    default:
        return EVTX_EBAD;
    }
}

static int run(xs_evtx_reader *r, const struct evtx_op *ops, uint32_t n,
               const struct evtx_val *vals, uint32_t nv, int nest)
{
    for (uint32_t i = 0; i < n; i++) {
        int rc = evtx_charge(r, 1);
        if (!rc)
            rc = step(r, &ops[i], vals, nv, nest);
        if (rc)
            return rc;
    }
    return EVTX_OK;
}

static void out_begin(xs_evtx_reader *r)
{
    struct evtx_out *o = &r->out;
    evtx_buf_reset(&o->text, XS_EVTX_MAX_TEXT);
    evtx_buf_reset(&o->val, XS_EVTX_MAX_VALUE);
    evtx_buf_reset(&o->attr, XS_EVTX_MAX_VALUE);
    o->depth = 0;
    o->attr_name = NULL;
    o->tag_open = 0;
    o->cut = 0;
    o->time_set = 0;
    o->nfields = 0;
    memset(&o->rec, 0, sizeof o->rec);
    o->rec.provider = o->rec.channel = o->rec.computer = "";
    r->scratch.used = 0;
    r->rmem.used = 0;
    r->nvals = 0;
    r->work = XS_EVTX_MAX_RECORD_WORK;
}

int evtx_render_record(xs_evtx_reader *r, const uint8_t *p, const uint8_t *end)
{
    struct evtx_out *o = &r->out;
    out_begin(r);
    const struct evtx_op *ops;
    uint32_t n;
    int rc = evtx_compile(r, p, end, 0, &ops, &n);
    if (!rc)
        rc = run(r, ops, n, NULL, 0, 0);
    if (rc)
        return rc;
    while (o->depth) /* elements left open by a short fragment still yield their leaves */
        pop(r, 0);
    attr_finish(r);
    o->cut |= o->text.cut;
    o->text.p[o->text.len] = '\0';
    o->rec.text = o->text.p;
    o->rec.text_len = o->text.len;
    o->rec.fields = o->fields;
    o->rec.nfields = o->nfields;
    if (o->cut)
        o->rec.flags |= XS_EVTX_REC_TRUNCATED;
    if (!o->time_set)
        o->rec.time_ms = INT64_MIN; /* the reader fills in the written time */
    return EVTX_OK;
}

static exs_rc buf_init(struct evtx_buf *b, size_t cap)
{
    b->p = malloc(cap + 1);
    b->len = 0;
    b->cap = cap;
    b->cut = 0;
    return b->p ? EXS_OK : EXS_ENOMEM;
}

exs_rc evtx_out_init(struct evtx_out *o)
{
    memset(o, 0, sizeof *o);
    o->fields = malloc(XS_EVTX_MAX_FIELDS * sizeof *o->fields);
    if (!o->fields || buf_init(&o->text, XS_EVTX_MAX_TEXT) ||
        buf_init(&o->val, XS_EVTX_MAX_VALUE) || buf_init(&o->attr, XS_EVTX_MAX_VALUE))
        return EXS_ENOMEM;
    return EXS_OK;
}

void evtx_out_free(struct evtx_out *o)
{
    free(o->fields);
    free(o->text.p);
    free(o->val.p);
    free(o->attr.p);
    memset(o, 0, sizeof *o);
}

/* Flat view of one JSON object. A recursive-descent reader with an explicit depth cap; every
 * read checks the end pointer first. */
#include "parsers/json.h"

typedef struct jp {
    const char *p, *end;
    xs_json_pair *out;
    size_t max, n;
    char *scratch; /* next free byte; never more than the input length is written */
    char *paths;   /* full dotted keys (xs_json_paths), NULL for leaf keys */
    size_t pused, pcap;
    int maxdepth;  /* XS_JSON_MAX_DEPTH, or the caller's (xs_json_paths_depth) */
} jp;

static void ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
        j->p++;
}

static int hex4(const char *p, const char *end, unsigned *v)
{
    if (end - p < 4)
        return -1;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (unsigned)d;
    }
    return 0;
}

/* UTF-8 of cp; at most 4 bytes, and never more than the 6 input bytes of its escape. */
static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string at j->p (the opening quote). Unescaped copy in scratch when it has escapes. */
static int string(jp *j, xs_str *out)
{
    if (j->p >= j->end || *j->p != '"')
        return -1;
    const char *s = ++j->p;
    const char *q = s;
    while (q < j->end && *q != '"' && *q != '\\')
        q++;
    if (q < j->end && *q == '"') { /* no escapes: point into the input */
        *out = xs_str_make(s, (size_t)(q - s));
        j->p = q + 1;
        return 0;
    }
    char *o = j->scratch;
    char *start = o;
    const char *p = s;
    while (p < j->end && *p != '"') {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        if (++p >= j->end)
            return -1;
        char e = *p++;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p, j->end, &cp) < 0)
                return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && j->end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2, j->end, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6; /* 12 input bytes for 4 output bytes */
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            o += put_utf8(o, cp);
            break;
        }
        default: return -1;
        }
    }
    if (p >= j->end)
        return -1;
    *out = xs_str_make(start, (size_t)(o - start));
    j->scratch = o;
    j->p = p + 1;
    return 0;
}

static void emit(jp *j, xs_str key, xs_str value)
{
    if (j->n < j->max) {
        j->out[j->n].key = key;
        j->out[j->n].value = value;
    }
    j->n++;
}

static int value(jp *j, xs_str key, int depth);

/* The key of a member: its own name, or with paths on, parent + "." + name. */
static int member_key(jp *j, xs_str parent, xs_str name, xs_str *out)
{
    if (!j->paths) {
        *out = name;
        return 0;
    }
    size_t need = parent.n + (parent.n ? 1 : 0) + name.n;
    if (need > j->pcap - j->pused)
        return -1;
    char *d = j->paths + j->pused;
    if (parent.n) {
        memcpy(d, parent.p, parent.n);
        d[parent.n] = '.';
    }
    memcpy(d + parent.n + (parent.n ? 1 : 0), name.p, name.n);
    j->pused += need;
    *out = xs_str_make(d, need);
    return 0;
}

/* After a member or element: 1 on ',' (another follows), 0 on the closing bracket, -1 else. */
static int next_or_close(jp *j, char close)
{
    ws(j);
    if (j->p < j->end && (*j->p == ',' || *j->p == close))
        return *j->p++ == ',';
    return -1;
}

static int object(jp *j, xs_str parent, int depth)
{
    if (depth > j->maxdepth || j->p >= j->end || *j->p != '{')
        return -1;
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return 0;
    }
    for (;;) {
        xs_str key;
        ws(j);
        if (string(j, &key) < 0)
            return -1;
        ws(j);
        if (j->p >= j->end || *j->p != ':')
            return -1;
        j->p++;
        ws(j);
        xs_str full;
        if (member_key(j, parent, key, &full) < 0 || value(j, full, depth + 1) < 0)
            return -1;
        int k = next_or_close(j, '}');
        if (k <= 0)
            return k;
    }
}

static int array(jp *j, xs_str key, int depth)
{
    if (depth > j->maxdepth)
        return -1;
    j->p++; /* '[' */
    ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return 0;
    }
    for (;;) {
        ws(j);
        if (value(j, key, depth + 1) < 0)
            return -1;
        int k = next_or_close(j, ']');
        if (k <= 0)
            return k;
    }
}

static int value(jp *j, xs_str key, int depth)
{
    if (j->p >= j->end)
        return -1;
    char c = *j->p;
    if (c == '{')
        return object(j, j->paths ? key : XS_STR_NULL, depth);
    if (c == '[')
        return array(j, key, depth);
    if (c == '"') {
        xs_str v;
        if (string(j, &v) < 0)
            return -1;
        emit(j, key, v);
        return 0;
    }
    /* number, true, false, null: keep the token's text */
    const char *s = j->p;
    while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' && *j->p != ' ' &&
           *j->p != '\t' && *j->p != '\r' && *j->p != '\n')
        j->p++;
    if (j->p == s)
        return -1;
    emit(j, key, xs_str_make(s, (size_t)(j->p - s)));
    return 0;
}

static int top(jp *j, size_t *count)
{
    ws(j);
    int rc = object(j, XS_STR_NULL, 0);
    if (rc == 0) {
        ws(j);
        if (j->p != j->end)
            rc = -1;
    }
    *count = j->n < j->max ? j->n : j->max;
    return rc;
}

int xs_json_paths(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                   char *scratch, char *paths, size_t pcap)
{
    return xs_json_paths_depth(p, n, out, max, count, scratch, paths, pcap, XS_JSON_MAX_DEPTH);
}

int xs_json_paths_depth(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                         char *scratch, char *paths, size_t pcap, int maxdepth)
{
    jp j = {p, p + n, out, max, 0, scratch, paths, 0, pcap, maxdepth};
    return top(&j, count);
}

int xs_json_flat(const char *p, size_t n, xs_json_pair *out, size_t max, size_t *count,
                  char *scratch)
{
    jp j = {p, p + n, out, max, 0, scratch, NULL, 0, 0, XS_JSON_MAX_DEPTH};
    ws(&j);
    int rc = object(&j, XS_STR_NULL, 0);
    if (rc == 0) {
        ws(&j);
        if (j.p != j.end)
            rc = -1;
    }
    *count = j.n < max ? j.n : max;
    return rc;
}

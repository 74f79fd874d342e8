/* Tolerant XML tag scanner. Every index is checked against n before use. */
#include <string.h>

#include "parsers/xmltag.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

/* Skips a construct that starts at p (after '<') and ends with term; returns the index after
 * it, or n. */
static size_t skip_to(const char *buf, size_t n, size_t p, const char *term)
{
    size_t tl = strlen(term);
    while (p + tl <= n) {
        if (memcmp(buf + p, term, tl) == 0)
            return p + tl;
        p++;
    }
    return n;
}

bool xs_xml_next(const char *buf, size_t n, size_t *pos, xs_xml_tag *t)
{
    size_t p = *pos;
    while (p < n) {
        const char *lt = memchr(buf + p, '<', n - p);
        if (!lt)
            break;
        p = (size_t)(lt - buf);
        size_t q = p + 1;
        if (q < n && buf[q] == '!') {
            if (q + 3 <= n && memcmp(buf + q, "!--", 3) == 0)
                p = skip_to(buf, n, q + 3, "-->");
            else if (q + 8 <= n && memcmp(buf + q, "![CDATA[", 8) == 0)
                p = skip_to(buf, n, q + 8, "]]>");
            else
                p = skip_to(buf, n, q, ">");
            continue;
        }
        if (q < n && buf[q] == '?') {
            p = skip_to(buf, n, q, "?>");
            continue;
        }
        memset(t, 0, sizeof *t);
        t->start = p;
        if (q < n && buf[q] == '/') {
            t->closing = true;
            q++;
        }
        size_t ns = q;
        while (q < n && is_name(buf[q]))
            q++;
        if (q == ns) {
            p = q; /* "<" not followed by a name: text */
            continue;
        }
        t->name = xs_str_make(buf + ns, q - ns);
        /* Attributes up to '>' or '/>'. */
        for (;;) {
            while (q < n && is_space(buf[q]))
                q++;
            if (q >= n) {
                *pos = n;
                t->end = n;
                return true; /* truncated tag: keep what was read */
            }
            if (buf[q] == '>') {
                q++;
                break;
            }
            if (buf[q] == '/' && q + 1 < n && buf[q + 1] == '>') {
                t->empty = true;
                q += 2;
                break;
            }
            if (buf[q] == '<')
                break; /* a new tag begins: this one was broken */
            size_t an = q;
            while (q < n && is_name(buf[q]))
                q++;
            if (q == an) {
                q++; /* junk byte */
                continue;
            }
            xs_str aname = xs_str_make(buf + an, q - an);
            while (q < n && is_space(buf[q]))
                q++;
            xs_str aval = XS_STR_NULL;
            if (q < n && buf[q] == '=') {
                q++;
                while (q < n && is_space(buf[q]))
                    q++;
                if (q < n && (buf[q] == '"' || buf[q] == '\'')) {
                    char quote = buf[q++];
                    const char *e = memchr(buf + q, quote, n - q);
                    size_t vend = e ? (size_t)(e - buf) : n;
                    aval = xs_str_make(buf + q, vend - q);
                    q = e ? vend + 1 : n;
                } else {
                    size_t vs = q;
                    while (q < n && !is_space(buf[q]) && buf[q] != '>' && buf[q] != '/')
                        q++;
                    aval = xs_str_make(buf + vs, q - vs);
                }
            }
            if (t->nattr < XS_XML_MAX_ATTRS)
                t->attr[t->nattr++] = (xs_xml_attr){aname, aval};
        }
        t->end = q;
        *pos = q;
        return true;
    }
    *pos = n;
    return false;
}

xs_str xs_xml_attr_get(const xs_xml_tag *t, const char *name)
{
    for (size_t i = 0; i < t->nattr; i++)
        if (xs_str_ieq(t->attr[i].name, name))
            return t->attr[i].value.p ? t->attr[i].value : xs_str_make("", 0);
    return XS_STR_NULL;
}

static size_t put_utf8(unsigned long cp, char *out, size_t room)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80 && room >= 1) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800 && room >= 2) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000 && room >= 3) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (room >= 4) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t xs_xml_unescape(xs_str v, char *out, size_t cap)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t o = 0;
    if (!cap)
        return 0;
    for (size_t i = 0; i < v.n && o + 1 < cap;) {
        if (v.p[i] == '&') {
            bool done = false;
            for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++) {
                size_t el = strlen(ents[k].ent);
                if (i + el <= v.n && memcmp(v.p + i, ents[k].ent, el) == 0) {
                    out[o++] = ents[k].c;
                    i += el;
                    done = true;
                    break;
                }
            }
            if (!done && i + 3 < v.n && v.p[i + 1] == '#') {
                size_t j = i + 2;
                bool hex = j < v.n && (v.p[j] == 'x' || v.p[j] == 'X');
                if (hex)
                    j++;
                unsigned long cp = 0;
                size_t digits = 0;
                while (j < v.n && digits < 8) {
                    int d =
                        hex ? xs_hexval(v.p[j]) : (v.p[j] >= '0' && v.p[j] <= '9' ? v.p[j] - '0' : -1);
                    if (d < 0)
                        break;
                    cp = cp * (hex ? 16 : 10) + (unsigned long)d;
                    j++;
                    digits++;
                }
                if (digits && j < v.n && v.p[j] == ';') {
                    size_t w = put_utf8(cp, out + o, cap - 1 - o);
                    if (w) {
                        o += w;
                        i = j + 1;
                        done = true;
                    }
                }
            }
            if (done)
                continue;
        }
        out[o++] = v.p[i++];
    }
    out[o] = 0;
    return o;
}

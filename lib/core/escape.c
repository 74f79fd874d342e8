/* Escaping attacker bytes for every output we write. */
#include "core/escape.h"

size_t xs_utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int xs_utf8_valid(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = xs_utf8_next(u + i, n - i, &cp);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

static int is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

/* A byte JSON writes as it is: printable ASCII but the quote and the backslash, and in a
 * script block (html) not < > & either. */
static int json_plain(unsigned char c, int html)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' &&
           !(html && (c == '<' || c == '>' || c == '&'));
}

static void esc_json(FILE *f, const char *p, size_t n, int html)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        if (json_plain(c, html)) {
            size_t j = i + 1;
            while (j < n && json_plain(u[j], html))
                j++;
            fwrite(u + i, 1, j - i, f);
            i = j;
            continue;
        }
        if (c == '<' || c == '>' || c == '&') { /* html only: plain otherwise */
            fprintf(f, "\\u%04x", c);
            i++;
            continue;
        }
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
            continue;
        }
        if (c < 0x80) { /* C0 control or DEL */
            switch (c) {
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            default: fprintf(f, "\\u%04x", c); break;
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = xs_utf8_next(u + i, n - i, &cp);
        if (!l) {
            fputs("\\ufffd", f);
            i++;
            continue;
        }
        if (cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || is_bidi_control(cp))
            fprintf(f, "\\u%04x", (unsigned)cp);
        else
            fwrite(u + i, 1, l, f);
        i += l;
    }
}

void xs_esc_json(FILE *f, const char *p, size_t n)
{
    esc_json(f, p, n, 0);
}

void xs_esc_json_html(FILE *f, const char *p, size_t n)
{
    esc_json(f, p, n, 1);
}

size_t xs_esc_term(FILE *f, const char *p, size_t n, size_t max_cols)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t cols = 0;
    for (size_t i = 0; i < n;) {
        if (max_cols && cols >= max_cols) {
            fputs("...", f);
            return cols + 3;
        }
        unsigned char c = u[i];
        if (c >= 0x20 && c < 0x7F) {
            fputc(c, f);
            cols++;
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t l = c < 0x80 ? 0 : xs_utf8_next(u + i, n - i, &cp);
        if (!l) {
            fprintf(f, "\\x%02x", c);
            cols += 4;
            i++;
        } else if (cp < 0xA0 || is_bidi_control(cp)) {
            fprintf(f, "\\u{%04x}", (unsigned)cp);
            cols += 8;
            i += l;
        } else {
            fwrite(u + i, 1, l, f);
            cols++;
            i += l;
        }
    }
    return cols;
}

void xs_esc_csv(FILE *f, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    fputc('"', f);
    /* A formula trigger, also after leading spaces: a spreadsheet that trims them on import
     * (LibreOffice's "trim spaces") would run it too. */
    size_t lead = 0;
    while (lead < n && u[lead] == ' ')
        lead++;
    if (lead < n && (u[lead] == '=' || u[lead] == '+' || u[lead] == '-' || u[lead] == '@' ||
                     u[lead] == '\t' || u[lead] == '\r'))
        fputc('\'', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        if (c == '"') {
            fputs("\"\"", f);
            i++;
        } else if (c >= 0x20 && c < 0x7F) {
            fputc(c, f);
            i++;
        } else if (c < 0x80) {
            fprintf(f, "\\x%02x", c);
            i++;
        } else {
            uint32_t cp;
            size_t l = xs_utf8_next(u + i, n - i, &cp);
            if (!l) {
                fputs("\xEF\xBF\xBD", f);
                i++;
            } else if (cp < 0xA0 || is_bidi_control(cp)) {
                fprintf(f, "\\u{%04x}", (unsigned)cp);
                i += l;
            } else {
                fwrite(u + i, 1, l, f);
                i += l;
            }
        }
    }
    fputc('"', f);
}

void xs_esc_html(FILE *f, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        switch (c) {
        case '&': fputs("&amp;", f); i++; continue;
        case '<': fputs("&lt;", f); i++; continue;
        case '>': fputs("&gt;", f); i++; continue;
        case '"': fputs("&quot;", f); i++; continue;
        case '\'': fputs("&#39;", f); i++; continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7F) {
            fputc(c, f);
            i++;
            continue;
        }
        if (c == '\n' || c == '\t') {
            fputc(c, f);
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t l = c < 0x80 ? 0 : xs_utf8_next(u + i, n - i, &cp);
        if (!l || cp < 0xA0 || is_bidi_control(cp)) {
            fputs("\xEF\xBF\xBD", f);
            i += l ? l : 1;
        } else {
            fwrite(u + i, 1, l, f);
            i += l;
        }
    }
}

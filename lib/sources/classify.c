/* File classification by location and content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "parsers/csv.h"
#include "parsers/w3c.h"
#include "sources/classify.h"

size_t xs_path_norm(const char *in, char *out, size_t cap)
{
    return xs_norm_path(xs_str_cstr(in), out, cap, '_');
}

/* Where the path lies: the parent folders in the order of XS_LOG_PARENTS, each at every
 * occurrence in the path, first to last (an image may hold a copy of a log tree); the first
 * occurrence with a place's folder under it wins, the kinds asked there in XS_LOGKINDS
 * order. */
static const xs_logplace *locate(const char *norm, xs_class *out)
{
    static const char *const parents[] = {XS_LOG_PARENTS};
    for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++) {
        size_t pn = strlen(parents[i]);
        for (const char *at = strstr(norm, parents[i]); at; at = strstr(at + 1, parents[i])) {
            const char *sub = at + pn;
            for (int k = 1; k < XS_KIND__COUNT; k++) {
                const xs_logkind *lk = xs_logkind_of((xs_kind)k);
                for (const xs_logplace *pl = lk->places; pl && pl->parent; pl++) {
                    if (strcmp(pl->parent, parents[i]) != 0 ||
                        strncmp(sub, pl->folder, strlen(pl->folder)) != 0)
                        continue;
                    snprintf(out->family, sizeof out->family, "%s", pl->family);
                    if (pl->refine && !pl->refine(sub, out->family, sizeof out->family))
                        continue;
                    out->kind = (xs_kind)k;
                    return pl;
                }
            }
        }
    }
    out->family[0] = 0;
    return NULL;
}

/* The display path's prefix before "<sep>Logging<sep>" of an Exchange log folder. */
static size_t install_root(const char *display)
{
    for (const char *p = display; *p; p++) {
        if ((p == display || p[-1] == '/' || p[-1] == '\\') && strncasecmp(p, "logging", 7) == 0 &&
            (p[7] == '/' || p[7] == '\\'))
            return p == display ? 0 : (size_t)(p - display - 1);
    }
    return 0;
}

/* The first kind whose sniffer (selected by which) claims the head, or XS_KIND_NONE. */
enum { SNIFF_DIRECTIVES, SNIFF_FIRST };
static xs_kind ask(const xs_head *h, int which)
{
    for (int k = 1; k < XS_KIND__COUNT; k++) {
        const xs_logsniff *sn = &xs_logkind_of((xs_kind)k)->sniff;
        bool (*fn)(const xs_head *) = which == SNIFF_DIRECTIVES ? sn->directives : sn->first;
        if (fn && fn(h))
            return (xs_kind)k;
    }
    return XS_KIND_NONE;
}

void xs_classify(const char *normpath, const char *display, const unsigned char *p, size_t n,
                  xs_class *out)
{
    static const unsigned char none[1];
    if (!p) { /* location only (the content could not be read) */
        p = none;
        n = 0;
    }
    memset(out, 0, sizeof *out);
    const xs_logplace *place = locate(normpath, out);
    xs_kind loc = place ? out->kind : XS_KIND_NONE;
    out->kind = XS_KIND_NONE;
    if (place && place->install)
        out->install_root_len = install_root(display);

    for (int k = 1; k < XS_KIND__COUNT; k++) {
        const xs_logkind *lk = xs_logkind_of((xs_kind)k);
        if (lk->sniff.magic && lk->sniff.magic(p, n)) {
            out->kind = (xs_kind)k;
            if (lk->family[0]) /* an archive keeps the family of where it lies */
                snprintf(out->family, sizeof out->family, "%s", lk->family);
            return;
        }
    }
    size_t sniff = n < XS_SNIFF_BYTES ? n : XS_SNIFF_BYTES;
    if (sniff && memchr(p, 0, sniff)) {
        /* NUL bytes: not text, unless the file lies where a log lies. Crashed servers leave
         * NUL-padded logs; those are still read (the bytes cannot match anything). */
        out->binary_log = loc != XS_KIND_NONE;
        out->kind = loc;
        return;
    }

    /* Up to XS_HEAD_LINES lines of the head: its directives (every #Software line), and the
     * first line that is not one. */
    xs_head h = {.norm = normpath, .p = p, .n = sniff};
    xs_str head = xs_strip_bom(xs_str_make((const char *)p, sniff));
    size_t off = 0;
    for (int i = 0; i < XS_HEAD_LINES && off < head.n; i++) {
        xs_str line = xs_str_trim(xs_next_line(head.p, head.n, &off));
        if (line.n == 0)
            continue;
        if (line.p[0] == '#') {
            xs_str d = xs_str_trim(xs_str_make(line.p + 1, line.n - 1));
            if (xs_str_istarts(d, "Software:"))
                h.software[h.nsoftware++] = xs_str_trim(xs_str_make(d.p + 9, d.n - 9));
            else if (xs_str_istarts(d, "Log-type:"))
                h.logtype = xs_str_make(d.p + 9, d.n - 9);
            else if (xs_str_istarts(d, "Fields:"))
                h.fields = xs_str_trim(xs_str_make(d.p + 7, d.n - 7));
            continue;
        }
        h.first = line;
        break;
    }

    /* on the stack (about 24 KiB): a failed allocation would have classified by location only */
    xs_csv_row fields_row, first_row;
    char scratch[XS_SNIFF_BYTES + 1];
    xs_kind k = XS_KIND_NONE;
    if (h.fields.n) {
        xs_csv_split(h.fields.p, h.fields.n, &fields_row, scratch);
        h.fields_row = &fields_row;
    }
    if (h.nsoftware || h.logtype.n || h.fields.n)
        k = ask(&h, SNIFF_DIRECTIVES);
    if (k == XS_KIND_NONE && !h.logtype.n && !h.fields.n && h.first.n) {
        /* no Fields line was split: the scratch is free */
        xs_csv_split(h.first.p, h.first.n, &first_row, scratch);
        h.row = &first_row;
        h.header = xs_csv_looks_like_header(&first_row);
        k = ask(&h, SNIFF_FIRST);
    }
    const xs_logkind *lk = xs_logkind_of(k);
    if (lk && (lk->flags & XS_KF_GENERIC) && place && place->install)
        k = loc; /* an Exchange log of a type we read, in its folder */
    if (k == XS_KIND_NONE)
        k = loc;
    for (int j = 1; k == XS_KIND_NONE && j < XS_KIND__COUNT; j++) {
        const xs_logkind *f = xs_logkind_of((xs_kind)j);
        if (f->sniff.fallback && f->sniff.fallback(normpath))
            k = (xs_kind)j;
    }
    out->kind = k;
    if (k != loc) { /* content named the kind: its family, not the folder's */
        lk = xs_logkind_of(k);
        if (lk->sniff.family)
            lk->sniff.family(&h, out->family, sizeof out->family);
        else
            snprintf(out->family, sizeof out->family, "%s", lk->family);
    }
}

bool xs_looks_json_lines(const unsigned char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i >= n || p[i] != '{')
        return false;
    const unsigned char *nl = memchr(p + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - p) : n;
    while (e > i && (p[e - 1] == '\r' || p[e - 1] == ' ' || p[e - 1] == '\t'))
        e--;
    return e - i >= 2 && p[e - 1] == '}' && memchr(p + i, '"', e - i) != NULL;
}

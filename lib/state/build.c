/* Exchange build numbers: parse, compare, print (build.h). */
#include "state/build.h"

#include <stdio.h>

static bool sep(char c)
{
    return c == '.' || c == ',';
}

bool xs_build_parse(const char *p, size_t n, bool three, xs_build *out)
{
    xs_build b = {{0}, 0};
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    for (;;) {
        size_t digits = 0;
        uint32_t v = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            if (++digits > 5)
                return false;
            v = v * 10 + (uint32_t)(p[i++] - '0');
        }
        if (digits == 0 || v > 65535 || b.nparts == 4)
            return false;
        b.part[b.nparts++] = (uint16_t)v;
        while (i < n && p[i] == ' ')
            i++;
        if (i == n)
            break;
        if (!sep(p[i]) || b.nparts == 4)
            return false;
        i++;
        while (i < n && p[i] == ' ')
            i++;
    }
    if (b.nparts != 4 && !(three && b.nparts == 3))
        return false;
    *out = b;
    return true;
}

bool xs_build_plausible(const xs_build *b)
{
    return (b->part[0] == 8 || b->part[0] == 14 || b->part[0] == 15) && b->part[2] > 0;
}

int xs_build_cmp(const xs_build *a, const xs_build *b)
{
    for (int i = 0; i < 3; i++)
        if (a->part[i] != b->part[i])
            return a->part[i] < b->part[i] ? -1 : 1;
    if (a->nparts != b->nparts)
        return a->nparts < b->nparts ? -1 : 1;
    if (a->nparts == 4 && a->part[3] != b->part[3])
        return a->part[3] < b->part[3] ? -1 : 1;
    return 0;
}

bool xs_build_same_cu(const xs_build *a, const xs_build *b)
{
    return a->part[0] == b->part[0] && a->part[1] == b->part[1] && a->part[2] == b->part[2];
}

const char *xs_build_text(const xs_build *b, char out[XS_BUILD_TEXT])
{
    if (b->nparts == 4)
        snprintf(out, XS_BUILD_TEXT, "%u.%u.%u.%u", b->part[0], b->part[1], b->part[2], b->part[3]);
    else if (b->nparts == 3)
        snprintf(out, XS_BUILD_TEXT, "%u.%u.%u", b->part[0], b->part[1], b->part[2]);
    else
        out[0] = '\0';
    return out;
}

/* applicationHost.config virtual directories and ASP.NET .compiled records. */
#include <string.h>

#include "core/limits.h"
#include "parsers/apphost.h"
#include "parsers/xmltag.h"

static void join(char *out, size_t cap, const char *app, size_t an, xs_str vd)
{
    char v[1024];
    size_t vn = xs_xml_unescape(vd, v, sizeof v);
    size_t o = 0;
    if (an == 0 || app[0] != '/')
        out[o++] = '/';
    for (size_t i = 0; i < an && o + 1 < cap; i++)
        out[o++] = app[i] == '\\' ? '/' : app[i];
    while (o > 1 && out[o - 1] == '/')
        o--;
    size_t i = 0;
    while (i < vn && (v[i] == '/' || v[i] == '\\'))
        i++;
    if (i < vn && o + 1 < cap && out[o - 1] != '/')
        out[o++] = '/';
    for (; i < vn && o + 1 < cap; i++)
        out[o++] = v[i] == '\\' ? '/' : v[i];
    out[o] = 0;
}

size_t xs_apphost_vdirs(const char *buf, size_t n, xs_vdir_fn fn, void *ctx)
{
    size_t pos = 0, count = 0;
    int depth = 0, site_depth = -1, app_depth = -1;
    xs_str site = XS_STR_NULL;
    char app[1024];
    size_t app_n = 0;
    xs_xml_tag t;
    while (xs_xml_next(buf, n, &pos, &t)) {
        if (t.closing) {
            if (depth > 0)
                depth--;
            if (app_depth >= 0 && depth <= app_depth)
                app_depth = -1;
            if (site_depth >= 0 && depth <= site_depth) {
                site_depth = -1;
                site = XS_STR_NULL;
            }
            continue;
        }
        if (xs_str_eq(t.name, "site")) {
            site = xs_xml_attr_get(&t, "name");
            site_depth = t.empty ? -1 : depth;
        } else if (xs_str_eq(t.name, "application") && site_depth >= 0) {
            xs_str p = xs_xml_attr_get(&t, "path");
            app_n = xs_xml_unescape(p, app, sizeof app);
            app_depth = t.empty ? -1 : depth;
        } else if (xs_str_eq(t.name, "virtualDirectory") && site_depth >= 0 && app_depth >= 0) {
            xs_str phys = xs_xml_attr_get(&t, "physicalPath");
            if (phys.p && count++ < XS_MAX_VDIRS) {
                xs_vdir_item v;
                memset(&v, 0, sizeof v);
                v.site = site;
                join(v.url, sizeof v.url, app, app_n, xs_xml_attr_get(&t, "path"));
                xs_xml_unescape(phys, v.physical, sizeof v.physical);
                v.tag_start = t.start;
                v.tag_end = t.end;
                fn(ctx, &v);
            }
        }
        if (!t.empty && depth < XS_MAX_XML_DEPTH)
            depth++;
    }
    return count;
}

size_t xs_aspnet_compiled_vpath(const char *buf, size_t n, char *out, size_t cap)
{
    size_t pos = 0;
    xs_xml_tag t;
    if (cap)
        out[0] = 0;
    /* The record is small; look at its first tags only. */
    for (int i = 0; i < 4 && xs_xml_next(buf, n, &pos, &t); i++) {
        if (t.closing || !xs_str_eq(t.name, "preserve"))
            continue;
        xs_str vp = xs_xml_attr_get(&t, "virtualPath");
        if (vp.n == 0)
            return 0;
        return xs_xml_unescape(vp, out, cap);
    }
    return 0;
}

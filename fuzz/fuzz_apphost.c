/* Fuzz target: the XML tag scanner (lib/parsers/xmltag.c), applicationHost.config virtual
 * directories and ASP.NET .compiled records (lib/parsers/apphost.c), URL Rewrite rules
 * (lib/parsers/rewrite.c). */
#include <stdint.h>
#include <string.h>

#include "parsers/apphost.h"
#include "parsers/rewrite.h"
#include "parsers/xmltag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_vdir(void *ctx, const xs_vdir_item *v)
{
    size_t *n = ctx;
    *n += strlen(v->url) + strlen(v->physical) + v->site.n;
    volatile char sink = 0;
    for (size_t i = 0; i < v->site.n; i++) /* the span must be readable (ASan) */
        sink ^= v->site.p[i];
    (void)sink;
}

static void on_rule(void *ctx, const xs_rw_rule *r)
{
    size_t *n = ctx;
    *n += r->name.n + r->url.n + r->action.n + r->ncond + r->conds_over;
    volatile char sink = 0;
    for (size_t i = 0; i < r->ncond; i++) /* the spans must be readable (ASan) */
        for (size_t k = 0; k < r->cond[i].pattern.n; k++)
            sink ^= r->cond[i].pattern.p[k];
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    size_t pos = 0, sink = 0;
    xs_xml_tag t;
    while (xs_xml_next(p, size, &pos, &t)) {
        for (size_t i = 0; i < t.nattr; i++) {
            char buf[64];
            xs_xml_unescape(t.attr[i].value, buf, sizeof buf);
            sink += t.attr[i].name.n;
        }
    }
    xs_apphost_vdirs(p, size, on_vdir, &sink);
    xs_rewrite_rules(p, size, on_rule, &sink);
    char vp[128];
    xs_aspnet_compiled_vpath(p, size, vp, sizeof vp);
    return 0;
}

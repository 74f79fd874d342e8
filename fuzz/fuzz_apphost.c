/* Fuzz target: the XML tag scanner (lib/parsers/xmltag.c), applicationHost.config virtual
 * directories and ASP.NET .compiled records (lib/parsers/apphost.c). */
#include <stdint.h>
#include <string.h>

#include "parsers/apphost.h"
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
    char vp[128];
    xs_aspnet_compiled_vpath(p, size, vp, sizeof vp);
    return 0;
}

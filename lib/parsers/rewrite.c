/* IIS URL Rewrite rules (rewrite.h). */
#include "parsers/rewrite.h"

#include <string.h>

#include "parsers/xmltag.h"

static bool is(xs_str a, const char *lit)
{
    return xs_str_ieq(a, lit);
}

size_t xs_rewrite_rules(const char *buf, size_t n, xs_rw_fn fn, void *ctx)
{
    size_t pos = 0, count = 0;
    int outbound = 0; /* depth of <outboundRules> */
    bool in_rule = false;
    xs_rw_rule r;
    xs_xml_tag t;
    while (xs_xml_next(buf, n, &pos, &t)) {
        if (is(t.name, "outboundRules") && !t.empty) {
            outbound += t.closing ? (outbound > 0 ? -1 : 0) : 1;
            continue;
        }
        if (is(t.name, "rule")) {
            if (t.empty && !t.closing && in_rule) { /* an unclosed rule ends here */
                if (++count <= XS_MAX_REWRITE_RULES)
                    fn(ctx, &r);
                in_rule = false;
            }
            if (t.closing || t.empty) {
                if (in_rule || t.empty) {
                    if (t.empty && !t.closing) { /* <rule ... /> holds nothing: reported as is */
                        memset(&r, 0, sizeof r);
                        r.name = xs_xml_attr_get(&t, "name");
                        r.enabled = !is(xs_xml_attr_get(&t, "enabled"), "false");
                        r.outbound = outbound > 0;
                        r.tag_start = t.start;
                        r.tag_end = t.end;
                    }
                    if (++count <= XS_MAX_REWRITE_RULES)
                        fn(ctx, &r);
                }
                in_rule = false;
                continue;
            }
            if (in_rule && ++count <= XS_MAX_REWRITE_RULES) /* an unclosed rule ends here */
                fn(ctx, &r);
            memset(&r, 0, sizeof r);
            in_rule = true;
            r.name = xs_xml_attr_get(&t, "name");
            r.enabled = !is(xs_xml_attr_get(&t, "enabled"), "false");
            r.outbound = outbound > 0;
            r.tag_start = t.start;
            r.tag_end = t.end;
            continue;
        }
        if (!in_rule || t.closing)
            continue;
        if (is(t.name, "match")) {
            r.url = xs_xml_attr_get(&t, "url");
            r.url_negate = is(xs_xml_attr_get(&t, "negate"), "true");
        } else if (is(t.name, "action")) {
            r.action = xs_xml_attr_get(&t, "type");
        } else if (is(t.name, "add")) {
            if (r.ncond >= XS_MAX_REWRITE_CONDS) {
                r.conds_over++;
                continue;
            }
            xs_rw_cond *c = &r.cond[r.ncond++];
            c->input = xs_xml_attr_get(&t, "input");
            c->pattern = xs_xml_attr_get(&t, "pattern");
            c->negate = is(xs_xml_attr_get(&t, "negate"), "true");
        }
    }
    if (in_rule && ++count <= XS_MAX_REWRITE_RULES)
        fn(ctx, &r);
    return count;
}

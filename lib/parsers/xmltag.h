/* A tolerant, bounded XML tag scanner for configuration files (applicationHost.config,
 * ASP.NET .compiled records). It yields start, end and empty-element tags with their
 * attributes as spans into the input; text, comments, CDATA, processing instructions and
 * DOCTYPE are skipped. Malformed input never fails: the scan resynchronises at the next '<'.
 * Entities are left as written; xs_xml_unescape decodes the five predefined ones and
 * numeric character references.
 */
#ifndef XS_PARSERS_XMLTAG_H
#define XS_PARSERS_XMLTAG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"
#include "core/str.h"

typedef struct xs_xml_attr {
    xs_str name, value; /* value without its quotes */
} xs_xml_attr;

typedef struct xs_xml_tag {
    xs_str name;
    bool closing; /* </name> */
    bool empty;   /* <name ... /> */
    xs_xml_attr attr[XS_XML_MAX_ATTRS];
    size_t nattr;
    size_t start, end; /* byte range of the tag in the input */
} xs_xml_tag;

/* Finds the next tag at or after *pos. Returns false at the end of the input. */
bool xs_xml_next(const char *buf, size_t n, size_t *pos, xs_xml_tag *t);

/* The value of the attribute named name (ASCII case-insensitive), or an empty span. */
xs_str xs_xml_attr_get(const xs_xml_tag *t, const char *name);

/* Decodes &lt; &gt; &amp; &quot; &apos; &#N; &#xN; of v into out (cap bytes, NUL-terminated);
 * other '&' sequences are copied. Returns the length. */
size_t xs_xml_unescape(xs_str v, char *out, size_t cap);

#endif

/* IIS configuration read from the image:
 *
 *   applicationHost.config (system.applicationHost/sites):
 *     <site name="Default Web Site" id="1">
 *       <application path="/owa" applicationPool="MSExchangeOWAAppPool">
 *         <virtualDirectory path="/" physicalPath="C:\...\FrontEnd\HttpProxy\owa" />
 *   Each virtual directory is served at application path + virtual directory path.
 *
 *   ASP.NET compilation records (Temporary ASP.NET Files\...\*.compiled):
 *     <preserve resultType="3" virtualPath="/owa/auth/x.aspx" ... assembly="App_Web_..." />
 *   A record exists once IIS compiled (that is, served) the page.
 */
#ifndef XS_PARSERS_APPHOST_H
#define XS_PARSERS_APPHOST_H

#include <stddef.h>

#include "core/str.h"

typedef struct xs_vdir_item {
    xs_str site;              /* site name as written, may be empty */
    char url[1024];            /* application path + virtual directory path, '/' separated */
    char physical[1024];       /* physicalPath, entities decoded */
    size_t tag_start, tag_end; /* the virtualDirectory tag in the input, for evidence */
} xs_vdir_item;

typedef void (*xs_vdir_fn)(void *ctx, const xs_vdir_item *v);

/* Walks the sites of an applicationHost.config held in memory; the first XS_MAX_VDIRS
 * virtual directories are reported. Returns how many it holds (more than XS_MAX_VDIRS: the
 * rest were not reported). */
size_t xs_apphost_vdirs(const char *buf, size_t n, xs_vdir_fn fn, void *ctx);

/* The virtualPath of an ASP.NET .compiled record, decoded into out (cap bytes). Returns the
 * length, 0 when the input is not such a record. */
size_t xs_aspnet_compiled_vpath(const char *buf, size_t n, char *out, size_t cap);

#endif

/* Exchange and IIS web folders: where a file lies, the URL IIS serves it under, and what a
 * default install keeps there (catalogue 3.1-3.3).
 *
 * Paths are normalised paths (xs_path_norm: lowercase, '/'), wherever the image or collection
 * is mounted: the install root is found by its FrontEnd\HttpProxy, ClientAccess, inetpub\wwwroot
 * or "Temporary ASP.NET Files" components, never by a fixed drive or prefix.
 */
#ifndef XS_DETECTORS_WEBFOLDERS_H
#define XS_DETECTORS_WEBFOLDERS_H

#include <stdbool.h>
#include <stddef.h>

#define XS_WEB_URL_MAX 2048

typedef enum xs_webfolder {
    XS_WF_NONE = 0,
    XS_WF_OWA_AUTH,      /* FrontEnd\HttpProxy\owa\auth, top level */
    XS_WF_OWA_AUTH_SUB,  /* owa\auth\Current, owa\auth\<version> and below: static files only */
    XS_WF_ECP_AUTH,      /* FrontEnd\HttpProxy\ecp\auth */
    XS_WF_OAB,           /* FrontEnd\HttpProxy\OAB */
    XS_WF_FRONTEND,      /* other FrontEnd\HttpProxy folders */
    XS_WF_ASPNET_CLIENT, /* inetpub\wwwroot\aspnet_client and below */
    XS_WF_WWWROOT,       /* the rest of inetpub\wwwroot */
    XS_WF_CLIENTACCESS,  /* ClientAccess: the back-end site */
    XS_WF_TEMP_ASPNET,   /* Temporary ASP.NET Files (compiled pages) */
    XS_WF_VDIR, /* a folder served through a virtual directory of applicationHost.config */
} xs_webfolder;

/* Web folders whose presence in the image makes a missing script meaningful. */
typedef enum xs_webheld {
    XS_HELD_NONE = 0,
    XS_HELD_OWA_AUTH,
    XS_HELD_ECP,
    XS_HELD_OAB,
    XS_HELD_WWWROOT,
    XS_HELD__COUNT
} xs_webheld;

typedef struct xs_webloc {
    xs_webfolder folder;
    const char *name;          /* static: "owa/auth", "aspnet_client", ... ("" for none) */
    const char *site;          /* static: "Default Web Site", "Exchange Back End", or NULL */
    bool top;                  /* the file is directly in the folder (not in a subfolder) */
    xs_webheld held;          /* the held-folder class the file proves present */
    char url[XS_WEB_URL_MAX]; /* lowercase URL path IIS serves it under, "" when not served */
} xs_webloc;

/* Classifies a normalised path. */
void xs_webloc_of(const char *norm, xs_webloc *out);

/* The held-folder class a (normalised, lowercase) request path falls in, for removed-shell
 * checks, and the folder's name. */
xs_webheld xs_web_held_of_url(const char *url, const char **name);
const char *xs_web_held_name(xs_webheld h);

/* True when the name ends in an extension IIS runs as a script (aspx, ashx, asmx, asp, ...). */
/* The script extensions (".aspx", ...) xs_web_script_ext knows. */
const char *const *xs_web_script_exts(size_t *n);
bool xs_web_script_ext(const char *name, size_t n);

/* True when base (lowercase file name) is part of a default install of the folder. Only
 * meaningful for folders with an allowlist (owa/auth, its subfolders, ecp/auth, OAB, other
 * FrontEnd folders, aspnet_client, wwwroot); ClientAccess and vdirs have none. */
bool xs_web_allowlisted(const xs_webloc *w, const char *base);
/* True for the folders Exchange owns, where "not in a default install" means something:
 * FrontEnd\HttpProxy (owa\auth and its build folders, ecp\auth, OAB, the other proxied
 * folders) and aspnet_client (of a site that serves Exchange: the post-pass checks). A
 * co-hosted application under wwwroot is judged by its code and the requests to it. */
bool xs_web_exchange_folder(xs_webfolder f);
/* True when the folder has an allowlist at all. */
bool xs_web_has_allowlist(xs_webfolder f);

/* The default Exchange web file name base imitates (edit distance or same stem with another
 * extension), or NULL. base is lowercase. */
const char *xs_web_lookalike(const char *base);

/* For a request path (normalised, lowercase): true when it is a script a default install does
 * not serve from the Exchange drop folders (owa/auth and below, ecp/auth, aspnet_client, OAB);
 * *folder receives the folder's short name. */
bool xs_web_url_nondefault(const char *url, const char **folder);

/* True when base (lowercase) is a web-shell name published for Exchange (catalogue 3.3). */
bool xs_web_known_shell_name(const char *base);

#endif

/* The installed build, from the version resource of Exchange's Bin\ExSetup.exe
 * (parsers/pever.h): a state observation of the file's root (XS_BSRC_EXSETUP), never a
 * finding. The file's modification time is when that binary was written, that is when the
 * update that brought it went on.
 *
 * Only an ExSetup.exe in a folder named Bin counts (the install's V15\Bin, a triage copy of
 * it): the copies in setup media (Setup\ServerRoles\Common) and downloaded CUs say what could
 * be installed, not what is. Only Exchange's: ProductName or CompanyName naming Microsoft or
 * Exchange, or a major version of 15, 14 or 8. A file that is not a PE, a PE without a version
 * resource and a damaged one are counted warnings; the sweep goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/str.h"
#include "parsers/pever.h"
#include "scan/files_int.h"
#include "state/observe.h"

static bool in_bin(const char *norm)
{
    static const char tail[] = "bin/exsetup.exe";
    size_t n = strlen(norm), k = sizeof tail - 1;
    return n >= k && strcmp(norm + n - k, tail) == 0 && (n == k || norm[n - k - 1] == '/');
}

static bool names_exchange(const char *s)
{
    xs_str t = xs_str_make(s, strlen(s));
    return xs_str_icontains(t, "microsoft") || xs_str_icontains(t, "exchange");
}

/* The build the file states: the fixed FileVersion, else the FileVersion string (its leading
 * digits and separators: "15.01.2176.009 (built by ...)" reads too). */
static bool build_of(const xs_pever *v, xs_build *b)
{
    if (v->found & XS_PEVER_FIXED) {
        memcpy(b->part, v->file_ver, sizeof b->part);
        b->nparts = 4;
        return true;
    }
    if (!(v->found & XS_PEVER_FILEVERSION))
        return false;
    size_t n = strspn(v->file_version, "0123456789., ");
    while (n && v->file_version[n - 1] == ' ')
        n--;
    return xs_build_parse(v->file_version, n, false, b);
}

static bool exchange_s(const xs_pever *v, const xs_build *b)
{
    uint16_t major = b->part[0];
    return names_exchange(v->product_name) || names_exchange(v->company_name) || major == 15 ||
           major == 14 || major == 8;
}

/* The bytes to read: the content when the size policy kept it, else a read of the first
 * XS_PE_MAX_BYTES through the stream when it seeks, else the head. *own is what to free;
 * *whole tells whether the bytes are all of the file. False when the read failed (the stream
 * said why) or memory ran out (the sweep fails). */
static bool bytes_of(xs_fctx *c, const unsigned char **p, size_t *n, unsigned char **own,
                     bool *whole)
{
    *own = NULL;
    if (c->data) {
        *p = c->data;
        *n = c->data_n;
        *whole = true;
        return true;
    }
    int64_t size = c->meta->size;
    if (c->raw && c->raw->seek && size > (int64_t)c->head_n) {
        size_t want = (uint64_t)size < XS_PE_MAX_BYTES ? (size_t)size : XS_PE_MAX_BYTES;
        unsigned char *b = malloc(want);
        if (!b) {
            xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory reading the version of %s",
                         c->display);
            return false;
        }
        long got = c->raw->seek(c->raw->ctx, 0, SEEK_SET) == 0
                       ? xs_input_read_full(c->raw, b, want)
                       : -1;
        if (got < 0) {
            free(b);
            return false;
        }
        *own = b;
        *p = b;
        *n = (size_t)got;
        *whole = (int64_t)got >= size;
        return true;
    }
    *p = c->head;
    *n = c->head_n;
    *whole = size >= 0 && (int64_t)c->head_n >= size;
    return true;
}

void xs_detect_exsetup(xs_fctx *c)
{
    if (strcmp(c->base, "exsetup.exe") != 0 || !in_bin(c->norm))
        return;
    const unsigned char *p;
    size_t n;
    unsigned char *own;
    bool whole;
    if (!bytes_of(c, &p, &n, &own, &whole))
        return;
    xs_pever v;
    xs_pever_rc rc = xs_pever_read(p, n, &v);
    free(own);
    if (rc != XS_PEVER_OK) {
        if (v.capped || !whole)
            xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                    "ExSetup.exe read in part (%zu bytes): %s (%s); the installed build is "
                    "not read from it",
                    n, xs_pever_rc_name(rc), v.reason);
        else
            xs_warn(c->scan, XS_W_BINARY, c->display, 0,
                    "ExSetup.exe: %s (%s); the installed build is not read from it",
                    xs_pever_rc_name(rc), v.reason);
        return;
    }
    xs_build b;
    if (!build_of(&v, &b) || !exchange_s(&v, &b))
        return;
    char btext[XS_BUILD_TEXT], detail[XS_MAX_NOTE_TEXT];
    size_t o = 0;
    xs_appendf(detail, sizeof detail, &o, "FileVersion %s",
               v.file_version[0] ? v.file_version : xs_build_text(&b, btext));
    if (v.product_name[0])
        xs_appendf(detail, sizeof detail, &o, ", ProductName %s", v.product_name);
    xs_obs_build ob = {b, XS_BSRC_EXSETUP, c->meta->mtime_ms, EXS_TIME_NONE, 0, detail};
    xs_fnote_build(c, &ob);
}

/* Shadowserver's "Vulnerable Exchange Server" report, scan_exchange (scan6_exchange for
 * IPv6): CSV with a header line, RFC 4180 quoting. The columns are found by name; those read
 * are timestamp, ip, port, hostname, tag and version (others, such as asn, geo, region, city,
 * naics, sector, servername, are left as they are). Every row is an Exchange server (the
 * report lists only those); its version is a build of 3 parts ("15.1.2176", the update level
 * unknown) or 4, or empty.
 */
#ifndef XS_PROBE_SHADOWSERVER_H
#define XS_PROBE_SHADOWSERVER_H

#include <stddef.h>

#include "parsers/csv.h"
#include "probe/record.h"

typedef struct xs_shadowserver {
    xs_csv_schema schema;
    xs_csv_row row;
    int c_time, c_ip, c_port, c_host, c_tag, c_version;
    char *scratch; /* a row's unquoted fields: XS_PROBE_MAX_LINE bytes */
} xs_shadowserver;

/* NULL when out of memory. */
xs_shadowserver *xs_shadowserver_create(void);
/* Accepts NULL. */
void xs_shadowserver_destroy(xs_shadowserver *s);

/* The header line (a BOM allowed). Returns 0, or -1 when it has no ip column (not the
 * report), with why. */
int xs_shadowserver_header(xs_shadowserver *s, const char *p, size_t n, const char **why);

/* One row into *rec. Returns 0, or -1 when it cannot be a record (no ip, a bad port), with
 * why. *note, when not NULL, is a warning about a row that was still read (a version that
 * is no build, broken quoting). */
int xs_shadowserver_row(xs_shadowserver *s, const char *p, size_t n, xs_probe_rec *rec,
                        const char **why, const char **note);

#endif

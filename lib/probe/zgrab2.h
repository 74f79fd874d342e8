/* ZGrab2 JSON lines: the records of its http module (zmap/zgrab2, modules/http/scanner.go;
 * the schema in zgrab2_schemas/zgrab2/http.py).
 *
 * One line per scanned host: {"ip": ..., "domain": ..., "data": {MODULE: {"status":
 * "success", "protocol": "http", "result": {"response": {"status_code": 200, "headers":
 * {...}, "body": "...", "request": {"url": {"scheme": "https", "host": "h:8443", ...}}},
 * "redirect_response_chain": [...]}, "timestamp": ...}}}. MODULE is "http", or the name a
 * multiple-module run gave it: every module with a response is a record of its own (a run
 * that fetched /owa/ and the export tool gives two records of one target, which probe.c
 * folds together).
 * Headers: the names ZGrab2 knows are fields of "headers" in lower case with '-' as '_'
 * ("server", "location"); the others are {"key", "value": [...]} items of
 * "headers.unknown" ("x_owa_version"). The final response is the one read; the port is the
 * first request's (the URL's, else 443 for https and 80 for http).
 */
#ifndef XS_PROBE_ZGRAB2_H
#define XS_PROBE_ZGRAB2_H

#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"
#include "probe/record.h"

typedef struct xs_zgrab2 xs_zgrab2;

/* A reader with its buffers (for lines of XS_PROBE_MAX_LINE bytes); NULL when out of memory. */
xs_zgrab2 *xs_zgrab2_create(void);
/* Accepts NULL. */
void xs_zgrab2_destroy(xs_zgrab2 *z);

/* Reads one line into recs (room for XS_PROBE_MAX_MODULES) and their count into *nrecs;
 * *noresp counts the HTTP modules that got no response (a timeout, a refusal). Returns 0,
 * or -1 when the line is no ZGrab2 record, with why (static text or filled into wbuf).
 * *note, when not NULL, is a warning about a line that was still read (a cap reached). */
int xs_zgrab2_line(xs_zgrab2 *z, const char *p, size_t n, xs_probe_rec *recs, size_t *nrecs,
                   uint64_t *noresp, const char **why, const char **note);

#endif

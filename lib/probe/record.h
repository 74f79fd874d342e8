/* What a reader of a saved scan makes of one of its records: a target and its fingerprint.
 * The readers (zgrab2.h, shadowserver.h) fill it; probe.c folds the records of one target
 * together and decides (verdict.h). Spans point into the reader's line and buffers: they
 * live until the reader's next line.
 */
#ifndef XS_PROBE_RECORD_H
#define XS_PROBE_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"
#include "probe/fingerprint.h"

typedef struct xs_probe_rec {
    xs_str host;   /* as the scan writes it: an address (IPv6 with or without brackets) or a
                      name */
    unsigned port; /* 1..65535 */
    xs_str name;   /* the scan's name for it, or empty */
    xs_str seen;   /* the scan's time, or empty */
    xs_str tag;    /* Shadowserver's tag, or empty */
    xs_fingerprint fp;
} xs_probe_rec;

/* The canonical target of host and port: "192.0.2.1:443", "[2001:db8::1]:443" (the address
 * as inet_ntop writes it), "mail.example.org:443" (a name in lower case, letters, digits,
 * '-', '_' and '.'). key gets it (cap >= XS_PROBE_MAX_HOST + 9), hostout the host alone
 * (cap >= XS_PROBE_MAX_HOST + 1). False, with why, when host is no address nor name. */
bool xs_probe_target_key(xs_str host, unsigned port, char *key, size_t cap, char *hostout,
                         size_t hcap, const char **why);

#endif

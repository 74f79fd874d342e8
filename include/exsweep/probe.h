/* exsweep: Exchange servers seen from outside, classified from saved scans.
 *
 * exs_probe_read reads a scan someone else ran (ZGrab2's http module JSON lines, or
 * Shadowserver's scan_exchange CSV) and sends nothing: each target (host:port) gets whether
 * it is an Exchange server, its build and where the build came from, the product, CU and
 * update the build table names, and per family (ProxyLogon, ProxyShell, ProxyNotShell with
 * OWASSRF) vulnerable, patched or unknown with the reason. A build known to three parts only
 * (the logon page's paths, Shadowserver's version) is "unknown" where the fourth part
 * decides. Bad input lines are counted warnings with their line number; they never stop a
 * read. docs/probe.md says what is read and how it is decided.
 *
 * Ownership: an exs_probe owns every target, warning and string it hands out; they live
 * until exs_probe_destroy. Strings quote the scan's bytes where they come from it (host
 * names, times, tags): exs_probe_write escapes them, any other printer must too.
 */
#ifndef EXSWEEP_PROBE_H
#define EXSWEEP_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "server.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exs_probe exs_probe;

typedef enum exs_probe_input {
    EXS_PROBE_ZGRAB2 = 0,       /* ZGrab2 JSON lines (the http module, any module name) */
    EXS_PROBE_SHADOWSERVER = 1, /* Shadowserver scan_exchange (or scan6_exchange) CSV */
} exs_probe_input;

/* One family's verdict for a target. state is EXS_EXPOSURE_UNKNOWN, _VULNERABLE or
 * _PATCHED (never _MITIGATED: nothing seen from outside says a mitigation is in place). */
typedef struct exs_probe_family {
    const char *family;   /* "ProxyLogon", "ProxyShell", "ProxyNotShell" */
    const char *cves;     /* comma-separated */
    exs_exposure state;
    const char *reason;   /* one sentence */
    const char *fixed_by; /* the first build of the target's CU with the fix, "" */
} exs_probe_family;

typedef struct exs_probe_target {
    const char *target;       /* "192.0.2.10:443", "[2001:db8::10]:443", "mail.example.org:443" */
    const char *host;         /* the same without the port (IPv6 without brackets) */
    unsigned port;
    const char *name;         /* the scan's name for it (ZGrab2's domain, Shadowserver's
                                 hostname), "" */
    const char *seen;         /* the scan's time of its first record, as written, "" */
    const char *tag;          /* Shadowserver's tag, "" */
    uint64_t line;            /* the input line of its first record */
    uint32_t records;         /* records of this target folded into this one */
    int exchange;             /* 1: an Exchange server, 0: nothing says so */
    const char *exchange_why; /* what says so ("X-OWA-Version header"), or what was seen */
    const char *build;        /* "15.1.2176.2", "15.1.2176" (3 parts), "" when none */
    int build_parts;          /* 4, 3, or 0 when no build */
    const char *build_from;   /* "X-OWA-Version header", "export tool manifest", "logon page
                                 path", "Shadowserver version", "" */
    const char *product;      /* "Exchange Server 2016", "" when the table does not place it */
    const char *cu;           /* "CU19", "" */
    const char *update;       /* "Mar21SU", "" for a CU's own build or when not known */
    exs_probe_family families[EXS_FAMILIES]; /* meaningful when exchange is 1 */
    int finding;              /* Exchange, and a family vulnerable or unknown */
} exs_probe_target;

typedef struct exs_probe_warning {
    uint64_t line;       /* 0: about the whole input */
    const char *message;
} exs_probe_warning;

typedef struct exs_probe_stats {
    uint64_t lines;       /* input lines read (the CSV header included) */
    uint64_t records;     /* records classified (a ZGrab2 line may hold several modules) */
    uint64_t no_response; /* ZGrab2 results without a response (timeouts, refusals) */
    uint64_t targets, exchange, vulnerable, unknown, findings;
    uint64_t warnings;    /* all of them; exs_probe_warnings keeps the first 1000 */
} exs_probe_counts;

/* Reads the scan at path ("-": standard input). Returns EXS_OK with *out set, or an error
 * (the file cannot be opened or read; EXS_EFORMAT for a CSV without Shadowserver's header,
 * or ZGrab2 input of which not one line is a record: another tool's output; EXS_ENOMEM)
 * with its message in err and *out NULL. An empty input is no error: no target. */
exs_rc exs_probe_read(exs_probe **out, exs_probe_input kind, const char *path, char *err,
                      size_t errlen);
/* The same over n bytes in memory (tests, fuzzing); name is what messages call it. */
exs_rc exs_probe_read_mem(exs_probe **out, exs_probe_input kind, const char *name,
                          const char *p, size_t n, char *err, size_t errlen);

/* The targets, in the order of their first record. */
const exs_probe_target *exs_probe_targets(const exs_probe *p, size_t *n);
/* The warnings kept, by line; those about the whole input (line 0) last. */
const exs_probe_warning *exs_probe_warnings(const exs_probe *p, size_t *n);
const exs_probe_counts *exs_probe_stats(const exs_probe *p);

typedef enum exs_probe_format {
    EXS_PROBE_TEXT = 0,  /* one block per target, then the counts and warnings */
    EXS_PROBE_JSONL = 1, /* one JSON object per target, per warning, and a summary last */
    EXS_PROBE_CSV = 2,   /* a header and one row per target */
} exs_probe_format;

/* "text", "jsonl", "csv" to the format; -1 otherwise. */
int exs_probe_format_parse(const char *s);

/* Writes every target in fmt to f, each string escaped for it. EXS_EIO when a write failed. */
exs_rc exs_probe_write(const exs_probe *p, FILE *f, exs_probe_format fmt);

/* Accepts NULL. */
void exs_probe_destroy(exs_probe *p);

#ifdef __cplusplus
}
#endif
#endif

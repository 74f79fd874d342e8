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
    EXS_PROBE_LIVE = 2,         /* probed here (exs_probe_live) */
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

/* The certificate a live target showed (its leaf), "" and no names when it showed none (plain
 * HTTP, no handshake, no response). Texts are the certificate's bytes: escape them. */
typedef struct exs_probe_tls {
    const char *subject;       /* RFC 2253: "CN=mail.example.org,O=Example" */
    const char *issuer;        /* the same; equal to subject for a self-signed one */
    const char *const *names;  /* its subjectAltName DNS names, at most 32 */
    size_t nnames;
    const char *not_after;     /* "2027-03-01T12:00:00Z" */
} exs_probe_tls;

/* What the requests of a live target met, counted per request (a request tried twice that
 * timed out twice counts 2 timeouts). Zero for saved scans. */
typedef struct exs_probe_net {
    uint32_t requests;  /* sent or tried: retries and redirects followed included */
    uint32_t responses; /* HTTP responses fingerprinted */
    uint32_t timeout, refused, reset, tls, protocol, dns, excluded, too_large, other;
    uint32_t redirect_other_host; /* redirects to another host, port or scheme, or to a URL
                                     longer than 2048 bytes: not followed */
    uint32_t redirect_limit;      /* chains longer than 5 redirects: stopped */
    uint32_t not_sent;            /* requests not sent: the host failed before, or the run's
                                     --max-time ended */
} exs_probe_net;

/* A published web shell path that a live target answers as a file that is there, where a
 * name that cannot exist in the same folder is answered otherwise (--check-shells): a
 * possible backdoor, to be looked for on the server (exsweep scan), not a proof of one. */
typedef struct exs_probe_shell {
    const char *path;       /* "/aspnet_client/shell.aspx" */
    long status;            /* its response's */
    uint64_t bytes;         /* its body's (at most 256 KiB read) */
    long base_status;       /* the same folder's name that is not there: its response's */
    uint64_t base_bytes;
} exs_probe_shell;

/* One family's published active check (--active), as the check's authors send it: labelled
 * as such, beside the build's verdict, never instead of it. */
typedef struct exs_probe_active {
    const char *family;   /* "ProxyLogon", "ProxyShell", "ProxyNotShell" */
    const char *check;    /* whose check: "Microsoft's http-vuln-cve2021-26855.nse" */
    int result;           /* 1: the check's sign of the flaw was seen; 0: not seen (which
                             proves nothing: a mitigation or a filter hides it too); -1: no
                             answer */
    const char *evidence; /* what the sign is, or what was seen instead */
} exs_probe_active;

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
    exs_probe_tls tls;        /* live targets only */
    exs_probe_net net;        /* live targets only */
    const exs_probe_shell *shells; /* --check-shells: the possible backdoors */
    size_t nshells;
    uint32_t shells_checked;  /* shell paths judged (0: not asked, not Exchange, or no
                                 baseline) */
    exs_probe_active active[EXS_FAMILIES]; /* --active, for an Exchange target */
    int nactive;              /* EXS_FAMILIES when the checks were sent, else 0 */
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
    /* live runs only: */
    uint64_t excluded;    /* address targets inside --exclude: not probed, no record */
    uint64_t repeated;    /* targets named again: probed once */
    uint64_t requests;    /* requests sent or tried, all targets */
    double seconds;       /* the run's wall time */
    uint64_t shell_paths; /* --check-shells: the paths asked of each Exchange host; 0: not */
    uint64_t backdoors;   /* targets with a possible backdoor (each is a finding) */
    uint64_t active;      /* --active: 1 when the checks were asked for */
    uint64_t active_hits; /* targets where an active check saw its sign (each a finding) */
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

/* Live probing: what to probe and how. Zero values take the defaults in brackets. */
typedef struct exs_probe_live_opts {
    const char *const *targets; /* URLs, host[:port], addresses, CIDRs (targets.h in lib/probe
                                   says the forms) */
    size_t ntargets;
    const char *input;       /* a file of targets, one a line, '#' comments; "-": standard
                                input; NULL: none */
    const char *exclude;     /* ZMap blocklist: CIDRs never connected to; NULL: none */
    unsigned port;           /* for targets without one [443] */
    double timeout;          /* seconds one request may take, connection included [10]; a
                                host's requests all end within 4 times that */
    double max_time;         /* seconds for the whole run, then what is left is not sent
                                [none] */
    unsigned rate;           /* new connections per second, retries included [100] */
    unsigned concurrency;    /* hosts in flight [256], at most 16384 */
    int retries;             /* further attempts after a timeout or reset [1]; -1: none */
    double backoff;          /* seconds before the first retry, doubled for each next [0.5] */
    const char *contact;     /* who scans, in the User-Agent ("abuse@example.org") [none] */
    int check_shells;        /* 1: ask each Exchange host for the published shell paths too,
                                each judged against its folder's baseline [0] */
    int active;              /* 1: send each Exchange host the published non-destructive
                                checks (Microsoft's nmap script, nuclei's templates) [0] */
} exs_probe_live_opts;

/* Probes every target (HTTPS, or HTTP for http:// URLs): GET /owa/ following redirects within
 * the same host, and the ECP export tool manifest, each response fingerprinted and folded as
 * a saved scan's records are. No address inside opts->exclude is connected to, names
 * included (checked when they are resolved). Returns EXS_OK with *out, or an error with its
 * message in err: EXS_EINVAL for a target argument that is none or bad options, EXS_EFORMAT
 * for an exclude list with a line that is no CIDR (an exclude list not understood is not
 * honoured: nothing is sent), EXS_ENOENT/EXS_EACCES/EXS_EIO for a file, EXS_ENOMEM. Bad lines
 * of opts->input are warnings with their line number. */
exs_rc exs_probe_live(exs_probe **out, const exs_probe_live_opts *opts, char *err,
                      size_t errlen);

/* The User-Agent live probing sends, for contact (NULL: none), into buf. */
const char *exs_probe_user_agent(const char *contact, char *buf, size_t cap);

/* How p was made. */
exs_probe_input exs_probe_kind(const exs_probe *p);

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

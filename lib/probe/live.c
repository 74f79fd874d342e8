/* Live probing (include/exsweep/probe.h exs_probe_live): libcurl's multi interface drives
 * every transfer from one thread; docs/probe.md and bench/probe/README.md say why curl and
 * what it costs.
 *
 * A slot is one host in flight: its requests run one after the other on one easy handle, so
 * that the second request and the redirects reuse the first one's connection (one TLS
 * handshake per host). There are --concurrency slots; a host waiting to retry keeps its slot.
 * A slot's buffers grow to what a response needs, at most XS_PROBE_MAX_HEADER_BYTES of
 * headers and XS_PROBE_MAX_BODY of body, and are kept for the slot's next host.
 *
 * The requests of a host, in order: GET /owa/ (its redirects followed while they stay on the
 * same scheme, host and port, at most XS_PROBE_MAX_REDIRECTS), then GET the ECP export tool's
 * manifest; for a host found to be Exchange, with --check-shells the baselines and the shell
 * paths (shells.h), then with --active the published checks (active.h), each judged only on a
 * whole response (a body cut by a timeout or reset is no answer). Every response of the
 * first two requests is fingerprinted (fingerprint.h) and the fingerprints merged, as a saved
 * scan's records of one target are; the others are judged, not fingerprinted. A request
 * that met a timeout, a reset or another connection failure is tried again after --backoff
 * seconds, doubled each time, --retries times; a refusal, a DNS failure, a TLS or protocol
 * error is not. A host that answered nothing to its first request is not sent the second.
 *
 * What may be connected to: every socket curl opens goes through open_socket, which refuses
 * 0.0.0.0/8 and :: (a connection to one reaches this machine), and an address inside the
 * exclude list, a NAT64 address's embedded IPv4 address checked too (xs_addr_check; the
 * targets that are addresses were dropped before, this catches names and whatever a name
 * resolves to). No proxy is used, whatever the environment says, so a connection goes where
 * the target says and nowhere else.
 *
 * The rate limit paces new connections: a host's first request, every retry and every request
 * after one that failed or was cut (its connection closed) take a token (--rate a second, a
 * burst of at most a tenth of a second's worth); the requests that follow on the same
 * connection take none.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/lines.h"
#include "core/limits.h"
#include "exsweep/exsweep.h"
#include "probe/active.h"
#include "probe/fold.h"
#include "probe/record.h"
#include "probe/shells.h"
#include "probe/targets.h"
#include "state/buildtab.h"

#define REQ_OWA 0
#define REQ_ECP 1
#define REQ_N 2     /* the requests every host is sent */
#define REQ_BASE 2  /* --check-shells, for an Exchange host: then a baseline a folder... */
#define MAX_SHELLS 64 /* ...then the shell paths (xs_shell_npaths, checked at start) */

static const char *const PATHS[REQ_N] = {
    "/owa/",
    "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
};

#define NACTIVE ((int)xs_active_nchecks) /* --active: probe/active.h */

typedef enum slot_state { S_FREE = 0, S_RUNNING, S_WAITING } slot_state;

typedef struct run run;

typedef struct slot {
    run *r;
    CURL *e;
    slot_state state;
    const xs_tspec *t;   /* &tcopy: the list may grow (and move) while the host is probed */
    xs_tspec tcopy;
    int req;             /* REQ_OWA, REQ_ECP, then --check-shells' (nreq) */
    int attempt;         /* of the current request: 0 first */
    int redirects;       /* of the current request */
    double wait_until;   /* S_WAITING: when to try again */
    double host_deadline;
    bool excluded_hit;   /* open_socket refused an address of this transfer */
    bool unspecified_hit; /* ...of this host, as 0.0.0.0/8 or :: (xs_addr_check) */
    bool cut;            /* the body reached XS_PROBE_MAX_BODY: the transfer was ended here */
    bool too_large;      /* the headers passed XS_PROBE_MAX_HEADER_BYTES */
    bool want_cert;
    char url[XS_PROBE_MAX_URL + 1];
    char *hdr, *body;
    size_t nhdr, caphdr, nbody, capbody;
    xs_live_rec rec;
    char seen[32];
    char subject[1024], issuer[1024], not_after[32];
    char names[XS_PROBE_MAX_CERT_NAMES][XS_PROBE_MAX_HOST + 1];
    long base_status[8];   /* --check-shells: each folder's baseline, -1 when none */
    size_t base_bytes[8];
    exs_probe_shell found[MAX_SHELLS];
} slot;

struct run {
    CURLM *m;
    exs_probe *p;
    const xs_excl *ex;
    slot *s;
    size_t ns;
    size_t *free_s;     /* indices of free slots */
    size_t nfree;
    size_t nwaiting;
    double timeout, backoff, rate, next_token, deadline;
    int retries;
    bool nomem, check_shells, active;
    unsigned long long secret; /* the baseline names' */
    char ua[512];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void utc_now(char *buf, size_t cap)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *exs_probe_user_agent(const char *contact, char *buf, size_t cap)
{
    if (!buf || !cap)
        return "";
    if (contact && contact[0])
        snprintf(buf, cap, "exsweep-probe/%s (Exchange exposure check; security research; "
                           "contact: %s)",
                 EXSWEEP_VERSION, contact);
    else
        snprintf(buf, cap, "exsweep-probe/%s (Exchange exposure check; security research)",
                 EXSWEEP_VERSION);
    /* no CR, LF or other control in a header value */
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    return buf;
}

/* ---- callbacks ---- */

static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    slot *s = ud;
    unsigned char a16[16];
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKET_BAD;
    if (a->family == AF_INET && a->addrlen >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)&a->addr;
        memset(a16, 0, 10);
        a16[10] = a16[11] = 0xff;
        memcpy(a16 + 12, &in->sin_addr, 4);
    } else if (a->family == AF_INET6 && a->addrlen >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)&a->addr;
        memcpy(a16, &in6->sin6_addr, 16);
    } else {
        return CURL_SOCKET_BAD;
    }
    int ck = xs_addr_check(s->r->ex, a16);
    if (ck != XS_ADDR_OK) {
        s->excluded_hit = true;
        if (ck == XS_ADDR_UNSPECIFIED)
            s->unspecified_hit = true;
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* n more bytes at *buf (used *len, capacity *cap), growing to at most max. */
static bool append(char **buf, size_t *len, size_t *cap, const char *p, size_t n, size_t max)
{
    if (*len + n > max)
        return false;
    if (*len + n > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n)
            c *= 2;
        if (c > max)
            c = max;
        char *nb = realloc(*buf, c);
        if (!nb)
            return false;
        *buf = nb;
        *cap = c;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    return true;
}

/* RFC 2253 text of a name, cut to cap. */
static void name_text(X509_NAME *n, char *out, size_t cap)
{
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int k = BIO_read(b, out, (int)cap - 1);
        out[k > 0 ? k : 0] = '\0';
    }
    BIO_free(b);
}

static void take_cert(slot *s, X509 *c)
{
    name_text(X509_get_subject_name(c), s->subject, sizeof s->subject);
    name_text(X509_get_issuer_name(c), s->issuer, sizeof s->issuer);
    struct tm tm;
    const ASN1_TIME *na = X509_get0_notAfter(c);
    if (na && ASN1_TIME_to_tm(na, &tm) == 1)
        strftime(s->not_after, sizeof s->not_after, "%Y-%m-%dT%H:%M:%SZ", &tm);
    GENERAL_NAMES *gn = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
    s->rec.nnames = 0;
    for (int i = 0; gn && i < sk_GENERAL_NAME_num(gn); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gn, i);
        if (g->type != GEN_DNS || s->rec.nnames >= XS_PROBE_MAX_CERT_NAMES)
            continue;
        const unsigned char *d = ASN1_STRING_get0_data(g->d.dNSName);
        int len = ASN1_STRING_length(g->d.dNSName);
        if (!d || len <= 0)
            continue;
        size_t k = (size_t)len > XS_PROBE_MAX_HOST ? XS_PROBE_MAX_HOST : (size_t)len;
        char *o = s->names[s->rec.nnames];
        memcpy(o, d, k);
        o[k] = '\0';
        if (strlen(o) != k) /* a NUL inside: not a name */
            continue;
        s->rec.names[s->rec.nnames] = o;
        s->rec.nnames++;
    }
    GENERAL_NAMES_free(gn);
}

/* The peer's certificate, once the handshake has given it: from the header callback, and
 * from the progress callback so that a host that completes TLS and never answers has it. */
static void grab_cert(slot *s)
{
    struct curl_tlssessioninfo *ti = NULL;
    if (curl_easy_getinfo(s->e, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti ||
        ti->backend != CURLSSLBACKEND_OPENSSL || !ti->internals)
        return;
    SSL *ssl = ti->internals;
    if (!SSL_is_init_finished(ssl))
        return;
    X509 *c = SSL_get1_peer_certificate(ssl);
    if (c) {
        take_cert(s, c);
        X509_free(c);
    }
    s->want_cert = false;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    slot *s = ud;
    if (s->want_cert)
        grab_cert(s);
    return 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    slot *s = ud;
    size_t len = size * n;
    if (s->want_cert)
        grab_cert(s);
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
        s->nhdr = 0; /* a new response (after a 1xx): its own headers */
    if (!append(&s->hdr, &s->nhdr, &s->caphdr, p, len, XS_PROBE_MAX_HEADER_BYTES)) {
        s->too_large = true;
        return 0;
    }
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    slot *s = ud;
    size_t len = size * n;
    size_t room = XS_PROBE_MAX_BODY + 1 - s->nbody; /* one byte more says it was longer */
    if (len > room) {
        (void)append(&s->body, &s->nbody, &s->capbody, p, room, XS_PROBE_MAX_BODY + 1);
        s->cut = true;
        return 0;
    }
    if (!append(&s->body, &s->nbody, &s->capbody, p, len, XS_PROBE_MAX_BODY + 1)) {
        s->cut = true; /* out of memory: what was read is fingerprinted */
        return 0;
    }
    return len;
}

/* ---- the run ---- */

static bool slot_init(run *r, slot *s)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    s->e = curl_easy_init();
    if (!s->e)
        return false;
    CURL *e = s->e;
    curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)s);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    /* nothing is verified, so no CA store is named to be read for each connection */
    curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
    curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    curl_easy_setopt(e, CURLOPT_USERAGENT, r->ua);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, (void *)s);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)s);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, (void *)s);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, (void *)s);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)64 << 20);
    /* no DNS cache: curl keeps an entry for every host, addresses too, and goes over them
     * all at each lookup, so a large CIDR's run slowed with the square of its size (a /17:
     * 38 s instead of 1.6 s). A host's later requests reuse its connection, unresolved. */
    if (curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L) != CURLE_OK) {
        curl_easy_cleanup(e);
        s->e = NULL;
        return false;
    }
    return true;
}

/* The requests of the slot's host: 2, and with --check-shells for an Exchange host the
 * baselines and the shell paths after them. */
static int nshell_req(const run *r)
{
    return r->check_shells ? (int)(xs_shell_ndirs + xs_shell_npaths) : 0;
}

static int nreq(const run *r, const slot *s)
{
    if (!s->rec.fp.exchange)
        return REQ_N;
    return REQ_N + nshell_req(r) + (r->active ? NACTIVE : 0);
}

/* The active check of request req, or NULL. */
static const xs_active_check *active_of(const run *r, int req)
{
    int k = req - REQ_BASE - nshell_req(r);
    return r->active && k >= 0 && k < NACTIVE ? &xs_active_checks[k] : NULL;
}

/* A name that is no file of folder d of this host: the same for the host all run long. */
static void baseline_path(const run *r, const slot *s, int d, char *out, size_t cap)
{
    unsigned long long h = 1469598103934665603ull ^ r->secret;
    for (const char *c = s->t->key; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    snprintf(out, cap, "%sexsweep-%016llx.aspx", xs_shell_dirs[d], h ^ (unsigned long long)d);
}

static void set_url(slot *s, int req)
{
    const xs_tspec *t = s->t;
    bool v6 = strchr(t->host, ':') != NULL;
    char path[256];
    const xs_active_check *ac = active_of(s->r, req);
    curl_easy_setopt(s->e, CURLOPT_COOKIE, ac ? ac->cookie : NULL);
    if (req < REQ_N)
        snprintf(path, sizeof path, "%s", PATHS[req]);
    else if (ac)
        snprintf(path, sizeof path, "%s", ac->path);
    else if (req < REQ_BASE + (int)xs_shell_ndirs)
        baseline_path(s->r, s, req - REQ_BASE, path, sizeof path);
    else
        snprintf(path, sizeof path, "%s",
                 xs_shell_paths[req - REQ_BASE - (int)xs_shell_ndirs].path);
    snprintf(s->url, sizeof s->url, "%s://%s%s%s:%u%s", t->https ? "https" : "http",
             v6 ? "[" : "", t->host, v6 ? "]" : "", t->port, path);
    s->req = req;
    s->attempt = 0;
    s->redirects = 0;
}

/* A new connection may be opened now (the rate limit): takes the token. */
static bool token(run *r, double now)
{
    if (r->rate <= 0)
        return true;
    double burst = 0.1 > 1.0 / r->rate ? 0.1 : 1.0 / r->rate;
    if (r->next_token < now - burst)
        r->next_token = now - burst;
    if (r->next_token > now)
        return false;
    r->next_token += 1.0 / r->rate;
    return true;
}

/* Starts the slot's current URL. False when curl refused it (counted as other). */
static bool start(run *r, slot *s, double now)
{
    double left = s->host_deadline - now;
    if (r->deadline > 0 && r->deadline - now < left)
        left = r->deadline - now;
    if (left > r->timeout)
        left = r->timeout;
    long ms = left > 0.001 ? (long)(left * 1000) : 1;
    s->excluded_hit = s->cut = s->too_large = false;
    s->nhdr = s->nbody = 0;
    s->want_cert = s->t->https && !s->subject[0];
    curl_easy_setopt(s->e, CURLOPT_URL, s->url);
    curl_easy_setopt(s->e, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(s->e, CURLOPT_CONNECTTIMEOUT_MS, ms);
    /* the host's last request: its connection is not kept idle for nobody (with
     * --check-shells or --active, the manifest is not known to be the last) */
    bool last = (s->req == REQ_ECP && !r->check_shells && !r->active) || s->req + 1 == nreq(r, s);
    curl_easy_setopt(s->e, CURLOPT_FORBID_REUSE, last ? 1L : 0L);
    s->rec.net.requests++;
    s->state = S_RUNNING;
    if (curl_multi_add_handle(r->m, s->e) != CURLM_OK) {
        s->rec.net.other++;
        s->state = S_FREE;
        return false;
    }
    return true;
}

/* start(), but a request after one that failed or was cut (curl closed its connection) opens
 * a new connection: it takes a token, or waits in S_WAITING for one. */
static bool start_paced(run *r, slot *s, double now, bool fresh)
{
    if (fresh && !token(r, now)) {
        s->state = S_WAITING;
        s->wait_until = now;
        r->nwaiting++;
        return true;
    }
    return start(r, s, now);
}

static void slot_assign(run *r, slot *s, const xs_tspec *t, size_t order, double now)
{
    s->tcopy = *t;
    s->t = &s->tcopy;
    memset(&s->rec, 0, sizeof s->rec);
    s->rec.t = s->t;
    s->rec.order = order;
    s->rec.fp.why = "no Exchange header, redirect or page";
    s->subject[0] = s->issuer[0] = s->not_after[0] = '\0';
    s->unspecified_hit = false;
    utc_now(s->seen, sizeof s->seen);
    s->host_deadline = now + (r->check_shells ? 8 : r->active ? 5 : 4) * r->timeout;
    for (size_t d = 0; d < xs_shell_ndirs; d++)
        s->base_status[d] = -1;
    if (r->active)
        for (int k = NACTIVE - 1; k >= 0; k--) /* each family named by its first check */
            s->rec.active[xs_active_checks[k].family] = (exs_probe_active){
                xs_family_name((xs_family)xs_active_checks[k].family),
                xs_active_checks[k].check, -1, "no answer"};
    set_url(s, REQ_OWA);
}

/* The host is done: folded into the probe, the slot freed. */
static void slot_finish(run *r, slot *s)
{
    s->rec.seen = s->seen;
    s->rec.subject = s->subject;
    s->rec.issuer = s->issuer;
    s->rec.not_after = s->not_after;
    s->rec.shells = s->found;
    s->rec.nactive = r->active && s->rec.fp.exchange ? EXS_FAMILIES : 0;
    if (!s->rec.records) {
        const exs_probe_net *n = &s->rec.net;
        s->rec.fp.why = s->unspecified_hit
                            ? "no response: its address is unspecified (0.0.0.0/8 or ::), "
                              "which would reach this machine: refused"
                        : n->excluded ? "no response: its address is excluded"
                        : n->refused  ? "no response: connection refused"
                        : n->timeout  ? "no response: timeout"
                        : n->reset    ? "no response: connection reset"
                        : n->tls      ? "no response: TLS handshake failed"
                        : n->dns      ? "no response: the name does not resolve"
                        : n->protocol ? "no response: not HTTP"
                        : n->too_large ? "no response: headers too large"
                                       : "no response";
    }
    if (!xs_probe_live_put(r->p, &s->rec))
        r->nomem = true;
    s->state = S_FREE;
    s->t = NULL;
    r->free_s[r->nfree++] = (size_t)(s - r->s);
}

/* The next request of the host, or its end. fresh: the last transfer did not end well, so
 * its connection is gone (start_paced). */
static void next_request(run *r, slot *s, double now, bool fresh)
{
    /* a host that gave nothing to its first request is not asked more */
    int n = nreq(r, s);
    if (s->req + 1 >= n || !s->rec.records || now >= s->host_deadline) {
        s->rec.net.not_sent += (uint32_t)(n - 1 - s->req);
        slot_finish(r, s);
        return;
    }
    set_url(s, s->req + 1);
    if (!start_paced(r, s, now, fresh))
        next_request(r, s, now, fresh); /* counted as other; the next, or the end */
}

typedef enum ecat { E_NONE, E_TIMEOUT, E_REFUSED, E_RESET, E_TLS, E_PROTOCOL, E_DNS,
                    E_EXCLUDED, E_TOO_LARGE, E_OTHER } ecat;

static ecat classify(slot *s, CURLcode rc)
{
    if (rc == CURLE_OK)
        return E_NONE;
    if (s->excluded_hit)
        return E_EXCLUDED;
    if (s->too_large)
        return E_TOO_LARGE;
    long oserr = 0;
    curl_easy_getinfo(s->e, CURLINFO_OS_ERRNO, &oserr);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return E_TIMEOUT;
    if (oserr == ECONNRESET || oserr == EPIPE)
        return E_RESET;
    if (oserr == ECONNREFUSED)
        return E_REFUSED;
    if (oserr == ETIMEDOUT)
        return E_TIMEOUT;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: return E_DNS;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER: return E_TLS;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_FILESIZE_EXCEEDED: return E_PROTOCOL;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: return E_RESET;
    default: return E_OTHER;
    }
}

static void count_error(exs_probe_net *n, ecat c)
{
    switch (c) {
    case E_TIMEOUT: n->timeout++; break;
    case E_REFUSED: n->refused++; break;
    case E_RESET: n->reset++; break;
    case E_TLS: n->tls++; break;
    case E_PROTOCOL: n->protocol++; break;
    case E_DNS: n->dns++; break;
    case E_EXCLUDED: n->excluded++; break;
    case E_TOO_LARGE: n->too_large++; break;
    case E_OTHER: n->other++; break;
    case E_NONE: break;
    }
}

/* The response's headers as pairs pointing into s->hdr (the status line left out). */
static size_t headers(slot *s, xs_http_header *h, size_t cap)
{
    return xs_http_headers(s->hdr, s->nhdr, h, cap);
}

/* The redirect curl would follow, when it stays on the target's scheme, host and port and
 * fits XS_PROBE_MAX_URL: copied to s->url. 1 to follow, -1 not (elsewhere, or too long). */
static int same_origin(slot *s, const char *loc)
{
    if (strlen(loc) > XS_PROBE_MAX_URL)
        return -1;
    CURLU *u = curl_url();
    if (!u)
        return -1;
    int ok = -1;
    char *scheme = NULL, *host = NULL, *port = NULL;
    if (curl_url_set(u, CURLUPART_URL, loc, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        const char *h = host;
        size_t hn = strlen(h);
        if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') {
            h++;
            hn -= 2;
        }
        char canon[XS_PROBE_MAX_HOST + 16], hh[XS_PROBE_MAX_HOST + 1];
        const char *why;
        long pn = xs_str_uint(xs_str_cstr(port), 65535);
        bool https = strcmp(scheme, "https") == 0;
        if ((https || strcmp(scheme, "http") == 0) && https == s->t->https &&
            pn == (long)s->t->port &&
            xs_probe_target_key(xs_str_make(h, hn), (unsigned)pn, canon, sizeof canon, hh,
                                sizeof hh, &why) &&
            strcmp(canon, s->t->key) == 0) {
            snprintf(s->url, sizeof s->url, "%s", loc);
            ok = 1;
        }
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return ok;
}

/* A baseline kept, or a shell path judged against its folder's. */
static void shell_answer(slot *s, long status)
{
    int k = s->req - REQ_BASE;
    if (k < (int)xs_shell_ndirs) {
        s->base_status[k] = status;
        s->base_bytes[k] = s->nbody;
        return;
    }
    const xs_shell_path *sp = &xs_shell_paths[k - (int)xs_shell_ndirs];
    long bs = s->base_status[sp->dir];
    if (bs < 0)
        return; /* no baseline: not judged */
    s->rec.shells_checked++;
    if (xs_shell_differs(status, s->nbody, bs, s->base_bytes[sp->dir]) &&
        s->rec.nshells < MAX_SHELLS)
        s->found[s->rec.nshells++] = (exs_probe_shell){sp->path, status, s->nbody, bs,
                                                       s->base_bytes[sp->dir]};
}

/* An active check's answer: its sign seen, or not. A family's result is the first sign of its
 * checks (ProxyShell has two). Not fingerprinted: the answer is the check's. */
static void active_answer(slot *s, const xs_active_check *ac, long status)
{
    exs_probe_active *a = &s->rec.active[ac->family];
    if (a->result == 1)
        return;
    xs_http_header h[XS_PROBE_MAX_HEADERS];
    size_t nh = headers(s, h, XS_PROBE_MAX_HEADERS);
    const char *ev = "";
    a->result = xs_active_sign(ac, status, h, nh, s->body, s->nbody, &ev) ? 1 : 0;
    a->evidence = ev;
}

static void done(run *r, slot *s, CURLcode rc, double now)
{
    curl_multi_remove_handle(r->m, s->e);
    long status = 0;
    curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &status);
    /* a transfer ended here at the body's cap is a whole response */
    ecat c = rc == CURLE_WRITE_ERROR && s->cut ? E_NONE : classify(s, rc);
    bool answered = status > 0 && !s->too_large && c != E_EXCLUDED;
    /* the baselines, shell paths and active checks are judged on whole responses only: a
     * body cut by a timeout or a reset would differ from its baseline, or lack the word an
     * active sign looks for. Such a response is no answer (an error, retried as one). */
    const xs_active_check *ac = active_of(r, s->req);
    if (answered && c == E_NONE && s->req >= REQ_BASE) {
        if (ac)
            active_answer(s, ac, status);
        else
            shell_answer(s, status); /* not fingerprinted: a shell's page is the attacker's */
        s->rec.net.responses++;
        next_request(r, s, now, rc != CURLE_OK);
        return;
    }
    if (ac && answered && s->rec.active[ac->family].result != 1) /* until a whole answer */
        s->rec.active[ac->family] = (exs_probe_active){s->rec.active[ac->family].family,
                                                       s->rec.active[ac->family].check, -1,
                                                       "no answer: the response was cut short"};
    if (answered && s->req < REQ_BASE) {
        xs_http_header h[XS_PROBE_MAX_HEADERS];
        size_t nh = headers(s, h, XS_PROBE_MAX_HEADERS);
        xs_fingerprint fp;
        xs_fp_http((int)status, h, nh, s->body ? s->body : "", s->nbody, &fp);
        if (!s->rec.records)
            s->rec.fp = fp;
        else
            xs_fp_merge(&s->rec.fp, &fp);
        s->rec.records++;
        s->rec.net.responses++;
        count_error(&s->rec.net, c); /* a response cut by a timeout still tells */
        char *loc = NULL;
        if (c == E_NONE && status >= 300 && status < 400 &&
            curl_easy_getinfo(s->e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc) {
            if (s->redirects >= XS_PROBE_MAX_REDIRECTS) {
                s->rec.net.redirect_limit++;
            } else if (same_origin(s, loc) > 0) {
                s->redirects++;
                if (now < s->host_deadline && start_paced(r, s, now, rc != CURLE_OK))
                    return;
                if (now >= s->host_deadline)
                    s->rec.net.not_sent++;
            } else {
                s->rec.net.redirect_other_host++;
            }
        }
        next_request(r, s, now, rc != CURLE_OK);
        return;
    }
    count_error(&s->rec.net, c == E_NONE ? E_OTHER : c);
    bool again = (c == E_TIMEOUT || c == E_RESET || c == E_OTHER) && s->attempt < r->retries &&
                 (r->deadline <= 0 || now < r->deadline);
    double wait = r->backoff * ldexp(1.0, s->attempt);
    if (again && now + wait < s->host_deadline) {
        s->attempt++;
        s->state = S_WAITING;
        s->wait_until = now + wait;
        r->nwaiting++;
        return;
    }
    next_request(r, s, now, true);
}

/* Ends what is in flight when the run's time is up: counted, folded. */
static void abort_all(run *r)
{
    for (size_t i = 0; i < r->ns; i++) {
        slot *s = &r->s[i];
        if (s->state == S_FREE)
            continue;
        if (s->state == S_RUNNING) {
            curl_multi_remove_handle(r->m, s->e);
            s->rec.net.timeout++;
        }
        /* waiting for a token, not to retry: its request was never sent */
        bool unsent = s->state == S_WAITING && s->attempt == 0;
        s->rec.net.not_sent += (uint32_t)(nreq(r, s) - 1 - s->req) + (unsent ? 1u : 0u);
        slot_finish(r, s);
    }
    r->nwaiting = 0;
}

typedef struct exwarn {
    char *err;
    size_t errlen;
    const char *name;
    size_t bad;
} exwarn;

static void warn_exclude(void *ctx, uint64_t line, const char *msg)
{
    exwarn *w = ctx;
    if (!w->bad++)
        snprintf(w->err, w->errlen, "%s: line %llu: %s (an exclude list not understood is not "
                                    "honoured: nothing was sent)",
                 w->name, (unsigned long long)line, msg);
}

/* The bytes of path ("-": standard input), at most max (a longer file: EXS_EFORMAT). */
static exs_rc slurp(const char *path, size_t max, char **out, size_t *n, char *err,
                    size_t errlen)
{
    bool in = strcmp(path, "-") == 0;
    const char *name = in ? "standard input" : path;
    int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT ? EXS_ENOENT : e == EACCES ? EXS_EACCES : EXS_EIO;
    }
    char *b = NULL;
    size_t len = 0, cap = 0;
    exs_rc rc = EXS_OK;
    while (rc == EXS_OK) {
        if (len == cap) {
            size_t c = cap ? cap * 2 : 65536;
            char *nb = c <= 2 * max ? realloc(b, c) : NULL;
            if (!nb) {
                rc = EXS_ENOMEM;
                break;
            }
            b = nb;
            cap = c;
        }
        ssize_t k = read(fd, b + len, cap - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(err, errlen, "%s: %s", name, strerror(errno));
            rc = EXS_EIO;
        } else if (k == 0) {
            break;
        } else if ((len += (size_t)k) > max) {
            snprintf(err, errlen, "%s: larger than %zu MiB", name, max >> 20);
            rc = EXS_EFORMAT;
        }
    }
    if (!in)
        close(fd);
    if (rc != EXS_OK) {
        if (!err[0])
            snprintf(err, errlen, "%s: out of memory", name);
        free(b);
        return rc;
    }
    *out = b;
    *n = len;
    return EXS_OK;
}

/* The targets from next on, when the run's time ended before they were started. */
static void not_probed(run *r, const xs_tlist *tl, size_t next)
{
    char seen[32];
    utc_now(seen, sizeof seen);
    for (size_t i = next; i < tl->n && !r->nomem; i++) {
        xs_live_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.t = &tl->t[i];
        rec.order = i;
        rec.seen = seen;
        rec.subject = rec.issuer = rec.not_after = "";
        rec.fp.why = "not probed: the run's time ended";
        rec.net.not_sent = REQ_N;
        if (!xs_probe_live_put(r->p, &rec))
            r->nomem = true;
    }
}

/* -i FILE read as it comes: zmap's output is probed while zmap runs. */
typedef struct feed {
    int fd; /* -1: none, or read to its end */
    bool own, skipping;
    const char *name;
    char buf[XS_PROBE_MAX_TLINE];
    size_t have;
    uint64_t line;
} feed;

static void feed_line(run *r, feed *f, xs_tlist *tl, const char *s, size_t n)
{
    const char *why;
    f->line++;
    if (!xs_tlist_line(tl, s, n, f->line, &why)) {
        if (strcmp(why, "out of memory") == 0)
            r->nomem = true;
        else
            xs_probe_warn(r->p, f->line, "skipped: %s", why);
    }
}

static void feed_end(feed *f)
{
    if (f->own && f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

/* Reads what f has ready (nothing blocks) and adds its lines' targets. */
static void feed_read(run *r, feed *f, xs_tlist *tl)
{
    struct pollfd pf = {.fd = f->fd, .events = POLLIN};
    if (f->fd < 0 || poll(&pf, 1, 0) <= 0)
        return;
    ssize_t k = read(f->fd, f->buf + f->have, sizeof f->buf - f->have);
    if (k < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (k <= 0) {
        if (k < 0)
            xs_probe_warn(r->p, 0, "%s: %s: the targets after line %llu were not read", f->name,
                          strerror(errno), (unsigned long long)f->line);
        else if (f->have && !f->skipping)
            feed_line(r, f, tl, f->buf, f->have);
        feed_end(f);
        return;
    }
    f->have += (size_t)k;
    size_t at = 0;
    for (;;) {
        char *nl = memchr(f->buf + at, '\n', f->have - at);
        if (!nl)
            break;
        size_t len = (size_t)(nl - (f->buf + at));
        if (f->skipping)
            f->skipping = false; /* the end of a line counted already */
        else
            feed_line(r, f, tl, f->buf + at, len);
        at += len + 1;
    }
    memmove(f->buf, f->buf + at, f->have - at);
    f->have -= at;
    if (f->have == sizeof f->buf) {
        if (!f->skipping) { /* counted once, however many buffers the line fills */
            f->line++;
            xs_probe_warn(r->p, f->line, "skipped: a line longer than %u bytes",
                          (unsigned)XS_PROBE_MAX_TLINE);
        }
        f->skipping = true;
        f->have = 0;
    }
}

/* Every target probed; the slots and the multi handle made and freed here. */
static exs_rc probe_all(run *r, xs_tlist *tl, feed *f, double max_time)
{
    double t0 = now_s();
    r->deadline = max_time > 0 ? t0 + max_time : 0;
    r->next_token = t0;
    for (size_t i = 0; i < r->ns; i++) /* made when first used */
        r->free_s[r->nfree++] = r->ns - 1 - i;
    size_t next = 0;
    while (!r->nomem && (f->fd >= 0 || next < tl->n || r->nfree < r->ns)) {
        double now = now_s();
        if (r->deadline > 0 && now >= r->deadline) {
            abort_all(r);
            if (f->fd >= 0)
                xs_probe_warn(r->p, 0, "%s: the targets after line %llu were not read: the "
                                       "run's time ended",
                              f->name, (unsigned long long)f->line);
            feed_end(f);
            not_probed(r, tl, next);
            break;
        }
        bool want = f->fd >= 0 && tl->n - next < r->ns; /* fewer waiting than slots */
        if (want)
            feed_read(r, f, tl);
        for (size_t i = 0; r->nwaiting && i < r->ns; i++) {
            slot *s = &r->s[i];
            if (s->state == S_WAITING && s->wait_until <= now && token(r, now)) {
                r->nwaiting--;
                if (!start(r, s, now))
                    slot_finish(r, s);
            }
        }
        while (r->nfree && next < tl->n && token(r, now)) {
            slot *s = &r->s[r->free_s[r->nfree - 1]];
            if (!s->e && !slot_init(r, s)) {
                r->nomem = true;
                break;
            }
            r->nfree--;
            slot_assign(r, s, &tl->t[next], next, now);
            next++;
            if (!start(r, s, now))
                slot_finish(r, s);
        }
        int running = 0;
        curl_multi_perform(r->m, &running);
        CURLMsg *msg;
        int q;
        while ((msg = curl_multi_info_read(r->m, &q))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            slot *s = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            if (s)
                done(r, s, msg->data.result, now_s());
        }
        /* until curl has work, a token is due, or a retry is */
        double until = 0.1;
        if (next < tl->n && r->nfree && r->rate > 0 && r->next_token - now < until)
            until = r->next_token - now;
        for (size_t i = 0; r->nwaiting && i < r->ns; i++) {
            /* a waiting slot starts when its time and a token are both due */
            double due = r->s[i].wait_until;
            if (r->rate > 0 && r->next_token > due)
                due = r->next_token;
            if (r->s[i].state == S_WAITING && due - now < until)
                until = due - now;
        }
        if (until < 0)
            until = 0;
        /* wake for more input only when it is wanted: a readable file would not let it wait */
        struct curl_waitfd in = {.fd = f->fd, .events = CURL_WAIT_POLLIN};
        want = f->fd >= 0 && tl->n - next < r->ns;
        curl_multi_poll(r->m, want ? &in : NULL, want ? 1 : 0,
                        (int)(until * 1000) + (until > 0 ? 1 : 0), NULL);
    }
    return r->nomem ? EXS_ENOMEM : EXS_OK;
}

exs_rc exs_probe_live(exs_probe **out, const exs_probe_live_opts *o, char *err, size_t errlen)
{
    char dummy[8];
    if (!err || !errlen) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!out || !o || (o->ntargets && !o->targets))
        return EXS_EINVAL;
    *out = NULL;
    unsigned conc = o->concurrency ? o->concurrency : 256;
    unsigned rate = o->rate ? o->rate : 100;
    int retries = o->retries < 0 ? 0 : o->retries ? o->retries : 1;
    double timeout = o->timeout > 0 ? o->timeout : 10;
    double backoff = o->backoff > 0 ? o->backoff : 0.5;
    if (conc > XS_PROBE_MAX_CONCURRENCY || rate > XS_PROBE_MAX_RATE ||
        retries > XS_PROBE_MAX_RETRIES || !isfinite(timeout) || timeout > 3600 ||
        !isfinite(backoff) || backoff > 60 || o->port > 65535 ||
        (o->max_time < 0 || !isfinite(o->max_time))) {
        snprintf(err, errlen, "options out of range (concurrency 1-%u, rate 1-%u, retries "
                              "0-%u, timeout up to 3600 s, backoff up to 60 s)",
                 (unsigned)XS_PROBE_MAX_CONCURRENCY, (unsigned)XS_PROBE_MAX_RATE,
                 (unsigned)XS_PROBE_MAX_RETRIES);
        return EXS_EINVAL;
    }
    if (xs_shell_ndirs > 8 || xs_shell_npaths > MAX_SHELLS)
        return EXS_EINVAL; /* the table outgrew the slot's room: a build error, really */
    exs_rc rc = EXS_OK;
    xs_excl *ex = NULL;
    xs_tlist tl;
    bool tl_ok = false;
    feed fd = {.fd = -1};
    run r;
    memset(&r, 0, sizeof r);
    exs_probe *p = xs_probe_live_create();
    if (!p)
        return EXS_ENOMEM;
    bool curl_up = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_up) {
        snprintf(err, errlen, "libcurl could not be initialised");
        rc = EXS_ENOMEM;
        goto out;
    }
    if (o->exclude) {
        char *b = NULL;
        size_t n = 0;
        ex = xs_excl_create();
        rc = ex ? slurp(o->exclude, XS_PROBE_MAX_LIST, &b, &n, err, errlen) : EXS_ENOMEM;
        if (rc == EXS_OK) {
            exwarn w = {err, errlen, o->exclude, 0};
            if (xs_excl_read(ex, b, n, warn_exclude, &w))
                rc = EXS_EFORMAT;
        }
        free(b);
        if (rc != EXS_OK)
            goto out;
    }
    if (!xs_tlist_init(&tl, ex, o->port)) {
        rc = EXS_ENOMEM;
        goto out;
    }
    tl_ok = true;
    for (size_t i = 0; i < o->ntargets; i++) {
        const char *why;
        const char *a = o->targets[i] ? o->targets[i] : "";
        if (!xs_tlist_add(&tl, a, strlen(a), 0, &why)) {
            snprintf(err, errlen, "target '%.300s': %s", a, why);
            rc = strcmp(why, "out of memory") == 0 ? EXS_ENOMEM : EXS_EINVAL;
            goto out;
        }
    }
    if (o->input) {
        bool in = strcmp(o->input, "-") == 0;
        fd.fd = in ? STDIN_FILENO : open(o->input, O_RDONLY | O_CLOEXEC);
        fd.own = !in;
        fd.name = in ? "standard input" : o->input;
        if (fd.fd < 0) {
            int e = errno;
            snprintf(err, errlen, "%s: %s", o->input, strerror(e));
            rc = e == ENOENT ? EXS_ENOENT : e == EACCES ? EXS_EACCES : EXS_EIO;
            goto out;
        }
    }
    r.p = p;
    r.ex = ex;
    r.timeout = timeout;
    r.backoff = backoff;
    r.rate = rate;
    r.retries = retries;
    r.check_shells = o->check_shells != 0;
    r.active = o->active != 0;
    if (getrandom(&r.secret, sizeof r.secret, 0) != (ssize_t)sizeof r.secret)
        r.secret = (unsigned long long)now_s() * 1000003ull ^ (unsigned long long)getpid();
    exs_probe_user_agent(o->contact, r.ua, sizeof r.ua);
    r.ns = fd.fd >= 0 ? conc : tl.n < conc ? tl.n : conc;
    double t0 = now_s();
    if (r.ns) {
        r.m = curl_multi_init();
        r.s = calloc(r.ns, sizeof *r.s);
        r.free_s = calloc(r.ns, sizeof *r.free_s);
        if (!r.m || !r.s || !r.free_s) {
            rc = EXS_ENOMEM;
            goto out;
        }
        /* at most one connection a slot, idle ones of finished hosts included: curl closes
         * the oldest idle one to make room */
        curl_multi_setopt(r.m, CURLMOPT_MAXCONNECTS, (long)r.ns);
        curl_multi_setopt(r.m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)r.ns);
        rc = probe_all(&r, &tl, &fd, o->max_time);
        if (rc != EXS_OK)
            goto out;
    }
    if (tl.unspecified)
        xs_probe_warn(p, 0, "%llu address targets not probed: 0.0.0.0/8 and :: (or a NAT64 "
                            "address of 0.0.0.0/8) reach this machine, whatever --exclude says",
                      (unsigned long long)tl.unspecified);
    if (tl.full)
        xs_probe_warn(p, 0, "more than %u targets: %llu were not probed",
                      (unsigned)XS_PROBE_MAX_TARGETS, (unsigned long long)tl.dropped);
    rc = xs_probe_live_finish(p, tl.excluded, tl.repeated, now_s() - t0,
                              r.check_shells ? xs_shell_npaths : 0, r.active);
out:
    feed_end(&fd);
    for (size_t i = 0; r.s && i < r.ns; i++) {
        if (r.s[i].e) {
            if (r.s[i].state == S_RUNNING)
                curl_multi_remove_handle(r.m, r.s[i].e);
            curl_easy_cleanup(r.s[i].e);
        }
        free(r.s[i].hdr);
        free(r.s[i].body);
    }
    free(r.s);
    free(r.free_s);
    if (r.m)
        curl_multi_cleanup(r.m);
    if (tl_ok)
        xs_tlist_free(&tl);
    xs_excl_destroy(ex);
    if (curl_up)
        curl_global_cleanup();
    if (rc != EXS_OK) {
        if (!err[0])
            snprintf(err, errlen, "%s", rc == EXS_ENOMEM ? "out of memory" : exs_strerror(rc));
        exs_probe_destroy(p);
        return rc;
    }
    *out = p;
    return EXS_OK;
}

/* fakeexch: a loopback HTTPS (or HTTP) server that answers as an Exchange server would, or
 * misbehaves as hosts on the internet do, for the tests and the bench of exsweep probe.
 *
 *   fakeexch [--bind ADDR] [--port N] [--ports K] [--port-file F] [--count-file F]
 *            [--max-file F] [--log F]
 *            [--http] [--vulnerable] [--delay MS] [--cn NAME] [--names K] [--life S]
 *            MODE [BUILD]
 *
 * It listens on ADDR (127.0.0.1, or ::1; nothing else is accepted) at port N (0: one the
 * kernel picks, written to F), or on K ports from N on, and serves each connection in a
 * thread of its own (keep-alive: several requests a connection). The certificate is
 * self-signed, made at start (RSA 2048): subject CN=NAME (exch.test), SAN DNS:NAME and
 * DNS:autodiscover.NAME (and --names K more: n1.NAME...), valid 2026-01-01 to 2030-01-01,
 * so that tests can assert it. --count-file F holds the number of connections accepted so
 * far (rewritten at each one), --max-file F the most connections open at once so far;
 * --log F gets one line a request: "METHOD PATH | USER-AGENT". It exits after --life seconds
 * (default 60: a test that forgets it leaves nothing running for long) or on SIGTERM.
 *
 * MODE, for GET /owa/ (302 to /owa/auth/logon.aspx?url=...), the logon page and the ECP
 * export tool manifest (/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.
 * application):
 *   header BUILD    the logon page carries X-OWA-Version: BUILD (4 parts), its paths the
 *                   first three; the manifest is 404
 *   manifest BUILD  the manifest's assemblyIdentity version is BUILD; the logon page links
 *                   /owa/auth/ without a build
 *   paths BUILD     the logon page's resources are under /owa/auth/BUILD/ (3 parts); no
 *                   header, the manifest 404
 *   plain           not Exchange: a 200 page for every path but the manifest (404)
 *   silent          accepts and never reads nor answers (no TLS handshake either)
 *   reset           accepts and resets the connection (SO_LINGER 0)
 *   garbage         after the handshake, answers bytes that are no HTTP
 *   bigheader       answers 200 with 200 KiB of headers (200 lines of 1 KiB)
 *   loop            /owa/ redirects to /owa/1, which redirects to /owa/2, ... forever
 *   offhost         /owa/ redirects to https://elsewhere.invalid/owa/auth/logon.aspx
 *   longloc         /owa/ redirects to /owa/aaa... (3000 a's: past XS_PROBE_MAX_URL)
 *   shell BUILD     as header, and two published shell paths are there:
 *                   /aspnet_client/shell.aspx answers 200 empty (China Chopper without its
 *                   parameter), /owa/auth/RedirSuiteServerProxy.aspx 500; the rest is 404
 *   soft404 BUILD   as header, but every path that is not there answers 200 with one page
 *   bigbody         the logon page is 1 MiB of padding, the build's path at its very end
 *   cut BUILD       as header, but /aspnet_client/shell.aspx and the ProxyNotShell check's
 *                   URL are answered 200 and 302 with a Content-Length of 4096 whose body
 *                   stops after 200 bytes (no "Protocol" in them): the connection is closed
 *                   there, as a reset or a timeout cuts a response
 *   cutall          every request answered so: a 302 to the logon page with X-FEServer (an
 *                   Exchange server, no build), cut, and the connection closed
 * --delay MS waits before each answer (a slow host). --vulnerable answers the published
 * active checks as an unpatched, unmitigated server does: GET /owa/auth/x.js with the
 * X-BEResource=localhost cookie gets X-CalculatedBETarget: localhost (Microsoft's nmap
 * script), the autodiscover confusions reach "OWA" and "MAPI" (nuclei's CVE-2021-34473), and
 * the ProxyNotShell one a 302 (nuclei's CVE-2022-41040).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 1024

static const char *mode = "plain", *build = "", *cn = "exch.test", *count_file, *log_file,
                  *max_file;
static bool use_tls = true, vulnerable;
static long delay_ms, extra_names;
static SSL_CTX *ctx;
static atomic_long accepted, open_now, open_max;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static const char MANIFEST_PATH[] =
    "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application";

static void die(const char *what)
{
    fprintf(stderr, "fakeexch: %s\n", what);
    exit(2);
}

static void make_cert(void)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);
    X509 *x = X509_new();
    if (!k || !x)
        die("cannot make a key");
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 4242);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20260101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20300101000000Z");
    X509_set_pubkey(x, k);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, n);
    char san[16384];
    int o = snprintf(san, sizeof san, "DNS:%s,DNS:autodiscover.%s", cn, cn);
    for (long j = 1; j <= extra_names && o > 0 && (size_t)o < sizeof san - 300; j++)
        o += snprintf(san + o, sizeof san - (size_t)o, ",DNS:n%ld.%s", j, cn);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
    if (!ext || !X509_add_ext(x, ext, -1))
        die("cannot add the subjectAltName");
    X509_EXTENSION_free(ext);
    if (!X509_sign(x, k, EVP_sha256()))
        die("cannot sign");
    ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, k) != 1)
        die("cannot set up TLS");
    X509_free(x);
    EVP_PKEY_free(k);
}

typedef struct conn {
    int fd;
    SSL *ssl;
} conn;

static int cwrite(conn *c, const char *p, size_t n)
{
    while (n) {
        int k = c->ssl ? SSL_write(c->ssl, p, (int)n) : (int)write(c->fd, p, n);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int cread(conn *c, char *p, size_t n)
{
    return c->ssl ? SSL_read(c->ssl, p, (int)n) : (int)read(c->fd, p, n);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* An answer: status, extra header lines (each ending CRLF), body. */
/* The status line and headers, saying clen bytes of body. */
static int send_head(conn *c, int status, const char *extra, size_t clen)
{
    const char *reason = status == 200 ? "OK" : status == 302 ? "Found" : "Not Found";
    char head[512];
    int k = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nServer: Microsoft-IIS/10.0\r\nContent-Length: %zu\r\n"
                     "Content-Type: text/html; charset=utf-8\r\n",
                     status, reason, clen);
    if (k < 0 || (size_t)k >= sizeof head)
        return -1;
    if (delay_ms)
        sleep_ms(delay_ms);
    if (cwrite(c, head, (size_t)k) < 0 || (extra && cwrite(c, extra, strlen(extra)) < 0) ||
        cwrite(c, "\r\n", 2) < 0)
        return -1;
    return 0;
}

static int answer(conn *c, int status, const char *extra, const char *body, size_t nbody)
{
    if (send_head(c, status, extra, nbody) < 0)
        return -1;
    return nbody ? cwrite(c, body, nbody) : 0;
}

static bool exchange_mode(void)
{
    return !strcmp(mode, "header") || !strcmp(mode, "manifest") || !strcmp(mode, "paths") ||
           !strcmp(mode, "bigbody") || !strcmp(mode, "shell") || !strcmp(mode, "soft404") ||
           !strcmp(mode, "cut") || !strcmp(mode, "cutall");
}

/* "header", and the modes that answer as it does for its pages */
static bool header_mode(void)
{
    return !strcmp(mode, "header") || !strcmp(mode, "shell") || !strcmp(mode, "soft404") ||
           !strcmp(mode, "cut");
}

/* A response that says 4096 bytes of body and sends 200: -1, the connection to be closed. */
static int answer_cut(conn *c, int status, const char *extra)
{
    char pad[200];
    memset(pad, 'x', sizeof pad);
    if (send_head(c, status, extra, 4096) == 0)
        (void)cwrite(c, pad, sizeof pad);
    return -1;
}

/* The first three parts of build ("15.1.2176.2" -> "15.1.2176"). */
static void three(char *out, size_t cap)
{
    snprintf(out, cap, "%s", build);
    char *d = strchr(out, '.');
    d = d ? strchr(d + 1, '.') : NULL;
    d = d ? strchr(d + 1, '.') : NULL;
    if (d)
        *d = '\0';
}

static int serve(conn *c, const char *path, bool be_localhost)
{
    char extra[512], body[4096];
    char b3[64];
    three(b3, sizeof b3);
    if (!strcmp(mode, "cutall"))
        return answer_cut(c, 302, "Location: /owa/auth/logon.aspx\r\nX-FEServer: EXCH01\r\n");
    if (!strcmp(mode, "loop") && !strncmp(path, "/owa/", 5)) {
        long n = strtol(path + 5, NULL, 10);
        snprintf(extra, sizeof extra, "Location: /owa/%ld\r\n", n + 1);
        return answer(c, 302, extra, "", 0);
    }
    if (!strcmp(mode, "longloc") && !strcmp(path, "/owa/")) {
        char loc[3100];
        memcpy(loc, "Location: /owa/", 15);
        memset(loc + 15, 'a', 3000);
        memcpy(loc + 3015, "\r\n", 3);
        return answer(c, 302, loc, "", 0);
    }
    if (!strcmp(mode, "offhost") && !strcmp(path, "/owa/"))
        return answer(c, 302, "Location: https://elsewhere.invalid/owa/auth/logon.aspx\r\n", "",
                      0);
    if (!strcmp(mode, "bigheader")) {
        /* 200 lines of 1 KiB: each line within curl's own cap, the whole past ours */
        size_t line = 1024, lines = 200;
        char *h = malloc(line * lines + 1);
        if (!h)
            return -1;
        for (size_t j = 0; j < lines; j++) {
            char *o = h + j * line;
            int k = snprintf(o, line, "X-Pad-%03zu: ", j);
            memset(o + k, 'a', line - (size_t)k - 2);
            memcpy(o + line - 2, "\r\n", 2);
        }
        h[line * lines] = '\0';
        int rc = answer(c, 200, h, "big", 3);
        free(h);
        return rc;
    }
    if (!exchange_mode()) {
        if (!strcmp(path, MANIFEST_PATH))
            return answer(c, 404, NULL, "not here", 8);
        const char *page = "<html><head><title>It works</title></head><body>hello</body></html>";
        return answer(c, 200, NULL, page, strlen(page));
    }
    if (!strcmp(path, "/owa/") || !strcmp(path, "/owa")) {
        snprintf(extra, sizeof extra,
                 "Location: /owa/auth/logon.aspx?url=%%2fowa%%2f&reason=0\r\n"
                 "X-FEServer: EXCH01\r\n");
        return answer(c, 302, extra, "", 0);
    }
    if (!strncmp(path, "/owa/auth/logon.aspx", 20)) {
        extra[0] = '\0';
        if (header_mode())
            snprintf(extra, sizeof extra, "X-OWA-Version: %s\r\nX-FEServer: EXCH01\r\n", build);
        if (!strcmp(mode, "bigbody")) {
            size_t n = 1u << 20;
            char *big = malloc(n + 128);
            if (!big)
                return -1;
            memset(big, ' ', n);
            int k = snprintf(big + n, 128, "<link href=\"/owa/auth/%s/themes/x.css\">", b3);
            int rc = answer(c, 200, extra, big, n + (size_t)k);
            free(big);
            return rc;
        }
        if (!strcmp(mode, "manifest"))
            snprintf(body, sizeof body,
                     "<html><head><title>Outlook</title></head><body><form "
                     "action=\"/owa/auth.owa\" method=\"POST\"><img "
                     "src=\"/owa/auth/themes/resources/logo.png\"></form></body></html>");
        else
            snprintf(body, sizeof body,
                     "<html><head><title>Outlook</title>"
                     "<link rel=\"shortcut icon\" href=\"/owa/auth/%s/themes/resources/favicon.ico\">"
                     "<link href=\"/owa/auth/%s/themes/resources/owafont_ja.css\" rel=\"stylesheet\">"
                     "</head><body><form action=\"/owa/auth.owa\" method=\"POST\"></form>"
                     "</body></html>",
                     b3, b3);
        return answer(c, 200, extra, body, strlen(body));
    }
    if (!strcmp(path, MANIFEST_PATH) && !strcmp(mode, "manifest")) {
        snprintf(body, sizeof body,
                 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<asmv1:assembly xsi:schemaLocation=\"urn:schemas-microsoft-com:asm.v1 "
                 "assembly.adaptive.xsd\" manifestVersion=\"1.0\" "
                 "xmlns:asmv1=\"urn:schemas-microsoft-com:asm.v1\">\n"
                 "  <assemblyIdentity name=\"microsoft.exchange.ediscovery.exporttool.application\" "
                 "version=\"%s\" publicKeyToken=\"b1d1a6c45aa418ce\" language=\"neutral\" "
                 "processorArchitecture=\"msil\" xmlns=\"urn:schemas-microsoft-com:asm.v1\" />\n"
                 "</asmv1:assembly>\n",
                 build);
        return answer(c, 200, "X-FEServer: EXCH01\r\n", body, strlen(body));
    }
    if (vulnerable && !strcmp(path, "/owa/auth/x.js") && be_localhost)
        return answer(c, 500, "X-CalculatedBETarget: localhost\r\n",
                      "NegotiateSecurityContext failed", 31);
    if (vulnerable && !strncmp(path, "/autodiscover/autodiscover.json?@test.com/owa/", 46)) {
        const char *b = "<html>Microsoft.Exchange.Clients.Owa2.Server.Core."
                        "OwaADUserNotFoundException: test.com</html>";
        return answer(c, 500, NULL, b, strlen(b));
    }
    if (vulnerable && !strncmp(path, "/autodiscover/autodiscover.json?@test.com/mapi/", 47)) {
        const char *b = "<html>Exchange MAPI/HTTP Connectivity Endpoint</html>";
        return answer(c, 200, NULL, b, strlen(b));
    }
    if (vulnerable && !strncmp(path, "/autodiscover/autodiscover.json?a@foo.var/owa/", 46))
        return answer(c, 302, "Location: /owa/\r\n", "", 0);
    if (!strcmp(mode, "cut") && !strcasecmp(path, "/aspnet_client/shell.aspx"))
        return answer_cut(c, 200, "");
    if (!strcmp(mode, "cut") && !strncmp(path, "/autodiscover/autodiscover.json?a@foo.var/owa/", 46))
        return answer_cut(c, 302, "Location: /owa/\r\n");
    if (!strcmp(mode, "shell") && !strcasecmp(path, "/aspnet_client/shell.aspx"))
        return answer(c, 200, NULL, "", 0); /* China Chopper asked without its parameter */
    if (!strcmp(mode, "shell") && !strcasecmp(path, "/owa/auth/RedirSuiteServerProxy.aspx"))
        return answer(c, 500, NULL, "<html>Runtime Error</html>", 26);
    if (!strcmp(mode, "soft404")) {
        const char *soft = "<html><body>Sorry, we could not find that page.</body></html>";
        return answer(c, 200, NULL, soft, strlen(soft));
    }
    return answer(c, 404, NULL, "<html>404</html>", 16);
}

static void log_req(const char *req)
{
    if (!log_file)
        return;
    char method[16] = "", path[1024] = "", ua[512] = "";
    const char *sp = strchr(req, ' ');
    if (sp && (size_t)(sp - req) < sizeof method)
        memcpy(method, req, (size_t)(sp - req));
    const char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
    if (sp2 && (size_t)(sp2 - sp - 1) < sizeof path)
        memcpy(path, sp + 1, (size_t)(sp2 - sp - 1));
    const char *u = strcasestr(req, "\r\nUser-Agent: ");
    if (u) {
        u += 14;
        const char *e = strstr(u, "\r\n");
        size_t n = e ? (size_t)(e - u) : strlen(u);
        if (n >= sizeof ua)
            n = sizeof ua - 1;
        memcpy(ua, u, n);
    }
    pthread_mutex_lock(&log_mu);
    FILE *f = fopen(log_file, "a");
    if (f) {
        fprintf(f, "%s %s | %s\n", method, path, ua);
        fclose(f);
    }
    pthread_mutex_unlock(&log_mu);
}

static void write_number(const char *path, long n);

/* Connections open at once: the most is written to --max-file when it grows. */
static void opened(int d)
{
    long now = atomic_fetch_add(&open_now, d) + d;
    long m = atomic_load(&open_max);
    while (now > m) {
        if (atomic_compare_exchange_weak(&open_max, &m, now)) {
            if (max_file) {
                pthread_mutex_lock(&log_mu);
                write_number(max_file, atomic_load(&open_max));
                pthread_mutex_unlock(&log_mu);
            }
            break;
        }
    }
}

static void *run_conn_body(void *arg);

static void *run_conn(void *arg)
{
    opened(1);
    void *r = run_conn_body(arg);
    opened(-1);
    return r;
}

static void *run_conn_body(void *arg)
{
    conn c = {(int)(intptr_t)arg, NULL};
    if (!strcmp(mode, "silent")) {
        char b[256];
        while (read(c.fd, b, sizeof b) > 0) /* never answer; wait for the client to go */
            ;
        close(c.fd);
        return NULL;
    }
    if (!strcmp(mode, "reset")) {
        struct linger l = {1, 0};
        setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close(c.fd);
        return NULL;
    }
    if (use_tls) {
        c.ssl = SSL_new(ctx);
        if (!c.ssl || !SSL_set_fd(c.ssl, c.fd) || SSL_accept(c.ssl) != 1)
            goto out;
    }
    if (!strcmp(mode, "garbage")) {
        char b[256];
        (void)cread(&c, b, sizeof b);
        const char junk[] = "\x01\x02 no http here \xff\xfe\r\n\r\n";
        (void)cwrite(&c, junk, sizeof junk - 1);
        goto out;
    }
    char req[16384];
    size_t have = 0;
    for (;;) {
        char *end = have ? memmem(req, have, "\r\n\r\n", 4) : NULL;
        if (!end) {
            if (have >= sizeof req - 1)
                goto out;
            int k = cread(&c, req + have, sizeof req - 1 - have);
            if (k <= 0)
                goto out;
            have += (size_t)k;
            continue;
        }
        size_t len = (size_t)(end - req) + 4;
        char save = req[len - 1];
        req[len - 1] = '\0';
        log_req(req);
        char path[1024] = "";
        const char *sp = strchr(req, ' ');
        const char *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
        if (sp2 && (size_t)(sp2 - sp - 1) < sizeof path)
            memcpy(path, sp + 1, (size_t)(sp2 - sp - 1));
        bool close_after = strcasestr(req, "\r\nConnection: close") != NULL;
        bool be_localhost = strstr(req, "X-BEResource=localhost") != NULL; /* in a Cookie */
        req[len - 1] = save;
        if (serve(&c, path, be_localhost) < 0 || close_after)
            goto out;
        memmove(req, req + len, have - len);
        have -= len;
    }
out:
    if (c.ssl) {
        SSL_shutdown(c.ssl);
        SSL_free(c.ssl);
    }
    close(c.fd);
    return NULL;
}

static void write_number(const char *path, long n)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "%ld\n", n);
    fclose(f);
    rename(tmp, path);
}

static void count_write(long n)
{
    if (count_file)
        write_number(count_file, n);
}

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *bind_addr = "127.0.0.1", *port_file = NULL;
    long port = 0, nports = 1, life = 60;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--http")) {
            use_tls = false;
            continue;
        }
        if (!strcmp(o, "--vulnerable")) {
            vulnerable = true;
            continue;
        }
        if (!v)
            die("an option without its value");
        i++;
        if (!strcmp(o, "--bind"))
            bind_addr = v;
        else if (!strcmp(o, "--port"))
            port = strtol(v, NULL, 10);
        else if (!strcmp(o, "--ports"))
            nports = strtol(v, NULL, 10);
        else if (!strcmp(o, "--port-file"))
            port_file = v;
        else if (!strcmp(o, "--count-file"))
            count_file = v;
        else if (!strcmp(o, "--max-file"))
            max_file = v;
        else if (!strcmp(o, "--log"))
            log_file = v;
        else if (!strcmp(o, "--delay"))
            delay_ms = strtol(v, NULL, 10);
        else if (!strcmp(o, "--cn"))
            cn = v;
        else if (!strcmp(o, "--names"))
            extra_names = strtol(v, NULL, 10);
        else if (!strcmp(o, "--life"))
            life = strtol(v, NULL, 10);
        else
            die("unknown option (see the comment at the top of tests/tools/fakeexch.c)");
    }
    if (i >= argc)
        die("usage: fakeexch [options] MODE [BUILD]");
    mode = argv[i++];
    if (i < argc)
        build = argv[i];
    if (exchange_mode() && strcmp(mode, "cutall") && !build[0])
        die("this mode needs a BUILD");
    if (nports < 1 || nports > MAX_PORTS || (nports > 1 && port == 0) || port < 0 ||
        port + nports - 1 > 65535)
        die("bad --port or --ports");
    bool v6 = strchr(bind_addr, ':') != NULL;
    unsigned char a[16];
    if (inet_pton(v6 ? AF_INET6 : AF_INET, bind_addr, a) != 1 ||
        (!v6 && a[0] != 127) || (v6 && memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16)))
        die("--bind takes a loopback address only (127.x.y.z or ::1)");
    struct rlimit rl; /* a listening socket a port and a thread a connection */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    if (use_tls)
        make_cert();
    struct pollfd pf[MAX_PORTS];
    for (long k = 0; k < nports; k++) {
        int s = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (s < 0)
            die("socket");
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        socklen_t sl;
        if (v6) {
            struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
            s6->sin6_family = AF_INET6;
            s6->sin6_port = htons((unsigned short)(port ? port + k : 0));
            memcpy(&s6->sin6_addr, a, 16);
            sl = sizeof *s6;
        } else {
            struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
            s4->sin_family = AF_INET;
            s4->sin_port = htons((unsigned short)(port ? port + k : 0));
            memcpy(&s4->sin_addr, a, 4);
            sl = sizeof *s4;
        }
        if (bind(s, (struct sockaddr *)&ss, sl) < 0 || listen(s, 4096) < 0)
            die("cannot listen (the port is taken?)");
        pf[k] = (struct pollfd){.fd = s, .events = POLLIN};
    }
    if (port_file) { /* said once every port listens */
        struct sockaddr_storage ss;
        socklen_t l = sizeof ss;
        getsockname(pf[0].fd, (struct sockaddr *)&ss, &l);
        unsigned p = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                              : ((struct sockaddr_in *)&ss)->sin_port);
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f)
            die("cannot write the port file");
        fprintf(f, "%u\n", p);
        fclose(f);
        rename(tmp, port_file);
    }
    count_write(0);
    time_t end = time(NULL) + life;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&at, 256u << 10);
    while (!stop && time(NULL) < end) {
        int k = poll(pf, (nfds_t)nports, 200);
        if (k <= 0)
            continue;
        for (long j = 0; j < nports; j++) {
            if (!(pf[j].revents & POLLIN))
                continue;
            int fd = accept4(pf[j].fd, NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            count_write(++accepted);
            pthread_t th;
            if (pthread_create(&th, &at, run_conn, (void *)(intptr_t)fd) != 0)
                close(fd);
        }
    }
    return 0;
}

/* exsweep notify, the run (include/exsweep/notify.h): contacts and results read from files,
 * servers grouped by organisation, the folder written (letters.csv, unmatched.csv, the
 * letters) byte-identical from run to run, every failed file call leaving each file whole,
 * and --send against an SMTP server of the test's own on 127.0.0.1 (tests/support/smtpd.h):
 * the messages as written, the envelope, sent.log, nothing sent twice, refusals, an
 * unreachable server, the pace, and every failed write of the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "exsweep/notify.h"
#include "notify/internal.h"
#include "notify/letter.h"
#include "smtpd.h"
#include "tlscert.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        size_t r = fread(p + len, 1, cap - len - 1, f);
        if (!r)
            break;
        len += r;
    }
    fclose(f);
    p[len] = '\0';
    if (n)
        *n = len;
    return p;
}

static void spit(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(s, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void tmpdir(char *out, size_t cap)
{
    snprintf(out, cap, "%s/exsweep-notify.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(out));
}

static void rmtree(const char *d)
{
    DIR *dd = opendir(d);
    if (!dd)
        return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(dd))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rmtree(p);
        else
            unlink(p);
    }
    closedir(dd);
    rmdir(d);
}

/* One probe record of exsweep probe -f jsonl with the three families' states. */
static void rec(FILE *f, const char *target, const char *host, int port, const char *name,
                const char *pl, const char *ps, const char *pn)
{
    fprintf(f,
            "{\"exsweep.record\":\"probe\",\"target\":\"%s\",\"host\":\"%s\",\"port\":%d,"
            "\"name\":\"%s\",\"seen\":\"\",\"exchange\":true,\"build\":\"15.1.2176.2\","
            "\"build_parts\":4,\"build_from\":\"X-OWA-Version header\",\"product\":"
            "\"Exchange Server 2016\",\"cu\":\"CU19\",\"update\":\"\",\"finding\":%s,"
            "\"families\":[{\"family\":\"ProxyLogon\",\"cves\":\"CVE-2021-26855\",\"state\":"
            "\"%s\",\"reason\":\"r1\",\"fixed_by\":\"15.1.2176.9\"},{\"family\":\"ProxyShell\","
            "\"cves\":\"CVE-2021-34473\",\"state\":\"%s\",\"reason\":\"r2\",\"fixed_by\":"
            "\"15.1.2176.14\"},{\"family\":\"ProxyNotShell\",\"cves\":\"CVE-2022-41040\","
            "\"state\":\"%s\",\"reason\":\"r3\",\"fixed_by\":\"\"}]}\n",
            target, host, port, name,
            strcmp(pl, "patched") || strcmp(ps, "patched") || strcmp(pn, "patched") ? "true"
                                                                                     : "false",
            pl, ps, pn);
}

typedef struct fixture {
    char dir[256], contacts[300], results[300], results2[300];
} fixture;

static void fixture_make(fixture *fx, int orgs)
{
    tmpdir(fx->dir, sizeof fx->dir);
    snprintf(fx->contacts, sizeof fx->contacts, "%s/contacts.csv", fx->dir);
    snprintf(fx->results, sizeof fx->results, "%s/a.jsonl", fx->dir);
    snprintf(fx->results2, sizeof fx->results2, "%s/b.jsonl", fx->dir);
    FILE *c = fopen(fx->contacts, "wb");
    assert_non_null(c);
    fputs("network,organisation,email\n"
          "192.0.2.0/24,Example Net,abuse@example.net\n"
          "198.51.100.0/24,Example Net,abuse@example.net\n" /* the same letter */
          "*.example.com,Shop,shop@example.com; noc@example.com\n"
          "203.0.113.0/24,Other,noc@other.example\n",
          c);
    for (int i = 0; i < orgs; i++)
        fprintf(c, "10.9.%d.0/24,Org %d,abuse@org%d.example\n", i, i, i);
    assert_int_equal(fclose(c), 0);
    FILE *r = fopen(fx->results, "wb");
    assert_non_null(r);
    rec(r, "192.0.2.10:443", "192.0.2.10", 443, "mail.example.net", "vulnerable", "vulnerable",
        "vulnerable");
    fputs("not json\n", r); /* line 2: a warning of a.jsonl */
    rec(r, "mail.example.com:443", "mail.example.com", 443, "", "patched", "unknown",
        "vulnerable");
    rec(r, "198.51.100.7:8443", "198.51.100.7", 8443, "", "patched", "patched", "vulnerable");
    rec(r, "203.0.113.5:443", "203.0.113.5", 443, "", "patched", "patched", "patched");
    rec(r, "100.64.0.1:443", "100.64.0.1", 443, "owa.example.com", "vulnerable", "vulnerable",
        "vulnerable"); /* no network: its name's domain */
    rec(r, "192.0.2.99:443", "192.0.2.99", 443, "owa.example.com", "unknown", "unknown",
        "unknown"); /* the address wins over the name */
    for (int i = 0; i < orgs; i++) {
        char t[64], h[32];
        snprintf(h, sizeof h, "10.9.%d.1", i);
        snprintf(t, sizeof t, "%s:443", h);
        rec(r, t, h, 443, "", "vulnerable", "vulnerable", "vulnerable");
    }
    assert_int_equal(fclose(r), 0);
    r = fopen(fx->results2, "wb");
    assert_non_null(r);
    fputs("{\"no\":\"record\"}\n", r); /* line 1: a warning of b.jsonl */
    rec(r, "[2001:db8::5]:443", "2001:db8::5", 443, "", "vulnerable", "unknown", "unknown");
    rec(r, "192.0.2.10:443", "192.0.2.10", 443, "", "vulnerable", "vulnerable", "vulnerable");
    assert_int_equal(fclose(r), 0);
}

static exs_notify *open_all(const fixture *fx)
{
    exs_notify *n = NULL;
    char err[512];
    assert_int_equal(exs_notify_open(&n, fx->contacts, err, sizeof err), EXS_OK);
    assert_int_equal(exs_notify_results(n, fx->results, err, sizeof err), EXS_OK);
    assert_int_equal(exs_notify_results(n, fx->results2, err, sizeof err), EXS_OK);
    return n;
}

static const exs_notify_opts OPTS = {.from = "csirt@cert.example", .sender = "Example CERT",
                                     .date = 1700000000};

static char *file_in(const char *dir, const char *name)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return slurp(p, NULL);
}

/* The names of the .eml files of a folder, sorted, ";"-joined. */
static void emls(const char *dir, char *out, size_t cap)
{
    struct dirent **v;
    int k = scandir(dir, &v, NULL, alphasort);
    assert_true(k >= 0);
    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        size_t l = strlen(v[i]->d_name);
        if (l > 4 && !strcmp(v[i]->d_name + l - 4, ".eml"))
            snprintf(out + strlen(out), cap - strlen(out), "%s;", v[i]->d_name);
        free(v[i]);
    }
    free(v);
}

static void test_write(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = open_all(&fx);
    char out[400], err[512];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    const exs_notify_stats *s = exs_notify_get_stats(n);
    assert_int_equal(s->contacts, 4);
    assert_int_equal(s->records, 8);
    assert_int_equal(s->ignored, 1);
    assert_int_equal(s->duplicates, 1);
    assert_int_equal(s->hosts, 6);
    assert_int_equal(s->matched, 5);
    assert_int_equal(s->unmatched, 1);
    assert_int_equal(s->letters, 2);
    assert_int_equal(s->warnings, 2);
    const char *file, *msg;
    uint64_t line;
    assert_true(exs_notify_warning(n, 0, &file, &line, &msg));
    assert_string_equal(file, fx.results);
    assert_int_equal(line, 2);
    assert_true(exs_notify_warning(n, 1, &file, &line, &msg));
    assert_string_equal(file, fx.results2);
    assert_int_equal(line, 1);
    assert_false(exs_notify_warning(n, 2, &file, &line, &msg));

    char *lc = file_in(out, "letters.csv"), *um = file_in(out, "unmatched.csv");
    assert_non_null(lc);
    assert_non_null(um);
    char want[2048];
    snprintf(want, sizeof want,
             "target,host,port,name,build,product,proxylogon,proxyshell,proxynotshell,file,"
             "line\r\n\"[2001:db8::5]:443\",\"2001:db8::5\",\"443\",\"\",\"15.1.2176.2\","
             "\"Exchange Server 2016\",\"vulnerable\",\"unknown\",\"unknown\",\"%s\",\"2\"\r\n",
             fx.results2);
    assert_string_equal(um, want);
    /* letters.csv: Example Net (three servers: 192.0.2.10, 198.51.100.7, 192.0.2.99), then
     * Shop (mail.example.com, and 100.64.0.1 by its name), in the order of first servers */
    char f1[64], id1[40], f2[64], id2[40];
    int got = sscanf(lc, "file,organisation,recipients,hosts,message_id\r\n"
                         "\"%63[^\"]\",\"Example Net\",\"abuse@example.net\",\"3\",\"<%32[0-9a-f]"
                         ".exsweep@cert.example>\"\r\n\"%63[^\"]\",\"Shop\",\"shop@example.com, "
                         "noc@example.com\",\"2\",\"<%32[0-9a-f].exsweep@cert.example>\"\r\n",
                     f1, id1, f2, id2);
    assert_int_equal(got, 4);
    char w1[64], w2[64];
    snprintf(w1, sizeof w1, "example-net-%.12s.eml", id1);
    snprintf(w2, sizeof w2, "shop-%.12s.eml", id2);
    assert_string_equal(f1, w1);
    assert_string_equal(f2, w2);
    char names[512], wn[200];
    emls(out, names, sizeof names);
    snprintf(wn, sizeof wn, "%s;%s;", w1, w2);
    assert_string_equal(names, wn);
    char *l1 = file_in(out, f1), *l2 = file_in(out, f2);
    assert_non_null(strstr(l1, "\r\nTo: abuse@example.net\r\n"));
    assert_non_null(strstr(l1, "\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
    char mid[80];
    snprintf(mid, sizeof mid, "\r\nMessage-ID: <%s.exsweep@cert.example>\r\n", id1);
    assert_non_null(strstr(l1, mid));
    const char *a = strstr(l1, "\r\n1. 192.0.2.10:443 (mail.example.net)\r\n"),
               *b = strstr(l1, "\r\n2. 198.51.100.7:8443\r\n"),
               *c = strstr(l1, "\r\n3. 192.0.2.99:443 (owa.example.com)\r\n");
    assert_true(a && b && c && a < b && b < c);
    const char *how = strstr(l1, "\r\nHow this was found"), *d = strstr(l1, "\r\n4. ");
    assert_true(how && c < how && (!d || d > how)); /* three servers, no fourth */
    assert_non_null(strstr(l2, "\r\nTo: shop@example.com, noc@example.com\r\n"));
    assert_non_null(strstr(l2, "\r\n1. mail.example.com:443\r\n"));
    assert_non_null(strstr(l2, "\r\n2. 100.64.0.1:443 (owa.example.com)\r\n"));
    assert_non_null(strstr(l2, "\r\n-- \r\nExample CERT\r\n"));

    /* the same run again, into another folder: the same bytes */
    char out2[400];
    snprintf(out2, sizeof out2, "%s/again", fx.dir);
    exs_notify *n2 = open_all(&fx);
    assert_int_equal(exs_notify_write(n2, out2, &OPTS, err, sizeof err), EXS_OK);
    const char *each[] = {"letters.csv", "unmatched.csv", f1, f2};
    for (size_t i = 0; i < 4; i++) {
        char *x = file_in(out, each[i]), *y = file_in(out2, each[i]);
        assert_non_null(y);
        assert_string_equal(x, y);
        free(x);
        free(y);
    }
    struct stat st;
    assert_int_equal(stat(out2, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* Japanese */
    exs_notify_opts ja = OPTS;
    ja.ja = 1;
    assert_int_equal(exs_notify_write(n2, out2, &ja, err, sizeof err), EXS_OK);
    emls(out2, names, sizeof names);
    assert_string_not_equal(names, wn); /* the language is part of the id */
    /* a bad From */
    exs_notify_opts bad = OPTS;
    bad.from = "csirt@cert.example\r\nBcc: x@evil.example";
    assert_int_equal(exs_notify_write(n2, out2, &bad, err, sizeof err), EXS_EINVAL);
    exs_notify_destroy(n2);
    free(l1);
    free(l2);
    free(lc);
    free(um);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

static void test_open_errors(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = (exs_notify *)1;
    char err[512], p[400];
    snprintf(p, sizeof p, "%s/missing.csv", fx.dir);
    assert_int_equal(exs_notify_open(&n, p, err, sizeof err), EXS_ENOENT);
    assert_null(n);
    assert_non_null(strstr(err, "missing.csv"));
    assert_int_equal(exs_notify_open(&n, fx.dir, err, sizeof err), EXS_EIO);
    assert_non_null(strstr(err, "is a folder"));
    spit(p, "network,organisation,email\n# nobody\n");
    assert_int_equal(exs_notify_open(&n, p, err, sizeof err), EXS_EFORMAT);
    assert_non_null(strstr(err, "holds no contact"));
    assert_int_equal(exs_notify_open(&n, fx.contacts, err, sizeof err), EXS_OK);
    snprintf(p, sizeof p, "%s/missing.jsonl", fx.dir);
    assert_int_equal(exs_notify_results(n, p, err, sizeof err), EXS_ENOENT);
    assert_int_equal(exs_notify_results(n, fx.dir, err, sizeof err), EXS_EIO);
    /* nothing to write about: both lists are written all the same, with their headers */
    char out[400];
    snprintf(out, sizeof out, "%s/empty", fx.dir);
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    char *lc = file_in(out, "letters.csv");
    assert_string_equal(lc, "file,organisation,recipients,hosts,message_id\r\n");
    free(lc);
    /* the folder is a file */
    assert_int_equal(exs_notify_write(n, fx.contacts, &OPTS, err, sizeof err), EXS_ENOENT);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* Every file call of a write failed in turn (EIO, then ENOSPC): an error with a message, and
 * every file of the folder the old one or the new one, whole, no temporary left; once past
 * the last call, the run ends as the one without a fault. */
static void test_write_faults(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 3);
    exs_notify *n = open_all(&fx);
    char err[512], fresh[400], out[400];
    snprintf(fresh, sizeof fresh, "%s/fresh", fx.dir);
    snprintf(out, sizeof out, "%s/out", fx.dir);
    assert_int_equal(exs_notify_write(n, fresh, &OPTS, err, sizeof err), EXS_OK);
    char names[1024];
    emls(fresh, names, sizeof names);
    exs_notify_opts old = OPTS;
    old.date = 1600000000; /* other bytes, the same names */
    for (int pass = 0; pass < 2; pass++) {
        int e = pass ? ENOSPC : EIO;
        long calls = 0;
        for (long k = 1;; k++) {
            rmtree(out);
            xs_notify_fault_set(0, 0);
            assert_int_equal(exs_notify_write(n, out, &old, err, sizeof err), EXS_OK);
            xs_notify_fault_set(k, e);
            exs_rc rc = exs_notify_write(n, out, &OPTS, err, sizeof err);
            xs_notify_fault_set(0, 0);
            if (rc == EXS_OK) {
                calls = k - 1;
                break;
            }
            assert_int_equal(rc, EXS_EIO);
            assert_non_null(strstr(err, strerror(e)));
            /* every file old or new, whole; nothing else */
            struct dirent **v;
            int m = scandir(out, &v, NULL, alphasort);
            assert_true(m > 2);
            for (int i = 0; i < m; i++) {
                const char *d = v[i]->d_name;
                if (strcmp(d, ".") && strcmp(d, "..")) {
                    char *x = file_in(out, d), *y = file_in(fresh, d);
                    if (!y)
                        fail_msg("a file the run does not write: %s (N=%ld)", d, k);
                    if (strcmp(x, y)) { /* then the old one */
                        exs_notify *o = open_all(&fx);
                        char od[400];
                        snprintf(od, sizeof od, "%s/old", fx.dir);
                        assert_int_equal(exs_notify_write(o, od, &old, err, sizeof err), EXS_OK);
                        char *z = file_in(od, d);
                        if (!z || strcmp(x, z))
                            fail_msg("%s is neither the old file nor the new (N=%ld)", d, k);
                        free(z);
                        rmtree(od);
                        exs_notify_destroy(o);
                    }
                    free(x);
                    free(y);
                }
                free(v[i]);
            }
            free(v);
            assert_true(k < 1000);
        }
        /* 7 files (the letters of Example Net, Shop and Org 0 to 2; the two lists): five
         * calls each (open, write, sync, close, rename), and the folder's sync */
        assert_int_equal(calls, 7 * 5 + 1);
        char got[1024];
        emls(out, got, sizeof got);
        assert_string_equal(got, names);
    }
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* ---- sending ---- */

static t_smtpd srv;

typedef struct sink {
    pid_t pid;
    unsigned port;
    char dir[300];
} sink;

static void sink_start(sink *k, const char *dir, const char *refuse)
{
    snprintf(k->dir, sizeof k->dir, "%s", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    int lfd = t_smtpd_listen(&k->port);
    assert_true(lfd >= 0);
    fflush(NULL);
    k->pid = fork();
    assert_true(k->pid >= 0);
    if (k->pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        alarm(60);
        srv.dir = k->dir;
        srv.nrefuse = 0;
        if (refuse)
            srv.refuse[srv.nrefuse++] = refuse;
        t_smtpd_loop(&srv, lfd);
        _exit(0);
    }
    close(lfd);
}

static void sink_stop(sink *k)
{
    kill(k->pid, SIGTERM);
    waitpid(k->pid, NULL, 0);
}

/* Messages the sink holds. */
static int sink_count(const sink *k)
{
    int m = 0;
    for (int i = 1;; i++) {
        char p[400];
        snprintf(p, sizeof p, "%s/%d.eml", k->dir, i);
        if (access(p, F_OK))
            return m;
        m++;
    }
}

static int log_lines(const char *out, const char *what)
{
    char *l = file_in(out, "sent.log");
    int m = 0;
    for (char *p = l; p && (p = strstr(p, what)); p++)
        m++;
    free(l);
    return m;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_send(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], sd[400], url[64];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    snprintf(sd, sizeof sd, "%s/sink", fx.dir);
    exs_notify_sent st;
    exs_notify_send_opts so = {.url = "smtp://127.0.0.1:1", .per_minute = 120, .timeout = 10};
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EINVAL);
    assert_non_null(strstr(err, "no letters were written"));
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    static const char *const bad[] = {"http://127.0.0.1/", "smtp://127.0.0.1:25\r\nX",
                                      "smtp://a b", "file:///etc/passwd"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        so.url = bad[i];
        assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EINVAL);
    }
    sink k;
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    so.url = url;
    double t0 = now_s();
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
    double took = now_s() - t0;
    assert_true(took >= 0.49); /* 120 a minute: half a second between the two */
    assert_int_equal(st.sent, 2);
    assert_int_equal(st.skipped + st.failed + st.untried, 0);
    assert_int_equal(sink_count(&k), 2);
    /* the messages are the letters, byte for byte; the envelope is From and To */
    char *lc = file_in(out, "letters.csv"), f1[64], f2[64];
    assert_int_equal(sscanf(lc, "%*[^\n]\n\"%63[^\"]\"%*[^\n]\n\"%63[^\"]\"", f1, f2), 2);
    free(lc);
    char p1[1200], p2[1200];
    snprintf(p1, sizeof p1, "%s/1.eml", sd);
    snprintf(p2, sizeof p2, "%s/%s", out, f1);
    char *a = slurp(p1, NULL), *b = slurp(p2, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    snprintf(p1, sizeof p1, "%s/2.env", sd);
    a = slurp(p1, NULL);
    assert_non_null(strstr(a, "<csirt@cert.example>"));
    assert_non_null(strstr(a, "\n<shop@example.com>\n<noc@example.com>\n"));
    free(a);
    assert_int_equal(log_lines(out, "\tsent\n"), 2);
    /* again: the log says both were sent; not even a connection */
    char *c1 = file_in(sd, "connections");
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(st.sent, 0);
    char *c2 = file_in(sd, "connections");
    assert_string_equal(c1, c2);
    free(c1);
    free(c2);
    sink_stop(&k);

    /* a recipient refused: that letter failed and logged with the server's answer; a later
     * run sends it alone */
    char out2[400], sd2[400], sd3[400];
    snprintf(out2, sizeof out2, "%s/letters2", fx.dir);
    snprintf(sd2, sizeof sd2, "%s/sink2", fx.dir);
    snprintf(sd3, sizeof sd3, "%s/sink3", fx.dir);
    assert_int_equal(exs_notify_write(n, out2, &OPTS, err, sizeof err), EXS_OK);
    sink_start(&k, sd2, "noc@example.com");
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    so.per_minute = 6000;
    assert_int_equal(exs_notify_send(n, out2, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(err, "1 letter not sent"));
    assert_int_equal(log_lines(out2, "\tfailed: "), 1);
    assert_int_equal(log_lines(out2, "550"), 1);
    sink_stop(&k);
    sink_start(&k, sd3, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    assert_int_equal(exs_notify_send(n, out2, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(sink_count(&k), 1);
    snprintf(p1, sizeof p1, "%s/1.env", sd3);
    a = slurp(p1, NULL);
    assert_non_null(strstr(a, "<noc@example.com>"));
    free(a);
    sink_stop(&k);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* TLS: a relay offering STARTTLS with a certificate of the test's own is used, and checked:
 * trusted through --cacert the letters go over TLS; without it (the system's authorities do
 * not sign it) nothing is sent, each letter failed and logged, no message arrives. smtps://
 * too. */
/* Each of the sink's n messages came over TLS. */
static void assert_all_tls(const sink *k, int n)
{
    for (int i = 1; i <= n; i++) {
        char name[32];
        snprintf(name, sizeof name, "%d.tls", i);
        char *t = file_in(k->dir, name);
        assert_string_equal(t, "tls\n");
        free(t);
    }
}

static void test_send_tls(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], sd[400], url[64], pem[400];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    snprintf(pem, sizeof pem, "%s/ca.pem", fx.dir);
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    SSL_CTX *ctx = t_tls_server(pem);
    assert_non_null(ctx);
    srv.tls = ctx;
    exs_notify_sent st;
    sink k;

    /* not trusted: refused before any letter is given */
    snprintf(sd, sizeof sd, "%s/sink-untrusted", fx.dir);
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    exs_notify_send_opts so = {.url = url, .per_minute = 60000, .timeout = 10};
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 0);
    assert_int_equal(st.failed + st.untried, 2);
    assert_int_equal(sink_count(&k), 0);
    assert_int_equal(log_lines(out, "\tfailed: "), 2);
    char *lg = file_in(out, "sent.log");
    assert_non_null(strstr(lg, "certificate"));
    free(lg);
    char *t = file_in(sd, "tls");
    assert_string_equal(t, "failed\nfailed\n");
    free(t);
    sink_stop(&k);

    /* trusted through cacert: both letters, over TLS */
    snprintf(sd, sizeof sd, "%s/sink-trusted", fx.dir);
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    so.cacert = pem;
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.sent, 2);
    assert_int_equal(sink_count(&k), 2);
    t = file_in(sd, "tls"); /* one handshake or two: libcurl may keep the connection */
    assert_true(!strcmp(t, "ok\n") || !strcmp(t, "ok\nok\n"));
    free(t);
    assert_all_tls(&k, 2);
    sink_stop(&k);

    /* another authority's certificate in cacert: refused, the system's are not asked */
    char other[400], out3[400];
    snprintf(other, sizeof other, "%s/other.pem", fx.dir);
    SSL_CTX *octx = t_tls_server(other);
    assert_non_null(octx);
    SSL_CTX_free(octx);
    snprintf(out3, sizeof out3, "%s/letters3", fx.dir);
    assert_int_equal(exs_notify_write(n, out3, &OPTS, err, sizeof err), EXS_OK);
    snprintf(sd, sizeof sd, "%s/sink-other", fx.dir);
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    so.cacert = other;
    assert_int_equal(exs_notify_send(n, out3, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 0);
    assert_int_equal(sink_count(&k), 0);
    sink_stop(&k);
    so.cacert = pem;

    /* held to the rule of every relay that is not loopback: TLS required. A relay that does
     * not offer it gets nothing; one that does gets every letter over TLS */
    xs_notify_loopback_clear = false;
    srv.tls = NULL;
    snprintf(out3, sizeof out3, "%s/letters4", fx.dir);
    assert_int_equal(exs_notify_write(n, out3, &OPTS, err, sizeof err), EXS_OK);
    snprintf(sd, sizeof sd, "%s/sink-clear", fx.dir);
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    assert_int_equal(exs_notify_send(n, out3, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 0);
    assert_int_equal(sink_count(&k), 0);
    sink_stop(&k);
    srv.tls = ctx;
    snprintf(sd, sizeof sd, "%s/sink-required", fx.dir);
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    assert_int_equal(exs_notify_send(n, out3, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.sent, 2);
    assert_all_tls(&k, 2);
    sink_stop(&k);
    xs_notify_loopback_clear = true;

    /* smtps://: TLS from the first byte */
    char out2[400];
    snprintf(out2, sizeof out2, "%s/letters2", fx.dir);
    assert_int_equal(exs_notify_write(n, out2, &OPTS, err, sizeof err), EXS_OK);
    snprintf(sd, sizeof sd, "%s/sink-smtps", fx.dir);
    srv.implicit = 1;
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtps://127.0.0.1:%u", k.port);
    assert_int_equal(exs_notify_send(n, out2, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.sent, 2);
    assert_int_equal(sink_count(&k), 2);
    assert_all_tls(&k, 2);
    sink_stop(&k);
    srv.implicit = 0;
    srv.tls = NULL;
    SSL_CTX_free(ctx);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* No server: three failures in a row, then the rest not tried. */
static void test_send_unreachable(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 4);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], url[64];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    unsigned port;
    int lfd = t_smtpd_listen(&port);
    assert_true(lfd >= 0);
    close(lfd); /* nobody listens there now */
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", port);
    exs_notify_send_opts so = {.url = url, .per_minute = 60000, .timeout = 5};
    exs_notify_sent st;
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 0);
    assert_int_equal(st.failed, 3);
    assert_int_equal(st.untried, 3);
    assert_non_null(strstr(err, "could not be reached three times in a row"));
    assert_int_equal(log_lines(out, "\tfailed: "), 3);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* Every file call of a send failed in turn (the log's open, writes and syncs): the run stops
 * at once with a message naming the log; at most the one letter the message names was sent
 * without its line; a run after it sends the rest, and no other letter twice. */
static void test_send_log_faults(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 1);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], sd[400], url[64];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    snprintf(sd, sizeof sd, "%s/sink", fx.dir);
    sink k;
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    exs_notify_send_opts so = {.url = url, .per_minute = 60000, .timeout = 10};
    exs_notify_sent st;
    int before = 0;
    long k2;
    for (k2 = 1;; k2++) {
        rmtree(out);
        assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
        xs_notify_fault_set(k2, 0);
        exs_rc rc = exs_notify_send(n, out, &so, &st, err, sizeof err);
        xs_notify_fault_set(0, 0);
        int got = sink_count(&k) - before;
        int logged = log_lines(out, "\tsent\n");
        if (rc == EXS_OK) {
            assert_int_equal(got, 3);
            assert_int_equal(logged, 3);
            before += got;
            break;
        }
        assert_int_equal(rc, EXS_EIO);
        assert_non_null(strstr(err, "sent.log"));
        assert_true(got == logged || got == logged + 1);
        if (got == logged + 1)
            assert_non_null(strstr(err, "was sent)"));
        /* the rest, without a fault */
        assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
        int again = sink_count(&k) - before - got;
        assert_int_equal(logged + again, 3);
        assert_int_equal(log_lines(out, "\tsent\n"), 3);
        before = sink_count(&k);
        assert_true(k2 < 100);
    }
    /* the log's open, then a write and a sync a letter */
    assert_int_equal(k2 - 1, 1 + 2 * 3);
    sink_stop(&k);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* A letter past XS_NOTIFY_MAX_LETTER_BYTES, or replaced by a link, is not sent: failed, and
 * said; the server is not even asked. */
static void test_send_letter_cap(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], sd[400], url[64];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    snprintf(sd, sizeof sd, "%s/sink", fx.dir);
    assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
    char *lc = file_in(out, "letters.csv"), f1[64], f2[64];
    assert_int_equal(sscanf(lc, "%*[^\n]\n\"%63[^\"]\"%*[^\n]\n\"%63[^\"]\"", f1, f2), 2);
    free(lc);
    char p1[1200], p2[1200];
    snprintf(p1, sizeof p1, "%s/%s", out, f1);
    snprintf(p2, sizeof p2, "%s/%s", out, f2);
    struct stat st;
    assert_int_equal(stat(p1, &st), 0);
    /* the second letter a link to the first */
    assert_int_equal(unlink(p2), 0);
    assert_int_equal(symlink(p1, p2), 0);
    sink k;
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    exs_notify_send_opts so = {.url = url, .per_minute = 60000, .timeout = 10};
    exs_notify_sent sent;
    xs_notify_max_letter_bytes = (long)st.st_size - 1;
    assert_int_equal(exs_notify_send(n, out, &so, &sent, err, sizeof err), EXS_EIO);
    xs_notify_max_letter_bytes = XS_NOTIFY_MAX_LETTER_BYTES;
    assert_int_equal(sent.failed, 2);
    assert_int_equal(sent.sent, 0);
    char want[120];
    snprintf(want, sizeof want, "failed: the letter is larger than %ld bytes\n",
             (long)st.st_size - 1);
    assert_int_equal(log_lines(out, want), 1);
    assert_int_equal(log_lines(out, "failed: cannot read the letter: "), 1);
    assert_int_equal(access(sd, F_OK), 0);
    char cp[1200];
    snprintf(cp, sizeof cp, "%s/connections", sd);
    assert_int_equal(access(cp, F_OK), -1); /* no connection */
    /* at the cap it goes */
    xs_notify_max_letter_bytes = (long)st.st_size;
    assert_int_equal(exs_notify_send(n, out, &so, &sent, err, sizeof err), EXS_EIO);
    xs_notify_max_letter_bytes = XS_NOTIFY_MAX_LETTER_BYTES;
    assert_int_equal(sent.sent, 1);
    assert_int_equal(sent.failed, 1);
    sink_stop(&k);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* What could change between the writing and the sending: a letter edited, a letter made a
 * FIFO (no hang), a log cut in the middle of a line, another --from; a folder others can
 * write is refused; dot-stuffing (a line of the letter starts with '.'). */
static void test_send_tamper(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 1);
    exs_notify *n = open_all(&fx);
    char err[512], out[400], sd[400], url[64];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    snprintf(sd, sizeof sd, "%s/sink", fx.dir);
    exs_notify_opts o = OPTS;
    o.sender = ".Example CERT"; /* the signature's line starts with a dot */
    assert_int_equal(mkdir(out, 0777), 0);
    assert_int_equal(chmod(out, 0777), 0);
    assert_int_equal(exs_notify_write(n, out, &o, err, sizeof err), EXS_EACCES);
    assert_non_null(strstr(err, "writable by others"));
    assert_int_equal(chmod(out, 0700), 0);
    assert_int_equal(exs_notify_write(n, out, &o, err, sizeof err), EXS_OK);
    char *lc = file_in(out, "letters.csv"), f[3][64];
    assert_int_equal(sscanf(lc, "%*[^\n]\n\"%63[^\"]\"%*[^\n]\n\"%63[^\"]\"%*[^\n]\n\"%63[^\"]\"",
                            f[0], f[1], f[2]),
                     3);
    free(lc);
    char p[3][1200];
    for (int i = 0; i < 3; i++)
        snprintf(p[i], sizeof p[i], "%s/%s", out, f[i]);
    /* the first edited, the second a FIFO; the third as written */
    FILE *e = fopen(p[0], "ab");
    assert_non_null(e);
    fputs("Click here.\r\n", e);
    fclose(e);
    assert_int_equal(unlink(p[1]), 0);
    assert_int_equal(mkfifo(p[1], 0600), 0);
    sink k;
    sink_start(&k, sd, NULL);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%u", k.port);
    exs_notify_send_opts so = {.url = url, .per_minute = 60000, .timeout = 10};
    exs_notify_sent st;
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EIO);
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.failed, 2);
    assert_int_equal(log_lines(out, "\tfailed: the letter changed after this run wrote it\n"), 1);
    assert_int_equal(log_lines(out, "\tfailed: cannot read the letter: not a regular file\n"), 1);
    /* the one sent is the third, byte for byte: dot-stuffed on the way, undone by the server */
    char m1[1200];
    snprintf(m1, sizeof m1, "%s/1.eml", sd);
    char *a = slurp(m1, NULL), *b = slurp(p[2], NULL);
    assert_non_null(strstr(b, "\r\n.Example CERT\r\n"));
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* the log cut in the middle of its last line: that line stays alone, its letter is sent
     * again; a run with another --from knows the rest by their ids */
    char lp[1200];
    snprintf(lp, sizeof lp, "%s/sent.log", out);
    spit(lp, "2026-01-01T00:00:00Z\t<0123456789abcdef0123456789abcdef.exsweep@x>\tx.eml\ta@b.c\tse");
    exs_notify_opts o2 = o;
    o2.from = "other@elsewhere.example";
    assert_int_equal(exs_notify_write(n, out, &o2, err, sizeof err), EXS_OK);
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.sent, 3); /* the log held nothing sent: all three */
    char *log = file_in(out, "sent.log");
    assert_non_null(strstr(log, "\tse\n2026-")); /* a line of its own after the cut one */
    free(log);
    assert_int_equal(exs_notify_write(n, out, &o, err, sizeof err), EXS_OK);
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_OK);
    assert_int_equal(st.skipped, 3); /* the From's domain is not part of the key */
    assert_int_equal(st.sent, 0);
    /* a folder not the one written */
    char other[400];
    snprintf(other, sizeof other, "%s/moved", fx.dir);
    assert_int_equal(rename(out, other), 0);
    assert_int_equal(mkdir(out, 0700), 0);
    assert_int_equal(exs_notify_send(n, out, &so, &st, err, sizeof err), EXS_EINVAL);
    assert_non_null(strstr(err, "not the folder this run wrote"));
    sink_stop(&k);
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

/* A letter that cannot list every server carries them all as an attachment, the same bytes
 * as the list beside it; past XS_NOTIFY_MAX_ATTACH (lowered) it is not attached and the
 * letter says so. */
static void test_write_attach(void **state)
{
    (void)state;
    fixture fx;
    fixture_make(&fx, 0);
    exs_notify *n = open_all(&fx);
    char err[512], out[400];
    snprintf(out, sizeof out, "%s/letters", fx.dir);
    xs_notify_letter_hosts = 1;
    for (int pass = 0; pass < 2; pass++) {
        xs_notify_max_attach = pass ? 10 : XS_NOTIFY_MAX_ATTACH;
        rmtree(out);
        assert_int_equal(exs_notify_write(n, out, &OPTS, err, sizeof err), EXS_OK);
        char *lc = file_in(out, "letters.csv"), f1[64];
        assert_int_equal(sscanf(lc, "%*[^\n]\n\"%63[^\"]\"", f1), 1);
        free(lc);
        char csv[80];
        snprintf(csv, sizeof csv, "%.*s.csv", (int)strlen(f1) - 4, f1);
        char *list = file_in(out, csv), *m = file_in(out, f1);
        assert_non_null(list);
        static const char head[] = "target,host,port,name,build,product,proxylogon,proxyshell,"
                                   "proxynotshell\r\n\"192.0.2.10:443\",";
        assert_int_equal(strncmp(list, head, sizeof head - 1), 0);
        if (!pass) {
            assert_non_null(strstr(m, "Content-Type: multipart/mixed;"));
            char want[200];
            snprintf(want, sizeof want, "and 2 more (all are listed in the attached %s)", csv);
            assert_non_null(strstr(m, want));
        } else {
            assert_null(strstr(m, "multipart"));
            assert_non_null(strstr(m, "and 2 more (the list of all of them is too large"));
        }
        free(list);
        free(m);
    }
    xs_notify_letter_hosts = XS_NOTIFY_LETTER_HOSTS;
    xs_notify_max_attach = XS_NOTIFY_MAX_ATTACH;
    exs_notify_destroy(n);
    rmtree(fx.dir);
}

static void test_url_loopback(void **state)
{
    (void)state;
    static const char *const yes[] = {"smtp://127.0.0.1:25", "smtp://localhost", "smtps://[::1]:465",
                                      "smtp://user:pw@127.1.2.3:2525/", "SMTP://LOCALHOST:25"};
    static const char *const no[] = {"smtp://mail.example.org", "smtp://192.0.2.1:25",
                                     "smtp://127.0.0.1.example.org", "smtp://[2001:db8::1]",
                                     "smtp://127.0.0.1@evil.example", "smtp://localhost.evil",
                                     "smtp:/127.0.0.1", "smtp://[::1"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!xs_notify_url_loopback(yes[i]))
            fail_msg("not loopback: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (xs_notify_url_loopback(no[i]))
            fail_msg("loopback: %s", no[i]);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write),          cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_write_faults),   cmocka_unit_test(test_send),
        cmocka_unit_test(test_send_tls),
        cmocka_unit_test(test_send_unreachable), cmocka_unit_test(test_send_log_faults),
        cmocka_unit_test(test_send_letter_cap), cmocka_unit_test(test_send_tamper),
        cmocka_unit_test(test_url_loopback), cmocka_unit_test(test_write_attach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

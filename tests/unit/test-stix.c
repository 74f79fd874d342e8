/* --format stix (lib/report/stix.c), with the project's own JSON parser: one bundle whose
 * objects each have an id of their type's prefix and a UUIDv5, the properties their type
 * requires, times in STIX's form, and references that all resolve inside the bundle; SCO ids
 * as the spec derives them; the same results give the same bytes (a saved sweep read back
 * too); a path carrying ' and \ stays one well-formed pattern literal; internal and own
 * addresses are not shared; no finding, only exsweep's identity; two saved sweeps, two
 * servers' identities; the server state's open CVEs as vulnerabilities sighted on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/escape.h"
#include "fixfiles.h"
#include "fixlogs.h"
#include "jsonltext.h"
#include "memscan.h"
#include "parsers/json.h"

static char *render_as(const exs_results *r, exs_format f, size_t *len)
{
    char *buf = NULL;
    size_t n;
    FILE *m = open_memstream(&buf, &n);
    assert_non_null(m);
    exs_report_opts o = EXS_REPORT_OPTS_INIT;
    o.format = f;
    assert_int_equal(exs_report_write(r, m, &o), EXS_OK);
    fclose(m);
    if (len)
        *len = n;
    return buf;
}

static char *render(const exs_results *r)
{
    return render_as(r, EXS_FORMAT_STIX, NULL);
}

/* ---------------------------------------------------------------- the bundle, parsed */

#define MAXP 20000
#define MAXO 2000

typedef struct obj {
    size_t a, b; /* its pairs */
    char type[40], id[80];
} obj;

typedef struct bundle {
    xs_json_pair *p;
    size_t np;
    char *scratch, *paths;
    obj o[MAXO];
    size_t no;
    char id[80];
} bundle;

static bool key_is(const xs_json_pair *p, const char *k)
{
    return xs_str_eq(p->key, k);
}

static void copy(char *out, size_t cap, xs_str s)
{
    assert_true(s.n < cap);
    memcpy(out, s.p, s.n);
    out[s.n] = 0;
}

/* A UUID of version 5 and the RFC 4122 variant, lowercase. */
static bool uuid5_ok(const char *u)
{
    if (strlen(u) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? u[i] != '-' : !strchr("0123456789abcdef", u[i]))
            return false;
    }
    return u[14] == '5' && strchr("89ab", u[19]);
}

/* type--uuid5, type as given. */
static bool id_ok(const char *id, const char *type)
{
    size_t n = strlen(type);
    return strncmp(id, type, n) == 0 && strncmp(id + n, "--", 2) == 0 && uuid5_ok(id + n + 2);
}

/* 2021-03-03T11:00:00.000Z */
static bool stamp_ok(xs_str s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (s.n != sizeof shape - 1)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (shape[i] == 'd' ? !(s.p[i] >= '0' && s.p[i] <= '9') : s.p[i] != shape[i])
            return false;
    return true;
}

static const xs_json_pair *prop(const bundle *b, const obj *o, const char *k)
{
    for (size_t i = o->a; i < o->b; i++)
        if (key_is(&b->p[i], k))
            return &b->p[i];
    return NULL;
}

static const obj *by_id(const bundle *b, const char *id)
{
    for (size_t i = 0; i < b->no; i++)
        if (strcmp(b->o[i].id, id) == 0)
            return &b->o[i];
    return NULL;
}

static bool sco(const char *type)
{
    return strcmp(type, "ipv4-addr") == 0 || strcmp(type, "ipv6-addr") == 0 ||
           strcmp(type, "file") == 0;
}

/* Parses t (valid UTF-8, one JSON document ending in a line break) and checks what every
 * bundle must be; b is filled for the test's own looks. */
static void parse(const char *t, bundle *b)
{
    size_t n = strlen(t);
    assert_true(n > 2 && t[n - 1] == '\n');
    assert_true(xs_utf8_valid(t, n));
    memset(b, 0, sizeof *b);
    b->p = calloc(MAXP, sizeof *b->p);
    b->scratch = malloc(n + 1);
    b->paths = malloc(4 * n + 64);
    assert_true(b->p && b->scratch && b->paths);
    assert_int_equal(xs_json_paths(t, n, b->p, MAXP, &b->np, b->scratch, b->paths, 4 * n + 64), 0);
    assert_true(b->np < MAXP);
    /* the bundle's own keys, then the objects; each object begins with its type */
    assert_true(key_is(&b->p[0], "type") && xs_str_eq(b->p[0].value, "bundle"));
    assert_true(key_is(&b->p[1], "id"));
    copy(b->id, sizeof b->id, b->p[1].value);
    assert_true(id_ok(b->id, "bundle"));
    for (size_t i = 2; i < b->np; i++) {
        assert_true(xs_str_istarts(b->p[i].key, "objects."));
        if (key_is(&b->p[i], "objects.type")) {
            assert_true(b->no < MAXO);
            if (b->no)
                b->o[b->no - 1].b = i;
            b->o[b->no].a = i;
            copy(b->o[b->no].type, sizeof b->o[b->no].type, b->p[i].value);
            b->no++;
        }
        assert_true(b->no > 0);
    }
    assert_true(b->no > 0);
    b->o[b->no - 1].b = b->np;
    for (size_t i = 0; i < b->no; i++) {
        obj *o = &b->o[i];
        const xs_json_pair *id = prop(b, o, "objects.id");
        assert_non_null(id);
        copy(o->id, sizeof o->id, id->value);
        if (!id_ok(o->id, o->type))
            fail_msg("bad id %s for type %s", o->id, o->type);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(b->o[j].id, o->id); /* unique */
        const xs_json_pair *sv = prop(b, o, "objects.spec_version");
        assert_true(sv && xs_str_eq(sv->value, "2.1"));
    }
    /* required properties, times, references */
    static const struct {
        const char *type, *need[4];
    } req[] = {
        {"identity", {"objects.name", "objects.identity_class"}},
        {"indicator", {"objects.pattern", "objects.pattern_type", "objects.valid_from"}},
        {"sighting", {"objects.sighting_of_ref"}},
        {"observed-data",
         {"objects.first_observed", "objects.last_observed", "objects.number_observed",
          "objects.object_refs"}},
        {"vulnerability", {"objects.name"}},
        {"ipv4-addr", {"objects.value"}},
        {"ipv6-addr", {"objects.value"}},
        {"file", {"objects.hashes.SHA-256"}},
    };
    for (size_t i = 0; i < b->no; i++) {
        const obj *o = &b->o[i];
        bool known = false;
        for (size_t k = 0; k < sizeof req / sizeof req[0]; k++) {
            if (strcmp(req[k].type, o->type) != 0)
                continue;
            known = true;
            for (int r = 0; r < 4 && req[k].need[r]; r++)
                if (!prop(b, o, req[k].need[r]))
                    fail_msg("%s: no %s", o->id, req[k].need[r]);
        }
        if (!known)
            fail_msg("%s: a type this writer does not write", o->id);
        if (!sco(o->type)) {
            assert_non_null(prop(b, o, "objects.created"));
            assert_non_null(prop(b, o, "objects.modified"));
            /* everything but exsweep's own identity says who made it */
            if (i > 0)
                assert_non_null(prop(b, o, "objects.created_by_ref"));
        }
        for (size_t j = o->a; j < o->b; j++) {
            const xs_json_pair *p = &b->p[j];
            const char *k = p->key.p;
            size_t kn = p->key.n;
            static const char *const times[] = {"created", "modified", "valid_from",
                                                "first_seen", "last_seen", "first_observed",
                                                "last_observed"};
            for (size_t x = 0; x < sizeof times / sizeof times[0]; x++)
                if (kn == 8 + strlen(times[x]) && memcmp(k + 8, times[x], kn - 8) == 0 &&
                    !stamp_ok(p->value))
                    fail_msg("%s: %.*s: %.*s", o->id, (int)kn, k, (int)p->value.n, p->value.p);
            bool ref = (kn > 4 && memcmp(k + kn - 4, "_ref", 4) == 0) ||
                       (kn > 5 && memcmp(k + kn - 5, "_refs", 5) == 0);
            if (!ref)
                continue;
            char target[80];
            copy(target, sizeof target, p->value);
            if (!by_id(b, target))
                fail_msg("%s: %.*s names %s, not in the bundle", o->id, (int)kn, k, target);
        }
    }
    /* the first object is exsweep's identity */
    assert_string_equal(b->o[0].type, "identity");
    assert_true(xs_str_eq(prop(b, &b->o[0], "objects.name")->value, "exsweep"));
}

static void unparse(bundle *b)
{
    free(b->p);
    free(b->scratch);
    free(b->paths);
}

static size_t count_type(const bundle *b, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < b->no; i++)
        n += strcmp(b->o[i].type, type) == 0;
    return n;
}

/* The object of this type whose property k is v, or NULL. */
static const obj *find(const bundle *b, const char *type, const char *k, const char *v)
{
    for (size_t i = 0; i < b->no; i++) {
        if (strcmp(b->o[i].type, type) != 0)
            continue;
        const xs_json_pair *p = prop(b, &b->o[i], k);
        if (p && xs_str_eq(p->value, v))
            return &b->o[i];
    }
    return NULL;
}

static const char *str(const bundle *b, const obj *o, const char *k, char *buf, size_t cap)
{
    const xs_json_pair *p = prop(b, o, k);
    assert_non_null(p);
    copy(buf, cap, p->value);
    return buf;
}

/* A STIX pattern's string literals are well formed (inside one, \ only before ' or \), the
 * brackets close it, and the last literal reads back as want (when not NULL). */
static void assert_pattern(const char *pat, const char *want)
{
    size_t n = strlen(pat);
    assert_true(n > 2 && pat[0] == '[' && pat[n - 1] == ']');
    char last[4096];
    size_t ln = 0;
    for (size_t i = 1; i < n - 1; i++) {
        if (pat[i] != '\'')
            continue;
        ln = 0;
        for (i++;; i++) {
            assert_true(i < n - 1); /* the literal ends before the bracket */
            if (pat[i] == '\\') {
                assert_true(pat[i + 1] == '\'' || pat[i + 1] == '\\');
                last[ln++] = pat[++i];
            } else if (pat[i] == '\'') {
                break;
            } else {
                last[ln++] = pat[i];
            }
            assert_true(ln < sizeof last);
        }
    }
    last[ln] = 0;
    if (want)
        assert_string_equal(last, want);
}

/* ---------------------------------------------------------------- one request to a shell */

static void test_shell_row(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, FIX_IIS_HDR FIX_IIS_SHELL_ROW("198.51.100.7"), -1);
    assert_int_equal(t_count(s, NULL), 2);
    char *t = render(exs_scan_results(s));
    bundle b;
    parse(t, &b);
    assert_int_equal(count_type(&b, "identity"), 2); /* exsweep, the root */
    assert_int_equal(count_type(&b, "indicator"), 2); /* the address, the shell's path */
    assert_int_equal(count_type(&b, "ipv4-addr"), 1);
    assert_int_equal(count_type(&b, "observed-data"), 1);
    assert_int_equal(count_type(&b, "sighting"), 2);
    char buf[512], id[80];
    const obj *ip = find(&b, "indicator", "objects.pattern", "[ipv4-addr:value = '198.51.100.7']");
    assert_non_null(ip);
    assert_string_equal(str(&b, ip, "objects.valid_from", buf, sizeof buf),
                        "2021-03-03T11:00:00.000Z");
    /* the SCO's id is the spec's: UUIDv5 of {"value":"198.51.100.7"} in its namespace */
    const obj *a = find(&b, "ipv4-addr", "objects.value", "198.51.100.7");
    assert_non_null(a);
    assert_string_equal(a->id, "ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db");
    /* the address's sighting: both findings, the root's identity, its observed data */
    const obj *sg = find(&b, "sighting", "objects.sighting_of_ref", ip->id);
    assert_non_null(sg);
    assert_true(xs_str_eq(prop(&b, sg, "objects.count")->value, "2"));
    assert_string_equal(str(&b, sg, "objects.first_seen", buf, sizeof buf),
                        "2021-03-03T11:00:00.000Z");
    const obj *od = by_id(&b, str(&b, sg, "objects.observed_data_refs", id, sizeof id));
    assert_string_equal(od->type, "observed-data");
    assert_string_equal(str(&b, od, "objects.object_refs", buf, sizeof buf), a->id);
    assert_true(xs_str_eq(prop(&b, od, "objects.number_observed")->value, "2"));
    const obj *who = by_id(&b, str(&b, sg, "objects.where_sighted_refs", id, sizeof id));
    assert_string_equal(who->type, "identity");
    assert_string_not_equal(who->id, b.o[0].id);
    /* the path: any host, case-insensitive, the query left free */
    const obj *url = find(&b, "indicator", "objects.name", "Web shell URL path /aspnet_client/x.aspx");
    assert_non_null(url);
    str(&b, url, "objects.pattern", buf, sizeof buf);
    assert_string_equal(buf, "[url:value MATCHES '(?i)^[a-z][a-z0-9+.-]*://[^/]*"
                             "/aspnet_client/x\\\\.aspx([?#].*)?$']");
    assert_pattern(buf, "(?i)^[a-z][a-z0-9+.-]*://[^/]*/aspnet_client/x\\.aspx([?#].*)?$");
    unparse(&b);
    /* the same results, the same bytes */
    char *t2 = render(exs_scan_results(s));
    assert_string_equal(t, t2);
    free(t2);
    /* and so does the sweep saved and read back */
    size_t jn;
    char *j = render_as(exs_scan_results(s), EXS_FORMAT_JSONL, &jn);
    exs_results *r = NULL;
    char err[256];
    assert_int_equal(t_read_jsonl(j, jn, &r, err, sizeof err), EXS_OK);
    char *t3 = render(r);
    assert_string_equal(t, t3);
    free(t3);
    exs_results_destroy(r);
    free(j);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- what is not shared */

/* Requests to the shell from private, loopback, CGNAT and link-local clients, from the
 * server's own public address (IIS s-ip), and from a host name: only the path and the public
 * clients (IPv6 in its canonical form, an IPv4-mapped one as IPv4) become indicators. */
static void test_internal(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(
        FIX_IIS_PLACE,
        FIX_IIS_HDR FIX_IIS_SHELL_ROW("10.1.2.3") FIX_IIS_SHELL_ROW("192.168.7.7")
            FIX_IIS_SHELL_ROW("172.20.0.1") FIX_IIS_SHELL_ROW("127.0.0.1")
                FIX_IIS_SHELL_ROW("100.64.1.1") FIX_IIS_SHELL_ROW("169.254.3.3")
                    FIX_IIS_SHELL_ROW("::1") FIX_IIS_SHELL_ROW("fe80::1") FIX_IIS_SHELL_ROW("fd00::7")
                        FIX_IIS_SHELL_ROW("2001:DB8:0:0::5") FIX_IIS_SHELL_ROW("::ffff:203.0.113.9")
                            FIX_IIS_SHELL_ROW("attacker.example")
        "2021-03-03 11:00:00 203.0.113.200 GET /aspnet_client/x.aspx cmd=whoami 443 - "
        "203.0.113.200 M - 200 0 0 1\r\n",
        -1);
    assert_true(t_count(s, NULL) >= 26);
    char *t = render(exs_scan_results(s));
    bundle b;
    parse(t, &b);
    assert_int_equal(count_type(&b, "indicator"), 3);
    assert_non_null(find(&b, "indicator", "objects.pattern", "[ipv6-addr:value = '2001:db8::5']"));
    assert_non_null(find(&b, "ipv6-addr", "objects.id",
                         "ipv6-addr--088ee214-b1f7-557f-92b9-c401d94b2165"));
    assert_non_null(find(&b, "indicator", "objects.pattern", "[ipv4-addr:value = '203.0.113.9']"));
    assert_null(strstr(t, "203.0.113.200"));
    assert_null(strstr(t, "10.1.2.3"));
    assert_null(strstr(t, "attacker.example"));
    unparse(&b);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- hostile strings */

/* A shell path with a quote, a backslash, a double quote and regex metacharacters: the JSON
 * stays valid, the pattern's literal is well formed and reads back as the escaped regex. */
static void test_hostile(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE,
                             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET "
                                         "/aspnet_client/It's\\\"(a)+.aspx cmd=whoami 443 - "
                                         "198.51.100.7 M - 200 0 0 1\r\n",
                             -1);
    assert_true(t_count(s, "EXS-WS-CMD") >= 1);
    char *t = render(exs_scan_results(s));
    bundle b;
    parse(t, &b);
    const obj *url = NULL;
    for (size_t i = 0; i < b.no && !url; i++)
        if (strcmp(b.o[i].type, "indicator") == 0 && strstr(str(&b, &b.o[i], "objects.pattern",
                                                                (char[512]){0}, 512), "url:"))
            url = &b.o[i];
    assert_non_null(url);
    char buf[512];
    str(&b, url, "objects.pattern", buf, sizeof buf);
    assert_pattern(buf, "(?i)^[a-z][a-z0-9+.-]*://[^/]*/aspnet_client/it's\\\\\"\\(a\\)\\+\\.aspx"
                        "([?#].*)?$");
    unparse(&b);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- a backdoor file */

static void test_backdoor_file(void **st)
{
    (void)st;
    t_fix *fx = t_fix_make("ws-eval");
    assert_non_null(fx);
    exs_scan *s = t_scan_mem("c/inetpub/wwwroot/aspnet_client/shell.aspx", (const char *)fx->data,
                             (long)fx->len);
    assert_true(t_count(s, NULL) >= 1);
    char hex[65], want[128];
    assert_true(xs_sha256_hex(fx->data, fx->len, hex));
    snprintf(want, sizeof want, "[file:hashes.'SHA-256' = '%s']", hex);
    char *t = render(exs_scan_results(s));
    bundle b;
    parse(t, &b);
    const obj *ind = find(&b, "indicator", "objects.pattern", want);
    assert_non_null(ind);
    assert_pattern(want, hex);
    assert_non_null(find(&b, "file", "objects.hashes.SHA-256", hex));
    const obj *sg = find(&b, "sighting", "objects.sighting_of_ref", ind->id);
    assert_non_null(sg);
    assert_non_null(prop(&b, sg, "objects.observed_data_refs"));
    unparse(&b);
    free(t);
    exs_scan_destroy(s);
    t_fix_free(fx);
}

/* ---------------------------------------------------------------- nothing found */

static void test_no_finding(void **st)
{
    (void)st;
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE,
                             FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /owa/ - 443 - "
                                         "198.51.100.7 Mozilla/5.0 - 200 0 0 1\r\n",
                             -1);
    assert_int_equal(t_count(s, NULL), 0);
    char *t = render(exs_scan_results(s));
    bundle b;
    parse(t, &b);
    assert_int_equal(b.no, 1); /* exsweep's identity only */
    unparse(&b);
    free(t);
    exs_scan_destroy(s);
}

/* ---------------------------------------------------------------- saved sweeps */

/* A server record whose ProxyLogon family is open (two CVEs). */
#define SERVER_LINE                                                                                \
    "{\"@timestamp\":\"2021-03-09T10:00:00.000Z\",\"ecs\":{\"version\":\"9.4.0\"},"                \
    "\"message\":\"exsweep server state\",\"event\":{\"kind\":\"state\",\"module\":\"exsweep\","     \
    "\"dataset\":\"exsweep.server\"},\"exsweep\":{\"record\":\"server\",\"root\":0,\"server\":{"     \
    "\"build\":\"15.1.2176.2\",\"product\":\"Exchange Server 2016\",\"cu\":\"CU19\",\"update\":"    \
    "\"\",\"build_source\":\"log header\",\"why_unknown\":\"\",\"families\":[{\"family\":"          \
    "\"ProxyLogon\",\"state\":\"vulnerable\",\"cves\":\"CVE-2021-26855,CVE-2021-27065\","          \
    "\"open_cves\":\"CVE-2021-26855,CVE-2021-27065\",\"reason\":\"below the fix\",\"sources\":"    \
    "\"log header\",\"fixed_by\":\"15.1.2176.9\",\"exposed_ms\":-1}],\"periods\":[],"               \
    "\"notes\":[]}}}\n"

static char *saved(const char *label, const char *ip, bool server)
{
    char log[1024];
    snprintf(log, sizeof log, FIX_IIS_HDR "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx "
                                          "cmd=whoami 443 - %s M - 200 0 0 1\r\n", ip);
    exs_scan *s = t_scan_mem(FIX_IIS_PLACE, log, -1);
    char *j = render_as(exs_scan_results(s), EXS_FORMAT_JSONL, NULL);
    exs_scan_destroy(s);
    char roots[256];
    snprintf(roots, sizeof roots, "\"roots\":[{\"path\":\"/ev\",\"label\":\"%s\"}]", label);
    t_replace(&j, "\"roots\":[]", roots);
    if (server)
        t_replace(&j, "\n", "\n" SERVER_LINE);
    return j;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Two saved sweeps, two servers: one indicator for the address both saw, a sighting on each
 * server's identity; the first server's open CVEs as vulnerabilities sighted on it. The
 * label's quote is escaped. */
static void test_two_sweeps(void **st)
{
    (void)st;
    char *a = saved("exch\\\"01", "198.51.100.7", true), *b2 = saved("exch02", "198.51.100.7", false);
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/a.jsonl", t_dir);
    snprintf(pb, sizeof pb, "%s/b.jsonl", t_dir);
    write_file(pa, a);
    write_file(pb, b2);
    const char *paths[] = {pa, pb};
    exs_results *r = NULL;
    char err[256];
    assert_int_equal(exs_results_read_jsonl(&r, paths, 2, err, sizeof err), EXS_OK);
    char *t = render(r);
    bundle b;
    parse(t, &b);
    assert_int_equal(count_type(&b, "identity"), 3);
    assert_non_null(find(&b, "identity", "objects.name", "exch\"01"));
    assert_non_null(find(&b, "identity", "objects.name", "exch02"));
    const obj *ip = find(&b, "indicator", "objects.pattern", "[ipv4-addr:value = '198.51.100.7']");
    assert_non_null(ip);
    size_t sightings = 0;
    char w0[80] = "", w[80];
    for (size_t i = 0; i < b.no; i++) {
        const xs_json_pair *p = prop(&b, &b.o[i], "objects.sighting_of_ref");
        if (!p || !xs_str_eq(p->value, ip->id))
            continue;
        str(&b, &b.o[i], "objects.where_sighted_refs", w, sizeof w);
        assert_string_not_equal(w, w0);
        snprintf(w0, sizeof w0, "%s", w);
        sightings++;
    }
    assert_int_equal(sightings, 2);
    /* the open CVEs */
    assert_int_equal(count_type(&b, "vulnerability"), 2);
    const obj *v = find(&b, "vulnerability", "objects.name", "CVE-2021-26855");
    assert_non_null(v);
    assert_true(xs_str_eq(prop(&b, v, "objects.external_references.external_id")->value,
                          "CVE-2021-26855"));
    const obj *vs = find(&b, "sighting", "objects.sighting_of_ref", v->id);
    assert_non_null(vs);
    const obj *where = by_id(&b, str(&b, vs, "objects.where_sighted_refs", w, sizeof w));
    assert_true(xs_str_eq(prop(&b, where, "objects.name")->value, "exch\"01"));
    unparse(&b);
    char *t2 = render(r);
    assert_string_equal(t, t2);
    free(t2);
    free(t);
    exs_results_destroy(r);
    free(a);
    free(b2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell_row),
        cmocka_unit_test(test_internal),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_backdoor_file),
        cmocka_unit_test(test_no_finding),
        cmocka_unit_test_setup_teardown(test_two_sweeps, t_dir_setup, t_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* STIX 2.1: one bundle for sharing (docs/stix.md).
 *
 *   identity         exsweep itself (created_by_ref of every other object but the SCOs), and
 *                    one per swept root that a sighting names (where_sighted_refs)
 *   indicator        one per value worth sharing: a client address that exploited or
 *                    attempted (ipv4-addr / ipv6-addr), the SHA-256 of a backdoor or another
 *                    file a finding of exploitation is about (file:hashes.'SHA-256'), the URL
 *                    path of a web shell that answered (url:value MATCHES, any host)
 *   ipv4-addr, ipv6-addr, file
 *                    the SCO of each address and hash indicator (the spec's own UUIDv5 ids)
 *   observed-data    per indicator and root: its SCO, first and last seen, the count
 *   sighting         per indicator and root: sighting_of_ref the indicator, where_sighted_refs
 *                    the root's identity, observed_data_refs its observed-data
 *   vulnerability    per CVE a root's server state leaves open, with a sighting on that root
 *
 * Not shared: the servers' own addresses (IIS s-ip), private, loopback, link-local, CGNAT,
 * multicast and reserved addresses, host names, back-end rows' clients, probes, findings
 * that are only suspicious, evidence excerpts, paths on disk.
 *
 * Ids are UUIDv5, so the same sweep gives the same bundle byte for byte: SCOs in the spec's
 * namespace over their canonical contributing properties ({"value":...}, {"hashes":{...}}),
 * so that they meet other producers' SCOs; every other object in exsweep's namespace over
 * its type, what it is about, and its created time. The times come from the sweep record
 * (its start: created and modified) and the findings (first and last seen); no clock is
 * read. Strings go through xs_esc_json; a value inside a pattern is a STIX string literal
 * (' and \ escaped) and, for a URL path, a regular expression (metacharacters escaped).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/escape.h"
#include "core/timeparse.h"
#include "report/report_int.h"

/* exsweep's own UUIDv5 namespace (a random UUID, fixed forever), and the namespace STIX 2.1
 * gives for the ids of cyber-observable objects (section 2.9). */
static const unsigned char ns_exsweep[16] = {0x6b, 0x1f, 0x3c, 0x52, 0x9d, 0x0e, 0x4a, 0x77,
                                             0xb3, 0x58, 0x2e, 0xc4, 0x61, 0x90, 0xaf, 0x13};
static const unsigned char ns_sco[16] = {0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
                                         0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7};

/* Fixed: exsweep's identity is the same object in every bundle. */
#define XS_STIX_TOOL_TIME "2021-03-02T00:00:00.000Z"

/* type--uuid: type at most 31 bytes. */
#define XS_STIX_ID 72

/* "type--" then the UUIDv5 of the namespace and the name. False when SHA-1 failed. */
static bool uuid5(char out[XS_STIX_ID], const char *type, const unsigned char ns[16],
                  const char *name)
{
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int hn = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) && EVP_DigestUpdate(c, ns, 16) &&
              EVP_DigestUpdate(c, name, strlen(name)) && EVP_DigestFinal_ex(c, h, &hn) &&
              hn >= 16;
    EVP_MD_CTX_free(c);
    if (!ok)
        return false;
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, XS_STIX_ID,
             "%s--%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", type,
             h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12],
             h[13], h[14], h[15]);
    return true;
}

/* ---------------------------------------------------------------- what is shared */

typedef enum ikind { K_IPV4 = 0, K_IPV6 = 1, K_FILE = 2, K_URL = 3 } ikind;

typedef struct ent {
    uint8_t kind;
    uint32_t root;
    int64_t t;          /* EXS_TIME_NONE when unknown */
    exs_verdict verdict;
    const exs_rule *rule;
    char *val;          /* canonical: inet_ntop's form, lowercase hex, a lowercase path */
} ent;

typedef struct sx {
    ent *e;
    size_t n, cap;
    char **own; /* the servers' own addresses, canonical, sorted */
    size_t nown;
    exs_rc rc;
} sx;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_ent(const void *pa, const void *pb)
{
    const ent *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->val, b->val);
    if (c)
        return c;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return strcmp(a->rule->id, b->rule->id);
}

static void add(sx *s, ikind k, const exs_finding *x, const char *val)
{
    if (s->rc != EXS_OK)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        ent *e = realloc(s->e, cap * sizeof *e);
        if (!e) {
            s->rc = EXS_ENOMEM;
            return;
        }
        s->e = e;
        s->cap = cap;
    }
    char *v = strdup(val);
    if (!v) {
        s->rc = EXS_ENOMEM;
        return;
    }
    s->e[s->n++] = (ent){(uint8_t)k, x->origin.root, x->time_ms, x->verdict, x->rule, v};
}

/* Canonical form of an address as logged (brackets, an IPv6 zone and an IPv4-mapped prefix
 * taken off): K_IPV4 or K_IPV6, or -1 when it is no address. */
static int canon_ip(const char *in, char out[INET6_ADDRSTRLEN])
{
    char b[INET6_ADDRSTRLEN + 8];
    size_t n = in ? strlen(in) : 0;
    if (n == 0 || n >= sizeof b)
        return -1;
    memcpy(b, in, n + 1);
    char *p = b;
    if (*p == '[') {
        char *e = strchr(p, ']');
        if (!e)
            return -1;
        *e = 0;
        p++;
    }
    char *z = strchr(p, '%');
    if (z)
        *z = 0;
    unsigned char a[16];
    if (inet_pton(AF_INET, p, a) == 1)
        return inet_ntop(AF_INET, a, out, INET6_ADDRSTRLEN) ? K_IPV4 : -1;
    if (inet_pton(AF_INET6, p, a) != 1)
        return -1;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0)
        return inet_ntop(AF_INET, a + 12, out, INET6_ADDRSTRLEN) ? K_IPV4 : -1;
    return inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN) ? K_IPV6 : -1;
}

/* Addresses that say nothing outside the victim's network, or nothing at all: this network,
 * RFC 1918, CGNAT, loopback, link-local, multicast, reserved; ::, ::1, ULA, link-local,
 * multicast. */
static bool internal_ip(int kind, const char *canon)
{
    unsigned char a[16];
    if (kind == K_IPV4) {
        if (inet_pton(AF_INET, canon, a) != 1)
            return true;
        return a[0] == 0 || a[0] == 10 || a[0] == 127 || a[0] >= 224 ||
               (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 169 && a[1] == 254) ||
               (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168);
    }
    if (inet_pton(AF_INET6, canon, a) != 1)
        return true;
    static const unsigned char zero[15] = {0};
    if (memcmp(a, zero, 15) == 0) /* :: and ::1 */
        return a[15] <= 1;
    return (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff;
}

static void add_client(sx *s, const exs_finding *x, const char *client, const char *also)
{
    char c[INET6_ADDRSTRLEN];
    int k = canon_ip(client, c);
    if (k < 0 || internal_ip(k, c))
        return;
    if (also) { /* the same address twice in one finding counts once */
        char o[INET6_ADDRSTRLEN];
        if (canon_ip(also, o) == k && strcmp(o, c) == 0)
            return;
    }
    const char *key = c;
    if (s->nown && bsearch(&key, s->own, s->nown, sizeof *s->own, cmp_str))
        return;
    add(s, (ikind)k, x, c);
}

static bool sha256_ok(const char *h)
{
    if (!h || strlen(h) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)h[i]))
            return false;
    return true;
}

/* A URL path, lowercased (IIS serves paths whatever their case), query cut. */
static void add_path(sx *s, const exs_finding *x, const char *path)
{
    if (!path || path[0] != '/')
        return;
    size_t n = strcspn(path, "?#");
    char *v = strndup(path, n);
    if (!v) {
        s->rc = EXS_ENOMEM;
        return;
    }
    for (char *p = v; *p; p++)
        *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    add(s, K_URL, x, v);
    free(v);
}

static void collect(sx *s, const exs_finding *x)
{
    const bool hit = x->verdict == EXS_VERDICT_EXPLOITATION;
    const bool webshell = x->rule->family && strcmp(x->rule->family, "WebShell") == 0;
    if (hit || x->verdict == EXS_VERDICT_ATTEMPT) {
        const char *hc = x->http && !x->http->backend ? x->http->client : NULL;
        if (hc)
            add_client(s, x, hc, NULL);
        if (x->cmdlet && x->cmdlet->client)
            add_client(s, x, x->cmdlet->client, hc);
    }
    if (x->file && sha256_ok(x->file->sha256) && (hit || x->rule->backdoor)) {
        char h[65];
        for (int i = 0; i < 65; i++)
            h[i] = (char)tolower((unsigned char)x->file->sha256[i]);
        add(s, K_FILE, x, h);
    }
    if (x->file && x->file->url && x->rule->backdoor)
        add_path(s, x, x->file->url);
    else if (x->http && !x->http->backend && hit && webshell)
        add_path(s, x, x->http->path);
}

/* ---------------------------------------------------------------- JSON out */

static void js(FILE *f, const char *v)
{
    fputc('"', f);
    xs_esc_json(f, v, strlen(v));
    fputc('"', f);
}

/* ,"k":"v" */
static void kv(FILE *f, const char *k, const char *v)
{
    fprintf(f, ",\"%s\":", k);
    js(f, v);
}

static void stamp(int64_t ms, char out[32])
{
    xs_time_format(ms, out);
}

/* Opens an SDO or SRO: type, spec_version, id, created_by_ref, created, modified. */
static void sdo(FILE *f, bool *first, const char *type, const char *id, const char *by,
                const char *created)
{
    fputs(*first ? "\n" : ",\n", f);
    *first = false;
    fprintf(f, "{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\"", type, id);
    if (by)
        fprintf(f, ",\"created_by_ref\":\"%s\"", by);
    fprintf(f, ",\"created\":\"%s\",\"modified\":\"%s\"", created, created);
}

/* A STIX pattern string literal's body: ' and \ escaped (the grammar's only escapes); for a
 * regular expression, each metacharacter first takes the regex's backslash (itself escaped
 * for the literal). */
static void lit(char *o, size_t cap, size_t *n, const char *v, bool regex)
{
    for (const char *p = v; *p && *n + 5 < cap; p++) {
        if (regex && strchr("\\^$.|?*+()[]{}", *p)) {
            o[(*n)++] = '\\';
            o[(*n)++] = '\\';
        }
        if (*p == '\'' || *p == '\\')
            o[(*n)++] = '\\';
        o[(*n)++] = *p;
    }
    o[*n] = 0;
}

/* The pattern of an indicator, malloc'd (NULL: out of memory). */
static char *pattern(ikind k, const char *v)
{
    size_t cap = strlen(v) * 4 + 128, n = 0;
    char *o = malloc(cap);
    if (!o)
        return NULL;
    static const char *const head[] = {"[ipv4-addr:value = '", "[ipv6-addr:value = '",
                                       "[file:hashes.'SHA-256' = '",
                                       "[url:value MATCHES '(?i)^[a-z][a-z0-9+.-]*://[^/]*"};
    n = (size_t)snprintf(o, cap, "%s", head[k]);
    lit(o, cap, &n, v, k == K_URL);
    snprintf(o + n, cap - n, "%s", k == K_URL ? "([?#].*)?$']" : "']");
    return o;
}

static const char *const kind_words[] = {"Client address", "Client address", "File",
                                         "Web shell URL path"};

/* ---------------------------------------------------------------- the bundle */

typedef struct grp {
    size_t a, b;               /* entries of one value */
    char id[XS_STIX_ID], sco[XS_STIX_ID];
} grp;

static void root_label(const exs_results *r, uint32_t root, char *out, size_t cap)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    snprintf(out, cap, "%s", root < sw->nroots && sw->roots[root].label ? sw->roots[root].label
                                                                       : "");
    if (!*out)
        snprintf(out, cap, "root %" PRIu32, root);
}

/* The identity of a root: its label, and the server it was, when known. */
static void write_root(FILE *f, bool *first, const exs_results *r, uint32_t root,
                       const char *id, const char *tool, const char *created)
{
    char label[512];
    root_label(r, root, label, sizeof label);
    sdo(f, first, "identity", id, tool, created);
    kv(f, "name", label);
    size_t ns;
    const exs_server *sv = exs_results_servers(r, &ns);
    for (size_t i = 0; i < ns; i++)
        if (sv[i].root == root && sv[i].build && *sv[i].build) {
            char d[512];
            snprintf(d, sizeof d, "Exchange server swept by exsweep: %s%s%s%s%s (build %s)",
                     *sv[i].product ? sv[i].product : "Exchange", *sv[i].cu ? " " : "", sv[i].cu,
                     *sv[i].update ? " " : "", sv[i].update, sv[i].build);
            kv(f, "description", d);
            goto done;
        }
    kv(f, "description", "Exchange server swept by exsweep");
done:
    fputs(",\"identity_class\":\"system\"}", f);
}

/* The distinct rules of entries [a, b), in order of first appearance: the first 8 named, the
 * rest counted. Linear in the entries: the distinct rules are few (a rule table's worth;
 * past RULES_SEEN distinct ones a rule may be counted twice). */
#define RULES_SEEN 512
static void rules_of(const sx *s, size_t a, size_t b, char *out, size_t cap)
{
    const exs_rule *seen[RULES_SEEN];
    size_t nseen = 0, n = 0, listed = 0, more = 0;
    out[0] = 0;
    for (size_t i = a; i < b; i++) {
        bool dup = false;
        for (size_t j = 0; j < nseen && !dup; j++)
            dup = seen[j] == s->e[i].rule;
        if (dup)
            continue;
        if (nseen < RULES_SEEN)
            seen[nseen++] = s->e[i].rule;
        if (listed == 8) {
            more++;
            continue;
        }
        size_t need = strlen(s->e[i].rule->id) + 2;
        if (n + need + 32 >= cap) {
            more++;
            continue;
        }
        n += (size_t)snprintf(out + n, cap - n, "%s%s", listed ? ", " : "", s->e[i].rule->id);
        listed++;
    }
    if (more)
        snprintf(out + n, cap - n, " and %zu more", more);
}

static exs_rc emit(FILE *f, const exs_results *r, sx *s)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    size_t nf;
    exs_results_findings(r, &nf);
    /* created and modified: the sweep's start; else the first finding time; else the epoch */
    int64_t t0 = sw->start_ms;
    if (!xs_time_formattable(t0)) {
        t0 = EXS_TIME_NONE;
        for (size_t i = 0; i < s->n; i++)
            if (xs_time_formattable(s->e[i].t) && (t0 == EXS_TIME_NONE || s->e[i].t < t0))
                t0 = s->e[i].t;
        if (t0 == EXS_TIME_NONE)
            t0 = 0;
    }
    char created[32], name[1024];
    stamp(t0, created);

    /* groups of one value */
    size_t ng = 0;
    grp *g = calloc(s->n ? s->n : 1, sizeof *g);
    if (!g)
        return EXS_ENOMEM;
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        while (j < s->n && s->e[j].kind == s->e[i].kind && strcmp(s->e[j].val, s->e[i].val) == 0)
            j++;
        g[ng].a = i;
        g[ng].b = j;
        ng++;
        i = j;
    }

    char tool[XS_STIX_ID], bid[XS_STIX_ID];
    bool ok = uuid5(tool, "identity", ns_exsweep, "identity|exsweep");
    /* the bundle: the sweep's start, its roots, its counts */
    {
        size_t cap = 256, o;
        for (size_t i = 0; i < sw->nroots; i++)
            cap += strlen(sw->roots[i].label ? sw->roots[i].label : "") + 1;
        char *b = malloc(cap);
        if (!b) {
            free(g);
            return EXS_ENOMEM;
        }
        o = (size_t)snprintf(b, cap, "bundle|%s|%zu|%zu", created, nf, s->n);
        for (size_t i = 0; i < sw->nroots; i++)
            o += (size_t)snprintf(b + o, cap - o, "|%s", sw->roots[i].label ? sw->roots[i].label : "");
        ok = ok && uuid5(bid, "bundle", ns_exsweep, b);
        free(b);
    }
    /* root identities, the ones a sighting names */
    size_t nroot = sw->nroots;
    size_t nsv;
    const exs_server *sv = exs_results_servers(r, &nsv);
    for (size_t i = 0; i < nsv; i++)
        if (sv[i].root >= nroot)
            nroot = sv[i].root + 1;
    for (size_t i = 0; i < s->n; i++)
        if (s->e[i].root >= nroot)
            nroot = s->e[i].root + 1;
    char (*rid)[XS_STIX_ID] = calloc(nroot ? nroot : 1, sizeof *rid);
    bool *used = calloc(nroot ? nroot : 1, sizeof *used);
    if (!rid || !used) {
        free(g);
        free(rid);
        free(used);
        return EXS_ENOMEM;
    }
    for (size_t i = 0; i < nroot && ok; i++) {
        char label[512];
        root_label(r, (uint32_t)i, label, sizeof label);
        snprintf(name, sizeof name, "identity|root|%s|%s", created, label);
        ok = uuid5(rid[i], "identity", ns_exsweep, name);
    }
    for (size_t i = 0; i < s->n; i++)
        used[s->e[i].root] = true;
    for (size_t i = 0; i < nsv; i++)
        for (int k = 0; k < EXS_FAMILIES; k++)
            if (sv[i].families[k].open_cves && *sv[i].families[k].open_cves)
                used[sv[i].root] = true;

    fprintf(f, "{\"type\":\"bundle\",\"id\":\"%s\",\"objects\":[", bid);
    bool first = true;
    sdo(f, &first, "identity", tool, NULL, XS_STIX_TOOL_TIME);
    fputs(",\"name\":\"exsweep\",\"description\":\"Sweeps Microsoft Exchange servers' disks for "
          "ProxyLogon, ProxyShell and ProxyNotShell compromise\",\"identity_class\":\"system\"}",
          f);
    for (size_t i = 0; i < nroot; i++)
        if (used[i])
            write_root(f, &first, r, (uint32_t)i, rid[i], tool, created);

    /* vulnerabilities the servers' state leaves open (each CVE once, sorted), and their
     * sightings on each server */
    char **cves = NULL;
    size_t ncve = 0, cvecap = 0;
    for (size_t i = 0; i < nsv && ok; i++)
        for (int k = 0; k < EXS_FAMILIES && ok; k++)
            for (const char *p = sv[i].families[k].open_cves; p && *p;) {
                size_t n = strcspn(p, ", ");
                if (n && n < 64) {
                    if (ncve == cvecap) {
                        cvecap = cvecap ? cvecap * 2 : 16;
                        char **c2 = realloc(cves, cvecap * sizeof *cves);
                        ok = c2 != NULL;
                        if (ok)
                            cves = c2;
                    }
                    if (ok && !(cves[ncve++] = strndup(p, n)))
                        ok = false, ncve--;
                }
                p += n;
                p += strspn(p, ", ");
            }
    if (ncve)
        qsort(cves, ncve, sizeof *cves, cmp_str);
    for (size_t i = 0; i < ncve && ok; i++) {
        if (i && strcmp(cves[i], cves[i - 1]) == 0)
            continue;
        char vid[XS_STIX_ID];
        snprintf(name, sizeof name, "vulnerability|%s|%s", created, cves[i]);
        ok = uuid5(vid, "vulnerability", ns_exsweep, name);
        sdo(f, &first, "vulnerability", vid, tool, created);
        kv(f, "name", cves[i]);
        fputs(",\"external_references\":[{\"source_name\":\"cve\",\"external_id\":", f);
        js(f, cves[i]);
        fputs("}]}", f);
    }
    for (size_t i = 0; i < ncve; i++)
        free(cves[i]);
    free(cves);
    for (size_t i = 0; i < nsv && ok; i++)
        for (int k = 0; k < EXS_FAMILIES && ok; k++) {
            const exs_family_state *fs = &sv[i].families[k];
            for (const char *p = fs->open_cves; p && *p && ok;) {
                size_t n = strcspn(p, ", ");
                if (n && n < 64) {
                    char cve[64], vid[XS_STIX_ID], sid[XS_STIX_ID], d[1024];
                    memcpy(cve, p, n);
                    cve[n] = 0;
                    snprintf(name, sizeof name, "vulnerability|%s|%s", created, cve);
                    ok = uuid5(vid, "vulnerability", ns_exsweep, name);
                    snprintf(name, sizeof name, "sighting|%s|%s|%s", created, vid,
                             rid[sv[i].root]);
                    ok = ok && uuid5(sid, "sighting", ns_exsweep, name);
                    const char *st = exs_exposure_name(fs->state);
                    snprintf(d, sizeof d, "%s open on this server (%s: %s): %s", cve,
                             fs->family ? fs->family : "", st ? st : "unknown",
                             fs->reason ? fs->reason : "");
                    sdo(f, &first, "sighting", sid, tool, created);
                    kv(f, "description", d);
                    fprintf(f, ",\"sighting_of_ref\":\"%s\",\"where_sighted_refs\":[\"%s\"]}",
                            vid, rid[sv[i].root]);
                }
                p += n;
                p += strspn(p, ", ");
            }
        }

    /* indicators */
    for (size_t i = 0; i < ng && ok; i++) {
        const ent *e = &s->e[g[i].a];
        char *pat = pattern((ikind)e->kind, e->val);
        if (!pat) {
            free(g);
            free(rid);
            free(used);
            return EXS_ENOMEM;
        }
        snprintf(name, sizeof name, "indicator|%s|", created);
        size_t nn = strlen(name) + strlen(pat) + 1;
        char *seed = malloc(nn);
        if (!seed) {
            free(pat);
            free(g);
            free(rid);
            free(used);
            return EXS_ENOMEM;
        }
        snprintf(seed, nn, "%s%s", name, pat);
        ok = uuid5(g[i].id, "indicator", ns_exsweep, seed);
        free(seed);
        int64_t from = EXS_TIME_NONE;
        exs_verdict top = 0;
        size_t roots = 0;
        for (size_t j = g[i].a; j < g[i].b; j++) {
            if (xs_time_formattable(s->e[j].t) && (from == EXS_TIME_NONE || s->e[j].t < from))
                from = s->e[j].t;
            if (s->e[j].verdict > top)
                top = s->e[j].verdict;
            if (j == g[i].a || s->e[j].root != s->e[j - 1].root)
                roots++;
        }
        char vf[32], rules[512], d[1024];
        if (from != EXS_TIME_NONE)
            stamp(from, vf);
        else
            snprintf(vf, sizeof vf, "%s", created);
        rules_of(s, g[i].a, g[i].b, rules, sizeof rules);
        const char *what = e->kind == K_FILE ? "a backdoor or a file an exploitation left"
                           : e->kind == K_URL
                               ? "a web shell that answered"
                               : (top == EXS_VERDICT_EXPLOITATION ? "exploited Exchange"
                                                                  : "attempted to exploit Exchange");
        snprintf(d, sizeof d, "%s: %s. Seen by exsweep on %zu server%s, %zu finding%s (%s).",
                 kind_words[e->kind], what, roots, roots == 1 ? "" : "s", g[i].b - g[i].a,
                 g[i].b - g[i].a == 1 ? "" : "s", rules);
        sdo(f, &first, "indicator", g[i].id, tool, created);
        fputs(",\"name\":", f);
        fputc('"', f);
        fputs(e->kind == K_FILE ? "File SHA-256 " : e->kind == K_URL ? "Web shell URL path "
                                                                     : "Client address ",
              f);
        xs_esc_json(f, e->val, strlen(e->val));
        fputc('"', f);
        kv(f, "description", d);
        fputs(",\"indicator_types\":[\"malicious-activity\"],\"pattern\":", f);
        js(f, pat);
        fprintf(f, ",\"pattern_type\":\"stix\",\"pattern_version\":\"2.1\",\"valid_from\":\"%s\"}",
                vf);
        free(pat);
    }

    /* the SCOs of addresses and files */
    for (size_t i = 0; i < ng && ok; i++) {
        const ent *e = &s->e[g[i].a];
        if (e->kind == K_URL)
            continue;
        static const char *const type[] = {"ipv4-addr", "ipv6-addr", "file"};
        if (e->kind == K_FILE)
            snprintf(name, sizeof name, "{\"hashes\":{\"SHA-256\":\"%s\"}}", e->val);
        else
            snprintf(name, sizeof name, "{\"value\":\"%s\"}", e->val);
        ok = uuid5(g[i].sco, type[e->kind], ns_sco, name);
        fputs(first ? "\n" : ",\n", f);
        first = false;
        fprintf(f, "{\"type\":\"%s\",\"spec_version\":\"2.1\",\"id\":\"%s\"", type[e->kind],
                g[i].sco);
        if (e->kind == K_FILE)
            fprintf(f, ",\"hashes\":{\"SHA-256\":\"%s\"}}", e->val);
        else
            fprintf(f, ",\"value\":\"%s\"}", e->val);
    }

    /* per value and root: observed-data (addresses, files) and a sighting */
    for (size_t i = 0; i < ng && ok; i++) {
        const ent *e0 = &s->e[g[i].a];
        for (size_t a = g[i].a; a < g[i].b && ok;) {
            size_t b = a;
            int64_t lo = EXS_TIME_NONE, hi = EXS_TIME_NONE;
            while (b < g[i].b && s->e[b].root == s->e[a].root) {
                int64_t t = s->e[b].t;
                if (xs_time_formattable(t)) {
                    if (lo == EXS_TIME_NONE || t < lo)
                        lo = t;
                    if (hi == EXS_TIME_NONE || t > hi)
                        hi = t;
                }
                b++;
            }
            uint64_t cnt = b - a;
            if (cnt > 999999999)
                cnt = 999999999;
            const char *where = rid[s->e[a].root];
            char oid[XS_STIX_ID], sid[XS_STIX_ID], ts_lo[32], ts_hi[32];
            if (lo != EXS_TIME_NONE) {
                stamp(lo, ts_lo);
                stamp(hi, ts_hi);
            } else {
                snprintf(ts_lo, sizeof ts_lo, "%s", created);
                snprintf(ts_hi, sizeof ts_hi, "%s", created);
            }
            bool od = e0->kind != K_URL;
            if (od) {
                snprintf(name, sizeof name, "observed-data|%s|%s|%s", created, g[i].id, where);
                ok = uuid5(oid, "observed-data", ns_exsweep, name);
                sdo(f, &first, "observed-data", oid, tool, created);
                fprintf(f,
                        ",\"first_observed\":\"%s\",\"last_observed\":\"%s\",\"number_observed\":"
                        "%" PRIu64 ",\"object_refs\":[\"%s\"]}",
                        ts_lo, ts_hi, cnt, g[i].sco);
            }
            snprintf(name, sizeof name, "sighting|%s|%s|%s", created, g[i].id, where);
            ok = ok && uuid5(sid, "sighting", ns_exsweep, name);
            sdo(f, &first, "sighting", sid, tool, created);
            if (lo != EXS_TIME_NONE)
                fprintf(f, ",\"first_seen\":\"%s\",\"last_seen\":\"%s\"", ts_lo, ts_hi);
            fprintf(f, ",\"count\":%" PRIu64 ",\"sighting_of_ref\":\"%s\"", cnt, g[i].id);
            if (od)
                fprintf(f, ",\"observed_data_refs\":[\"%s\"]", oid);
            fprintf(f, ",\"where_sighted_refs\":[\"%s\"]}", where);
            a = b;
        }
    }
    fputs("\n]}\n", f);
    free(g);
    free(rid);
    free(used);
    return ok ? EXS_OK : EXS_ENOMEM;
}

static exs_rc stix_end(FILE *f, const exs_results *r, const exs_report_opts *o)
{
    (void)o;
    sx s = {0};
    size_t nown, nf;
    const char *const *own = exs_results_server_addresses(r, &nown);
    if (nown) {
        s.own = calloc(nown, sizeof *s.own);
        if (!s.own)
            return EXS_ENOMEM;
        for (size_t i = 0; i < nown; i++) {
            char c[INET6_ADDRSTRLEN];
            if (canon_ip(own[i], c) < 0)
                continue;
            if (!(s.own[s.nown] = strdup(c))) {
                s.rc = EXS_ENOMEM;
                break;
            }
            s.nown++;
        }
        qsort(s.own, s.nown, sizeof *s.own, cmp_str);
    }
    const exs_finding *x = exs_results_findings(r, &nf);
    for (size_t i = 0; i < nf && s.rc == EXS_OK; i++)
        collect(&s, &x[i]);
    exs_rc rc = s.rc;
    if (rc == EXS_OK) {
        if (s.n)
            qsort(s.e, s.n, sizeof *s.e, cmp_ent);
        rc = emit(f, r, &s);
    }
    for (size_t i = 0; i < s.n; i++)
        free(s.e[i].val);
    free(s.e);
    for (size_t i = 0; i < s.nown; i++)
        free(s.own[i]);
    free(s.own);
    return rc;
}

const xs_writer xs_writer_stix = {"stix", NULL, NULL, stix_end};

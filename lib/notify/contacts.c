/* Contacts files: CSV or RPSL into networks (by CIDR, for a longest-prefix lookup) and
 * domains (contacts.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"
#include "notify/contacts.h"
#include "parsers/csv.h"

/* an RPSL object as far as it is read */
typedef struct obj {
    char cls[16];
    char *key, *netname, *org, *abuse_c, *mnt_irt, *mailbox, *org_name, *descr, *nic_hdl;
    uint64_t line;
} obj;

typedef struct net {
    uint8_t lo[16], hi[16];
    size_t contact; /* index into contacts */
} net;

struct xs_contacts {
    xs_contact *ct;
    size_t nct, cct;
    net *nets;
    size_t nnets, cnets;
    xs_strmap *cidr;    /* "plen/hex" -> net index + 1 */
    xs_strmap *domains; /* name -> contact index + 1 */
    xs_note *warn;
    size_t nwarn;
    uint64_t warnings;
    bool rpsl, oom;
    /* RPSL: the object being read, the networks waiting for their mailbox, the handles */
    obj cur;
    bool in_obj;
    char *attr; /* the attribute being read (its continuations appended) */
    char attr_key[32];
    uint64_t attr_line;
    obj *pending;
    size_t npend, cpend;
    xs_strmap *handles; /* "role:HANDLE", "organisation:ORG-X", "irt:IRT-X" -> hobjs index+1 */
    obj *hobjs;
    size_t nh, ch;
    /* CSV columns */
    int col_net, col_org, col_email;
    bool header_seen, first;
    uint64_t kept; /* networks and domains */
};

uint64_t xs_notify_max_networks = XS_NOTIFY_MAX_NETWORKS;

#define warn(c, line, ...)                                                                \
    do {                                                                                   \
        if (!xs_note_add(&(c)->warn, &(c)->nwarn, &(c)->warnings, (line), __VA_ARGS__))    \
            (c)->oom = true;                                                               \
    } while (0)

bool xs_mail_address_ok(const char *p, size_t n)
{
    if (n < 3 || n > 254)
        return false;
    const char *at = memchr(p, '@', n);
    if (!at || at == p || memchr(at + 1, '@', n - (size_t)(at - p) - 1))
        return false;
    size_t ll = (size_t)(at - p), dl = n - ll - 1;
    if (ll > 64 || dl < 1 || p[0] == '.' || p[ll - 1] == '.')
        return false;
    for (size_t i = 0; i < ll; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              strchr("!#$%&'*+-/=?^_`{|}~.", ch)) || ch == 0 ||
            (ch == '.' && i + 1 < ll && p[i + 1] == '.'))
            return false;
    }
    const char *d = at + 1;
    if (d[0] == '.' || d[0] == '-' || d[dl - 1] == '.' || d[dl - 1] == '-' || !memchr(d, '.', dl))
        return false;
    for (size_t i = 0; i < dl; i++) {
        unsigned char ch = (unsigned char)d[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '.') ||
            (ch == '.' && i + 1 < dl && d[i + 1] == '.'))
            return false;
    }
    return true;
}

bool xs_addr_parse(const char *p, size_t n, uint8_t out[16])
{
    char buf[64];
    if (n >= 2 && p[0] == '[' && p[n - 1] == ']')
        p++, n -= 2;
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, p, n);
    buf[n] = 0;
    struct in_addr a4;
    if (inet_pton(AF_INET, buf, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        return true;
    }
    return inet_pton(AF_INET6, buf, out) == 1;
}

/* ---- contacts and networks ---- */

/* The contact (org, the addresses in list, separated by ';', ',' or spaces), made once: a
 * later network of the same organisation and addresses shares it. SIZE_MAX when none of the
 * addresses is one (each said). */
static size_t contact_of(xs_contacts *c, const char *org, size_t orgn, const char *list,
                         size_t ln, uint64_t line)
{
    char emails[XS_NOTIFY_MAX_EMAILS * 258];
    size_t o = 0, k = 0;
    for (size_t i = 0; i < ln;) {
        while (i < ln && strchr(";, \t", list[i]))
            i++;
        size_t s = i;
        while (i < ln && !strchr(";, \t", list[i]))
            i++;
        if (i == s)
            continue;
        const char *a = list + s;
        size_t an = i - s;
        if (an >= 2 && a[0] == '<' && a[an - 1] == '>')
            a++, an -= 2;
        if (!xs_mail_address_ok(a, an)) {
            warn(c, line, "not a mail address: %.*s", (int)(an > 80 ? 80 : an), a);
            continue;
        }
        if (k == XS_NOTIFY_MAX_EMAILS) {
            warn(c, line, "more than %d mail addresses: the rest are not written to",
                 XS_NOTIFY_MAX_EMAILS);
            break;
        }
        if (k)
            o += (size_t)snprintf(emails + o, sizeof emails - o, ", ");
        for (size_t j = 0; j < an; j++) /* lower case: one contact per mailbox */
            emails[o++] = xs_lower(a[j]);
        emails[o] = 0;
        k++;
    }
    if (!k)
        return SIZE_MAX;
    /* the organisation's name: controls out, at most 200 bytes */
    char name[208];
    size_t nl = 0;
    for (size_t i = 0; i < orgn && nl < 200; i++)
        name[nl++] = (unsigned char)org[i] < 0x20 || org[i] == 0x7f ? ' ' : org[i];
    name[nl] = 0;
    for (size_t i = c->nct; i-- > 0 && i + 64 >= c->nct;) /* the last few: dumps are grouped */
        if (strcmp(c->ct[i].org, name) == 0 && strcmp(c->ct[i].emails, emails) == 0)
            return i;
    if (!xs_grow((void **)&c->ct, &c->cct, c->nct + 1, sizeof *c->ct)) {
        c->oom = true;
        return SIZE_MAX;
    }
    xs_contact *x = &c->ct[c->nct];
    x->org = strdup(name);
    x->emails = strdup(emails);
    x->line = line;
    if (!x->org || !x->emails) {
        free(x->org);
        free(x->emails);
        c->oom = true;
        return SIZE_MAX;
    }
    return c->nct++;
}

static void hex16(const uint8_t a[16], char out[33])
{
    static const char h[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = h[a[i] >> 4];
        out[2 * i + 1] = h[a[i] & 15];
    }
    out[32] = 0;
}

/* a <= b, 16 bytes big-endian */
static int cmp16(const uint8_t a[16], const uint8_t b[16])
{
    return memcmp(a, b, 16);
}

/* b - a, as far as it tells which range is smaller */
static void width(const uint8_t lo[16], const uint8_t hi[16], uint8_t out[16])
{
    int borrow = 0;
    for (int i = 15; i >= 0; i--) {
        int d = hi[i] - lo[i] - borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}

static void put_cidr(xs_contacts *c, const uint8_t base[16], int plen, size_t ni)
{
    char key[48], hex[33];
    hex16(base, hex);
    snprintf(key, sizeof key, "%d/%s", plen, hex);
    void *old = xs_strmap_get(c->cidr, key);
    if (old) { /* the same CIDR twice: the smaller range stands (the more specific object) */
        const net *o = &c->nets[(uintptr_t)old - 1], *n = &c->nets[ni];
        uint8_t wo[16], wn[16];
        width(o->lo, o->hi, wo);
        width(n->lo, n->hi, wn);
        if (cmp16(wn, wo) >= 0)
            return;
    }
    if (!xs_strmap_put(c->cidr, key, (void *)(uintptr_t)(ni + 1), NULL))
        c->oom = true;
}

/* The range lo..hi cut into CIDRs (at most XS_NOTIFY_MAX_CIDRS), each put in the map. */
static bool add_range(xs_contacts *c, const uint8_t lo[16], const uint8_t hi[16], size_t ct,
                      uint64_t line)
{
    if (cmp16(lo, hi) > 0) {
        warn(c, line, "a range whose end is below its start");
        return false;
    }
    if (c->kept >= xs_notify_max_networks) {
        warn(c, line, "more than %d networks and domains: not kept", XS_NOTIFY_MAX_NETWORKS);
        return false;
    }
    /* the cover first (counted), then put */
    uint8_t cur[16], tmp[16];
    int bases = 0;
    int plens[XS_NOTIFY_MAX_CIDRS];
    uint8_t starts[XS_NOTIFY_MAX_CIDRS][16];
    memcpy(cur, lo, 16);
    for (;;) {
        /* the largest block at cur within hi: trailing zero bits of cur, then shrink */
        int tz = 0;
        for (int b = 127; b >= 0 && !(cur[b / 8] & (0x80 >> (b % 8))); b--)
            tz++;
        int size = tz; /* block of 2^size addresses */
        for (;; size--) {
            /* end = cur | (2^size - 1) */
            memcpy(tmp, cur, 16);
            for (int b = 0; b < size; b++)
                tmp[15 - b / 8] |= (uint8_t)(1u << (b % 8));
            if (cmp16(tmp, hi) <= 0)
                break;
        }
        if (bases == XS_NOTIFY_MAX_CIDRS) {
            warn(c, line, "a range that is more than %d CIDRs: not kept", XS_NOTIFY_MAX_CIDRS);
            return false;
        }
        memcpy(starts[bases], cur, 16);
        plens[bases++] = 128 - size;
        if (cmp16(tmp, hi) == 0)
            break;
        /* cur = tmp + 1 */
        memcpy(cur, tmp, 16);
        for (int i = 15; i >= 0 && ++cur[i] == 0; i--)
            ;
    }
    if (!xs_grow((void **)&c->nets, &c->cnets, c->nnets + 1, sizeof *c->nets)) {
        c->oom = true;
        return false;
    }
    net *n = &c->nets[c->nnets];
    memcpy(n->lo, lo, 16);
    memcpy(n->hi, hi, 16);
    n->contact = ct;
    for (int i = 0; i < bases; i++)
        put_cidr(c, starts[i], plens[i], c->nnets);
    c->nnets++;
    c->kept++;
    return true;
}

/* "192.0.2.0/24", "2001:db8::/32", an address alone, or "a - b" (RPSL inetnum). */
static bool parse_network(const char *p, size_t n, uint8_t lo[16], uint8_t hi[16])
{
    xs_str s = xs_str_trim(xs_str_make(p, n));
    const char *dash = memchr(s.p, '-', s.n);
    if (dash && !memchr(s.p, ':', s.n)) { /* an IPv4 range */
        xs_str a = xs_str_trim(xs_str_make(s.p, (size_t)(dash - s.p)));
        xs_str b = xs_str_trim(xs_str_make(dash + 1, s.n - (size_t)(dash - s.p) - 1));
        return xs_addr_parse(a.p, a.n, lo) && xs_addr_parse(b.p, b.n, hi) &&
               memcmp(lo, hi, 12) == 0;
    }
    const char *slash = memchr(s.p, '/', s.n);
    size_t an = slash ? (size_t)(slash - s.p) : s.n;
    if (!xs_addr_parse(s.p, an, lo))
        return false;
    bool v4 = lo[10] == 0xff && lo[11] == 0xff && !memcmp(lo, "\0\0\0\0\0\0\0\0\0\0", 10) &&
              !memchr(s.p, ':', an);
    long plen = v4 ? 32 : 128;
    if (slash) {
        plen = xs_str_uint(xs_str_make(slash + 1, s.n - an - 1), v4 ? 32 : 128);
        if (plen < 0)
            return false;
    }
    int bits = (int)(v4 ? plen + 96 : plen);
    for (int b = 0; b < 128; b++) {
        uint8_t m = (uint8_t)(0x80 >> (b % 8));
        if (b >= bits) {
            lo[b / 8] &= (uint8_t)~m;
        }
    }
    memcpy(hi, lo, 16);
    for (int b = bits; b < 128; b++)
        hi[b / 8] |= (uint8_t)(0x80 >> (b % 8));
    return true;
}

/* "example.org", "*.example.org", ".example.org" to "example.org" (lower case), or false. */
static bool parse_domain(const char *p, size_t n, char *out, size_t cap)
{
    xs_str s = xs_str_trim(xs_str_make(p, n));
    if (s.n >= 2 && s.p[0] == '*' && s.p[1] == '.')
        s.p += 2, s.n -= 2;
    else if (s.n && s.p[0] == '.')
        s.p++, s.n--;
    if (s.n && s.p[s.n - 1] == '.')
        s.n--;
    if (s.n == 0 || s.n > 253 || s.n >= cap || !memchr(s.p, '.', s.n))
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char ch = xs_lower(s.p[i]);
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
              ch == '_'))
            return false;
        out[i] = ch;
    }
    out[s.n] = 0;
    return true;
}

static void add_domain(xs_contacts *c, const char *d, size_t ct, uint64_t line)
{
    if (c->kept >= xs_notify_max_networks) {
        warn(c, line, "more than %d networks and domains: not kept", XS_NOTIFY_MAX_NETWORKS);
        return;
    }
    if (xs_strmap_get(c->domains, d)) {
        warn(c, line, "the domain %s again: the first stands", d);
        return;
    }
    if (!xs_strmap_put(c->domains, d, (void *)(uintptr_t)(ct + 1), NULL))
        c->oom = true;
    c->kept++;
}

/* ---- CSV ---- */

static void csv_line(xs_contacts *c, const char *p, size_t n, uint64_t line)
{
    char scratch[XS_NOTIFY_MAX_LINE];
    xs_csv_row row;
    if (n > sizeof scratch) {
        warn(c, line, "longer than %d bytes: skipped", XS_NOTIFY_MAX_LINE);
        return;
    }
    xs_csv_split(p, n, &row, scratch);
    if (!c->header_seen) {
        c->header_seen = true;
        c->col_net = c->col_org = c->col_email = -1;
        for (size_t i = 0; i < row.n; i++) {
            xs_str f = xs_str_trim(i == 0 ? xs_strip_bom(row.f[i]) : row.f[i]);
            if (xs_str_ieq(f, "network"))
                c->col_net = (int)i;
            else if (xs_str_ieq(f, "organisation") || xs_str_ieq(f, "organization"))
                c->col_org = (int)i;
            else if (xs_str_ieq(f, "email"))
                c->col_email = (int)i;
        }
        return;
    }
    if (xs_str_blank(xs_str_make(p, n)) || p[0] == '#')
        return;
    if ((size_t)c->col_net >= row.n || (size_t)c->col_email >= row.n) {
        warn(c, line, "fewer fields than the header: skipped");
        return;
    }
    if (row.bad_quote) {
        warn(c, line, "unbalanced quotes: skipped");
        return;
    }
    xs_str nw = row.f[c->col_net], em = row.f[c->col_email];
    xs_str org = c->col_org >= 0 && (size_t)c->col_org < row.n ? xs_str_trim(row.f[c->col_org])
                                                               : XS_STR_NULL;
    uint8_t lo[16], hi[16];
    char dom[256];
    bool isnet = parse_network(nw.p, nw.n, lo, hi);
    if (!isnet && !parse_domain(nw.p, nw.n, dom, sizeof dom)) {
        warn(c, line, "not a network or domain: %.*s", (int)(nw.n > 80 ? 80 : nw.n), nw.p);
        return;
    }
    size_t ct = contact_of(c, org.p ? org.p : "", org.n, em.p, em.n, line);
    if (ct == SIZE_MAX) {
        if (!c->oom)
            warn(c, line, "no mail address: skipped");
        return;
    }
    if (isnet)
        add_range(c, lo, hi, ct, line);
    else
        add_domain(c, dom, ct, line);
}

/* ---- RPSL ---- */

static void obj_free(obj *o)
{
    free(o->key);
    free(o->netname);
    free(o->org);
    free(o->abuse_c);
    free(o->mnt_irt);
    free(o->mailbox);
    free(o->org_name);
    free(o->descr);
    free(o->nic_hdl);
    memset(o, 0, sizeof *o);
}

static char **obj_field(obj *o, const char *k)
{
    if (strcmp(k, o->cls) == 0)
        return &o->key;
    static const struct {
        const char *k;
        size_t off;
    } f[] = {{"netname", offsetof(obj, netname)},   {"org", offsetof(obj, org)},
             {"abuse-c", offsetof(obj, abuse_c)},   {"mnt-irt", offsetof(obj, mnt_irt)},
             {"abuse-mailbox", offsetof(obj, mailbox)}, {"org-name", offsetof(obj, org_name)},
             {"descr", offsetof(obj, descr)}, {"nic-hdl", offsetof(obj, nic_hdl)}};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (strcmp(k, f[i].k) == 0)
            return (char **)((char *)o + f[i].off);
    return NULL;
}

static bool handle_class(const char *cls)
{
    return !strcmp(cls, "role") || !strcmp(cls, "person") || !strcmp(cls, "organisation") ||
           !strcmp(cls, "irt");
}

static void end_attr(xs_contacts *c)
{
    if (!c->attr)
        return;
    if (!c->in_obj) { /* the object's first attribute names its class */
        c->in_obj = true;
        memset(&c->cur, 0, sizeof c->cur);
        snprintf(c->cur.cls, sizeof c->cur.cls, "%.15s", c->attr_key);
        c->cur.line = c->attr_line;
    }
    char **slot = obj_field(&c->cur, c->attr_key);
    if (slot && !*slot) { /* the first of each */
        *slot = c->attr;
        c->attr = NULL;
    }
    free(c->attr);
    c->attr = NULL;
}

/* The key of a handle: "class:HANDLE" in upper case without blanks (no allocation: a lookup
 * must not fail for lack of memory, which would read as "no such handle"). */
#define KEY_CAP 300
static void upper_key(const char *cls, const char *v, char buf[KEY_CAP])
{
    int n = snprintf(buf, KEY_CAP, "%s:", cls);
    if (n < 0 || n >= KEY_CAP)
        n = KEY_CAP - 1;
    for (const char *p = v; *p && n < KEY_CAP - 1; p++)
        if (*p != ' ' && *p != '\t')
            buf[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    buf[n] = 0;
}

static void end_obj(xs_contacts *c)
{
    end_attr(c);
    if (!c->in_obj)
        return;
    c->in_obj = false;
    obj *o = &c->cur;
    if (!o->key) {
        obj_free(o);
        return;
    }
    if (!strcmp(o->cls, "inetnum") || !strcmp(o->cls, "inet6num")) {
        if (!xs_grow((void **)&c->pending, &c->cpend, c->npend + 1, sizeof *c->pending)) {
            c->oom = true;
            obj_free(o);
            return;
        }
        c->pending[c->npend++] = *o;
        memset(o, 0, sizeof *o);
        return;
    }
    if (handle_class(o->cls)) {
        /* a role or person is named by its nic-hdl, the others by their own key */
        bool by_hdl = !strcmp(o->cls, "role") || !strcmp(o->cls, "person");
        if (by_hdl && !o->nic_hdl) {
            obj_free(o);
            return;
        }
        char k[KEY_CAP];
        upper_key(o->cls, by_hdl ? o->nic_hdl : o->key, k);
        if (!xs_grow((void **)&c->hobjs, &c->ch, c->nh + 1, sizeof *c->hobjs)) {
            obj_free(o);
            c->oom = true;
            return;
        }
        if (!xs_strmap_get(c->handles, k)) { /* the first stands */
            c->hobjs[c->nh] = *o;
            memset(o, 0, sizeof *o);
            if (!xs_strmap_put(c->handles, k, (void *)(uintptr_t)(c->nh + 1), NULL))
                c->oom = true;
            c->nh++;
        }
        obj_free(o);
        return;
    }
    obj_free(o);
}

static void rpsl_line(xs_contacts *c, const char *p, size_t n, uint64_t line)
{
    if (n && p[n - 1] == '\r')
        n--;
    if (xs_str_blank(xs_str_make(p, n))) {
        end_obj(c);
        return;
    }
    if (p[0] == '%' || p[0] == '#')
        return;
    if (p[0] == ' ' || p[0] == '\t' || p[0] == '+') { /* a continuation */
        if (!c->attr)
            return;
        xs_str v = xs_str_trim(xs_str_make(p + 1, n - 1));
        size_t have = strlen(c->attr);
        if (have + v.n + 2 > XS_NOTIFY_MAX_LINE) {
            warn(c, line, "an attribute longer than %d bytes: cut", XS_NOTIFY_MAX_LINE);
            return;
        }
        char *na = realloc(c->attr, have + v.n + 2);
        if (!na) {
            c->oom = true;
            return;
        }
        c->attr = na;
        if (v.n) {
            na[have] = ' ';
            memcpy(na + have + 1, v.p, v.n);
            na[have + 1 + v.n] = 0;
        }
        return;
    }
    const char *colon = memchr(p, ':', n);
    if (!colon || colon == p || (size_t)(colon - p) >= sizeof c->attr_key) {
        warn(c, line, "not an RPSL attribute: skipped");
        return;
    }
    end_attr(c);
    size_t kl = (size_t)(colon - p);
    for (size_t i = 0; i < kl; i++)
        c->attr_key[i] = xs_lower(p[i]);
    c->attr_key[kl] = 0;
    xs_str v = xs_str_trim(xs_str_make(colon + 1, n - kl - 1));
    /* a comment after the value ("# ...") is not the value */
    const char *hash = memchr(v.p, '#', v.n);
    if (hash)
        v = xs_str_trim(xs_str_make(v.p, (size_t)(hash - v.p)));
    if (!(c->attr = strndup(v.p, v.n)))
        c->oom = true;
    c->attr_line = line;
}

static obj *handle(const xs_contacts *c, const char *cls, const char *v)
{
    char k[KEY_CAP];
    upper_key(cls, v, k);
    void *i = xs_strmap_get(c->handles, k);
    return i ? &c->hobjs[(uintptr_t)i - 1] : NULL;
}

/* Every inetnum and inet6num with its mailbox found. */
static void rpsl_resolve(xs_contacts *c)
{
    for (size_t i = 0; i < c->npend; i++) {
        obj *o = &c->pending[i];
        uint8_t lo[16], hi[16];
        if (!parse_network(o->key, strlen(o->key), lo, hi)) {
            warn(c, o->line, "%s %.80s is not a range or CIDR", o->cls, o->key);
            continue;
        }
        obj *org = o->org ? handle(c, "organisation", o->org) : NULL;
        const char *mailbox = NULL;
        obj *r = NULL;
        if (o->abuse_c && ((r = handle(c, "role", o->abuse_c)) ||
                           (r = handle(c, "person", o->abuse_c))))
            mailbox = r->mailbox;
        if (!mailbox && org && org->abuse_c &&
            ((r = handle(c, "role", org->abuse_c)) || (r = handle(c, "person", org->abuse_c))))
            mailbox = r->mailbox;
        if (!mailbox && o->mnt_irt && (r = handle(c, "irt", o->mnt_irt)))
            mailbox = r->mailbox;
        if (!mailbox && org)
            mailbox = org->mailbox;
        if (!mailbox) {
            warn(c, o->line, "%s %.80s: no abuse-mailbox (abuse-c, its org's, mnt-irt)",
                 o->cls, o->key);
            continue;
        }
        const char *name = org && org->org_name ? org->org_name
                           : o->netname          ? o->netname
                           : o->descr            ? o->descr
                                                 : o->key;
        size_t ct = contact_of(c, name, strlen(name), mailbox, strlen(mailbox), o->line);
        if (ct == SIZE_MAX) {
            if (!c->oom)
                warn(c, o->line, "%s %.80s: its abuse-mailbox is no mail address", o->cls,
                     o->key);
            continue;
        }
        add_range(c, lo, hi, ct, o->line);
    }
}

/* ---- the file ---- */

static void one_line(xs_contacts *c, const char *p, size_t n, uint64_t line, bool *first)
{
    if (*first) {
        xs_str s = xs_str_trim(xs_strip_bom(xs_str_make(p, n)));
        if (s.n == 0 || s.p[0] == '%' || s.p[0] == '#')
            return; /* the form is told by the first line of content */
        *first = false;
        c->rpsl = !xs_str_istarts(s, "network,") && !xs_str_icontains(s, ",network") &&
                  memchr(s.p, ':', s.n) != NULL;
        if (!c->rpsl && !xs_str_icontains(s, "network")) {
            warn(c, line, "neither a CSV with the header network,organisation,email nor RPSL");
            c->header_seen = true;
            c->col_net = -1;
        }
    }
    if (c->rpsl)
        rpsl_line(c, p, n, line);
    else if (c->col_net != -1 || !c->header_seen)
        csv_line(c, p, n, line);
}

xs_contacts *xs_contacts_new(void)
{
    xs_contacts *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cidr = xs_strmap_create();
    c->domains = xs_strmap_create();
    c->handles = xs_strmap_create();
    c->col_net = c->col_org = c->col_email = -1;
    c->first = true;
    if (!c->cidr || !c->domains || !c->handles) {
        xs_contacts_free(c);
        return NULL;
    }
    return c;
}

void xs_contacts_line(xs_contacts *c, const char *p, size_t n, uint64_t line)
{
    if (c->oom)
        return;
    if (n > XS_NOTIFY_MAX_LINE)
        xs_contacts_toolong(c, line);
    else if (memchr(p, 0, n))
        warn(c, line, "a NUL byte: skipped");
    else
        one_line(c, p, n, line, &c->first);
}

void xs_contacts_toolong(xs_contacts *c, uint64_t line)
{
    warn(c, line, "longer than %d bytes: skipped", XS_NOTIFY_MAX_LINE);
}

xs_contacts *xs_contacts_end(xs_contacts *c, bool *rpsl)
{
    if (c->rpsl) {
        end_obj(c);
        rpsl_resolve(c);
    }
    if (c->col_net == -1 && c->header_seen && !c->rpsl && !c->warnings)
        warn(c, 1, "the CSV header names no network column");
    if (c->header_seen && !c->rpsl && c->col_net != -1 && c->col_email == -1)
        warn(c, 1, "the CSV header names no email column");
    *rpsl = c->rpsl;
    if (c->oom) {
        xs_contacts_free(c);
        return NULL;
    }
    return c;
}

xs_contacts *xs_contacts_read(const char *p, size_t n, bool *rpsl)
{
    xs_contacts *c = xs_contacts_new();
    if (!c)
        return NULL;
    uint64_t line = 0;
    for (size_t off = 0; off < n;) {
        const char *nl = memchr(p + off, '\n', n - off);
        size_t len = nl ? (size_t)(nl - p - off) : n - off;
        xs_contacts_line(c, p + off, len, ++line);
        off += len + 1;
    }
    return xs_contacts_end(c, rpsl);
}

void xs_contacts_free(xs_contacts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nct; i++) {
        free(c->ct[i].org);
        free(c->ct[i].emails);
    }
    free(c->ct);
    free(c->nets);
    xs_strmap_destroy(c->cidr);
    xs_strmap_destroy(c->domains);
    xs_strmap_destroy(c->handles);
    for (size_t i = 0; i < c->nh; i++)
        obj_free(&c->hobjs[i]);
    free(c->hobjs);
    for (size_t i = 0; i < c->npend; i++)
        obj_free(&c->pending[i]);
    free(c->pending);
    obj_free(&c->cur);
    free(c->attr);
    xs_notes_free(c->warn, c->nwarn);
    free(c);
}

const xs_contact *xs_contacts_addr(const xs_contacts *c, const uint8_t addr[16])
{
    bool v4 = !memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
    for (int plen = 128; plen >= (v4 ? 96 : 0); plen--) {
        uint8_t m[16];
        memcpy(m, addr, 16);
        for (int b = plen; b < 128; b++)
            m[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
        char key[48], hex[33];
        hex16(m, hex);
        snprintf(key, sizeof key, "%d/%s", plen, hex);
        void *v = xs_strmap_get(c->cidr, key);
        if (v)
            return &c->ct[c->nets[(uintptr_t)v - 1].contact];
    }
    return NULL;
}

const xs_contact *xs_contacts_name(const xs_contacts *c, const char *name)
{
    for (const char *p = name; p && *p;) {
        void *v = xs_strmap_get(c->domains, p);
        if (v)
            return &c->ct[(uintptr_t)v - 1];
        p = strchr(p, '.');
        if (p)
            p++;
    }
    return NULL;
}

size_t xs_contacts_count(const xs_contacts *c)
{
    return c->kept;
}

const xs_note *xs_contacts_warnings(const xs_contacts *c, size_t *n, uint64_t *total)
{
    *n = c->nwarn;
    if (total)
        *total = c->warnings;
    return c->warn;
}

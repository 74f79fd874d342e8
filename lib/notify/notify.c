/* exsweep notify (include/exsweep/notify.h): the contacts and results files read, the
 * servers grouped by organisation, the letters and their lists written into a folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/memstream.h"
#include "core/digest.h"
#include "core/escape.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/lines.h"
#include "core/str.h"
#include "core/strmap.h"
#include "notify/internal.h"
#include "notify/letter.h"

static exs_rc rc_of(int e)
{
    return e == ENOENT || e == ENOTDIR ? EXS_ENOENT
           : e == EACCES || e == EPERM ? EXS_EACCES
           : e == ENOMEM               ? EXS_ENOMEM
                                       : EXS_EIO;
}

/* Opens path for reading ("-": standard input, not closed after). -1 with err set. */
static int open_in(const char *path, const char *what, char *err, size_t errlen)
{
    if (!strcmp(path, "-"))
        return STDIN_FILENO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open the %s %s: %s", what, path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        snprintf(err, errlen, "the %s %s is a folder", what, path);
        return -1;
    }
    return fd;
}

/* Reads fd line by line through a buffer of cap bytes; line(ctx, p, n, no) or toolong. */
static int read_lines(int fd, size_t cap, void (*line)(void *, const char *, size_t, uint64_t),
                      void (*toolong)(void *, uint64_t), void *ctx)
{
    char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    xs_lines l;
    xs_lines_init(&l, fd, buf, cap);
    char *p;
    size_t n;
    bool big;
    int r;
    while ((r = xs_lines_next(&l, &p, &n, &big)) > 0) {
        if (big)
            toolong(ctx, l.line);
        else
            line(ctx, p, n, l.line);
    }
    int e = errno;
    free(buf);
    errno = e;
    return r;
}

static void c_line(void *c, const char *p, size_t n, uint64_t no)
{
    xs_contacts_line(c, p, n, no);
}
static void c_toolong(void *c, uint64_t no)
{
    xs_contacts_toolong(c, no);
}

exs_rc exs_notify_open(exs_notify **out, const char *contacts, char *err, size_t errlen)
{
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    exs_notify *n = calloc(1, sizeof *n);
    if (!n || !(n->contacts_path = strdup(contacts)) || !xs_nhosts_init(&n->h)) {
        exs_notify_destroy(n);
        snprintf(err, errlen, "out of memory");
        return EXS_ENOMEM;
    }
    int fd = open_in(contacts, "contacts file", err, errlen);
    if (fd < 0) {
        exs_rc rc = rc_of(errno);
        exs_notify_destroy(n);
        return rc;
    }
    xs_contacts *c = xs_contacts_new();
    int r = c ? read_lines(fd, XS_NOTIFY_MAX_LINE + 1, c_line, c_toolong, c) : -1;
    int e = c ? errno : ENOMEM;
    if (fd != STDIN_FILENO)
        close(fd);
    if (r < 0) {
        snprintf(err, errlen, "cannot read the contacts file %s: %s", contacts, strerror(e));
        xs_contacts_free(c);
        exs_notify_destroy(n);
        return rc_of(e);
    }
    if (!(n->c = xs_contacts_end(c, &n->rpsl))) {
        snprintf(err, errlen, "out of memory reading %s", contacts);
        exs_notify_destroy(n);
        return EXS_ENOMEM;
    }
    if (!xs_contacts_count(n->c)) {
        snprintf(err, errlen,
                 "the contacts file %s holds no contact (CSV with the header "
                 "network,organisation,email, or RPSL inetnum/inet6num objects with a mailbox)",
                 contacts);
        exs_notify_destroy(n);
        return EXS_EFORMAT;
    }
    n->st.contacts = xs_contacts_count(n->c);
    n->st.rpsl = n->rpsl;
    *out = n;
    return EXS_OK;
}

typedef struct rctx {
    xs_nhosts *h;
    size_t file;
} rctx;

static void r_line(void *v, const char *p, size_t n, uint64_t no)
{
    rctx *r = v;
    xs_nhosts_line(r->h, p, n, no, r->file);
}
static void r_toolong(void *v, uint64_t no)
{
    xs_nhosts_toolong(((rctx *)v)->h, no);
}

exs_rc exs_notify_results(exs_notify *n, const char *path, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    size_t cap = n->nfiles + 1;
    char **files = realloc(n->files, cap * sizeof *files);
    if (files)
        n->files = files;
    size_t *ends = files ? realloc(n->warn_end, cap * sizeof *ends) : NULL;
    if (ends)
        n->warn_end = ends;
    char *name = ends ? strdup(path) : NULL;
    if (!name) {
        snprintf(err, errlen, "out of memory");
        return EXS_ENOMEM;
    }
    int fd = open_in(path, "results file", err, errlen);
    if (fd < 0) {
        free(name);
        return rc_of(errno);
    }
    size_t file = n->nfiles;
    n->files[file] = name;
    n->warn_end[file] = n->h.nwarn;
    n->nfiles++;
    rctx r = {&n->h, file};
    int rr = read_lines(fd, XS_NOTIFY_MAX_RESULT_LINE + 1, r_line, r_toolong, &r);
    int e = errno;
    if (fd != STDIN_FILENO)
        close(fd);
    n->warn_end[file] = n->h.nwarn;
    if (rr < 0) {
        snprintf(err, errlen, "cannot read the results file %s: %s", path, strerror(e));
        return rc_of(e);
    }
    if (n->h.oom) {
        snprintf(err, errlen, "out of memory reading %s", path);
        return EXS_ENOMEM;
    }
    n->st.records = n->h.records;
    n->st.ignored = n->h.ignored;
    n->st.duplicates = n->h.duplicates;
    n->st.hosts = n->h.n;
    return EXS_OK;
}

const exs_notify_stats *exs_notify_get_stats(const exs_notify *n)
{
    exs_notify_stats *s = (exs_notify_stats *)&n->st;
    size_t nw;
    uint64_t total;
    (void)xs_contacts_warnings(n->c, &nw, &total);
    s->warnings = total + n->h.warnings;
    return s;
}

int exs_notify_warning(const exs_notify *n, size_t i, const char **file, uint64_t *line,
                       const char **message)
{
    size_t nc;
    uint64_t total;
    const xs_note *cw = xs_contacts_warnings(n->c, &nc, &total);
    if (i < nc) {
        *file = n->contacts_path;
        *line = cw[i].line;
        *message = cw[i].message;
        return 1;
    }
    i -= nc;
    if (i >= n->h.nwarn)
        return 0;
    size_t f = 0;
    while (f + 1 < n->nfiles && i >= n->warn_end[f])
        f++;
    *file = n->nfiles ? n->files[f] : "";
    *line = n->h.warn[i].line;
    *message = n->h.warn[i].message;
    return 1;
}

/* ---- grouping ---- */

typedef struct group {
    const xs_contact *k;
    const xs_nhost **hosts;
    size_t n, cap;
} group;

/* The contact of a host: by its address, else by its name, else by the scan's name. */
static const xs_contact *contact_of(const exs_notify *n, const xs_nhost *h)
{
    const xs_contact *k = h->has_addr ? xs_contacts_addr(n->c, h->addr) : NULL;
    const char *names[2] = {h->has_addr ? "" : h->host, h->name};
    for (size_t i = 0; i < 2 && !k; i++) {
        char low[300];
        size_t len = strlen(names[i]);
        while (len && names[i][len - 1] == '.')
            len--;
        if (!len || len >= sizeof low)
            continue;
        for (size_t j = 0; j < len; j++)
            low[j] = xs_lower(names[i][j]);
        low[len] = '\0';
        k = xs_contacts_name(n->c, low);
    }
    return k;
}

/* A file name's stem from an organisation: ASCII letters and digits in lower case, other
 * runs as one '-', at most 40 bytes; "org" when nothing is left. */
static void slug(const char *org, char *out, size_t cap)
{
    size_t o = 0;
    bool dash = false;
    for (const char *p = org; *p && o + 2 < cap && o < 40; p++) {
        char c = xs_lower(*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && o)
                out[o++] = '-';
            out[o++] = c;
            dash = false;
        } else
            dash = true;
    }
    out[o] = '\0';
    if (!o)
        snprintf(out, cap, "org");
}

static void csv_field(FILE *f, const char *s, bool last)
{
    xs_esc_csv(f, s, strlen(s));
    fputs(last ? "\r\n" : ",", f);
}

static const char *fam_state(const xs_nhost *h, const char *family)
{
    for (size_t k = 0; k < h->nfam; k++)
        if (!strcmp(h->fam[k].family, family))
            return h->fam[k].state;
    return "";
}

static void host_row(FILE *f, const exs_notify *n, const xs_nhost *h, bool where)
{
    char port[16], line[24];
    snprintf(port, sizeof port, "%ld", h->port);
    snprintf(line, sizeof line, "%llu", (unsigned long long)h->line);
    csv_field(f, h->target, false);
    csv_field(f, h->host, false);
    csv_field(f, port, false);
    csv_field(f, h->name, false);
    csv_field(f, h->build, false);
    csv_field(f, h->product, false);
    csv_field(f, fam_state(h, "ProxyLogon"), false);
    csv_field(f, fam_state(h, "ProxyShell"), false);
    csv_field(f, fam_state(h, "ProxyNotShell"), !where);
    if (where) {
        csv_field(f, h->file < n->nfiles ? n->files[h->file] : "", false);
        csv_field(f, line, true);
    }
}

size_t xs_notify_max_attach = XS_NOTIFY_MAX_ATTACH;

#define HOST_HEADER "target,host,port,name,build,product,proxylogon,proxyshell,proxynotshell"

static void letters_free(exs_notify *n)
{
    for (size_t i = 0; i < n->nletters; i++) {
        free(n->letters[i].file);
        free(n->letters[i].org);
        free(n->letters[i].to);
        free(n->letters[i].msgid);
    }
    free(n->letters);
    n->letters = NULL;
    n->nletters = 0;
}

/* Writes a memstream's bytes as dir/name; false with err. */
static bool put_stream(int dfd, const char *name, FILE *m, char **buf, size_t *len, char *err,
                       size_t errlen)
{
    if (xs_memclose(m, buf) != 0) {
        snprintf(err, errlen, "out of memory writing %s", name);
        errno = ENOMEM;
        return false;
    }
    bool ok = xs_notify_put_file(dfd, name, *buf, *len, err, errlen);
    free(*buf);
    *buf = NULL;
    return ok;
}

static exs_rc write_all(exs_notify *n, int dfd, const exs_notify_opts *o, group *g, size_t ng,
                        const xs_nhost **un, size_t nun, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *lm = NULL;
    char *lbuf = NULL;
    size_t llen = 0;
    xs_strmap *names = xs_strmap_create();
    if (!names || !(lm = xs_memopen(&lbuf, &llen)))
        goto nomem;
    fputs("file,organisation,recipients,hosts,message_id\r\n", lm);
    if (ng && !(n->letters = calloc(ng, sizeof *n->letters)))
        goto nomem;
    const char *at = strchr(o->from, '@');
    for (size_t i = 0; i < ng; i++) {
        xs_letter l = {.from = o->from,
                       .sender = o->sender ? o->sender : "",
                       .to = g[i].k->emails,
                       .org = g[i].k->org,
                       .hosts = g[i].hosts,
                       .n = g[i].n,
                       .ja = o->ja,
                       .date = o->date};
        char id[33], stem[48], file[96], csv[96];
        if (!xs_letter_id(&l, id))
            goto nomem;
        slug(l.org, stem, sizeof stem);
        snprintf(file, sizeof file, "%s-%.12s.eml", stem, id);
        for (int k = 2; xs_strmap_get(names, file); k++) /* the same stem and id prefix */
            snprintf(file, sizeof file, "%s-%.12s-%d.eml", stem, id, k);
        if (!xs_strmap_put(names, file, names, NULL))
            goto nomem;
        if (l.n > xs_notify_letter_hosts) {
            snprintf(csv, sizeof csv, "%.*s.csv", (int)(strlen(file) - 4), file);
            FILE *m = xs_memopen(&buf, &len);
            if (!m)
                goto nomem;
            fputs(HOST_HEADER "\r\n", m);
            for (size_t h = 0; h < l.n; h++)
                host_row(m, n, l.hosts[h], false);
            if (xs_memclose(m, &buf) != 0)
                goto nomem;
            if (!xs_notify_put_file(dfd, csv, buf, len, err, errlen))
                goto fail;
            l.csv = csv; /* beside the letter, and attached to it when not too large */
            l.attach = len <= xs_notify_max_attach ? buf : NULL;
            l.attach_n = l.attach ? len : 0;
        }
        char *lbody = NULL;
        size_t lbn = 0;
        FILE *m = xs_memopen(&lbody, &lbn);
        if (!m)
            goto nomem;
        int wr = xs_letter_write(m, &l);
        free(buf); /* the attachment, written into the letter */
        buf = NULL;
        if (wr != 0) {
            (void)xs_memclose(m, &lbody);
            free(lbody);
            goto nomem;
        }
        if (xs_memclose(m, &lbody) != 0)
            goto nomem;
        char sha[65] = "";
        if (!xs_sha256_hex(lbody, lbn, sha)) {
            free(lbody);
            goto nomem;
        }
        bool put = xs_notify_put_file(dfd, file, lbody, lbn, err, errlen);
        free(lbody);
        if (!put)
            goto fail;
        xs_nletter *L = &n->letters[n->nletters];
        char msgid[160], count[24];
        snprintf(msgid, sizeof msgid, "<%s.exsweep@%s>", id, at ? at + 1 : "exsweep.invalid");
        if (!(L->file = strdup(file)) || !(L->org = strdup(l.org)) ||
            !(L->to = strdup(l.to)) || !(L->msgid = strdup(msgid))) {
            n->nletters++;
            goto nomem;
        }
        L->hosts = l.n;
        memcpy(L->sha, sha, sizeof L->sha);
        n->nletters++;
        snprintf(count, sizeof count, "%zu", l.n);
        csv_field(lm, file, false);
        csv_field(lm, l.org, false);
        csv_field(lm, l.to, false);
        csv_field(lm, count, false);
        csv_field(lm, msgid, true);
    }
    FILE *m = xs_memopen(&buf, &len);
    if (!m)
        goto nomem;
    fputs(HOST_HEADER ",file,line\r\n", m);
    for (size_t i = 0; i < nun; i++)
        host_row(m, n, un[i], true);
    if (!put_stream(dfd, "unmatched.csv", m, &buf, &len, err, errlen))
        goto fail;
    /* letters.csv last: what --send reads names letters that are all in place */
    FILE *lmm = lm;
    lm = NULL;
    if (!put_stream(dfd, "letters.csv", lmm, &lbuf, &llen, err, errlen))
        goto fail;
    if (!xs_notify_sync_dir(dfd, err, errlen))
        goto fail;
    xs_strmap_destroy(names);
    return EXS_OK;
nomem:
    snprintf(err, errlen, "out of memory writing the letters");
    errno = ENOMEM;
fail:;
    int e = errno;
    if (lm)
        (void)xs_memclose(lm, &lbuf);
    free(lbuf);
    free(buf);
    xs_strmap_destroy(names);
    letters_free(n);
    return e == ENOMEM ? EXS_ENOMEM : EXS_EIO;
}

exs_rc exs_notify_write(exs_notify *n, const char *dir, const exs_notify_opts *o, char *err,
                        size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    letters_free(n);
    free(n->dir);
    free(n->from);
    n->dir = n->from = NULL;
    if (!o->from || !xs_mail_address_ok(o->from, strlen(o->from))) {
        snprintf(err, errlen, "the From address must be a plain local@domain address");
        return EXS_EINVAL;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the folder %s: %s", dir, strerror(errno));
        return rc_of(errno);
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, errlen, "cannot open the folder %s: %s", dir, strerror(errno));
        return rc_of(errno);
    }
    struct stat dst;
    if (!xs_notify_dir_ok(dfd, dir, &dst, err, errlen)) {
        exs_rc rc = errno == EACCES ? EXS_EACCES : EXS_EIO;
        close(dfd);
        return rc;
    }
    /* group the hosts by organisation and recipients, in the order of their first host */
    group *g = NULL;
    size_t ng = 0, capg = 0, nun = 0;
    const xs_nhost **un = n->h.n ? calloc(n->h.n, sizeof *un) : NULL;
    xs_strmap *idx = xs_strmap_create();
    exs_rc rc = EXS_ENOMEM;
    if ((n->h.n && !un) || !idx)
        goto nomem;
    for (size_t i = 0; i < n->h.n; i++) {
        const xs_nhost *h = &n->h.h[i];
        const xs_contact *k = contact_of(n, h);
        if (!k) {
            un[nun++] = h;
            continue;
        }
        char *key = NULL;
        if (asprintf(&key, "%s%c%s", k->org, 1, k->emails) < 0)
            goto nomem;
        size_t gi = (size_t)(uintptr_t)xs_strmap_get(idx, key);
        if (!gi) {
            if (!xs_grow((void **)&g, &capg, ng + 1, sizeof *g) ||
                !xs_strmap_put(idx, key, (void *)(uintptr_t)(ng + 1), NULL)) {
                free(key);
                goto nomem;
            }
            g[ng] = (group){.k = k};
            gi = ++ng;
        }
        free(key);
        group *G = &g[gi - 1];
        if (!xs_grow((void **)&G->hosts, &G->cap, G->n + 1, sizeof *G->hosts))
            goto nomem;
        G->hosts[G->n++] = h;
    }
    rc = write_all(n, dfd, o, g, ng, un, nun, err, errlen);
    if (rc == EXS_OK) {
        n->st.matched = n->h.n - nun;
        n->st.unmatched = nun;
        n->st.letters = ng;
        n->dir_dev = dst.st_dev;
        n->dir_ino = dst.st_ino;
        if (!(n->dir = strdup(dir)) || !(n->from = strdup(o->from))) {
            rc = EXS_ENOMEM;
            goto nomem;
        }
    }
    goto out;
nomem:
    snprintf(err, errlen, "out of memory grouping the servers");
out:
    for (size_t i = 0; i < ng; i++)
        free(g[i].hosts);
    free(g);
    free(un);
    xs_strmap_destroy(idx);
    close(dfd);
    if (rc != EXS_OK)
        letters_free(n);
    return rc;
}

void exs_notify_destroy(exs_notify *n)
{
    if (!n)
        return;
    xs_contacts_free(n->c);
    xs_nhosts_free(&n->h);
    for (size_t i = 0; i < n->nfiles; i++)
        free(n->files[i]);
    free(n->files);
    free(n->warn_end);
    letters_free(n);
    free(n->contacts_path);
    free(n->dir);
    free(n->from);
    free(n);
}

/* Indicator sets. Built-in values are quoted from the public sources the catalogue names (3.5:
 * Microsoft's eight HAFNIUM shells, the MSTIC feed, CISA/Volexity and signature-base sample
 * hashes; 4: tool paths from the Sigma HAFNIUM rule, ESET and MSTIC). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "detectors/ioc.h"
#include "detectors/webfolders.h"
#include "engines/pathre.h"


struct xs_iocset {
    xs_strmap *hash, *path, *ip, *domain;
    xs_ioc *wild; /* wildcard paths (chained by next) */
    xs_ioc *all;
    char **sources; /* list file names, owned */
    size_t nsources;
    size_t count[XS_IOC__COUNT], user[XS_IOC__COUNT];
    xs_pathre *re;   /* Loki filename IOCs, NULL until the first */
    xs_ioc **re_ioc; /* by expression id */
    size_t nre, capre;
    size_t total;
    size_t max_file; /* XS_MAX_IOC_FILE; tests lower it */
};

static const struct {
    const char *sha256, *what;
} builtin_hashes[] = {
    /* Microsoft HAFNIUM blog, 2021-03-02: the eight web shells (also CISA AA21-062A). */
    {"b75f163ca9b9240bf4b37ad92bc7556b40a17e27c2b8ed5c8991385fe07d17d0",
     "HAFNIUM web shell (SecChecker; Microsoft 2021-03-02)"},
    {"097549cf7d0f76f0d99edf8b2d91c60977fd6a96e4b8c3c94b0b1733dc026d3e",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"2b6f1ebb2208e93ade4a6424555d6a8341fd6d9f60c25e44afe11008f5c1aad1",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"65149e036fff06026d80ac9ad4d156332822dc93142cf1a122b1841ec8de34b5",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"511df0e2df9bfa5521b588cc4bb5f8c5a321801b803394ebc493db1ef3c78fa1",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"4edc7770464a14f54d17f36dc9d0fe854f68b346b27b35a6f5839adf1f13f8ea",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"811157f9c7003ba8d17b45eb3cf09bef2cecd2701cedb675274949296a6a183d",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    {"1631a90eb5395c4e19c7dbcbf611bbe6444ff312eb7937e286e4637cb9e72944",
     "HAFNIUM web shell (Microsoft 2021-03-02)"},
    /* MSTIC feed, unlabelled sha256 indicators added 2021-03-10..16. */
    {"8e90ed33c7ee82c0b64078ea36ec95f7420ba435c693b3b3dd728b494abf7dfc",
     "MSTIC Exchange indicator (March 2021)"},
    {"2f0bc81c2ea269643cae307239124d1b6479847867b1adfe9ae712a1d5ef135e",
     "MSTIC Exchange indicator (March 2021)"},
    {"a291305f181e24fe7194154b4cd355ccb039d5765709c80999e392efec69c90a",
     "MSTIC Exchange indicator (March 2021)"},
    {"dd29e8d47dde124c7d14e614e03ccaab3ecaa50e0a0bef985ed59e98928bc13d",
     "MSTIC Exchange indicator (March 2021)"},
    {"201e4e9910dcdc8c4ffad84b60b328978db8848d265c0b9ba8473cf65dcd0c41",
     "MSTIC Exchange indicator (March 2021)"},
    {"5a5f4a1c7dbac3e1ac900f43415f378e88a7b591aff730d9715b62d6d782bdde",
     "MSTIC Exchange indicator (March 2021)"},
    /* DearCry (MSTIC feed; signature-base crime_dearcry_ransom.yar). */
    {"2b9838da7edb0decd32b086e47a31e8f5733b5981ad8247a2f9508e232589bff", "DearCry ransomware"},
    {"e044d9f2d0f1260c3f4a543a1e67f33fcac265be114a1b135fd575b860d2b8c6", "DearCry ransomware"},
    {"feb3e6d30ba573ba23f3bd1291ca173b7879706d1fe039c34d53a4fdcdf33ede", "DearCry ransomware"},
    /* Volexity (CISA AA21-062A). */
    {"893cd3583b49cb706b3e55ecb2ed0757b977a21f5c72e041392d1256f31166e2",
     "SIMPLESEESHARP web shell (Volexity)"},
    {"406b680edc9a1bb0e2c7c451c56904857848b5f15570401450b73b232ff38928",
     "reGeorg web-shell variant (Volexity)"},
    {"2fa06333188795110bba14a482020699a96f76fb1ceb80cbfa2df9d3008b5b0a",
     "SPORTSBALL web shell (Volexity)"},
    /* CISA MAR-10328929: the CVE-2021-27065 OAB shell. */
    {"c8a7b5ffcf23c7a334bb093dda19635ec06ca81f6196325bb2d811716c90f3c5",
     "CVE-2021-27065 OAB web shell (CISA MAR-10328929)"},
    /* Compiled ASP.NET DLLs of HAFNIUM shells (signature-base apt_hafnium.yar samples). */
    {"097f5f700c000a13b91855beb61a931d34fb0abb738a110368f525e25c5bc738",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"15744e767cbaa9b37ff7bb5c036dda9b653fc54fc9a96fe73fbd639150b3daa3",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"52ae4de2e3f0ef7fe27c699cb60d41129a3acd4a62be60accc85d88c296e1ddb",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"5f0480035ee23a12302c88be10e54bf3adbcf271a4bb1106d4975a28234d3af8",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"6243fd2826c528ee329599153355fd00153dee611ca33ec17effcf00205a6e4e",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"ebf6799bb86f0da2b05e66a0fe5a9b42df6dac848f4b951b2ed7b7a4866f19ef",
     "compiled HAFNIUM web shell (App_Web DLL)"},
    {"a8c63c418609c1c291b3e731ca85ded4b3e0fba83f3489c21a3199173b176a75",
     "FileExplorer ASPX web shell (March 2021)"},
    {"ac44513e5ef93d8cbc17219350682c2246af6d5eb85c1b4302141d94c3b06c90",
     "obfuscated Chopper-like web shell (March 2021)"},
    {"219468c10d2b9d61a8ae70dc8b6d2824ca8fbe4e53bbd925eeca270fef0fd640",
     "ProxyShell PST web shell"},
    {"367b8052db12cb9ddce01275fc213480831dc5fe9aa3da64fecc2360267905a0",
     "China Chopper supp0rt.aspx (APT41 report)"},
    {"c55672b5d2963969abe045fe75db52069d0300691d4f1f5923afeadf5353b9d2", "PowerCat"},
    {"2f4c948974da341412ab742e14d8cdd33c1efa22b90135fcfae891f08494ac32",
     "Nishang Invoke-PowerShellTcpOneLine"},
};

static const struct {
    const char *path, *what;
    exs_verdict v;
    exs_severity sev;
} builtin_paths[] = {
    /* ShadowPad / ESET "unattributed" activity, MSTIC feed. */
    {"C:\\Users\\Public\\opera\\opera_browser.exe", "ShadowPad loader path (ESET, MSTIC)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Windows\\Help\\mui\\0109\\mscoree.dll", "ShadowPad DLL path (ESET)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    /* Websiic (ESET). */
    {"C:\\Program Files\\System\\websvc.dll", "Websiic backdoor path (ESET)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Program Files\\Common Files\\Microsoft Shared\\WMI\\iiswmi.dll",
     "Websiic backdoor path (ESET)", EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    /* Mikroceen (ESET). */
    {"C:\\Users\\Public\\alg.exe", "Mikroceen tool path (ESET)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_HIGH},
    {"C:\\Users\\Public\\calcx.exe", "Mikroceen tool path (ESET)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_HIGH},
    {"C:\\Users\\Public\\Dump.exe", "Mikroceen tool path (ESET)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_HIGH},
    {"C:\\Users\\Public\\1.log", "Mikroceen output path (ESET)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_MEDIUM},
    /* Sigma HAFNIUM process rule, signature-base filename IOCs. */
    {"C:\\Windows\\Temp\\xx.bat", "HAFNIUM batch file path (Sigma, signature-base)",
     EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH},
    {"C:\\Windows\\Temp\\cw.exe", "HAFNIUM tool path (Sigma, signature-base)",
     EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH},
    {"C:\\Windows\\Temp\\__output",
     "shadow copy listing written by HAFNIUM (vssadmin list shadows > Temp\\__output)",
     EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM},
    {"C:\\Windows\\Temp\\Exchange.aspx", "web shell staged in Temp (signature-base)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Windows\\WwanSvcdcs\\*", "HAFNIUM staging folder (Sigma)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\VSPerfMon\\*", "fake VSPerfMon folder of HAFNIUM (Sigma)",
     EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH},
    {"C:\\ProgramData\\it.zip", "HAFNIUM staging archive (signature-base)", EXS_VERDICT_SUSPICIOUS,
     EXS_SEV_HIGH},
    /* ProxyShell-era drop folders served through rogue virtual directories (Huntress). */
    {"C:\\ProgramData\\COM1\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\CON\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\AUX\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\COM\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\WHO\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\XYZ\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\ZOO\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\ProgramData\\ZING\\*.aspx", "ProxyShell drop folder (Huntress)", EXS_VERDICT_EXPLOITATION,
     EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\COM1\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\CON\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\COM\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\WHO\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\XYZ\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\ZOO\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
    {"C:\\Users\\All Users\\ZING\\*.aspx", "ProxyShell drop folder (Huntress)",
     EXS_VERDICT_EXPLOITATION, EXS_SEV_HIGH},
};

static const struct {
    const char *var, *repl;
} env_vars[] = {
    {"%systemdrive%", ""},
    {"%windir%", "/windows"},
    {"%systemroot%", "/windows"},
    {"%programdata%", "/programdata"},
    {"%allusersprofile%", "/programdata"},
    {"%programfiles%", "/program files"},
    {"%public%", "/users/public"},
    {"%exchangeinstallpath%", "/program files/microsoft/exchange server/v15"},
};

size_t xs_ioc_path_key(const char *in, char *out, size_t cap)
{
    char tmp[XS_MAX_IOC_LINE + 64];
    size_t o = 0;
    if (!cap)
        return 0;
    if (strncmp(in, "\\\\?\\", 4) == 0 || strncmp(in, "//?/", 4) == 0)
        in += 4;
    if (((in[0] >= 'a' && in[0] <= 'z') || (in[0] >= 'A' && in[0] <= 'Z')) && in[1] == ':')
        in += 2;
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++) {
        size_t n = strlen(env_vars[i].var);
        if (strncasecmp(in, env_vars[i].var, n) == 0) {
            size_t r = strlen(env_vars[i].repl);
            memcpy(tmp, env_vars[i].repl, r);
            o = r;
            in += n;
            break;
        }
    }
    if (o == 0 && in[0] != '\\' && in[0] != '/')
        tmp[o++] = '/'; /* a bare file name or a relative path: match at a component start */
    for (; *in && o + 1 < sizeof tmp; in++) {
        char c = *in == '\\' ? '/' : xs_lower(*in);
        if (c == '/' && o && tmp[o - 1] == '/')
            continue;
        tmp[o++] = c;
    }
    tmp[o] = 0;
    const char *key = tmp;
    const char *cut = strstr(tmp, "/frontend/httpproxy/");
    if (!cut)
        cut = strstr(tmp, "/clientaccess/");
    if (cut)
        key = cut;
    size_t n = strlen(key);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, key, n);
    out[n] = 0;
    return n;
}

static xs_ioc *ioc_new(xs_iocset *s, xs_ioc_type t, const char *value, const char *source,
                        uint64_t line, xs_str note)
{
    if (s->total >= XS_MAX_IOCS)
        return NULL;
    xs_ioc *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->type = t;
    x->value = strdup(value);
    x->note = strndup(note.p ? note.p : "", note.n < 300 ? note.n : 300);
    x->source = source;
    x->line = line;
    if (!x->value || !x->note) {
        free(x->value);
        free(x->note);
        free(x);
        return NULL;
    }
    x->all = s->all;
    s->all = x;
    s->total++;
    return x;
}

static bool map_add(xs_strmap *m, const char *key, xs_ioc *x)
{
    xs_ioc *old = xs_strmap_get(m, key);
    x->next = old;
    return xs_strmap_put(m, key, x, NULL);
}

static const char *last_comp(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The longest run of a glob without '*' or '?'. Globs with classes or escapes keep none:
 * their runs are not plain text. */
static void glob_literal(xs_ioc *x)
{
    x->lit_off = x->lit_len = 0;
    if (strpbrk(x->glob, "[\\"))
        return;
    for (size_t i = 0; x->glob[i];) {
        size_t n = strcspn(x->glob + i, "*?");
        if (n > x->lit_len) {
            x->lit_off = i;
            x->lit_len = n;
        }
        i += n;
        i += x->glob[i] != 0;
    }
}

/* Adds one indicator. Returns false when it was not stored: the cap, a value that is not one,
 * or (*nomem set) memory. */
static bool add(xs_iocset *s, xs_ioc_type t, const char *value, const char *source, uint64_t line,
                xs_str note, exs_verdict v, exs_severity sev, bool user, bool *nomem)
{
    char key[XS_MAX_IOC_LINE + 1];
    xs_strmap *m = NULL;
    switch (t) {
    case XS_IOC_SHA256:
    case XS_IOC_SHA1:
    case XS_IOC_MD5: {
        /* one map for the three: their lengths keep them apart */
        size_t n = strlen(value);
        if (n != (t == XS_IOC_SHA256 ? 64u : t == XS_IOC_SHA1 ? 40u : 32u))
            return false;
        for (size_t i = 0; i <= n; i++)
            key[i] = xs_lower(value[i]);
        m = s->hash;
        break;
    }
    case XS_IOC_IP: {
        unsigned char b[16];
        if (inet_pton(AF_INET, value, b) == 1)
            inet_ntop(AF_INET, b, key, sizeof key);
        else if (inet_pton(AF_INET6, value, b) == 1)
            inet_ntop(AF_INET6, b, key, sizeof key);
        else
            return false;
        m = s->ip;
        break;
    }
    case XS_IOC_DOMAIN: {
        size_t n = strlen(value);
        while (n && value[n - 1] == '.')
            n--;
        if (n == 0 || n >= sizeof key)
            return false;
        for (size_t i = 0; i < n; i++)
            key[i] = xs_lower(value[i]);
        key[n] = 0;
        m = s->domain;
        break;
    }
    case XS_IOC_PATH:
        if (xs_ioc_path_key(value, key, sizeof key) < 2)
            return false;
        m = s->path;
        break;
    default:
        return false;
    }
    if (s->total >= XS_MAX_IOCS)
        return false;
    xs_ioc *x = ioc_new(s, t, key, source, line, note);
    if (!x) {
        *nomem = true;
        return false;
    }
    x->verdict = v;
    x->severity = sev;
    if (t == XS_IOC_PATH) {
        x->wildcard = strpbrk(key, "*?[") != NULL;
        if (!x->wildcard) {
            xs_webloc w;
            xs_webloc_of(key, &w);
            x->default_name = xs_web_has_allowlist(w.folder) &&
                              xs_web_allowlisted(&w, last_comp(key)) &&
                              xs_web_script_ext(key, strlen(key));
        }
        if (x->wildcard) {
            size_t kn = strlen(key);
            if (!(x->glob = malloc(kn + 2))) {
                *nomem = true;
                return false; /* x stays on s->all, freed with the set */
            }
            x->glob[0] = '*';
            memcpy(x->glob + 1, key, kn + 1);
            glob_literal(x);
            x->next = s->wild;
            s->wild = x;
        } else if (!map_add(m, last_comp(key), x)) {
            *nomem = true;
            return false;
        }
    } else if (!map_add(m, key, x)) {
        *nomem = true;
        return false;
    }
    s->count[t]++;
    if (user)
        s->user[t]++;
    return true;
}

void xs_iocset_destroy(xs_iocset *s)
{
    if (!s)
        return;
    xs_strmap_destroy(s->hash);
    xs_strmap_destroy(s->path);
    xs_strmap_destroy(s->ip);
    xs_strmap_destroy(s->domain);
    for (xs_ioc *x = s->all, *n; x; x = n) {
        n = x->all;
        free(x->value);
        free(x->note);
        free(x->glob);
        free(x);
    }
    for (size_t i = 0; i < s->nsources; i++)
        free(s->sources[i]);
    free(s->sources);
    xs_pathre_destroy(s->re);
    free(s->re_ioc);
    free(s);
}

exs_rc xs_iocset_create(xs_iocset **out)
{
    xs_iocset *s = calloc(1, sizeof *s);
    if (!s)
        return EXS_ENOMEM;
    s->max_file = XS_MAX_IOC_FILE;
    s->hash = xs_strmap_create();
    s->path = xs_strmap_create();
    s->ip = xs_strmap_create();
    s->domain = xs_strmap_create();
    if (!s->hash || !s->path || !s->ip || !s->domain)
        goto oom;
    bool nomem = false;
    for (size_t i = 0; i < sizeof builtin_hashes / sizeof builtin_hashes[0]; i++)
        if (!add(s, XS_IOC_SHA256, builtin_hashes[i].sha256, "built-in", 0,
                 xs_str_cstr(builtin_hashes[i].what), EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL,
                 false, &nomem))
            goto oom;
    for (size_t i = 0; i < sizeof builtin_paths / sizeof builtin_paths[0]; i++)
        if (!add(s, XS_IOC_PATH, builtin_paths[i].path, "built-in", 0,
                 xs_str_cstr(builtin_paths[i].what), builtin_paths[i].v, builtin_paths[i].sev,
                 false, &nomem))
            goto oom;
    *out = s;
    return EXS_OK;
oom:
    xs_iocset_destroy(s);
    return EXS_ENOMEM;
}

typedef struct load_ctx {
    xs_iocset *s;
    const char *source;
    xs_iocset_bad_fn bad;
    void *ctx;
    exs_rc failed; /* the first failure (memory, the path engine): the load fails with it */
} load_ctx;

static void on_bad(void *c, uint64_t line, const char *why)
{
    load_ctx *lc = c;
    if (lc->bad)
        lc->bad(lc->ctx, lc->source, line, why);
}

/* A Loki filename IOC: the expression goes to the set's path engine, the indicator (score,
 * description, source) to re_ioc under the expression's id. */
static void add_regex(load_ctx *lc, const xs_ioc_item *it)
{
    xs_iocset *s = lc->s;
    char err[200] = "", fp[XS_MAX_IOC_LINE + 1];
    if (s->total >= XS_MAX_IOCS) {
        on_bad(lc, it->line, "indicator cap reached");
        return;
    }
    if (it->score <= 0) {
        /* THOR lowers the total of other matches with these; exsweep reports expressions one by
         * one and has no total to lower */
        on_bad(lc, it->line, "filename expression with a score of 0 or below: not used");
        return;
    }
    exs_rc rc = s->re ? EXS_OK : xs_pathre_create(&s->re);
    if (rc == EXS_OK && !xs_grow((void **)&s->re_ioc, &s->capre, s->nre + 1, sizeof *s->re_ioc))
        rc = EXS_ENOMEM;
    /* the indicator first: an expression is only ever added with its entry ready */
    xs_ioc *x = rc == EXS_OK ? ioc_new(s, XS_IOC_PATH_REGEX, it->value, lc->source, it->line,
                                        it->note)
                              : NULL;
    if (!x) {
        lc->failed = rc == EXS_OK ? EXS_ENOMEM : rc;
        return;
    }
    snprintf(fp, sizeof fp, "%.*s", (int)it->fp.n, it->fp.p ? it->fp.p : "");
    rc = xs_pathre_add(s->re, (unsigned)s->nre, it->value, fp, err, sizeof err);
    if (rc == EXS_ERULE) {
        char why[260];
        snprintf(why, sizeof why, "filename expression not usable: %s", err);
        on_bad(lc, it->line, why);
        return; /* x stays on s->all, freed with the set */
    }
    if (rc != EXS_OK) {
        lc->failed = rc;
        return;
    }
    x->score = it->score;
    /* a name is a clue, not proof: suspicious, graded by the list's own score */
    x->verdict = EXS_VERDICT_SUSPICIOUS;
    x->severity = it->score >= 80 ? EXS_SEV_HIGH : it->score >= 60 ? EXS_SEV_MEDIUM : EXS_SEV_LOW;
    s->re_ioc[s->nre++] = x;
    s->count[XS_IOC_PATH_REGEX]++;
    s->user[XS_IOC_PATH_REGEX]++;
}

/* Digests of an empty file and of a lone line break (LF, CRLF), in the three lengths: lists
 * carry them by accident (Loki keeps the same list out). */
static bool empty_content_hash(const char *v)
{
    static const char *const h[] = {
        "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "68b329da9893e34099c7d8ad5cb9c940", "adc83b19e793491b1c6ea0fd8b46cd9f32e592fc",
        "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b",
        "81051bcc2cf1bedf378224b0a93e2877", "ba8ab5a0280b953aa97435ff8946cbcbb2755a27",
        "7eb70257593da06f682a3ddda54a9d260d4fc514f645237f5ca74b08f8da61a6",
    };
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
        if (strcasecmp(v, h[i]) == 0)
            return true;
    return false;
}

static void on_item(void *c, const xs_ioc_item *it)
{
    load_ctx *lc = c;
    if (lc->failed)
        return;
    if (it->type == XS_IOC_PATH_REGEX) {
        add_regex(lc, it);
        return;
    }
    bool hash = it->type == XS_IOC_SHA256 || it->type == XS_IOC_SHA1 || it->type == XS_IOC_MD5;
    if (hash && empty_content_hash(it->value)) {
        on_bad(c, it->line, "hash of an empty or one-line-break file: it would match every such file");
        return;
    }
    bool nomem = false;
    if (!add(lc->s, it->type, it->value, lc->source, it->line, it->note, EXS_VERDICT_EXPLOITATION,
             hash ? EXS_SEV_CRITICAL : EXS_SEV_HIGH, true, &nomem)) {
        if (nomem) {
            lc->failed = EXS_ENOMEM;
            return;
        }
        on_bad(c, it->line,
               lc->s->total >= XS_MAX_IOCS ? "indicator cap reached" : "indicator not usable");
    }
}

exs_rc xs_iocset_load_mem(xs_iocset *s, const char *name, const char *buf, size_t n,
                           xs_iocset_bad_fn bad, void *ctx)
{
    char **v = realloc(s->sources, (s->nsources + 1) * sizeof *v);
    if (!v)
        return EXS_ENOMEM;
    s->sources = v;
    char *src = strdup(name);
    if (!src)
        return EXS_ENOMEM;
    s->sources[s->nsources++] = src;
    load_ctx lc = {s, src, bad, ctx, EXS_OK};
    xs_ioclist_parse(buf, n, on_item, on_bad, &lc);
    return lc.failed;
}

void xs_iocset_set_max_file(xs_iocset *s, size_t max)
{
    s->max_file = max;
}

exs_rc xs_iocset_load(xs_iocset *s, const char *path, xs_iocset_bad_fn bad, void *ctx, char *err,
                       size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOMEM ? EXS_ENOMEM : e == EMFILE || e == ENFILE || e == EIO ? EXS_EIO : EXS_ERULE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return EXS_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return EXS_ERULE;
    }
    /* A list larger than the cap is read one byte past it: that byte says whether the line
     * at the cap ends there; and one more, which says whether the list goes on past that one
     * (a list of cap + 1 bytes is read whole, its last line ending at its end). */
    size_t cap = s->max_file;
    size_t n = (uint64_t)st.st_size > cap ? cap + 2 : (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory for the list (%zu bytes)", path, n + 1);
        close(fd);
        return EXS_ENOMEM;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            free(buf);
            return EXS_EIO;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got < n && (uint64_t)got < (uint64_t)st.st_size && bad)
        bad(ctx, path, 0, "list shorter than when it was opened (changed while read): the "
                          "indicators read are used");
    if (got > cap + 1) {
        got = cap + 1;
        /* The bytes after the last line break are the start of a line the cap cut: read, they
         * would be an indicator the list does not hold (an address or a domain cut short is
         * still one). The list ends at its last whole line. */
        const char *nl = memrchr(buf, '\n', got);
        got = nl ? (size_t)(nl - buf) + 1 : 0;
        uint64_t lines = 0;
        for (const char *p = buf; (p = memchr(p, '\n', got - (size_t)(p - buf))); p++)
            lines++;
        if (bad) {
            char size[32], why[160];
            if (cap % (1u << 20) == 0)
                snprintf(size, sizeof size, "%zu MiB", cap >> 20);
            else
                snprintf(size, sizeof size, "%zu bytes", cap);
            snprintf(why, sizeof why, "list larger than %s: read to its last whole line within "
                                      "them; this line and the rest are not read", size);
            bad(ctx, path, lines + 1, why);
        }
    }
    exs_rc rc = xs_iocset_load_mem(s, path, buf, got, bad, ctx);
    free(buf);
    if (rc != EXS_OK)
        snprintf(err, errlen, "%s: %s while loading the list", path, exs_strerror(rc));
    return rc;
}

const xs_ioc *xs_iocset_hash(const xs_iocset *s, const char *hex)
{
    return s && hex && *hex ? xs_strmap_get(s->hash, hex) : NULL;
}

const xs_ioc *xs_iocset_path(const xs_iocset *s, const char *norm)
{
    if (!s)
        return NULL;
    size_t nn = strlen(norm);
    for (const xs_ioc *x = xs_strmap_get(s->path, last_comp(norm)); x; x = x->next) {
        size_t kn = strlen(x->value);
        if (kn <= nn && memcmp(norm + nn - kn, x->value, kn) == 0)
            return x;
    }
    for (const xs_ioc *x = s->wild; x; x = x->next) {
        /* a memmem per indicator: fnmatch on every file was about 1% of the perf samples of a
         * sweep of 2139 small logs (bench/README.md, "Where the time goes") */
        if (x->lit_len && !memmem(norm, nn, x->glob + x->lit_off, x->lit_len))
            continue;
        if (fnmatch(x->glob, norm, 0) == 0)
            return x;
    }
    return NULL;
}

const xs_ioc *xs_iocset_ip(const xs_iocset *s, const char *ip)
{
    if (!s || !ip || !*ip || xs_strmap_count(s->ip) == 0)
        return NULL;
    unsigned char b[16];
    char key[64];
    if (inet_pton(AF_INET, ip, b) == 1)
        inet_ntop(AF_INET, b, key, sizeof key);
    else if (inet_pton(AF_INET6, ip, b) == 1)
        inet_ntop(AF_INET6, b, key, sizeof key);
    else
        return NULL;
    return xs_strmap_get(s->ip, key);
}

const xs_ioc *xs_iocset_domain(const xs_iocset *s, const char *host)
{
    if (!s || !host || xs_strmap_count(s->domain) == 0)
        return NULL;
    char key[256];
    size_t n = strcspn(host, ":/");
    if (n == 0 || n >= sizeof key)
        return NULL;
    for (size_t i = 0; i < n; i++)
        key[i] = xs_lower(host[i]);
    key[n] = 0;
    for (const char *p = key; p && *p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL) {
        const xs_ioc *x = xs_strmap_get(s->domain, p);
        if (x)
            return x;
    }
    return NULL;
}

exs_rc xs_iocset_compile(xs_iocset *s, char *err, size_t errlen)
{
    return s && s->re ? xs_pathre_compile(s->re, err, errlen) : EXS_OK;
}

const xs_pathre *xs_iocset_regexes(const xs_iocset *s)
{
    return s && s->nre ? s->re : NULL;
}

typedef struct best_ctx {
    const xs_iocset *s;
    const xs_ioc *best;
} best_ctx;

/* The highest score; the earliest line among equals. */
static void keep_best(void *ctx, unsigned id)
{
    best_ctx *b = ctx;
    const xs_ioc *x = id < b->s->nre ? b->s->re_ioc[id] : NULL;
    if (x && (!b->best || x->score > b->best->score ||
              (x->score == b->best->score && x->line < b->best->line)))
        b->best = x;
}

const xs_ioc *xs_iocset_path_regex(const xs_iocset *s, xs_pathre_scratch *scr,
                                     const char *winpath, size_t *count)
{
    *count = 0;
    if (!s || !s->nre || !scr)
        return NULL;
    best_ctx b = {s, NULL};
    long k = xs_pathre_match(s->re, scr, winpath, strlen(winpath), keep_best, &b);
    if (k <= 0)
        return NULL;
    *count = (size_t)k;
    return b.best;
}

static bool top_folder(const char *p, size_t n)
{
    static const char *const tops[] = {"windows", "program files", "program files (x86)",
                                       "programdata", "users", "inetpub"};
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
        if (strlen(tops[i]) == n && memcmp(p, tops[i], n) == 0)
            return true;
    return false;
}

/* A one-letter component ("c", or "c:" as "C%3A" of a Velociraptor collection decodes) of n
 * bytes at p. */
static bool drive_letter(const char *p, size_t n)
{
    return n >= 1 && p[0] >= 'a' && p[0] <= 'z' && (n == 1 || (n == 2 && p[1] == ':'));
}

void xs_ioc_winpath(const char *norm, const char *rel, char *out, size_t cap)
{
    if (cap == 0)
        return;
    const char *rest = norm;
    char drive = 0;
    char relnorm[XS_MAX_PATH * 2 + 4];
    bool from_rel = false;
    if (rel) {
        /* a collection with a drive folder near its top (KAPE's C, a host folder's C, a
         * Velociraptor upload's C%3A, a second root's prefix): every file under it gets the
         * letter, C:\temp\x.exe as much as C:\Windows\... */
        xs_norm_path(xs_str_cstr(rel), relnorm, sizeof relnorm, '_');
        const char *p = relnorm;
        for (int level = 0; level < 3 && *p && !from_rel; level++) {
            while (*p == '/')
                p++;
            size_t n = strcspn(p, "/");
            if (drive_letter(p, n) && p[n] == '/' && p[n + 1]) {
                drive = p[0];
                rest = p + n;
                from_rel = true;
            }
            p += n;
        }
    }
    /* the drive: the last one-letter folder ("c", or "c:" as "C%3A" of a Velociraptor
     * collection decodes) followed by a Windows top folder; the last, since the case folder
     * may itself sit on a drive (/mnt/c/cases/x/C/Windows/...) */
    for (const char *p = from_rel ? "" : norm; *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (drive_letter(p, n) && p[n] == '/') {
            const char *nx = p + n + 1;
            if (top_folder(nx, strcspn(nx, "/"))) {
                drive = p[0];
                rest = p + n;
            }
        }
        p += n;
    }
    size_t o = 0;
    if (drive && cap > 3) {
        out[o++] = drive;
        out[o++] = ':';
    }
    if (*rest != '/' && o + 1 < cap)
        out[o++] = '\\';
    for (; *rest && o + 1 < cap; rest++)
        out[o++] = *rest == '/' ? '\\' : *rest;
    out[o] = 0;
}

size_t xs_iocset_count(const xs_iocset *s, xs_ioc_type t)
{
    return s && t < XS_IOC__COUNT ? s->count[t] : 0;
}

size_t xs_iocset_count_user(const xs_iocset *s, xs_ioc_type t)
{
    return s && t < XS_IOC__COUNT ? s->user[t] : 0;
}

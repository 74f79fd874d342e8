/* The project's own calls, wrapped at link time (-Wl,--wrap=NAME makes every undefined
 * reference to NAME in the linked objects a reference to __wrap_NAME, and __real_NAME the
 * original). Each wrapper asks t_fault() and fails the call the way its documentation says it
 * fails. The list of wrapped names is in the Makefile (TORTURE_WRAP); every name there has a
 * wrapper here. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <archive.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include "fault.h"

const int t_fault_caps = T_EV_ALLOC | T_EV_READ | T_EV_SHORT;

/* The prototypes -Wmissing-prototypes wants, for both names of each wrapped call. */
#define PAIR(ret, name, args)                                                                      \
    ret __real_##name args;                                                                        \
    ret __wrap_##name args

/* ---------------------------------------------------------------- memory */

PAIR(void *, malloc, (size_t n));
void *__wrap_malloc(size_t n)
{
    if (t_fault(T_EV_ALLOC, "malloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_malloc(n);
}

PAIR(void *, calloc, (size_t n, size_t m));
void *__wrap_calloc(size_t n, size_t m)
{
    if (t_fault(T_EV_ALLOC, "calloc")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_calloc(n, m);
}

PAIR(void *, realloc, (void *p, size_t n));
void *__wrap_realloc(void *p, size_t n)
{
    if (t_fault(T_EV_ALLOC, "realloc")) {
        errno = ENOMEM;
        return NULL; /* p stays valid, as realloc leaves it */
    }
    return __real_realloc(p, n);
}

PAIR(char *, strdup, (const char *s));
char *__wrap_strdup(const char *s)
{
    if (t_fault(T_EV_ALLOC, "strdup")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strdup(s);
}

PAIR(char *, strndup, (const char *s, size_t n));
char *__wrap_strndup(const char *s, size_t n)
{
    if (t_fault(T_EV_ALLOC, "strndup")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_strndup(s, n);
}

/* libc calls that allocate inside libc */

PAIR(DIR *, fdopendir, (int fd));
DIR *__wrap_fdopendir(int fd)
{
    if (t_fault(T_EV_ALLOC, "fdopendir")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_fdopendir(fd);
}

PAIR(DIR *, opendir, (const char *path));
DIR *__wrap_opendir(const char *path)
{
    if (t_fault(T_EV_ALLOC, "opendir")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_opendir(path);
}

PAIR(FILE *, fopen, (const char *path, const char *mode));
FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (t_fault(T_EV_ALLOC, "fopen")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_fopen(path, mode);
}

PAIR(char *, realpath, (const char *path, char *resolved));
char *__wrap_realpath(const char *path, char *resolved)
{
    if (t_fault(T_EV_ALLOC, "realpath")) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_realpath(path, resolved);
}

/* atexit allocates a block for handlers past the first 32; without one it returns -1 */
PAIR(int, atexit, (void (*fn)(void)));
int __wrap_atexit(void (*fn)(void))
{
    if (t_fault(T_EV_ALLOC, "atexit")) {
        errno = ENOMEM;
        return -1;
    }
    return __real_atexit(fn);
}

/* descriptors: the process ran out of them */

/* The mode argument of open and openat, present only when the flags create a file. */
#define OPEN_MODE(flags, mode)                                                                     \
    do {                                                                                           \
        if ((flags) & (O_CREAT | O_TMPFILE)) {                                                     \
            va_list ap;                                                                            \
            va_start(ap, flags);                                                                   \
            (mode) = (mode_t)va_arg(ap, int);                                                      \
            va_end(ap);                                                                            \
        }                                                                                          \
    } while (0)

PAIR(int, open, (const char *path, int flags, ...));
int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    OPEN_MODE(flags, mode);
    if (t_fault(T_EV_ALLOC, "open")) {
        errno = EMFILE;
        return -1;
    }
    return __real_open(path, flags, mode);
}

PAIR(int, openat, (int dirfd, const char *path, int flags, ...));
int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    OPEN_MODE(flags, mode);
    if (t_fault(T_EV_ALLOC, "openat")) {
        errno = EMFILE;
        return -1;
    }
    return __real_openat(dirfd, path, flags, mode);
}

/* ---------------------------------------------------------------- reads */

/* A read fault at this call: 1 when the read fails (errno EIO); or *n halved (a short read). */
static int read_fault(const char *name, size_t *n)
{
    switch (t_fault(T_EV_READ | T_EV_SHORT, name)) {
    case T_FAIL:
        errno = EIO;
        return 1;
    case T_SHORTEN:
        if (*n > 1)
            *n = (*n + 1) / 2;
        return 0;
    default:
        return 0;
    }
}

PAIR(ssize_t, pread, (int fd, void *buf, size_t n, off_t off));
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
    if (read_fault("pread", &n))
        return -1;
    return __real_pread(fd, buf, n, off);
}

PAIR(ssize_t, read, (int fd, void *buf, size_t n));
ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (read_fault("read", &n))
        return -1;
    return __real_read(fd, buf, n);
}

PAIR(struct dirent *, readdir, (DIR *d));
struct dirent *__wrap_readdir(DIR *d)
{
    if (t_fault(T_EV_READ, "readdir")) {
        errno = EIO;
        return NULL;
    }
    return __real_readdir(d);
}

PAIR(int, fstat, (int fd, struct stat *st));
int __wrap_fstat(int fd, struct stat *st)
{
    if (t_fault(T_EV_READ, "fstat")) {
        errno = EIO;
        return -1;
    }
    return __real_fstat(fd, st);
}

PAIR(int, fstatat, (int dirfd, const char *path, struct stat *st, int flags));
int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    if (t_fault(T_EV_READ, "fstatat")) {
        errno = EIO;
        return -1;
    }
    return __real_fstatat(dirfd, path, st, flags);
}

/* ---------------------------------------------------------------- libarchive
 * Allocation failures are ARCHIVE_FATAL with archive_errno() ENOMEM (archive_read_new: NULL);
 * archive_read_data may also return fewer bytes than asked at any time. */

PAIR(struct archive *, archive_read_new, (void));
struct archive *__wrap_archive_read_new(void)
{
    return t_fault(T_EV_ALLOC, "archive_read_new") ? NULL : __real_archive_read_new();
}

#define ARCHIVE_NOMEM(name, args, call)                                                            \
    PAIR(int, name, args);                                                                         \
    int __wrap_##name args                                                                         \
    {                                                                                              \
        if (t_fault(T_EV_ALLOC, #name)) {                                                          \
            archive_set_error(a, ENOMEM, "%s: out of memory (injected)", #name);                   \
            return ARCHIVE_FATAL;                                                                  \
        }                                                                                          \
        return __real_##name call;                                                                 \
    }

ARCHIVE_NOMEM(archive_read_open1, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_next_header, (struct archive * a, struct archive_entry **e), (a, e))
ARCHIVE_NOMEM(archive_read_support_format_7zip, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_ar, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_cab, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_cpio, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_empty, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_iso9660, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_lha, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_mtree, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_rar, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_rar5, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_raw, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_tar, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_warc, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_xar, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_format_zip, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_bzip2, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_compress, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_gzip, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_lz4, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_lzip, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_lzma, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_xz, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_zstd, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_uu, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_rpm, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_lrzip, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_lzop, (struct archive * a), (a))
ARCHIVE_NOMEM(archive_read_support_filter_grzip, (struct archive * a), (a))

PAIR(la_ssize_t, archive_read_data, (struct archive * a, void *buf, size_t n));
la_ssize_t __wrap_archive_read_data(struct archive *a, void *buf, size_t n)
{
    switch (t_fault(T_EV_ALLOC | T_EV_SHORT, "archive_read_data")) {
    case T_FAIL:
        archive_set_error(a, ENOMEM, "archive_read_data: out of memory (injected)");
        return ARCHIVE_FATAL;
    case T_SHORTEN:
        if (n > 1)
            n = (n + 1) / 2;
        break;
    default:
        break;
    }
    return __real_archive_read_data(a, buf, n);
}

/* ---------------------------------------------------------------- OpenSSL: 0 or NULL */

PAIR(int, OPENSSL_init_crypto, (uint64_t opts, const OPENSSL_INIT_SETTINGS *settings));
int __wrap_OPENSSL_init_crypto(uint64_t opts, const OPENSSL_INIT_SETTINGS *settings)
{
    return t_fault(T_EV_ALLOC, "OPENSSL_init_crypto") ? 0 : __real_OPENSSL_init_crypto(opts, settings);
}

PAIR(EVP_MD *, EVP_MD_fetch, (OSSL_LIB_CTX * ctx, const char *alg, const char *props));
EVP_MD *__wrap_EVP_MD_fetch(OSSL_LIB_CTX *ctx, const char *alg, const char *props)
{
    return t_fault(T_EV_ALLOC, "EVP_MD_fetch") ? NULL : __real_EVP_MD_fetch(ctx, alg, props);
}

PAIR(EVP_MD_CTX *, EVP_MD_CTX_new, (void));
EVP_MD_CTX *__wrap_EVP_MD_CTX_new(void)
{
    return t_fault(T_EV_ALLOC, "EVP_MD_CTX_new") ? NULL : __real_EVP_MD_CTX_new();
}

PAIR(int, EVP_DigestInit_ex, (EVP_MD_CTX * c, const EVP_MD *md, ENGINE *e));
int __wrap_EVP_DigestInit_ex(EVP_MD_CTX *c, const EVP_MD *md, ENGINE *e)
{
    return t_fault(T_EV_ALLOC, "EVP_DigestInit_ex") ? 0 : __real_EVP_DigestInit_ex(c, md, e);
}

PAIR(int, EVP_DigestUpdate, (EVP_MD_CTX * c, const void *p, size_t n));
int __wrap_EVP_DigestUpdate(EVP_MD_CTX *c, const void *p, size_t n)
{
    return t_fault(T_EV_ALLOC, "EVP_DigestUpdate") ? 0 : __real_EVP_DigestUpdate(c, p, n);
}

PAIR(int, EVP_DigestFinal_ex, (EVP_MD_CTX * c, unsigned char *d, unsigned int *n));
int __wrap_EVP_DigestFinal_ex(EVP_MD_CTX *c, unsigned char *d, unsigned int *n)
{
    return t_fault(T_EV_ALLOC, "EVP_DigestFinal_ex") ? 0 : __real_EVP_DigestFinal_ex(c, d, n);
}

PAIR(int, EVP_Digest,
     (const void *p, size_t n, unsigned char *d, unsigned int *dl, const EVP_MD *md, ENGINE *e));
int __wrap_EVP_Digest(const void *p, size_t n, unsigned char *d, unsigned int *dl, const EVP_MD *md,
                      ENGINE *e)
{
    return t_fault(T_EV_ALLOC, "EVP_Digest") ? 0 : __real_EVP_Digest(p, n, d, dl, md, e);
}

/* ---------------------------------------------------------------- libyara:
 * ERROR_INSUFFICIENT_MEMORY; yr_compiler_add_* return their error count. */

PAIR(int, yr_initialize, (void));
int __wrap_yr_initialize(void)
{
    return t_fault(T_EV_ALLOC, "yr_initialize") ? ERROR_INSUFFICIENT_MEMORY : __real_yr_initialize();
}

PAIR(int, yr_compiler_create, (YR_COMPILER * *c));
int __wrap_yr_compiler_create(YR_COMPILER **c)
{
    return t_fault(T_EV_ALLOC, "yr_compiler_create") ? ERROR_INSUFFICIENT_MEMORY
                                                     : __real_yr_compiler_create(c);
}

PAIR(int, yr_compiler_add_string, (YR_COMPILER * c, const char *s, const char *ns));
int __wrap_yr_compiler_add_string(YR_COMPILER *c, const char *s, const char *ns)
{
    return t_fault(T_EV_ALLOC, "yr_compiler_add_string") ? 1 : __real_yr_compiler_add_string(c, s, ns);
}

PAIR(int, yr_compiler_add_file, (YR_COMPILER * c, FILE *f, const char *ns, const char *name));
int __wrap_yr_compiler_add_file(YR_COMPILER *c, FILE *f, const char *ns, const char *name)
{
    return t_fault(T_EV_ALLOC, "yr_compiler_add_file") ? 1
                                                       : __real_yr_compiler_add_file(c, f, ns, name);
}

PAIR(int, yr_compiler_define_string_variable, (YR_COMPILER * c, const char *id, const char *v));
int __wrap_yr_compiler_define_string_variable(YR_COMPILER *c, const char *id, const char *v)
{
    return t_fault(T_EV_ALLOC, "yr_compiler_define_string_variable")
               ? ERROR_INSUFFICIENT_MEMORY
               : __real_yr_compiler_define_string_variable(c, id, v);
}

PAIR(int, yr_compiler_get_rules, (YR_COMPILER * c, YR_RULES **r));
int __wrap_yr_compiler_get_rules(YR_COMPILER *c, YR_RULES **r)
{
    return t_fault(T_EV_ALLOC, "yr_compiler_get_rules") ? ERROR_INSUFFICIENT_MEMORY
                                                        : __real_yr_compiler_get_rules(c, r);
}

PAIR(int, yr_scanner_create, (YR_RULES * r, YR_SCANNER **s));
int __wrap_yr_scanner_create(YR_RULES *r, YR_SCANNER **s)
{
    return t_fault(T_EV_ALLOC, "yr_scanner_create") ? ERROR_INSUFFICIENT_MEMORY
                                                    : __real_yr_scanner_create(r, s);
}

PAIR(int, yr_scanner_define_string_variable, (YR_SCANNER * s, const char *id, const char *v));
int __wrap_yr_scanner_define_string_variable(YR_SCANNER *s, const char *id, const char *v)
{
    return t_fault(T_EV_ALLOC, "yr_scanner_define_string_variable")
               ? ERROR_INSUFFICIENT_MEMORY
               : __real_yr_scanner_define_string_variable(s, id, v);
}

PAIR(int, yr_scanner_scan_mem, (YR_SCANNER * s, const uint8_t *p, size_t n));
int __wrap_yr_scanner_scan_mem(YR_SCANNER *s, const uint8_t *p, size_t n)
{
    return t_fault(T_EV_ALLOC, "yr_scanner_scan_mem") ? ERROR_INSUFFICIENT_MEMORY
                                                      : __real_yr_scanner_scan_mem(s, p, n);
}

/* ---------------------------------------------------------------- Vectorscan: HS_NOMEM; a
 * compiler error (HS_COMPILER_ERROR with an error of expression -1, "Unable to allocate
 * memory"), made by the library itself from an empty expression list. */

PAIR(hs_error_t, hs_compile_multi,
     (const char *const *ex, const unsigned *fl, const unsigned *ids, unsigned n, unsigned mode,
      const hs_platform_info_t *pl, hs_database_t **db, hs_compile_error_t **ce));

static hs_error_t compile_failure(hs_compile_error_t **ce)
{
    hs_database_t *db = NULL;
    hs_error_t e = __real_hs_compile_multi(NULL, NULL, NULL, 0, HS_MODE_BLOCK, NULL, &db, ce);
    hs_free_database(db);
    return e == HS_SUCCESS ? HS_COMPILER_ERROR : e;
}

PAIR(hs_error_t, hs_alloc_scratch, (const hs_database_t *db, hs_scratch_t **s));
hs_error_t __wrap_hs_alloc_scratch(const hs_database_t *db, hs_scratch_t **s)
{
    return t_fault(T_EV_ALLOC, "hs_alloc_scratch") ? HS_NOMEM : __real_hs_alloc_scratch(db, s);
}

PAIR(hs_error_t, hs_deserialize_database, (const char *b, const size_t n, hs_database_t **db));
hs_error_t __wrap_hs_deserialize_database(const char *b, const size_t n, hs_database_t **db)
{
    return t_fault(T_EV_ALLOC, "hs_deserialize_database") ? HS_NOMEM
                                                          : __real_hs_deserialize_database(b, n, db);
}

hs_error_t __wrap_hs_compile_multi(const char *const *ex, const unsigned *fl, const unsigned *ids,
                                   unsigned n, unsigned mode, const hs_platform_info_t *pl,
                                   hs_database_t **db, hs_compile_error_t **ce)
{
    if (t_fault(T_EV_ALLOC, "hs_compile_multi"))
        return compile_failure(ce);
    return __real_hs_compile_multi(ex, fl, ids, n, mode, pl, db, ce);
}

PAIR(hs_error_t, hs_compile_lit_multi,
     (const char *const *ex, const unsigned *fl, const unsigned *ids, const size_t *lens,
      unsigned n, unsigned mode, const hs_platform_info_t *pl, hs_database_t **db,
      hs_compile_error_t **ce));
hs_error_t __wrap_hs_compile_lit_multi(const char *const *ex, const unsigned *fl,
                                       const unsigned *ids, const size_t *lens, unsigned n,
                                       unsigned mode, const hs_platform_info_t *pl,
                                       hs_database_t **db, hs_compile_error_t **ce)
{
    if (t_fault(T_EV_ALLOC, "hs_compile_lit_multi"))
        return compile_failure(ce);
    return __real_hs_compile_lit_multi(ex, fl, ids, lens, n, mode, pl, db, ce);
}

PAIR(hs_error_t, hs_expression_info,
     (const char *ex, unsigned fl, hs_expr_info_t **info, hs_compile_error_t **ce));
hs_error_t __wrap_hs_expression_info(const char *ex, unsigned fl, hs_expr_info_t **info,
                                     hs_compile_error_t **ce)
{
    if (t_fault(T_EV_ALLOC, "hs_expression_info")) {
        *info = NULL;
        return compile_failure(ce);
    }
    return __real_hs_expression_info(ex, fl, info, ce);
}

PAIR(hs_error_t, hs_scan,
     (const hs_database_t *db, const char *p, unsigned n, unsigned fl, hs_scratch_t *s,
      match_event_handler fn, void *ctx));
hs_error_t __wrap_hs_scan(const hs_database_t *db, const char *p, unsigned n, unsigned fl,
                          hs_scratch_t *s, match_event_handler fn, void *ctx)
{
    /* hs_scan allocates nothing; a failure of the engine all the same (HS_UNKNOWN_ERROR) */
    return t_fault(T_EV_ALLOC, "hs_scan") ? HS_UNKNOWN_ERROR : __real_hs_scan(db, p, n, fl, s, fn, ctx);
}

/* ---------------------------------------------------------------- PCRE2 */

PAIR(pcre2_code *, pcre2_compile_8,
     (PCRE2_SPTR re, PCRE2_SIZE n, uint32_t opt, int *code, PCRE2_SIZE *at,
      pcre2_compile_context *cc));
pcre2_code *__wrap_pcre2_compile_8(PCRE2_SPTR re, PCRE2_SIZE n, uint32_t opt, int *code,
                                   PCRE2_SIZE *at, pcre2_compile_context *cc)
{
    if (t_fault(T_EV_ALLOC, "pcre2_compile")) {
        *code = PCRE2_ERROR_HEAP_FAILED;
        *at = 0;
        return NULL;
    }
    return __real_pcre2_compile_8(re, n, opt, code, at, cc);
}

PAIR(pcre2_match_data *, pcre2_match_data_create_8, (uint32_t n, pcre2_general_context *g));
pcre2_match_data *__wrap_pcre2_match_data_create_8(uint32_t n, pcre2_general_context *g)
{
    return t_fault(T_EV_ALLOC, "pcre2_match_data_create") ? NULL
                                                          : __real_pcre2_match_data_create_8(n, g);
}

PAIR(pcre2_match_context *, pcre2_match_context_create_8, (pcre2_general_context * g));
pcre2_match_context *__wrap_pcre2_match_context_create_8(pcre2_general_context *g)
{
    return t_fault(T_EV_ALLOC, "pcre2_match_context_create") ? NULL
                                                             : __real_pcre2_match_context_create_8(g);
}

PAIR(int, pcre2_match_8,
     (const pcre2_code *c, PCRE2_SPTR s, PCRE2_SIZE n, PCRE2_SIZE off, uint32_t opt,
      pcre2_match_data *md, pcre2_match_context *mc));
int __wrap_pcre2_match_8(const pcre2_code *c, PCRE2_SPTR s, PCRE2_SIZE n, PCRE2_SIZE off,
                         uint32_t opt, pcre2_match_data *md, pcre2_match_context *mc)
{
    return t_fault(T_EV_ALLOC, "pcre2_match") ? PCRE2_ERROR_NOMEMORY
                                              : __real_pcre2_match_8(c, s, n, off, opt, md, mc);
}

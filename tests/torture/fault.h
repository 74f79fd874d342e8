/* Fault injection for the torture driver (tests/torture/torture.c).
 *
 * Every call that can fail for lack of a resource or of the disk goes through t_fault(),
 * which the driver implements: it counts the calls of the class it is testing and says, for
 * the Nth one, to fail it (or, for reads, to return fewer bytes than asked). Two ways in:
 *
 *   fault_wrap.c  the link wraps the project's own calls (-Wl,--wrap=malloc,...): malloc and
 *                 friends, the libc calls that allocate (fopen, opendir, ...), open (EMFILE),
 *                 read/readdir/fstat (EIO, short reads), and the third-party calls that can
 *                 fail for lack of memory, each failed the way its header documents
 *                 (archive_read_new NULL, hs_alloc_scratch HS_NOMEM, EVP_MD_fetch NULL,
 *                 yr_scanner_scan_mem ERROR_INSUFFICIENT_MEMORY, pcre2_match NOMEMORY, ...).
 *                 Only the project's objects are wrapped: libraries' own calls are not.
 *   fault_libs.c  malloc itself is replaced for the whole process (every allocation of
 *                 libarchive, OpenSSL, libyara, Vectorscan, PCRE2 and libc counts): what the
 *                 libraries really do when memory runs out. Not under ASan, which owns malloc.
 */
#ifndef XS_TEST_FAULT_H
#define XS_TEST_FAULT_H

/* Classes of calls (a call may belong to several). */
enum {
    T_EV_ALLOC = 1, /* can fail for lack of a resource: memory, descriptors */
    T_EV_READ = 2,  /* can fail with EIO */
    T_EV_SHORT = 4, /* can return fewer bytes than asked */
};

/* What the wrapper does. */
enum {
    T_GO = 0,      /* call through */
    T_FAIL = 1,    /* fail the call: ENOMEM-like in the alloc class, EIO in the read class */
    T_SHORTEN = 2, /* ask for fewer bytes */
};

/* Defined by the driver. ev: T_EV_* bits of the call; what: its name (static). */
int t_fault(int ev, const char *what);

/* Defined by the fault module linked in: the classes it can inject. */
extern const int t_fault_caps;

#endif

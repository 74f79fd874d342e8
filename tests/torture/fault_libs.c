/* malloc replaced for the whole process (glibc supports it: "Replacing malloc" in its manual),
 * forwarding to glibc's own allocator: every allocation counts, libarchive's, OpenSSL's,
 * libyara's, Vectorscan's (C++ operator new ends in malloc), PCRE2's and libc's too. Linked only
 * into build/torture-libs, never under ASan (which replaces malloc itself). Reads are not
 * injected here: build/torture does that. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"

const int t_fault_caps = T_EV_ALLOC;

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);
void *__libc_memalign(size_t align, size_t n);
void *__libc_valloc(size_t n);
void *__libc_pvalloc(size_t n);

void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);
void free(void *p);
void *memalign(size_t align, size_t n);
int posix_memalign(void **out, size_t align, size_t n);
void *aligned_alloc(size_t align, size_t n);
void *valloc(size_t n);
void *pvalloc(size_t n);

static int fail(const char *what)
{
    if (t_fault(T_EV_ALLOC, what)) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    return fail("malloc") ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    return fail("calloc") ? NULL : __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    if (p && n == 0) { /* a free: it cannot fail */
        __libc_free(p);
        return NULL;
    }
    return fail("realloc") ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

void *memalign(size_t align, size_t n)
{
    return fail("memalign") ? NULL : __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    return fail("aligned_alloc") ? NULL : __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    if (fail("posix_memalign"))
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return fail("valloc") ? NULL : __libc_valloc(n);
}

void *pvalloc(size_t n)
{
    return fail("pvalloc") ? NULL : __libc_pvalloc(n);
}

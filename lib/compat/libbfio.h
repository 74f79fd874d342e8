/* Stand-in for libbfio.h, which libregf.h includes but Debian's libregf-dev does not ship (no
 * libbfio-dev package): libregf.h needs only the handle type, for the two calls that take a
 * Basic File IO handle, which exsweep does not use (parsers/hive.c opens hives by path).
 * Found after the system headers (-idirafter), so a real libbfio.h wins when installed. */
#ifndef XS_COMPAT_LIBBFIO_H
#define XS_COMPAT_LIBBFIO_H

#include <stdint.h>

typedef intptr_t libbfio_handle_t;

#endif

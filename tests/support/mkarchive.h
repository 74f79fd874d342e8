/* Test support: write small archives (zip, tar.gz) with libarchive. */
#ifndef XS_TEST_MKARCHIVE_H
#define XS_TEST_MKARCHIVE_H

#include <stddef.h>

/* Writes an archive at path holding members names[i] with bytes datas[i] (lens[i] bytes, or
 * strlen when lens is NULL); names is NULL-terminated. format: "zip" or "tar.gz" or "7z".
 * Returns 0 on success. */
int t_write_archive(const char *path, const char *format, const char *const *names,
                    const char *const *datas, const size_t *lens);

/* A zip in memory holding one member `name` (data, n bytes) stored uncompressed, dated
 * mtime (seconds since the epoch, written as the DOS time of its UTC calendar date), built
 * byte by byte: the same bytes whatever the libarchive and zlib versions. *len receives the
 * size; the caller frees the result. NULL when out of memory. */
unsigned char *t_zip_stored(const char *name, const void *data, size_t n, long long mtime,
                            size_t *len);

#endif

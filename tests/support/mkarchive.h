/* Test support: write small archives (zip, tar.gz) with libarchive. */
#ifndef XS_TEST_MKARCHIVE_H
#define XS_TEST_MKARCHIVE_H

#include <stddef.h>

/* Writes an archive at path holding members names[i] with bytes datas[i] (lens[i] bytes, or
 * strlen when lens is NULL); names is NULL-terminated. format: "zip" or "tar.gz" or "7z".
 * Returns 0 on success. */
int t_write_archive(const char *path, const char *format, const char *const *names,
                    const char *const *datas, const size_t *lens);

#endif

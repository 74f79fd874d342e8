/* Test support: write small archives with libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mkarchive.h"

int t_write_archive(const char *path, const char *format, const char *const *names,
                    const char *const *datas, const size_t *lens)
{
    struct archive *a = archive_write_new();
    if (!a)
        return -1;
    int rc = -1;
    if (strcmp(format, "zip") == 0)
        archive_write_set_format_zip(a);
    else if (strcmp(format, "7z") == 0)
        archive_write_set_format_7zip(a);
    else {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    }
    if (archive_write_open_filename(a, path) != ARCHIVE_OK)
        goto out;
    for (size_t i = 0; names[i]; i++) {
        size_t n = lens ? lens[i] : strlen(datas[i]);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)n);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1614729600, 0);
        if (archive_write_header(a, e) != ARCHIVE_OK ||
            archive_write_data(a, datas[i], n) != (la_ssize_t)n) {
            archive_entry_free(e);
            goto out;
        }
        archive_entry_free(e);
    }
    rc = 0;
out:
    if (archive_write_close(a) != ARCHIVE_OK)
        rc = -1;
    archive_write_free(a);
    return rc;
}

static uint32_t zip_crc32(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

static unsigned char *le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

/* The fields the local header and the central directory entry share, from "version needed"
 * to the name's length. */
static unsigned char *zip_common(unsigned char *p, uint32_t dos_time, uint32_t dos_date,
                                 uint32_t crc, size_t n, size_t nl)
{
    p = le(p, 10, 2); /* version needed: 1.0, stored */
    p = le(p, 0, 2);  /* flags */
    p = le(p, 0, 2);  /* method: stored */
    p = le(p, dos_time, 2);
    p = le(p, dos_date, 2);
    p = le(p, crc, 4);
    p = le(p, (uint32_t)n, 4); /* compressed size */
    p = le(p, (uint32_t)n, 4);
    return le(p, (uint32_t)nl, 2);
}

unsigned char *t_zip_stored(const char *name, const void *data, size_t n, long long mtime,
                            size_t *len)
{
    size_t nl = strlen(name);
    size_t total = 30 + nl + n + 46 + nl + 22;
    unsigned char *z = malloc(total), *p = z;
    if (!z)
        return NULL;
    time_t t = (time_t)mtime;
    struct tm tm;
    gmtime_r(&t, &tm);
    uint32_t dos_time = (uint32_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    uint32_t dos_date = (uint32_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
    uint32_t crc = zip_crc32(data, n);
    /* local file header, the data */
    p = le(p, 0x04034b50u, 4);
    p = zip_common(p, dos_time, dos_date, crc, n, nl);
    p = le(p, 0, 2); /* extra */
    memcpy(p, name, nl);
    p += nl;
    memcpy(p, data, n);
    p += n;
    /* central directory */
    uint32_t cd = (uint32_t)(p - z);
    p = le(p, 0x02014b50u, 4);
    p = le(p, 63, 2); /* made by: MS-DOS, 6.3 */
    p = zip_common(p, dos_time, dos_date, crc, n, nl);
    p = le(p, 0, 2);    /* extra */
    p = le(p, 0, 2);    /* comment */
    p = le(p, 0, 2);    /* disk */
    p = le(p, 0, 2);    /* internal attributes */
    p = le(p, 0x20, 4); /* external: FILE_ATTRIBUTE_ARCHIVE */
    p = le(p, 0, 4);    /* the local header's offset */
    memcpy(p, name, nl);
    p += nl;
    uint32_t cd_size = (uint32_t)(p - z) - cd;
    /* end of central directory: one entry */
    p = le(p, 0x06054b50u, 4);
    p = le(p, 0, 4); /* this disk, the directory's disk */
    p = le(p, 1, 2);
    p = le(p, 1, 2);
    p = le(p, cd_size, 4);
    p = le(p, cd, 4);
    p = le(p, 0, 2);
    *len = (size_t)(p - z);
    return z;
}

/* Test support: write small archives with libarchive. */
#include <archive.h>
#include <archive_entry.h>
#include <string.h>

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

/* File type by magic bytes. Names follow the common upper-case convention of scanner
 * "filetype" variables (EXE, ZIP, RAR, ...). */
#include <string.h>

#include "sources/magic.h"

static const struct {
    const char *magic;
    size_t n;
    size_t off;
    const char *type;
    int archive; /* libarchive reads it (xs_magic_is_archive) */
} table[] = {
    {"MZ", 2, 0, "EXE"},
    {"\x7f"
     "ELF",
     4, 0, "ELF"},
    {"PK\x03\x04", 4, 0, "ZIP", 1},
    {"PK\x05\x06", 4, 0, "ZIP", 1},
    {"PK\x07\x08", 4, 0, "ZIP", 1}, /* spanned */
    {"Rar!\x1a\x07", 6, 0, "RAR", 1},
    {"7z\xbc\xaf\x27\x1c", 6, 0, "7Z", 1},
    {"\x1f\x8b", 2, 0, "GZIP", 1},
    {"BZh", 3, 0, "BZIP2", 1},
    {"\xfd"
     "7zXZ",
     5, 0, "XZ", 1},
    {"\x28\xb5\x2f\xfd", 4, 0, "ZSTD", 1},
    {"MSCF", 4, 0, "CAB", 1},
    {"ustar", 5, 257, "TAR", 1},
    {"MDMP", 4, 0, "MDMP"},
    {"!BDN", 4, 0, "PST"},
    {"ElfFile", 7, 0, "EVTX"},
    {"regf", 4, 0, "REGISTRY"},
    {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, 0, "OLE"},
    {"%PDF", 4, 0, "PDF"},
    {"\x89PNG", 4, 0, "PNG"},
    {"GIF8", 4, 0, "GIF"},
    {"\xff\xd8\xff", 3, 0, "JPEG"},
    {"\xd4\xc3\xb2\xa1", 4, 0, "PCAP"},
    {"\xa1\xb2\xc3\xd4", 4, 0, "PCAP"},
    {"\x0a\x0d\x0d\x0a", 4, 0, "PCAPNG"},
    {"DEARCRY!", 8, 0, "DEARCRY"},
    {"\x30\x82", 2, 0, "DER"},
    {"MSFT", 4, 0, "TLB"},
    {"\x00\x00\x01\x00", 4, 0, "ICO"},
    {"wOFF", 4, 0, "WOFF"},
    {"wOF2", 4, 0, "WOFF2"},
};

const char *xs_magic_type(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (n >= table[i].off + table[i].n &&
            memcmp(p + table[i].off, table[i].magic, table[i].n) == 0)
            return table[i].type;
    return "UNKNOWN";
}

int xs_magic_is_archive(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (n >= table[i].off + table[i].n &&
            memcmp(p + table[i].off, table[i].magic, table[i].n) == 0)
            return table[i].archive;
    return 0;
}

int xs_magic_is_container(const unsigned char *p, size_t n)
{
    const char *t = xs_magic_type(p, n);
    static const char *const text_like[] = {"UNKNOWN", "PST", "DER", "DEARCRY"};
    for (size_t i = 0; i < sizeof text_like / sizeof text_like[0]; i++)
        if (strcmp(t, text_like[i]) == 0)
            return 0;
    return 1;
}

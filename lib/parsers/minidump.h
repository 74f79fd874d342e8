/* Windows minidump (MDMP) headers: which process a dump holds, when it was taken, whether it
 * holds full memory. Offsets are little-endian, RVAs are file offsets.
 *
 *   MINIDUMP_HEADER     off 0   Signature 'MDMP' (u32), Version (u32), NumberOfStreams (u32),
 *                       off 12  StreamDirectoryRva (u32), CheckSum (u32),
 *                       off 20  TimeDateStamp (u32, Unix time), Flags (u64)       32 bytes
 *   MINIDUMP_DIRECTORY  StreamType (u32), DataSize (u32), Rva (u32)               12 bytes
 *   ModuleListStream (4): NumberOfModules (u32), then MINIDUMP_MODULE[]          108 bytes each:
 *                       BaseOfImage (u64), SizeOfImage (u32), CheckSum (u32),
 *                       TimeDateStamp (u32), ModuleNameRva (u32) at +20, ...
 *   MINIDUMP_STRING     Length in bytes (u32), UTF-16LE characters
 *   MiscInfoStream (15): SizeOfInfo (u32), Flags1 (u32), ProcessId (u32) when Flags1 & 1
 *   Memory64ListStream (9): present in full-memory dumps
 *
 * The first module of a process dump is its executable. Reading goes through a read-at
 * callback so a large dump on disk is parsed with a few small reads.
 */
#ifndef XS_PARSERS_MINIDUMP_H
#define XS_PARSERS_MINIDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exsweep/finding.h" /* EXS_TIME_NONE */

/* Reads n bytes at off into buf; returns the count read (short at the end), -1 on error. */
typedef long (*xs_readat_fn)(void *ctx, uint64_t off, void *buf, size_t n);

typedef struct xs_minidump {
    bool valid; /* the header parsed */
    uint32_t streams;
    int64_t time_ms;  /* TimeDateStamp, or EXS_TIME_NONE */
    uint32_t pid;     /* 0 when not recorded */
    bool full_memory; /* a Memory64ListStream is present */
    uint32_t modules;
    char process[256]; /* UTF-8 path of the first module, "" when unknown */
    bool lsass;        /* the first module is lsass.exe */
} xs_minidump;

/* Parses the dump readable through rd. Never reads more than a few KiB in total. */
void xs_minidump_parse(xs_readat_fn rd, void *ctx, xs_minidump *out);

/* Read-at over a memory buffer (ctx points to an xs_membuf). */
typedef struct xs_membuf {
    const unsigned char *p;
    size_t n;
} xs_membuf;
long xs_membuf_readat(void *ctx, uint64_t off, void *buf, size_t n);

#endif

/* IOC lists: the formats responders are handed.
 *
 *   plain list     one indicator per line; '#' and '//' start comments; "value;comment"
 *                  (signature-base/THOR hash lists), "hash  name" (sha256sum output)
 *   Loki/THOR      filename IOCs (signature-base iocs/filename-iocs.txt): "regex;score" or
 *                  "regex;score;false-positive regex", described by the '#' comment above
 *   CSV            a header naming an indicator column (Indicator, value, ioc, observable)
 *                  and optionally a type column (IndicatorType, type, ioc_type) and a note
 *                  column (notes, description, comment): the MSTIC feed layout
 *                  (DateAdded,FirstSeen,Indicator,IndicatorType,TLP) and Volexity's
 *                  (value,type,notes); or, without an indicator column, columns named by
 *                  their type ("sha256", "md5", "path", "ip", ...), each read as such
 *
 * Values are typed by their column type when there is one, else by their shape: 64/40/32 hex
 * digits are SHA-256/SHA-1/MD5, IPv4/IPv6 addresses are IPs, values with '\' or '/' or a
 * drive letter are paths, host names are domains. Defanged forms ("[.]", "hxxp://") are
 * refanged. Lines longer than XS_MAX_IOC_LINE are skipped and reported.
 */
#ifndef XS_PARSERS_IOCLIST_H
#define XS_PARSERS_IOCLIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

typedef enum xs_ioc_type {
    XS_IOC_UNKNOWN = 0,
    XS_IOC_SHA256,
    XS_IOC_SHA1,
    XS_IOC_MD5,
    XS_IOC_PATH,
    XS_IOC_IP,
    XS_IOC_DOMAIN,
    XS_IOC_PATH_REGEX, /* a Loki filename IOC: a regular expression over the file's path */
    XS_IOC__COUNT
} xs_ioc_type;


typedef struct xs_ioc_item {
    xs_ioc_type type;
    const char *value; /* NUL-terminated, refanged, trimmed; valid during the callback */
    xs_str note;      /* comment or description, may be empty */
    uint64_t line;
    int score;         /* XS_IOC_PATH_REGEX: Loki's score, -999..100 */
    xs_str fp;        /* XS_IOC_PATH_REGEX: its false-positive regex, may be empty */
} xs_ioc_item;

typedef void (*xs_ioc_item_fn)(void *ctx, const xs_ioc_item *it);
/* A line that holds no usable indicator (kind: a short static reason). */
typedef void (*xs_ioc_bad_fn)(void *ctx, uint64_t line, const char *why);

/* Parses a whole list held in memory. Returns the number of indicators passed to fn. */
size_t xs_ioclist_parse(const char *buf, size_t n, xs_ioc_item_fn fn, xs_ioc_bad_fn bad,
                         void *ctx);

/* Types one value by its shape (value must be NUL-terminated, trimmed). */
xs_ioc_type xs_ioc_infer(const char *v);

#endif

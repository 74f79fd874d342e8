/* What exsweep probe is asked to probe, and what it must never touch.
 *
 * A target list takes targets as they are written on a command line or in a file (one a line,
 * '#' starts a comment): a URL (https://host[:port][/path], http://...), host[:port], an IPv4
 * or IPv6 address ([v6]:port with a port), or a CIDR (a.b.c.d/n, v6/n) expanded to each of its
 * addresses, at most XS_PROBE_MAX_CIDR of them. A bare host or address is HTTPS on the default
 * port. Targets are kept once each (host:port, as record.h names them) and in order.
 *
 * An exclude list is ZMap's blocklist format: one CIDR or address a line, '#' comments,
 * blank lines. Addresses are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d), ranges sorted and
 * merged, so a lookup is a binary search whatever the list's size. A target list given one
 * drops every address target inside it (counted in excluded); names are checked when they
 * are resolved, by the prober, against the same list (xs_excl_has).
 *
 * Ownership: each list owns its strings; xs_tlist_free, xs_excl_destroy release them.
 */
#ifndef XS_PROBE_TARGETS_H
#define XS_PROBE_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/strmap.h"

typedef struct xs_excl xs_excl;

xs_excl *xs_excl_create(void);
void xs_excl_destroy(xs_excl *x);
/* Adds one CIDR or address (s[0..n), spaces around it allowed). False with why when it is
 * neither, or when the list holds XS_PROBE_MAX_EXCLUDE ranges already. */
bool xs_excl_add(xs_excl *x, const char *s, size_t n, const char **why);
/* Reads a blocklist's bytes: each bad line is given to warn (when not NULL) with its number.
 * Returns the number of bad lines. Sorts and merges the ranges: call before xs_excl_has. */
typedef void (*xs_warn_fn)(void *ctx, uint64_t line, const char *msg);
size_t xs_excl_read(xs_excl *x, const char *p, size_t n, xs_warn_fn warn, void *ctx);
/* Sorts and merges what xs_excl_add added (xs_excl_read does it itself). */
void xs_excl_seal(xs_excl *x);
/* Whether the 16-byte address a (IPv4 mapped) is excluded. x NULL: never. */
bool xs_excl_has(const xs_excl *x, const unsigned char a[16]);
/* Whether address a (IPv4 mapped) may be connected to: XS_ADDR_UNSPECIFIED for 0.0.0.0/8
 * (::ffff:0:0/104) and :: (on Linux a connection to one reaches this machine, whatever the
 * list says), XS_ADDR_EXCLUDED inside x, or for a NAT64 address (64:ff9b::/96,
 * 64:ff9b:1::/48) whose embedded IPv4 address is either; else XS_ADDR_OK. */
#define XS_ADDR_OK 0
#define XS_ADDR_EXCLUDED 1
#define XS_ADDR_UNSPECIFIED 2
int xs_addr_check(const xs_excl *x, const unsigned char a[16]);
/* The ranges kept after merging. */
size_t xs_excl_count(const xs_excl *x);

/* One target: the canonical host (record.h), port, scheme, and its address when it is one. */
typedef struct xs_tspec {
    const char *key;  /* "192.0.2.1:443", "[2001:db8::1]:8443", "mail.example.org:443" */
    const char *host; /* the key's host (IPv6 without brackets) */
    unsigned port;
    bool https;
    bool is_addr;
    uint64_t line;    /* the line of -i FILE that named it, 0 for an argument */
} xs_tspec;

typedef struct xs_tlist {
    xs_arena a;
    xs_tspec *t;
    size_t n, cap;
    xs_strmap *seen;   /* key -> 1 */
    const xs_excl *ex; /* may be NULL */
    unsigned port;     /* for bare targets: 443 unless set */
    uint64_t excluded; /* address targets dropped by ex, or by xs_addr_check */
    uint64_t unspecified; /* of them, 0.0.0.0/8 or :: (xs_addr_check) */
    uint64_t repeated; /* targets named again */
    bool full;         /* XS_PROBE_MAX_TARGETS reached: later targets were dropped */
    uint64_t dropped;
} xs_tlist;

/* false when out of memory. */
bool xs_tlist_init(xs_tlist *l, const xs_excl *ex, unsigned default_port);
void xs_tlist_free(xs_tlist *l);
/* Adds the target s[0..n) (a CIDR adds its addresses). False with why when s is no target
 * (or out of memory: why says so); an excluded or repeated target is no failure. */
bool xs_tlist_add(xs_tlist *l, const char *s, size_t n, uint64_t line, const char **why);
/* One line of a target list: its target added, a comment or blank line skipped. False with
 * why when it is no target. */
bool xs_tlist_line(xs_tlist *l, const char *s, size_t n, uint64_t line, const char **why);
/* Adds each line's target (comments and blank lines skipped); bad lines go to warn.
 * Returns the number of bad lines. */
size_t xs_tlist_read(xs_tlist *l, const char *p, size_t n, xs_warn_fn warn, void *ctx);

/* addr (no brackets) as 16 bytes, IPv4 mapped; false when it is no address. */
bool xs_addr16(const char *addr, unsigned char a[16]);

#endif

/* Who to write to about an address or a name: a contacts file read into networks and domains,
 * each with an organisation and its mail addresses.
 *
 * Two forms, told apart by their first line:
 *   CSV with the header network,organisation,email (a BOM allowed, columns found by name): a
 *     network is a CIDR (IPv4 or IPv6), an address (one host) or a domain ("example.org",
 *     "*.example.org"); email holds one address or several separated by ';', ',' or spaces.
 *   RPSL, as the RIRs' database dumps are (ripe.db.inetnum, ...): objects separated by blank
 *     lines, "key: value" attributes, continuation lines. inetnum (a range "a - b") and
 *     inet6num (a CIDR) objects give networks; their mailbox is the abuse-mailbox of the role
 *     or person their abuse-c names, else of their organisation's abuse-c, else of the irt
 *     their mnt-irt names; their organisation is the org-name of their org, else netname.
 * An address is a contact of the smallest network that holds it (the longest prefix); a name
 * of the longest domain it is or ends in. Lines that are not contacts, addresses that are not
 * mail addresses and networks with no mailbox are counted warnings with their line number.
 * Every cap is in core/limits.h (XS_NOTIFY_*). The contacts own all their strings. */
#ifndef XS_NOTIFY_CONTACTS_H
#define XS_NOTIFY_CONTACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/notes.h"

typedef struct xs_contact {
    char *org;        /* the organisation, as the file names it */
    char *emails;     /* one or more checked addresses, ", "-separated */
    uint64_t line;    /* of the file: where the network or domain is */
} xs_contact;

typedef struct xs_contacts xs_contacts;

/* Reads a contacts file line by line: new, each line (without its '\n'; numbered from 1; one
 * too long for the reader's buffer given to toolong instead), then end, which resolves RPSL
 * handles and gives the contacts (maybe none) with the warnings counted and the first
 * XS_NOTIFY_MAX_WARNINGS kept, *rpsl saying which form was read; NULL (and c freed) when out
 * of memory. read is the same over n bytes in memory. */
xs_contacts *xs_contacts_new(void);
void xs_contacts_line(xs_contacts *c, const char *p, size_t n, uint64_t line);
void xs_contacts_toolong(xs_contacts *c, uint64_t line);
xs_contacts *xs_contacts_end(xs_contacts *c, bool *rpsl);
xs_contacts *xs_contacts_read(const char *p, size_t n, bool *rpsl);
void xs_contacts_free(xs_contacts *c);

/* The contact of an address (16 bytes, an IPv4 one as ::ffff:a.b.c.d) or NULL. */
const xs_contact *xs_contacts_addr(const xs_contacts *c, const uint8_t addr[16]);
/* The contact of a DNS name (lower case, no trailing dot) or NULL. */
const xs_contact *xs_contacts_name(const xs_contacts *c, const char *name);

size_t xs_contacts_count(const xs_contacts *c);
/* XS_NOTIFY_MAX_NETWORKS; tests lower it. */
extern uint64_t xs_notify_max_networks;
const xs_note *xs_contacts_warnings(const xs_contacts *c, size_t *n, uint64_t *total);

/* Is p[0..n) a mail address exsweep writes to (a dot-atom local part, '@', a domain of
 * letters, digits, hyphens and dots, at most 254 bytes)? Nothing that could break a header. */
bool xs_mail_address_ok(const char *p, size_t n);
/* An address in text: IPv4 dotted or IPv6 (brackets allowed) to 16 bytes. */
bool xs_addr_parse(const char *p, size_t n, uint8_t out[16]);

#endif

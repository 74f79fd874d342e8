/* One letter to an organisation about its exposed Exchange servers: an RFC 5322 message
 * (CRLF line ends, headers in ASCII with RFC 2047 encoded words where a value is not, a UTF-8
 * plain-text body sent 8bit), in English or in Japanese (laid out as JPCERT/CC's advisories:
 * 概要, 影響, 対策, 回避策). Every string from a scan or a contacts file is cleaned for where
 * it goes: no line break or control can reach a header, and the body shows controls, bidi
 * controls and invalid UTF-8 escaped. */
#ifndef XS_NOTIFY_LETTER_H
#define XS_NOTIFY_LETTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "notify/hosts.h"

typedef struct xs_letter {
    const char *from;   /* a checked mail address */
    const char *sender; /* who writes, for the text ("" for the From address) */
    const char *to;     /* checked addresses, ", "-separated */
    const char *org;
    const xs_nhost *const *hosts;
    size_t n;           /* hosts (the first xs_notify_letter_hosts are listed) */
    const char *csv;    /* the file name of the list of every host beside it, or NULL */
    const char *attach; /* with csv: that list's bytes, attached to the letter (multipart/
                           mixed, the list base64 as text/csv), or NULL: too large to attach
                           (the letter offers to send it) */
    size_t attach_n;
    int ja;             /* 0 English, 1 Japanese */
    time_t date;
} xs_letter;

/* XS_NOTIFY_LETTER_HOSTS; tests lower it. */
extern size_t xs_notify_letter_hosts;

/* The Message-ID's left part: the same for the same organisation, recipients, language and
 * hosts with their verdicts, whenever the letter is written (so a letter sent is known again:
 * the send log). 32 hex digits; false (id "") when out of memory. */
bool xs_letter_id(const xs_letter *l, char id[33]);

/* Writes the message to f. 0, or -1 (a write failed, or out of memory). */
int xs_letter_write(FILE *f, const xs_letter *l);

/* Value as a header's: ASCII without controls as it is, else RFC 2047 "B" encoded words of
 * UTF-8 (invalid bytes as U+FFFD, controls as spaces), folded so that no line passes 78
 * characters; `used` is what the line holds before the value ("Subject: " is 9). */
int xs_header_value(FILE *f, const char *v, size_t used);

#endif

/* Shared between the detector files only. */
#ifndef XS_DETECTORS_INTERNAL_H
#define XS_DETECTORS_INTERNAL_H

#include "detectors/detect.h"
#include "detectors/rules.h"

#define XS_URL_MAX XS_MAX_URL

/* A request, with its URL path normalised once for all detectors. */
typedef struct xs_req_view {
    const xs_request *r;
    char stem[XS_URL_MAX]; /* xs_url_norm(stem) */
    size_t stem_n;
    char url[XS_URL_MAX];  /* lowercased, %XX-decoded stem + "?" + query */
    bool post, get;
} xs_req_view;

/* The event group and origin (record, or line of an export) of a hit from event e. */
void xs_hit_event_of(xs_hit *h, const xs_event *e);

/* Starts a hit from a request: xs_hit_init, the HTTP group, the line, the raw row as
 * evidence. */
void xs_hit_from_request(xs_hit *h, const xs_request *r, const exs_rule *rule, exs_verdict v,
                          exs_severity s);

/* True when a and b are equal treating '+' and ' ' alike, ASCII case-insensitive, and a is at
 * least as long as b (prefix match): how IIS user agents compare with published lists. */
bool xs_ua_starts(xs_str ua, const char *want);

bool xs_status_ok(int status);

/* True for the accounts a person does not log on with: a computer account ("DOMAIN\\EXCH01$"),
 * NT AUTHORITY\\SYSTEM (also as IIS writes it, "NT+AUTHORITY\\SYSTEM"), S-1-5-18. What the
 * back end and the cmdlet logs name when the exploit, not an administrator, acted. */
bool xs_user_is_computer(xs_str user);

/* The first occurrence of w in s (ASCII case-insensitive) at or after from for which
 * ok(s, at, strlen(w)) holds, or -1: a switch standing as a word, a name not quoted. */
long xs_find_where(xs_str s, size_t from, const char *w,
                   bool (*ok)(xs_str s, size_t at, size_t n)); /* 200 and friends that mean the request was served */

void xs_detect_proxylogon_request(xs_ctx *c, const xs_req_view *v);
void xs_detect_proxyshell_request(xs_ctx *c, const xs_req_view *v);
void xs_detect_webshell_request(xs_ctx *c, const xs_req_view *v);

#endif

/* Shared between the detector files only. */
#ifndef EXS_DETECTORS_INTERNAL_H
#define EXS_DETECTORS_INTERNAL_H

#include "detectors/detect.h"
#include "detectors/rules.h"

#define EXS_URL_MAX EXS_MAX_URL

/* A request, with its URL path normalised once for all detectors. */
typedef struct exs_req_view {
    const exs_request *r;
    char stem[EXS_URL_MAX]; /* exs_url_norm(stem) */
    size_t stem_n;
    char url[EXS_URL_MAX];  /* lowercased, %XX-decoded stem + "?" + query */
    bool post, get;
} exs_req_view;

/* The event group and origin (record, or line of an export) of a hit from event e. */
void exs_hit_event_of(exs_hit *h, const exs_event *e);

/* Starts a hit from a request: exs_hit_init, the HTTP group, the line, the raw row as
 * evidence. */
void exs_hit_from_request(exs_hit *h, const exs_request *r, const exs_rule *rule, exs_verdict v,
                          exs_severity s);

/* True when a and b are equal treating '+' and ' ' alike, ASCII case-insensitive, and a is at
 * least as long as b (prefix match): how IIS user agents compare with published lists. */
bool exs_ua_starts(exs_str ua, const char *want);

bool exs_status_ok(int status); /* 200 and friends that mean the request was served */

void exs_detect_proxylogon_request(exs_ctx *c, const exs_req_view *v);
void exs_detect_proxyshell_request(exs_ctx *c, const exs_req_view *v);
void exs_detect_webshell_request(exs_ctx *c, const exs_req_view *v);

#endif

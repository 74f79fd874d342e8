/* The intrusion story of a set of results (internal to lib/report/): the chain of each server
 * (probed -> exploited -> backdoor written -> backdoor used -> post-exploitation -> clean-up,
 * and the defenders' response), the actors (each client address with its user agents, the
 * log families its findings come from, the steps it took and the accounts it used, and the
 * cmdlets those accounts ran), and the accounts and mailboxes touched.
 *
 * Built from the kept findings (the exact counts stay the counts' job). Every string points
 * into the results or into the story's own copies (a mailbox read out of a cmdlet's
 * parameters), and lives as long as both; each is evidence, escaped by the writer.
 * Ownership: xs_story_build fills a story the caller frees with xs_story_free.
 */
#ifndef XS_REPORT_STORY_H
#define XS_REPORT_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "exsweep/results.h"

#define XS_STORY_AGENTS 4   /* user agents kept per actor; the rest counted */
#define XS_STORY_KINDS 8    /* log kinds kept per actor; the rest counted */
#define XS_STORY_ACCOUNTS 4 /* accounts kept per actor; the rest counted */

/* One step of one server's chain. */
typedef struct xs_story_step {
    size_t n;                 /* kept findings in the step */
    exs_verdict worst;
    const exs_finding *first; /* the first with a time, else the first; NULL when n is 0 */
    int64_t first_ms, last_ms;/* EXS_TIME_NONE when none had a time */
} xs_story_step;

typedef struct xs_story_tally {
    const char *key;
    size_t n;
} xs_story_tally;

typedef struct xs_story_actor {
    const char *addr;
    size_t n;                  /* kept findings from it (its cmdlets not included) */
    exs_verdict worst;
    int64_t first_ms, last_ms;
    unsigned steps;            /* bit (1u << exs_stage) per step its findings show */
    uint64_t roots;            /* bit per root (the first 64) it was seen on */
    xs_story_tally kinds[XS_STORY_KINDS];   /* log kinds, most findings first */
    size_t nkinds, kinds_more;  /* kinds_more, agents_more: findings, not distinct keys */
    xs_story_tally agents[XS_STORY_AGENTS]; /* user agents, most findings first */
    size_t nagents, agents_more;
    const char *accounts[XS_STORY_ACCOUNTS];/* the users its requests ran as */
    size_t naccounts, accounts_more; /* accounts_more: findings as accounts past the kept */
    size_t cmdlets;            /* cmdlet findings run as one of its accounts (no other actor's) */
    const char *cmdlet_account;/* the account that tied the first of them */
} xs_story_actor;

/* How a name was touched: bits. */
enum {
    XS_TOUCH_HTTP = 1,     /* web requests ran as the account */
    XS_TOUCH_CMDLET = 2,   /* cmdlets ran as it */
    XS_TOUCH_PROCESS = 4,  /* processes ran as it */
    XS_TOUCH_ROLE = 8,     /* given a role or a permission (New-ManagementRoleAssignment -User,
                              Add-MailboxPermission -User) */
    XS_TOUCH_EXPORT = 16,  /* a mailbox exported (New-MailboxExportRequest -Mailbox) */
    XS_TOUCH_SEARCH = 32,  /* a mailbox searched or opened to another (Search-Mailbox,
                              Add-MailboxPermission -Identity, New-MailboxSearch
                              -SourceMailboxes) */
};

/* True for an account no person has: NT AUTHORITY\\, NT SERVICE\\, IIS APPPOOL\\, SYSTEM, a
 * computer account (ending in '$'). */
bool xs_story_system_account(const char *name);

/* The report's words for one XS_TOUCH_* bit ("given a role or permission"), NULL for others. */
const char *xs_story_touch_words(unsigned bit);

/* The steps of the chain in the order of an intrusion (reconnaissance to the response). */
#define XS_STORY_STEPS 7
extern const exs_stage xs_story_chain[XS_STORY_STEPS];

typedef struct xs_story_name {
    const char *name;          /* as first seen */
    unsigned how;              /* XS_TOUCH_* */
    size_t n;                  /* findings that name it */
    int64_t first_ms;
    uint64_t roots;
} xs_story_name;

typedef struct xs_story {
    size_t nroots;
    xs_story_step (*steps)[EXS_STAGE__N]; /* [root][stage] */
    xs_story_actor *actors;    /* by address */
    size_t nactors;
    size_t actors_more;        /* client addresses given no details: past XS_STORY_MAX_ACTORS,
                                  those the exact counts list last */
    xs_story_name *accounts;   /* people's first, then most findings first */
    size_t naccounts, accounts_more; /* *_more: findings naming one past XS_STORY_MAX_NAMES */
    xs_story_name *mailboxes;
    size_t nmailboxes, mailboxes_more;
    char **owned;              /* the story's own strings */
    size_t nowned;
} xs_story;

/* Fills s from the kept findings of r. Returns false when out of memory (s is then empty and
 * needs no free; xs_story_free accepts it). */
bool xs_story_build(const exs_results *r, xs_story *s);
void xs_story_free(xs_story *s);

/* The actor of an address, or NULL. */
const xs_story_actor *xs_story_actor_of(const xs_story *s, const char *addr);

/* What a finding is about, as one or two raw evidence strings to join with a space: a file's
 * path, a command line, a cmdlet and its parameters, a request's method and path, or the
 * target. Returns how many (0 when none). */
size_t xs_story_subject(const exs_finding *f, const char *part[2]);

/* The text summary's sections: "How it happened" (the chain of each server with a finding)
 * and "Accounts and mailboxes touched". Nothing when there is nothing to say. */
void xs_report_chain(FILE *o, const exs_results *r, const xs_story *s, bool color);
void xs_report_touched(FILE *o, const exs_results *r, const xs_story *s, bool color);
/* The details printed under an address of the text summary's client table (indent 6). */
void xs_report_actor(FILE *o, const exs_results *r, const xs_story_actor *a);

#endif

/* The step of an intrusion each built-in rule's findings show (exs_stage, finding.h): the
 * report's chain reads them. Every rule id of the built-in table and of the shipped YARA rules
 * is placed here by hand (test-story checks that none is missing); a rule this version does
 * not know (a saved sweep of a later version, whose record carries the rule's techniques) is
 * placed by its ATT&CK techniques. A user's YARA rule has none: it is "other". */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "exsweep/finding.h"

typedef struct placed {
    const char *id;
    exs_stage stage;
} placed;

static const placed table[] = {
    /* scanning */
    {"EXS-PL-26855-PROBE", EXS_STAGE_RECON},
    {"EXS-PL-26855-IISPROBE", EXS_STAGE_RECON},
    {"EXS-PS-PROBE", EXS_STAGE_RECON},
    {"EXS-WS-HUNT", EXS_STAGE_RECON},
    /* the holes */
    {"EXS-PL-26855-SSRF", EXS_STAGE_EXPLOIT},
    {"EXS-PL-26855-ATTEMPT", EXS_STAGE_EXPLOIT},
    {"EXS-PL-IIS-CARRIER", EXS_STAGE_EXPLOIT},
    {"EXS-PL-IIS-TOOLUA", EXS_STAGE_EXPLOIT},
    {"EXS-PL-IIS-CRAWLERUA", EXS_STAGE_EXPLOIT},
    {"EXS-PS-SSRF", EXS_STAGE_EXPLOIT},
    {"EXS-PS-ATTEMPT", EXS_STAGE_EXPLOIT},
    {"EXS-PS-RPS", EXS_STAGE_EXPLOIT},
    {"EXS-PS-AUTOD", EXS_STAGE_EXPLOIT},
    {"EXS-PNS-SSRF", EXS_STAGE_EXPLOIT},
    {"EXS-PNS-POC", EXS_STAGE_EXPLOIT},
    {"EXS-OWASSRF-IIS", EXS_STAGE_EXPLOIT},
    {"EXS-OWASSRF-RPS", EXS_STAGE_EXPLOIT},
    {"EXS-EV-26857-UM", EXS_STAGE_EXPLOIT},
    {"EXS-EV-UM-CRASH", EXS_STAGE_EXPLOIT},
    /* the backdoor written, or on disk */
    {"EXS-PL-27065-ECP", EXS_STAGE_WRITE},
    {"EXS-PL-27065-RESET", EXS_STAGE_WRITE},
    {"EXS-PL-27065-IIS", EXS_STAGE_WRITE},
    {"EXS-PL-26858-OABGEN", EXS_STAGE_WRITE},
    {"EXS-CMD-MBXEXPORT", EXS_STAGE_WRITE}, /* CVE-2021-31207: the export is the shell's write */
    {"EXS-CMD-CERTREQ", EXS_STAGE_WRITE},
    {"EXS-CMD-SETVDIR", EXS_STAGE_WRITE},
    {"EXS-CMD-TRANSPORTAGENT", EXS_STAGE_WRITE},
    {"EXS-EV-ASPX-WRITE", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-NONDEFAULT", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-CODE", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-HIDDEN", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-PST", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-DER", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-JUNK", EXS_STAGE_WRITE},
    {"EXS-FILE-WS-COMPILED", EXS_STAGE_WRITE},
    {"EXS-FILE-HASH-IOC", EXS_STAGE_WRITE},
    {"EXS-FILE-IIS-VDIR", EXS_STAGE_WRITE},
    {"EXS-Y-WS-EVAL", EXS_STAGE_WRITE},
    {"EXS-Y-WS-PROCESS", EXS_STAGE_WRITE},
    {"EXS-Y-WS-ASSEMBLY", EXS_STAGE_WRITE},
    {"EXS-Y-WS-OBFUSCATED", EXS_STAGE_WRITE},
    {"EXS-Y-WS-OAB-DUMP", EXS_STAGE_WRITE},
    {"EXS-Y-WS-COMPILED", EXS_STAGE_WRITE},
    {"EXS-Y-WS-TUNNEL", EXS_STAGE_WRITE},
    {"EXS-Y-WS-SECCHECK", EXS_STAGE_WRITE},
    {"EXS-Y-WS-WEBCONFIG", EXS_STAGE_WRITE},
    /* the backdoor used */
    {"EXS-WS-UA", EXS_STAGE_USE},
    {"EXS-WS-ACCESS", EXS_STAGE_USE},
    {"EXS-WS-CMD", EXS_STAGE_USE},
    {"EXS-WS-TUNNEL", EXS_STAGE_USE},
    {"EXS-EV-W3WP-CHILD", EXS_STAGE_USE},
    {"EXS-EV-CHOPPER", EXS_STAGE_USE},
    {"EXS-EV-W3WP-THREAD", EXS_STAGE_USE},
    {"EXS-EV-W3WP-TUNNEL", EXS_STAGE_USE},
    {"EXS-EV-W3WP-LOGON", EXS_STAGE_USE},
    {"EXS-LINK-SHELL", EXS_STAGE_USE},
    {"EXS-FILE-WS-REMOVED", EXS_STAGE_USE}, /* used, then removed (by whom: its removed_by) */
    /* what came after */
    {"EXS-CMD-ROLEASSIGN", EXS_STAGE_POST},
    {"EXS-EV-LSASS-DUMP", EXS_STAGE_POST},
    {"EXS-EV-PROC-DUMP", EXS_STAGE_POST},
    {"EXS-EV-LSASS-ACCESS", EXS_STAGE_POST},
    {"EXS-EV-STAGING", EXS_STAGE_POST},
    {"EXS-EV-DUMP-FILE", EXS_STAGE_POST},
    {"EXS-EV-PS-SCRIPT", EXS_STAGE_POST},
    {"EXS-EV-LSASS-HANDLE", EXS_STAGE_POST},
    {"EXS-EV-SILENT-EXIT", EXS_STAGE_POST},
    {"EXS-EV-DS-CHANGE", EXS_STAGE_POST},
    {"EXS-EV-GROUP-ADD", EXS_STAGE_POST},
    {"EXS-EV-AGENTS-CONFIG", EXS_STAGE_POST},
    {"EXS-EV-EXCH-SNAPIN", EXS_STAGE_POST},
    {"EXS-EV-DEFENDER-TAMPER", EXS_STAGE_POST},
    {"EXS-FILE-PATH-IOC", EXS_STAGE_POST},
    {"EXS-FILE-LSASS-DUMP", EXS_STAGE_POST},
    {"EXS-FILE-MINIDUMP", EXS_STAGE_POST},
    {"EXS-FILE-STAGING-ARCHIVE", EXS_STAGE_POST},
    {"EXS-FILE-DEARCRY-ENCRYPTED", EXS_STAGE_POST},
    {"EXS-FILE-RANSOM-NOTE", EXS_STAGE_POST},
    {"EXS-REG-SERVICE", EXS_STAGE_POST},
    {"EXS-REG-DEARCRY-SERVICE", EXS_STAGE_POST},
    {"EXS-REG-RUN", EXS_STAGE_POST},
    {"EXS-REG-DEFENDER-EXCLUSION", EXS_STAGE_POST},
    {"EXS-REG-WDIGEST", EXS_STAGE_POST},
    {"EXS-REG-LSASS-SILENT-EXIT", EXS_STAGE_POST},
    {"EXS-Y-MN-XMRIG-CONFIG", EXS_STAGE_POST},
    {"EXS-Y-MN-STRATUM", EXS_STAGE_POST},
    {"EXS-Y-MN-XMRIG-BIN", EXS_STAGE_POST},
    {"EXS-Y-PX-LSASS-CMD", EXS_STAGE_POST},
    {"EXS-Y-PX-MINIDUMP-CMD", EXS_STAGE_POST},
    {"EXS-Y-PX-STAGING-CMD", EXS_STAGE_POST},
    {"EXS-Y-PX-RECON-CAB", EXS_STAGE_POST},
    {"EXS-Y-PX-NISHANG", EXS_STAGE_POST},
    {"EXS-Y-PX-POWERCAT", EXS_STAGE_POST},
    {"EXS-Y-PX-MBXEXPORT", EXS_STAGE_POST},
    {"EXS-Y-PX-LSASS-DUMPFILE", EXS_STAGE_POST},
    {"EXS-Y-RW-DEARCRY-NOTE", EXS_STAGE_POST},
    {"EXS-Y-RW-DEARCRY-BIN", EXS_STAGE_POST},
    {"EXS-Y-RW-BLACKKINGDOM", EXS_STAGE_POST},
    /* tracks covered */
    {"EXS-CMD-MBXEXPORT-RM", EXS_STAGE_CLEANUP},
    {"EXS-EV-LOG-CLEARED", EXS_STAGE_CLEANUP},
    {"EXS-Y-PX-CLEANUP", EXS_STAGE_CLEANUP},
    /* the defenders */
    {"EXS-FILE-EOMT", EXS_STAGE_RESPONSE},
    {"EXS-FILE-MSERT", EXS_STAGE_RESPONSE},
    {"EXS-EV-DEFENDER", EXS_STAGE_RESPONSE},
    /* neither */
    {"EXS-IOC-NET", EXS_STAGE_OTHER},
};

/* For rules the table lacks: the first technique of the list that places one, in order. */
static const struct {
    const char *prefix; /* a technique id, or its parent's ("T1003" for T1003.001) */
    exs_stage stage;
} by_technique[] = {
    {"T1595", EXS_STAGE_RECON},   {"T1190", EXS_STAGE_EXPLOIT}, {"T1505", EXS_STAGE_WRITE},
    {"T1070", EXS_STAGE_CLEANUP}, {"T1003", EXS_STAGE_POST},    {"T1114", EXS_STAGE_POST},
    {"T1560", EXS_STAGE_POST},    {"T1486", EXS_STAGE_POST},    {"T1496", EXS_STAGE_POST},
    {"T1543", EXS_STAGE_POST},    {"T1547", EXS_STAGE_POST},    {"T1562", EXS_STAGE_POST},
    {"T1098", EXS_STAGE_POST},    {"T1059", EXS_STAGE_USE},     {"T1572", EXS_STAGE_USE},
};

static exs_stage of_techniques(const char *t)
{
    while (t && *t) {
        size_t n = strcspn(t, ",");
        for (size_t i = 0; i < sizeof by_technique / sizeof by_technique[0]; i++) {
            size_t k = strlen(by_technique[i].prefix);
            if (n >= k && memcmp(t, by_technique[i].prefix, k) == 0 && (n == k || t[k] == '.'))
                return by_technique[i].stage;
        }
        t += n;
        t += *t == ',';
    }
    return EXS_STAGE_OTHER;
}

#define NTABLE (sizeof table / sizeof table[0])
static placed sorted[NTABLE]; /* the table by id, for bsearch: the reports ask per finding */
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int cmp_placed(const void *a, const void *b)
{
    return strcmp(((const placed *)a)->id, ((const placed *)b)->id);
}

static void sort_table(void)
{
    memcpy(sorted, table, sizeof table);
    qsort(sorted, NTABLE, sizeof *sorted, cmp_placed);
}

exs_stage exs_rule_stage(const exs_rule *r)
{
    if (!r || !r->id)
        return EXS_STAGE_OTHER;
    pthread_once(&sorted_once, sort_table);
    placed key = {r->id, EXS_STAGE_OTHER};
    const placed *p = bsearch(&key, sorted, NTABLE, sizeof *sorted, cmp_placed);
    return p ? p->stage : of_techniques(r->techniques);
}

exs_stage exs_finding_stage(const exs_finding *f)
{
    if (f->verdict == EXS_VERDICT_PROBE)
        return EXS_STAGE_RECON;
    return exs_rule_stage(f->rule);
}

static const char *const names[EXS_STAGE__N] = {"other", "recon", "exploit", "write",
                                               "use",   "post",  "cleanup", "response"};
static const char *const titles[EXS_STAGE__N] = {
    "other",           "probed",           "exploited", "backdoor written", "backdoor used",
    "post-exploitation", "clean-up",       "response"};

const char *exs_stage_name(exs_stage s)
{
    return (unsigned)s < EXS_STAGE__N ? names[s] : "other";
}

const char *exs_stage_title(exs_stage s)
{
    return (unsigned)s < EXS_STAGE__N ? titles[s] : "other";
}

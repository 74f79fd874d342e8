/* Exchange cmdlets the attackers ran (catalogue 2.4 item 4, 2.5 item 3): in Rps_Cmdlet logs
 * now, MSExchange Management events later. Parameters are matched as text, the way the Sigma
 * msexchange rules do, because their serialisation differs between logs. */
#include <stdio.h>

#include "detectors/internal.h"
#include "detectors/patterns.h"
#include "detectors/webfolders.h"

/* A file name with a script extension (exs_web_script_exts) ending a value: before a quote,
 * space, separator or the end. Every '.' is tried, so "x.aspx-old" earlier in the text does
 * not hide a later "y.aspx". */
static bool has_web_ext(exs_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] != '.')
            continue;
        size_t e = i + 1;
        while (e < s.n && s.p[e] != '"' && s.p[e] != '\'' && s.p[e] != ' ' && s.p[e] != ';' &&
               s.p[e] != ',' && s.p[e] != '.' && e - i <= 8)
            e++;
        bool ends = e >= s.n || s.p[e] != '.';
        if (ends && e - i <= 8 && exs_web_script_ext(s.p + i, e - i))
            return true;
    }
    return false;
}

static bool admin_share_or_webroot(exs_str s)
{
    return exs_str_icontains(s, "\\\\localhost\\") || exs_str_icontains(s, "\\\\127.0.0.1\\") ||
           exs_str_icontains(s, "\\inetpub\\") || exs_str_icontains(s, "\\frontend\\httpproxy\\") ||
           exs_str_icontains(s, "\\aspnet_client\\");
}

static void emit(exs_ctx *c, const exs_cmdlet *cm, int rule, exs_verdict v, exs_severity s,
                 const char *reason, bool failed)
{
    exs_hit h;
    exs_hit_init(&h, RULE(rule), v, s, cm->time_ms);
    h.line = cm->line;
    h.cmdlet.name = exs_str_trim(cm->name);
    h.cmdlet.params = cm->params;
    h.cmdlet.user = cm->user;
    h.cmdlet.client = cm->client;
    h.cmdlet.failed = failed;
    if (cm->event)
        exs_hit_event_of(&h, cm->event);
    h.reason = reason;
    h.evidence = cm->raw.n ? cm->raw : cm->params;
    exs_emit(c, &h);
}

void exs_detect_cmdlet(exs_ctx *c, const exs_cmdlet *cm)
{
    exs_str n = exs_str_trim(cm->name), p = cm->params;
    bool failed = exs_str_icontains(cm->result, "error") || exs_str_icontains(cm->result, "fail");

    if (exs_str_ieq(n, "New-MailboxExportRequest")) {
        if (has_web_ext(p) || admin_share_or_webroot(p))
            emit(c, cm, R_CMD_MBXEXPORT, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "mailbox exported to a web path", failed);
        else if (exs_str_icontains(p, "\\\\"))
            emit(c, cm, R_CMD_MBXEXPORT, EXS_VERDICT_SUSPICIOUS, EXS_SEV_MEDIUM,
                 "mailbox exported to a share: check it was asked for", failed);
    } else if (exs_str_ieq(n, "New-ManagementRoleAssignment")) {
        if (exs_str_icontains(p, "Mailbox Import Export"))
            emit(c, cm, R_CMD_ROLEASSIGN, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                 "Mailbox Import Export role granted", failed);
    } else if (exs_str_ieq(n, "Remove-MailboxExportRequest")) {
        emit(c, cm, R_CMD_MBXEXPORT_RM, EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW,
             "mailbox export requests removed", failed);
    } else if (exs_str_ieq(n, "New-ExchangeCertificate")) {
        if (exs_str_icontains(p, "RequestFile") && (has_web_ext(p) || admin_share_or_webroot(p)))
            emit(c, cm, R_CMD_CERTREQ, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "certificate request file written into a web path", failed);
    } else if (exs_str_istarts(n, "Set-") && exs_str_iends(n, "VirtualDirectory")) {
        if (exs_str_icontains(p, "url") && (exs_str_icontains(p, "<script") ||
                                            exs_str_icontains(p, "runat") ||
                                            exs_str_icontains(p, "Page_Load")))
            emit(c, cm, R_CMD_SETVDIR, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "script in a virtual directory URL", failed);
    } else if (exs_str_ieq(n, "Install-TransportAgent") || exs_str_ieq(n, "Enable-TransportAgent")) {
        emit(c, cm, R_CMD_TRANSPORTAGENT, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
             exs_str_ieq(n, "Install-TransportAgent") ? "transport agent installed"
                                                       : "transport agent enabled",
             failed);
    }
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the detector above to report it (patterns.h). */
const exs_pattern exs_pat_cmdlet[] = {
    {"mailboxexportrequest", 0}, {"managementroleassignment", 0}, {"new-exchangecertificate", 0},
    {"transportagent", 0},       {"virtualdirectory", 0},         {NULL, 0},
};

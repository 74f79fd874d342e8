/* Exchange cmdlets the attackers ran (catalogue 2.4 item 4, 2.5 item 3): in Rps_Cmdlet logs
 * now, MSExchange Management events later. Parameters are matched as text, the way the Sigma
 * msexchange rules do, because their serialisation differs between logs. */
#include <stdio.h>

#include "detectors/internal.h"
#include "detectors/patterns.h"
#include "detectors/webfolders.h"

/* A file name with a script extension (xs_web_script_exts) ending a value: before a quote,
 * space, separator or the end. Every '.' is tried, so "x.aspx-old" earlier in the text does
 * not hide a later "y.aspx". */
static bool has_web_ext(xs_str s)
{
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] != '.')
            continue;
        size_t e = i + 1;
        while (e < s.n && s.p[e] != '"' && s.p[e] != '\'' && s.p[e] != ' ' && s.p[e] != ';' &&
               s.p[e] != ',' && s.p[e] != '.' && e - i <= 8)
            e++;
        bool ends = e >= s.n || s.p[e] != '.';
        if (ends && e - i <= 8 && xs_web_script_ext(s.p + i, e - i))
            return true;
    }
    return false;
}

static bool admin_share_or_webroot(xs_str s)
{
    return xs_str_icontains(s, "\\\\localhost\\") || xs_str_icontains(s, "\\\\127.0.0.1\\") ||
           xs_str_icontains(s, "\\inetpub\\") || xs_str_icontains(s, "\\frontend\\httpproxy\\") ||
           xs_str_icontains(s, "\\aspnet_client\\");
}

static void emit(xs_ctx *c, const xs_cmdlet *cm, int rule, exs_verdict v, exs_severity s,
                 const char *reason, bool failed)
{
    xs_hit h;
    xs_hit_init(&h, RULE(rule), v, s, cm->time_ms);
    h.line = cm->line;
    h.cmdlet.name = xs_str_trim(cm->name);
    h.cmdlet.params = cm->params;
    h.cmdlet.user = cm->user;
    h.cmdlet.client = cm->client;
    h.cmdlet.failed = failed;
    if (cm->event)
        xs_hit_event_of(&h, cm->event);
    h.reason = reason;
    h.evidence = cm->raw.n ? cm->raw : cm->params;
    xs_emit(c, &h);
}

void xs_detect_cmdlet(xs_ctx *c, const xs_cmdlet *cm)
{
    xs_str n = xs_str_trim(cm->name), p = cm->params;
    bool failed = xs_str_icontains(cm->result, "error") || xs_str_icontains(cm->result, "fail");

    if (xs_str_ieq(n, "New-MailboxExportRequest")) {
        if (has_web_ext(p) || admin_share_or_webroot(p))
            emit(c, cm, R_CMD_MBXEXPORT, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "mailbox exported to a web path", failed);
        else if (xs_str_icontains(p, "\\\\") && xs_user_is_computer(cm->user))
            /* no administrator exports mail as the computer account or SYSTEM: an exploit's
             * session (or a web shell's) did */
            emit(c, cm, R_CMD_MBXEXPORT, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_HIGH, "mailbox exported to a share by the computer account", failed);
        else if (xs_str_icontains(p, "\\\\"))
            emit(c, cm, R_CMD_MBXEXPORT, EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW,
                 "mailbox exported to a share by a person (an administrator's export?): check "
                 "it was asked for",
                 failed);
    } else if (xs_str_ieq(n, "New-ManagementRoleAssignment")) {
        if (xs_str_icontains(p, "Mailbox Import Export") && xs_user_is_computer(cm->user))
            emit(c, cm, R_CMD_ROLEASSIGN, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_HIGH, "Mailbox Import Export role granted by the computer account",
                 failed);
        else if (xs_str_icontains(p, "Mailbox Import Export"))
            emit(c, cm, R_CMD_ROLEASSIGN, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
                 "Mailbox Import Export role granted", failed);
    } else if (xs_str_ieq(n, "Remove-MailboxExportRequest")) {
        emit(c, cm, R_CMD_MBXEXPORT_RM, EXS_VERDICT_SUSPICIOUS, EXS_SEV_LOW,
             "mailbox export requests removed", failed);
    } else if (xs_str_ieq(n, "New-ExchangeCertificate")) {
        if (xs_str_icontains(p, "RequestFile") && (has_web_ext(p) || admin_share_or_webroot(p)))
            emit(c, cm, R_CMD_CERTREQ, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "certificate request file written into a web path", failed);
    } else if (xs_str_istarts(n, "Set-") && xs_str_iends(n, "VirtualDirectory")) {
        if (xs_str_icontains(p, "url") && (xs_str_icontains(p, "<script") ||
                                            xs_str_icontains(p, "runat") ||
                                            xs_str_icontains(p, "Page_Load")))
            emit(c, cm, R_CMD_SETVDIR, failed ? EXS_VERDICT_ATTEMPT : EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, "script in a virtual directory URL", failed);
    } else if (xs_str_ieq(n, "Install-TransportAgent") || xs_str_ieq(n, "Enable-TransportAgent")) {
        emit(c, cm, R_CMD_TRANSPORTAGENT, EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH,
             xs_str_ieq(n, "Install-TransportAgent") ? "transport agent installed"
                                                       : "transport agent enabled",
             failed);
    }
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the detector above to report it (patterns.h). */
const xs_pattern xs_pat_cmdlet[] = {
    {"mailboxexportrequest", 0}, {"managementroleassignment", 0}, {"new-exchangecertificate", 0},
    {"transportagent", 0},       {"virtualdirectory", 0},         {NULL, 0},
};

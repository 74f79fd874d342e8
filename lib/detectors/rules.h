/* The built-in rules: one stable id each. Ids never change meaning and are never reused;
 * retired rules stay in the table (append-only, like exs_rc). */
#ifndef XS_DETECTORS_RULES_H
#define XS_DETECTORS_RULES_H

#include "exsweep/finding.h"

enum xs_rule_index {
    /* ProxyLogon (March 2021) */
    R_PL_26855_SSRF,
    R_PL_26855_ATTEMPT,
    R_PL_26855_PROBE,
    R_PL_27065_ECP,
    R_PL_27065_RESET,
    R_PL_27065_IIS,
    R_PL_26858_OABGEN,
    R_PL_IIS_CARRIER,
    R_PL_IIS_TOOLUA,
    R_PL_IIS_CRAWLERUA,
    R_PL_26855_IISPROBE,
    /* Web shells seen in logs */
    R_WS_UA,
    R_WS_ACCESS,
    R_WS_CMD,
    R_WS_HUNT,
    R_WS_TUNNEL,
    /* ProxyShell (2021) */
    R_PS_SSRF,
    R_PS_ATTEMPT,
    R_PS_RPS,
    R_PS_AUTOD,
    R_PS_PROBE,
    /* ProxyNotShell and OWASSRF (2022) */
    R_PNS_SSRF,
    R_PNS_POC,
    R_OWASSRF_IIS,
    R_OWASSRF_RPS,
    /* Exchange cmdlets in cmdlet logs */
    R_CMD_MBXEXPORT,
    R_CMD_ROLEASSIGN,
    R_CMD_MBXEXPORT_RM,
    R_CMD_CERTREQ,
    R_CMD_SETVDIR,
    R_CMD_TRANSPORTAGENT,
    /* Windows event logs (EVTX and event exports) */
    R_EV_26857_UM,
    R_EV_UM_CRASH,
    R_EV_W3WP_CHILD,
    R_EV_CHOPPER,
    R_EV_LSASS_DUMP,
    R_EV_PROC_DUMP,
    R_EV_LSASS_ACCESS,
    R_EV_STAGING,
    R_EV_ASPX_WRITE,
    R_EV_DUMP_FILE,
    R_EV_W3WP_THREAD,
    R_EV_W3WP_TUNNEL,
    R_EV_DEFENDER,
    R_EV_LOG_CLEARED,
    R_EV_PS_SCRIPT,
    R_EV_W3WP_LOGON,
    R_EV_LSASS_HANDLE,
    R_EV_SILENT_EXIT,
    R_EV_DS_CHANGE,
    R_EV_GROUP_ADD,
    R_EV_AGENTS_CONFIG,
    R_EV_EXCH_SNAPIN,
    R_EV_DEFENDER_TAMPER,
    /* Files: web shells and artefacts on disk (lib/detectors/filecheck.c, shells.c) */
    R_FILE_WS_NONDEFAULT,
    R_FILE_WS_CODE,
    R_FILE_WS_HIDDEN,
    R_FILE_WS_PST,
    R_FILE_WS_DER,
    R_FILE_WS_JUNK,
    R_FILE_WS_COMPILED,
    R_FILE_WS_REMOVED,
    R_FILE_HASH_IOC,
    R_FILE_PATH_IOC,
    R_FILE_IIS_VDIR,
    R_FILE_LSASS_DUMP,
    R_FILE_MINIDUMP,
    R_FILE_STAGING,
    R_FILE_DEARCRY_ENC,
    R_FILE_RANSOM_NOTE,
    R_FILE_EOMT,
    R_FILE_MSERT,
    R_IOC_NET,
    /* Correlation across the sweep */
    R_LINK_SHELL,
    /* Registry hives: the attackers' changes (lib/detectors/registry.c) */
    R_REG_SERVICE,
    R_REG_DEARCRY,
    R_REG_RUN,
    R_REG_DEFENDER_EXCL,
    R_REG_WDIGEST,
    R_REG_LSASS_SPE,
    R__COUNT
};

extern const exs_rule xs_rule_table[R__COUNT];
#define RULE(x) (&xs_rule_table[(x)])

#endif

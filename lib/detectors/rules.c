/* The built-in rule table. Sources for every predicate: docs/detection-catalogue.md of the
 * project's shared docs, sections named in each description. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/rules.h"
#include "engines/yara.h"

#define PL "ProxyLogon"
#define PS "ProxyShell"
#define PNS "ProxyNotShell"
#define WS "WebShell"
#define CM "Cmdlet"
#define PE "PostExploitation"
#define EV "EventLog"

const exs_rule xs_rule_table[R__COUNT] = {
    [R_PL_26855_SSRF] = {"EXS-PL-26855-SSRF", "ProxyLogon SSRF reached an Exchange back end",
                         "CVE-2021-26855", PL,
                         "HttpProxy row whose AnchorMailbox is ServerInfo~<host>/<path> for a back-end "
                         "path other than Autodiscover: the pre-auth SSRF was used. Check the ECP "
                         "Server log around the same time for Set-*VirtualDirectory and look for web "
                         "shells.",
        "T1190", false},
    [R_PL_26855_ATTEMPT] = {"EXS-PL-26855-ATTEMPT", "ProxyLogon SSRF attempt (Autodiscover only)",
                            "CVE-2021-26855", PL,
                            "ServerInfo~ SSRF that only reached /autodiscover: the first step of the "
                            "chain, usually failing for lack of a valid mailbox address.",
        "T1190", false},
    [R_PL_26855_PROBE] = {"EXS-PL-26855-PROBE", "ProxyLogon vulnerability probe",
                          "CVE-2021-26855", PL,
                          "ServerInfo~localhost (Microsoft's nmap check and similar) or an "
                          "out-of-band callback domain: a scanner tested the hole.",
        "T1595.002", false},
    [R_PL_27065_ECP] = {"EXS-PL-27065-ECP", "Script written into a virtual directory URL (ECP log)",
                        "CVE-2021-27065", PL,
                        "ECP Server log: Set-*VirtualDirectory with markup in a URL property, the "
                        "first half of the arbitrary file write. A file holding the script was "
                        "probably written; find it under the web roots.",
        "T1190,T1505.003", false},
    [R_PL_27065_RESET] = {"EXS-PL-27065-RESET", "Virtual directory reset through the SSRF",
                          "CVE-2021-26855,CVE-2021-27065", PL,
                          "HttpProxy row with ServerInfo~.../Reset*VirtualDirectory answered 200, the "
                          "anchor ending in '#' (Test-ProxyLogon) or '&a=~...' (the public PoCs, "
                          "Metasploit): the reset wrote the virtual directory dump (the web shell) "
                          "to disk.",
        "T1190,T1505.003", false},
    [R_PL_27065_IIS] = {"EXS-PL-27065-IIS", "Virtual directory reset on the back end (IIS)",
                        "CVE-2021-27065", PL,
                        "Back-end IIS POST to DDIService.svc/SetObject with schema=Reset*"
                        "VirtualDirectory. By the computer account ($) or SYSTEM it is the exploit; by a "
                        "person in ECP it may be a legitimate reset (suspicious, medium).",
        "T1190,T1505.003", false},
    [R_PL_26858_OABGEN] = {"EXS-PL-26858-OABGEN", "OAB generator wrote a file outside its folder",
                           "CVE-2021-26858", PL,
                           "OABGenerator log 'Download failed and temporary file' naming a path "
                           "outside <install>\\ClientAccess\\OAB: the arbitrary file write. The path "
                           "is where to look for the shell.",
        "T1190,T1505.003", false},
    [R_PL_IIS_CARRIER] = {"EXS-PL-IIS-CARRIER", "POST to a ProxyLogon carrier resource",
                          "CVE-2021-26855", PL,
                          "IIS POST to a static or missing resource the exploits used as carrier "
                          "(/ecp/y.js, /ecp/default.flt, /ecp/main.css, OWA theme resources).",
        "T1190", false},
    [R_PL_IIS_TOOLUA] = {"EXS-PL-IIS-TOOLUA", "Exploit tool user agent on ECP",
                         "CVE-2021-26855", PL,
                         "POST under /ecp/ with ExchangeServicesClient/0.0.0.0 or python-requests, "
                         "the user agents of the March 2021 exploitation.",
        "T1190", false},
    [R_PL_IIS_CRAWLERUA] = {"EXS-PL-IIS-CRAWLERUA", "POST to OWA auth with a spoofed crawler agent",
                            "CVE-2021-26855", PL,
                            "POST under /owa/auth/Current/ with a search-engine crawler user agent "
                            "(Volexity/CISA AA21-062A); crawlers do not POST.",
        "T1190", false},
    [R_PL_26855_IISPROBE] = {"EXS-PL-26855-IISPROBE", "ProxyLogon check answered 500 (IIS)",
                             "CVE-2021-26855", PL,
                             "IIS GET of a static resource directly under /owa/auth/ (x.js and the "
                             "like, which a default install does not have) answered 500: the nmap and "
                             "nuclei ProxyLogon checks, whose X-AnonResource-Backend and X-BEResource "
                             "cookies make the front end proxy a missing file and fail. IIS does not "
                             "log the cookies: the HttpProxy log's ServerInfo~ row (EXS-PL-26855-PROBE) "
                             "names the host tested. A probe, not exploitation.",
        "T1595.002", false},
    [R_WS_UA] = {"EXS-WS-UA", "Web-shell client user agent", "", WS,
                 "POST to /aspnet_client/ or /owa/ with antSword or the fake Googlebot/Baiduspider "
                 "agents seen driving Exchange web shells.",
        "T1505.003", false},
    [R_WS_ACCESS] = {"EXS-WS-ACCESS", "Request to a non-default script in an Exchange web folder", "",
                     WS,
                     "A script under owa/auth, ecp/auth, aspnet_client or OAB that a default Exchange "
                     "install does not have. Answered 200: a web shell was there. Check the file "
                     "(or its absence) on disk.",
        "T1505.003", false},
    [R_WS_CMD] = {"EXS-WS-CMD", "Command passed to a web shell in the URL", "", WS,
                  "GET with a shell command (whoami, net user, cmd /c, powershell, ...) in the query.",
        "T1505.003,T1059.003", false},
    [R_WS_HUNT] = {"EXS-WS-HUNT", "Web-shell hunting burst", "", WS,
                   "One client asked for many non-default scripts in Exchange web folders within a "
                   "minute: someone looking for shells left by others. Names answered 200 exist.",
        "T1595.003", false},
    [R_WS_TUNNEL] = {"EXS-WS-TUNNEL", "Web tunnel traffic (Tunna, reGeorg)", "", WS,
                     "Query strings of HTTP tunnelling web shells: a foothold used to reach internal "
                     "hosts (RDP, SMB).",
        "T1505.003,T1572", false},
    [R_PS_SSRF] = {"EXS-PS-SSRF", "ProxyShell SSRF reached a back end", "CVE-2021-34473,CVE-2021-34523",
                   PS,
                   "Autodiscover path confusion (autodiscover.json?@... or ?a=x@y/..., "
                   "Email=autodiscover/...) routed to /powershell, /mapi/emsmdb (the SID leak), "
                   "/mapi/nspi or /EWS and answered with success (a success status, or in HttpProxy "
                   "the back end's success or a back-end server named), anonymously or with the "
                   "forged X-Rps-CAT token. With a person's credentials and /powershell it is "
                   "ProxyNotShell (EXS-PNS-SSRF) instead.",
        "T1190", false},
    [R_PS_ATTEMPT] = {"EXS-PS-ATTEMPT", "ProxyShell attempt", "CVE-2021-34473,CVE-2021-34523", PS,
                      "Autodiscover path confusion (the mailbox after @ or in a= of the query, or an "
                      "Email=autodiscover/... parameter) that was not answered with success and is "
                      "not a scanner's check.",
        "T1190", false},
    [R_PS_RPS] = {"EXS-PS-RPS", "Remote PowerShell with a forged X-Rps-CAT token",
                  "CVE-2021-34473,CVE-2021-34523", PS,
                  "Rps_Http row for /Powershell carrying X-Rps-CAT and Email=autodiscover/...: the "
                  "ProxyShell exploit ran cmdlets as the impersonated admin.",
        "T1190", false},
    [R_PS_AUTOD] = {"EXS-PS-AUTOD", "ProxyShell SSRF reached back-end Autodiscover",
                    "CVE-2021-34473", PS,
                    "Autodiscover path confusion whose mailbox sits in a= or after @ in the query "
                    "(Metasploit's and the public PoCs' shape, autodiscover.json?a=x@y/autodiscover/"
                    "autodiscover.xml) answered with success: the first step of the chain, the "
                    "LegacyDN of a mailbox. The SSRF works on this server; look for /mapi/emsmdb "
                    "(the SID leak) and /powershell next.",
        "T1190", false},
    [R_PS_PROBE] = {"EXS-PS-PROBE", "ProxyShell vulnerability probe", "CVE-2021-34473", PS,
                    "Autodiscover path confusion from a scanner (a placeholder mailbox domain such as "
                    "nuclei's @test.com or example.com, an out-of-band callback domain, or a "
                    "scanner's user agent). Not served: a probe. Served but only to a page that is no "
                    "back-end service (/owa/, Autodiscover): the scanner confirmed the hole, still a "
                    "probe (severity medium). A scanner's request that a back-end service (/powershell, "
                    "/mapi, /EWS) served is reported as EXS-PS-SSRF.",
        "T1595.002", false},
    [R_PNS_SSRF] = {"EXS-PNS-SSRF", "ProxyNotShell SSRF to Remote PowerShell",
                    "CVE-2022-41040,CVE-2022-41082", PNS,
                    "Autodiscover path confusion naming powershell, by a person's account (not the "
                    "computer account or SYSTEM) and without the X-Rps-CAT token of ProxyShell "
                    "(GTSC/MSRC hunting pattern powershell.*autodiscover.json.*@.*200); in Rps_Http, "
                    "a /powershell row with the Email=autodiscover/... parameter and no token.",
        "T1190", false},
    [R_PNS_POC] = {"EXS-PNS-POC", "ProxyNotShell proof-of-concept trace", "CVE-2022-41040", PNS,
                   "Request shapes of the public ProxyNotShell PoC (autodiscover.json x=a, "
                   "/autodiscover/admin@localhost/).",
        "T1190", false},
    [R_OWASSRF_IIS] = {"EXS-OWASSRF-IIS", "OWASSRF: Remote PowerShell reached through OWA",
                       "CVE-2022-41080,CVE-2022-41082", PNS,
                       "POST to /owa/<mailbox>/powershell answered 200, not from a WinRM client or "
                       "Exchange probe (CrowdStrike OWASSRF).",
        "T1190", false},
    [R_OWASSRF_RPS] = {"EXS-OWASSRF-RPS", "Remote PowerShell session without a known client",
                       "CVE-2022-41080,CVE-2022-41082", PNS,
                       "Rps_Http: Kerberos-authenticated POST to /powershell answered 200 whose "
                       "ClientInfo is not a WinRM client or Exchange probe (CrowdStrike Rps_Http-IOC).",
        "T1190", false},
    [R_CMD_MBXEXPORT] = {"EXS-CMD-MBXEXPORT", "Mailbox exported to a web path or share",
                         "CVE-2021-31207", CM,
                         "New-MailboxExportRequest with a FilePath ending in a script extension, in a web "
                         "root or on an admin share (exploitation: the ProxyShell web-shell drop), or "
                         "on another UNC share: by the computer account or SYSTEM it is the exploit's "
                         "session (exploitation, high), by a person an administrator's export may be "
                         "meant (suspicious, low).",
        "T1114.002", false},
    [R_CMD_ROLEASSIGN] = {"EXS-CMD-ROLEASSIGN", "Mailbox Import Export role assigned", "", CM,
                          "New-ManagementRoleAssignment granting \"Mailbox Import Export\", the "
                          "prerequisite of mailbox export: suspicious by a person, exploitation "
                          "by the computer account or SYSTEM.",
        "T1098", false},
    [R_CMD_MBXEXPORT_RM] = {"EXS-CMD-MBXEXPORT-RM", "Mailbox export requests removed", "", CM,
                            "Remove-MailboxExportRequest: clean-up after an export.",
        "T1070", false},
    [R_CMD_CERTREQ] = {"EXS-CMD-CERTREQ", "Certificate request written into a web path",
                       "CVE-2021-31207", CM,
                       "New-ExchangeCertificate -RequestFile to a script path or admin share: the "
                       "DER-file web-shell variant.",
        "T1505.003", false},
    [R_CMD_SETVDIR] = {"EXS-CMD-SETVDIR", "Script written into a virtual directory URL (cmdlet log)",
                       "CVE-2021-27065", CM,
                       "Set-*VirtualDirectory with markup in a URL parameter.",
        "T1505.003", false},
    [R_CMD_TRANSPORTAGENT] = {"EXS-CMD-TRANSPORTAGENT", "Transport agent installed or enabled", "", CM,
                              "Install-/Enable-TransportAgent: a mail-flow backdoor if not expected.",
        "T1505.002", true},
    [R_EV_26857_UM] = {"EXS-EV-26857-UM", "Unified Messaging deserialisation error", "CVE-2021-26857",
                       PL,
                       "Application log, MSExchange Unified Messaging, Error, System.InvalidCastException "
                       "(Microsoft's and Test-ProxyLogon's predicate; no event id filter).",
        "T1190", false},
    [R_EV_UM_CRASH] = {"EXS-EV-UM-CRASH", "Unified Messaging worker crash on a gadget",
                       "CVE-2021-26857", PL,
                       "A UM worker Watson report naming TextFormattingRunProperties: a failed "
                       "deserialisation attempt.",
        "T1190", false},
    [R_EV_W3WP_CHILD] = {"EXS-EV-W3WP-CHILD", "IIS or UM worker started a process", "", WS,
                         "w3wp.exe or UMWorkerProcess.exe spawned a child other than the compilers "
                         "and error reporting (csc, cvtres, WerFault, wermgr): a web shell or the "
                         "26857 exploit running commands.",
        "T1505.003,T1059", false},
    [R_EV_CHOPPER] = {"EXS-EV-CHOPPER", "China Chopper command line", "", WS,
                      "Command fragments China Chopper sends (&whoami&echo, &echo [S], ...).",
        "T1505.003,T1059.003", false},
    [R_EV_LSASS_DUMP] = {"EXS-EV-LSASS-DUMP", "LSASS memory dumped", "", PE,
                         "A dump aimed at lsass.exe by any public method: comsvcs.dll MiniDump through "
                         "rundll32, procdump (renamed too: -accepteula with -ma/-mp/-mm), rdrleakdiag, "
                         "WerFaultSecure/WerFault '/h /pid ... /file' (the PPL dumpers), WerFault's "
                         "crash-report or silent-exit form aimed at lsass, SQLDumper, createdump, "
                         "tttracer, PPLdump, PPLBlade, nanodump, Dumpert, HandleKatz, Out-Minidump, "
                         "MiniDumpWriteDump in a script, Task Manager's lsass.DMP: credentials were "
                         "stolen; reset them.",
        "T1003.001", false},
    [R_EV_PROC_DUMP] = {"EXS-EV-PROC-DUMP", "Process memory dumped", "", PE,
                        "A dump tool ran against a process this log does not identify as lsass.",
        "T1003.001", false},
    [R_EV_LSASS_ACCESS] = {"EXS-EV-LSASS-ACCESS", "LSASS opened by a dump tool", "", PE,
                           "Sysmon 10: lsass.exe opened by a dumping or attack tool, or by anything whose "
                           "call trace runs through dbghelp, dbgcore or comsvcs (a minidump writer). "
                           "Memory-read rights from an unknown process are suspicious; the system's "
                           "own readers, Process Monitor and Process Explorer, backup agents and "
                           "EDR/antivirus services are not reported unless the call trace says dump.",
        "T1003.001", false},
    [R_EV_STAGING] = {"EXS-EV-STAGING", "Data staged for theft", "", PE,
                      "7-Zip or makecab packing mailboxes or dumps, vssadmin shadow listing: the "
                      "Hafnium post-exploitation pattern.",
        "T1560.001", false},
    [R_EV_ASPX_WRITE] = {"EXS-EV-ASPX-WRITE", "Script file written into an Exchange web folder", "",
                         WS,
                         "Sysmon 11: a script created under owa/auth, ecp/auth, OAB, aspnet_client "
                         "or ClientAccess by something other than setup: a web shell drop.",
        "T1505.003", true},
    [R_EV_DUMP_FILE] = {"EXS-EV-DUMP-FILE", "Memory dump file written", "", PE,
                        "Sysmon 11: a .dmp file created; named after lsass it is the dump itself.",
        "T1003.001", false},
    [R_EV_W3WP_THREAD] = {"EXS-EV-W3WP-THREAD", "IIS worker injected a thread", "", WS,
                          "Sysmon 8: w3wp.exe created a remote thread in another process.",
        "T1055", false},
    [R_EV_W3WP_TUNNEL] = {"EXS-EV-W3WP-TUNNEL", "IIS worker connected to a remote-access port", "",
                          WS,
                          "Sysmon 3: w3wp.exe connected to RDP, SMB, SSH or WinRM: a tunnelling "
                          "web shell (Tunna, reGeorg).",
        "T1572", false},
    [R_EV_DEFENDER] = {"EXS-EV-DEFENDER", "Antivirus detection", "", EV,
                       "Microsoft Defender detection and remediation events: 1006/1116 (detected), "
                       "1015 (suspicious behaviour), 1160 (potentially unwanted software, one "
                       "severity lower), 1007/1117 (action taken), 1008/1118/1119 (action failed: "
                       "one severity higher) and 1009 (restored from quarantine: one higher). "
                       "Exchange-era names (Exmann, Chopper, SecChecker, DoejoCrypt, DumpLsass) "
                       "weigh as exploitation.",
        "", false},
    [R_EV_LOG_CLEARED] = {"EXS-EV-LOG-CLEARED", "Event log cleared", "", EV,
                          "Security 1102 or System 104, or the command that did it (wevtutil cl / "
                          "clear-log, Clear-EventLog, Remove-EventLog, EventLogSession.GlobalSession."
                          "ClearLog, WMI ClearEventLog) in a process creation or script block: "
                          "someone wiped an event log.",
        "T1070.001", false},
    [R_EV_PS_SCRIPT] = {"EXS-EV-PS-SCRIPT", "Offensive PowerShell", "", PE,
                        "PowerShell script block or pipeline with Nishang, PowerCat or "
                        "MiniDumpWriteDump.",
        "T1059.001", false},
    [R_EV_W3WP_LOGON] = {"EXS-EV-W3WP-LOGON", "IIS worker logged on with explicit credentials",
                         "", WS, "Security 4648 from w3wp.exe: a web shell using stolen credentials.",
        "T1078", false},
    [R_EV_LSASS_HANDLE] = {"EXS-EV-LSASS-HANDLE", "LSASS handle requested by a script host", "",
                           PE, "Security 4656/4663 on lsass.exe from an unexpected process.",
        "T1003.001", false},
    [R_EV_SILENT_EXIT] = {"EXS-EV-SILENT-EXIT", "Silent process exit monitoring of LSASS", "", PE,
                          "Application 3001 for lsass.exe: the SilentProcessExit dump technique.",
        "T1003.001", false},
    [R_EV_DS_CHANGE] = {"EXS-EV-DS-CHANGE", "Directory permissions changed for replication", "",
                        EV,
                        "Security 5136/4662 granting or using directory replication rights "
                        "(PrivExchange-style relay to DCSync).",
        "T1003.006", false},
    [R_EV_GROUP_ADD] = {"EXS-EV-GROUP-ADD", "Member added to an Exchange or admin group", "", EV,
                        "Security 4728/4732/4756 adding a member to Exchange Trusted Subsystem, "
                        "Exchange Windows Permissions, Organization Management or an admin group.",
        "T1098", false},
    [R_EV_AGENTS_CONFIG] = {"EXS-EV-AGENTS-CONFIG", "Transport agent configuration modified", "", EV,
                            "Sysmon 11 on TransportRoles\\Shared\\agents.config: a transport agent "
                            "may have been added.",
        "T1505.002", true},
    [R_EV_EXCH_SNAPIN] = {"EXS-EV-EXCH-SNAPIN", "Exchange management snap-in loaded by hand", "",
                          PE,
                          "Add-PSSnapin Microsoft.Exchange...: mailbox export or recipient "
                          "discovery outside the Exchange Management Shell.",
        "T1059.001", false},
    [R_EV_DEFENDER_TAMPER] = {"EXS-EV-DEFENDER-TAMPER", "Defender protection turned off or weakened",
                              "", EV,
                              "Microsoft Defender 5001 (real-time protection disabled), 5010/5012 "
                              "(spyware or virus scanning disabled), 5004 (real-time protection "
                              "configuration changed, severity medium) and 5007 when the setting changed "
                              "adds an exclusion or turns a protection off (Disable...=0x1); other "
                              "5007 changes are routine and not reported. Intruders exclude their "
                              "web-shell and tool folders.",
        "T1562.001", false},
    [R_FILE_WS_NONDEFAULT] = {"EXS-FILE-WS-NONDEFAULT", "Script that a default Exchange install does not have", "", WS,
                              "A script file in owa\\auth (or its Current and version folders), ecp\\auth, "
                              "FrontEnd\\HttpProxy, OAB, aspnet_client or wwwroot whose name is not on the "
                              "folder's allowlist of default files (exact, case-insensitive). Look-alikes of "
                              "default names and published web-shell names make it a backdoor; otherwise read "
                              "the file. The finding names the URL it is served under and the requests to it.",
        "T1505.003", false},
    [R_FILE_WS_CODE] = {"EXS-FILE-WS-CODE", "Server code that hands request data to a dangerous sink", "", WS,
                        "The script reader extracts a page's server code (C#, VB.NET, VBScript, JScript), "
                        "folds its obfuscations (concatenation, character codes, reversal, unescaping, "
                        "base64, XOR, code in strings) and follows request data (Request in all its forms, "
                        "server controls, web-method parameters, Session) through variables, decode steps "
                        "and the page's own functions into sinks: evaluation, process start, assembly "
                        "loading, file writes and uploads, SQL text, XSLT script, registry, sockets, file "
                        "management. The finding names the source, the steps and the sink with their lines "
                        "and a score (ws_score: 80 and more is a web shell, 50 to 79 suspicious).",
        "T1505.003", true},
    [R_FILE_WS_HIDDEN] = {"EXS-FILE-WS-HIDDEN", "Hidden or system attribute on a web script", "", WS,
                          "A script in a web folder carries the Windows Hidden or System attribute (read from "
                          "the image's NTFS attributes: ntfs-3g system.ntfs_attrib, ntfs3 system.dos_attrib or "
                          "Samba user.DOSATTRIB). Intruders hide shells with attrib +h +s +r.",
        "T1505.003,T1564.001", true},
    [R_FILE_WS_PST] = {"EXS-FILE-WS-PST", "Mailbox export (PST) written as a web page", "CVE-2021-31207", PS,
                       "A file that starts like a PST (!BDN) but holds an ASP.NET page directive: the ProxyShell "
                       "web shell, a mailbox exported with New-MailboxExportRequest into a web folder.",
        "T1505.003", true},
    [R_FILE_WS_DER] = {"EXS-FILE-WS-DER", "Certificate request written as a web page", "CVE-2021-31207", PS,
                       "A file that starts like a DER certificate request (30 82) but holds an ASP.NET page "
                       "directive: the ProxyShell variant using New-ExchangeCertificate -RequestFile.",
        "T1505.003", true},
    [R_FILE_WS_JUNK] = {"EXS-FILE-WS-JUNK", "Binary bytes before an ASP.NET page directive", "", WS,
                        "A page whose first bytes are binary while a page directive follows: the signature of "
                        "pages written through an export or a file-write primitive (ProxyShell and relatives).",
        "T1505.003", true},
    [R_FILE_WS_COMPILED] = {"EXS-FILE-WS-COMPILED", "ASP.NET compiled a non-default page", "", WS,
                            "A .compiled record in Temporary ASP.NET Files names a virtual path that a default "
                            "Exchange install does not have (owa/auth, ecp/auth, aspnet_client, OAB): the page "
                            "was requested and ran at least once, even if it is gone now.",
        "T1505.003", true},
    [R_FILE_WS_REMOVED] = {"EXS-FILE-WS-REMOVED", "Web shell used, then removed", "", WS,
                           "Requests answered with success to a non-default script in an Exchange web folder "
                           "that the image holds, but the file is not there: a shell that was deleted (by MSERT, "
                           "an admin, the attacker, or the FBI operation of April 2021). First and last use and "
                           "clients are listed.",
        "T1505.003,T1070.004", true},
    [R_FILE_HASH_IOC] = {"EXS-FILE-HASH-IOC", "File hash in an IOC list", "", WS,
                         "The file's SHA-256 is a published indicator (built-in list of the public advisories, "
                         "or a list given with --ioc).",
        "", false},
    [R_FILE_PATH_IOC] = {"EXS-FILE-PATH-IOC", "File at a path published as an indicator", "", PE,
                         "A file at a tool or drop path of the public reports (built-in list) or of a list given "
                         "with --ioc. Paths that name files Exchange ships (logon.aspx, TimeoutLogout.aspx) are "
                         "not matched by name: content and hash decide for those.",
        "", false},
    [R_FILE_IIS_VDIR] = {"EXS-FILE-IIS-VDIR", "IIS virtual directory pointing into ProgramData or Users", "", PS,
                         "applicationHost.config maps a URL to a folder under ProgramData, Users or Temp: how "
                         "ProxyShell-era intruders served shells from C:\\ProgramData\\COM1 and similar folders.",
        "T1505.003", true},
    [R_FILE_LSASS_DUMP] = {"EXS-FILE-LSASS-DUMP", "Memory dump of LSASS", "", PE,
                           "A minidump whose process is lsass.exe (read from the dump's module list), or a dump "
                           "named after lsass: credentials of every account logged on to the server were taken.",
        "T1003.001", false},
    [R_FILE_MINIDUMP] = {"EXS-FILE-MINIDUMP", "Process memory dump in an odd place", "", PE,
                         "A minidump in Temp, at a drive root, in a web folder or ProgramData, of a process other "
                         "than lsass (or unknown): check which process it holds and who wrote it.",
        "T1003.001", false},
    [R_FILE_STAGING] = {"EXS-FILE-STAGING-ARCHIVE", "Archive staged in ProgramData", "", PE,
                        "A zip, 7z or rar directly in ProgramData (Test-ProxyLogon's check). Reported only when the "
                        "sweep found evidence of compromise as well: security products leave such archives too.",
        "T1560.001", false},
    [R_FILE_DEARCRY_ENC] = {"EXS-FILE-DEARCRY-ENCRYPTED", "Files encrypted by DearCry", "", "Ransomware",
                            "Files that start with the DEARCRY! marker (usually renamed *.CRYPT): DearCry "
                            "ransomware ran. Counted, with examples.",
        "T1486", false},
    [R_FILE_RANSOM_NOTE] = {"EXS-FILE-RANSOM-NOTE", "Ransom note by name", "", "Ransomware",
                            "A file named like a ransom note of the ransomware seen after ProxyLogon "
                            "(Black Kingdom's decrypt_file.TxT).",
        "T1486", false},
    [R_FILE_EOMT] = {"EXS-FILE-EOMT", "Exchange On-premises Mitigation Tool ran", "CVE-2021-26855", PL,
                     "EOMT or EOMTv2 left its log or summary: the server was considered vulnerable when it ran; "
                     "its mitigation covers only the SSRF, and MSERT removes only the shells it knows.",
        "", false},
    [R_FILE_MSERT] = {"EXS-FILE-MSERT", "Microsoft Safety Scanner run and detections", "", WS,
                      "msert.log: a scan ran (EOMT runs one); each detection is listed with what was done. "
                      "A removed shell still means the server was compromised.",
        "", false},
    [R_IOC_NET] = {"EXS-IOC-NET", "Traffic from an address or domain in an IOC list", "", "IOC",
                   "Findings or script requests whose client address (or requested host) is in a list given "
                   "with --ioc.",
        "", false},
    [R_LINK_SHELL] = {"EXS-LINK-SHELL", "Web shell: file, creation, use and commands tied together",
                      "", WS,
                      "One web shell seen from several sides: the file on disk (or its removal), the "
                      "event that created it, the requests that used it, and the processes the IIS "
                      "worker started around those requests. Start the timeline here.",
        "T1505.003", true},
    [R_REG_SERVICE] = {"EXS-REG-SERVICE", "Service that runs from a web or user-writable folder, or runs a script",
                       "", PE,
                       "SYSTEM hive: a service whose ImagePath (or svchost ServiceDll) lies in a web folder (inetpub, aspnet_client, "
                       "FrontEnd\\HttpProxy: exploitation), in ProgramData, Users\\Public, Windows\\Temp, a "
                       "Temp folder or AppData, or that starts cmd, PowerShell, mshta, rundll32 or a script host "
                       "with a script or command (exploitation when encoded or downloading). Attackers install "
                       "their tools and ransomware as services; the key's last-written time is when it was "
                       "created or changed. Defender's own folders in ProgramData are left out.",
        "T1543.003", false},
    [R_REG_DEARCRY] = {"EXS-REG-DEARCRY-SERVICE", "DearCry's service (msupdate)", "", "Ransomware",
                       "SYSTEM hive: a service named msupdate, the name DearCry (DoejoCrypt) gives the service "
                       "it installs on the Exchange servers it encrypts (catalogue 4). Exploitation when its "
                       "ImagePath lies outside Windows\\System32 and Program Files or has the traits of "
                       "EXS-REG-SERVICE; the name alone is suspicious. Look for .CRYPT files and readme.txt.",
        "T1543.003,T1486", false},
    [R_REG_RUN] = {"EXS-REG-RUN", "Autorun (Run, RunOnce) from a web or user-writable folder, or running a script",
                   "", PE,
                   "SOFTWARE (and Wow6432Node) or NTUSER.DAT Run and RunOnce values with the traits of "
                   "EXS-REG-SERVICE: a program in a web folder (exploitation), in ProgramData, Users\\Public, "
                   "Windows\\Temp, a Temp folder or AppData, or a script host with a script or command. "
                   "OneDrive and Teams in a profile's AppData are left out.",
        "T1547.001", false},
    [R_REG_DEFENDER_EXCL] = {"EXS-REG-DEFENDER-EXCLUSION", "Defender exclusion that hides the web folders or scripts",
                             "", PE,
                             "SOFTWARE hive, Windows Defender Exclusions (and the policy's): a path exclusion "
                             "that covers the Exchange or IIS web folders (inetpub, FrontEnd\\HttpProxy, owa, ecp, "
                             "aspnet_client), an extension exclusion of server scripts (.aspx, .ashx, .asp, .asmx): "
                             "exploitation, as web-shell droppers do it; an exclusion of a whole drive, of every "
                             "extension or of the whole Exchange install, or of a process in a user-writable folder: "
                             "suspicious. The folders, "
                             "extensions and processes of Microsoft's recommended Exchange exclusions (ClientAccess\\OAB, "
                             "Logging, Mailbox, TransportRoles, FIP-FS, GroupMetrics, ...) are not reported, nor the "
                             "Temporary ASP.NET Files, inetsrv, w3wp.exe and PowerShell.exe that Microsoft "
                             "recommended until 2023.",
        "T1562.001", false},
    [R_REG_WDIGEST] = {"EXS-REG-WDIGEST", "WDigest set to keep clear-text credentials", "", PE,
                       "SYSTEM hive: Control\\SecurityProviders\\WDigest UseLogonCredential = 1, which makes LSASS "
                       "keep the passwords of interactive logons in clear text for the next dump to take: a "
                       "credential-theft step. Treat every account that logged on since the key's last-written "
                       "time as exposed.",
        "T1112,T1003.001", false},
    [R_REG_LSASS_SPE] = {"EXS-REG-LSASS-SILENT-EXIT", "LSASS dump on exit configured (SilentProcessExit)", "", PE,
                         "SOFTWARE hive: Image File Execution Options\\lsass.exe GlobalFlag with 0x200 "
                         "(monitor silent process exit) and SilentProcessExit\\lsass.exe with a local dump "
                         "(ReportingMode 0x2, LocalDumpFolder, DumpType): WerFault writes a dump of LSASS when it is "
                         "made to exit, a way to take credentials without a dumping tool. Exploitation when the "
                         "dump is configured; the flag alone is suspicious. Look in LocalDumpFolder for the dumps.",
        "T1003.001", false},
};

/* The rules of exs_rules(): this table, then the shipped YARA rules (their meta carries the same
 * fields), built once. */
static pthread_once_t all_once = PTHREAD_ONCE_INIT;
static exs_rule *all_rules;
static size_t all_n;

static void all_build(void)
{
    const xs_yrules *y = xs_yrules_shipped(NULL, 0);
    size_t ny = xs_yrules_count(y);
    all_rules = calloc(R__COUNT + ny, sizeof *all_rules);
    if (!all_rules)
        return;
    memcpy(all_rules, xs_rule_table, sizeof xs_rule_table);
    all_n = R__COUNT;
    for (size_t i = 0; i < ny; i++) {
        const xs_yrule *r = xs_yrules_get(y, i);
        if (!r->is_private)
            all_rules[all_n++] = r->rule;
    }
}

const exs_rule *exs_rules(size_t *n)
{
    pthread_once(&all_once, all_build);
    if (!all_rules) {
        *n = R__COUNT;
        return xs_rule_table;
    }
    *n = all_n;
    return all_rules;
}

const char *exs_verdict_name(exs_verdict v)
{
    switch (v) {
    case EXS_VERDICT_PROBE: return "probe";
    case EXS_VERDICT_ATTEMPT: return "attempt";
    case EXS_VERDICT_SUSPICIOUS: return "suspicious";
    case EXS_VERDICT_EXPLOITATION: return "exploitation";
    }
    return "unknown";
}

const char *exs_severity_name(exs_severity s)
{
    switch (s) {
    case EXS_SEV_LOW: return "low";
    case EXS_SEV_MEDIUM: return "medium";
    case EXS_SEV_HIGH: return "high";
    case EXS_SEV_CRITICAL: return "critical";
    }
    return "unknown";
}

exs_verdict exs_verdict_parse(const char *name)
{
    for (int v = EXS_VERDICT_PROBE; v <= EXS_VERDICT__MAX; v++)
        if (name && strcmp(name, exs_verdict_name((exs_verdict)v)) == 0)
            return (exs_verdict)v;
    return 0;
}

exs_severity exs_severity_parse(const char *name)
{
    for (int v = EXS_SEV_LOW; v <= EXS_SEV_CRITICAL; v++)
        if (name && strcmp(name, exs_severity_name((exs_severity)v)) == 0)
            return (exs_severity)v;
    return 0;
}

const exs_rule *exs_rule_find(const char *id)
{
    size_t n;
    const exs_rule *r = exs_rules(&n);
    for (size_t i = 0; id && i < n; i++)
        if (strcmp(r[i].id, id) == 0)
            return &r[i];
    return NULL;
}

const char *exs_rule_ruleset(const exs_rule *r)
{
    return r && r->family && strcmp(r->family, "Sigma") == 0 ? "sigma" : "exsweep";
}

/* Names as MITRE ATT&CK Enterprise gives them (attack.mitre.org), for the techniques the rules
 * above use. */
static const struct {
    const char *id, *name;
} techniques[] = {
    {"T1003", "OS Credential Dumping"},
    {"T1003.001", "OS Credential Dumping: LSASS Memory"},
    {"T1003.006", "OS Credential Dumping: DCSync"},
    {"T1055", "Process Injection"},
    {"T1059", "Command and Scripting Interpreter"},
    {"T1059.001", "Command and Scripting Interpreter: PowerShell"},
    {"T1059.003", "Command and Scripting Interpreter: Windows Command Shell"},
    {"T1070", "Indicator Removal"},
    {"T1070.001", "Indicator Removal: Clear Windows Event Logs"},
    {"T1070.004", "Indicator Removal: File Deletion"},
    {"T1078", "Valid Accounts"},
    {"T1098", "Account Manipulation"},
    {"T1112", "Modify Registry"},
    {"T1114", "Email Collection"},
    {"T1114.002", "Email Collection: Remote Email Collection"},
    {"T1190", "Exploit Public-Facing Application"},
    {"T1486", "Data Encrypted for Impact"},
    {"T1496", "Resource Hijacking"},
    {"T1505", "Server Software Component"},
    {"T1505.002", "Server Software Component: Transport Agent"},
    {"T1505.003", "Server Software Component: Web Shell"},
    {"T1543", "Create or Modify System Process"},
    {"T1543.003", "Create or Modify System Process: Windows Service"},
    {"T1547", "Boot or Logon Autostart Execution"},
    {"T1547.001", "Boot or Logon Autostart Execution: Registry Run Keys / Startup Folder"},
    {"T1560", "Archive Collected Data"},
    {"T1560.001", "Archive Collected Data: Archive via Utility"},
    {"T1564", "Hide Artifacts"},
    {"T1564.001", "Hide Artifacts: Hidden Files and Directories"},
    {"T1562", "Impair Defenses"},
    {"T1562.001", "Impair Defenses: Disable or Modify Tools"},
    {"T1572", "Protocol Tunneling"},
    {"T1595", "Active Scanning"},
    {"T1595.002", "Active Scanning: Vulnerability Scanning"},
    {"T1595.003", "Active Scanning: Wordlist Scanning"},
};

const char *exs_technique_name(const char *id)
{
    for (size_t i = 0; id && i < sizeof techniques / sizeof techniques[0]; i++)
        if (strcmp(techniques[i].id, id) == 0)
            return techniques[i].name;
    return NULL;
}

/* Prefilter expressions, per evidence shape (Vectorscan syntax, compiled caseless and
 * multi-line). Each list must match every line its detectors could report: a line the
 * prefilter drops is never parsed. Tokens the predicates decode (%XX, '\') are matched in
 * their common encoded forms too. */
#include "detectors/detect.h"

#define SL "(/|%2f|\\\\|%5c)" /* a path separator, raw or encoded */
#define DOT "(\\.|%2e)"
#define SCRIPT DOT "(aspx|ashx|asmx|asp|asa|cer|cdx|php|jspx?|cfm|shtml|cshtml|soap|rem)"

const char *const exs_pat_directive[] = {"^#", NULL};

const char *const exs_pat_request[] = {
    /* ProxyLogon SSRF anchors and carriers (catalogue 2.1) */
    "serverinfo~",
    "/ecp/default" DOT "flt",
    "/ecp/main" DOT "css",
    "/owa/auth/current/",
    "/(owa|ecp)/auth/[wx]" DOT "js",
    "/ecp/[^ ,\\r\\n]*" DOT "js.*,post,",
    ",post,.*/ecp/[^ ,\\r\\n]*" DOT "js",
    "schema(=|%3d)reset",
    /* tool, crawler and web-shell client user agents */
    "exchangeservicesclient/0\\.0\\.0\\.0",
    "python-requests/",
    "antsword",
    "googlebot",
    "baiduspider",
    "duckduckbot",
    "facebookexternalhit",
    "bingbot",
    "exabot",
    "yahoo!",
    "yandexbot",
    "chrome/51\\.0\\.2704\\.103",
    /* scripts in Exchange web folders (catalogue 3.1) */
    "(owa|ecp)" SL "+auth" SL ".*" SCRIPT,
    "aspnet_client.*" SCRIPT,
    SL "oab" SL ".*" SCRIPT,
    /* any other script request: kept to attach requests to shells found on disk */
    /* (not .asmx: every EWS request is /EWS/Exchange.asmx) */
    DOT "(aspx|ashx|asp|asa|cer|cdx|php|jspx?|cfm|shtml|cshtml)[ ,?\"\\r\\n]",
    /* commands in query strings (Sigma web_win_webshells_in_access_logs) */
    "=whoami", "=net%20user", "=net\\+user", "=net%2buser", "=cmd%20/[crk]%", "=cmd\\+/[crk]\\+",
    "=cmd%2b/[crk]%", "=powershell[%+]", "=tasklist[%+]", "=wmic[%+]", "=ssh[%+]",
    "=python3?[%+]", "=ipconfig", "=wget[%+]", "=curl[%+]", "=certutil", "=copy%20%5c%5c",
    "=dsquery[%+]", "=nltest[%+]",
    /* tunnels */
    "proxy&port=", "cmd=(connect|disconnect|read|forward)", "connect&target",
    /* ProxyShell / ProxyNotShell (catalogue 2.5, 2.6) */
    "autodiscover" DOT "json.*(" SL "(powershell|mapi" SL "nspi|ews)|x-rps-cat|%3f@|%3f%40|[ ,?]@)",
    "email=autodiscover" SL "autodiscover" DOT "json",
    "autodiscover" DOT "json[ ?,]x=a",
    "/autodiscover/admin(@|%40)localhost/",
    /* OWASSRF */
    SL "owa" SL ".*powershell",
    NULL,
};

/* W3C line order puts the method before the path. */
const char *const exs_pat_request_iis[] = {
    "post /ecp/[^ \\r\\n]*" DOT "js",
    "post " SL "powershell",
    NULL,
};

const char *const exs_pat_rpshttp[] = {"powershell", NULL};

const char *const exs_pat_ecp[] = {"virtualdirectory", NULL};

const char *const exs_pat_oabgen[] = {"download failed and temporary file", NULL};

const char *const exs_pat_cmdlet[] = {
    "mailboxexportrequest", "managementroleassignment", "new-exchangecertificate",
    "transportagent", "virtualdirectory", NULL,
};

const char *const exs_pat_text[] = {
    "serverinfo~", "virtualdirectory", "download failed and temporary file", NULL,
};

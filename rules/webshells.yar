/*
 * exsweep shipped rules: web shells on Exchange and IIS.
 *
 * Written for exsweep from the behaviours described in docs/detection-catalogue.md (section 3.4)
 * of the project's shared documentation; no third-party rule text is reused. See rules/README.md
 * for the meta fields and the gate convention every rule here obeys: a rule's condition cannot be
 * true unless at least one of its literal strings occurs in the file.
 */

/* Server-side script: a page directive, a server script block or inline ASP code. */
private rule exs_server_script
{
    strings:
        $runat1 = "runat=\"server\"" nocase ascii wide
        $runat2 = "runat='server'" nocase ascii wide
        $runat3 = "runat=server" nocase ascii wide
        $dir1 = "<%@ Page" nocase ascii wide
        $dir2 = "<%@Page" nocase ascii wide
        $dir3 = "<%@ WebHandler" nocase ascii wide
        $dir4 = "<%@ WebService" nocase ascii wide
        $dir5 = "<%@ Language" nocase ascii wide
        $dir6 = "<%@Language" nocase ascii wide
        $code = /<%[^@\-]/ ascii wide
    condition:
        any of them
}

/* Reads of request data. */
private rule exs_request_data
{
    strings:
        $r1 = "Request.Item" nocase ascii wide
        $r2 = "Request.Form" nocase ascii wide
        $r3 = "Request[" nocase ascii wide
        $r4 = "Request(" nocase ascii wide
        $r5 = "Request.QueryString" nocase ascii wide
        $r6 = "Request.Params" nocase ascii wide
        $r7 = "Request.Headers" nocase ascii wide
        $r8 = "Request.Cookies" nocase ascii wide
        $r9 = "Request.InputStream" nocase ascii wide
        $r10 = "Request.BinaryRead" nocase ascii wide
        $r11 = "Request.Files" nocase ascii wide
    condition:
        any of them
}

rule EXS_WS_Eval_Request
{
    meta:
        id = "EXS-Y-WS-EVAL"
        name = "Server-side script evaluates request data"
        family = "WebShell"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        description = "A page hands what the client sent to eval or Execute: the China Chopper family and its one-line relatives, the shells of the March 2021 Exchange intrusions. Whoever knows the parameter name runs code as the IIS worker. Remove the file after copying it, and look for its requests in the IIS and HttpProxy logs."
    strings:
        $e1 = "eval(Request" nocase ascii wide
        $e2 = "eval (Request" nocase ascii wide
        $e3 = "eval( Request" nocase ascii wide
        $e4 = "eval(System.Text.Encoding" nocase ascii wide
        $e5 = "execute(request" nocase ascii wide
        $e6 = "execute request" nocase ascii wide
        $e7 = "executeglobal(request" nocase ascii wide
        $e8 = "executeglobal request" nocase ascii wide
        $unsafe = "\"unsafe\"" nocase ascii wide
    condition:
        exs_server_script and (any of ($e*) or ($unsafe and exs_request_data))
}

rule EXS_WS_Process_From_Request
{
    meta:
        id = "EXS-Y-WS-PROCESS"
        name = "Server-side script starts processes with request data"
        family = "WebShell"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        description = "A page starts a process (Process.Start, ProcessStartInfo, WScript.Shell) and reads request fields: a command shell. Exchange pages never do this."
    strings:
        $p1 = "Process.Start(" nocase ascii wide
        $p2 = "ProcessStartInfo" nocase ascii wide
        $p3 = "new Process(" nocase ascii wide
        $p4 = "WScript.Shell" nocase ascii wide
        $p5 = "Shell.Application" nocase ascii wide
        $p6 = "Diagnostics.Process" nocase ascii wide
    condition:
        exs_server_script and exs_request_data and any of ($p*)
}

rule EXS_WS_Assembly_Load
{
    meta:
        id = "EXS-Y-WS-ASSEMBLY"
        name = "Server-side script loads code sent by the client"
        family = "WebShell"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        description = "A page loads a .NET assembly or compiles source it received (Assembly.Load with base64 or decrypted request bytes, CSharpCodeProvider): the loaders of Behinder, Godzilla and similar frameworks. The real payload never touches the disk."
    strings:
        $a1 = "Assembly.Load" nocase ascii wide
        $a2 = "CompileAssemblyFromSource" nocase ascii wide
        $a3 = "CSharpCodeProvider" nocase ascii wide
        $b1 = "FromBase64String" nocase ascii wide
        $b2 = "TransformFinalBlock" nocase ascii wide
        $b3 = "CreateInstance(" nocase ascii wide
    condition:
        exs_server_script and exs_request_data and any of ($a*) and any of ($b*)
}

rule EXS_WS_Obfuscated
{
    meta:
        id = "EXS-Y-WS-OBFUSCATED"
        name = "Obfuscated server-side eval"
        family = "WebShell"
        verdict = "exploitation"
        severity = "high"
        scope = "file"
        description = "Server-side script hiding an eval: identifiers like _0x.. from a JavaScript obfuscator, eval spelled in escapes, or eval of eval. Seen on Exchange as Chopper variants written through the virtual-directory reset."
    strings:
        $o1 = "eval(Request[_0x" nocase ascii wide
        $o2 = "\\x65\\x76\\x61\\x6c" nocase ascii wide
        $o3 = "\\u0065\\u0076\\u0061\\u006c" nocase ascii wide
        $o4 = "eval(eval(" nocase ascii wide
        $o5 = "String.fromCharCode(" nocase ascii wide
        $o6 = "'unsafe'" nocase ascii wide
        $x1 = /_0x[0-9a-f]{4,6}/ ascii wide
        $ev = "eval(" nocase ascii wide
    condition:
        exs_server_script and
        (any of ($o1, $o2, $o3, $o4) or ($o5 and $ev and exs_request_data) or
         ($o6 and #x1 > 5 and $ev))
}

rule EXS_WS_OAB_Dump
{
    meta:
        id = "EXS-Y-WS-OAB-DUMP"
        name = "OAB virtual directory dump carrying a script"
        family = "WebShell"
        verdict = "exploitation"
        severity = "critical"
        cves = "CVE-2021-27065"
        scope = "file"
        description = "The text dump of the OAB virtual directory (Name, OfflineAddressBooks, InternalAuthenticationMethods, ...) with a script in ExternalUrl or InternalUrl: the file CVE-2021-27065 writes through the virtual-directory reset. Served by IIS, the script runs. Check the ECP Server log for Set-OabVirtualDirectory at the file's time."
    strings:
        $k1 = "OfflineAddressBooks" nocase ascii wide
        $k2 = "InternalAuthenticationMethods" nocase ascii wide
        $k3 = "ExtendedProtectionTokenChecking" nocase ascii wide
        $k4 = "msExchOABVirtualDirectory" nocase ascii wide
        $k5 = "ExternalAuthenticationMethods" nocase ascii wide
        $u1 = "ExternalUrl" nocase ascii wide
        $u2 = "InternalUrl" nocase ascii wide
        $s1 = "<script" nocase ascii wide
        $s2 = "runat=" nocase ascii wide
        $s3 = "Page Language" nocase ascii wide
        $s4 = /<%[^@]/ ascii wide
    condition:
        filesize < 1MB and 2 of ($k*) and any of ($u*) and any of ($s*)
}

rule EXS_WS_Compiled_Page
{
    meta:
        id = "EXS-Y-WS-COMPILED"
        name = "Compiled ASP.NET page of a web shell"
        family = "WebShell"
        verdict = "exploitation"
        severity = "critical"
        scope = "file"
        gate = "$n"
        description = "An App_Web_*.dll from Temporary ASP.NET Files compiled from a page under aspnet_client or an auth folder, with a web shell's guts (JScript eval, process start, uploads, assembly loading). The page ran at least once; the source may be gone."
    strings:
        $n = "App_Web_" ascii
        $v1 = "~/aspnet_client/" nocase ascii wide
        $v2 = "/aspnet_client/" nocase ascii wide
        $v3 = "/owa/auth/" nocase ascii wide
        $v4 = "/ecp/auth/" nocase ascii wide
        $v5 = "~/auth/" nocase ascii wide
        $v6 = "/oab/" nocase ascii wide
        $m1 = "JScriptEvaluate" ascii
        $m2 = "ProcessStartInfo" ascii
        $m3 = "get_Files" ascii
        $m4 = "SaveAs" ascii
        $m5 = "FromBase64String" ascii
        $m6 = "Load" ascii
        $m7 = "set_FileName" ascii
    condition:
        uint16(0) == 0x5A4D and filesize < 4MB and $n and any of ($v*) and
        ($m1 or ($m2 and $m7) or ($m3 and $m4) or ($m5 and $m6 and $m3))
}

rule EXS_WS_Tunnel
{
    meta:
        id = "EXS-Y-WS-TUNNEL"
        name = "HTTP tunnel page (reGeorg family)"
        family = "WebShell"
        verdict = "exploitation"
        severity = "high"
        scope = "file"
        description = "A page that opens sockets on the client's behalf and speaks a CONNECT/READ/FORWARD protocol in headers: a reGeorg or Neo-reGeorg style tunnel used to reach internal hosts through the Exchange server."
    strings:
        $t1 = "System.Net.Sockets" nocase ascii wide
        $t2 = "new Socket(" nocase ascii wide
        $c1 = "\"CONNECT\"" ascii wide
        $c2 = "\"DISCONNECT\"" ascii wide
        $c3 = "\"FORWARD\"" ascii wide
        $c4 = "\"READ\"" ascii wide
        $h1 = "X-CMD" nocase ascii wide
        $h2 = "X-STATUS" nocase ascii wide
        $h3 = "X-ERROR" nocase ascii wide
        $h4 = "X-TARGET" nocase ascii wide
    condition:
        exs_server_script and any of ($t*) and 2 of ($c*, $h*)
}

rule EXS_WS_Security_Product_Check
{
    meta:
        id = "EXS-Y-WS-SECCHECK"
        name = "Page that checks for security products"
        family = "WebShell"
        verdict = "exploitation"
        severity = "high"
        scope = "file"
        description = "A small page that tests whether endpoint security agents (FireEye xagt, CrowdStrike Falcon and others) are installed and answers with a code: the reconnaissance page seen with the HAFNIUM shells in March 2021."
    strings:
        $x1 = "xagt.exe" nocase ascii wide
        $x2 = "csfalconservice.exe" nocase ascii wide
        $x3 = "CylanceSvc.exe" nocase ascii wide
        $x4 = "SentinelAgent.exe" nocase ascii wide
        $x5 = "cb.exe" nocase ascii wide
        $f1 = "File.Exists" nocase ascii wide
        $f2 = "FileExists" nocase ascii wide
        $w = "Response.Write" nocase ascii wide
    condition:
        filesize < 64KB and exs_server_script and $w and any of ($f*) and
        (any of ($x1, $x2, $x3, $x4) or 2 of ($x*))
}

rule EXS_WS_Config_With_Code
{
    meta:
        id = "EXS-Y-WS-WEBCONFIG"
        name = "web.config carrying server-side code"
        family = "WebShell"
        verdict = "exploitation"
        severity = "high"
        scope = "file"
        description = "An IIS configuration file that also holds ASP code: with a handler mapping for .config files, requesting the web.config runs it. Real Exchange and IIS configuration files hold no code blocks."
    strings:
        $c = "<configuration" nocase ascii wide
        $k1 = "Response.Write" nocase ascii wide
        $k2 = "Server.CreateObject" nocase ascii wide
        $k3 = "eval(" nocase ascii wide
        $k4 = "Execute(" nocase ascii wide
        $k5 = "WScript.Shell" nocase ascii wide
        $asp = /<%[^@=#$\-]/ ascii wide
    condition:
        filesize < 2MB and $c and $asp and any of ($k*)
}

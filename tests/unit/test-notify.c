/* exsweep notify, its library half: contacts files (CSV and RPSL, written here from the RIRs'
 * documented object formats), the longest-prefix and domain lookups, the probe results read
 * back, and the letters (headers, RFC 2047, both languages, hostile strings), with the
 * XS_NOTIFY_* caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "notify/contacts.h"
#include "notify/hosts.h"
#include "notify/letter.h"

static xs_contacts *read_str(const char *s, bool *rpsl)
{
    xs_contacts *c = xs_contacts_read(s, strlen(s), rpsl);
    assert_non_null(c);
    return c;
}

static const xs_contact *at(const xs_contacts *c, const char *addr)
{
    uint8_t a[16];
    assert_true(xs_addr_parse(addr, strlen(addr), a));
    return xs_contacts_addr(c, a);
}

static void test_mail_address(void **state)
{
    (void)state;
    static const char *const good[] = {"abuse@example.org", "a.b+c@sub.example.co.jp",
                                       "x_y@e-x.org"};
    static const char *const bad[] = {"", "abuse", "@example.org", "abuse@", "a@b",
                                      "a..b@example.org", ".a@example.org", "a@-x.org",
                                      "a@x.org\r\nBcc: evil@x.org", "a b@x.org", "a@x..org",
                                      "\"q\"@x.org", "a@b@x.org"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(xs_mail_address_ok(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (xs_mail_address_ok(bad[i], strlen(bad[i])))
            fail_msg("accepted: %s", bad[i]);
}

static void test_csv_contacts(void **state)
{
    (void)state;
    bool rpsl;
    xs_contacts *c = read_str("\xef\xbb\xbfnetwork,organisation,email\n"
                              "192.0.2.0/24,Example Net,abuse@example.net\n"
                              "192.0.2.128/25,\"Example, Sub\",noc@sub.example.net; "
                              "cert@sub.example.net\n"
                              "198.51.100.7,One Host,ONE@Host.Example\n"
                              "2001:db8::/32,Six,six@example.org\n"
                              "*.example.com,Example Com,abuse@example.com\n"
                              "shop.example.com,Shop,shop@example.com\n"
                              "# a comment\n"
                              "\n"
                              "not-a-network!,Bad,bad@example.org\n"
                              "203.0.113.0/24,No Mail,not-an-address\n"
                              "203.0.113.0/33,Bad Prefix,x@example.org\n",
                              &rpsl);
    assert_false(rpsl);
    assert_int_equal(xs_contacts_count(c), 6);
    const xs_contact *k = at(c, "192.0.2.10");
    assert_non_null(k);
    assert_string_equal(k->org, "Example Net");
    assert_string_equal(k->emails, "abuse@example.net");
    k = at(c, "192.0.2.200"); /* the longest prefix wins */
    assert_string_equal(k->org, "Example, Sub");
    assert_string_equal(k->emails, "noc@sub.example.net, cert@sub.example.net");
    k = at(c, "198.51.100.7");
    assert_string_equal(k->emails, "one@host.example");
    assert_null(at(c, "198.51.100.8"));
    assert_string_equal(at(c, "[2001:db8:1::5]")->org, "Six");
    assert_null(at(c, "2001:db9::1"));
    assert_null(at(c, "203.0.113.5"));
    assert_string_equal(xs_contacts_name(c, "mail.example.com")->org, "Example Com");
    assert_string_equal(xs_contacts_name(c, "a.shop.example.com")->org, "Shop");
    assert_string_equal(xs_contacts_name(c, "example.com")->org, "Example Com");
    assert_null(xs_contacts_name(c, "example.org"));
    size_t nw;
    uint64_t total;
    const xs_note *w = xs_contacts_warnings(c, &nw, &total);
    assert_int_equal(total, 4);
    assert_int_equal(w[0].line, 10);
    assert_non_null(strstr(w[0].message, "not a network or domain"));
    assert_int_equal(w[1].line, 11);
    assert_non_null(strstr(w[1].message, "not a mail address: not-an-address"));
    assert_int_equal(w[2].line, 11);
    assert_non_null(strstr(w[2].message, "no mail address"));
    assert_int_equal(w[3].line, 12);
    xs_contacts_free(c);
}

/* RPSL as the RIPE database dumps it: abuse-c on the inetnum, on its organisation, or a
 * mnt-irt; a range that is not one CIDR; an inetnum with no mailbox found. */
static void test_rpsl_contacts(void **state)
{
    (void)state;
    bool rpsl;
    xs_contacts *c = read_str(
        "% This is the RIPE Database query service.\n"
        "\n"
        "inetnum:        192.0.2.0 - 192.0.2.255\n"
        "netname:        EXAMPLE-NET\n"
        "descr:          Example network\n"
        "abuse-c:        AR1-TEST\n"
        "source:         TEST # filtered\n"
        "\n"
        "inetnum:        198.51.100.0 - 198.51.100.99\n"
        "netname:        ODD-RANGE\n"
        "org:            ORG-EX1-TEST\n"
        "\n"
        "inet6num:       2001:db8::/32\n"
        "netname:        SIX-NET\n"
        "mnt-irt:        IRT-SIX\n"
        "\n"
        "inetnum:        203.0.113.0 - 203.0.113.255\n"
        "netname:        NO-MAILBOX\n"
        "abuse-c:        NOBODY-TEST\n"
        "\n"
        "role:           Abuse Role\n"
        "nic-hdl:        AR1-TEST\n"
        "abuse-mailbox:  abuse@example.net\n"
        "\n"
        "organisation:   ORG-EX1-TEST\n"
        "org-name:       Example\n"
        "                Organisation BV\n"
        "abuse-c:        ar2-test\n"
        "\n"
        "role:           Org Abuse\n"
        "nic-hdl:        AR2-TEST\n"
        "abuse-mailbox:  abuse@example.org\n"
        "\n"
        "irt:            IRT-SIX\n"
        "abuse-mailbox:  cert@six.example\n",
        &rpsl);
    assert_true(rpsl);
    assert_int_equal(xs_contacts_count(c), 3);
    assert_string_equal(at(c, "192.0.2.77")->org, "EXAMPLE-NET");
    assert_string_equal(at(c, "192.0.2.77")->emails, "abuse@example.net");
    const xs_contact *k = at(c, "198.51.100.99"); /* the range's last address */
    assert_non_null(k);
    assert_string_equal(k->org, "Example Organisation BV");
    assert_string_equal(k->emails, "abuse@example.org");
    assert_null(at(c, "198.51.100.100"));
    assert_string_equal(at(c, "2001:db8:ffff::1")->emails, "cert@six.example");
    assert_null(at(c, "203.0.113.1"));
    size_t nw;
    uint64_t total;
    const xs_note *w = xs_contacts_warnings(c, &nw, &total);
    assert_int_equal(total, 1);
    assert_int_equal(w[0].line, 17);
    assert_non_null(strstr(w[0].message, "no abuse-mailbox"));
    xs_contacts_free(c);
}

/* The caps: a line past XS_NOTIFY_MAX_LINE, more than XS_NOTIFY_MAX_EMAILS addresses, a range
 * of more than XS_NOTIFY_MAX_CIDRS CIDRs; XS_NOTIFY_MAX_WARNINGS kept of more counted. */
static void test_contact_caps(void **state)
{
    (void)state;
    size_t cap = 1 << 20, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    o += (size_t)snprintf(s + o, cap - o, "network,organisation,email\n192.0.2.0/24,Long,");
    memset(s + o, 'a', XS_NOTIFY_MAX_LINE);
    o += XS_NOTIFY_MAX_LINE;
    o += (size_t)snprintf(s + o, cap - o, "@x.org\n192.0.2.0/24,Many,");
    for (int i = 0; i <= XS_NOTIFY_MAX_EMAILS; i++)
        o += (size_t)snprintf(s + o, cap - o, "m%d@x.org;", i);
    o += (size_t)snprintf(s + o, cap - o, "\n");
    for (int i = 0; i < XS_NOTIFY_MAX_WARNINGS + 5; i++)
        o += (size_t)snprintf(s + o, cap - o, "bad%d!,X,x@x.org\n", i);
    bool rpsl;
    xs_contacts *c = xs_contacts_read(s, o, &rpsl);
    assert_non_null(c);
    size_t nw;
    uint64_t total;
    const xs_note *w = xs_contacts_warnings(c, &nw, &total);
    assert_int_equal(nw, XS_NOTIFY_MAX_WARNINGS);
    assert_int_equal(total, 2 + XS_NOTIFY_MAX_WARNINGS + 5);
    assert_non_null(strstr(w[0].message, "longer than"));
    assert_non_null(strstr(w[1].message, "more than 16 mail addresses"));
    const xs_contact *k = at(c, "192.0.2.1");
    assert_non_null(k);
    assert_non_null(strstr(k->emails, "m15@x.org"));
    assert_null(strstr(k->emails, "m16@x.org"));
    xs_contacts_free(c);
    /* 0.0.0.1 - 255.255.255.254 is 62 CIDRs; ::1 - ffff::fffe far more */
    c = read_str("inetnum: 0.0.0.1 - 255.255.255.254\nabuse-c: A\n\n"
                 "inetnum: 10.0.0.1 - 10.0.0.2\nabuse-c: A\n\n"
                 "role: R\nnic-hdl: A\nabuse-mailbox: a@x.org\n",
                 &rpsl);
    assert_int_equal(xs_contacts_count(c), 2);
    assert_non_null(at(c, "128.0.0.0"));
    assert_null(at(c, "0.0.0.0"));
    xs_contacts_free(c);
    free(s);
}

static const char RESULT[] =
    "{\"exsweep.record\":\"probe\",\"target\":\"192.0.2.10:443\",\"host\":\"192.0.2.10\","
    "\"port\":443,\"name\":\"mail.example.org\",\"seen\":\"\",\"tag\":\"\",\"line\":1,"
    "\"records\":1,\"exchange\":true,\"exchange_why\":\"X-OWA-Version header\",\"build\":"
    "\"15.1.2176.2\",\"build_parts\":4,\"build_from\":\"X-OWA-Version header\",\"product\":"
    "\"Exchange Server 2016\",\"cu\":\"CU19\",\"update\":\"\",\"finding\":true,\"families\":["
    "{\"family\":\"ProxyLogon\",\"cves\":\"CVE-2021-26855\",\"state\":\"vulnerable\","
    "\"reason\":\"below 15.1.2176.9\",\"fixed_by\":\"15.1.2176.9\"},{\"family\":\"ProxyShell\","
    "\"cves\":\"CVE-2021-34473\",\"state\":\"patched\",\"reason\":\"ok\",\"fixed_by\":\"\"},"
    "{\"family\":\"ProxyNotShell\",\"cves\":\"CVE-2022-41040\",\"state\":\"vulnerable\","
    "\"reason\":\"no update of the CU\",\"fixed_by\":\"\"}]}";

static void test_hosts(void **state)
{
    (void)state;
    xs_nhosts h;
    assert_true(xs_nhosts_init(&h));
    xs_nhosts_line(&h, RESULT, strlen(RESULT), 1, 0);
    xs_nhosts_line(&h, RESULT, strlen(RESULT), 2, 1); /* again: kept once */
    static const char patched[] = "{\"exsweep.record\":\"probe\",\"target\":\"192.0.2.12:443\","
                                  "\"host\":\"192.0.2.12\",\"exchange\":true,\"finding\":false}";
    static const char other[] = "{\"exsweep.record\":\"probe\",\"target\":\"198.51.100.7:443\","
                                "\"exchange\":false,\"finding\":false}";
    static const char summary[] = "{\"exsweep.record\":\"summary\",\"targets\":3}";
    xs_nhosts_line(&h, patched, strlen(patched), 3, 0);
    xs_nhosts_line(&h, other, strlen(other), 4, 0);
    xs_nhosts_line(&h, summary, strlen(summary), 5, 0);
    xs_nhosts_line(&h, "{not json", 9, 6, 0);
    xs_nhosts_line(&h, "{\"a\":1}", 7, 7, 0);
    static const char notarget[] = "{\"exsweep.record\":\"probe\",\"exchange\":true}";
    xs_nhosts_line(&h, notarget, strlen(notarget), 8, 0);
    xs_nhosts_toolong(&h, 9);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.records, 5);
    assert_int_equal(h.ignored, 2);
    assert_int_equal(h.duplicates, 1);
    assert_int_equal(h.warnings, 4);
    assert_int_equal(h.warn[0].line, 6);
    assert_int_equal(h.warn[1].line, 7);
    assert_int_equal(h.warn[2].line, 8);
    assert_int_equal(h.warn[3].line, 9);
    const xs_nhost *x = &h.h[0];
    assert_string_equal(x->target, "192.0.2.10:443");
    assert_string_equal(x->name, "mail.example.org");
    assert_int_equal(x->port, 443);
    assert_int_equal(x->build_parts, 4);
    assert_true(x->has_addr);
    assert_int_equal(x->nfam, 3);
    assert_string_equal(x->fam[2].family, "ProxyNotShell");
    assert_string_equal(x->fam[2].state, "vulnerable");
    assert_string_equal(x->fam[0].fixed_by, "15.1.2176.9");
    xs_nhosts_free(&h);
}

static char *letter(const xs_letter *l, size_t *n)
{
    char *p = NULL;
    FILE *f = open_memstream(&p, n);
    assert_non_null(f);
    assert_int_equal(xs_letter_write(f, l), 0);
    fclose(f);
    return p;
}

static void test_letter(void **state)
{
    (void)state;
    xs_nhosts h;
    assert_true(xs_nhosts_init(&h));
    xs_nhosts_line(&h, RESULT, strlen(RESULT), 1, 0);
    /* a hostile name: a line break, a control, a bidi override */
    static const char hostile[] =
        "{\"exsweep.record\":\"probe\",\"target\":\"192.0.2.11:443\",\"host\":\"192.0.2.11\","
        "\"name\":\"evil\\r\\nBcc: x@y.z\\u202e\\u0007\",\"exchange\":true,\"finding\":true,"
        "\"build\":\"\",\"families\":[{\"family\":\"ProxyLogon\",\"state\":\"unknown\","
        "\"reason\":\"the response names no build\"}]}";
    xs_nhosts_line(&h, hostile, strlen(hostile), 2, 0);
    assert_int_equal(h.n, 2);
    const xs_nhost *hs[2] = {&h.h[0], &h.h[1]};
    xs_letter l = {.from = "cert@csirt.example", .sender = "Example CSIRT",
                   .to = "abuse@example.net", .org = "Example\r\nBcc: evil@x.org", .hosts = hs,
                   .n = 2, .date = 1796290000};
    size_t n;
    char *m = letter(&l, &n);
    char id[33];
    xs_letter_id(&l, id);
    char head[600];
    snprintf(head, sizeof head,
             "From: cert@csirt.example\r\nTo: abuse@example.net\r\n"
             "Date: Thu, 03 Dec 2026 09:26:40 +0000\r\nMessage-ID: <%s.exsweep@csirt.example>\r\n"
             "Subject: [exsweep] 2 Exchange servers of Example  Bcc: evil@x.org exposed to\r\n"
             " ProxyLogon, ProxyNotShell\r\nMIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n"
             "Auto-Submitted: auto-generated\r\n\r\nDear Example\\x0d\\x0aBcc: evil@x.org,\r\n",
             id);
    if (strncmp(m, head, strlen(head)) != 0)
        fail_msg("the letter begins:\n%.*s", (int)strlen(head) + 40, m);
    /* no header line other than those, and every line ends in CRLF */
    const char *body = strstr(m, "\r\n\r\n");
    assert_non_null(body);
    assert_null(memmem(m, (size_t)(body - m), "\r\nBcc", 5));
    for (const char *p = m; (p = memchr(p, '\n', n - (size_t)(p - m))); p++)
        assert_true(p > m && p[-1] == '\r');
    assert_non_null(strstr(body, "1. 192.0.2.10:443 (mail.example.org)\r\n   Build: 15.1.2176.2, "
                                 "Exchange Server 2016 CU19 (from the X-OWA-Version header)\r\n"
                                 "   ProxyLogon (CVE-2021-26855): vulnerable: below "
                                 "15.1.2176.9\r\n"));
    assert_non_null(strstr(body, "   Fixed by: ProxyLogon 15.1.2176.9 or later; ProxyNotShell "
                                 "a later CU\r\n"));
    assert_non_null(strstr(body, "2. 192.0.2.11:443 (evil\\x0d\\x0aBcc: x@y.z\\u{202e}\\x07)"));
    assert_non_null(strstr(body, "   Build: unknown (the response names no build)\r\n"));
    assert_non_null(strstr(body, "\r\n-- \r\nExample CSIRT\r\n"));
    free(m);
    /* Japanese: the subject in encoded words, the sections */
    l.ja = 1;
    l.org = "例示株式会社";
    m = letter(&l, &n);
    assert_non_null(strstr(m, "\r\nSubject: =?UTF-8?B?"));
    for (const char *p = m; p < strstr(m, "\r\n\r\n"); p++) /* headers in ASCII */
        assert_true((unsigned char)*p < 0x80);
    static const char *const sections[] = {"■ 概要", "■ 影響", "■ 対象サーバ", "■ 対策",
                                           "■ 回避策", "例示株式会社 ご担当者様",
                                           "ProxyLogon (CVE-2021-26855): 脆弱"};
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        if (!strstr(m, sections[i]))
            fail_msg("no %s", sections[i]);
    /* the id is the letter's, not the moment's */
    char id2[33];
    xs_letter_id(&l, id2);
    l.date = 1;
    char id3[33];
    xs_letter_id(&l, id3);
    assert_string_equal(id2, id3);
    assert_string_not_equal(id, id2);
    free(m);
    xs_nhosts_free(&h);
}

/* XS_NOTIFY_MAX_NETWORKS, XS_NOTIFY_MAX_HOSTS (lowered here), XS_NOTIFY_LETTER_HOSTS: past
 * each, warnings, and a letter that lists that many hosts and counts the rest. */
static void test_more_caps(void **state)
{
    (void)state;
    xs_notify_max_networks = 2;
    bool rpsl;
    xs_contacts *c = read_str("network,organisation,email\n192.0.2.0/24,A,a@x.org\n"
                              "198.51.100.0/24,B,b@x.org\nexample.org,C,c@x.org\n", &rpsl);
    xs_notify_max_networks = XS_NOTIFY_MAX_NETWORKS;
    assert_int_equal(xs_contacts_count(c), 2);
    size_t nw;
    uint64_t total;
    const xs_note *w = xs_contacts_warnings(c, &nw, &total);
    assert_int_equal(total, 1);
    assert_int_equal(w[0].line, 4);
    assert_non_null(strstr(w[0].message, "more than 4000000 networks"));
    xs_contacts_free(c);
    xs_nhosts h;
    assert_true(xs_nhosts_init(&h));
    xs_notify_max_hosts = XS_NOTIFY_LETTER_HOSTS + 1;
    char line[2048];
    for (int i = 0; i < XS_NOTIFY_LETTER_HOSTS + 2; i++) {
        int n = snprintf(line, sizeof line, "{\"exsweep.record\":\"probe\",\"target\":"
                         "\"10.0.%d.%d:443\",\"host\":\"10.0.%d.%d\",\"exchange\":true,"
                         "\"finding\":true}", i / 256, i % 256, i / 256, i % 256);
        xs_nhosts_line(&h, line, (size_t)n, (uint64_t)i + 1, 0);
    }
    xs_notify_max_hosts = XS_NOTIFY_MAX_HOSTS;
    assert_int_equal(h.n, XS_NOTIFY_LETTER_HOSTS + 1);
    assert_int_equal(h.warnings, 1);
    const xs_nhost **hs = malloc(h.n * sizeof *hs);
    assert_non_null(hs);
    for (size_t i = 0; i < h.n; i++)
        hs[i] = &h.h[i];
    xs_letter l = {.from = "cert@csirt.example", .sender = "", .to = "a@x.org", .org = "A",
                   .hosts = hs, .n = h.n, .csv = "A-1.csv"};
    size_t n;
    char *m = letter(&l, &n);
    char want[64];
    snprintf(want, sizeof want, "\r\n%d. 10.0.1.243:443", XS_NOTIFY_LETTER_HOSTS);
    assert_non_null(strstr(m, want));
    assert_null(strstr(m, "10.0.1.244:443"));
    assert_non_null(strstr(m, "\r\nand 1 more (the list of all of them is too large for a mail: "
                              "reply to this message to have it)\r\n"));
    assert_null(strstr(m, "multipart"));
    free(m);
    /* the list attached: multipart/mixed, the text first, the list base64 as text/csv */
    l.attach = "target\r\n\"10.0.0.1:443\"\r\n";
    l.attach_n = strlen(l.attach);
    m = letter(&l, &n);
    char id[33];
    assert_true(xs_letter_id(&l, id));
    char head[512], part[512], tail[128];
    snprintf(head, sizeof head,
             "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\"=_exsweep_%s\""
             "\r\nAuto-Submitted: auto-generated\r\n\r\nThis is a message in MIME format: a text "
             "and the list of the servers.\r\n\r\n--=_exsweep_%s\r\nContent-Type: text/plain; "
             "charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nDear A,\r\n",
             id, id);
    assert_non_null(strstr(m, head));
    assert_non_null(strstr(m, "\r\nand 1 more (all are listed in the attached A-1.csv)\r\n"));
    snprintf(part, sizeof part,
             "\r\n--=_exsweep_%s\r\nContent-Type: text/csv; charset=UTF-8; name=\"A-1.csv\"\r\n"
             "Content-Disposition: attachment; filename=\"A-1.csv\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\ndGFyZ2V0DQoiMTAuMC4wLjE6NDQzIg0K\r\n",
             id);
    assert_non_null(strstr(m, part));
    snprintf(tail, sizeof tail, "\r\n--=_exsweep_%s--\r\n", id);
    assert_int_equal(n - strlen(tail), (size_t)(strstr(m, tail) - m)); /* last */
    free(m);
    free(hs);
    xs_nhosts_free(&h);
}

/* Hostile lengths: no line of a letter past 998 octets (the text folded at a character),
 * and every recipient of a contact of XS_NOTIFY_MAX_EMAILS long addresses in its To, whole. */
static void test_letter_lengths(void **state)
{
    (void)state;
    xs_nhosts h = {0};
    assert_true(xs_nhosts_init(&h));
    char big[700], line[8192];
    memset(big, 'x', 600);
    memcpy(big + 100, "日本語", 9); /* characters a cut must not split */
    big[600] = 0;
    int k = snprintf(line, sizeof line,
                     "{\"exsweep.record\":\"probe\",\"target\":\"192.0.2.1:443\",\"host\":"
                     "\"192.0.2.1\",\"port\":443,\"name\":\"%s\",\"seen\":\"%s\",\"exchange\":true,"
                     "\"finding\":true,\"build\":\"%s\",\"build_from\":\"%s\",\"product\":\"%s\","
                     "\"cu\":\"%s\",\"update\":\"%s\",\"families\":[{\"family\":\"ProxyLogon\","
                     "\"state\":\"unknown\",\"reason\":\"%s\"}]}",
                     big, big, big, big, big, big, big, big);
    xs_nhosts_line(&h, line, (size_t)k, 1, 0);
    assert_int_equal(h.n, 1);
    char to[XS_NOTIFY_MAX_EMAILS * 100] = "";
    for (int i = 0; i < XS_NOTIFY_MAX_EMAILS; i++)
        snprintf(to + strlen(to), sizeof to - strlen(to), "%sabuse%02d.%060d@example.org",
                 i ? ", " : "", i, 0);
    const xs_nhost *hs[1] = {&h.h[0]};
    for (int ja = 0; ja < 2; ja++) {
        xs_letter l = {.from = "cert@csirt.example", .sender = big, .to = to, .org = big,
                       .hosts = hs, .n = 1, .ja = ja};
        size_t n;
        char *m = letter(&l, &n);
        size_t col = 0, longest = 0;
        for (size_t i = 0; i < n; i++) {
            if (m[i] == '\n') {
                assert_true(i > 0 && m[i - 1] == '\r');
                col = 0;
                continue;
            }
            if (++col > longest)
                longest = col;
        }
        assert_true(longest <= 998 + 1); /* the CR counted */
        assert_true(longest > 900);      /* it was folded, not cut short */
        assert_true(xs_utf8_valid(m, n));
        /* every recipient whole, in the header's folded lines */
        const char *hdr_end = strstr(m, "\r\n\r\n");
        for (int i = 0; i < XS_NOTIFY_MAX_EMAILS; i++) {
            char want[100];
            snprintf(want, sizeof want, "abuse%02d.%060d@example.org", i, 0);
            const char *at = strstr(m, want);
            assert_true(at && at < hdr_end);
        }
        free(m);
    }
    xs_nhosts_free(&h);
}

/* Encoded words: never a line past 78, never a character cut, ASCII left as it is. */
static void test_header_value(void **state)
{
    (void)state;
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    assert_non_null(f);
    char v[400] = "";
    for (int i = 0; i < 40; i++)
        strcat(v, "日本語");
    xs_header_value(f, v, 9);
    fclose(f);
    size_t col = 9;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            col = 0;
            continue;
        }
        assert_true((unsigned char)p[i] < 0x80);
        assert_true(++col <= 78);
    }
    assert_int_equal(strncmp(p, "=?UTF-8?B?", 10), 0);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail_address), cmocka_unit_test(test_csv_contacts),
        cmocka_unit_test(test_rpsl_contacts), cmocka_unit_test(test_contact_caps),
        cmocka_unit_test(test_hosts),         cmocka_unit_test(test_letter),
        cmocka_unit_test(test_header_value), cmocka_unit_test(test_more_caps),
        cmocka_unit_test(test_letter_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

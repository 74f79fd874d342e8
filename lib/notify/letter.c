/* A letter as an RFC 5322 message (letter.h). */
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/memstream.h"
#include "core/digest.h"
#include "core/escape.h"
#include "core/limits.h"
#include "core/memstream.h"
#include "notify/letter.h"

size_t xs_notify_letter_hosts = XS_NOTIFY_LETTER_HOSTS;

/* ---- headers ---- */

/* v cleaned: controls to spaces, invalid UTF-8 to U+FFFD; at most cap-1 bytes, cut at a
 * character. Returns whether it is plain ASCII. */
static int clean(const char *v, char *out, size_t cap, size_t *len)
{
    size_t o = 0, n = strlen(v);
    int ascii = 1;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = xs_utf8_next((const unsigned char *)v + i, n - i, &cp);
        const char *put = v + i;
        size_t pn = k;
        if (!k) {
            put = "\xef\xbf\xbd", pn = 3, k = 1;
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
                   (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
            put = " ", pn = 1;
        }
        if (o + pn >= cap)
            break;
        if (pn > 1 || (unsigned char)put[0] >= 0x80)
            ascii = 0;
        memcpy(out + o, put, pn);
        o += pn;
        i += k;
    }
    out[o] = 0;
    *len = o;
    return ascii;
}

/* Room for the longest value written: the recipients (XS_NOTIFY_MAX_EMAILS addresses of 254
 * bytes and ", ") or the subject (600 bytes), whole: never an address cut. */
#define HEADER_CAP (XS_NOTIFY_MAX_EMAILS * 256 + 1024)

int xs_header_value(FILE *f, const char *v, size_t used)
{
    static _Thread_local char buf[HEADER_CAP];
    size_t n;
    if (clean(v, buf, sizeof buf, &n)) {
        /* ASCII: folded before a space (CRLF then the space: a continuation) past 78 */
        size_t col = used;
        int firstw = 1;
        for (size_t i = 0; i <= n;) {
            size_t w = i;
            while (w < n && buf[w] != ' ')
                w++;
            size_t wl = w - i;
            if (!firstw) {
                if (col + 1 + wl > 78) {
                    fputs("\r\n ", f);
                    col = 1;
                } else {
                    fputc(' ', f);
                    col++;
                }
            }
            fwrite(buf + i, 1, wl, f);
            col += wl;
            firstw = 0;
            i = w + 1;
        }
        return ferror(f) ? -1 : 0;
    }
    /* encoded words of at most 45 bytes of UTF-8 (60 of base64: 72 with the frame), each on
     * its line after the first, never cutting a character */
    int first = 1;
    for (size_t i = 0; i < n;) {
        size_t take = 0;
        /* the first word shares its line with the header's name */
        size_t room = !first || used + 12 + 60 <= 78 ? 45
                      : used + 12 + 4 < 78          ? (78 - 12 - used) / 4 * 3
                                                    : 3; /* a long name: one character */
        while (i + take < n) {
            uint32_t cp;
            size_t k = xs_utf8_next((const unsigned char *)buf + i + take, n - i - take, &cp);
            if (!k)
                k = 1;
            if (take + k > room && take) /* at least one character a word */
                break;
            take += k;
        }
        unsigned char b64[64];
        int bl = EVP_EncodeBlock(b64, (const unsigned char *)buf + i, (int)take);
        if (!first)
            fputs("\r\n ", f);
        fprintf(f, "=?UTF-8?B?%.*s?=", bl, (const char *)b64);
        first = 0;
        i += take;
    }
    return ferror(f) ? -1 : 0;
}

/* ---- the body ---- */

/* Text with CRLF line ends out to f, a line longer than XS_NOTIFY_MAX_BODY_LINE octets cut
 * into pieces of at most that (at a character, never inside a UTF-8 sequence), each piece
 * after the first on a line of its own indented by two spaces. */
static void put_folded(FILE *f, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - p) + 1 : n, len = end - i, room = XS_NOTIFY_MAX_BODY_LINE;
        while (len > room + 2) { /* + 2: the CRLF */
            size_t cut = room;
            while (cut > 1 && ((unsigned char)p[i + cut] & 0xC0) == 0x80)
                cut--;
            fwrite(p + i, 1, cut, f);
            fputs("\r\n  ", f);
            i += cut;
            len -= cut;
            room = XS_NOTIFY_MAX_BODY_LINE - 2;
        }
        fwrite(p + i, 1, len, f);
        i = end;
    }
}

/* Literal text with \n as CRLF. */
static void say(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            fputc('\r', f);
        fputc(*s, f);
    }
}

/* A string from a scan or a contacts file: controls, bidi controls and invalid bytes
 * escaped, at most 300 columns. */
static void put(FILE *f, const char *s)
{
    xs_esc_term(f, s, strlen(s), 300);
}

static const char *state_word(const char *st, int ja)
{
    if (!ja)
        return st;
    return !strcmp(st, "vulnerable") ? "脆弱"
           : !strcmp(st, "patched")  ? "修正済み"
           : !strcmp(st, "unknown")  ? "不明"
                                     : st;
}

static int exposed(const xs_nfamily *fm)
{
    return !strcmp(fm->state, "vulnerable") || !strcmp(fm->state, "unknown");
}

static void host_block(FILE *f, const xs_letter *l, size_t i)
{
    const xs_nhost *h = l->hosts[i];
    int ja = l->ja;
    fprintf(f, "%zu. ", i + 1);
    put(f, h->target);
    if (h->name[0]) {
        fputs(" (", f);
        put(f, h->name);
        fputc(')', f);
    }
    if (h->seen[0]) {
        say(f, ja ? "、観測 " : ", seen ");
        put(f, h->seen);
    }
    say(f, "\n");
    say(f, ja ? "   ビルド: " : "   Build: ");
    if (h->build[0]) {
        put(f, h->build);
        if (h->product[0]) {
            fputs(", ", f);
            put(f, h->product);
            if (h->cu[0]) {
                fputc(' ', f);
                put(f, h->cu);
            }
            if (h->update[0]) {
                fputc(' ', f);
                put(f, h->update);
            } else if (h->build_parts == 3) {
                say(f, ja ? " (更新プログラムの適用状況は不明)" : " (update level unknown)");
            }
        }
        if (h->build_from[0]) {
            say(f, ja ? " (根拠: " : " (from the ");
            put(f, h->build_from);
            fputc(')', f);
        }
    } else {
        say(f, ja ? "不明 (応答からは判別できません)" : "unknown (the response names no build)");
    }
    say(f, "\n");
    for (size_t k = 0; k < h->nfam; k++) {
        const xs_nfamily *fm = &h->fam[k];
        fputs("   ", f);
        put(f, fm->family);
        if (fm->cves[0]) {
            fputs(" (", f);
            put(f, fm->cves);
            fputc(')', f);
        }
        fputs(": ", f);
        say(f, state_word(fm->state, ja));
        if (fm->reason[0]) {
            fputs(": ", f);
            put(f, fm->reason);
        }
        say(f, "\n");
    }
    /* what fixes it, family by family */
    int any = 0;
    for (size_t k = 0; k < h->nfam; k++) {
        const xs_nfamily *fm = &h->fam[k];
        if (!exposed(fm))
            continue;
        say(f, any ? "; " : ja ? "   修正: " : "   Fixed by: ");
        put(f, fm->family);
        if (fm->fixed_by[0]) {
            fputc(' ', f);
            put(f, fm->fixed_by);
            say(f, ja ? " 以降" : " or later");
        } else if (h->build[0]) {
            say(f, ja ? " より新しい CU" : " a later CU");
        } else { /* no build seen: nothing says which CU it runs */
            say(f, ja ? " 最新の CU とその SU" : " the latest CU and its SU");
        }
        any = 1;
    }
    if (any)
        say(f, "\n");
    say(f, "\n");
}

static const char EN_INTRO[] =
    "This is a notification about Microsoft Exchange servers in your network. A scan from\n"
    "the internet found the servers below exposed to vulnerabilities that attackers have\n"
    "exploited at scale since 2021: ProxyLogon (March 2021), ProxyShell (August 2021) and\n"
    "ProxyNotShell/OWASSRF (2022). They were used to steal mailboxes and to leave web\n"
    "shells (backdoors) on the servers. Installing the updates closes the holes but does\n"
    "not remove a backdoor that is already there.\n\n";

static const char EN_HOW[] =
    "How this was found: only what each server tells any visitor, its version (the\n"
    "X-OWA-Version header, the version in the paths of its logon page, or the manifest of\n"
    "its export tool), compared with Microsoft's published builds. Nothing was attempted\n"
    "against the servers. A version known to three parts names the cumulative update but\n"
    "not the security update; such a server is \"unknown\" where the security update\n"
    "decides, and may already be patched.\n\n";

static const char EN_TODO[] =
    "What to do\n"
    "----------\n"
    "1. Update. Install the latest cumulative update (CU) and security update (SU) for\n"
    "   your Exchange version (Microsoft's Exchange Server build numbers and release\n"
    "   dates page lists them; Microsoft's Health Checker script tells what is missing).\n"
    "2. Until you can, reduce the exposure: Microsoft's Exchange On-premises Mitigation\n"
    "   Tool (EOMT) against ProxyLogon; the URL Rewrite rule of Microsoft's advisory (or\n"
    "   EOMTv2) against ProxyNotShell; and allow /owa, /ecp, /autodiscover, /mapi, /ews and\n"
    "   /powershell only from where they are needed.\n"
    "3. Look for backdoors: a server that was exposed may already be compromised. Sweep\n"
    "   its disk, or a triage collection of it, with exsweep scan (or Microsoft's\n"
    "   Test-ProxyLogon.ps1 and Safety Scanner); look for .aspx files nobody installed\n"
    "   under inetpub\\wwwroot\\aspnet_client and FrontEnd\\HttpProxy\\owa\\auth, and for\n"
    "   mailbox exports and new accounts.\n"
    "4. If you find one, keep the evidence (copy the files and the logs) before cleaning,\n"
    "   and report it to your CSIRT.\n\n"
    "If a server listed is not yours, or you have a question, reply to this message.\n";

static const char JA_INTRO[] =
    "■ 概要\n"
    "インターネットからの調査により、貴組織のネットワークにある Microsoft Exchange Server が、\n"
    "2021年以降に大規模に悪用されている脆弱性 ProxyLogon (2021年3月)、ProxyShell\n"
    "(2021年8月)、ProxyNotShell/OWASSRF (2022年) の影響を受ける状態であることを確認しました。\n\n"
    "■ 影響\n"
    "攻撃者はこれらの脆弱性を悪用し、メールボックスの窃取や Web シェル (バックドア) の設置\n"
    "を行っています。更新プログラムを適用しても、既に設置されたバックドアは削除されません。\n\n";

static const char JA_HOW[] =
    "確認方法: 各サーバがどの訪問者にも返すバージョン情報 (X-OWA-Version ヘッダ、ログオン\n"
    "ページのパス、またはエクスポートツールのマニフェスト) を、Microsoft が公開するビルド\n"
    "番号と照合しました。サーバに対する攻撃は一切行っていません。3桁のバージョンからは\n"
    "累積更新プログラム (CU) までしか判別できず、セキュリティ更新プログラム (SU) で決まる\n"
    "項目は「不明」としています (既に修正済みの可能性があります)。\n\n";

static const char JA_TODO[] =
    "■ 対策\n"
    "1. ご利用の Exchange Server に最新の累積更新プログラム (CU) とセキュリティ更新\n"
    "   プログラム (SU) を適用してください (Microsoft の Health Checker で不足している\n"
    "   更新を確認できます)。\n"
    "2. 侵害の有無を確認してください。脆弱な状態にあったサーバは既に侵害されている可能性が\n"
    "   あります。exsweep scan (または Microsoft の Test-ProxyLogon.ps1、Safety Scanner)\n"
    "   でディスクまたはトリアージ収集を調査し、inetpub\\wwwroot\\aspnet_client や\n"
    "   FrontEnd\\HttpProxy\\owa\\auth 配下の身に覚えのない .aspx ファイル、メールボックスの\n"
    "   エクスポート、新しいアカウントを確認してください。\n"
    "3. バックドアを発見した場合は、削除の前に証拠 (ファイルとログ) を保全し、CSIRT に\n"
    "   ご連絡ください。\n\n"
    "■ 回避策\n"
    "更新をすぐに適用できない場合は、ProxyLogon には Microsoft の Exchange On-premises\n"
    "Mitigation Tool (EOMT)、ProxyNotShell には Microsoft のアドバイザリにある URL 書き換え\n"
    "ルール (または EOMTv2) を適用し、/owa、/ecp、/autodiscover、/mapi、/ews、/powershell\n"
    "へのアクセスを必要な接続元に限定してください。\n\n"
    "本メールに記載のサーバが貴組織のものでない場合や、ご不明な点がある場合は、本メールに\n"
    "ご返信ください。\n";

bool xs_letter_id(const xs_letter *l, char id[33])
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = xs_memopen(&buf, &n);
    char hex[65] = "";
    if (m) {
        fprintf(m, "%s%c%s%c%d", l->org, 0, l->to, 0, l->ja);
        for (size_t i = 0; i < l->n; i++) {
            const xs_nhost *h = l->hosts[i];
            fprintf(m, "%c%s%c%s", 0, h->target, 0, h->build);
            for (size_t k = 0; k < h->nfam; k++)
                fprintf(m, "%c%s=%s", 0, h->fam[k].family, h->fam[k].state);
        }
        if (xs_memclose(m, &buf) == 0)
            (void)xs_sha256_hex(buf, n, hex);
        free(buf);
    }
    if (!hex[0]) { /* out of memory: no id (one of the moment would send a letter twice) */
        id[0] = 0;
        return false;
    }
    memcpy(id, hex, 32);
    id[32] = 0;
    return true;
}

int xs_letter_write(FILE *f, const xs_letter *l)
{
    int ja = l->ja;
    char id[33], date[64];
    if (!xs_letter_id(l, id))
        return -1;
    struct tm tm;
    if (!gmtime_r(&l->date, &tm))
        return -1;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm); /* C locale names */
    /* the families any host is exposed to, for the subject */
    static const char *const fams[] = {"ProxyLogon", "ProxyShell", "ProxyNotShell"};
    char which[80] = "";
    for (size_t k = 0; k < 3; k++) {
        int hit = 0;
        for (size_t i = 0; i < l->n && !hit; i++)
            for (size_t j = 0; j < l->hosts[i]->nfam; j++)
                hit |= !strcmp(l->hosts[i]->fam[j].family, fams[k]) &&
                       exposed(&l->hosts[i]->fam[j]);
        if (hit)
            snprintf(which + strlen(which), sizeof which - strlen(which), "%s%s",
                     which[0] ? ", " : "", fams[k]);
    }
    char subject[600];
    if (ja)
        snprintf(subject, sizeof subject, "[exsweep] %.300s の Exchange Server %zu 台が脆弱な状態です (%s)",
                 l->org[0] ? l->org : "貴組織", l->n, which);
    else
        snprintf(subject, sizeof subject, "[exsweep] %zu Exchange server%s of %.300s exposed to %s",
                 l->n, l->n == 1 ? "" : "s", l->org[0] ? l->org : "your network", which);
    const char *at = strchr(l->from, '@');
    fprintf(f, "From: %s\r\nTo: ", l->from);
    xs_header_value(f, l->to, 4);
    fprintf(f, "\r\nDate: %s\r\nMessage-ID: <%s.exsweep@%s>\r\nSubject: ", date, id,
            at ? at + 1 : "exsweep.invalid");
    xs_header_value(f, subject, 9);
    bool multi = l->csv && l->attach;
    if (multi) /* the boundary is the letter's id: no line of its text or base64 can be it */
        fprintf(f, "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n"
                   " boundary=\"=_exsweep_%s\"\r\nAuto-Submitted: auto-generated\r\n\r\n"
                   "This is a message in MIME format: a text and the list of the servers.\r\n"
                   "\r\n--=_exsweep_%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: 8bit\r\n\r\n",
                id, id);
    else
        say(f, "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
               "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-generated\n\n");
    const char *who = l->sender && l->sender[0] ? l->sender : l->from;
    /* the text into memory first, then out with no line past 998 octets (RFC 5322 2.1.1) */
    FILE *out = f;
    char *text = NULL;
    size_t textn = 0;
    if (!(f = xs_memopen(&text, &textn)))
        return -1;
    if (ja) {
        if (l->org[0]) {
            put(f, l->org);
            say(f, " ");
        }
        say(f, "ご担当者様\n\n");
        put(f, who);
        say(f, " です。Exchange Server の脆弱性に関するお知らせです。\n\n");
        say(f, JA_INTRO);
        say(f, "■ 対象サーバ\n");
    } else {
        say(f, "Dear ");
        put(f, l->org[0] ? l->org : "network owner");
        say(f, ",\n\n");
        say(f, EN_INTRO);
        say(f, "Servers\n-------\n");
    }
    size_t shown = l->n < xs_notify_letter_hosts ? l->n : xs_notify_letter_hosts;
    for (size_t i = 0; i < shown; i++)
        host_block(f, l, i);
    if (shown < l->n) {
        fprintf(f, ja ? "ほか %zu 台" : "and %zu more", l->n - shown);
        if (multi) {
            say(f, ja ? " (全台の一覧は添付ファイル " : " (all are listed in the attached ");
            put(f, l->csv);
            say(f, ")");
        } else if (l->csv) { /* kept beside the letter, too large to attach */
            say(f, ja ? " (全台の一覧はメールに添付できない大きさです。本メールへの返信で"
                        "お知らせください)"
                      : " (the list of all of them is too large for a mail: reply to this "
                        "message to have it)");
        }
        say(f, "\n\n");
    }
    say(f, ja ? JA_HOW : EN_HOW);
    say(f, ja ? JA_TODO : EN_TODO);
    say(f, "\n-- \n");
    put(f, who);
    say(f, "\n");
    if (xs_memclose(f, &text) != 0)
        return -1;
    f = out;
    put_folded(f, text, textn);
    free(text);
    if (multi) {
        /* the name is ours (NAME-ID.csv: ASCII letters, digits, '-', '.') */
        fprintf(f, "\r\n--=_exsweep_%s\r\nContent-Type: text/csv; charset=UTF-8; name=\"%s\"\r\n"
                   "Content-Disposition: attachment; filename=\"%s\"\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n",
                id, l->csv, l->csv);
        unsigned char b64[80];
        for (size_t o = 0; o < l->attach_n; o += 57) {
            size_t k = l->attach_n - o < 57 ? l->attach_n - o : 57;
            int w = EVP_EncodeBlock(b64, (const unsigned char *)l->attach + o, (int)k);
            fwrite(b64, 1, (size_t)w, f);
            fputs("\r\n", f);
        }
        fprintf(f, "\r\n--=_exsweep_%s--\r\n", id);
    }
    return ferror(f) ? -1 : 0;
}

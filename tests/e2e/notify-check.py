#!/usr/bin/env python3
"""Reads the letters exsweep notify wrote into DIR back with Python's own mail parser
(email.parser, the strict default policy) and checks them against DIR/letters.csv and what
the case expects:

    notify-check.py DIR LANG 'ORGANISATION|RECIPIENTS|TARGET,TARGET...' ...
    ('ORGANISATION|RECIPIENTS|@N': N servers, the first 500 listed, all in the attached list)

Each letter: one message whose defects lists (its own and its parts') are empty, no line
past 998 octets; From, To, Date, Message-ID, Subject,
MIME-Version, Content-Type text/plain; charset=utf-8, 8bit; the To and Message-ID those of
letters.csv; the subject, decoded, names the organisation and the number of servers; every
line ends in CRLF and no header line passes 78 characters; the body is UTF-8 and lists each
expected target, in order, and nothing else numbered as a server; the Japanese letter has
its five headings; a letter of more than 500 servers is multipart/mixed with the list
beside it attached as text/csv. Exits 1 with the reason on the first problem."""
import csv
import re
import email
import email.policy
import email.utils
import sys


TARGET = re.compile(r"^\d+\. (\[[0-9a-f:]+\]:\d+|[a-z0-9.-]+:\d+)(?:$|[ ,\u3001])")


def fail(msg):
    print("notify-check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    d, lang, wants = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(d + "/letters.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != len(wants):
        fail("%d letters, %d expected" % (len(rows), len(wants)))
    for row, want in zip(rows, wants):
        org, to, targets = want.split("|")
        count = int(targets[1:]) if targets.startswith("@") else None
        targets = [] if count is not None else targets.split(",")
        raw = open(d + "/" + row["file"], "rb").read()
        if b"\n" in raw.replace(b"\r\n", b""):
            fail(row["file"] + ": a line ends without CRLF")
        if any(len(l) > 998 for l in raw.split(b"\r\n")):
            fail(row["file"] + ": a line longer than 998 octets")
        head = raw.split(b"\r\n\r\n", 1)[0]
        for line in head.split(b"\r\n"):
            if len(line) > 78:
                fail(row["file"] + ": header line longer than 78: %r" % line)
            if any(c >= 0x80 for c in line):
                fail(row["file"] + ": 8-bit header line: %r" % line)
        m = email.message_from_bytes(raw, policy=email.policy.default)
        if m.defects:
            fail(row["file"] + ": defects %r" % m.defects)
        for h in ("From", "To", "Date", "Message-ID", "Subject", "MIME-Version"):
            if len(m.get_all(h, [])) != 1:
                fail(row["file"] + ": not one " + h)
        if row["organisation"] != org:
            fail("organisation %r, expected %r" % (row["organisation"], org))
        got_to = ", ".join(a for _, a in email.utils.getaddresses([str(m["To"])]))
        if got_to != to or row["recipients"] != to:
            fail(row["file"] + ": To %r, expected %r" % (got_to, to))
        if str(m["Message-ID"]) != row["message_id"]:
            fail(row["file"] + ": Message-ID differs from letters.csv")
        attached = None
        if m.get_content_type() == "multipart/mixed":
            parts = list(m.iter_parts())
            if len(parts) != 2 or parts[1].get_content_type() != "text/csv":
                fail(row["file"] + ": not a text and a text/csv")
            if parts[1].get_filename() != row["file"][:-4] + ".csv":
                fail(row["file"] + ": attachment named %r" % parts[1].get_filename())
            for part in parts:
                if part.defects:
                    fail(row["file"] + ": defects in a part %r" % part.defects)
            attached = parts[1].get_payload(decode=True)
            if attached != open(d + "/" + row["file"][:-4] + ".csv", "rb").read():
                fail(row["file"] + ": the attachment is not the list beside the letter")
            m = parts[0]
        if m.get_content_type() != "text/plain" or m.get_content_charset() != "utf-8":
            fail(row["file"] + ": not text/plain; charset=utf-8")
        if m["Content-Transfer-Encoding"] != "8bit":
            fail(row["file"] + ": not 8bit")
        subject = str(email.message_from_bytes(raw, policy=email.policy.default)["Subject"])
        n = count if count is not None else len(targets)
        if org not in subject or str(n) not in subject:
            fail(row["file"] + ": subject %r" % subject)
        body = m.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
        lines = body.split("\n")
        listed = [m.group(1) for m in (TARGET.match(l) for l in lines) if m]
        if count is not None:
            if len(listed) != min(count, 500) or len(set(listed)) != len(listed):
                fail(row["file"] + ": %d servers listed of %d" % (len(listed), count))
            rows = list(csv.DictReader(attached.decode("utf-8").splitlines())) if attached else []
            if count > 500 and ([r["target"] for r in rows][:500] != listed or len(rows) != count):
                fail(row["file"] + ": the attached list is not the %d servers" % count)
            if count > 500 and "and %d more" % (count - 500) not in body:
                fail(row["file"] + ": no 'and %d more'" % (count - 500))
        elif listed != targets:
            fail(row["file"] + ": servers %r, expected %r" % (listed, targets))
        if lang == "ja":
            for h in ("概要", "影響", "対象サーバ", "対策", "回避策"):
                if "■ " + h not in body:
                    fail(row["file"] + ": no heading " + h)
            if "脆弱" not in subject:
                fail(row["file"] + ": not a Japanese subject: %r" % subject)
        elif "Dear " + org + "," not in body:
            fail(row["file"] + ": no greeting")
    print("notify-check: %d letters parsed" % len(rows))


main()

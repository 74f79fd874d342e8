# gen-doc.awk: the documentation of exsweep's commands (docs/man/*.txt, one file a man page;
# the format is docs/man/README.md) turned into what the build needs. POSIX awk, run by make:
#
#   awk -f scripts/gen-doc.awk -v mode=help docs/man/*.txt >cli_help.h
#       every command's --help text, the option string and getopt_long table of its parser,
#       its option ids; the list of the commands
#   awk -f scripts/gen-doc.awk -v mode=man -v version=V -v date=D docs/man/exsweep-scan.txt
#       the man page of one source, in man(7) roff
#   awk -f scripts/gen-doc.awk -v mode=completion docs/man/*.txt
#       the bash completion's data: the commands, their options, what a value completes to
#
# A mistake in a source stops it with FILE:LINE and exit status 1 (make then keeps no output).
# Backslashes are built from bs, never written as escapes in a string: "\f" is a form feed in
# awk, and roff's font escapes are \fB, \fI and \fR.

BEGIN {
    bs = "\\"
    W = 92      # --help is filled to this width
    MAXW = 100  # and no line of it may be longer
    TERMW = 19  # a list term up to this long gets the text column; a longer one runs into it
    PAGEKEYS = " summary usage intro description outro see-also "
    ITEMKEYS = " command option exit env file example "
    SUBKEYS["command"] = " help man "
    SUBKEYS["option"] = " help man values complete "
    SUBKEYS["exit"] = " help man "
    SUBKEYS["env"] = " man "
    SUBKEYS["file"] = " man "
    SUBKEYS["example"] = " man "
    nf = 0
    failed = 0
    if (mode != "help" && mode != "man" && mode != "completion") {
        err("gen-doc.awk: -v mode=help, man or completion")
        exit 1
    }
}

function err(msg) {
    printf "%s\n", msg | "cat 1>&2"
    failed = 1
}

function die(msg) {
    err(FILENAME ":" FNR ": " msg)
    exit 1
}

# ---- reading -------------------------------------------------------------------------------

FNR == 1 {
    nf++
    f = FILENAME
    sub(/.*\//, "", f)
    if (f !~ /^exsweep(-[a-z]([a-z-]*[a-z])?)?\.txt$/)
        die("a source is named exsweep.txt or exsweep-COMMAND.txt")
    sub(/\.txt$/, "", f)
    page[nf] = f
    verb[nf] = f == "exsweep" ? "" : substr(f, 9)
    src[nf] = FILENAME
    ni[nf] = 0
    nu[nf] = 0
    item = 0
    cur = ""
}

/^#/ { next }

/[^ -~\t]/ { die("a character that is not printable ASCII") }

/^[^ \t]/ {
    key = $1
    val = $0
    sub(/^[^ \t]+[ \t]*/, "", val)
    sub(/[ \t]+$/, "", val)
    if (index(val, "\t"))
        die("a tab inside text (tabs indent, nothing else)")
    if (index(PAGEKEYS, " " key " ")) {
        item = 0
        if (key == "usage")
            id = nf SUBSEP "usage" SUBSEP (++nu[nf])
        else if ((nf SUBSEP key) in T)
            die("a second '" key "'")
        else
            id = nf SUBSEP key
        start(id, val)
    } else if (index(ITEMKEYS, " " key " ")) {
        if (val == "")
            die("'" key "' wants its term on the same line")
        item = ++ni[nf]
        ty[nf, item] = key
        term[nf, item] = val
        at[nf, item] = FILENAME ":" FNR
        if (key == "option")
            parse_option(nf, item, val)
        cur = ""
    } else if (index(" help man values complete ", " " key " ")) {
        if (!item)
            die("'" key "' belongs to an item (command, option, exit, env, file, example)")
        if (!index(SUBKEYS[ty[nf, item]], " " key " "))
            die("a " ty[nf, item] " has no '" key "'")
        id = nf SUBSEP item SUBSEP key
        if (id in T)
            die("a second '" key "' for '" term[nf, item] "'")
        start(id, val)
    } else {
        die("unknown key '" key "' (keys start in column 1; text lines are indented)")
    }
    next
}

{
    # an indented or a blank line: more of the field above
    if (cur == "") {
        if ($0 ~ /^[ \t]*$/)
            next
        die("text outside a field (a key starts in column 1)")
    }
    line = $0
    sub(/^[ \t]+/, "", line)
    sub(/[ \t]+$/, "", line)
    if (index(line, "\t"))
        die("a tab inside text (tabs indent, nothing else)")
    T[cur] = T[cur] "\n" line
}

function start(id, val) {
    T[id] = val
    where[id] = FILENAME ":" FNR
    cur = id
}

# "-f, --format FMT", "--ioc FILE", "--stats": a short letter, a long name, a value's name.
function parse_option(f, i, t,    p) {
    oshort[f, i] = ""
    if (t ~ /^-[A-Za-z0-9], /) {
        oshort[f, i] = substr(t, 2, 1)
        t = substr(t, 5)
    }
    if (t !~ /^--[a-z0-9][a-z0-9-]*( [A-Z][A-Z0-9_]*)?$/)
        die("an option is '-x, --name ARG', '--name ARG', '-x, --name' or '--name'")
    p = index(t, " ")
    olong[f, i] = p ? substr(t, 3, p - 3) : substr(t, 3)
    oarg[f, i] = p ? substr(t, p + 1) : ""
}

# A field's text without its leading and trailing blank lines; "" when it is not there.
function text(id,    s) {
    if (!(id in T))
        return ""
    s = T[id]
    sub(/^\n+/, "", s)
    sub(/\n+$/, "", s)
    return s
}

# Splits text into paragraphs (blank lines apart) in P[1..n]; returns n.
function paras(s, P,    n, L, i, k, p) {
    n = split(s, L, "\n")
    k = 0
    p = ""
    for (i = 1; i <= n; i++) {
        if (L[i] == "") {
            if (p != "")
                P[++k] = p
            p = ""
        } else {
            p = p == "" ? L[i] : p "\n" L[i]
        }
    }
    if (p != "")
        P[++k] = p
    return k
}

# ---- markup: `literal` is bold in the man page, _word_ italic; --help shows the bare text ----

function isword(c) {
    return c ~ /[A-Za-z0-9_]/
}

# s with its markup as how says: "plain" (--help) or "roff". loc names the field for errors.
function mark(s, how, loc,    out, seg, i, n, c, j, body) {
    out = ""
    seg = ""
    n = length(s)
    i = 1
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == "`") {
            j = index(substr(s, i + 1), "`")
            if (!j) {
                err(loc ": a ` without the ` that closes it")
                return s
            }
            out = out piece(seg, "", how) piece(substr(s, i + 1, j - 1), "B", how)
            seg = ""
            i += j + 1
            continue
        }
        if (c == "_" && (i == 1 || !isword(substr(s, i - 1, 1))) && i < n &&
            substr(s, i + 1, 1) !~ /[ \n_]/) {
            for (j = i + 2; j <= n; j++)
                if (substr(s, j, 1) == "_" && substr(s, j - 1, 1) !~ /[ \n]/ &&
                    (j == n || substr(s, j + 1, 1) !~ /[A-Za-z0-9]/))
                    break
            if (j > n) {
                err(loc ": an _ that opens italics and no _ that closes them (a literal _ " \
                    "that starts a word goes inside `...`)")
                return s
            }
            body = substr(s, i + 1, j - i - 1)
            if (index(body, "`"))
                err(loc ": a ` inside _italics_")
            out = out piece(seg, "", how) piece(body, "I", how)
            seg = ""
            i = j + 1
            continue
        }
        seg = seg c
        i++
    }
    return out piece(seg, "", how)
}

function piece(s, font, how) {
    if (how == "plain" || s == "")
        return s
    return font == "" ? resc(s) : bs "f" font resc(s) bs "fR"
}

# Text for roff: a backslash is \e, every '-' is \- (an ASCII minus: options and commands
# stay as typed when copied). Control lines are made by the generator alone: see lines().
function resc(s,    out, i, n, c) {
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == bs)
            out = out bs "e"
        else if (c == "-")
            out = out bs "-"
        else
            out = out c
    }
    return out
}

# Roff text lines: one that would start with '.' or '\'' (a request) starts with \& instead.
function lines(s,    n, L, i, out) {
    n = split(s, L, "\n")
    out = ""
    for (i = 1; i <= n; i++) {
        if (L[i] ~ /^['.]/)
            L[i] = bs "&" L[i]
        out = out (i > 1 ? "\n" : "") L[i]
    }
    return out
}

function roff(s, loc) {
    return lines(mark(s, "roff", loc))
}

function plain(s, loc) {
    return mark(s, "plain", loc)
}

# ---- checks of the sources as a whole --------------------------------------------------------

function check(    f, i, j, k, V, n, cmds) {
    for (f = 1; f <= nf; f++) {
        if (text(f SUBSEP "summary") == "")
            err(src[f] ": no 'summary'")
        if (!nu[f])
            err(src[f] ": no 'usage'")
        if (text(f SUBSEP "intro") == "")
            err(src[f] ": no 'intro' (the --help text under its usage)")
        for (i = 1; i <= ni[f]; i++) {
            if (index(SUBKEYS[ty[f, i]], " help ") && text(f SUBSEP i SUBSEP "help") == "")
                err(at[f, i] ": '" term[f, i] "' has no 'help'")
            if (!index(SUBKEYS[ty[f, i]], " help ") && text(f SUBSEP i SUBSEP "man") == "")
                err(at[f, i] ": '" term[f, i] "' has no 'man'")
            if (text(f SUBSEP i SUBSEP "help") != "" &&
                paras(text(f SUBSEP i SUBSEP "help"), V) > 1)
                err(at[f, i] ": a list item's 'help' is one paragraph")
            if (ty[f, i] != "option")
                continue
            if ((f SUBSEP i SUBSEP "values") in T || (f SUBSEP i SUBSEP "complete") in T) {
                if (oarg[f, i] == "")
                    err(at[f, i] ": 'values' and 'complete' are for an option that takes a value")
                if ((f SUBSEP i SUBSEP "values") in T && (f SUBSEP i SUBSEP "complete") in T)
                    err(at[f, i] ": 'values' or 'complete', not both")
            }
            if ((f SUBSEP i SUBSEP "complete") in T && T[f SUBSEP i SUBSEP "complete"] != "files")
                err(at[f, i] ": 'complete' is 'files' (the value is a file or folder name)")
            n = split(text(f SUBSEP i SUBSEP "values"), V, /[ \t\n]+/)
            for (k = 1; k <= n; k++)
                if (V[k] !~ /^[A-Za-z0-9][A-Za-z0-9._-]*$/)
                    err(at[f, i] ": value '" V[k] "' is not a plain word")
            for (j = 1; j < i; j++)
                if (ty[f, j] == "option" && (olong[f, j] == olong[f, i] ||
                    (oshort[f, i] != "" && oshort[f, j] == oshort[f, i])))
                    err(at[f, i] ": '" term[f, i] "' again (see " at[f, j] ")")
        }
    }
    # The markup of every text, the see-also list and the --help, whatever the mode.
    for (f = 1; f <= nf; f++) {
        n = split("summary description outro", V, " ")
        for (k = 1; k <= n; k++)
            mark(text(f SUBSEP V[k]), "plain", where[f SUBSEP V[k]])
        for (i = 1; i <= ni[f]; i++) {
            mark(text(f SUBSEP i SUBSEP "man"), "plain", where[f SUBSEP i SUBSEP "man"])
            if (ty[f, i] != "option")
                mark(term[f, i], "plain", at[f, i])
        }
        see_also(f, V)
        help(f)
    }
    # Every command that has a page is in the command list of exsweep.txt.
    cmds = " " commands() " "
    for (f = 1; f <= nf; f++)
        if (verb[f] != "" && main != "" && !index(cmds, " " verb[f] " "))
            err(src[f] ": '" verb[f] "' is not a 'command' of " src[main])
}

function find_main(    f) {
    main = ""
    for (f = 1; f <= nf; f++)
        if (verb[f] == "")
            main = f
}

# The command names of exsweep.txt, in order, space-separated.
function commands(    i, s, t) {
    s = ""
    if (main == "")
        return s
    for (i = 1; i <= ni[main]; i++) {
        if (ty[main, i] != "command")
            continue
        t = plain(term[main, i], at[main, i])
        sub(/ .*/, "", t)
        s = s == "" ? t : s " " t
    }
    return s
}

# ---- --help --------------------------------------------------------------------------------

function emit(line, loc) {
    if (length(line) > MAXW)
        err(loc ": a --help line longer than " MAXW " columns: " line)
    HL[++nh] = line
}

# Fills the words of s after prefix (the first line) and indent (the others) to W columns.
function fill(s, prefix, indent, loc,    n, w, i, line, empty) {
    n = split(s, w, /[ \t\n]+/)
    line = prefix
    empty = 1
    for (i = 1; i <= n; i++) {
        if (w[i] == "")
            continue
        if (empty)
            line = line w[i]
        else if (length(line) + 1 + length(w[i]) <= W)
            line = line " " w[i]
        else {
            emit(line, loc)
            line = indent w[i]
        }
        empty = 0
    }
    emit(line, loc)
}

function spaces(n,    s) {
    s = ""
    while (length(s) < n)
        s = s " "
    return s
}

# A list item's term in --help.
function hterm(f, i) {
    if (ty[f, i] == "option")
        return (oshort[f, i] != "" ? "-" oshort[f, i] ", " : "    ") "--" olong[f, i] \
               (oarg[f, i] != "" ? " " oarg[f, i] : "")
    return plain(term[f, i], at[f, i])
}

function hlist(f, type, heading,    i, n, col, t) {
    n = 0
    col = 0
    for (i = 1; i <= ni[f]; i++)
        if (ty[f, i] == type) {
            n++
            if (length(hterm(f, i)) > col)
                col = length(hterm(f, i))
        }
    if (!n)
        return
    col = 2 + (col > TERMW ? TERMW : col) + 2
    emit("", src[f])
    emit(heading ":", src[f])
    for (i = 1; i <= ni[f]; i++) {
        if (ty[f, i] != type)
            continue
        t = "  " hterm(f, i)
        t = length(t) + 2 <= col ? t spaces(col - length(t)) : t "  "
        fill(plain(text(f SUBSEP i SUBSEP "help"), at[f, i]), t, spaces(col), at[f, i])
    }
}

function hparas(f, key,    P, n, k) {
    n = paras(text(f SUBSEP key), P)
    for (k = 1; k <= n; k++) {
        emit("", where[f SUBSEP key])
        fill(plain(P[k], where[f SUBSEP key]), "", "", where[f SUBSEP key])
    }
}

# The --help text of source f in HL[1..nh].
function help(f,    i) {
    nh = 0
    for (i = 1; i <= nu[f]; i++)
        emit((i == 1 ? "usage: " : "       ") plain(text(f SUBSEP "usage" SUBSEP i), src[f]),
             src[f])
    hparas(f, "intro")
    hlist(f, "command", "commands")
    hlist(f, "option", "options")
    hlist(f, "exit", "exit codes")
    hparas(f, "outro")
}

# A C string literal's body.
function cstr(s,    out, i, n, c) {
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == bs || c == "\"" || c == "?")
            out = out bs c
        else
            out = out c
    }
    return out
}

function cname(f,    s) {
    s = verb[f] == "" ? "main" : verb[f]
    gsub(/-/, "_", s)
    return "XS_" toupper(s)
}

function gen_help(    f, i, p, next_id, opts, id, n, s) {
    printf "/* Generated from docs/man/exsweep*.txt by scripts/gen-doc.awk: do not edit. */\n"
    printf "#ifndef XS_GEN_CLI_HELP_H\n#define XS_GEN_CLI_HELP_H\n\n"
    printf "#include <getopt.h>\n#include <stddef.h>\n"
    if (main != "") {
        s = commands()
        gsub(/ /, ", ", s)
        printf "\n/* The commands, as exsweep.txt lists them. */\n#define XS_COMMANDS \"%s\"\n",
               cstr(s)
    }
    for (f = 1; f <= nf; f++) {
        p = cname(f)
        help(f)
        printf "\n/* %s: 'exsweep%s --help' */\n#define %s_HELP \\\n", src[f],
               verb[f] == "" ? "" : " " verb[f], p
        for (i = 1; i <= nh; i++)
            printf "    \"%s%sn\"%s\n", cstr(HL[i]), bs, i < nh ? " \\" : ""
        opts = ":"
        next_id = 256
        n = 0
        for (i = 1; i <= ni[f]; i++) {
            if (ty[f, i] != "option")
                continue
            if (!n++)
                printf "/* Its options' ids: getopt_long's val (the short letter, else from 256). */\nenum {\n"
            id = p "_OPT_" toupper(olong[f, i])
            gsub(/-/, "_", id)
            oid[f, i] = id
            if (oshort[f, i] != "") {
                printf "    %s = '%s',\n", id, oshort[f, i]
                opts = opts oshort[f, i] (oarg[f, i] != "" ? ":" : "")
            } else {
                printf "    %s = %d,\n", id, next_id++
            }
        }
        if (n)
            printf "};\n"
        printf "/* getopt_long's option string (':' first: a missing value is told apart) and table. */\n"
        printf "#define %s_OPTSTRING \"%s\"\n#define %s_LONGOPTS \\\n", p, opts, p
        for (i = 1; i <= ni[f]; i++)
            if (ty[f, i] == "option")
                printf "    {\"%s\", %s, NULL, %s}, \\\n", olong[f, i],
                       oarg[f, i] != "" ? "required_argument" : "no_argument", oid[f, i]
        printf "    {NULL, 0, NULL, 0}\n"
    }
    printf "\n#endif\n"
}

# ---- man page ------------------------------------------------------------------------------

function mterm(f, i,    s) {
    if (ty[f, i] == "option") {
        s = oshort[f, i] != "" ? bs "fB" bs "-" oshort[f, i] bs "fR, " : ""
        s = s bs "fB" bs "-" bs "-" resc(olong[f, i]) bs "fR"
        return s (oarg[f, i] != "" ? " " bs "fI" resc(oarg[f, i]) bs "fR" : "")
    }
    if (ty[f, i] == "command")
        return roff(term[f, i], at[f, i])
    if (ty[f, i] == "file")
        return lines(bs "fI" resc(term[f, i]) bs "fR")
    return lines(bs "fB" resc(term[f, i]) bs "fR")
}

# Paragraphs of roff: the first as it comes, the others after sep (.PP, or .IP in a list).
function mparas(s, loc, sep,    P, n, k) {
    n = paras(s, P)
    for (k = 1; k <= n; k++) {
        if (k > 1)
            print sep
        print roff(P[k], loc)
    }
}

function mlist(f, type, title,    i, n, s) {
    n = 0
    for (i = 1; i <= ni[f]; i++) {
        if (ty[f, i] != type)
            continue
        if (!n++)
            print ".SH " title
        print ".TP"
        print mterm(f, i)
        s = text(f SUBSEP i SUBSEP "man")
        mparas(s != "" ? s : text(f SUBSEP i SUBSEP "help"), at[f, i], ".IP")
    }
}

function gen_man(f,    i, id, n, R, k, name, sec) {
    if (version ~ /["\\]/ || date ~ /["\\]/)
        err("gen-doc.awk: a quote or backslash in -v version or date")
    printf ".%s\" Generated from %s by scripts/gen-doc.awk: do not edit.\n", bs, src[f]
    printf ".TH %s 1 \"%s\" \"exsweep %s\" \"exsweep manual\"\n", resc(toupper(page[f])), date,
           version
    # filled ragged right, no word broken: an option or a path stays as it is typed
    print ".ad l"
    print ".nh"
    print ".SH NAME"
    print lines(resc(page[f]) " " bs "- " mark(text(f SUBSEP "summary"), "roff",
                                               where[f SUBSEP "summary"]))
    print ".SH SYNOPSIS"
    print ".nf"
    for (i = 1; i <= nu[f]; i++) {
        id = f SUBSEP "usage" SUBSEP i
        print roff(text(id), where[id])
    }
    print ".fi"
    print ".SH DESCRIPTION"
    id = text(f SUBSEP "description") != "" ? f SUBSEP "description" : f SUBSEP "intro"
    mparas(text(id), where[id], ".PP")
    mlist(f, "command", "COMMANDS")
    mlist(f, "option", "OPTIONS")
    mlist(f, "exit", "EXIT STATUS")
    mlist(f, "env", "ENVIRONMENT")
    mlist(f, "file", "FILES")
    mlist(f, "example", "EXAMPLES")
    n = see_also(f, R)
    if (n)
        print ".SH SEE ALSO"
    for (k = 1; k <= n; k++) {
        name = R[k]
        sub(/\(.*/, "", name)
        sec = substr(R[k], length(name) + 1)
        print bs "fB" resc(name) bs "fR" sec (k < n ? "," : "")
    }
}

# The pages of 'see-also' in R[1..n] ("exsweep(1)"); returns n.
function see_also(f, R,    id, n, k) {
    id = f SUBSEP "see-also"
    if (text(id) == "")
        return 0
    n = split(text(id), R, /,[ \t\n]*/)
    for (k = 1; k <= n; k++)
        if (R[k] !~ /^[a-z0-9][a-z0-9._-]*\([1-9][a-z]*\)$/)
            err(where[id] ": 'see-also' is a list of pages, 'name(1), other(8)': " R[k])
    return n
}

# ---- bash completion -----------------------------------------------------------------------

function gen_completion(    f, i, s, v) {
    print "# Generated from docs/man/*.txt by scripts/gen-doc.awk: do not edit."
    print "_exsweep_commands() { echo '" commands() "'; }"
    print "# COMMAND ('' for exsweep itself): its options"
    print "_exsweep_options() {"
    print "    case $1 in"
    for (f = 1; f <= nf; f++) {
        s = ""
        for (i = 1; i <= ni[f]; i++)
            if (ty[f, i] == "option")
                s = s (s == "" ? "" : " ") (oshort[f, i] != "" ? "-" oshort[f, i] " " : "") \
                    "--" olong[f, i]
        print "    " (verb[f] == "" ? "''" : verb[f]) ") echo '" s "' ;;"
    }
    print "    *) return 1 ;;"
    print "    esac"
    print "}"
    print "# COMMAND OPTION: what OPTION's value completes to (words; @files: a file name), or"
    print "# status 1 when OPTION takes no value"
    print "_exsweep_value() {"
    print "    case $1 in"
    for (f = 1; f <= nf; f++) {
        print "    " (verb[f] == "" ? "''" : verb[f]) ")"
        print "        case $2 in"
        for (i = 1; i <= ni[f]; i++) {
            if (ty[f, i] != "option" || oarg[f, i] == "")
                continue
            s = (oshort[f, i] != "" ? "-" oshort[f, i] " | " : "") "--" olong[f, i]
            if ((f SUBSEP i SUBSEP "complete") in T)
                v = "echo @files "
            else if ((f SUBSEP i SUBSEP "values") in T) {
                v = T[f SUBSEP i SUBSEP "values"]
                gsub(/[ \t\n]+/, " ", v)
                v = "echo '" v "' "
            } else
                v = ""
            print "        " s ") " v ";;"
        }
        print "        *) return 1 ;;"
        print "        esac ;;"
    }
    print "    *) return 1 ;;"
    print "    esac"
    print "}"
}

END {
    if (failed)
        exit 1
    find_main()
    check()
    if (failed)
        exit 1
    if (mode == "help")
        gen_help()
    else if (mode == "man") {
        if (nf != 1)
            err("gen-doc.awk: mode=man reads one source")
        else
            gen_man(1)
    } else
        gen_completion()
    if (failed)
        exit 1
}

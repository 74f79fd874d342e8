/* Every cap on hostile input, in one place. Tests exercise the caps themselves.
 *
 * Each limit says what happens when it is reached: the input past it is counted as a warning
 * and skipped or truncated; the sweep goes on.
 */
#ifndef XS_LIMITS_H
#define XS_LIMITS_H

/* Reading */
#define XS_READ_CHUNK (1u << 20)        /* a line pipeline's buffer: a line of XS_MAX_LINE fits */
#define XS_READ_STEP (1u << 17)         /* bytes asked of one read, and so the most prefiltered at
                                           once past a line's tail: the kernel copies into memory
                                           still in cache (1 MiB steps spent twice the system
                                           time, bench/README.md) */
#define XS_MAX_LINE (1u << 20)          /* longer lines: first XS_MAX_LINE bytes kept, rest skipped */
#define XS_SNIFF_BYTES 8192             /* bytes looked at to classify a file */
#define XS_SNIFF_READ 65536             /* first read of a file: classification, archive prefix */
#define XS_HOLE_MIN (1u << 20)          /* sparse logs: at most one look for holes (SEEK_DATA,
                                            SEEK_HOLE) per this many bytes read; a hole inside
                                            them is read as the zeros it holds */
#define XS_MAX_FIELDS 512               /* CSV/W3C fields per row; more are merged into the last */
#define XS_MAX_FIELD_NAME 128           /* bytes of a column name */
#define XS_MAX_SCHEMA_CHANGES 1000      /* #Fields lines honoured per file; later ones counted */
#define XS_JSON_MAX_DEPTH 16            /* JSON nesting; a deeper line is read as malformed JSON */
#define XS_XML_MAX_ATTRS 32             /* attributes kept per XML tag; more are ignored */

/* Walking */
#define XS_MAX_PATH 4096                /* bytes of a relative path; longer entries are skipped */
#define XS_MAX_LABEL 256                /* bytes of a root's label (--label, else the root's own
                                            name): a longer one is refused (EXS_EINVAL). Made
                                            unique, a label gains "-N" (11 bytes at most; once
                                            more when saved sweeps are read together) */
#define XS_MAX_DEPTH 64                 /* folder depth under a root */
#define XS_MAX_FILES 50000000ull        /* files per scan */
#define XS_QUEUE_DEPTH 64               /* open files waiting for a worker */

/* Archives */
#define XS_MAX_ARCHIVE_DEPTH 3          /* archives inside archives */
#define XS_MAX_ARCHIVE_MEMBERS 2000000ull
#define XS_MAX_ARCHIVE_RATIO 1000ull    /* unpacked bytes per packed byte, over a whole archive */
#define XS_MAX_ARCHIVE_FLOOR (1ull << 30) /* ratio applies above this many unpacked bytes */

/* Results */
#define EXS_MAX_FINDINGS 200000          /* kept in full besides the ones always kept (exploitation,
                                            backdoors), shared fairly between rules; more are
                                            counted only */
#define XS_MAX_KEPT_ALWAYS 2000000      /* exploitation and backdoor findings kept; more (a
                                            flood no reader could act on) are counted, a warning */
#define XS_MAX_FACTS 16                 /* named facts per finding (fixed lists per rule) */
#define XS_MAX_RELATED 64               /* related finding ids kept per finding; more counted */
#define XS_MAX_SERVER_ADDRS 64          /* a root's own server addresses remembered (IIS
                                            s-ip): the smallest (strcmp), whatever the order;
                                            the others are counted in a warning and stay
                                            clients */
#define XS_MAX_SERVER_OVER 65536        /* distinct addresses past XS_MAX_SERVER_ADDRS
                                            remembered to count them; past it the warning says
                                            "at least" (the same whatever the order) */
#define EXS_MAX_COUNT_KEYS 1000000       /* distinct client addresses and host names counted;
                                            more are counted in the totals only */

/* Reading saved sweeps back (exsweep report) */
#define XS_MAX_REPORT_LINE (4u << 20)   /* bytes of one JSON line; longer lines are skipped,
                                            counted (no line a sweep writes comes near) */
#define XS_MAX_REPORT_FINDINGS 4000000  /* findings read; a file with more is refused */
#define XS_MAX_REPORT_ROOTS 4096        /* evidence roots over all the sweeps read */
#define XS_MAX_REPORT_COVERAGE 100000   /* coverage families over all the sweeps read */
#define XS_MAX_FINDING_FIELD 4096       /* bytes kept per finding string, but for ... */
#define XS_MAX_FINDING_NAME 512         /* ... names: users, hosts, event computers, channels
                                            and providers, sites; and ... */
#define XS_MAX_FINDING_SHORT 256        /* ... client addresses, cmdlet names, file attributes */
#define XS_MAX_EVIDENCE 600             /* bytes of raw evidence excerpt per finding */
#define XS_MAX_WARNING_EXAMPLES 500     /* warning messages kept: the smallest by file, line,
                                            kind and message, whatever the arrival order (the
                                            same at any -j); all are counted */
#define XS_MAX_ACCESS_EVENTS 2000000    /* script-request events kept for burst/shell correlation */
#define XS_MAX_URL 2048                 /* bytes of a URL the detectors compare (normalised) and
                                            the requests they keep; longer ones are cut there */
/* The HTML report (lib/report/html.c, docs/html.md) */
#define XS_HTML_MAX_FINDINGS 100000     /* findings embedded in the HTML: past it the heaviest
                                            (verdict, severity) are kept, in time order, and
                                            the rest counted with a note (-f jsonl has all) */
#define XS_HTML_TIMELINE_GAP (30 * 86400000LL) /* the timeline draws the largest group of
                                            findings without a gap this long (ms) in it; the
                                            others are counted under it */
#define XS_HTML_MAX_ROWS 1000           /* rows of each static table (attackers, what they
                                            left); the rest counted under it */
/* The intrusion story of the reports (lib/report/story.c) */
#define XS_STORY_MAX_ACTORS 10000       /* client addresses given details (user agents, logs,
                                            steps, accounts); the rest are counted */
#define XS_STORY_MAX_NAMES 1000         /* accounts, and mailboxes, listed as touched; the
                                            rest are counted */
/* Not a cap: the room a finding's place takes written out ("label/", the path, "!/" and each
 * archive member, ":line"), so that buffers of this size never cut one. */
#define XS_MAX_WHERE (XS_MAX_LABEL + 24 + (XS_MAX_ARCHIVE_DEPTH + 2) * (XS_MAX_PATH + 2) + 32)

/* Files: content checks (hash, rules, heuristics) and the IOC and rule inputs */
#define XS_MAX_FILE_SIZE (32ull << 20)  /* default: larger files get name, location and header checks only */
#define XS_MAX_FILE_SIZE_CAP (1ull << 30) /* the most --max-file-size may ask for */
#define XS_YARA_TIMEOUT_S 60            /* per file and rule set; a timeout is counted, matches so far kept */
#define XS_MAX_RULE_FILES 4096          /* rule files per scan (--rules, folders expanded) */
#define XS_MAX_IOC_LINE 4096            /* bytes of one IOC list line; longer lines skipped */
#define XS_MAX_IOCS 1000000             /* indicators per scan; more are counted and dropped */
#define XS_MAX_IOC_FILE (64u << 20)     /* bytes read of one IOC list; a larger list is read
                                            to its last whole line within them, the rest
                                            warned */
#define XS_PATHRE_MATCH_LIMIT 100000    /* PCRE2 backtracking steps per path and filename
                                            expression; past it the expression does not match */
#define XS_MAX_IOC_NET 256              /* addresses and hosts of the IOC lists reported
                                            (EXS-IOC-NET), the heaviest; more are counted in
                                            a warning */
#define XS_MAX_FILE_RECORDS 100000      /* files with file-side hits kept for correlation */
#define XS_MAX_FILE_HITS 4096           /* file-side hits kept per file (a scanner log lists one
                                            per detection: a 32 MiB msert.log holds ~1.7 million,
                                            ~1 GB kept); a real log or file has far fewer, and
                                            4096 findings of one file are more than a reader
                                            can act on. More are counted, a warning */
#define XS_MAX_WEB_SCRIPTS 1000000      /* script files under web roots remembered (removed-shell check) */
#define XS_MAX_VDIRS 4096               /* IIS virtual directories read from one
                                            applicationHost.config (its first), and kept over a
                                            scan to map files (the smallest by root and physical
                                            path, whatever the order); more are counted in a
                                            warning */
#define XS_MAX_XML_DEPTH 256            /* element nesting followed by the config readers */
#define XS_MAX_MDMP_STREAMS 4096        /* minidump stream directory entries read */
#define XS_MAX_MDMP_MODULES 65536       /* minidump module entries walked */

/* The vault (lib/vault/): its manifest and journal are read back and may have been tampered with */
#define XS_VAULT_MAX_LINE 65536         /* bytes of one manifest or journal line; a longer one is
                                           malformed, and never written */
#define XS_VAULT_MAX_RECORD 16384       /* bytes of an item's intent line: an item whose path,
                                           findings and rules make it longer is refused, so a
                                           vault's own lines stay well under XS_VAULT_MAX_LINE */
#define XS_VAULT_MAX_IDS 64             /* finding ids recorded for one item; more are counted
                                           ("+N more") */
#define XS_VAULT_MAX_FIELDS 64          /* fields of one line; more make it malformed */
#define XS_VAULT_MAX_ENTRIES 1000000    /* lines of a manifest or journal; more are refused */
#define XS_VAULT_MAX_LOG (256u << 20)   /* bytes of a manifest or journal read; more are refused */
#define XS_VAULT_MAX_ITEM (1ull << 30)  /* bytes of one quarantined file; a larger one is left */
#define XS_VAULT_JOURNAL_ROTATE (64ll << 20) /* bytes of a journal whose items have all ended:
                                           past them it is put aside at the next opening, so
                                           that no journal nears XS_VAULT_MAX_LOG or
                                           XS_VAULT_MAX_ENTRIES (the manifest, never put aside,
                                           holds about 300,000 items within XS_VAULT_MAX_LOG) */
#define XS_VAULT_BATCH 128              /* items taken through the sequence together, each step
                                           synced once for all of them (group commit); a larger
                                           plan is done in batches of this many */
#define XS_VAULT_FULL_RESERVE 16        /* a vault whose manifest has 15/16 of XS_VAULT_MAX_LOG or
                                           XS_VAULT_MAX_ENTRIES takes no more items ("full":
                                           quarantine into a new vault); the last 1/16 is for
                                           restores, which are refused only at the caps */
#define XS_VAULT_WORKERS 8              /* threads writing and reading back a batch's zips (the
                                           processors online, at most this many) */
#define XS_VAULT_BUSY_TRIES 7          /* tries of a rename the filesystem says is busy (a share
                                           still holding a file just closed), 10 ms apart then
                                           doubling: 0.63 s at most; then the file is left */
#define XS_MAX_PARALLEL 64              /* threads of one xs_parallel_for; more ask for fewer */
#define XS_VAULT_MAX_ZIP (XS_VAULT_MAX_ITEM + (XS_VAULT_MAX_ITEM >> 6))
                                        /* bytes of one item's zip an export copies (the item and
                                           the zip's and deflate's overhead, well under 1.5%); a
                                           larger zip is refused, nothing exported */

/* exsweep notify (lib/notify/): contacts files and probe results are read as they come */
#define XS_NOTIFY_MAX_LINE 8192          /* bytes of a contacts line or RPSL attribute (with its
                                           continuations); a longer one is a warning, skipped */
#define XS_NOTIFY_MAX_RESULT_LINE (8u << 20) /* bytes of a probe result line; longer: a warning */
#define XS_NOTIFY_MAX_NETWORKS 4000000   /* networks and domains kept (the RIPE inetnum dump has
                                           about 4.5 million objects: filter it to the
                                           constituency); more are warnings */
#define XS_NOTIFY_MAX_CIDRS 64           /* CIDRs an inetnum range is cut into; a range needing
                                           more is a warning, not kept */
#define XS_NOTIFY_MAX_EMAILS 16          /* mail addresses of one contact; more are warnings */
#define XS_NOTIFY_MAX_HOSTS 1000000      /* hosts of the probe results read; more are warnings */
#define XS_NOTIFY_LETTER_HOSTS 500       /* hosts one letter lists; the rest are counted in it
                                           and all are in its .csv beside it */
#define XS_NOTIFY_MAX_WARNINGS 1000      /* warnings kept (the first); every one is counted */
#define XS_NOTIFY_MAX_BODY_LINE 990      /* octets of a letter's text line (RFC 5322: 998 and
                                           the CRLF at most); a longer line is cut, the rest on
                                           indented lines */
#define XS_NOTIFY_MAX_ATTACH (4 << 20)   /* bytes of a letter's list of servers attached to it
                                           (about 40,000 servers; 5.4 MiB as base64); a larger
                                           list is not attached, the letter says so */
#define XS_NOTIFY_MAX_LETTER_BYTES (16 << 20) /* bytes of a letter --send reads back from the
                                           folder (500 hosts make about 0.5 MiB); a larger
                                           file is not sent: a failure, logged */

/* EVTX */
#define XS_EVTX_CHUNK_SIZE 65536u
#define XS_EVTX_MAX_CHUNKS 1000000u     /* 64 GiB of chunks per file */
#define XS_EVTX_MAX_DEPTH 64            /* BinXML element nesting; record skipped */
#define XS_EVTX_MAX_SUBST 1024          /* substitutions per template instance; record skipped */
#define XS_EVTX_MAX_FIELDS 256          /* EventData fields kept per record; rest counted, flagged */
#define XS_EVTX_MAX_TEXT 65536          /* bytes of rendered text per record; rest cut, flagged */
#define XS_EVTX_MAX_NEST 8              /* templates and BinXML values nested in values */
#define XS_EVTX_MAX_NAMES 4096          /* distinct names per chunk; records needing more skipped */
#define XS_EVTX_MAX_TEMPLATES 1024      /* distinct templates per chunk; likewise */
#define XS_EVTX_MAX_CHUNK_MEM (4u << 20) /* decoded names + compiled templates per chunk */
#define XS_EVTX_MAX_SCRATCH (4u << 20)  /* compiled BinXML of one record, nested values included */
#define XS_EVTX_MAX_RECORD_MEM (1u << 20) /* decoded field values per record; rest cut, flagged */
#define XS_EVTX_MAX_VALUE (128u << 10)  /* bytes of one decoded value; rest cut, flagged */
#define XS_EVTX_MAX_RECORD_WORK 65536   /* BinXML tokens run per record, plus 1 per 16 bytes of
                                            values decoded; past it the record is skipped */
#define XS_EVTX_MAX_CHUNK_WORK (4u << 20) /* the same per chunk; past it the rest is skipped */

/* Server-side script reader (parsers/script.h) and its behaviour analysis
 * (detectors/scriptflow.h) */
#define XS_SCRIPT_MAX_BYTES (4u << 20)  /* bytes of one script read; the rest is not analysed
                                            (truncated, a warning) */
#define XS_SCRIPT_MAX_TOKENS 262144     /* tokens per script, decoded layers included */
#define XS_SCRIPT_MAX_TEXT (8u << 20)   /* bytes of token text per script */
#define XS_SCRIPT_MAX_LAYERS 4          /* code decoded from code decoded from ... a literal */
#define XS_SCRIPT_MAX_DECODES 256       /* literals decoded and read again as code, per script */
#define XS_SCRIPT_MAX_XOR_KEYS 8        /* distinct constant XOR keys tried on the literals */
#define XS_SCRIPT_MAX_CONTROLS 1024     /* server controls remembered per page */
#define XS_SCRIPT_MAX_FOLD_PASSES 16    /* folding passes over one region */
#define XS_SCRIPT_MAX_VARS 4096         /* request-controlled variables followed per script */
#define XS_SCRIPT_MAX_FUNCS 1024        /* functions whose parameters reach a sink, per script */
#define XS_SCRIPT_MAX_STMT 65536        /* tokens of one statement looked at */

/* PE version resources (parsers/pever.h): the build of Bin\ExSetup.exe */
#define XS_PE_MAX_BYTES (16u << 20)     /* bytes of a PE looked at (and read of an ExSetup.exe
                                            the size policy did not keep whole): a header or
                                            resource past them is not read (the file is read as
                                            damaged, capped: a LIMIT warning) */
#define XS_PE_MAX_SECTIONS 96           /* section headers looked at (the Windows loader's own
                                            limit): a resource only a later one maps is not
                                            found (damaged, capped) */
#define XS_PE_MAX_RES_ENTRIES 1024      /* entries looked at per resource directory: a version
                                            resource listed after them is not found (no version,
                                            capped) */
#define XS_PE_MAX_RES_DEPTH 8           /* resource directories followed from the root to the
                                            version data (Windows writes 3: type, name,
                                            language); a deeper chain, a loop above all, is
                                            read as damaged */
#define XS_PE_MAX_VI_NODES 256          /* version-info blocks walked (VS_VERSIONINFO and its
                                            children, all levels); strings past them are not
                                            read (capped, the rest kept) */
#define XS_PE_MAX_STRING 256            /* bytes of UTF-8 kept per version string; longer ones
                                            are cut at a character (capped) */

/* The server's own state (state/observe.h) */
#define XS_MAX_STATE_OBS 64             /* distinct build observations, and distinct notes of
                                            each kind (updates, mitigations, ...), kept per
                                            root: the smallest
                                            by source, build and text, whatever the order; the
                                            others are counted (a LIMIT warning) */
#define XS_MAX_REWRITE_RULES 1024       /* URL Rewrite rules read per configuration file;
                                            more are counted (a LIMIT warning), not checked */
#define XS_MAX_REWRITE_CONDS 16         /* conditions kept per rewrite rule; more counted */
#define XS_MAX_STATE_NOTES (XS_MAX_STATE_OBS * 5) /* the most notes one root keeps: the cap
                                            for each of the 5 kinds of state/observe.h */
#define XS_MAX_NOTE_TEXT 512            /* bytes of a note's text and of a build's detail */

/* Registry hives (parsers/hive.h, detectors/registry.c) */
#define XS_HIVE_MAX_BYTES (512ull << 20) /* bytes of one hive copied to be read; a larger hive
                                            is not read (a LIMIT warning) */
#define XS_HIVE_MAX_SUBKEYS 65536       /* subkeys walked per key; the rest counted, a warning */
#define XS_HIVE_MAX_VALUES 65536        /* values walked per key; likewise */
#define XS_HIVE_MAX_DEPTH 64            /* key depth below the root followed */
#define XS_HIVE_MAX_DATA (1u << 20)     /* bytes of one value's data read; a larger value is
                                            reported with its data unread */
#define XS_HIVE_MAX_KEYS 1000000        /* keys opened per hive (lookups and walks); past it
                                            the rest of the hive is not read, a warning */
#define XS_HIVE_MAX_BIN (1u << 20)      /* bytes of one hive bin: libregf reads a whole bin for
                                            each cell it fetches, so a hive with a larger bin
                                            (Windows writes bins of a few KiB) is not read, a
                                            warning */
#define XS_HIVE_MAX_NAME 1024           /* bytes of a key or value name kept (UTF-8); longer
                                            names are cut */
#define XS_HIVE_MAX_LOG_BYTES (256u << 20) /* bytes of one transaction log (.LOG1/.LOG2) read
                                            to replay it */

/* Saved scans classified offline (exsweep probe --from-zgrab2, --from-shadowserver: lib/probe/,
 * docs/probe.md). Every record past a cap is a warning with its line number, never a stop */
#define XS_PROBE_MAX_LINE (8u << 20)    /* bytes of one ZGrab2 JSON line or Shadowserver CSV
                                            row; a longer one is skipped, a warning (ZGrab2
                                            cuts a body at 256 KB: escaped \u003c by \u003c it
                                            takes at most 1.5 MiB) */
#define XS_PROBE_JSON_DEPTH 64          /* JSON nesting of a ZGrab2 line (its TLS log nests
                                            about 20 deep); a deeper line is malformed */
#define XS_PROBE_MAX_PAIRS 8192         /* leaves of one ZGrab2 line read; a line with more is
                                            read up to them, a warning */
#define XS_PROBE_PATHS (1u << 20)       /* bytes of the dotted names of one line's leaves; a
                                            line that needs more is malformed */
#define XS_PROBE_MAX_MODULES 16         /* modules of one ZGrab2 line read (a multiple-module
                                            run names each); later ones are not read, a
                                            warning */
#define XS_PROBE_MAX_HEADERS 256        /* response header values given to the fingerprint;
                                            later ones are not looked at, a warning */
#define XS_PROBE_MAX_BODY (256u << 10)  /* bytes of a response body fingerprinted (ZGrab2's own
                                            default cut); the rest is not looked at */
#define XS_PROBE_MAX_TARGETS 1000000    /* distinct targets (host:port) of one run; records
                                            of further targets are warnings, not classified */
#define XS_PROBE_MAX_WARNINGS 1000      /* warning examples kept (the first by line); every
                                            warning is counted */
#define XS_PROBE_MAX_HOST 253           /* bytes of a target's host (a DNS name's most); a
                                            record with a longer one is a warning */
#define XS_PROBE_MAX_TEXT 256           /* bytes kept of a record's other texts (its name, its
                                            time, Shadowserver's tag); longer ones are cut at a
                                            character */

/* Live probing (exsweep probe TARGET..., lib/probe/live.c, docs/probe.md) */
#define XS_PROBE_MAX_CIDR 65536         /* addresses one CIDR target expands to (an IPv4 /16);
                                            a larger one is refused: zmap scans those */
#define XS_PROBE_MAX_EXCLUDE (1u << 20) /* ranges of an --exclude list; more is an error */
#define XS_PROBE_MAX_LIST (64u << 20)   /* bytes of an --exclude FILE (read whole before
                                            anything is sent); a larger one is an error */
#define XS_PROBE_MAX_TLINE 4096         /* bytes of one line of -i FILE (read as it comes, so
                                            that zmap's output is probed while zmap runs); a
                                            longer line is a warning */
#define XS_PROBE_MAX_CONCURRENCY 16384  /* --concurrency: transfers in flight at once */
#define XS_PROBE_MAX_RATE 100000        /* --rate: new connections per second */
#define XS_PROBE_MAX_RETRIES 5          /* --retries: further attempts of a failed request */
#define XS_PROBE_MAX_REDIRECTS 5        /* redirects followed per request (same host only);
                                            one more is "redirect limit" */
#define XS_PROBE_MAX_HEADER_BYTES (64u << 10) /* bytes of one response's headers kept; past
                                            them the response is "headers too large" */
#define XS_PROBE_MAX_CERT_NAMES 32      /* DNS names of a certificate kept */
#define XS_PROBE_MAX_URL 2048           /* bytes of a redirect's URL; a longer one is not
                                            followed */

/* Sigma rules (lib/sigma/, docs/sigma.md): rule files are outside bytes too. A file or rule
 * past a cap is skipped with its reason (xs_sigma_skips), never dropped silently */
#define XS_SIGMA_MAX_FILE (1u << 20)    /* bytes of one rule file (SigmaHQ's largest, the
                                            vulnerable-driver list, is 295 KB); a larger file
                                            is skipped unread */
#define XS_SIGMA_MAX_YAML_DEPTH 32      /* YAML nesting of a rule file (a rule needs 5); a
                                            deeper file is skipped */
#define XS_SIGMA_MAX_NODES 200000       /* YAML nodes of one file (the driver list has about
                                            8,000); a file with more is skipped */
#define XS_SIGMA_MAX_STRING 65536       /* bytes of one YAML scalar; a file with a longer one
                                            is skipped */
#define XS_SIGMA_MAX_DOCS 256           /* YAML documents of one file; a file with more is
                                            skipped */
#define XS_SIGMA_MAX_RULES 100000       /* rules loaded per run (SigmaHQ has about 3,800);
                                            further rules are skipped, each with the reason */
#define XS_SIGMA_MAX_SELECTIONS 256     /* search identifiers of one rule's detection; a rule
                                            with more is skipped */
#define XS_SIGMA_MAX_COND_DEPTH 64      /* parentheses and nots nested in a condition; a
                                            deeper one makes the rule skipped */
#define XS_SIGMA_MAX_ALTS 1024          /* strings one value becomes (base64offset makes 3);
                                            a value that would make more makes the rule
                                            skipped */
#define XS_SIGMA_MAX_PLACEHOLDERS 16    /* %name% placeholders expanded in one value (each a
                                            level of recursion); a value with more makes the
                                            rule skipped */
#define XS_SIGMA_MAX_EVENT_VALUES 64    /* values of one field looked at per event (an
                                            event's field rarely has more than one); the rest
                                            are not compared */
#define XS_SIGMA_MAX_WEB_VALUE 8192     /* bytes of an IIS line's URL (stem?query), user agent,
                                            referer and cookie given to the webserver rules;
                                            longer ones are cut */
#define XS_SIGMA_RE_MATCH_LIMIT 100000  /* PCRE2 backtracking steps per value and rule regex;
                                            past it the expression does not match */
#define XS_SIGMA_MAX_CORR_EVENTS 1000000 /* matches kept for the correlation rules (each
                                            about 48 bytes); later ones are counted dropped */
#define XS_SIGMA_MAX_CORR_BYTES (64u << 20) /* bytes of the distinct group-by and field values
                                            kept for them; a match needing more is dropped,
                                            counted */
#define XS_SIGMA_MAX_CORR_RULES 256     /* rules one correlation names; one naming more is
                                            not evaluated, and says so */
#define XS_SIGMA_MAX_CORR_DEPTH 64      /* correlations chained, one naming the next; one
                                            deeper is not evaluated, and says so */
#define XS_SIGMA_MAX_CORR_VALUE 1024    /* bytes kept of one group-by or field value; longer
                                            ones are cut (a user, a host, an address is short) */
#define XS_SIGMA_MAX_CORR_ORIGIN (XS_MAX_WHERE + 256) /* bytes of where a match came from
                                            (the sweep's place of a file: its display path, at
                                            most XS_MAX_WHERE, and a few numbers); a longer one
                                            is cut */
#define XS_SIGMA_MAX_CORR_WORK 200000000ULL /* window steps one correlation may take (a
                                            temporal_ordered or value_percentile window is
                                            walked whole); past it its evaluation stops, counted */

/* The cache of compiled Sigma prefilter databases (lib/engines/hscache.c): the analyst's own
 * files, checked all the same */
#define XS_HSCACHE_MAX_FILE (64u << 20) /* bytes of one cached database (SigmaHQ's largest is
                                            1.4 MB); a larger one is compiled, not cached, and
                                            a larger file is not read */
#define XS_HSCACHE_MAX_FILES 256        /* databases kept in the cache (SigmaHQ's Windows
                                            rules make 70); past it the ones used longest ago
                                            are removed */

#endif

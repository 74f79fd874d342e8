/* Every cap on hostile input, in one place. Tests exercise the caps themselves.
 *
 * Each limit says what happens when it is reached: the input past it is counted as a warning
 * and skipped or truncated; the sweep goes on.
 */
#ifndef EXS_LIMITS_H
#define EXS_LIMITS_H

/* Reading */
#define EXS_READ_CHUNK (1u << 20)        /* bytes read per call; the unit of prefiltering */
#define EXS_MAX_LINE (1u << 20)          /* longer lines: first EXS_MAX_LINE bytes kept, rest skipped */
#define EXS_SNIFF_BYTES 8192             /* bytes looked at to classify a file */
#define EXS_SNIFF_READ 65536             /* first read of a file: classification, archive prefix */
#define EXS_HOLE_MIN (1u << 20)          /* sparse logs: at most one look for holes (SEEK_DATA,
                                            SEEK_HOLE) per this many bytes read; a hole inside
                                            them is read as the zeros it holds */
#define EXS_MAX_FIELDS 512               /* CSV/W3C fields per row; more are merged into the last */
#define EXS_MAX_FIELD_NAME 128           /* bytes of a column name */
#define EXS_MAX_SCHEMA_CHANGES 1000      /* #Fields lines honoured per file; later ones counted */
#define EXS_JSON_MAX_DEPTH 16            /* JSON nesting; a deeper line is read as malformed JSON */
#define EXS_XML_MAX_ATTRS 32             /* attributes kept per XML tag; more are ignored */

/* Walking */
#define EXS_MAX_PATH 4096                /* bytes of a relative path; longer entries are skipped */
#define EXS_MAX_LABEL 256                /* bytes of a root's label (--label, else the root's own
                                            name): a longer one is refused (EXS_EINVAL). Made
                                            unique, a label gains "-N" (11 bytes at most; once
                                            more when saved sweeps are read together) */
#define EXS_MAX_DEPTH 64                 /* folder depth under a root */
#define EXS_MAX_FILES 50000000ull        /* files per scan */
#define EXS_QUEUE_DEPTH 64               /* open files waiting for a worker */

/* Archives */
#define EXS_MAX_ARCHIVE_DEPTH 3          /* archives inside archives */
#define EXS_MAX_ARCHIVE_MEMBERS 2000000ull
#define EXS_MAX_ARCHIVE_RATIO 1000ull    /* unpacked bytes per packed byte, over a whole archive */
#define EXS_MAX_ARCHIVE_FLOOR (1ull << 30) /* ratio applies above this many unpacked bytes */

/* Results */
#define EXS_MAX_FINDINGS 200000          /* kept in full besides the ones always kept (exploitation,
                                            backdoors), shared fairly between rules; more are
                                            counted only */
#define EXS_MAX_KEPT_ALWAYS 2000000      /* exploitation and backdoor findings kept; more (a
                                            flood no reader could act on) are counted, a warning */
#define EXS_MAX_FACTS 16                 /* named facts per finding (fixed lists per rule) */
#define EXS_MAX_RELATED 64               /* related finding ids kept per finding; more counted */
#define EXS_MAX_SERVER_ADDRS 64          /* a root's own server addresses remembered (IIS
                                            s-ip); more are warned and stay clients */
#define EXS_MAX_COUNT_KEYS 1000000       /* distinct client addresses and host names counted;
                                            more are counted in the totals only */

/* Reading saved sweeps back (exsweep report) */
#define EXS_MAX_REPORT_LINE (4u << 20)   /* bytes of one JSON line; longer lines are skipped,
                                            counted (no line a sweep writes comes near) */
#define EXS_MAX_REPORT_FINDINGS 4000000  /* findings read; a file with more is refused */
#define EXS_MAX_REPORT_ROOTS 4096        /* evidence roots over all the sweeps read */
#define EXS_MAX_REPORT_COVERAGE 100000   /* coverage families over all the sweeps read */
#define EXS_MAX_FINDING_FIELD 4096       /* bytes kept per finding string, but for ... */
#define EXS_MAX_FINDING_NAME 512         /* ... names: users, hosts, event computers, channels
                                            and providers, sites; and ... */
#define EXS_MAX_FINDING_SHORT 256        /* ... client addresses, cmdlet names, file attributes */
#define EXS_MAX_EVIDENCE 600             /* bytes of raw evidence excerpt per finding */
#define EXS_MAX_WARNING_EXAMPLES 500     /* warning messages kept: the smallest by file, line,
                                            kind and message, whatever the arrival order (the
                                            same at any -j); all are counted */
#define EXS_MAX_ACCESS_EVENTS 2000000    /* script-request events kept for burst/shell correlation */
#define EXS_MAX_URL 2048                 /* bytes of a URL the detectors compare (normalised) and
                                            the requests they keep; longer ones are cut there */
/* Not a cap: the room a finding's place takes written out ("label/", the path, "!/" and each
 * archive member, ":line"), so that buffers of this size never cut one. */
#define EXS_MAX_WHERE (EXS_MAX_LABEL + 24 + (EXS_MAX_ARCHIVE_DEPTH + 2) * (EXS_MAX_PATH + 2) + 32)

/* Files: content checks (hash, rules, heuristics) and the IOC and rule inputs */
#define EXS_MAX_FILE_SIZE (32ull << 20)  /* default: larger files get name, location and header checks only */
#define EXS_MAX_FILE_SIZE_CAP (1ull << 30) /* the most --max-file-size may ask for */
#define EXS_YARA_TIMEOUT_S 60            /* per file and rule set; a timeout is counted, matches so far kept */
#define EXS_MAX_RULE_FILES 4096          /* rule files per scan (--rules, folders expanded) */
#define EXS_MAX_IOC_LINE 4096            /* bytes of one IOC list line; longer lines skipped */
#define EXS_MAX_IOCS 1000000             /* indicators per scan; more are counted and dropped */
#define EXS_MAX_IOC_FILE (64u << 20)     /* bytes read of one IOC list; a larger list is read
                                            to its last whole line within them, the rest
                                            warned */
#define EXS_PATHRE_MATCH_LIMIT 100000    /* PCRE2 backtracking steps per path and filename
                                            expression; past it the expression does not match */
#define EXS_MAX_IOC_NET 256              /* addresses and hosts of the IOC lists reported
                                            (EXS-IOC-NET), the heaviest; more are counted in
                                            a warning */
#define EXS_MAX_FILE_RECORDS 100000      /* files with file-side hits kept for correlation */
#define EXS_MAX_WEB_SCRIPTS 1000000      /* script files under web roots remembered (removed-shell check) */
#define EXS_MAX_VDIRS 4096               /* IIS virtual directories read from one
                                            applicationHost.config (its first), and kept over a
                                            scan to map files (the smallest by root and physical
                                            path, whatever the order); more are counted in a
                                            warning */
#define EXS_MAX_XML_DEPTH 256            /* element nesting followed by the config readers */
#define EXS_MAX_MDMP_STREAMS 4096        /* minidump stream directory entries read */
#define EXS_MAX_MDMP_MODULES 65536       /* minidump module entries walked */

/* EVTX */
#define EXS_EVTX_CHUNK_SIZE 65536u
#define EXS_EVTX_MAX_CHUNKS 1000000u     /* 64 GiB of chunks per file */
#define EXS_EVTX_MAX_DEPTH 64            /* BinXML element nesting; record skipped */
#define EXS_EVTX_MAX_SUBST 1024          /* substitutions per template instance; record skipped */
#define EXS_EVTX_MAX_FIELDS 256          /* EventData fields kept per record; rest counted, flagged */
#define EXS_EVTX_MAX_TEXT 65536          /* bytes of rendered text per record; rest cut, flagged */
#define EXS_EVTX_MAX_NEST 8              /* templates and BinXML values nested in values */
#define EXS_EVTX_MAX_NAMES 4096          /* distinct names per chunk; records needing more skipped */
#define EXS_EVTX_MAX_TEMPLATES 1024      /* distinct templates per chunk; likewise */
#define EXS_EVTX_MAX_CHUNK_MEM (4u << 20) /* decoded names + compiled templates per chunk */
#define EXS_EVTX_MAX_SCRATCH (4u << 20)  /* compiled BinXML of one record, nested values included */
#define EXS_EVTX_MAX_RECORD_MEM (1u << 20) /* decoded field values per record; rest cut, flagged */
#define EXS_EVTX_MAX_VALUE (128u << 10)  /* bytes of one decoded value; rest cut, flagged */
#define EXS_EVTX_MAX_RECORD_WORK 65536   /* BinXML tokens run per record, plus 1 per 16 bytes of
                                            values decoded; past it the record is skipped */
#define EXS_EVTX_MAX_CHUNK_WORK (4u << 20) /* the same per chunk; past it the rest is skipped */

#endif

/* smtpsink: a local SMTP server for the e2e tests of exsweep notify --send
 * (tests/support/smtpd.h says what it does with a message).
 *
 *   smtpsink -d DIR -p PORTFILE [-t SECONDS] [-r ADDR]... [-D]
 *
 *   -d DIR      where messages go (must exist)
 *   -p FILE     the port it listens on (127.0.0.1) is written there once it listens
 *   -t SECONDS  it exits after this long, whatever happens (default 60)
 *   -r ADDR     RCPT TO this address is refused with 550 (repeatable)
 *   -D          DATA is refused with 451 (a temporary failure) for every message
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "smtpd.h"

static t_smtpd srv;

int main(int argc, char **argv)
{
    const char *portfile = NULL;
    int secs = 60, o;
    while ((o = getopt(argc, argv, "d:p:t:r:D")) != -1) {
        switch (o) {
        case 'd': srv.dir = optarg; break;
        case 'p': portfile = optarg; break;
        case 't': secs = atoi(optarg); break;
        case 'r':
            if (srv.nrefuse < T_SMTPD_MAX_REFUSE)
                srv.refuse[srv.nrefuse++] = optarg;
            break;
        case 'D': srv.refuse_data = 1; break;
        default: return 2;
        }
    }
    if (!srv.dir || !portfile || secs <= 0) {
        fprintf(stderr, "usage: smtpsink -d DIR -p PORTFILE [-t SECONDS] [-r ADDR]... [-D]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    alarm((unsigned)secs);
    unsigned port;
    int s = t_smtpd_listen(&port);
    if (s < 0) {
        perror("smtpsink");
        return 2;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%u\n", port) < 0 || fclose(pf) || rename(tmp, portfile)) {
        perror("smtpsink: port file");
        return 2;
    }
    t_smtpd_loop(&srv, s);
    return 2;
}

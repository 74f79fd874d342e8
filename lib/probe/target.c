/* The canonical host:port of a record (record.h). */
#include "probe/record.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"

bool xs_probe_target_key(xs_str host, unsigned port, char *key, size_t cap, char *hostout,
                         size_t hcap, const char **why)
{
    char h[XS_PROBE_MAX_HOST + 1];
    if (host.n >= 2 && host.p[0] == '[' && host.p[host.n - 1] == ']') {
        host.p++;
        host.n -= 2;
    }
    if (host.n == 0) {
        *why = "no host";
        return false;
    }
    if (host.n > XS_PROBE_MAX_HOST) {
        *why = "a host longer than 253 bytes";
        return false;
    }
    if (port == 0 || port > 65535) {
        *why = "no port between 1 and 65535";
        return false;
    }
    memcpy(h, host.p, host.n);
    h[host.n] = '\0';
    unsigned char a[16];
    char canon[INET6_ADDRSTRLEN];
    if (memchr(h, ':', host.n)) {
        if (inet_pton(AF_INET6, h, a) != 1 || !inet_ntop(AF_INET6, a, canon, sizeof canon)) {
            *why = "a host with ':' that is no IPv6 address";
            return false;
        }
        snprintf(hostout, hcap, "%s", canon);
        snprintf(key, cap, "[%s]:%u", canon, port);
        return true;
    }
    if (inet_pton(AF_INET, h, a) == 1 && inet_ntop(AF_INET, a, canon, sizeof canon)) {
        snprintf(hostout, hcap, "%s", canon);
        snprintf(key, cap, "%s:%u", canon, port);
        return true;
    }
    for (size_t i = 0; i < host.n; i++) {
        char c = xs_lower(h[i]);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.')) {
            *why = "a host that is no address and no DNS name";
            return false;
        }
        h[i] = c;
    }
    if (h[0] == '.' || h[0] == '-') {
        *why = "a host that is no address and no DNS name";
        return false;
    }
    snprintf(hostout, hcap, "%s", h);
    snprintf(key, cap, "%s:%u", h, port);
    return true;
}

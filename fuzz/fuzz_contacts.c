/* Fuzz target: contacts files, CSV or RPSL (lib/notify/contacts.c), and lookups of a few
 * addresses and names in what was read. */
#include <stdint.h>
#include <string.h>

#include "notify/contacts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool rpsl;
    xs_contacts *c = xs_contacts_read((const char *)data, size, &rpsl);
    if (!c)
        return 0;
    static const char *const addrs[] = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "::1",
                                        "2001:db8::1"};
    uint8_t a[16];
    size_t sink = 0;
    for (size_t i = 0; i < sizeof addrs / sizeof *addrs; i++)
        if (xs_addr_parse(addrs[i], strlen(addrs[i]), a)) {
            const xs_contact *k = xs_contacts_addr(c, a);
            sink += k ? strlen(k->org) + strlen(k->emails) : 0;
        }
    const xs_contact *k = xs_contacts_name(c, "mail.example.org");
    sink += k ? strlen(k->emails) : 0;
    (void)sink;
    xs_contacts_free(c);
    return 0;
}

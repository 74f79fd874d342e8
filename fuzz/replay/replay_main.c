/* Replays fuzz corpora without libFuzzer: every file named on the command line (or every
 * regular file in a folder named there) is fed once to LLVMFuzzerTestOneInput. make check
 * runs this over fuzz/corpus/<target>/, also under ASan+UBSan, so kept crashers stay fixed.
 * Exits 1 when an input could not be read or when no input ran at all. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (64u << 20)

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (!buf) {
        fclose(f);
        return -1;
    }
    size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
    fclose(f);
    /* Copy into an exact-size allocation so ASan sees reads past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned ran = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            bad++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad += replay_file(argv[i]) != 0;
            ran++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            bad++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char p[4096];
            if ((size_t)snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name) >= sizeof p)
                continue;
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
                bad += replay_file(p) != 0;
                ran++;
            }
        }
        closedir(d);
    }
    printf("replayed %u inputs, %u unreadable\n", ran, bad);
    /* An empty or missing corpus tests nothing: that is a failure, not a pass. */
    return bad || ran == 0 ? 1 : 0;
}

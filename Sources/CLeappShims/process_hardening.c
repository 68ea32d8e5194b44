// The process itself: hardening at start, and the free that Swift calls on C memory.
#define _GNU_SOURCE
#include "CLeappShims.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>

void leapp_free(void *ptr) { free(ptr); }

void leapp_harden_process(void) {
    // Passwords, IdP cookies and assertions live in this process's memory: no core file,
    // and no other process of the same user may read it (ptrace, /proc/PID/mem).
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Over `ulimit -f`, write() fails with EFBIG (reported) instead of a silent SIGXFSZ death.
    signal(SIGXFSZ, SIG_IGN);
}

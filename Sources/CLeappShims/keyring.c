// The kernel's key retention service (keyrings(7)) through its three system calls.
//
// Raw syscalls, not libkeyutils: leapp needs six keyctl operations, each one line here, and
// the `env` fast path must not pay for loading another library (nor the package carry
// another runtime dependency). Every call retries EINTR in one place and reports errno.
#define _GNU_SOURCE
#include "CLeappShims.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long keyctl5(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d) {
    long rc;
    do rc = syscall(SYS_keyctl, op, a, b, c, d);
    while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : rc;
}

static long add_key(const char *type, const char *description, const void *payload, size_t len, int32_t ring) {
    long rc;
    do rc = syscall(SYS_add_key, type, description, payload, len, (long)ring);
    while (rc < 0 && errno == EINTR);
    return rc < 0 ? -errno : rc;
}

// Permission bits (keyrings(7); libkeyutils names them, the kernel's uapi header does not).
// Possessor and user: view, read, write, search, link, setattr. Group and other: nothing.
enum { KR_POS_ALL = 0x3f000000, KR_USR_ALL = 0x003f0000 };
static const unsigned long user_only = KR_POS_ALL | KR_USR_ALL;

int32_t leapp_kr_parent(int scope) {
    switch (scope) {
    case LEAPP_KR_SESSION: return KEY_SPEC_SESSION_KEYRING;
    case LEAPP_KR_USER: return KEY_SPEC_USER_KEYRING;
    default: {
        // The uid's persistent keyring, linked into this process's keyring so that it is
        // possessed; each call refreshes its expiry. Kernels without it: the user keyring.
        long id = keyctl5(KEYCTL_GET_PERSISTENT, (unsigned long)-1, (unsigned long)(long)KEY_SPEC_PROCESS_KEYRING, 0, 0);
        return id > 0 ? (int32_t)id : KEY_SPEC_USER_KEYRING;
    }
    }
}

// Found, or made without displacing one another process made meanwhile: add_key of a keyring
// whose name is taken replaces the link, and the keys already stored in the first one are
// lost. So a new keyring is made in this thread's own keyring, then moved into the parent
// with KEYCTL_MOVE_EXCL (Linux 5.1), which fails with EEXIST when another process won the
// race; then the winner is searched again. Kernels without KEYCTL_MOVE link it plainly.
long leapp_kr_keyring(int32_t parent, const char *name) {
    for (int attempt = 0; attempt < 8; attempt++) {
        long id = keyctl5(KEYCTL_SEARCH, (unsigned long)(long)parent, (unsigned long)"keyring", (unsigned long)name, 0);
        if (id > 0 || (id != -ENOKEY && id != -EKEYREVOKED && id != -EKEYEXPIRED)) return id;
        id = add_key("keyring", name, NULL, 0, KEY_SPEC_THREAD_KEYRING);
        if (id < 0) return id;
        keyctl5(KEYCTL_SETPERM, (unsigned long)id, user_only, 0, 0);
        long rc = keyctl5(KEYCTL_MOVE, (unsigned long)id, (unsigned long)(long)KEY_SPEC_THREAD_KEYRING,
                          (unsigned long)(long)parent, KEYCTL_MOVE_EXCL);
        if (rc == -EOPNOTSUPP || rc == -ENOSYS) {
            rc = keyctl5(KEYCTL_LINK, (unsigned long)id, (unsigned long)(long)parent, 0, 0);
            keyctl5(KEYCTL_UNLINK, (unsigned long)id, (unsigned long)(long)KEY_SPEC_THREAD_KEYRING, 0, 0);
            return rc < 0 ? rc : id;
        }
        if (rc == 0) return id;
        keyctl5(KEYCTL_UNLINK, (unsigned long)id, (unsigned long)(long)KEY_SPEC_THREAD_KEYRING, 0, 0);
        if (rc != -EEXIST) return rc;
    }
    return -EAGAIN;
}

long leapp_kr_store(int32_t ring, const char *description, const void *data, size_t len, unsigned timeout) {
    long id = add_key("user", description, data, len, ring);
    if (id < 0) return id;
    long rc = keyctl5(KEYCTL_SETPERM, (unsigned long)id, user_only, 0, 0);
    if (rc < 0) return rc;
    if (timeout) {
        rc = keyctl5(KEYCTL_SET_TIMEOUT, (unsigned long)id, timeout, 0, 0);
        if (rc < 0) return rc;
    }
    return id;
}

long leapp_kr_find(int32_t ring, const char *description) {
    return keyctl5(KEYCTL_SEARCH, (unsigned long)(long)ring, (unsigned long)"user", (unsigned long)description, 0);
}

long leapp_kr_read(long key, char **data, size_t *len) {
    *data = NULL;
    *len = 0;
    for (int attempt = 0; attempt < 4; attempt++) {
        long size = keyctl5(KEYCTL_READ, (unsigned long)key, 0, 0, 0);
        if (size < 0) return size;
        char *buf = malloc((size_t)size + 1);
        if (!buf) return -ENOMEM;
        long got = keyctl5(KEYCTL_READ, (unsigned long)key, (unsigned long)buf, (unsigned long)size, 0);
        if (got < 0) { free(buf); return got; }
        if (got <= size) {  // it did not grow in between
            buf[got] = 0;
            *data = buf;
            *len = (size_t)got;
            return 0;
        }
        free(buf);
    }
    return -EAGAIN;
}

long leapp_kr_remove(int32_t ring, long key) {
    long rc = keyctl5(KEYCTL_INVALIDATE, (unsigned long)key, 0, 0, 0);
    if (rc == -EOPNOTSUPP || rc == -EINVAL) rc = keyctl5(KEYCTL_UNLINK, (unsigned long)key, (unsigned long)(long)ring, 0, 0);
    return rc;
}

long leapp_kr_describe(long key, char **text) {
    *text = NULL;
    long size = keyctl5(KEYCTL_DESCRIBE, (unsigned long)key, 0, 0, 0);
    if (size < 0) return size;
    char *buf = calloc((size_t)size + 1, 1);
    if (!buf) return -ENOMEM;
    long got = keyctl5(KEYCTL_DESCRIBE, (unsigned long)key, (unsigned long)buf, (unsigned long)size, 0);
    if (got < 0) { free(buf); return got; }
    *text = buf;
    return 0;
}

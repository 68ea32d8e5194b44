// Child processes for browser login: a spawn with the DevTools pipe on descriptors 3 and 4,
// signals turned into readable bytes while a browser is open, and removal of its profile.
#define _GNU_SOURCE
#include "CLeappShims.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <unistd.h>

// Our own ends may be 3 or 4 themselves: move every end above 4 first, so that a dup2 onto
// 3 or 4 never has a source that is also a target.
static int above_four(int fd) {
    if (fd > 4) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 5);
    close(fd);
    return moved;
}

int leapp_spawn_piped(const char *path, char *const argv[], char *const envp[], int keep_stderr, int *to_child, int *from_child, int *pid) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0) return errno;
    if (pipe2(out, O_CLOEXEC) < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        return e;
    }
    for (int i = 0; i < 2; i++) {
        in[i] = above_four(in[i]);
        out[i] = above_four(out[i]);
    }
    if (in[0] < 0 || in[1] < 0 || out[0] < 0 || out[1] < 0) {
        int e = errno;
        for (int i = 0; i < 2; i++) {
            if (in[i] >= 0) close(in[i]);
            if (out[i] >= 0) close(out[i]);
        }
        return e ? e : EMFILE;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (!keep_stderr) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, in[0], 3);
    posix_spawn_file_actions_adddup2(&actions, out[1], 4);
    posix_spawn_file_actions_addclosefrom_np(&actions, 5);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGCHLD};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&defaults, signals[i]);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    pid_t child = 0;
    int rc = posix_spawn(&child, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        return rc;
    }
    *to_child = in[1];
    *from_child = out[0];
    *pid = child;
    return 0;
}

static int signal_pipe[2] = {-1, -1};
static struct sigaction saved[4];
static const int caught[4] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void on_signal(int sig) {
    int saved_errno = errno;
    unsigned char c = (unsigned char)sig;
    ssize_t ignored = write(signal_pipe[1], &c, 1);
    (void)ignored;
    errno = saved_errno;
}

int leapp_signals_catch(void) {
    if (signal_pipe[0] >= 0) return signal_pipe[0];
    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) return -1;
    for (int i = 0; i < 4; i++) {
        struct sigaction action = {0};
        action.sa_handler = caught[i] == SIGPIPE ? SIG_IGN : on_signal;
        sigemptyset(&action.sa_mask);
        sigaction(caught[i], &action, &saved[i]);
    }
    return signal_pipe[0];
}

void leapp_signals_release(void) {
    if (signal_pipe[0] < 0) return;
    for (int i = 0; i < 4; i++) sigaction(caught[i], &saved[i], NULL);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    signal_pipe[0] = signal_pipe[1] = -1;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    int rc = (type == FTW_DP) ? rmdir(path) : unlink(path);
    return (rc < 0 && errno != ENOENT) ? errno : 0;
}

int leapp_remove_tree(const char *path) {
    int rc = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (rc < 0) return errno == ENOENT ? 0 : errno;
    return rc;
}

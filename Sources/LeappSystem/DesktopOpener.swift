import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// Opens a URL in the desktop's browser (`LEAPP_BROWSER`, else `xdg-open`), detached: the
/// opener gets its own session and /dev/null for its standard streams, so it can neither hold
/// the terminal nor read what the person types, and leapp does not wait for it (a browser that
/// stays in the foreground must not hold a device login). A thread reaps it when it exits.
///
/// The target is one argument after the opener's name and nothing else: callers pass only what
/// `OpenableURL.check` returned (always `https://...` or `http://...`), so it cannot be taken for
/// an option. No `--` goes before it: xdg-open refuses `--` as an unknown option.
public enum DesktopOpener {
    public static func open(_ target: String, environment: [String: String]) throws {
        let opener = environment["LEAPP_BROWSER"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
        try launch([opener, target])
    }

    /// Runs `argv` (its first word found on PATH) detached, as `open` runs the opener.
    public static func launch(_ argv: [String]) throws {
        let opener = argv[0]
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw failure(opener, errno) }
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawnattr_init(&attributes) == 0 else { throw failure(opener, errno) }
        defer { posix_spawnattr_destroy(&attributes) }
        for fd: Int32 in [0, 1, 2] {
            let rc = posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            guard rc == 0 else { throw failure(opener, rc) }
        }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // POSIX_SPAWN_SETSID: no controlling terminal, not in leapp's process group.
        let flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | 0x80)
        posix_spawnattr_setflags(&attributes, flags)
        let argv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        guard argv.dropLast().allSatisfy({ $0 != nil }) else { throw failure(opener, ENOMEM) }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, opener, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw failure(opener, rc) }
        reap(pid)
    }

    /// Waits for the opener on a thread of its own (no thread: a zombie until leapp exits).
    private static func reap(_ pid: pid_t) {
        try? detachThread {
            var status: Int32 = 0
            _ = retryingEINTR { waitpid(pid, &status, 0) }
        }
    }

    private static func failure(_ opener: String, _ code: Int32) -> LeappError {
        LeappError(
            .config, "cannot run \(Validation.printable(opener)): \(String(cString: strerror(code)))",
            hint: "install xdg-utils or set LEAPP_BROWSER, or use --print and open the URL yourself")
    }
}

import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The process-level calls the executable makes, kept here so that the executable holds no
/// raw system call: its environment, replacing it by another program, and small file probes.
public enum ProcessCalls {
    /// The environment this process was started with.
    public static func environment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    /// Runs `command` in place of this process (found on PATH) with `unset` removed from the
    /// environment and `set` added. Returns only by exiting: 127 when there is no such
    /// program, 126 when it cannot run, with one line saying why.
    public static func replaceProcess(with command: [String], unset: [String], set: [(String, String)]) -> Never {
        for name in unset { unsetenv(name) }
        for (name, value) in set { setenv(name, value, 1) }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        execvp(command[0], &argv)
        let code = errno
        writeErr("leapp: cannot run \(Validation.printable(command[0])): \(String(cString: strerror(code)))\n")
        exit(code == ENOENT ? 127 : 126)
    }

    /// Whether a path is a socket (a session bus at `$XDG_RUNTIME_DIR/bus`).
    public static func isSocket(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFSOCK
    }

    /// Removes the files of `directory` that `matches` names and that were last changed more
    /// than `seconds` ago.
    public static func removeOldFiles(in directory: String, olderThan seconds: Int, where matches: (String) -> Bool) {
        let now = time(nil)
        for name in POSIXFileSystem.entries(of: directory) where matches(name) {
            var st = stat()
            let path = directory + "/" + name
            if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, now - st.st_mtim.tv_sec > seconds { unlink(path) }
        }
    }

    /// Whether the terminal on a descriptor is one (colours, prompts).
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

extension SharedLibrary {
    /// The first soname that loads, nil when none does (doctor's check).
    public var loadable: String? {
        sonames.first { name in
            guard let handle = dlopen(name, RTLD_LAZY | RTLD_LOCAL) else { return false }
            dlclose(handle)
            return true
        }
    }
}

/// A command run beside leapp (`leapp exec --server`): leapp stays to serve it.
public enum ChildProcess {
    nonisolated(unsafe) private static var child: pid_t = 0

    /// Runs `command` (found on PATH) with leapp's standard streams and process group (so the
    /// terminal's ^C reaches it), `unset` removed from its environment and `set` added, and
    /// waits. Meanwhile leapp ignores ^C and ^\ (the command decides what they mean) and passes
    /// SIGTERM and SIGHUP on. Returns the exit status to pass on: the command's, 128 + the
    /// signal that ended it, 127 when there is no such program, 126 when it cannot run.
    public static func run(_ command: [String], unset: [String], set: [(String, String)]) -> Int32 {
        var env = ProcessCalls.environment()
        for name in unset { env[name] = nil }
        for (name, value) in set { env[name] = value }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, command[0], nil, &attributes, argv, envp)
        guard rc == 0 else {
            writeErr("leapp: cannot run \(Validation.printable(command[0])): \(String(cString: strerror(rc)))\n")
            return rc == ENOENT ? 127 : 126
        }
        child = pid
        for sig in [SIGTERM, SIGHUP] {
            signal(sig) { received in if ChildProcess.child > 0 { kill(ChildProcess.child, received) } }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signaled = status & 0x7f
        return signaled == 0 ? (status >> 8) & 0xff : 128 + signaled
    }
}

/// The termination signals a long-running leapp (`leapp serve`) waits for on its main thread.
public enum TerminationSignals {
    /// Blocks SIGINT, SIGTERM and SIGHUP in this thread and every thread started after: call
    /// before starting any, so that `wait` alone receives them.
    public static func block() {
        var set = signals()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for one of them and returns it.
    public static func wait() -> Int32 {
        var set = signals()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private static func signals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
        return set
    }
}

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

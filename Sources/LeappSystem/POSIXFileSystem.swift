import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The file port on POSIX calls: atomic replace (temp file, fsync, rename), advisory
/// locks with flock on a sibling `.lock` file, explicit modes.
public struct POSIXFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> [UInt8]? {
        try read(path, limit: Int.max, followLinks: true)
    }

    /// Opens without blocking (a FIFO would otherwise wait for a writer forever), checks
    /// that the descriptor is a regular file, then reads at most `limit` bytes.
    public func read(_ path: String, limit: Int, followLinks: Bool) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (followLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP && !followLinks { throw LeappError(.file, "\(Validation.printable(path)) is a symbolic link") }
            throw failure("read", path)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("read", path) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw LeappError(
                .file, "cannot read \(Validation.printable(path)): it is a \(Self.kind(st.st_mode).rawValue), not a regular file")
        }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let want = min(buffer.count, limit - out.count)
            let n = buffer.withUnsafeMutableBytes { b in retryingEINTR { Glibc.read(fd, b.baseAddress, want) } }
            if n < 0 { throw failure("read", path) }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    public func inspect(_ path: String) -> FileInfo {
        var link = stat()
        guard lstat(path, &link) == 0 else { return FileInfo(kind: .missing) }
        let isLink = link.st_mode & S_IFMT == S_IFLNK
        var st = stat()
        guard stat(path, &st) == 0 else { return FileInfo(kind: .danglingLink, isLink: true) }
        var info = FileInfo(
            kind: Self.kind(st.st_mode), mode: UInt32(st.st_mode & 0o7777), ownedByUser: st.st_uid == geteuid(),
            target: realPath(path), isLink: isLink)
        info.group = st.st_gid
        return info
    }

    static func kind(_ mode: mode_t) -> FileInfo.Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR, S_IFBLK: return .device
        default: return .other
        }
    }

    public func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        let info = inspect(path)
        switch info.kind {
        case .missing: break
        case .regular:
            guard info.ownedByUser else {
                throw LeappError(
                    .file, "\(Validation.printable(path)) belongs to another user; leapp does not replace it",
                    hint: "fix its owner, or point leapp at a file of yours")
            }
            guard info.mode & 0o200 != 0 else {
                throw LeappError(
                    .file, "\(Validation.printable(path)) is read-only; leapp does not replace it",
                    hint: "make it writable (chmod u+w) if leapp should change it")
            }
        default:
            throw LeappError(.file, "cannot write \(Validation.printable(path)): it is a \(info.kind.rawValue), not a regular file")
        }
        // A symbolic link stays; the file it points to is replaced. A new file gets `mode`,
        // an existing one keeps its own.
        let target = info.target ?? path
        let keepMode = info.kind == .regular ? info.mode : mode
        removeLeftovers(of: target)
        let temp = "\(target).leapp-tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(keepMode))
        if fd < 0 { throw failure("create", temp) }
        var failedStep: String?
        var savedErrno: Int32 = 0
        if fchmod(fd, mode_t(keepMode)) != 0 {
            failedStep = "write"
            savedErrno = errno
        }
        // The replacement keeps the group of the file it replaces (the owner is ours: checked above).
        if failedStep == nil, info.kind == .regular, fchown(fd, uid_t.max, gid_t(info.group)) != 0 {
            failedStep = "write"
            savedErrno = errno
        }
        if failedStep == nil, case let code = bytes.withUnsafeBytes({ writeAll(fd, $0) }), code != 0 {
            failedStep = "write"
            savedErrno = code
        }
        if failedStep == nil, fsync(fd) != 0 {
            failedStep = "write"
            savedErrno = errno
        }
        close(fd)
        if failedStep == nil, rename(temp, target) != 0 {
            failedStep = "replace"
            savedErrno = errno
        }
        if let failedStep {
            unlink(temp)
            errno = savedErrno
            throw failure(failedStep, path)
        }
    }

    /// Temp files of this target left by a writer that was killed mid-write. Writers hold
    /// the target's lock, so any such file belongs to one that is gone.
    private func removeLeftovers(of target: String) {
        let slash = target.lastIndex(of: "/")
        let dir = slash.map { String(target[..<$0]) } ?? "."
        let prefix = String(target[(slash.map { target.index(after: $0) } ?? target.startIndex)...]) + ".leapp-tmp-"
        for name in Self.entries(of: dir.isEmpty ? "/" : dir) where name.hasPrefix(prefix) { unlink(dir + "/" + name) }
    }

    /// The names in a directory (none when it cannot be read).
    public static func entries(of dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        return names
    }

    public func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure("remove", path) }
    }

    public func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public func createDirectory(_ path: String, mode: UInt32) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode_t(mode)) != 0 && errno != EEXIST {
                // An existing directory in an unwritable parent answers EACCES, not EEXIST.
                var st = stat()
                if stat(current, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR { continue }
                throw failure("create directory", current)
            }
        }
    }

    public func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw failure("lock", lockPath) }
        defer { close(fd) }
        if retryingEINTR({ flock(fd, LOCK_EX) }) != 0 { throw failure("lock", lockPath) }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    public func tryLock(_ path: String) throws -> AnyObject? {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw failure("lock", lockPath) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return HeldLock(fd: fd)
    }

    /// Closing the descriptor releases the lock.
    final class HeldLock {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    public func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func failure(_ verb: String, _ path: String) -> LeappError {
        let code = errno
        let reason = String(cString: strerror(code))
        let hint = code == EFBIG ? "the file size limit (ulimit -f) is too small" : code == ENOSPC ? "free some disk space" : nil
        return LeappError(.file, "cannot \(verb) \(Validation.printable(path)): \(reason)", hint: hint)
    }
}

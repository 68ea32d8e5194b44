import LeappCore
#if canImport(Glibc)
import Glibc
#endif

/// The file port on POSIX calls: atomic replace (temp file, fsync, rename), advisory
/// locks with flock on a sibling `.lock` file, explicit modes.
public struct POSIXFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("read", path)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw failure("read", path) }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    public func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws {
        let target = realPath(path) ?? path // write through a symlink to its target
        removeLeftovers(of: target)
        let temp = "\(target).leapp-tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        if fd < 0 { throw failure("create", temp) }
        var ok = fchmod(fd, mode_t(mode)) == 0
        var offset = 0
        while ok && offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; ok = false; break }
            offset += n
        }
        if ok { ok = fsync(fd) == 0 }
        let savedErrno = errno
        close(fd)
        guard ok, rename(temp, target) == 0 else {
            errno = savedErrno
            let error = failure("write", path)
            unlink(temp)
            throw error
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
            if mkdir(current, mode_t(mode)) != 0 && errno != EEXIST { throw failure("create directory", current) }
        }
    }

    public func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw failure("lock", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw failure("lock", lockPath) }
        }
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
        let reason = String(cString: strerror(errno))
        return LeappError(.file, "cannot \(verb) \(path): \(reason)")
    }
}

/// What a path is, looked at without following a final symbolic link first.
public struct FileInfo: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case missing, regular, directory, fifo, socket
        case device = "device file"
        /// A symbolic link whose target does not exist.
        case danglingLink = "symbolic link to a missing file"
        case other = "special file"
    }
    /// The kind of what the path names after following symbolic links.
    public var kind: Kind
    /// Permission bits of the file (after links).
    public var mode: UInt32
    /// Whether the file belongs to this process's user.
    public var ownedByUser: Bool
    /// The file's group (kept when leapp replaces the file).
    public var group: UInt32 = 0
    /// The path after following symbolic links (nil when missing).
    public var target: String?
    /// Whether the path itself is a symbolic link.
    public var isLink: Bool

    public init(kind: Kind, mode: UInt32 = 0, ownedByUser: Bool = true, target: String? = nil, isLink: Bool = false) {
        self.kind = kind
        self.mode = mode
        self.ownedByUser = ownedByUser
        self.target = target
        self.isLink = isLink
    }

    /// `/dev/null`, the common way to say "no file".
    public var isNullDevice: Bool { kind == .device && target == "/dev/null" }
}

public protocol FileSystem {
    /// The whole content of a regular file; nil when it does not exist. A FIFO, device or
    /// directory is an error, never a wait.
    func read(_ path: String) throws -> [UInt8]?
    /// At most `limit` bytes of a regular file, without following a final symbolic link
    /// when `followLinks` is false (nil when missing).
    func read(_ path: String, limit: Int, followLinks: Bool) throws -> [UInt8]?
    /// Writes through a temporary file in the same directory (fsynced) and renames it over
    /// the target of `path` (a symbolic link is kept and its target replaced). An existing
    /// file keeps its mode; a new one gets `mode`.
    func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws
    func remove(_ path: String) throws
    func exists(_ path: String) -> Bool
    func inspect(_ path: String) -> FileInfo
    func createDirectory(_ path: String, mode: UInt32) throws
    /// Runs body holding an exclusive lock on `path + ".lock"`.
    func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T
    func realPath(_ path: String) -> String?
    /// Takes an exclusive lock on `path + ".lock"` without waiting: nil when another process
    /// holds it. The lock lasts as long as the returned object.
    func tryLock(_ path: String) throws -> AnyObject?
}

/// The trust records for `.leapp-session` files: marker path -> SHA-256 of the content.
/// A file activates nothing until `leapp allow` records it; any edit or move needs a new allow.
///
/// The path is the marker's own: its directory resolved, the file itself never followed. A
/// marker that is a symbolic link is refused (trust cannot travel through a link into a
/// directory the user never allowed), and one replaced by a link loses its trust. A marker
/// is opened without blocking and read only up to 4 KiB + 1 byte, so a FIFO, a device or a
/// huge (or endless) file in a hostile checkout cannot hang or exhaust the shell's hook.
public struct AllowList {
    public static let markerName = ".leapp-session"
    public let fs: FileSystem
    public let path: String

    public init(dataDirectory: String, fs: FileSystem) {
        self.fs = fs
        self.path = dataDirectory + "/allowed.json"
    }

    struct Records: Codable {
        var version = 1
        var files: [String: String] = [:]
    }

    private func load() throws -> Records {
        guard let bytes = try fs.read(path) else { return Records() }
        guard let records = try? JSONDecoder().decode(Records.self, from: Data(bytes)) else {
            throw LeappError(.config, "cannot read \(path)", hint: "fix or remove it; nothing is allowed until then")
        }
        return records
    }

    private func change(_ body: (inout Records) -> Void) throws {
        let dir = String(path[..<path.lastIndex(of: "/")!])
        try fs.createDirectory(dir, mode: 0o700)
        try fs.withLock(path) {
            var records = try load()
            body(&records)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try fs.writeAtomically(path, Array(try encoder.encode(records)) + [0x0A], mode: 0o600)
        }
    }

    public static let maxSize = 4096

    /// Reads a marker: its path (directory resolved), its content, and the alias it names.
    /// Nothing of an unreadable or invalid marker's content goes into the error.
    public func read(_ markerPath: String) throws -> (real: String, content: [UInt8], alias: String) {
        let real = self.markerPath(markerPath)
        let shown = Validation.printable(real, limit: 1024)
        let trusted = "leapp trusts only a regular file of at most 4 KiB holding a session alias"
        let info = fs.inspect(real)
        if info.isLink { throw LeappError(.file, "\(shown) is a symbolic link", hint: trusted) }
        if info.kind != .regular && info.kind != .missing {
            throw LeappError(.file, "\(shown) is a \(info.kind.rawValue), not a regular file", hint: trusted)
        }
        // Opened without following a link and without blocking, whatever changed since the look.
        let content = try fs.read(real, limit: Self.maxSize + 1, followLinks: false)
        guard let content else { throw LeappError(.file, "no file \(shown)") }
        guard content.count <= Self.maxSize else {
            throw LeappError(.validation, "\(shown) is larger than 4 KiB; it should hold one session alias")
        }
        let text = String(decoding: content, as: UTF8.self)
        let alias =
            text.split(whereSeparator: \.isNewline)
            .map { $0.trimmed }.first { !$0.isEmpty && !$0.hasPrefix("#") } ?? ""
        do { try Validation.checkName(alias, what: "alias") } catch {
            throw LeappError(
                .validation, "\(shown) does not name a session alias",
                hint: "its first line that is not a comment must be an alias (letters, digits and . _ - @ +)")
        }
        return (real, content, alias)
    }

    /// A marker's path with its directory resolved (symbolic links, `..`) and the file
    /// itself kept as it is.
    public func markerPath(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let realDir = fs.realPath(dir.isEmpty ? "/" : dir) else { return path }
        return (realDir == "/" ? "" : realDir) + "/" + name
    }

    public func isAllowed(real: String, content: [UInt8]) throws -> Bool {
        try load().files[real] == sha256Hex(content)
    }

    public func allow(real: String, content: [UInt8]) throws {
        try change { $0.files[real] = sha256Hex(content) }
    }

    @discardableResult
    public func deny(real: String) throws -> Bool {
        var removed = false
        try change { removed = $0.files.removeValue(forKey: real) != nil }
        return removed
    }

    /// The nearest marker in `directory` or an ancestor.
    public func find(from directory: String) -> String? {
        var dir = directory
        while true {
            let candidate = (dir == "/" ? "" : dir) + "/" + Self.markerName
            if fs.exists(candidate) { return candidate }
            if dir == "/" || dir.isEmpty { return nil }
            dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
            if dir.isEmpty { dir = "/" }
        }
    }
}

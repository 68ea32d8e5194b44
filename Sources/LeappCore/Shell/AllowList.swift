/// The trust records for `.leapp-session` files: real path -> SHA-256 of the content.
/// A file activates nothing until `leapp allow` records it; any edit or move needs a new allow.
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

    /// Reads a marker: its real path, its content, and the alias it names.
    public func read(_ markerPath: String) throws -> (real: String, content: [UInt8], alias: String) {
        guard let real = fs.realPath(markerPath), let content = try fs.read(real) else {
            throw LeappError(.file, "no file \(Validation.printable(markerPath))")
        }
        guard content.count <= 4096 else { throw LeappError(.validation, "\(real) is larger than 4 KiB; it should hold one session alias") }
        let text = String(decoding: content, as: UTF8.self)
        let alias = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmed }.first { !$0.isEmpty && !$0.hasPrefix("#") } ?? ""
        try Validation.checkName(alias, what: "the session alias in \(real)")
        return (real, content, alias)
    }

    public func isAllowed(real: String, content: [UInt8]) throws -> Bool {
        try load().files[real] == SHA256.hex(content)
    }

    public func allow(real: String, content: [UInt8]) throws {
        try change { $0.files[real] = SHA256.hex(content) }
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

/// Loads and saves the configuration: versioned JSON, written atomically under a lock, mode 0600.
/// A file that cannot be read is reported and left as it is; it is never overwritten.
public struct ConfigStore {
    public let directory: String
    public let fs: FileSystem
    public var path: String { directory + "/config.json" }

    public init(directory: String, fs: FileSystem) {
        self.directory = directory
        self.fs = fs
    }

    public func load() throws -> Configuration {
        guard let bytes = try fs.read(path) else { return Configuration() }
        return try decode(bytes)
    }

    private func decode(_ bytes: [UInt8]) throws -> Configuration {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
            throw corrupt("it is empty")
        }
        struct Versioned: Decodable { var version: Int? }
        guard let versioned = try? JSONDecoder().decode(Versioned.self, from: Data(bytes)) else {
            throw corrupt("it is not valid JSON")
        }
        guard let version = versioned.version else { throw corrupt("it has no version") }
        guard version <= Configuration.currentVersion else {
            throw LeappError(
                .config, "\(path) has version \(version), newer than this leapp understands (\(Configuration.currentVersion))",
                hint: "upgrade leapp")
        }
        let config: Configuration
        do {
            config = try JSONDecoder().decode(Configuration.self, from: Data(bytes))
        } catch {
            throw corrupt("its content does not match the expected shape")
        }
        if let problem = Self.problem(in: JSONValue.parse(bytes) ?? .null, at: "") { throw corrupt(problem) }
        for s in config.sessions {
            do {
                try Validation.checkName(s.alias, what: "alias")
                try Validation.checkName(s.profile, what: "profile")
            } catch let e as LeappError { throw corrupt("session \(s.id): \(e.message)") }
        }
        for i in config.idpUrls {
            do { try Validation.checkName(i.name, what: "IdP URL name") } catch let e as LeappError {
                throw corrupt("IdP URL \(i.id): \(e.message)")
            }
        }
        return config
    }

    /// The first string (or key) holding a control character or a bidirectional override, by its
    /// place in the file: a synced or hand-edited file must not carry escape sequences to the
    /// terminal, the tables or the menus.
    static func problem(in value: JSONValue, at path: String) -> String? {
        func bad(_ text: String) -> Bool { text.unicodeScalars.contains(where: TerminalText.isUnsafe) }
        switch value {
        case .string(let text):
            return bad(text) ? "\(path.isEmpty ? "a value" : path) holds a control character" : nil
        case .array(let items):
            for (i, item) in items.enumerated() {
                // An entry is named by its alias or name where that one is clean.
                let name = (item["alias"] ?? item["name"])?.string.flatMap { bad($0) ? nil : $0 }
                if let p = problem(in: item, at: "\(path)[\(i)]" + (name.map { " (\($0))" } ?? "")) { return p }
            }
        case .object(let fields):
            for (key, item) in fields.sorted(by: { $0.key < $1.key }) {
                if bad(key) { return "a key under \(path.isEmpty ? "the top" : path) holds a control character" }
                if let p = problem(in: item, at: path + (path.isEmpty ? "" : ".") + key) { return p }
            }
        default: return nil
        }
        return nil
    }

    private func corrupt(_ why: String) -> LeappError {
        LeappError(
            .config, "cannot read \(path): \(why)",
            hint: "leapp left it untouched; fix it or move it aside (leapp starts empty without it)")
    }

    /// Reads, changes and writes the configuration under the lock, so concurrent
    /// leapp processes never lose each other's changes.
    @discardableResult
    public func update<T>(_ change: (inout Configuration) throws -> T) throws -> T {
        try fs.createDirectory(directory, mode: 0o700)
        return try fs.withLock(path) {
            var config = try load()
            let result = try change(&config)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(config)
            try fs.writeAtomically(path, Array(data) + [0x0A], mode: 0o600)
            return result
        }
    }
}

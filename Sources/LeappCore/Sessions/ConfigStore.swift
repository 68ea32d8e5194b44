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
        do {
            return try JSONDecoder().decode(Configuration.self, from: Data(bytes))
        } catch {
            throw corrupt("its content does not match the expected shape")
        }
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

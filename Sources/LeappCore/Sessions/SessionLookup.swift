/// Finds one session in the configuration file without decoding the whole file: a byte-level
/// walk that skips every value it does not need, then decodes only the matching session.
/// `leapp env` on cached credentials uses it, so its cost does not grow with the number of
/// sessions. Anything unexpected returns nil, and the caller falls back to a full load
/// (which reports problems properly).
public enum SessionLookup {
    public static func find(_ reference: String, in bytes: [UInt8]) -> Session? {
        scan(reference, in: bytes)?.session
    }

    /// One walk for the `env` fast path: the session, and the secret-store setting beside it.
    public static func scan(_ reference: String, in bytes: [UInt8]) -> (session: Session?, secretStore: String?)? {
        var scanner = Scanner(bytes: bytes)
        guard scanner.expect(UInt8(ascii: "{")) else { return nil }
        var version: Int?
        var secretStore: String?
        var found: Session?
        while true {
            guard let key = scanner.string(), scanner.expect(UInt8(ascii: ":")) else { return nil }
            if key == "version" {
                let start = scanner.i
                guard scanner.skipValue() else { return nil }
                version = Int(String(decoding: bytes[start..<scanner.i], as: UTF8.self).trimmed)
            } else if key == "secretStore" {
                guard let value = scanner.string() else { return nil }
                secretStore = value
            } else if key == "sessions" {
                guard scanner.expect(UInt8(ascii: "[")) else { return nil }
                if !scanner.peek(UInt8(ascii: "]")) {
                    repeat {
                        let start = scanner.skipSpace()
                        guard let (alias, id) = scanner.sessionKeys() else { return nil }
                        if found == nil, alias == reference || id == reference {
                            found = try? JSONDecoder().decode(Session.self, from: Data(bytes[start..<scanner.i]))
                        }
                    } while scanner.expect(UInt8(ascii: ","))
                }
                guard scanner.expect(UInt8(ascii: "]")) else { return nil }
            } else {
                guard scanner.skipValue() else { return nil }
            }
            if scanner.expect(UInt8(ascii: ",")) { continue }
            guard scanner.expect(UInt8(ascii: "}")) else { return nil }
            break
        }
        guard let version, version <= Configuration.currentVersion else { return nil }
        return (found, secretStore)
    }

    /// A top-level string setting of the configuration (the secret store), read the same way.
    public static func topLevelString(_ wanted: String, in bytes: [UInt8]) -> String? {
        var scanner = Scanner(bytes: bytes)
        guard scanner.expect(UInt8(ascii: "{")) else { return nil }
        while true {
            guard let key = scanner.string(), scanner.expect(UInt8(ascii: ":")) else { return nil }
            if key == wanted { return scanner.string() }
            guard scanner.skipValue(), scanner.expect(UInt8(ascii: ",")) else { return nil }
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        var i = 0

        @discardableResult
        mutating func skipSpace() -> Int {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            return i
        }

        mutating func peek(_ b: UInt8) -> Bool {
            skipSpace()
            return i < bytes.count && bytes[i] == b
        }

        mutating func expect(_ b: UInt8) -> Bool {
            guard peek(b) else { return false }
            i += 1
            return true
        }

        /// A JSON string, unescaped.
        mutating func string() -> String? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = i
            var escaped = false
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\\") {
                    escaped = true
                    i += 2
                    continue
                }
                if b == UInt8(ascii: "\"") { break }
                i += 1
            }
            guard i < bytes.count else { return nil }
            let raw = bytes[start..<i]
            i += 1
            if !escaped { return String(decoding: raw, as: UTF8.self) }
            return try? JSONDecoder().decode(String.self, from: Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")]))
        }

        /// Skips any JSON value.
        mutating func skipValue() -> Bool {
            skipSpace()
            guard i < bytes.count else { return false }
            switch bytes[i] {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case UInt8(ascii: "\""):
                        guard string() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            return true
                        }
                    default: break
                    }
                    i += 1
                }
                return false
            default:
                while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[i]) { i += 1 }
                return true
            }
        }

        /// Walks one session object, returning its alias and id.
        mutating func sessionKeys() -> (String, String)? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var alias = ""
            var id = ""
            if expect(UInt8(ascii: "}")) { return (alias, id) }
            repeat {
                guard let key = string(), expect(UInt8(ascii: ":")) else { return nil }
                if key == "alias" || key == "id" {
                    guard let value = string() else { return nil }
                    if key == "alias" { alias = value } else { id = value }
                } else {
                    guard skipValue() else { return nil }
                }
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            return (alias, id)
        }
    }
}

extension ConfigStore {
    /// The session with this exact alias or id, read without decoding the whole file;
    /// nil when there is none or the file needs a full load to explain itself.
    public func quickSession(_ reference: String) -> Session? {
        quickLookup(reference)?.session
    }

    /// The session and the secret-store setting, from one read and one walk of the file.
    public func quickLookup(_ reference: String) -> (session: Session?, secretStore: String?)? {
        guard let bytes = try? fs.read(path) else { return nil }
        return SessionLookup.scan(reference, in: bytes)
    }

    /// The configured secret store, read without decoding the whole file (the `env` fast path).
    public func quickSecretStore() -> String? {
        guard let bytes = try? fs.read(path) else { return nil }
        return SessionLookup.topLevelString("secretStore", in: bytes)
    }
}

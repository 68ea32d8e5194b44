import Crypto
import _CryptoExtras

/// Secrets in one file (0600, `$XDG_DATA_HOME/leapp/secrets.sealed`) for those who want them
/// to survive a reboot without a Secret Service. The file is a header and one AES-GCM sealed
/// box of every record; the key comes from a passphrase through scrypt (memory-hard: N = 2^15,
/// r = 8, p = 1, 32 MiB), with the parameters and a random salt in the header, which the box
/// authenticates as associated data. A key-check value in the header tells a wrong passphrase
/// (refused, the file untouched) from a tampered or truncated file (refused, never half-read).
///
/// The passphrase is asked once per boot: the derived key is kept in the kernel keyring
/// (`keyCache`), where the hook and `credential_process` find it without asking. Every change
/// reads, changes and replaces the whole file atomically under a lock.
public final class EncryptedFileStore: SecretStore {
    let fs: FileSystem
    public let path: String
    /// Where the derived key waits until reboot (the kernel keyring).
    let keyCache: SecretStore
    /// The passphrase: nil when no one can give it here. `confirm` asks twice (a new file).
    let passphrase: (_ confirm: Bool) throws -> String?

    static let magic = Array("LEAPP-SEALED-1\n".utf8)
    static let scryptN = 1 << 15
    static let scryptR = 8
    static let scryptP = 1

    public init(
        fs: FileSystem, path: String, keyCache: SecretStore, passphrase: @escaping (_ confirm: Bool) throws -> String?
    ) {
        self.fs = fs
        self.path = path
        self.keyCache = keyCache
        self.passphrase = passphrase
    }

    struct Header: Codable, Equatable {
        var kdf = "scrypt"
        var n: Int
        var r: Int
        var p: Int
        var salt: String
        /// HMAC-SHA256(key, "leapp key check"), base64: says whether a key is this file's.
        var check: String
    }

    // MARK: SecretStore

    public func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
        try change { $0[Self.name(kind, key)] = secret }
    }

    public func lookup(_ kind: SecretKind, key: String) throws -> String? {
        guard let (records, _, _) = try open() else { return nil }
        return records[Self.name(kind, key)]
    }

    @discardableResult
    public func delete(_ kind: SecretKind, key: String) throws -> Bool {
        guard fs.exists(path) else { return false }
        return try change { $0.removeValue(forKey: Self.name(kind, key)) != nil }
    }

    public func list() throws -> [(SecretKind, String)] {
        guard let (records, _, _) = try open() else { return [] }
        return records.keys.sorted().compactMap { name in
            let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = SecretKind(rawValue: parts[0]) else { return nil }
            return (kind, parts[1])
        }
    }

    /// The key is at hand (asked for now if need be; with no file yet, the new passphrase, and
    /// an empty file is made): a login never goes to the IdP to lose what it earns at the end.
    public func checkWritable() throws {
        if let (_, header, _) = try openRaw() {
            _ = try key(for: header)
        } else {
            try change { _ in }
        }
    }

    /// Derives and keeps the key until reboot (`leapp secrets unlock`); false when no file yet.
    @discardableResult
    public func unlock() throws -> Bool {
        guard let (_, header, _) = try openRaw() else { return false }
        _ = try key(for: header)
        return true
    }

    static func name(_ kind: SecretKind, _ key: String) -> String { "\(kind.rawValue):\(key)" }

    // MARK: the file

    /// Reads, changes and writes the records under the file's lock.
    @discardableResult
    func change<T>(_ body: (inout [String: String]) throws -> T) throws -> T {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !dir.isEmpty { try fs.createDirectory(dir, mode: 0o700) }
        return try fs.withLock(path) {
            var (records, header, key) = try open() ?? (try newFile())
            let result = try body(&records)
            try write(records, header: header, key: key)
            return result
        }
    }

    func newFile() throws -> ([String: String], Header, SymmetricKey) {
        guard let words = try passphrase(true), !words.isEmpty else { throw locked() }
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
        let key = try Self.derive(words, salt: salt, n: Self.scryptN, r: Self.scryptR, p: Self.scryptP)
        let header = Header(n: Self.scryptN, r: Self.scryptR, p: Self.scryptP, salt: Base64.encode(salt), check: Self.check(key))
        try cacheKey(key, header)
        return ([:], header, key)
    }

    func write(_ records: [String: String], header: Header, key: SymmetricKey) throws {
        let head = Self.magic + Array(try JSONEncoder().encode(header)) + [0x0A]
        let body = try JSONEncoder().encode(records)
        let sealed = try AES.GCM.seal(body, using: key, authenticating: head)
        guard let combined = sealed.combined else { throw LeappError(.keyring, "cannot seal the secret file") }
        try fs.writeAtomically(path, head + Array(combined), mode: 0o600)
    }

    /// The file's parts, not yet opened: nil when there is no file.
    func openRaw() throws -> ([UInt8], Header, [UInt8])? {
        guard let bytes = try fs.read(path) else { return nil }
        guard bytes.starts(with: Self.magic), let end = bytes[Self.magic.count...].firstIndex(of: 0x0A),
            let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[Self.magic.count..<end])),
            header.kdf == "scrypt", (1...24).contains(header.n.trailingZeroBitCount), header.n.nonzeroBitCount == 1,
            (1...32).contains(header.r), (1...16).contains(header.p)
        else { throw damaged("its header is not leapp's") }
        return (Array(bytes[...end]), header, Array(bytes[(end + 1)...]))
    }

    func open() throws -> ([String: String], Header, SymmetricKey)? {
        guard let (head, header, body) = try openRaw() else { return nil }
        let key = try key(for: header)
        guard let box = try? AES.GCM.SealedBox(combined: body), let plain = try? AES.GCM.open(box, using: key, authenticating: head),
            let records = try? JSONDecoder().decode([String: String].self, from: plain)
        else { throw damaged("it was changed or cut short (it does not open with its key)") }
        return (records, header, key)
    }

    /// The file's key: from the kernel keyring, else from the passphrase (then kept there).
    func key(for header: Header) throws -> SymmetricKey {
        if let text = try? keyCache.lookup(.fileKey, key: Self.cacheName(header)), let bytes = Base64.decode(text) {
            let key = SymmetricKey(data: bytes)
            if Self.check(key) == header.check { return key }
        }
        guard let words = try passphrase(false), !words.isEmpty else { throw locked() }
        guard let salt = Base64.decode(header.salt) else { throw damaged("its salt is not base64") }
        let key = try Self.derive(words, salt: salt, n: header.n, r: header.r, p: header.p)
        guard Self.check(key) == header.check else {
            throw LeappError(
                .keyring, "wrong passphrase for \(Validation.printable(path)) (the file is unchanged)",
                hint: "try again; LEAPP_FILE_PASSPHRASE_FILE names a file holding it", reason: .keyringNotNow)
        }
        try cacheKey(key, header)
        return key
    }

    func cacheKey(_ key: SymmetricKey, _ header: Header) throws {
        let bytes = key.withUnsafeBytes { Array($0) }
        do {
            try keyCache.store(.fileKey, key: Self.cacheName(header), label: "leapp file key", secret: Base64.encode(bytes))
        } catch {
            // Without the kernel keyring the passphrase is asked each time: still correct.
        }
    }

    static func cacheName(_ header: Header) -> String { header.salt.filter { $0.isLetter || $0.isNumber } }

    static func derive(_ words: String, salt: [UInt8], n: Int, r: Int, p: Int) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Array(words.utf8), salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p)
    }

    static func check(_ key: SymmetricKey) -> String {
        Base64.encode(Array(HMAC<SHA256>.authenticationCode(for: Array("leapp key check".utf8), using: key)))
    }

    func locked() -> LeappError {
        LeappError(
            .needsUser,
            "leapp's secret file \(Validation.printable(path)) is locked (its key is not in the kernel keyring since the last boot)",
            hint: "run `leapp secrets unlock` in a terminal, or set LEAPP_FILE_PASSPHRASE_FILE to a file holding the passphrase")
    }

    func damaged(_ why: String) -> LeappError {
        LeappError(
            .keyring, "leapp refuses \(Validation.printable(path)): \(why)",
            hint: "restore it from a backup, or move it aside and log in again (leapp starts a new one)")
    }
}

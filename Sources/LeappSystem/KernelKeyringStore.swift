import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The secret port on the kernel's key retention service (keyrings(7)): memory only, nothing
/// on disk, no D-Bus. leapp's records are `user` keys described `leapp:KIND:KEY` in a keyring
/// named `leapp` under the chosen parent:
/// - `persistent` (the default): the uid's persistent keyring, shared by every shell and SSH
///   session of the user, kept across logouts until `kernel.keys.persistent_keyring_expiry`
///   (3 days by default) passes unused; gone at reboot. Kernels without it: the user keyring.
/// - `user`: the user keyring (lives while the user has a process).
/// - `session`: the session keyring (this login session only; the tests' choice).
///
/// A `user` key holds at most 32 KiB: a larger record (a big cookie jar) is split into chunks
/// written first, under a fresh generation, and the record's own key is replaced last with a
/// manifest naming them, so a reader sees the old value or the new, whole.
public final class KernelKeyringStore: ExpiringSecretStore {
    public enum Scope: String, CaseIterable, Sendable {
        case persistent, user, session
    }

    public let scope: Scope
    public let name: String
    /// Payload bytes per key (the kernel allows 32767 for a `user` key).
    static let chunkSize = 32000
    static let manifestPrefix = "\u{1}leapp-chunks "

    private var opened: Int32?

    public init(scope: Scope = .persistent, name: String = "leapp") {
        self.scope = scope
        self.name = name
    }

    /// leapp's keyring, found or made on first use.
    func ring() throws -> Int32 {
        if let opened { return opened }
        let parent = leapp_kr_parent(Int32(scope == .session ? LEAPP_KR_SESSION : scope == .user ? LEAPP_KR_USER : LEAPP_KR_PERSISTENT))
        let id = leapp_kr_keyring(parent, name)
        guard id > 0 else { throw Self.failure("open the \(scope.rawValue) keyring", errno: Int32(-id)) }
        opened = Int32(id)
        return Int32(id)
    }

    static func description(_ kind: SecretKind, _ key: String) -> String { "leapp:\(kind.rawValue):\(key)" }

    /// The keyring opens and takes a key (a sandbox that forbids keyctl, a full quota fail here).
    public func checkWritable() throws {
        let ring = try ring()
        try put(ring, "leapp:probe:\(getpid())", [0x31])
        let found = leapp_kr_find(ring, "leapp:probe:\(getpid())")
        if found > 0 { _ = leapp_kr_remove(ring, found) }
    }

    /// A record the kernel drops by itself at `expiresAt` (a key's timeout): the credential cache.
    public func store(_ kind: SecretKind, key: String, secret: String, expiresAt: Date) throws {
        let seconds = expiresAt.timeIntervalSinceNow
        guard seconds >= 1, secret.utf8.count <= Self.chunkSize, !secret.hasPrefix(Self.manifestPrefix) else { return }
        try put(try ring(), Self.description(kind, key), Array(secret.utf8), timeout: UInt32(min(seconds, 86400 * 2)))
    }

    /// Removes every record; returns how many (`leapp lock` on the credential cache).
    public func removeAll() throws -> Int {
        let records = try list()
        for (kind, key) in records { try delete(kind, key: key) }
        return records.count
    }

    public func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
        let ring = try ring()
        let main = Self.description(kind, key)
        let old = try? readRaw(ring, main)
        let bytes = Array(secret.utf8)
        if bytes.count <= Self.chunkSize && !secret.hasPrefix(Self.manifestPrefix) {
            try put(ring, main, bytes)
        } else {
            let generation = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            var count = 0
            for start in stride(from: 0, to: bytes.count, by: Self.chunkSize) {
                try put(ring, "\(main)#\(generation).\(count)", Array(bytes[start..<min(start + Self.chunkSize, bytes.count)]))
                count += 1
            }
            try put(ring, main, Array("\(Self.manifestPrefix)\(generation) \(count) \(bytes.count)".utf8))
        }
        if let old, let manifest = Manifest(old) { removeChunks(ring, main, manifest) }
    }

    public func lookup(_ kind: SecretKind, key: String) throws -> String? {
        let ring = try ring()
        let main = Self.description(kind, key)
        for _ in 0..<3 {
            guard let bytes = try readRaw(ring, main) else { return nil }
            guard let manifest = Manifest(bytes) else { return String(decoding: bytes, as: UTF8.self) }
            var whole: [UInt8] = []
            var complete = true
            for i in 0..<manifest.count {
                guard let part = try readRaw(ring, "\(main)#\(manifest.generation).\(i)") else {
                    complete = false  // replaced meanwhile: read the new manifest
                    break
                }
                whole += part
            }
            if complete && whole.count == manifest.length { return String(decoding: whole, as: UTF8.self) }
        }
        throw LeappError(.keyring, "the kernel keyring holds an incomplete \(kind.rawValue) record", hint: "run the command again")
    }

    @discardableResult
    public func delete(_ kind: SecretKind, key: String) throws -> Bool {
        let ring = try ring()
        let main = Self.description(kind, key)
        let found = leapp_kr_find(ring, main)
        if found == -Int(ENOKEY) || found == -Int(EKEYEXPIRED) || found == -Int(EKEYREVOKED) { return false }
        guard found > 0 else { throw Self.failure("find a secret", errno: Int32(-found)) }
        if let bytes = try readRaw(ring, main), let manifest = Manifest(bytes) { removeChunks(ring, main, manifest) }
        let rc = leapp_kr_remove(ring, found)
        guard rc >= 0 else { throw Self.failure("delete a secret", errno: Int32(-rc)) }
        return true
    }

    /// Every record's kind and key (chunks not counted), for `leapp secrets list`.
    public func list() throws -> [(SecretKind, String)] {
        let ring = try ring()
        var data: UnsafeMutablePointer<CChar>?
        var length = 0
        let rc = leapp_kr_read(Int(ring), &data, &length)
        guard rc == 0, let data else { throw Self.failure("list the keyring", errno: Int32(-rc)) }
        defer { free(data) }
        var found: [(SecretKind, String)] = []
        let serials = UnsafeRawPointer(data).bindMemory(to: Int32.self, capacity: length / 4)
        for i in 0..<(length / 4) {
            var text: UnsafeMutablePointer<CChar>?
            guard leapp_kr_describe(Int(serials[i]), &text) == 0, let text else { continue }
            defer { free(text) }
            // "type;uid;gid;perm;description"
            let parts = String(cString: text).split(separator: ";", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0] == "user", !parts[4].contains("#") else { continue }
            let fields = parts[4].split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0] == "leapp", let kind = SecretKind(rawValue: String(fields[1])) else { continue }
            found.append((kind, String(fields[2])))
        }
        return found
    }

    // MARK: keys

    private func put(_ ring: Int32, _ description: String, _ bytes: [UInt8], timeout: UInt32 = 0) throws {
        let id = bytes.withUnsafeBytes { leapp_kr_store(ring, description, $0.baseAddress, $0.count, timeout) }
        guard id > 0 else { throw Self.failure("store a secret", errno: Int32(-id)) }
    }

    private func readRaw(_ ring: Int32, _ description: String) throws -> [UInt8]? {
        let found = leapp_kr_find(ring, description)
        if found == -Int(ENOKEY) || found == -Int(EKEYEXPIRED) || found == -Int(EKEYREVOKED) { return nil }
        guard found > 0 else { throw Self.failure("find a secret", errno: Int32(-found)) }
        var data: UnsafeMutablePointer<CChar>?
        var length = 0
        let rc = leapp_kr_read(found, &data, &length)
        if rc == -Int(ENOKEY) || rc == -Int(EKEYEXPIRED) || rc == -Int(EKEYREVOKED) { return nil }
        guard rc == 0, let data else { throw Self.failure("read a secret", errno: Int32(-rc)) }
        defer { free(data) }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }

    private func removeChunks(_ ring: Int32, _ main: String, _ manifest: Manifest) {
        for i in 0..<manifest.count {
            let found = leapp_kr_find(ring, "\(main)#\(manifest.generation).\(i)")
            if found > 0 { _ = leapp_kr_remove(ring, found) }
        }
    }

    /// The manifest of a split record: generation, chunk count, total length.
    struct Manifest {
        let generation: String
        let count: Int
        let length: Int

        init?(_ bytes: [UInt8]) {
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.hasPrefix(KernelKeyringStore.manifestPrefix) else { return nil }
            let fields = text.dropFirst(KernelKeyringStore.manifestPrefix.count).split(separator: " ")
            guard fields.count == 3, let count = Int(fields[1]), let length = Int(fields[2]), (1...64).contains(count) else { return nil }
            generation = String(fields[0])
            self.count = count
            self.length = length
        }
    }

    static func failure(_ what: String, errno code: Int32) -> LeappError {
        switch code {
        case EDQUOT:
            return LeappError(
                .keyring, "cannot \(what): the kernel keyring's quota for this user is full",
                hint:
                    "raise it (`sysctl kernel.keys.maxbytes=1000000 kernel.keys.maxkeys=2000`), or choose another store with LEAPP_SECRET_STORE"
            )
        case ENOSYS:
            return LeappError(
                .keyring, "cannot \(what): this kernel has no key retention service (or a sandbox forbids it)",
                hint: "use the Secret Service (LEAPP_SECRET_STORE=secret-service)")
        case EACCES, EPERM:
            return LeappError(
                .keyring, "cannot \(what): the kernel keyring refused access",
                hint: "a container may forbid keyctl (Docker's default seccomp profile does); use the Secret Service")
        default:
            return LeappError(.keyring, "cannot \(what) in the kernel keyring: \(String(cString: strerror(code)))")
        }
    }
}

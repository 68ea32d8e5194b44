/// A store that can give a record a lifetime (the kernel keyring: a key's timeout).
public protocol ExpiringSecretStore: SecretStore {
    func store(_ kind: SecretKind, key: String, secret: String, expiresAt: Date) throws
}

/// The Secret Service with a cache in front, for the one record every prompt and every AWS
/// CLI call reads: a session's STS credentials. They are also kept in the kernel keyring
/// (memory, this user only) until they expire, so `leapp env`, the hook and
/// `credential_process` need no D-Bus round trip while they are fresh. Only credentials:
/// never IdP cookies, passwords or OAuth tokens. Every write and delete goes to the store
/// first, then to the cache; a cache that fails is skipped, never an error.
///
/// The trade-off: while the cache holds them, a locked Secret Service no longer hides still
/// valid short-lived credentials. `leapp lock` empties the cache; LEAPP_CREDENTIAL_CACHE=0
/// turns it off.
public final class CredentialCache: SecretStore {
    let store: SecretStore
    let cache: ExpiringSecretStore
    let clock: Clock
    /// Off (LEAPP_CREDENTIAL_CACHE=0): nothing is read from or put in the cache; deletes still
    /// reach it, so that a stop never leaves credentials another leapp cached.
    public var enabled = true
    public var log: (String) -> Void = { _ in }

    public init(store: SecretStore, cache: ExpiringSecretStore, clock: Clock) {
        self.store = store
        self.cache = cache
        self.clock = clock
    }

    public func store(_ kind: SecretKind, key: String, label: String, secret: String) throws {
        try store.store(kind, key: key, label: label, secret: secret)
        guard kind == .credentials else { return }
        // Off, the write still drops what the cache held: it must never serve older keys.
        if enabled { remember(key, secret) } else { _ = try? cache.delete(kind, key: key) }
    }

    public func lookup(_ kind: SecretKind, key: String) throws -> String? {
        guard kind == .credentials, enabled else { return try store.lookup(kind, key: key) }
        if let hit = try? cache.lookup(kind, key: key) { return hit }
        let value = try store.lookup(kind, key: key)
        if let value { remember(key, value) }
        return value
    }

    @discardableResult
    public func delete(_ kind: SecretKind, key: String) throws -> Bool {
        if kind == .credentials { _ = try? cache.delete(kind, key: key) }
        return try store.delete(kind, key: key)
    }

    public func checkWritable() throws { try store.checkWritable() }

    public func list() throws -> [(SecretKind, String)] { try store.list() }

    /// Cached until the credentials expire; what is expired (or not credentials) is not.
    private func remember(_ key: String, _ secret: String) {
        guard let credentials = try? JSONDecoder().decode(AWSCredentials.self, from: Data(secret.utf8)),
            credentials.expiration > clock.now.addingTimeInterval(1)
        else {
            _ = try? cache.delete(.credentials, key: key)  // nothing stale stays behind
            return
        }
        do {
            try cache.store(.credentials, key: key, secret: secret, expiresAt: credentials.expiration)
        } catch {
            log("could not cache the credentials in the kernel keyring: \(error)")
        }
    }
}

public enum SecretKind: String, Sendable, CaseIterable {
    /// Cached STS credentials of a session (key: session id).
    case credentials
    /// The IdP cookie jar and refresh material (key: IdP URL id).
    case idpSession = "idp-session"
    /// A remembered password (key: IdP URL id), only with --remember-password.
    case password
    /// An IdP API client's id and secret (key: IdP URL id), e.g. OneLogin's.
    case apiClient = "api-client"
    /// A user's own AWS profile section, saved before a session took it over (key: the
    /// ledger record's backup key); put back when the session stops.
    case profileBackup = "profile-backup"
    /// The key of the encrypted secret file, derived from its passphrase, kept in the kernel
    /// keyring until reboot (key: from the file's salt). Never moved between stores.
    case fileKey = "file-key"
}

public protocol SecretStore: AnyObject {
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws
    func lookup(_ kind: SecretKind, key: String) throws -> String?
    /// Returns whether an item was removed (an item already gone counts as not removed).
    @discardableResult func delete(_ kind: SecretKind, key: String) throws -> Bool
    /// Fails when a store would fail for a reason a person must fix (a locked collection), so
    /// that a login stops before it sends a password anywhere.
    func checkWritable() throws
    /// Every record's kind and key (never a value): `leapp secrets list` and `migrate`.
    func list() throws -> [(SecretKind, String)]
}

extension SecretStore {
    public func checkWritable() throws {}
}

/// What leapp keeps about an IdP URL in the keyring: its cookie jar, the username that
/// logged in, and OAuth refresh material where the IdP's flow has one.
public struct IdPSessionRecord: Codable, Equatable, Sendable {
    public var cookies: String
    public var username: String?
    public var savedAt: Double
    /// Okta Identity Engine's OAuth tokens (refresh material), when that flow logged in.
    public var oauth: OAuthTokens?

    public init(cookies: String, username: String?, savedAt: Date) {
        self.cookies = cookies
        self.username = username
        self.savedAt = savedAt.timeIntervalSince1970
    }
}

extension SecretStore {
    func loadJSON<T: Decodable>(_ type: T.Type, _ kind: SecretKind, key: String) throws -> T? {
        guard let text = try lookup(kind, key: key) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    func storeJSON<T: Encodable>(_ value: T, _ kind: SecretKind, key: String, label: String) throws {
        let data = try JSONEncoder().encode(value)
        try store(kind, key: key, label: label, secret: String(decoding: data, as: UTF8.self))
    }
}

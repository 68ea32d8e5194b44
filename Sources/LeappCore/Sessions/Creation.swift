/// New random ids (UUID version 4 text): the one source of ids for IdP URLs, sessions and profiles.
public enum NewID {
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { b -> String in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}

/// The one creation path for IdP URLs and sessions: `session add`, `idp-url add`,
/// `--from-idp-url` and the workspace import all add through these, so every new entry is
/// named, checked and given its profile the same way.
extension Configuration {
    /// Adds an IdP URL; without a name it gets a unique one from its host and provider.
    @discardableResult
    public mutating func addIdPURL(
        url: String, provider: Provider, name: String? = nil, username: String? = nil, id: () -> String = NewID.make
    ) throws -> IdPURL {
        var idp = IdPURL(id: id(), name: name ?? "", url: url.trimmed, provider: provider, username: username)
        if name == nil {
            let taken = Set(idpUrls.map(\.name))
            idp.name = Validation.unique(Validation.idpURLName(for: idp.url, provider: provider), taken: taken.contains)
        }
        try Validation.check(idp, in: self)
        idpUrls.append(idp)
        return idp
    }

    /// Adds a session after checking it against the others, and its named profile.
    public mutating func addSession(_ session: Session, id: () -> String = NewID.make) throws {
        try Validation.check(session, in: self)
        sessions.append(session)
        ensureProfile(session.profile, id: id)
    }
}

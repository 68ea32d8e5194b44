/// The identity providers leapp can log in to headlessly.
public enum Provider: String, Codable, CaseIterable, Sendable {
    case okta, keycloak, onelogin
    case azureAD = "azure-ad"
    case google, auth0, generic
}

/// Where a started session's credentials go besides the keyring.
public enum OutputMode: String, Codable, CaseIterable, Sendable {
    /// `credential_process = leapp credential-process ALIAS` in ~/.aws/config: no secret on disk.
    case credentialProcess = "credential-process"
    /// Keys written to ~/.aws/credentials (plain text, mode 0600), as Leapp does.
    case credentialsFile = "credentials-file"
}

/// A SAML 2.0 login URL, shared by the sessions that log in there.
public struct IdPURL: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var url: String
    public var provider: Provider
    public var username: String?

    public init(id: String, name: String, url: String, provider: Provider, username: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.provider = provider
        self.username = username
    }
}

/// An AWS IAM Role Federated session: the seed's six fields plus leapp's options.
public struct Session: Codable, Equatable, Sendable {
    public var id: String
    public var alias: String
    public var profile: String
    public var region: String
    public var idpUrlId: String
    public var idpArn: String
    public var roleArn: String
    /// Requested session length in seconds; nil means the assertion's SessionDuration, else 3600.
    public var duration: Int?
    public var output: OutputMode

    public init(id: String, alias: String, profile: String, region: String, idpUrlId: String,
                idpArn: String, roleArn: String, duration: Int? = nil, output: OutputMode = .credentialProcess) {
        self.id = id
        self.alias = alias
        self.profile = profile
        self.region = region
        self.idpUrlId = idpUrlId
        self.idpArn = idpArn
        self.roleArn = roleArn
        self.duration = duration
        self.output = output
    }
}

/// Everything leapp stores in `$XDG_CONFIG_HOME/leapp/config.json`.
public struct Configuration: Codable, Equatable, Sendable {
    public static let currentVersion = 1
    public var version: Int
    public var idpUrls: [IdPURL]
    public var sessions: [Session]

    public init(idpUrls: [IdPURL] = [], sessions: [Session] = []) {
        self.version = Self.currentVersion
        self.idpUrls = idpUrls
        self.sessions = sessions
    }

    public func idpURL(for session: Session) -> IdPURL? {
        idpUrls.first { $0.id == session.idpUrlId }
    }

    /// Finds an IdP URL by id, name or exact URL.
    public func findIdPURL(_ reference: String) -> IdPURL? {
        idpUrls.first { $0.id == reference } ?? idpUrls.first { $0.name == reference } ?? idpUrls.first { $0.url == reference }
    }

    /// Finds a session by alias, id, or unique alias prefix.
    public func findSession(_ reference: String) throws -> Session {
        if let s = sessions.first(where: { $0.alias == reference || $0.id == reference }) { return s }
        let prefixed = sessions.filter { $0.alias.hasPrefix(reference) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 {
            throw LeappError(.usage, "'\(Validation.printable(reference))' matches several sessions: "
                             + prefixed.map(\.alias).joined(separator: ", "), hint: "give the full alias")
        }
        throw LeappError(.usage, "no session '\(Validation.printable(reference))'", hint: "see `leapp session list`")
    }
}

/// The identity providers leapp can log in to headlessly.
public enum Provider: String, Codable, CaseIterable, Sendable {
    case okta, keycloak, onelogin
    case azureAD = "azure-ad"
    case google, auth0
    case adfs, shibboleth
    case pingFederate = "pingfederate"
    case jumpCloud = "jumpcloud"
    case generic
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
    /// How logins here happen (nil: headless; for Okta, detected: Identity Engine orgs use
    /// device login when the OIDC client id is set).
    public var loginMethod: LoginMethodKind?
    /// Okta Identity Engine: the client id of the org's OIDC native app for device login.
    public var oidcClientId: String?
    /// Okta Identity Engine: the AWS federation app's id, when the URL is not its embed link.
    public var oktaAppId: String?
    /// Okta: the org's engine as it answered once (nil: not asked yet; cleared when the URL changes).
    public var oktaEngine: OktaEngine?
    /// Read the accounts' names from the AWS sign-in page at each role discovery here.
    public var accountNames: Bool?

    public init(id: String, name: String, url: String, provider: Provider, username: String? = nil, loginMethod: LoginMethodKind? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.provider = provider
        self.username = username
        self.loginMethod = loginMethod
    }
}

/// A session: an AWS IAM Role Federated one (the seed's six fields plus leapp's options), or
/// an AWS IAM Role Chained one, which assumes its role with a parent session's credentials
/// (`parentId`; its IdP URL id and IdP ARN are empty).
public struct Session: Codable, Equatable, Sendable {
    public var id: String
    public var alias: String
    public var profile: String
    public var region: String
    /// Federated: the IdP URL logged in at (empty for a chained session).
    public var idpUrlId: String
    /// Federated: the SAML provider's ARN (empty for a chained session).
    public var idpArn: String
    public var roleArn: String
    /// Chained: the session whose credentials assume `roleArn` (sts:AssumeRole).
    public var parentId: String?
    /// Chained: the external ID the role's trust policy asks for.
    public var externalId: String?
    /// Chained: the role session name (default `assumed-from-leapp`, as the Leapp desktop app names it).
    public var roleSessionName: String?
    /// Requested session length in seconds; nil means the assertion's SessionDuration, else 3600.
    public var duration: Int?
    public var output: OutputMode
    /// The user allowed this session to take over a profile holding entries leapp did not
    /// write (they are saved and put back at stop).
    public var takeOver: Bool

    public init(
        id: String, alias: String, profile: String, region: String, idpUrlId: String,
        idpArn: String, roleArn: String, duration: Int? = nil, output: OutputMode = .credentialProcess,
        takeOver: Bool = false
    ) {
        self.id = id
        self.alias = alias
        self.profile = profile
        self.region = region
        self.idpUrlId = idpUrlId
        self.idpArn = idpArn
        self.roleArn = roleArn
        self.duration = duration
        self.output = output
        self.takeOver = takeOver
    }

    /// A chained session: its role is assumed with `parent`'s credentials.
    public static func chained(
        id: String, alias: String, profile: String, region: String, parent: Session, roleArn: String,
        externalId: String? = nil, roleSessionName: String? = nil, duration: Int? = nil, output: OutputMode = .credentialProcess
    ) -> Session {
        var s = Session(
            id: id, alias: alias, profile: profile, region: region, idpUrlId: "", idpArn: "", roleArn: roleArn, duration: duration,
            output: output)
        s.parentId = parent.id
        s.externalId = externalId
        s.roleSessionName = roleSessionName
        return s
    }

    /// The Leapp desktop app's role session name for chained sessions.
    public static let defaultRoleSessionName = "assumed-from-leapp"

    public var isChained: Bool { parentId != nil }

    enum CodingKeys: String, CodingKey {
        case id, alias, profile, region, idpUrlId, idpArn, roleArn, parentId, externalId, roleSessionName, duration, output, takeOver
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        alias = try c.decode(String.self, forKey: .alias)
        profile = try c.decode(String.self, forKey: .profile)
        region = try c.decode(String.self, forKey: .region)
        parentId = try c.decodeIfPresent(String.self, forKey: .parentId)
        idpUrlId = try parentId == nil ? c.decode(String.self, forKey: .idpUrlId) : ""
        idpArn = try parentId == nil ? c.decode(String.self, forKey: .idpArn) : ""
        externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
        roleSessionName = try c.decodeIfPresent(String.self, forKey: .roleSessionName)
        roleArn = try c.decode(String.self, forKey: .roleArn)
        duration = try c.decodeIfPresent(Int.self, forKey: .duration)
        output = try c.decode(OutputMode.self, forKey: .output)
        takeOver = try c.decodeIfPresent(Bool.self, forKey: .takeOver) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(alias, forKey: .alias)
        try c.encode(profile, forKey: .profile)
        try c.encode(region, forKey: .region)
        if let parentId {
            try c.encode(parentId, forKey: .parentId)
            try c.encodeIfPresent(externalId, forKey: .externalId)
            try c.encodeIfPresent(roleSessionName, forKey: .roleSessionName)
        } else {
            try c.encode(idpUrlId, forKey: .idpUrlId)
            try c.encode(idpArn, forKey: .idpArn)
        }
        try c.encode(roleArn, forKey: .roleArn)
        try c.encodeIfPresent(duration, forKey: .duration)
        try c.encode(output, forKey: .output)
        if takeOver { try c.encode(takeOver, forKey: .takeOver) }
    }
}

/// A named profile of the AWS CLI, as an entity sessions share (Leapp's model).
public struct NamedProfile: Codable, Equatable, Sendable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Everything leapp stores in `$XDG_CONFIG_HOME/leapp/config.json`.
public struct Configuration: Codable, Equatable, Sendable {
    public static let currentVersion = 1
    public static let builtinDefaultRegion = "us-east-1"
    public var version: Int
    public var idpUrls: [IdPURL]
    public var sessions: [Session]
    /// Named profiles besides "default", which always exists.
    public var profiles: [NamedProfile]
    public var defaultRegion: String
    /// The secret store to use (`secret-service`, `kernel`); nil: `auto` (see SecretStoreChoice).
    public var secretStore: String?
    /// AWS account id -> the name the AWS sign-in page shows for it (`--account-names`).
    public var accountNames: [String: String] = [:]

    public init(
        idpUrls: [IdPURL] = [], sessions: [Session] = [], profiles: [NamedProfile] = [],
        defaultRegion: String = Configuration.builtinDefaultRegion
    ) {
        self.version = Self.currentVersion
        self.idpUrls = idpUrls
        self.sessions = sessions
        self.profiles = profiles
        self.defaultRegion = defaultRegion
    }

    enum CodingKeys: String, CodingKey { case version, idpUrls, sessions, profiles, defaultRegion, secretStore, accountNames }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        idpUrls = try c.decodeIfPresent([IdPURL].self, forKey: .idpUrls) ?? []
        sessions = try c.decodeIfPresent([Session].self, forKey: .sessions) ?? []
        profiles = try c.decodeIfPresent([NamedProfile].self, forKey: .profiles) ?? []
        defaultRegion = try c.decodeIfPresent(String.self, forKey: .defaultRegion) ?? Self.builtinDefaultRegion
        secretStore = try c.decodeIfPresent(String.self, forKey: .secretStore)
        accountNames = try c.decodeIfPresent([String: String].self, forKey: .accountNames) ?? [:]
    }

    /// Every profile name: "default", the named profiles, and any a session uses.
    public var profileNames: [String] {
        var names = ["default"]
        for name in profiles.map(\.name) + sessions.map(\.profile) where !names.contains(name) { names.append(name) }
        return names
    }

    /// Records a profile name as an entity if it is new.
    public mutating func ensureProfile(_ name: String, id: () -> String) {
        if name != "default" && !profiles.contains(where: { $0.name == name }) {
            profiles.append(NamedProfile(id: id(), name: name))
        }
    }

    public func idpURL(for session: Session) -> IdPURL? {
        idpUrls.first { $0.id == session.idpUrlId }
    }

    /// The federated session at the root of a session's chain (itself when federated), or nil
    /// when a parent is missing or the chain loops.
    public func root(of session: Session) -> Session? {
        var current = session
        var seen: Set<String> = [session.id]
        while let parentId = current.parentId {
            guard let parent = sessions.first(where: { $0.id == parentId }), seen.insert(parent.id).inserted else { return nil }
            current = parent
        }
        return current
    }

    /// The IdP URL a session's credentials come from in the end (its chain's root's).
    public func rootIdPURL(for session: Session) -> IdPURL? {
        root(of: session).flatMap(idpURL(for:))
    }

    /// A chained session's parent, or the error that says what is wrong with its chain.
    public func parent(of session: Session) throws -> Session {
        guard let parentId = session.parentId, let parent = sessions.first(where: { $0.id == parentId }) else {
            throw LeappError(
                .config, "session \(session.alias)'s parent session no longer exists",
                hint: "`leapp session edit \(session.alias) --parent ALIAS`")
        }
        guard root(of: session) != nil else {
            throw LeappError(
                .config, "session \(session.alias)'s chain of parents loops", hint: "`leapp session edit \(session.alias) --parent ALIAS`")
        }
        return parent
    }

    /// The chained sessions whose parent is `session`.
    public func children(of session: Session) -> [Session] {
        sessions.filter { $0.parentId == session.id }
    }

    /// Finds an IdP URL by id, name or exact URL.
    public func findIdPURL(_ reference: String) -> IdPURL? {
        idpUrls.first { $0.id == reference } ?? idpUrls.first { $0.name == reference } ?? idpUrls.first { $0.url == reference }
    }

    /// `findIdPURL`, or the usage error that says no IdP URL has that name.
    public func requireIdPURL(_ reference: String) throws -> IdPURL {
        guard let idp = findIdPURL(reference) else {
            throw LeappError(.usage, "no IdP URL '\(Validation.printable(reference))'", hint: "see `leapp idp-url list`")
        }
        return idp
    }

    /// Finds a session by alias, id, or unique alias prefix.
    public func findSession(_ reference: String) throws -> Session {
        if let s = sessions.first(where: { $0.alias == reference || $0.id == reference }) { return s }
        let prefixed = sessions.filter { $0.alias.hasPrefix(reference) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 {
            throw LeappError(
                .usage,
                "'\(Validation.printable(reference))' matches several sessions: "
                    + prefixed.map(\.alias).joined(separator: ", "), hint: "give the full alias", reason: .ambiguous)
        }
        let near = Nearest.word(reference, in: sessions.map(\.alias))
        throw LeappError(
            .usage, "no session '\(Validation.printable(reference))'",
            hint: (near.map { "did you mean \($0)? " } ?? "") + "see `leapp session list`")
    }
}

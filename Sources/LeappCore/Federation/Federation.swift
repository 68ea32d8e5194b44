/// What the user gave for a login.
public struct LoginOptions {
    public var username: String?
    public var password: String?
    public var mfaCode: String?
    public var mfaFactor: String?
    /// A SAMLResponse captured elsewhere (the paste login method).
    public var samlResponse: String?
    /// The login method asked for this login (else the IdP URL's own).
    public var method: LoginMethodKind?
    public var rememberPassword = false
    public var force = false

    public init(
        username: String? = nil, password: String? = nil, mfaCode: String? = nil, mfaFactor: String? = nil,
        samlResponse: String? = nil, rememberPassword: Bool = false, force: Bool = false
    ) {
        self.username = username
        self.password = password
        self.mfaCode = mfaCode
        self.mfaFactor = mfaFactor
        self.samlResponse = samlResponse
        self.rememberPassword = rememberPassword
        self.force = force
    }
}

/// Starts sessions: cached credentials when still good, otherwise the IdP login (silent
/// from stored cookies when the IdP session lives), the assertion, STS, and the cache.
public struct Federation {
    public let secrets: SecretStore
    public let makeHTTP: () throws -> HTTPClient
    public let parser: MarkupParser
    public let prompter: Prompter
    public let clock: Clock
    public let settings: Settings
    /// Credentials closer than this to expiry are refreshed.
    public var refreshMargin: TimeInterval = 300
    public var log: (String) -> Void = { _ in }
    /// Opens a real browser for the browser login method (nil where none can be driven).
    public var browser: (() throws -> BrowserLauncher)?
    /// Keeps a username the person typed at a prompt on the IdP URL (never the password).
    public var rememberUsername: ((IdPURL, String) -> Void)?
    /// Someone reads stderr: a command a person ran explicitly (`session start`, `idp-url
    /// roles`, `--all-of-idp-url`), not the hook, `credential_process`, `env` or `exec`, and not
    /// `--no-interactive`. A device code or a push needs no input, only someone who sees it:
    /// then it is shown and waited for even without a terminal (as `aws sso login` does).
    public var personReadsStderr = false
    /// Keeps a role a person picked at a terminal as the session's role (and its IdP ARN).
    public var rememberRole: ((Session, OfferedRole) -> Void)?
    /// Keeps the engine an Okta org answered with on the IdP URL's record (asked once).
    public var rememberOktaEngine: ((IdPURL, OktaEngine) -> Void)?
    /// Opens a URL in the desktop's browser (device login's verification page).
    public var openURL: ((String) -> Void)?
    /// Runs body while no other leapp uses the IdP URL's refresh material (its lock).
    public var withIdPLock: (IdPURL, () throws -> Void) throws -> Void = { _, body in try body() }

    public init(
        secrets: SecretStore, makeHTTP: @escaping () throws -> HTTPClient, parser: MarkupParser,
        prompter: Prompter, clock: Clock, settings: Settings
    ) {
        self.secrets = secrets
        self.makeHTTP = makeHTTP
        self.parser = parser
        self.prompter = prompter
        self.clock = clock
        self.settings = settings
    }

    public func cached(_ session: Session) throws -> AWSCredentials? {
        try secrets.loadJSON(AWSCredentials.self, .credentials, key: session.id)
    }

    /// Valid cached credentials, or new ones from the IdP and STS. New ones are not cached
    /// yet: the caller writes the AWS files first and then calls `save`, so that a failed
    /// file write never leaves a session cached as active.
    public func credentials(
        for session: Session, in config: Configuration, options: LoginOptions = LoginOptions(), margin: TimeInterval? = nil
    ) throws -> (AWSCredentials, fresh: Bool) {
        let margin = max(margin ?? 0, refreshMargin)
        if !options.force, let cached = try cached(session), cached.isValid(at: clock.now, margin: margin) {
            log("using cached credentials of \(session.alias), valid until \(RFC3339.format(cached.expiration))")
            return (cached, false)
        }
        return (try start(session, in: config, options: options), true)
    }

    /// Caches a session's credentials in the keyring.
    public func save(_ credentials: AWSCredentials, for session: Session) throws {
        try secrets.storeJSON(credentials, .credentials, key: session.id, label: "leapp credentials \(session.alias)")
    }

    public func start(_ session: Session, in config: Configuration, options: LoginOptions) throws -> AWSCredentials {
        guard let idp = config.idpURL(for: session) else {
            throw LeappError(
                .config, "session \(session.alias) names an IdP URL that no longer exists",
                hint: "`leapp session edit \(session.alias) --idp-url ...`")
        }
        let role = try IAMARN(parsing: session.roleArn, expecting: .role)
        let http = try makeHTTP()
        let form = try samlResponse(
            at: idp, http: http, options: options, resumeCommand: "leapp session start \(session.alias)",
            pastedPartition: role.partition, session: session.alias)
        let assertion = try SAMLAssertion(encoded: form.samlResponse, parser: parser)
        return try assume(session, with: assertion, postedTo: form.partition, http: http, accountNames: config.accountNames)
    }

    /// Every session of one IdP URL from one login: one assertion carries all their roles, so
    /// one password and one MFA answer serve them all. Each session's outcome is its own.
    public func startAll(_ sessions: [Session], at idp: IdPURL, options: LoginOptions) throws -> [(Session, Result<AWSCredentials, Error>)]
    {
        let http = try makeHTTP()
        let partition = sessions.lazy.compactMap { try? IAMARN(parsing: $0.roleArn, expecting: .role).partition }.first
        let form = try samlResponse(
            at: idp, http: http, options: options, resumeCommand: "leapp session start --all-of-idp-url \(idp.name)",
            pastedPartition: partition)
        let assertion = try SAMLAssertion(encoded: form.samlResponse, parser: parser)
        return sessions.map { session in
            (session, Result { try assume(session, with: assertion, postedTo: form.partition, http: http) })
        }
    }

    /// STS AssumeRoleWithSAML for one session's role with an assertion already in hand.
    func assume(
        _ session: Session, with assertion: SAMLAssertion, postedTo posted: Partition?, http: HTTPClient,
        accountNames: [String: String] = [:]
    ) throws -> AWSCredentials {
        let role = try IAMARN(parsing: session.roleArn, expecting: .role)
        if let partition = posted, partition != role.partition {
            throw LeappError(
                .saml, "the IdP posts to the \(partition.rawValue) sign-in page but the role is in \(role.partition.rawValue)",
                hint: "check the session's role ARN and IdP URL")
        }
        let offered = try chooseRole(session, assertion, accountNames: accountNames)
        var duration = session.duration ?? assertion.sessionDuration ?? 3600
        duration = min(max(duration, Validation.minDuration), Validation.maxDuration)
        let sts = stsClient(http, calling: "AssumeRoleWithSAML", region: session.region, partition: role.partition, for: duration)
        var credentials: AWSCredentials
        do {
            credentials = try sts.assumeRoleWithSAML(
                role: offered, assertion: assertion.encoded, duration: duration,
                region: session.region, partition: role.partition)
        } catch let error as LeappError where STSClient.isDurationRefusal(error) && duration != 3600 {
            prompter.notice("leapp: \(duration) s is above the role's maximum session duration; retrying with 3600 s")
            credentials = try sts.assumeRoleWithSAML(
                role: offered, assertion: assertion.encoded, duration: 3600,
                region: session.region, partition: role.partition)
        }
        return credentials
    }

    /// The longest a chained session can last: AWS limits role chaining to one hour.
    public static let maxChainedDuration = 3600

    /// A chained session's credentials: sts:AssumeRole of its role with its parent's credentials.
    public func assumeChained(_ session: Session, with parent: AWSCredentials) throws -> AWSCredentials {
        let role = try IAMARN(parsing: session.roleArn, expecting: .role)
        let duration = min(max(session.duration ?? Self.maxChainedDuration, Validation.minDuration), Self.maxChainedDuration)
        let sts = try stsClient(makeHTTP(), calling: "AssumeRole", region: session.region, partition: role.partition, for: duration)
        return try sts.assumeRole(
            session.roleArn, sessionName: session.roleSessionName ?? Session.defaultRoleSessionName, externalId: session.externalId,
            duration: duration, with: parent, region: session.region, partition: role.partition)
    }

    /// An STS client for the settings' endpoint, having said (`--verbose`) what it will call.
    func stsClient(_ http: HTTPClient, calling action: String, region: String, partition: Partition, for duration: Int) -> STSClient {
        let sts = STSClient(http: http, parser: parser, clock: clock, endpoint: settings.stsEndpoint)
        log("calling STS \(action) at \(WebURL(sts.endpoint(region: region, partition: partition))?.origin ?? "?") for \(duration) s")
        return sts
    }

    /// Logs in at an IdP URL with the login's method and returns the SAMLResponse form.
    public func samlResponse(
        at idp: IdPURL, http: HTTPClient, options: LoginOptions, resumeCommand: String,
        pastedPartition: Partition?, session: String? = nil
    ) throws -> SAMLResponseForm {
        do {
            return try login(at: idp, http: http, options: options, resumeCommand: resumeCommand, pastedPartition: pastedPartition)
        } catch let error as LeappError where error.kind == .network && error.reason != .tooLarge {
            // A host alone does not say which login failed: the IdP URL and the session do.
            let whose = "IdP URL \(idp.name)" + (session.map { " (session \($0))" } ?? "")
            throw LeappError(.network, "\(whose): \(error.message)", hint: error.hint, reason: error.reason)
        }
    }

    func login(
        at idp: IdPURL, http: HTTPClient, options: LoginOptions, resumeCommand: String, pastedPartition: Partition?
    ) throws -> SAMLResponseForm {
        // Where the login's results go is checked before anything goes to the IdP.
        try secrets.checkWritable()
        let request = LoginRequest(http: http, options: options, resumeCommand: resumeCommand, partition: pastedPartition)
        let kind = resolvedMethod(for: idp, options, http: http)
        defer { prompter.progress(nil) }
        if kind == .browser, options.method != .browser, !prompter.isInteractive, !settings.browserHeadless {
            // No person to use a window (the prompt hook, the AWS CLI, a script): no window
            // opens unasked. The IdP session a browser earned is replayed headlessly instead.
            do {
                return try loginMethod(.headless).samlResponse(at: idp, request)
            } catch let error as LeappError {
                log("the headless replay of \(idp.name)'s IdP session failed: \(error.message)")
                throw LeappError(
                    .needsUser, "\(idp.name) logs in in a browser, and no one is at a terminal to use it",
                    hint: "run `\(resumeCommand)` in a terminal")
            }
        }
        do {
            return try loginMethod(kind).samlResponse(at: idp, request)
        } catch let error as LeappError where kind == .headless && error.reason == .needsBrowser && browser != nil {
            guard settings.canOpenBrowser else {
                throw LeappError(
                    error.kind, error.message,
                    hint:
                        "no display here (DISPLAY and WAYLAND_DISPLAY are unset): run `\(resumeCommand) --browser` in a desktop session, or pass --saml-response-file",
                    reason: error.reason)
            }
            guard prompter.isInteractive else { throw error }
            prompter.notice("leapp: \(error.message)")
            let answer = try prompter.ask("Log in to \(idp.name) in a browser instead? [Y/n] ").trimmed.lowercased()
            guard answer.isEmpty || answer == "y" || answer == "yes" else { throw error }
            return try loginMethod(.browser).samlResponse(at: idp, request)
        }
    }

    func chooseRole(_ session: Session, _ assertion: SAMLAssertion, accountNames: [String: String] = [:]) throws -> OfferedRole {
        let wanted = OfferedRole(roleArn: session.roleArn, principalArn: session.idpArn)
        if assertion.isEncrypted {
            prompter.notice("leapp: the assertion is encrypted; cannot check that \(session.roleArn) is offered")
            return wanted
        }
        if assertion.roles.contains(wanted) { return wanted }
        if let sameRole = assertion.roles.first(where: { $0.roleArn == session.roleArn }) {
            throw LeappError(
                .saml, "the IdP offers \(session.roleArn) with provider \(sameRole.principalArn), not \(session.idpArn)",
                hint: "`leapp session edit \(session.alias) --idp-arn \(sameRole.principalArn)`")
        }
        // A person at a terminal picks from what the IdP offers, and may keep the choice.
        if prompter.isInteractive, !assertion.roles.isEmpty {
            prompter.notice("leapp: the IdP does not offer \(session.roleArn) to you")
            // The account's name, when known, before each ARN.
            let options = assertion.roles.map { role -> String in
                let name = (try? IAMARN(parsing: role.roleArn, expecting: .role)).flatMap { accountNames[$0.account] }
                return (name.map { "\($0): " } ?? "") + role.roleArn
            }
            let picked = assertion.roles[try prompter.choose("Role:", options: options)]
            let answer = try prompter.ask("Save it as \(session.alias)'s role? [Y/n] ").trimmed.lowercased()
            if answer.isEmpty || answer.hasPrefix("y") { rememberRole?(session, picked) }
            return picked
        }
        let list = assertion.roles.prefix(10).map(\.roleArn).joined(separator: ", ")
        let more = assertion.roles.count > 10 ? " and \(assertion.roles.count - 10) more" : ""
        throw LeappError(
            .saml, "the IdP does not offer role \(session.roleArn)",
            hint: assertion.roles.isEmpty ? "the assertion carries no AWS roles" : "offered: \(list)\(more)")
    }

    /// Drops cached credentials (and, with forgetIdP, the IdP session).
    public func stop(_ session: Session, forgetIdP: Bool) throws {
        try secrets.delete(.credentials, key: session.id)
        if forgetIdP && !session.isChained {
            for kind in SecretKind.perIdPURL { try secrets.delete(kind, key: session.idpUrlId) }
        }
    }
}

/// How a login reaches the SAMLResponse. An IdP URL names its method (headless unless set);
/// `--login-method`, or `--saml-response-file`, chooses for one login. Whatever method ran, the
/// federation core takes the SAMLResponse from there on, and the IdP cookies a login earns go
/// to the one keyring record of the IdP URL, where every method finds them.
public enum LoginMethodKind: String, Codable, CaseIterable, Sendable {
    /// HTTP and HTML/JSON, driven by the provider's state machine.
    case headless
    /// A SAMLResponse captured elsewhere (a browser's developer tools), given as a file or on stdin.
    case paste
    /// A real Chromium-family browser: the person answers whatever the IdP asks there.
    case browser
    /// OAuth 2.0 device authorization and a Web SSO token (Okta Identity Engine).
    case device
}

/// One way to log in: from an IdP URL and what the user gave to the SAMLResponse form.
public protocol LoginMethod {
    func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm
}

/// What one login has to work with.
public struct LoginRequest {
    public var http: HTTPClient
    public var options: LoginOptions
    /// The command that completes a login a person must finish (for messages).
    public var resumeCommand: String
    /// The partition of the role, for a pasted response (which has no form action to tell it).
    public var partition: Partition?

    public init(http: HTTPClient, options: LoginOptions, resumeCommand: String, partition: Partition?) {
        self.http = http
        self.options = options
        self.resumeCommand = resumeCommand
        self.partition = partition
    }
}

/// A SAMLResponse the person pasted: no IdP is contacted.
public struct PastedLogin: LoginMethod {
    public init() {}

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        guard let pasted = login.options.samlResponse else {
            throw LeappError(
                .usage, "\(idp.name) logs in with a pasted SAMLResponse, and none was given",
                hint: "capture it in a browser (the POST to the AWS sign-in page) and pass --saml-response-file FILE (or - for stdin)")
        }
        return SAMLResponseForm(samlResponse: try PastedResponse.normalize(pasted), action: "", partition: login.partition)
    }
}

/// The provider's headless driver, replaying and then keeping the IdP cookies in the keyring.
public struct HeadlessLogin: LoginMethod {
    let federation: Federation

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        let (secrets, http, options) = (federation.secrets, login.http, login.options)
        let record = try federation.storedSession(of: idp, wantedUser: options.username)
        if let record {
            http.importCookies(record.cookies)
            federation.log("loaded the \(idp.name) IdP session from the keyring")
        }
        let storedPassword = options.password == nil ? try secrets.lookup(.password, key: idp.id) : nil
        let ctx = LoginContext(
            idp: idp, http: http, parser: federation.parser, prompter: federation.prompter, clock: federation.clock,
            resumeCommand: login.resumeCommand, username: options.username ?? record?.username ?? idp.username,
            mfaCode: options.mfaCode, mfaFactor: options.mfaFactor, passwordSource: { options.password ?? storedPassword })
        ctx.keyring = secrets
        ctx.environment = federation.environment
        if let ms = federation.environment["LEAPP_POLL_INTERVAL_MS"].flatMap(Double.init) {
            ctx.pollInterval = ms / 1000
            ctx.pollIntervalFixed = true
        }
        if let s = federation.environment["LEAPP_POLL_TIMEOUT"].flatMap(Double.init) { ctx.pollTimeout = s }
        federation.log("logging in at \(idp.name) (\(idp.provider.rawValue))")
        let form = try Providers.make(idp.provider).login(ctx)
        try secrets.storeJSON(
            IdPSessionRecord(cookies: http.exportCookies(), username: ctx.username, savedAt: federation.clock.now),
            .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
        if ctx.usernameWasAsked, let typed = ctx.username, idp.username == nil {
            federation.rememberUsername?(idp, typed)
        }
        if options.rememberPassword, let password = ctx.passwordWasRead {
            try secrets.store(.password, key: idp.id, label: "leapp password \(idp.name)", secret: password)
        }
        return form
    }
}

extension Federation {
    /// The method one login uses: the one asked for, else paste when a response was given,
    /// else the IdP URL's own.
    public func method(for idp: IdPURL, _ options: LoginOptions) -> LoginMethodKind {
        options.method ?? (options.samlResponse != nil ? .paste : idp.loginMethod ?? .headless)
    }

    /// The method, with Okta's engine detected when nothing was chosen: an Identity Engine org
    /// (`/.well-known/okta-organization` says `"pipeline": "idx"`) with an OIDC client id
    /// logs in with the device flow; a classic org keeps the classic API. An explicit
    /// `headless` forces the classic API, `device` the device flow.
    func resolvedMethod(for idp: IdPURL, _ options: LoginOptions, http: HTTPClient) throws -> LoginMethodKind {
        let kind = method(for: idp, options)
        guard kind == .headless, options.method == nil, idp.loginMethod == nil, idp.provider == .okta, idp.oidcClientId != nil,
            let origin = WebURL(idp.url)?.origin
        else { return kind }
        let answer = try http.send(HTTPRequest(url: origin + "/.well-known/okta-organization", headers: [("Accept", "application/json")]))
        let engine = JSONValue.parse(answer.body)?["pipeline"]?.string
        log("\(idp.name) is an Okta \(engine == "idx" ? "Identity Engine" : "classic") org")
        return engine == "idx" ? .device : kind
    }

    func loginMethod(_ kind: LoginMethodKind) -> LoginMethod {
        switch kind {
        case .headless: return HeadlessLogin(federation: self)
        case .paste: return PastedLogin()
        case .browser: return BrowserLogin(federation: self)
        case .device: return OktaDeviceLogin(federation: self)
        }
    }
}

/// The OAuth tokens of an Okta Identity Engine login: the refresh material kept in the IdP
/// URL's keyring record, so that a refresh makes a new Web SSO token without a person.
public struct OAuthTokens: Codable, Equatable, Sendable {
    public var accessToken: String
    public var idToken: String?
    public var refreshToken: String?
    public var deviceSecret: String?
    /// When the access token expires (seconds since 1970).
    public var expiresAt: Double
}

/// Okta Identity Engine: OAuth 2.0 device authorization (RFC 8628) with the org's OIDC native
/// app, a token exchange (RFC 8693) for a Web SSO token of the AWS federation app, and
/// `/login/token/sso`, which answers with the SAML auto-post page. The person approves the
/// code anywhere (a phone, another machine): it works over SSH. The tokens stay in the
/// keyring; while the access token or the refresh token is good, no person is needed.
public struct OktaDeviceLogin: LoginMethod {
    let federation: Federation

    static let deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"
    static let exchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let requiredScopes = ["openid", "okta.apps.sso"]
    /// Asked for too; dropped when the app does not allow them.
    static let optionalScopes = ["profile", "offline_access", "device_sso"]

    /// The federation app's id: the `0oa...` segment of its embed link
    /// (`/home/amazon_aws/0oa.../272`), or of any `/home/<app>/<id>/...` link.
    public static func federationAppId(_ url: String) -> String? {
        guard let web = WebURL(url) else { return nil }
        let parts = web.pathAndQuery.split(separator: "?").first?.split(separator: "/").map(String.init) ?? []
        guard parts.count >= 3, parts[0] == "home" else { return nil }
        return parts[2].isEmpty ? nil : parts[2]
    }

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        guard let clientId = idp.oidcClientId, !clientId.isEmpty else {
            throw LeappError(
                .config, "\(idp.name) is an Okta Identity Engine org: device login needs its OIDC native app's client id",
                hint: "`leapp idp-url edit \(idp.name) --oidc-client-id 0oa...` (README: Okta Identity Engine)")
        }
        guard let origin = WebURL(idp.url)?.origin, let appId = idp.oktaAppId ?? Self.federationAppId(idp.url) else {
            throw LeappError(
                .config, "cannot find the AWS federation app id in \(idp.name)'s URL",
                hint:
                    "use the app's embed link, https://ORG.okta.com/home/amazon_aws/0oa.../272, or give the id: `leapp idp-url edit \(idp.name) --okta-app-id 0oa...`"
            )
        }
        let oauth = OAuthClient(http: login.http, origin: origin, clientId: clientId, federation: federation)
        // Okta rotates refresh tokens: of two processes that refresh at once (the AWS CLI
        // running credential_process per profile), one would be refused and drop the tokens.
        // So the tokens are used under the IdP URL's lock, read again once it is held.
        // The whole use, the record's final save included, happens under the lock.
        var form: SAMLResponseForm?
        try federation.withIdPLock(idp) {
            var record =
                try federation.storedSession(of: idp, wantedUser: login.options.username)
                ?? IdPSessionRecord(cookies: "", username: login.options.username, savedAt: federation.clock.now)
            let webSSO = try webSSOToken(&record, idp: idp, oauth: oauth, appId: appId, login: login)
            federation.log("opening the AWS app with a Web SSO token")
            let response = try login.http.send(HTTPRequest(url: origin + "/login/token/sso?token=" + FormEncoding.escapeQuery(webSSO)))
            let document = try federation.parser.parseHTML(response.body)
            guard case .response(let found) = try SAMLPage.classify(try HTMLForm.all(in: document), pageURL: response.url) else {
                throw LeappError(
                    .idp, "Okta: /login/token/sso answered HTTP \(response.status) without a SAMLResponse",
                    hint: "check that the OIDC app is allowed as the federation app's Web SSO client (README: Okta Identity Engine)")
            }
            record.cookies = login.http.exportCookies()
            try save(record, idp)
            form = found
        }
        guard let form else { throw LeappError(.idp, "Okta: the device login ended without a SAMLResponse") }
        return form
    }

    /// A Web SSO token from the kept access token, else the refresh token, else (with a person
    /// at a terminal) a new device login. Runs under the IdP URL's lock.
    func webSSOToken(_ record: inout IdPSessionRecord, idp: IdPURL, oauth: OAuthClient, appId: String, login: LoginRequest) throws
        -> String
    {
        if let tokens = record.oauth, tokens.expiresAt > federation.clock.now.timeIntervalSince1970 + 60 {
            federation.log("using \(idp.name)'s Okta access token from the keyring")
            if let token = try? oauth.webSSOToken(tokens, appId: appId) { return token }
        }
        if let refresh = record.oauth?.refreshToken {
            do {
                federation.log("refreshing \(idp.name)'s Okta tokens")
                let tokens = try oauth.refresh(refresh, previous: record.oauth)
                record.oauth = tokens
                try save(record, idp)  // the old refresh token is spent: keep the new one at once
                return try oauth.webSSOToken(tokens, appId: appId)
            } catch let error as OAuthClient.Refusal {
                federation.log("Okta refused the refresh token (\(error.code))")
                // Dropped only when what the keyring holds is still the token Okta refused:
                // newer tokens (another leapp's, outside the lock) are never wiped.
                let current = try federation.storedSession(of: idp, wantedUser: nil)
                if current?.oauth?.refreshToken == refresh || current?.oauth == nil {
                    record.oauth = nil
                    try save(record, idp)
                } else if let newer = current?.oauth {
                    record.oauth = newer
                    federation.log("the keyring holds newer Okta tokens; using them")
                    if let token = try? oauth.webSSOToken(newer, appId: appId) { return token }
                }
            }
        }
        guard federation.prompter.isInteractive else {
            throw LeappError(
                .needsUser, "\(idp.name) needs a person to approve a new Okta device login (its tokens are gone or refused)",
                hint: "run `\(login.resumeCommand)` in a terminal")
        }
        let tokens = try oauth.deviceLogin(idp: idp)
        record.oauth = tokens
        try save(record, idp)
        return try oauth.webSSOToken(tokens, appId: appId)
    }

    func save(_ record: IdPSessionRecord, _ idp: IdPURL) throws {
        var record = record
        record.savedAt = federation.clock.now.timeIntervalSince1970
        try federation.secrets.storeJSON(record, .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
    }
}

/// Okta's OAuth 2.0 endpoints for one org and OIDC client.
struct OAuthClient {
    /// An OAuth error answer (`{"error": ..., "error_description": ...}`).
    struct Refusal: Error {
        let code: String
        let description: String
    }

    let http: HTTPClient
    let origin: String
    let clientId: String
    let federation: Federation

    func post(_ path: String, _ fields: [(String, String)]) throws -> JSONValue {
        var request = HTTPRequest.form(origin + path, [("client_id", clientId)] + fields)
        request.headers.append(("Accept", "application/json"))
        let response = try http.send(request)
        let body = JSONValue.parse(response.body) ?? .null
        if response.status >= 300 || body["error"] != nil {
            guard let code = body["error"]?.string else {
                throw LeappError(.idp, "Okta: \(path) answered HTTP \(response.status)", hint: "check the IdP URL and --oidc-client-id")
            }
            throw Refusal(code: code, description: Validation.printable(body["error_description"]?.string ?? "", limit: 200))
        }
        return body
    }

    func tokens(_ body: JSONValue, previous: OAuthTokens?) throws -> OAuthTokens {
        guard let access = body["access_token"]?.string else { throw LeappError(.idp, "Okta: the token answer has no access_token") }
        return OAuthTokens(
            accessToken: access, idToken: body["id_token"]?.string ?? previous?.idToken,
            refreshToken: body["refresh_token"]?.string ?? previous?.refreshToken,
            deviceSecret: body["device_secret"]?.string ?? previous?.deviceSecret,
            expiresAt: federation.clock.now.timeIntervalSince1970 + Double(body["expires_in"]?.int ?? 3600))
    }

    func refresh(_ token: String, previous: OAuthTokens?) throws -> OAuthTokens {
        let scope = (OktaDeviceLogin.requiredScopes + OktaDeviceLogin.optionalScopes).joined(separator: " ")
        let body = try post("/oauth2/v1/token", [("grant_type", "refresh_token"), ("refresh_token", token), ("scope", scope)])
        return try tokens(body, previous: previous)
    }

    /// Exchanges the tokens for a Web SSO token of the federation app (single use, minutes).
    func webSSOToken(_ tokens: OAuthTokens, appId: String) throws -> String {
        guard let idToken = tokens.idToken else { throw Refusal(code: "invalid_grant", description: "no id token") }
        federation.log("exchanging the Okta tokens for a Web SSO token of app \(appId)")
        do {
            let body = try post(
                "/oauth2/v1/token",
                [
                    ("grant_type", OktaDeviceLogin.exchangeGrant), ("actor_token", tokens.accessToken),
                    ("actor_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("subject_token", idToken),
                    ("subject_token_type", "urn:ietf:params:oauth:token-type:id_token"),
                    ("requested_token_type", "urn:okta:oauth:token-type:web_sso_token"), ("audience", "urn:okta:apps:\(appId)"),
                ])
            guard let token = body["access_token"]?.string else { throw LeappError(.idp, "Okta: the token exchange gave no token") }
            return token
        } catch let refusal as Refusal where refusal.code != "invalid_grant" {
            throw LeappError(
                .idp, "Okta refused the Web SSO token exchange: \(refusal.code) \(refusal.description)",
                hint:
                    "the OIDC app needs the Token Exchange grant and must be allowed as the AWS app's Web SSO client (README: Okta Identity Engine)"
            )
        }
    }

    /// RFC 8628: a code for the person to approve anywhere, then polling at Okta's interval.
    func deviceLogin(idp: IdPURL) throws -> OAuthTokens {
        var scopes = OktaDeviceLogin.requiredScopes + OktaDeviceLogin.optionalScopes
        var authorization: JSONValue
        while true {
            do {
                authorization = try post("/oauth2/v1/device/authorize", [("scope", scopes.joined(separator: " "))])
                break
            } catch let refusal as Refusal where refusal.code == "invalid_scope" && scopes.count > OktaDeviceLogin.requiredScopes.count {
                federation.log("the app does not allow \(scopes.last ?? "?"); asking without it")
                scopes.removeLast()
            } catch let refusal as Refusal {
                throw LeappError(
                    .idp, "Okta refused device authorization: \(refusal.code) \(refusal.description)",
                    hint: "check --oidc-client-id and that the app has the Device Authorization grant (README: Okta Identity Engine)")
            }
        }
        guard let deviceCode = authorization["device_code"]?.string, let userCode = authorization["user_code"]?.string,
            let uri = authorization["verification_uri"]?.string
        else { throw LeappError(.idp, "Okta: the device authorization answer lacks its code") }
        let prompter = federation.prompter
        // Everything here came from the IdP: shown only through the terminal filter (the
        // prompter's), opened only when it is an https URL of the org's own origin.
        let complete = authorization["verification_uri_complete"]?.string
        prompter.notice("leapp: to log in to \(idp.name), open \(uri) and enter the code \(userCode)")
        let safeComplete = complete.flatMap { OpenableURL.check($0, origin: origin) }
        if let safeComplete {
            prompter.notice("leapp: (or open \(safeComplete), on any device)")
            prompter.showQRCode(safeComplete)
        }
        let openable = safeComplete ?? OpenableURL.check(uri, origin: origin)
        if openable == nil || (complete != nil && safeComplete == nil) {
            prompter.notice("leapp: warning: the verification URL is not an https address of \(origin); leapp will not open it")
        }
        if BrowserLogin.hasDisplay(federation.environment), let open = federation.openURL, let openable {
            federation.log("opening the verification page in the desktop's browser")
            open(openable)
        }
        let timing = DevicePolling(interval: authorization["interval"]?.int, expiresIn: authorization["expires_in"]?.int)
        var interval = timing.interval
        let started = federation.clock.now
        let deadline = started.addingTimeInterval(timing.expiresIn)
        while true {
            if federation.clock.now >= deadline {
                throw LeappError(.needsUser, "the Okta device code expired before it was approved", hint: "run the command again")
            }
            prompter.progress(
                "waiting for the code \(userCode) to be approved... \(Int(federation.clock.now.timeIntervalSince(started))) s")
            federation.clock.sleep(seconds: min(interval, max(deadline.timeIntervalSince(federation.clock.now), 0)))
            do {
                let body = try post("/oauth2/v1/token", [("grant_type", OktaDeviceLogin.deviceGrant), ("device_code", deviceCode)])
                federation.log("the device login was approved")
                return try tokens(body, previous: nil)
            } catch let refusal as Refusal {
                switch refusal.code {
                case "authorization_pending":
                    continue
                case "expired_token":
                    throw LeappError(.needsUser, "the Okta device code expired before it was approved", hint: "run the command again")
                case "slow_down":
                    interval = min(interval + 5, DevicePolling.maxInterval)
                    federation.log("Okta asked to slow down: polling every \(Int(interval)) s")
                case "access_denied":
                    throw LeappError(.idp, "the Okta device login was denied", hint: "approve the code at Okta, or ask your administrator")
                default:
                    throw LeappError(.idp, "Okta refused the device login: \(refusal.code) \(refusal.description)")
                }
            }
        }
    }
}

/// The device flow's timing as Okta announced it, clamped: an `interval` of 0 or less would poll
/// thousands of times a second, a huge one sleep past the code's life; `expires_in` bounds the
/// wait whatever the server later says.
struct DevicePolling {
    static let minInterval = 1.0
    static let maxInterval = 60.0
    static let maxLifetime = 1800.0

    let interval: Double
    let expiresIn: Double

    init(interval: Int?, expiresIn: Int?) {
        self.interval = min(max(Double(interval ?? 5), Self.minInterval), Self.maxInterval)
        self.expiresIn = min(max(Double(expiresIn ?? 600), 1), Self.maxLifetime)
    }
}

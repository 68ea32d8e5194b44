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
        // So the tokens are used under the IdP URL's lock, read again once it is held, and the
        // record's final save happens under it too. A device login is not: while a person
        // approves the code (minutes, maybe), the lock is free, so the prompt hook and the
        // AWS CLI of other shells are not held up; its tokens are saved under the lock after.
        var form: SAMLResponseForm?
        try federation.withIdPLock(idp) {
            var record =
                try federation.storedSession(of: idp, wantedUser: login.options.username)
                ?? IdPSessionRecord(cookies: "", username: login.options.username, savedAt: federation.clock.now)
            guard let webSSO = try storedWebSSOToken(&record, idp: idp, oauth: oauth, appId: appId) else { return }
            form = try openApp(with: webSSO, record, idp: idp, origin: origin, login: login)
        }
        if let form { return form }
        guard federation.prompter.isInteractive || federation.personReadsStderr else {
            throw LeappError(
                .needsUser, "\(idp.name) needs a person to approve a new Okta device login (its tokens are gone or refused)",
                hint: "run `\(login.resumeCommand)` in a terminal")
        }
        let tokens = try oauth.deviceLogin(idp: idp)
        try federation.withIdPLock(idp) {
            var record =
                try federation.storedSession(of: idp, wantedUser: login.options.username)
                ?? IdPSessionRecord(cookies: "", username: login.options.username, savedAt: federation.clock.now)
            record.oauth = tokens
            try save(record, idp)
            form = try openApp(with: try oauth.webSSOToken(tokens, appId: appId), record, idp: idp, origin: origin, login: login)
        }
        guard let form else { throw LeappError(.idp, "Okta: the device login ended without a SAMLResponse") }
        return form
    }

    /// `/login/token/sso` with a Web SSO token: the SAML auto-post page. Keeps the record's
    /// cookies. Runs under the IdP URL's lock.
    func openApp(with webSSO: String, _ record: IdPSessionRecord, idp: IdPURL, origin: String, login: LoginRequest) throws
        -> SAMLResponseForm
    {
        federation.log("opening the AWS app with a Web SSO token")
        let response = try login.http.send(HTTPRequest(url: origin + "/login/token/sso?token=" + FormEncoding.escapeQuery(webSSO)))
        let document = try federation.parser.parseHTML(response.body)
        guard case .response(let found) = try SAMLPage.classify(try HTMLForm.all(in: document), pageURL: response.url) else {
            throw LeappError(
                .idp, "Okta: /login/token/sso answered HTTP \(response.status) without a SAMLResponse",
                hint: "check that the OIDC app is allowed as the federation app's Web SSO client (README: Okta Identity Engine)")
        }
        var record = record
        record.cookies = login.http.exportCookies()
        try save(record, idp)
        return found
    }

    /// A Web SSO token from the kept access token, else the refresh token; nil when neither
    /// serves (a device login is needed). Runs under the IdP URL's lock.
    func storedWebSSOToken(_ record: inout IdPSessionRecord, idp: IdPURL, oauth: OAuthClient, appId: String) throws -> String? {
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
        return nil
    }

    func save(_ record: IdPSessionRecord, _ idp: IdPURL) throws {
        var record = record
        record.savedAt = federation.clock.now.timeIntervalSince1970
        try federation.secrets.storeJSON(record, .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
    }
}

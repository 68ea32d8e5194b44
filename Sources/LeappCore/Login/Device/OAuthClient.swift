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
        if federation.settings.hasDisplay, let open = federation.openURL, let openable {
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

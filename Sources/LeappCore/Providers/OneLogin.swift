/// OneLogin through its API: an OAuth token from the API client's id and secret (kept in
/// the keyring, asked once), `/api/2/saml_assertion` with the user's password, and
/// `/api/2/saml_assertion/verify_factor` for MFA (OTP devices, SMS and email codes,
/// OneLogin Protect push, polled while pending). The SAML URL is the app's launch link,
/// `https://SUBDOMAIN.onelogin.com/trust/saml2/launch/APP_ID`.
public struct OneLogin: IdentityProvider {
    public init() {}

    struct APIClient: Codable {
        var clientId: String
        var clientSecret: String
    }

    public func login(_ context: LoginContext) throws -> SAMLResponseForm {
        guard let url = WebURL(context.idp.url) else { throw context.failure("bad SAML URL") }
        let path = url.pathAndQuery.split(separator: "?").first.map(String.init) ?? ""
        guard let appID = path.split(separator: "/").last.map(String.init), !appID.isEmpty else {
            throw context.failure(
                "cannot read the app id from the SAML URL", hint: "use https://SUBDOMAIN.onelogin.com/trust/saml2/launch/APP_ID")
        }
        let subdomain = String(url.host.split(separator: ".").first ?? "")
        let api: String
        if url.host.hasSuffix(".onelogin.com") {
            api = "https://api.\(context.settings.oneLoginRegion).onelogin.com"
        } else {
            api = url.origin
        }

        context.step = "API token"
        let (client, stored) = try apiClient(context)
        let basic = Base64.encode(Array("\(client.clientId):\(client.clientSecret)".utf8))
        let (tokenStatus, tokenBody) = try context.json(
            .json(
                api + "/auth/oauth2/v2/token", ["grant_type": "client_credentials"],
                headers: [("Authorization", "Basic \(basic)")]))
        guard tokenStatus == 200, let token = tokenBody["access_token"]?.string else {
            if stored { _ = try? context.keyring?.delete(.apiClient, key: context.idp.id) }
            throw context.failure(
                "the API client id and secret were refused (\(Self.message(tokenBody, tokenStatus)))",
                hint: "check them in OneLogin's API credentials; leapp will ask again")
        }
        if !stored, let keyring = context.keyring,
            let data = try? JSONEncoder().encode(client)
        {
            try keyring.store(
                .apiClient, key: context.idp.id, label: "leapp OneLogin API client \(context.idp.name)",
                secret: String(decoding: data, as: UTF8.self))
        }
        let auth = [("Authorization", "Bearer \(token)")]

        context.step = "password"
        let (status, body) = try context.json(
            .json(
                api + "/api/2/saml_assertion",
                [
                    "username_or_email": .string(try context.requireUsername()), "password": .string(try context.requirePassword()),
                    "app_id": .string(appID), "subdomain": .string(subdomain),
                ], headers: auth))
        if let saml = Self.assertion(body), status == 200 { return SAMLResponseForm(samlResponse: saml, action: "", partition: nil) }
        guard status == 200, let mfa = Self.mfa(body) else {
            throw context.failure(
                "login refused: \(Self.message(body, status))", hint: status == 401 ? "check the username and password" : nil)
        }
        return try verify(mfa, context, api: api, appID: appID, auth: auth)
    }

    func apiClient(_ context: LoginContext) throws -> (APIClient, stored: Bool) {
        if let text = try context.keyring?.lookup(.apiClient, key: context.idp.id),
            let client = try? JSONDecoder().decode(APIClient.self, from: Data(text.utf8))
        {
            return (client, true)
        }
        if let client = context.settings.oneLoginClient {
            let (id, secret) = (client.id, client.secret)
            return (APIClient(clientId: id, clientSecret: secret), false)
        }
        guard context.prompter.isInteractive else {
            throw LeappError(
                .needsUser, "OneLogin login needs the API client id and secret, and no terminal is available to ask",
                hint: "set LEAPP_ONELOGIN_CLIENT_ID and LEAPP_ONELOGIN_CLIENT_SECRET, or run `\(context.resumeCommand)` in a terminal once")
        }
        let id = try context.prompter.ask("OneLogin API client id: ").trimmed
        let secret = try context.prompter.askSecret("OneLogin API client secret: ")
        return (APIClient(clientId: id, clientSecret: secret), false)
    }

    struct MFA {
        var stateToken: String
        var devices: [(id: String, type: String)]
        var callback: String?
    }

    /// API v2 answers at the top level; v1 wrapped it in `status` and `data[0]`.
    static func mfa(_ body: JSONValue) -> MFA? {
        let scope = body["state_token"] != nil ? body : (body["data"]?[0] ?? .null)
        guard let token = scope["state_token"]?.string else { return nil }
        let devices =
            scope["devices"]?.array.compactMap { d -> (id: String, type: String)? in
                guard let id = d["device_id"]?.string else { return nil }  // a string or a number
                return (id, d["device_type"]?.string ?? "device")
            } ?? []
        return MFA(stateToken: token, devices: devices, callback: scope["callback_url"]?.string)
    }

    /// OneLogin's device types: Protect is a push; SMS, email and voice send a code when chosen;
    /// authenticator apps and tokens (Google Authenticator, Yubico, OneLogin OTP...) take one.
    static func kind(ofDevice type: String) -> MFAOption.Kind {
        let t = type.lowercased()
        if t.contains("protect") { return .push }
        if t.contains("sms") || t.contains("email") || t.contains("voice") || t.contains("call") { return .sentCode }
        return .code
    }

    static func assertion(_ body: JSONValue) -> String? {
        if case .string(let s)? = body["data"], !s.isEmpty { return s }
        return nil
    }

    static func message(_ body: JSONValue, _ status: Int) -> String {
        let text = body["message"]?.string ?? body["status"]?["message"]?.string ?? body["error"]?.string ?? "HTTP \(status)"
        return Validation.printable(text, limit: 160)
    }

    func verify(_ mfa: MFA, _ context: LoginContext, api: String, appID: String, auth: [(String, String)]) throws -> SAMLResponseForm {
        context.step = "choose MFA device"
        guard !mfa.devices.isEmpty else { throw context.failure("MFA is required but no device is enrolled") }
        let pick = try context.chooseFactor(mfa.devices.map { MFAOption(id: $0.id, label: $0.type, kind: Self.kind(ofDevice: $0.type)) })
        let device = mfa.devices[pick]
        let url = mfa.callback ?? api + "/api/2/saml_assertion/verify_factor"
        func call(_ extra: [String: JSONValue]) throws -> (Int, JSONValue) {
            var body: [String: JSONValue] = [
                "app_id": .string(appID), "device_id": .string(device.id),
                "state_token": .string(mfa.stateToken), "do_not_notify": false,
            ]
            body.merge(extra) { $1 }
            return try context.json(.json(url, body, headers: auth))
        }
        context.step = "MFA \(device.type)"
        let kind = Self.kind(ofDevice: device.type)
        if kind == .push {
            var (status, body) = try call([:])
            let started = context.clock.now
            context.prompter.notice("leapp: approve the OneLogin Protect notification on your phone")
            while status == 200, Self.assertion(body) == nil, Self.message(body, status).lowercased().contains("pending") {
                try context.waitForPoll(started: started)
                (status, body) = try call(["do_not_notify": true])
            }
            if status == 200, let saml = Self.assertion(body) { return SAMLResponseForm(samlResponse: saml, action: "", partition: nil) }
            throw context.failure("push not approved: \(Self.message(body, status))")
        }
        if kind == .sentCode {
            _ = try call([:])  // sends the code
        }
        let code = try context.requireCode("\(device.type) code")
        let (status, body) = try call(["otp_token": .string(code), "do_not_notify": true])
        if status == 200, let saml = Self.assertion(body) { return SAMLResponseForm(samlResponse: saml, action: "", partition: nil) }
        throw context.failure("code refused: \(Self.message(body, status))", hint: "check the code and try again")
    }
}

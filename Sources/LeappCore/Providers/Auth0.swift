/// Auth0 in both login experiences. New Universal Login: `/u/login/identifier?state=...`,
/// then `/u/login/password?state=...`, plain forms posting `state`, the typed fields and the
/// button's `action=default`; errors in `#error-element-<field>`. Classic (Lock): the page embeds its session info as
/// `window.atob('BASE64')` (client id, tenant, `state`, `_csrf`); the connections come
/// from the client's configuration script (`Auth0.setClient({...})`); the login is a JSON
/// POST to `/usernamepassword/login`, which answers with a form for `/login/callback`
/// that leads back to `/samlp/CLIENT_ID` and the SAMLResponse.
public struct Auth0: PageDrivenProvider {
    public init() {}

    static func embeddedConfig(_ page: String) -> JSONValue? {
        guard let start = page.firstRange(of: "atob('") else { return nil }
        let rest = page[start.upperBound...]
        guard let end = rest.firstIndex(of: "'"), let bytes = Base64.decode(String(rest[..<end])) else { return nil }
        return JSONValue.parse(bytes)
    }

    /// The JSON inside `Auth0.setClient(...)`.
    static func clientScript(_ text: String) -> JSONValue? {
        guard let start = text.firstRange(of: "Auth0.setClient("), let end = text.lastIndex(of: ")") else { return nil }
        return JSONValue.parse(Array(text[start.upperBound..<end].utf8))
    }

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if let json = JSONValue.parse(page.response.body), case .object = json {
            context.step = "login"
            let code = json["code"]?.string ?? json["error"]?.string ?? ""
            let description = Validation.printable(
                json["description"]?.string ?? json["message"]?.string ?? "HTTP \(page.status)", limit: 160)
            switch code {
            case "invalid_user_password": throw context.failure("login refused: \(description)", hint: "check the username and password")
            case "too_many_attempts":
                throw context.failure("the account is blocked: \(description)", hint: "unblock it from the email Auth0 sent")
            case "password_leaked": throw context.failure("Auth0 blocked a leaked password: \(description)", hint: "reset the password")
            default: throw context.failure("Auth0 refused the login (\(Validation.printable(code))): \(description)")
            }
        }
        if let path = WebURL(page.url)?.pathAndQuery, path.hasPrefix("/u/login") {
            return try universalLogin(page, context)
        }
        if page.url.contains("/mfa") || page.response.text.contains("guardian") {
            context.step = "MFA"
            throw context.needsBrowser("Auth0 asks for Guardian MFA, which needs a browser")
        }
        guard let config = Self.embeddedConfig(page.response.text) else {
            throw context.unexpectedPage(
                page,
                expected:
                    "the Universal Login pages or the Lock page's login configuration (is the SAML URL https://TENANT.auth0.com/samlp/CLIENT_ID?)"
            )
        }
        context.step = "login page"
        if context.submissions.has(.password) { throw Submissions.refused([.password], why: nil, in: context) }
        guard let clientID = config["clientID"]?.string, let origin = WebURL(page.url)?.origin else {
            throw context.failure("the login page has no client id")
        }
        let params = config["extraParams"] ?? .null
        let options = config["internalOptions"] ?? .null
        let state = params["state"]?.string ?? options["state"]?.string ?? ""
        let csrf = params["_csrf"]?.string ?? options["_csrf"]?.string ?? ""
        let tenant = config["auth0Tenant"]?.string ?? config["tenant"]?.string ?? ""

        context.step = "connections"
        let base = config["clientConfigurationBaseUrl"]?.string ?? "https://cdn.auth0.com/"
        let scriptURL = (base.hasSuffix("/") ? base : base + "/") + "client/\(clientID).js"
        let script = try context.http.send(HTTPRequest(url: scriptURL))
        let strategies = Self.clientScript(script.text)?["strategies"]?.array ?? []
        let database = strategies.first { $0["name"]?.string == "auth0" } ?? strategies.first
        guard let connection = config["connection"]?.string ?? database?["connections"]?[0]?["name"]?.string else {
            throw context.failure("no username/password connection is enabled for this client")
        }

        context.step = "login"
        let body: [String: JSONValue] = [
            "client_id": .string(clientID), "connection": .string(connection), "tenant": .string(tenant),
            "username": .string(try context.requireUsername()), "password": .string(try context.requirePassword()),
            "state": .string(state), "_csrf": .string(csrf), "protocol": "samlp", "sso": true,
            "redirect_uri": .string(config["callbackURL"]?.string ?? "https://signin.aws.amazon.com/saml"),
            "response_type": .string(params["response_type"]?.string ?? "code"),
            "_intstate": "deprecated", "popup_options": .object([:]),
        ]
        try context.submit([.username, .password], why: nil)
        return .json(origin + "/usernamepassword/login", body, headers: [("Auth0-Client", "eyJuYW1lIjoibGVhcHAifQ==")])
    }

    /// One page of New Universal Login: the identifier page, the password page, or both fields at once.
    func universalLogin(_ page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        guard var form = page.forms.first(where: { $0.has("state") }) else {
            throw context.failure(
                "unexpected Universal Login page without its form (HTTP \(page.status))", hint: "use --saml-response-file")
        }
        let wantsPassword = form.visibleInputs.contains { $0.type == "password" }
        let wantsUsername = form.visibleInputs.contains { $0.name == "username" }
        context.step = wantsPassword ? "password page" : "identifier page"
        try context.submit(wantsPassword ? [.password] : [.username], why: page.text(Self.universalErrorXPath))
        if wantsUsername { form.set("username", try context.requireUsername()) }
        if wantsPassword { form.set("password", try context.requirePassword()) }
        return form.request(from: page.url)
    }

    static let universalErrorXPath =
        "(//*[starts-with(@id,'error-element-')]|//*[contains(@class,'ulp-input-error-message')]|//*[@id='prompt-alert'])[normalize-space(.) != '']"
}

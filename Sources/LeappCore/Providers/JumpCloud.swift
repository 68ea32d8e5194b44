/// JumpCloud (`https://sso.jumpcloud.com/saml2/APP`), through the JSON API its user console
/// uses, since its login page is a single-page app: the XSRF token
/// (`/userconsole/xsrf`), then `/userconsole/auth` with the email and password (`context`
/// `sso`, `redirectTo` the app's path); a 401 "MFA required." lists the user's factors, a TOTP
/// code goes in the same call again (`otp`); the answer's `redirectTo` opens the SAMLResponse.
/// Duo, push and security keys run in JumpCloud's own pages: browser login. The console is
/// `https://console.jumpcloud.com` for the JumpCloud cloud, the IdP URL's own origin otherwise.
public struct JumpCloud: IdentityProvider {
    public init() {}

    public func login(_ context: LoginContext) throws -> SAMLResponseForm {
        guard let url = WebURL(context.idp.url) else { throw context.failure("the IdP URL is not a URL") }
        // A live JumpCloud session answers the SSO URL with the SAMLResponse at once.
        context.step = "open SAML URL"
        if let form = try samlForm(on: context.page(HTTPRequest(url: context.idp.url))) { return form }

        let console = url.host == "sso.jumpcloud.com" ? "https://console.jumpcloud.com" : url.origin
        context.step = "XSRF token"
        let (xsrfStatus, xsrf) = try context.json(
            HTTPRequest(url: console + "/userconsole/xsrf", headers: [("Accept", "application/json")]))
        guard xsrfStatus == 200, let token = xsrf["xsrf"]?.string, !token.isEmpty else {
            throw context.failure("JumpCloud gave no XSRF token (HTTP \(xsrfStatus))")
        }
        let path = String(url.pathAndQuery.drop { $0 == "/" })
        var body: [String: JSONValue] = [
            "context": "sso", "redirectTo": .string(path),
            "email": .string(try context.requireUsername()), "password": .string(try context.requirePassword()),
        ]
        func auth() throws -> (status: Int, body: JSONValue) {
            try context.json(
                .json(console + "/userconsole/auth", body, headers: [("X-Xsrftoken", token), ("Accept", "application/json")]))
        }
        context.step = "login"
        try context.submit([.username, .password], why: nil)
        var (status, answer) = try auth()
        if status == 401, answer["message"]?.string?.hasPrefix("MFA required") == true {
            let factors = (answer["factors"]?.array ?? []).filter { ($0["status"]?.string ?? "available") == "available" }
                .compactMap { $0["type"]?.string }
            let options = factors.map { type in
                MFAOption(id: type, label: Self.label(type), kind: type == "totp" ? .code : type == "push" ? .push : .other)
            }
            let chosen = options[try context.chooseFactor(options)]
            guard chosen.id == "totp" else {
                context.step = "MFA \(chosen.id)"
                throw context.needsBrowser("JumpCloud asks for \(chosen.label), which runs in its own pages")
            }
            context.step = "MFA totp"
            try context.submit([.code], why: nil)
            body["otp"] = .string(try context.requireCode("JumpCloud TOTP code"))
            (status, answer) = try auth()
            if status == 401 {
                throw Submissions.refused([.code], why: Self.message(answer), in: context)
            }
        } else if status == 401 {
            throw Submissions.refused([.username, .password], why: Self.message(answer), in: context)
        }
        guard status == 200, let next = answer["redirectTo"]?.string, !next.isEmpty else {
            throw context.failure("JumpCloud answered HTTP \(status): \(Self.message(answer) ?? "no redirect")")
        }
        context.step = "open the app"
        let page = try context.page(HTTPRequest(url: url.resolve(next)))
        guard let form = try samlForm(on: page) else {
            throw context.unexpectedPage(page, expected: "the SAMLResponse after the JumpCloud login")
        }
        return form
    }

    func samlForm(on page: IdPPage) throws -> SAMLResponseForm? {
        if case .response(let form) = try SAMLPage.classify(page.forms, pageURL: page.url) { return form }
        return nil
    }

    static func message(_ answer: JSONValue) -> String? { answer["message"]?.string.map { Validation.printable($0, limit: 160) } }

    static func label(_ type: String) -> String {
        switch type {
        case "totp": return "TOTP code (JumpCloud Protect or an authenticator app)"
        case "push": return "JumpCloud Protect push"
        case "duo": return "Duo"
        case "webauthn", "u2f": return "security key"
        default: return Validation.printable(type, limit: 40)
        }
    }
}

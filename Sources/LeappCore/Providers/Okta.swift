/// Okta through its classic authentication API: `/api/v1/authn` with password or a
/// resumed `stateToken`, the MFA factors (TOTP from Okta or Google, SMS, call, email, push
/// with number challenge), then `/login/sessionCookieRedirect` to the app's embed link,
/// which answers with the SAMLResponse. The Okta session cookie (`sid`) is kept in the
/// keyring with the rest of the jar: while it lives, a refresh is one GET.
public struct Okta: IdentityProvider {
    public init() {}

    public func login(_ context: LoginContext) throws -> SAMLResponseForm {
        guard let origin = WebURL(context.idp.url)?.origin else { throw context.failure("bad SAML URL") }
        context.step = "open app"
        let first = try context.page(HTTPRequest(url: context.idp.url))
        if case .response(let form) = try SAMLPage.classify(first.forms, pageURL: first.url) { return form }

        // A step-up page carries a stateToken to resume; otherwise a plain login.
        let body: [String: JSONValue]
        if let token = Self.stateToken(in: first.response.text) {
            context.step = "step-up"
            body = ["stateToken": .string(token)]
        } else {
            context.step = "password"
            body = [
                "username": .string(try context.requireUsername()), "password": .string(try context.requirePassword()),
                "options": .object(["warnBeforePasswordExpired": false, "multiOptionalFactorEnroll": false]),
            ]
        }
        var answer = try authn(context, HTTPRequest.json(origin + "/api/v1/authn", body), origin: origin)
        var started: Date?
        while true {
            let status = answer["status"]?.string ?? ""
            switch status {
            case "SUCCESS":
                guard let sessionToken = answer["sessionToken"]?.string else {
                    // A step-up that succeeds continues at the link Okta gives (/login/step-up/redirect).
                    guard let next = answer["_links"]?["next"]?["href"]?.string else {
                        throw context.failure("SUCCESS without a sessionToken or a link to continue")
                    }
                    context.step = "step-up redirect"
                    return try OktaApp().drive(from: context.page(HTTPRequest(url: WebURL(origin)?.resolve(next) ?? next)), context)
                }
                context.step = "session cookie"
                let redirect =
                    origin + "/login/sessionCookieRedirect?checkAccountSetupComplete=true&token="
                    + FormEncoding.escapeQuery(sessionToken) + "&redirectUrl=" + FormEncoding.escapeQuery(context.idp.url)
                return try OktaApp().drive(from: context.page(HTTPRequest(url: redirect)), context)
            case "MFA_REQUIRED":
                answer = try chooseAndVerify(answer, context, origin: origin)
            case "MFA_CHALLENGE":
                answer = try continueChallenge(answer, context, origin: origin, started: &started)
            case "LOCKED_OUT":
                throw context.failure("the account is locked out", hint: "unlock it at Okta or ask your administrator")
            case "PASSWORD_EXPIRED":
                throw context.failure("the password has expired", hint: "change it at Okta, then start again")
            case "MFA_ENROLL":
                throw context.failure("Okta wants an MFA factor enrolled first", hint: "enroll one in a browser, then start again")
            default:
                throw context.failure("unexpected authentication status '\(Validation.printable(status))'")
            }
        }
    }

    /// Sends an authn call and maps Okta's error documents.
    func authn(_ context: LoginContext, _ request: HTTPRequest, origin: String) throws -> JSONValue {
        let (status, body) = try context.json(request)
        if status < 300 { return body }
        let code = body["errorCode"]?.string ?? ""
        let summary = Validation.printable(body["errorSummary"]?.string ?? "HTTP \(status)", limit: 160)
        switch code {
        case "E0000004":
            if isIdentityEngineRefusal(context, origin: origin) {
                throw context.failure(
                    "this Okta org runs Identity Engine and refuses the classic authentication API",
                    hint:
                        "give leapp the org's OIDC native app for device login: `leapp idp-url edit \(context.idp.name) --oidc-client-id 0oa...` (README: Okta Identity Engine)"
                )
            }
            throw context.failure("login refused: \(summary)", hint: "check the username and password")
        case "E0000068", "E0000069":
            throw context.failure("code refused: \(summary)", hint: "check the code and try again")
        case "E0000011":
            throw context.failure("the login took too long and its state token expired", hint: "start again")
        default:
            throw context.failure("Okta answered HTTP \(status): \(summary)")
        }
    }

    /// `/.well-known/okta-organization` says `"pipeline": "idx"` for Identity Engine orgs.
    func isIdentityEngineRefusal(_ context: LoginContext, origin: String) -> Bool {
        OktaEngine.probe(origin: origin, send: context.http.send) == .identityEngine
    }

    static func label(_ factor: JSONValue) -> String {
        let type = factor["factorType"]?.string ?? "?"
        let provider = factor["provider"]?.string ?? ""
        let profile = factor["profile"]
        switch type {
        case "push": return "Okta Verify push" + (profile?["name"]?.string.map { " (\($0))" } ?? "")
        case "token:software:totp": return provider == "GOOGLE" ? "Google Authenticator code" : "Okta Verify code"
        case "sms": return "SMS code to " + (profile?["phoneNumber"]?.string ?? "phone")
        case "call": return "voice call to " + (profile?["phoneNumber"]?.string ?? "phone")
        case "email": return "email code to " + (profile?["email"]?.string ?? "email")
        case "token:hardware", "token": return "hardware token code"
        case "webauthn", "u2f": return "security key (not usable headlessly)"
        default: return "\(type) (\(provider))"
        }
    }

    func chooseAndVerify(_ answer: JSONValue, _ context: LoginContext, origin: String) throws -> JSONValue {
        context.step = "choose MFA factor"
        let factors = answer["_embedded"]?["factors"]?.array ?? []
        guard let stateToken = answer["stateToken"]?.string, !factors.isEmpty else {
            throw context.failure("MFA required but no factor offered")
        }
        let options = factors.map { f -> MFAOption in
            let type = f["factorType"]?.string ?? ""
            let kind: MFAOption.Kind
            switch type {
            case "token:software:totp", "token:hardware", "token": kind = .code
            case "sms", "call", "email": kind = .sentCode
            case "push": kind = .push
            default: kind = .other
            }
            return MFAOption(id: type + ":" + (f["provider"]?.string ?? "").lowercased(), label: Self.label(f), kind: kind)
        }
        let index = try context.chooseFactor(options)
        let factor = factors[index]
        let type = factor["factorType"]?.string ?? ""
        guard let verify = factor["_links"]?["verify"]?["href"]?.string else { throw context.failure("factor without a verify link") }
        context.step = "MFA \(type)"
        switch type {
        case "token:software:totp", "token:hardware", "token":
            let code = try context.requireCode(Self.label(factor))
            return try authn(context, .json(verify, ["stateToken": .string(stateToken), "passCode": .string(code)]), origin: origin)
        case "sms", "call", "email":
            // The first call sends the code; the second checks it.
            let sent = try authn(context, .json(verify, ["stateToken": .string(stateToken)]), origin: origin)
            let token = sent["stateToken"]?.string ?? stateToken
            let next = sent["_links"]?["next"]?["href"]?.string ?? verify
            let code = try context.requireCode(Self.label(factor))
            return try authn(context, .json(next, ["stateToken": .string(token), "passCode": .string(code)]), origin: origin)
        case "push":
            return try authn(context, .json(verify, ["stateToken": .string(stateToken)]), origin: origin)
        default:
            throw context.needsBrowser(
                "the \(Self.label(factor)) factor cannot be used headlessly", why: "choose another with --mfa-factor, or")
        }
    }

    func continueChallenge(_ answer: JSONValue, _ context: LoginContext, origin: String, started: inout Date?) throws -> JSONValue {
        context.step = "MFA push"
        let result = answer["factorResult"]?.string ?? ""
        switch result {
        case "REJECTED": throw context.failure("the push notification was rejected")
        case "TIMEOUT": throw context.failure("the push notification timed out", hint: "start again and approve it sooner")
        default: break
        }
        guard let next = answer["_links"]?["next"]?["href"]?.string, let token = answer["stateToken"]?.string else {
            throw context.failure("MFA challenge without a way to continue")
        }
        if started == nil {
            started = context.clock.now
            var note = "leapp: approve the Okta Verify push on your phone"
            context.waitingFor = "the Okta Verify push"
            if let number = answer["_embedded"]?["factor"]?["_embedded"]?["challenge"]?["correctAnswer"]?.string {
                note += "; tap \(number)"
                context.waitingFor = "the Okta Verify push (tap \(number))"
            }
            context.prompter.notice(note)
        }
        try context.waitForPoll(started: started!)
        return try authn(context, .json(next, ["stateToken": .string(token)]), origin: origin)
    }

    /// The stateToken of an Okta step-up page: `var stateToken = '...';` with \xHH escapes.
    static func stateToken(in page: String) -> String? {
        guard let start = page.firstRange(of: "stateToken = '") ?? page.firstRange(of: "stateToken='") else { return nil }
        let rest = page[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        var raw = Array(rest[..<end].utf8)[...]
        var out: [UInt8] = []
        while let b = raw.popFirst() {
            if b == UInt8(ascii: "\\"), raw.first == UInt8(ascii: "x"), raw.count >= 3,
                let v = UInt8(String(decoding: raw.dropFirst().prefix(2), as: UTF8.self), radix: 16)
            {
                out.append(v)
                raw = raw.dropFirst(3)
            } else {
                out.append(b)
            }
        }
        let token = String(decoding: out, as: UTF8.self)
        return token.isEmpty ? nil : token
    }
}

/// After the session cookie is set, the app link leads to the SAMLResponse; a login page
/// here means Okta did not accept the session.
struct OktaApp: PageDrivenProvider {
    func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        throw context.failure(
            "the app did not answer with a SAMLResponse after login (HTTP \(page.status))",
            hint: "check that the SAML URL is the app's embed link")
    }
}

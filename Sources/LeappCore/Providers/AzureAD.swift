/// Azure AD (Entra ID): the pages of login.microsoftonline.com, each carrying its state in
/// a `$Config={...}` JSON blob (`pgid`, `sFT` flow token, `sCtx`, `canary`, `urlPost`...):
/// sign-in (GetCredentialType, then the password post), MFA (BeginAuth, EndAuth polled at
/// the page's interval, ProcessAuth) with push number matching, "stay signed in?", the
/// proof-up skip, and federation to an ADFS form. The final "Working..." page holds the
/// SAMLResponse form. The ESTS cookies in the keyring make a refresh one pass of redirects.
public struct AzureAD: PageDrivenProvider {
    public init() {}

    static func config(in page: String) -> JSONValue? {
        guard let start = page.firstRange(of: "$Config=") else { return nil }
        // The blob is one JSON object: find its end by matching braces outside strings.
        var depth = 0
        var inString = false
        var escaped = false
        let bytes = Array(page.utf8[start.upperBound...])
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B: depth += 1
            case 0x7D:
                depth -= 1
                if depth == 0 { return JSONValue.parse(Array(bytes[0...i])) }
            default: break
            }
        }
        return nil
    }

    /// Codes a page carries as a normal state, not an error: 50058, "not signed in yet", is
    /// on the first sign-in page of every fresh login.
    static let stateCodes: Set<String> = ["50058"]

    static func errorText(_ code: String) -> (String, String?) {
        switch code {
        case "50126": return ("invalid username or password", "check them and try again")
        case "50053": return ("the account is locked (too many sign-in attempts)", "wait, or ask your administrator")
        case "50055": return ("the password has expired", "change it in a browser, then start again")
        case "50057": return ("the account is disabled", "ask your administrator")
        case "50034": return ("no such user in this directory", "check the username")
        case "50072", "50079": return ("Azure AD wants MFA registration first", "register in a browser, then start again")
        default: return ("Azure AD error AADSTS\(code)", nil)
        }
    }

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        let text = page.response.text
        guard let config = Self.config(in: text) else {
            // Federation: an ADFS (or other) login form with a password field.
            if let form = page.forms.first(where: { f in f.visibleInputs.contains { $0.type == "password" } }) {
                return try federatedLogin(form, page, context)
            }
            // (The documented SAML URL answers 200 with a script that sends the browser on: the
            // page driver follows that, for every provider: AutoNavigation.)
            throw context.unexpectedPage(
                page, expected: "a login.microsoftonline.com page with $Config, a federation login form, or a redirect")
        }
        let pgid = config["pgid"]?.string ?? ""
        let base = WebURL(page.url)
        func absolute(_ key: String) throws -> String {
            guard let value = config[key]?.string, !value.isEmpty else { throw context.failure("the page has no \(key)") }
            return base?.resolve(value) ?? value
        }
        let ctx = config["sCtx"]?.string ?? ""
        let flowToken = config["sFT"]?.string ?? ""
        let canary = config["canary"]?.string ?? ""
        if let code = config["sErrorCode"]?.string, !code.isEmpty, !Self.stateCodes.contains(code) {
            context.step = pgid.isEmpty ? "sign-in" : pgid
            let (what, hint) = Self.errorText(code)
            throw context.failure(context.submissions.has(.password) ? "login refused: \(what)" : what, hint: hint)
        }
        switch pgid {
        case "ConvergedSignIn":
            context.step = "sign-in"
            if context.submissions.has(.password) { throw Submissions.refused([.password], why: nil, in: context) }
            let username = try context.requireUsername()
            let (status, answer) = try context.json(
                .json(
                    try absolute("urlGetCredentialType"),
                    [
                        "username": .string(username), "isOtherIdpSupported": true, "checkPhones": false,
                        "isRemoteNGCSupported": true, "isCookieBannerShown": false, "isFidoSupported": false,
                        "originalRequest": .string(ctx), "flowToken": .string(flowToken),
                    ], headers: [("canary", config["apiCanary"]?.string ?? "")]))
            guard status == 200 else { throw context.failure("GetCredentialType answered HTTP \(status)") }
            if answer["IfExistsResult"]?.int == 1 { throw context.failure("no such user in this directory", hint: "check the username") }
            if let federation = answer["Credentials"]?["FederationRedirectUrl"]?.string, !federation.isEmpty {
                context.step = "federation redirect"
                return HTTPRequest(url: base?.resolve(federation) ?? federation)
            }
            try context.submit([.username, .password], why: nil)
            return .form(
                try absolute("urlPost"),
                [
                    ("i13", "0"), ("login", username), ("loginfmt", username), ("type", "11"), ("LoginOptions", "3"),
                    ("passwd", try context.requirePassword()), ("ps", "2"), ("canary", canary), ("ctx", ctx),
                    ("flowToken", answer["FlowToken"]?.string ?? flowToken), ("hpgrequestid", config["sessionId"]?.string ?? ""),
                ])
        case "ConvergedTFA":
            return try mfa(config, page, context, absolute: absolute)
        case "KmsiInterrupt":
            context.step = "stay signed in"
            return .form(
                try absolute("urlPost"),
                [
                    ("LoginOptions", "1"), ("type", "28"), ("ctx", ctx),
                    ("flowToken", flowToken), ("canary", canary), ("i19", "1000"),
                ])
        case "ConvergedProofUpRedirect":
            context.step = "proof-up"
            guard let skip = config["urlSkipMfaRegistration"]?.string, !skip.isEmpty else {
                throw context.failure(
                    "Azure AD wants more security information registered", hint: "register in a browser, then start again")
            }
            return HTTPRequest(url: base?.resolve(skip) ?? skip)
        default:
            throw context.unexpectedPage(page, expected: "a sign-in, MFA or \"stay signed in\" page, not '\(Validation.printable(pgid))'")
        }
    }

    func federatedLogin(_ form: HTMLForm, _ page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        context.step = "federated sign-in"
        if context.submissions.has(.password) {
            let why = page.text("//*[@id='errorText']") ?? page.text("//*[@id='error']")
            throw context.failure(
                "login refused at the federation server: \(why ?? "its login form came back")", hint: "check the username and password")
        }
        var form = form
        if let user = form.visibleInputs.first(where: { $0.type != "password" }) { form.set(user.name, try context.requireUsername()) }
        for input in form.visibleInputs where input.type == "password" { form.set(input.name, try context.requirePassword()) }
        try context.submit([.password], why: nil)
        return form.request(from: page.url)
    }

    func mfa(_ config: JSONValue, _ page: IdPPage, _ context: LoginContext, absolute: (String) throws -> String) throws -> HTTPRequest {
        context.step = "MFA"
        let proofs = config["arrUserProofs"]?.array ?? []
        guard !proofs.isEmpty else { throw context.failure("MFA required but no method offered") }
        let labels: [String: String] = [
            "PhoneAppNotification": "Authenticator app notification", "PhoneAppOTP": "Authenticator app code",
            "OneWaySMS": "SMS code", "TwoWayVoiceMobile": "phone call", "SoftwareTokenOTP": "software token code",
        ]
        let options = proofs.map { p -> (id: String, label: String) in
            let id = p["authMethodId"]?.string ?? "?"
            let display = p["display"]?.string.map { " (\($0))" } ?? ""
            return (id, (labels[id] ?? id) + (id == "PhoneAppOTP" ? "" : display))
        }
        let kinds: [String: MFAOption.Kind] = [
            "PhoneAppOTP": .code, "SoftwareTokenOTP": .code, "OneWaySMS": .sentCode, "TwoWayVoiceMobile": .sentCode,
            "PhoneAppNotification": .push,
        ]
        let index = try context.chooseFactor(
            zip(options, proofs).map { option, proof in
                MFAOption(id: option.id, label: option.label, kind: kinds[option.id] ?? .other, isDefault: proof["isDefault"]?.bool == true)
            })
        let method = options[index].id
        context.step = "MFA \(method)"
        var flowToken = config["sFT"]?.string ?? ""
        var ctx = config["sCtx"]?.string ?? ""
        let (beginStatus, begin) = try context.json(
            .json(
                try absolute("urlBeginAuth"),
                [
                    "AuthMethodId": .string(method), "Method": "BeginAuth", "ctx": .string(ctx), "flowToken": .string(flowToken),
                ]))
        guard beginStatus == 200, begin["Success"]?.bool == true else {
            throw context.failure(
                "BeginAuth failed: \(Validation.printable(begin["Message"]?.string ?? begin["ResultValue"]?.string ?? "HTTP \(beginStatus)"))"
            )
        }
        flowToken = begin["FlowToken"]?.string ?? flowToken
        ctx = begin["Ctx"]?.string ?? ctx
        let session = begin["SessionId"]?.string ?? ""
        var code: String?
        if method == "PhoneAppNotification" {
            var note = "leapp: approve the sign-in in Microsoft Authenticator"
            if let entropy = begin["Entropy"]?.int, entropy > 0 { note += "; enter \(entropy)" }
            context.prompter.notice(note)
        } else if method == "TwoWayVoiceMobile" {
            context.prompter.notice(
                "leapp: answer the phone call\(proofs[index]["display"]?.string.map { " to \($0)" } ?? "") and press # to approve")
        } else {
            code = try context.requireCode(options[index].label)
        }
        // `oPerAuthPollingInterval` maps a method to seconds (`{"PhoneAppNotification": 1.0}`);
        // `iPollingInterval` is milliseconds. (The poll itself is bounded: LoginContext.)
        if !context.pollIntervalFixed {
            if let seconds = config["oPerAuthPollingInterval"]?[method]?.number, seconds > 0 {
                context.pollInterval = seconds
            } else if let ms = config["iPollingInterval"]?.number, ms > 0 {
                context.pollInterval = ms / 1000
            }
        }
        let started = context.clock.now
        var poll = 0
        while true {
            poll += 1
            var body: [String: JSONValue] = [
                "Method": "EndAuth", "SessionId": .string(session), "FlowToken": .string(flowToken),
                "Ctx": .string(ctx), "AuthMethodId": .string(method), "PollCount": .number(Double(poll)),
            ]
            if let code { body["AdditionalAuthData"] = .string(code) }
            let (status, end) = try context.json(.json(try absolute("urlEndAuth"), body))
            flowToken = end["FlowToken"]?.string ?? flowToken
            ctx = end["Ctx"]?.string ?? ctx
            if status == 200, end["Success"]?.bool == true { break }
            let result = end["ResultValue"]?.string ?? "HTTP \(status)"
            if end["Retry"]?.bool == true && code == nil {
                try context.waitForPoll(started: started)
                continue
            }
            switch result {
            case "PhoneAppDenied": throw context.failure("the sign-in was denied in the Authenticator app")
            case "PhoneAppNoResponse":
                throw context.failure("no answer in the Authenticator app", hint: "start again and approve it sooner")
            case "OathCodeIncorrect", "SMSAuthFailedWrongCodeEntered", "InvalidOathCode":
                throw context.failure("code refused (\(result))", hint: "check the code and try again")
            default: throw context.failure("MFA failed: \(Validation.printable(result))")
            }
        }
        return .form(
            try absolute("urlPost"),
            [
                ("type", code == nil ? "22" : "19"), ("request", ctx), ("mfaAuthMethod", method),
                ("canary", config["canary"]?.string ?? ""),
                ("otc", code ?? ""), ("login", context.username ?? ""), ("flowToken", flowToken),
                ("hpgrequestid", config["sessionId"]?.string ?? ""), ("sacxt", ""), ("hideSmsInMfaProofs", "false"), ("i19", "3000"),
            ])
    }
}

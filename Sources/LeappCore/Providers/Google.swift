/// Google Workspace's SAML IdP through its form login: the email page, the password page,
/// and the 2-Step Verification pages told apart by their action path: `challenge/totp`
/// (authenticator code), `challenge/ipp` (SMS code), `challenge/az` and `challenge/dp`
/// (phone prompt, polled, with the number to pick), `challenge/sk` (security key: refused).
/// Captcha pages are refused with what to do. Errors name the step, since Google changes
/// these pages often.
public final class Google: PageDrivenProvider {
    /// This login's state: when the phone prompt was first shown, whether an email code was sent.
    var promptStarted: Date?
    /// The "send a text message" page was posted (Google then serves the page with the code field).
    var smsRequested = false

    public init() {}

    /// "Choose how you want to sign in" (`/v3/signin/challenge/selection`, older
    /// `/signin/selectchallenge`): one form per method, marked `data-challengeentry` or
    /// `data-challengetype`, its action naming the method. Chosen by the kit's one MFA policy
    /// (`--mfa-factor`, a menu, a code's method with `--mfa-code`, else the phone prompt), then
    /// that method's page is answered as usual. A chooser that runs in script only (entries
    /// without forms) or a security key goes to browser login.
    func chooseMethod(_ page: IdPPage, _ context: LoginContext) throws -> HTTPRequest? {
        let entries = page.forms.filter {
            ($0.attributes["data-challengeentry"] != nil || $0.attributes["data-challengetype"] != nil) && $0.visibleInputs.isEmpty
        }
        let onChooser = page.url.contains("/challenge/selection") || page.url.contains("/selectchallenge")
        // One form alone is a method's own page (the phone prompt's has no field either).
        guard entries.count > 1 || onChooser else { return nil }
        context.step = "2-Step Verification (choose a method)"
        guard !entries.isEmpty else {
            throw context.needsBrowser("Google asks to choose a 2-Step Verification method on a page that works only with scripts")
        }
        let options = entries.map { form in
            let (label, kind) = Self.method(of: form.action)
            let id = form.attributes["data-challengeentry"] ?? form.attributes["data-challengetype"] ?? form.action
            return MFAOption(
                id: id, label: form.text.isEmpty ? label : "\(label) (\(Validation.printable(form.text, limit: 60)))", kind: kind)
        }
        let chosen = entries[try context.chooseFactor(options)]
        if chosen.action.contains("/challenge/sk") {
            throw context.needsBrowser("Google asks for a security key, which cannot be used headlessly")
        }
        var form = chosen
        if page.forms.contains(where: { $0.has("TrustDevice") }) { form.set("TrustDevice", "on") }
        return form.request(from: page.url)
    }

    /// A method's name and kind from its challenge path.
    static func method(of action: String) -> (String, MFAOption.Kind) {
        if action.contains("/challenge/totp") { return ("Google Authenticator code", .code) }
        if action.contains("/challenge/ipp") { return ("SMS code", .sentCode) }
        if action.contains("/challenge/iap") { return ("SMS code to another phone", .sentCode) }
        if action.contains("/challenge/az") || action.contains("/challenge/dp") { return ("phone prompt", .push) }
        if action.contains("/challenge/bc") { return ("backup code", .code) }
        if action.contains("/challenge/sk") { return ("security key", .other) }
        return ("another method", .other)
    }

    /// The older pages' `.error-msg`, and the current pages' assertive live regions.
    static let errorXPath =
        "(//*[contains(concat(' ', normalize-space(@class), ' '), ' error-msg ')]|//*[@aria-live='assertive'])[normalize-space(.) != '']"
    /// The number to pick on the phone: `jsname="feLNVc"` (a `<samp>` in some versions, a `<div>`
    /// in others), `jsname="EKvSSd"` before it, or older ids.
    static let numberXPath = "//*[@jsname='feLNVc']|//*[@jsname='EKvSSd']|//*[@id='numberToPick']|//*[@data-number-to-pick]"

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if (try? page.document.first("//*[@id='captchaimg']|//input[@name='logincaptcha']|//input[@name='ca']")) != nil {
            context.step = "captcha"
            throw context.needsBrowser("Google asks for a captcha, which only a person in a browser can answer")
        }
        if let chooser = try chooseMethod(page, context) { return chooser }
        guard
            var form = page.forms.first(where: { $0.id == "gaia_loginform" || $0.id == "challenge" || $0.action.contains("/challenge/") })
                ?? page.forms.first(where: { $0.has("Email") || $0.has("identifier") || $0.has("Passwd") || $0.has("Pin") })
        else {
            if let error = page.text(Self.errorXPath) { throw context.failure(error) }
            throw context.unexpectedPage(page, expected: "a sign-in form (identifier, password or 2-Step Verification)")
        }
        let action = form.action
        if action.contains("/challenge/sk") || form.has("securityKeyResponse") {
            context.step = "2-Step Verification (security key)"
            throw context.needsBrowser("Google asks for a security key, which cannot be used headlessly")
        }
        if action.contains("/challenge/totp") || action.contains("/challenge/ipp") || action.contains("/challenge/bc") {
            let what =
                action.contains("totp") ? "Google Authenticator code" : action.contains("/challenge/bc") ? "backup code" : "SMS code"
            context.step = "2-Step Verification (\(what))"
            let codeField = form.visibleInputs.first { $0.name == "Pin" || $0.name == "pin" || $0.name == "backupCode" }?.name
            if codeField == nil, action.contains("/challenge/ipp") {
                // "Send a text message": the button (SendMethod=SMS) and no code field yet. Post it
                // as it is; the next page asks for the code the text message brings.
                context.step = "2-Step Verification (send the SMS)"
                if smsRequested {
                    throw context.failure("the SMS was not sent: \(page.text(Self.errorXPath) ?? "the send page came back")")
                }
                smsRequested = true
                return form.request(from: page.url)
            }
            try context.submit([.code], why: page.text(Self.errorXPath))
            form.set(codeField ?? "Pin", try context.requireCode(what))
            form.set("TrustDevice", "on")
            return form.request(from: page.url)
        }
        if action.contains("/challenge/az") || action.contains("/challenge/dp") {
            context.step = "2-Step Verification (phone prompt)"
            if let error = page.text(Self.errorXPath) { throw context.failure("phone prompt failed: \(error)") }
            if promptStarted == nil {
                promptStarted = context.clock.now
                var note = "leapp: tap Yes on the Google prompt on your phone"
                if let number = page.text(Self.numberXPath) { note += "; pick \(number)" }
                context.prompter.notice(note)
            }
            // The page names a transaction: Google's own await call answers once the person
            // taps Yes, with the token the form then carries.
            if let txID = try page.document.first("//*[@data-tx-id]")?["data-tx-id"],
                let key = try page.document.first("//*[@data-api-key]")?["data-api-key"]
            {
                form.set("token", try awaitPrompt(txID: txID, key: key, context))
                form.set("TrustDevice", "on")
                return form.request(from: page.url)
            }
            try context.waitForPoll(started: promptStarted!)
            return form.request(from: page.url)
        }
        if form.visibleInputs.contains(where: { $0.name == "Passwd" && $0.type == "password" }) {
            context.step = "password"
            try context.submit([.password], why: page.text(Self.errorXPath))
            if form.visibleInputs.contains(where: { $0.name == "Email" }) { form.set("Email", try context.requireUsername()) }
            form.set("Passwd", try context.requirePassword())
            return form.request(from: page.url)
        }
        if form.visibleInputs.contains(where: { $0.name == "Email" || $0.name == "identifier" }) {
            context.step = "email"
            try context.submit([.username], why: page.text(Self.errorXPath))
            let name = form.visibleInputs.first { $0.name == "Email" || $0.name == "identifier" }!.name
            form.set(name, try context.requireUsername())
            return form.request(from: page.url)
        }
        throw context.unexpectedPage(
            page, expected: "a known sign-in or 2-Step Verification form, not one posting to \(Validation.printable(action, limit: 80))")
    }

    /// Google's await call for a phone prompt: HTTP 500 while nobody has answered yet.
    func awaitPrompt(txID: String, key: String, _ context: LoginContext) throws -> String {
        let base = context.settings.googleAwaitURL ?? "https://content.googleapis.com/cryptauth/v1/authzen/awaittx"
        let url = base + "?alt=json&key=" + FormEncoding.escapeQuery(key)
        while true {
            let (status, body) = try context.json(.json(url, ["txId": .string(txID)]))
            if status == 200, let token = body["txToken"]?.string, !token.isEmpty { return token }
            guard status >= 500 else {
                throw context.failure("the phone prompt was not approved (HTTP \(status))", hint: "start again and tap Yes on the phone")
            }
            try context.waitForPoll(started: promptStarted ?? context.clock.now)
        }
    }
}

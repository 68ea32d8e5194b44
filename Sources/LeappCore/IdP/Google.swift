/// Google Workspace's SAML IdP through its form login: the email page, the password page,
/// and the 2-Step Verification pages told apart by their action path: `challenge/totp`
/// (authenticator code), `challenge/ipp` (SMS code), `challenge/az` and `challenge/dp`
/// (phone prompt, polled, with the number to pick), `challenge/sk` (security key: refused).
/// Captcha pages are refused with what to do. Errors name the step, since Google changes
/// these pages often.
public final class Google: PageDrivenProvider {
    /// This login's state: when the phone prompt was first shown, whether an email code was sent.
    var promptStarted: Date?
    var emailSent = false

    public init() {}

    static let errorXPath = "//*[contains(concat(' ', normalize-space(@class), ' '), ' error-msg ')][normalize-space(.) != '']"

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if (try? page.document.first("//*[@id='captchaimg']|//input[@name='logincaptcha']|//input[@name='ca']")) != nil {
            context.step = "captcha"
            throw context.failure(
                "Google asks for a captcha, which leapp cannot answer",
                hint: "sign in once in a browser from this network, or use --saml-response-file")
        }
        guard
            var form = page.forms.first(where: { $0.id == "gaia_loginform" || $0.id == "challenge" || $0.action.contains("/challenge/") })
                ?? page.forms.first(where: { $0.has("Email") || $0.has("Passwd") || $0.has("Pin") })
        else {
            let error = page.text(Self.errorXPath)
            throw context.failure(
                error ?? "unexpected page (HTTP \(page.status)) with no sign-in form",
                hint: "Google may have changed its pages; use --saml-response-file meanwhile")
        }
        let action = form.action
        if action.contains("/challenge/sk") || form.has("securityKeyResponse") {
            context.step = "2-Step Verification (security key)"
            throw context.failure(
                "Google asks for a security key, which cannot be used headlessly",
                hint: "choose another 2-Step method with --mfa-factor, or use --saml-response-file")
        }
        if action.contains("/challenge/totp") || action.contains("/challenge/ipp") {
            context.step = action.contains("totp") ? "2-Step Verification (authenticator code)" : "2-Step Verification (SMS code)"
            if context.codeSent {
                throw context.failure(
                    "code refused: \(page.text(Self.errorXPath) ?? "the code page came back")", hint: "check the code and try again")
            }
            form.set("Pin", try context.requireCode(action.contains("totp") ? "Google Authenticator code" : "SMS code"))
            form.set("TrustDevice", "on")
            context.codeSent = true
            return form.request(from: page.url)
        }
        if action.contains("/challenge/az") || action.contains("/challenge/dp") {
            context.step = "2-Step Verification (phone prompt)"
            if let error = page.text(Self.errorXPath) { throw context.failure("phone prompt failed: \(error)") }
            if let started = promptStarted {
                try context.waitForPoll(started: started)
            } else {
                promptStarted = context.clock.now
                var note = "leapp: tap Yes on the Google prompt on your phone"
                if let number = page.text("//*[@id='numberToPick']|//*[@data-number-to-pick]") { note += "; pick \(number)" }
                context.prompter.notice(note)
            }
            return form.request(from: page.url)
        }
        if form.visibleInputs.contains(where: { $0.name == "Passwd" && $0.type == "password" }) {
            context.step = "password"
            if context.passwordSent {
                throw context.failure(
                    "login refused: \(page.text(Self.errorXPath) ?? "the password page came back")",
                    hint: "check the password")
            }
            if form.visibleInputs.contains(where: { $0.name == "Email" }) { form.set("Email", try context.requireUsername()) }
            form.set("Passwd", try context.requirePassword())
            context.passwordSent = true
            return form.request(from: page.url)
        }
        if form.visibleInputs.contains(where: { $0.name == "Email" || $0.name == "identifier" }) {
            context.step = "email"
            if emailSent {
                throw context.failure(page.text(Self.errorXPath) ?? "the email page came back", hint: "check the username")
            }
            emailSent = true
            let name = form.visibleInputs.first { $0.name == "Email" || $0.name == "identifier" }!.name
            form.set(name, try context.requireUsername())
            return form.request(from: page.url)
        }
        throw context.failure("unexpected form at \(Validation.printable(action))", hint: "use --saml-response-file meanwhile")
    }
}

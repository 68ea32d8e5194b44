/// Keycloak's browser login, driven headlessly: the login form (`form#kc-form-login`),
/// the OTP form (`form#kc-otp-login-form`, one or several authenticators), the 401
/// Kerberos page, and the WebAuthn page (refused: it needs a security key).
public final class Keycloak: PageDrivenProvider {
    /// This login's state: the "username first" flow sent the username already.
    var usernameSent = false

    public init() {}

    static let errorXPath =
        "//*[starts-with(@id,'input-error')]|//*[contains(@class,'alert-error')]//*[contains(@class,'kc-feedback-text')]|//*[@id='kc-error-message']"

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if page.form(id: "webauth") != nil {
            context.step = "WebAuthn"
            throw context.failure(
                "the realm asks for a security key (WebAuthn), which cannot be used headlessly",
                hint: "ask for an OTP authenticator, or use the generic provider with --saml-response-file")
        }
        if var form = page.form(id: "kc-form-login") {
            // One form with both fields, or (the "username first" flow) a username form
            // followed by a password form.
            context.step = "login form"
            let wantsPassword = form.visibleInputs.contains { $0.type == "password" }
            let wantsUsername = form.visibleInputs.contains { $0.name == "username" }
            if wantsPassword ? context.passwordSent : usernameSent {
                let why = page.text(Self.errorXPath) ?? "the login form came back"
                throw context.failure("login refused: \(why)", hint: "check the username and password")
            }
            if wantsUsername {
                form.set("username", try context.requireUsername())
                usernameSent = true
            }
            if wantsPassword {
                form.set("password", try context.requirePassword())
                context.passwordSent = true
            }
            form.set("credentialId", form.value("credentialId") ?? "")
            return form.request(from: page.url)
        }
        if var form = page.form(id: "kc-otp-login-form") {
            context.step = "OTP form"
            if context.codeSent {
                let why = page.text(Self.errorXPath) ?? "the OTP form came back"
                throw context.failure("one-time code refused: \(why)", hint: "check the authenticator's clock and try a fresh code")
            }
            let choices = try page.document.select("//form[@id='kc-otp-login-form']//input[@name='selectedCredentialId'][@type='radio']")
            if choices.count > 1 {
                let options = try choices.map { input -> MFAOption in
                    let id = input["value"] ?? ""
                    let label = try input["id"].flatMap { try page.document.first("//label[@for='\($0)']") }?.text.trimmed
                    return MFAOption(id: id, label: label.map { Validation.printable($0) } ?? id, kind: .code)
                }
                let pick = try context.chooseFactor(options)
                form.set("selectedCredentialId", options[pick].id)
            }
            form.set("otp", try context.requireCode("One-time code"))
            context.codeSent = true
            return form.request(from: page.url)
        }
        if page.status == 401, let form = page.forms.first {
            context.step = "Kerberos fallback"
            return form.request(from: page.url)
        }
        if let error = page.text(Self.errorXPath) {
            throw context.failure(error)
        }
        throw context.failure(
            "unexpected page (HTTP \(page.status) at \(WebURL(page.url)?.pathAndQuery.split(separator: "?").first.map(String.init) ?? "?"))",
            hint: "check the SAML URL; run with --verbose to see the steps")
    }
}

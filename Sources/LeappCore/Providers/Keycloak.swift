/// Keycloak's browser login, driven headlessly: the login form (`form#kc-form-login`),
/// the OTP form (`form#kc-otp-login-form`, one or several authenticators), the 401
/// Kerberos page, and the WebAuthn page (refused: it needs a security key).
public final class Keycloak: PageDrivenProvider {
    /// This login's state: the "username first" flow sent the username already.

    public init() {}

    /// keycloak.v2 renders an empty `input-error` container before the field's own
    /// `input-error-<field>`: only elements with text count.
    /// Themes that mark the message by class only (`kc-feedback-text`, an alert's title) are read
    /// too, whatever the language.
    static let errorXPath =
        "(//*[starts-with(@id,'input-error')]|//*[contains(@class,'alert-error')]//*[contains(@class,'kc-feedback-text')]|//*[@id='kc-error-message']|//*[contains(@class,'kc-feedback-text')]|//*[contains(@class,'pf-m-danger')]//*[contains(@class,'alert__title')])[normalize-space(.) != '']"

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if page.form(id: "webauth") != nil {
            context.step = "WebAuthn"
            throw context.needsBrowser("the realm asks for a security key (WebAuthn), which cannot be used headlessly")
        }
        if var form = page.form(id: "kc-form-login") ?? Self.loginFormByFields(page) {
            // One form with both fields, or (the "username first" flow) a username form
            // followed by a password form.
            context.step = "login form"
            let wantsPassword = form.visibleInputs.contains { $0.type == "password" }
            let wantsUsername = form.visibleInputs.contains { $0.name == "username" }
            try context.submit(wantsPassword ? [.password] : [.username], why: page.text(Self.errorXPath))
            if wantsUsername { form.set("username", try context.requireUsername()) }
            if wantsPassword { form.set("password", try context.requirePassword()) }
            form.set("credentialId", form.value("credentialId") ?? "")
            return form.request(from: page.url)
        }
        // The OTP form: `kc-otp-login-form`/`otp` today, `kc-totp-login-form`/`totp` in 3.x-era themes.
        if let (formID, field) = [("kc-otp-login-form", "otp"), ("kc-totp-login-form", "totp")].first(where: { page.form(id: $0.0) != nil }
        ),
            var form = page.form(id: formID)
        {
            context.step = "OTP form"
            try context.submit([.code], why: page.text(Self.errorXPath))
            let options = try Self.authenticators(in: page, formID: formID)
            if options.count > 1 {
                let pick = try context.chooseFactor(options)
                form.set("selectedCredentialId", options[pick].id)
            }
            form.set(field, try context.requireCode("One-time code"))
            return form.request(from: page.url)
        }
        if page.status == 401, let form = page.forms.first {
            context.step = "Kerberos fallback"
            return form.request(from: page.url)
        }
        if let error = page.text(Self.errorXPath) {
            throw context.failure(error)
        }
        throw context.unexpectedPage(page, expected: "the login form, an OTP form, or the Kerberos page")
    }

    /// A theme that renames the login form still has one with a password input and a
    /// username input (or, in the username-first flow, a username input alone).
    static func loginFormByFields(_ page: IdPPage) -> HTMLForm? {
        page.forms.first { f in
            f.visibleInputs.contains { $0.type == "password" } || f.visibleInputs.contains { $0.name == "username" }
        }
    }

    /// The OTP authenticators offered: radio inputs named `selectedCredentialId` with their
    /// labels, or (themes with clickable entries) unnamed hidden inputs holding the credential
    /// ids next to their headings, with one hidden `selectedCredentialId` the page's script fills.
    /// The credential id in `toggleOTP(N, 'ID')`: its last quoted argument.
    static func toggledCredential(_ onclick: String) -> String? {
        guard let open = onclick.firstRange(of: "toggleOTP(") else { return nil }
        var quoted: [String] = []
        var current = ""
        var quote: Character?
        for c in onclick[open.upperBound...] {
            if let q = quote {
                if c == q {
                    quoted.append(current)
                    quote = nil
                    current = ""
                } else {
                    current.append(c)
                }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == ")" {
                break
            }
        }
        return quoted.last.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func authenticators(in page: IdPPage, formID: String) throws -> [MFAOption] {
        let doc = page.document
        let radios = try doc.select("//form[@id='\(formID)']//input[@name='selectedCredentialId'][@type='radio']")
        if !radios.isEmpty {
            return try radios.map { input in
                let id = input["value"] ?? ""
                let label = try input["id"].flatMap { try doc.first("//label[@for='\($0)']") }?.text.trimmed
                return MFAOption(
                    id: id, label: label.map { Validation.printable($0) } ?? id, kind: .code, isDefault: input["checked"] != nil)
            }
        }
        let current = try doc.first("//input[@name='selectedCredentialId']")?["value"]
        // keycloak.v2 login-otp.ftl: tiles `div#kc-otp-credential-N` whose onclick is
        // `toggleOTP(N, 'ID')`, the label in the tile's title (`pf-c-tile__title`, pf-v5 too).
        let tiles = try doc.select("//*[starts-with(@id,'kc-otp-credential-')][contains(@onclick,'toggleOTP')]")
        if !tiles.isEmpty {
            return try tiles.compactMap { tile in
                guard let id = Self.toggledCredential(tile["onclick"] ?? "") else { return nil }
                let label = try doc.first(".//*[contains(@class,'tile__title') or contains(@class,'OTPListItemTitle')]", in: tile)?
                    .text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                return MFAOption(
                    id: id, label: label.flatMap { $0.isEmpty ? nil : Validation.printable($0) } ?? id, kind: .code,
                    isDefault: id == current)
            }
        }
        let entries = try doc.select("//input[@type='hidden'][not(@name)][@value != '']")
        return try entries.map { input in
            let id = input["value"] ?? ""
            let label = try doc.first(
                "//input[@type='hidden'][not(@name)][@value='\(id)']/following-sibling::*[normalize-space(.) != ''][1]")?
                .text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return MFAOption(id: id, label: label.map { Validation.printable($0) } ?? id, kind: .code, isDefault: id == current)
        }
    }
}

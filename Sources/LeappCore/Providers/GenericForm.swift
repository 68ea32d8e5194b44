/// Any IdP whose login is one HTML form with a password field, or none at all
/// (a cookie-only GET answers with the SAMLResponse).
public struct GenericForm: PageDrivenProvider {
    public init() {}

    /// An element marked as an error or alert (by class, id or role), and a heading inside one.
    static let errorXPath =
        "(//*[contains(@class,'error') or contains(@class,'alert') or contains(@id,'error') or @role='alert'][not(self::input)][normalize-space(.) != ''])[1]"
    /// The text next to an error mark such as an icon (SimpleSAMLphp: an `erroricon` image, a
    /// heading "Error", then the message).
    static let afterErrorMarkXPath =
        "(//*[contains(@class,'error')][normalize-space(.) = '']/following-sibling::*[normalize-space(.) != '' and normalize-space(.) != 'Error'])[1]"
    static let errorHeadingXPath =
        "(//*[contains(@class,'error') or contains(@class,'alert') or @role='alert']//*[self::h1 or self::h2 or self::h3 or self::h4][normalize-space(.) != ''])[1]"

    /// Names a one-time code field goes by (a text or password input): RSA's and ADFS's
    /// `Passcode`, Azure MFA adapter's `VerificationCode`, `otp`, `totp`, `mfatoken`, `code`...
    static let codeNames = ["passcode", "otp", "totp", "mfatoken", "mfacode", "verificationcode", "code", "token", "pin"]

    /// A second-factor form: one visible field, named like a one-time code (never like a
    /// password), or the one field of an ADFS `AuthMethod` form.
    static func codeField(of form: HTMLForm) -> String? {
        guard form.visibleInputs.count == 1, let only = form.visibleInputs.first else { return nil }
        let name = only.name.lowercased()
        let id = (only.id ?? "").lowercased()
        if name.contains("passw") || name == "passwd" || name.contains("user") || name.contains("email") { return nil }
        if codeNames.contains(where: { name.contains($0) || id.contains($0) }) || form.has("AuthMethod") { return only.name }
        return nil
    }

    /// The IdP's own message on a page that came back: a heading in an error box, the text
    /// after an error mark, or the error element itself.
    static func message(on page: IdPPage) -> String? {
        page.text(errorHeadingXPath) ?? page.text(afterErrorMarkXPath) ?? page.text(errorXPath)
    }

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if var form = page.forms.first(where: { Self.codeField(of: $0) != nil }), let field = Self.codeField(of: form) {
            context.step = "one-time code"
            try context.submit([.code], why: Self.message(on: page))
            form.set(field, try context.requireCode("One-time code"))
            return form.request(from: page.url)
        }
        guard var form = page.forms.first(where: { f in f.visibleInputs.contains { $0.type == "password" } }) else {
            throw context.unexpectedPage(
                page,
                expected: "a SAMLResponse or a login form with a password field (the page has neither a SAMLResponse nor a login form)")
        }
        context.step = "login form"
        // Many IdPs answer a wrong password with HTTP 200 and the form again: their message is quoted.
        try context.submit([.username, .password], why: Self.message(on: page))
        if let user = form.visibleInputs.first(where: { $0.type != "password" }) {
            form.set(user.name, try context.requireUsername())
        }
        for input in form.visibleInputs where input.type == "password" {
            form.set(input.name, try context.requirePassword())
        }
        return form.request(from: page.url)
    }
}

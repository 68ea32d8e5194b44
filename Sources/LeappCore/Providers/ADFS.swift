/// Microsoft AD FS (`https://HOST/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices`).
///
/// - **Windows Integrated Authentication** first: AD FS offers it to the user agents on its
///   `WIASupportedUserAgents` list (`Trident/7.0` is on it by default) with a 401
///   `WWW-Authenticate: Negotiate`; leapp answers with the user's Kerberos ticket (SPNEGO
///   through libcurl's GSS-API), so no password is asked. No ticket, or one AD FS refuses:
///   the forms page, as for any other agent.
/// - The forms page (`form#loginForm`: `UserName`, `Password`, hidden `AuthMethod` =
///   `FormsAuthentication`); a wrong password comes back with `#errorText`.
/// - Second factors on AuthMethod pages: the options page (`form#options`, one element per
///   method calling `Options.selectOption`, the hidden `AuthMethod`), chosen by the one MFA
///   policy; a code (RSA SecurID's `Passcode`, the Azure MFA adapter's `VerificationCode`);
///   Duo (an iframe of Duo's own) and the Azure MFA adapter's notification (its page waits in
///   script) go to browser login.
public struct ADFS: PageDrivenProvider {
    /// A user agent on AD FS's default WIA list, so that it offers Negotiate.
    static let wiaUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko leapp"
    static let errorXPath = "//*[@id='errorText' or @id='error'][normalize-space(.) != '']"

    public init() {}

    public func login(_ context: LoginContext) throws -> SAMLResponseForm {
        context.step = "Windows Integrated Authentication"
        var wia = HTTPRequest(url: context.idp.url, headers: [("User-Agent", Self.wiaUserAgent)])
        wia.negotiate = true
        let first = try context.page(wia)
        guard first.status == 401 else { return try drive(from: first, context) }
        // No ticket, or one AD FS did not accept: the forms page, as a browser without one gets.
        context.log("AD FS asked for Windows Integrated Authentication and no Kerberos ticket was accepted: forms login")
        context.step = "open SAML URL"
        return try drive(from: context.page(HTTPRequest(url: context.idp.url)), context)
    }

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if (try? page.document.first("//iframe[@id='duo_iframe']|//*[@id='duo_form']")) != nil
            || page.forms.contains(where: { ($0.value("AuthMethod") ?? "").lowercased().contains("duo") })
        {
            context.step = "Duo"
            throw context.needsBrowser("AD FS asks for Duo, which runs in Duo's own frame")
        }
        if var options = page.form(id: "options"), options.has("AuthMethod") {
            context.step = "choose an authentication method"
            let methods = try Self.methods(on: page)
            guard !methods.isEmpty else { throw context.unexpectedPage(page, expected: "the authentication methods to choose from") }
            let chosen = methods[try context.chooseFactor(methods)]
            if chosen.id.lowercased().contains("duo") {
                throw context.needsBrowser("AD FS asks for Duo, which runs in Duo's own frame")
            }
            options.set("AuthMethod", chosen.id)
            return options.request(from: page.url)
        }
        if var form = page.forms.first(where: { GenericForm.codeField(of: $0) != nil }), let field = GenericForm.codeField(of: form) {
            context.step = "MFA \(form.value("AuthMethod") ?? "code")"
            try context.submit([.code], why: page.text(Self.errorXPath))
            form.set(field, try context.requireCode("One-time code"))
            return form.request(from: page.url)
        }
        if let push = page.forms.first(where: { ($0.value("AuthMethod") ?? "").contains("AzureMfa") && $0.visibleInputs.isEmpty }) {
            // The Azure MFA adapter's notification: its page waits in script for the approval.
            context.step = "MFA \(push.value("AuthMethod") ?? "AzureMfaAuthentication")"
            throw context.needsBrowser(
                "AD FS waits for an approval in Microsoft Authenticator; choose a code method with --mfa-factor if AD FS offers one")
        }
        if var form = page.forms.first(where: { $0.has("UserName") && $0.has("Password") }) {
            context.step = "sign-in"
            try context.submit([.username, .password], why: page.text(Self.errorXPath))
            form.set("UserName", try context.requireUsername())
            form.set("Password", try context.requirePassword())
            if !form.has("AuthMethod") { form.set("AuthMethod", "FormsAuthentication") }
            return form.request(from: page.url)
        }
        if let error = page.text(Self.errorXPath) { throw context.failure(error) }
        throw context.unexpectedPage(page, expected: "the AD FS sign-in page or an authentication method page")
    }

    /// The methods of the options page: the elements whose click selects one (`id` = its AuthMethod).
    static func methods(on page: IdPPage) throws -> [MFAOption] {
        try page.document.select("//*[contains(@onclick,'selectOption')][@id]").map { node in
            let id = node["id"] ?? ""
            let name = id.lowercased()
            let kind: MFAOption.Kind
            if ["securid", "otp", "vip", "code"].contains(where: name.contains) {
                kind = .code
            } else if name.contains("azure") || name.contains("push") {
                kind = .push
            } else {
                kind = .other
            }
            let label = node.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            return MFAOption(id: id, label: label.isEmpty ? id : Validation.printable(label, limit: 80), kind: kind)
        }
    }
}

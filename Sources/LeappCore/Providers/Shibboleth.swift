/// Shibboleth IdP (v4, v5): `https://HOST/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices`.
///
/// The "Loading Session Information" and "Writing Session Information" pages (a form of hidden
/// `shib_idp_ls_*` fields, a `csrf_token` and `_eventId_proceed`, submitted by script) are
/// followed by the kit's auto-navigation, as a browser does. Then the login page (`login.vm`:
/// `j_username`, `j_password`, the `_eventId_proceed` button), its `.form-error` quoted when
/// the password is refused. Attribute-release consent is a person's decision and Duo runs in
/// Duo's own prompt: both go to browser login.
public struct Shibboleth: PageDrivenProvider {
    static let errorXPath = "//*[contains(concat(' ', normalize-space(@class), ' '), ' form-error ')][normalize-space(.) != '']"

    public init() {}

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        if var form = page.forms.first(where: { $0.has("j_password") }) {
            context.step = "login page"
            try context.submit([.username, .password], why: page.text(Self.errorXPath))
            form.set("j_username", try context.requireUsername())
            form.set("j_password", try context.requirePassword())
            if !form.has("_eventId_proceed") { form.set("_eventId_proceed", "") }
            return form.request(from: page.url)
        }
        if page.forms.contains(where: { $0.has("_shib_idp_consentOptions") || $0.has("_shib_idp_consentIds") }) {
            context.step = "attribute release consent"
            throw context.needsBrowser("the IdP asks you to consent to releasing your attributes to AWS, which is yours to decide")
        }
        if page.url.contains("duosecurity.com") || (try? page.document.first("//iframe[@id='duo_iframe']")) != nil {
            context.step = "Duo"
            throw context.needsBrowser("the IdP asks for Duo, which runs in Duo's own prompt")
        }
        if let error = page.text(Self.errorXPath) { throw context.failure(error) }
        throw context.unexpectedPage(page, expected: "the Shibboleth login page (j_username, j_password)")
    }
}

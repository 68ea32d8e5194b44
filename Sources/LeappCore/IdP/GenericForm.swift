/// Any IdP whose login is one HTML form with a password field, or none at all
/// (a cookie-only GET answers with the SAMLResponse).
public struct GenericForm: PageDrivenProvider {
    public init() {}

    public func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest {
        guard var form = page.forms.first(where: { f in f.visibleInputs.contains { $0.type == "password" } }) else {
            throw context.failure(
                "the page has neither a SAMLResponse nor a login form (HTTP \(page.status))",
                hint: "capture the SAMLResponse in a browser and use --saml-response-file")
        }
        context.step = "login form"
        if context.passwordSent {
            throw context.failure("login refused: the login form came back", hint: "check the username and password")
        }
        if let user = form.visibleInputs.first(where: { $0.type != "password" }) {
            form.set(user.name, try context.requireUsername())
        }
        for input in form.visibleInputs where input.type == "password" {
            form.set(input.name, try context.requirePassword())
        }
        context.passwordSent = true
        return form.request(from: page.url)
    }
}

/// Providers whose flow is a series of HTML pages: the shared driver follows relay forms
/// and stops at the SAMLResponse; the provider decides what to do on every other page.
public protocol PageDrivenProvider: IdentityProvider {
    /// The request that moves the login on from this page.
    func next(after page: IdPPage, _ context: LoginContext) throws -> HTTPRequest
}

extension PageDrivenProvider {
    public func login(_ context: LoginContext) throws -> SAMLResponseForm {
        context.step = "open SAML URL"
        return try drive(from: context.page(HTTPRequest(url: context.idp.url)), context)
    }

    public func drive(from first: IdPPage, _ context: LoginContext, maxSteps: Int = 25) throws -> SAMLResponseForm {
        var page = first
        var followed = Set<String>()
        for _ in 0..<maxSteps {
            switch try SAMLPage.classify(page.forms, pageURL: page.url) {
            case .response(let form):
                return form
            case .relay(let form):
                context.step = "submit SAML relay form"
                page = try context.page(form.request(from: page.url))
            case .other:
                if page.status >= 500 {
                    throw context.failure("the IdP answered HTTP \(page.status)", hint: "try again later")
                }
                // What a browser would do by itself (a self-submitting form, a script or meta
                // redirect) happens here, for every provider; the same request twice is a loop.
                if let automatic = AutoNavigation.request(from: page) {
                    let key = automatic.method + " " + automatic.url + " " + String(decoding: automatic.body ?? [], as: UTF8.self)
                    guard followed.insert(key).inserted else {
                        throw context.failure(
                            "the IdP sends the login round in a loop (back to \(AutoNavigation.place(automatic)))",
                            hint: "check the IdP URL; its session may need a login in a browser")
                    }
                    context.step = automatic.method == "GET" ? "follow the page's redirect" : "submit the page's automatic form"
                    page = try context.page(automatic)
                    continue
                }
                page = try context.page(next(after: page, context))
            }
        }
        throw context.failure("no SAMLResponse after \(maxSteps) pages")
    }
}

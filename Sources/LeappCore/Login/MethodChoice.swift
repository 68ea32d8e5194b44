extension Federation {
    /// The method one login uses: the one asked for, else paste when a response was given,
    /// else the IdP URL's own.
    public func method(for idp: IdPURL, _ options: LoginOptions) -> LoginMethodKind {
        options.method ?? (options.samlResponse != nil ? .paste : idp.loginMethod ?? .headless)
    }

    /// The method, with Okta's engine detected when nothing was chosen: an Identity Engine org
    /// (`/.well-known/okta-organization` says `"pipeline": "idx"`) with an OIDC client id
    /// logs in with the device flow; a classic org keeps the classic API. An explicit
    /// `headless` forces the classic API, `device` the device flow.
    func resolvedMethod(for idp: IdPURL, _ options: LoginOptions, http: HTTPClient) -> LoginMethodKind {
        let kind = method(for: idp, options)
        guard kind == .headless, options.method == nil, idp.loginMethod == nil, idp.provider == .okta, idp.oidcClientId != nil,
            let origin = WebURL(idp.url)?.origin
        else { return kind }
        let engine: OktaEngine
        if let known = idp.oktaEngine {
            engine = known
        } else {
            guard let asked = OktaEngine.probe(origin: origin, send: http.send) else { return kind }
            engine = asked
            // Okta moves classic orgs to Identity Engine in place, never back: only that answer is kept.
            if asked == .identityEngine { rememberOktaEngine?(idp, asked) }
        }
        log("\(idp.name) is an Okta \(engine == .identityEngine ? "Identity Engine" : "classic") org")
        return engine == .identityEngine ? .device : kind
    }

    func loginMethod(_ kind: LoginMethodKind) -> LoginMethod {
        switch kind {
        case .headless: return HeadlessLogin(federation: self)
        case .paste: return PastedLogin()
        case .browser: return BrowserLogin(federation: self)
        case .device: return OktaDeviceLogin(federation: self)
        }
    }
}

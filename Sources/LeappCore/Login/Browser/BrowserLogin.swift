/// Logging in in a real browser: the person answers whatever the IdP asks (a passkey, a
/// captcha, Duo, conditional access), leapp catches the SAML post to the AWS sign-in page
/// before it leaves the browser. The IdP cookies go in and out of the same keyring record
/// the headless driver uses, so the next refresh is silent while the IdP session lives.
public struct BrowserLogin: LoginMethod {
    let federation: Federation

    /// The sign-in URLs of every partition: the requests a browser login catches.
    public static var signinURLs: [String] { Partition.allCases.map { "https://\($0.signinHost)/saml" } }
    public static let defaultTimeout: Double = 300

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        let settings = federation.settings
        guard let launcher = try federation.browser?() else {
            throw LeappError(.config, "browser login is not available in this build")
        }
        guard settings.canOpenBrowser else {
            throw LeappError(
                .needsUser, "browser login needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set",
                hint:
                    "run it where a desktop session is (or over `ssh -X`), or capture the SAMLResponse elsewhere and pass --saml-response-file"
            )
        }
        try launcher.checkAvailable()  // a browser and a display, before a window is announced
        let timeout = settings.browserTimeout ?? Self.defaultTimeout
        let keep = try federation.storedSession(of: idp, wantedUser: login.options.username)
        let cookies = keep.map { CookieJarText.parse($0.cookies) } ?? []
        federation.log("opening \(idp.name) in a browser (\(cookies.count) IdP cookie(s) from the keyring)")
        if !settings.browserHeadless {
            federation.prompter.notice(
                "leapp: log in to \(idp.name) in the browser window; leapp continues when the IdP signs you in to AWS")
        }
        let caught = try launcher.catchPost(
            BrowserCatchRequest(
                url: idp.url, cookies: cookies, catching: Self.signinURLs, timeout: timeout, headless: settings.browserHeadless))
        let fields = FormEncoding.decode(String(decoding: caught.body, as: UTF8.self))
        guard let response = fields.first(where: { $0.0 == "SAMLResponse" })?.1, !response.isEmpty else {
            throw LeappError(
                .saml, "the browser posted to the AWS sign-in page without a SAMLResponse",
                hint: "check that \(idp.name)'s URL is the IdP's AWS app (IdP-initiated SAML)")
        }
        let host = WebURL(caught.url)?.host ?? ""
        // Everything the browser earned belongs to the IdP (and the factors it called on),
        // except what AWS's own pages might have set.
        let earned = caught.cookies.filter { cookie in !Partition.allCases.contains { cookie.matches(host: $0.signinHost) } }
        try federation.secrets.storeJSON(
            IdPSessionRecord(
                cookies: CookieJarText.render(earned), username: keep?.username ?? login.options.username, savedAt: federation.clock.now),
            .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
        return SAMLResponseForm(
            samlResponse: response, relayState: fields.first(where: { $0.0 == "RelayState" })?.1, action: caught.url,
            partition: Partition.forSigninHost(host))
    }
}

extension Federation {
    /// The IdP session kept in the keyring to log in with: none when the person asked for
    /// another user than the one it belongs to (that user's cookies would log in as that user).
    func storedSession(of idp: IdPURL, wantedUser: String?) throws -> IdPSessionRecord? {
        guard let record = try secrets.loadJSON(IdPSessionRecord.self, .idpSession, key: idp.id) else { return nil }
        // Asked for a user: only that user's session serves. One whose owner is unknown (a
        // browser login where no username was given) may be anyone's: it does not.
        if let wanted = wantedUser, record.username != wanted {
            log("not using \(idp.name)'s stored IdP session: it belongs to \(record.username == nil ? "an unknown" : "another") user")
            return nil
        }
        return record
    }
}

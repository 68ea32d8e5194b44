/// The provider's headless driver, replaying and then keeping the IdP cookies in the keyring.
public struct HeadlessLogin: LoginMethod {
    let federation: Federation

    public func samlResponse(at idp: IdPURL, _ login: LoginRequest) throws -> SAMLResponseForm {
        let (secrets, http, options) = (federation.secrets, login.http, login.options)
        let record = try federation.storedSession(of: idp, wantedUser: options.username)
        if let record {
            http.importCookies(record.cookies)
            federation.log("loaded the \(idp.name) IdP session from the keyring")
        }
        let storedPassword = options.password == nil ? try secrets.lookup(.password, key: idp.id) : nil
        var username = options.username ?? record?.username ?? idp.username
        var usernameWasAsked = false
        // A password the IdP refused, typed at a terminal (or stored): asked again, the username
        // kept, up to three tries. One given on stdin fails at once.
        var attempt = 0
        while true {
            attempt += 1
            let ctx = context(
                idp, login, username: username, passwordSource: attempt == 1 ? { options.password ?? storedPassword } : { nil })
            do {
                let form = try Providers.make(idp.provider).login(ctx)
                try keep(ctx, idp, http, options, usernameWasAsked: usernameWasAsked || ctx.usernameWasAsked)
                return form
            } catch let error as LeappError
                where error.reason == .loginRefused && attempt < 3 && options.password == nil && federation.prompter.isInteractive
            {
                federation.prompter.notice("leapp: \(error.message); try again")
                username = ctx.username
                usernameWasAsked = usernameWasAsked || ctx.usernameWasAsked
            }
        }
    }

    func context(_ idp: IdPURL, _ login: LoginRequest, username: String?, passwordSource: @escaping () throws -> String?) -> LoginContext {
        let options = login.options
        let ctx = LoginContext(
            idp: idp, http: login.http, parser: federation.parser, prompter: federation.prompter, clock: federation.clock,
            resumeCommand: login.resumeCommand, username: username,
            mfaCode: options.mfaCode, mfaFactor: options.mfaFactor, passwordSource: passwordSource)
        ctx.keyring = federation.secrets
        ctx.settings = federation.settings
        ctx.log = federation.log
        ctx.personReadsStderr = federation.personReadsStderr
        if let ms = federation.settings.pollIntervalMs {
            ctx.pollInterval = ms / 1000
            ctx.pollIntervalFixed = true
        }
        if let s = federation.settings.pollTimeout { ctx.pollTimeout = s }
        federation.log("logging in at \(idp.name) (\(idp.provider.rawValue))")
        return ctx
    }

    /// After a login: the IdP session in the keyring, the username typed (on the IdP URL), the
    /// password when asked to remember it.
    func keep(_ ctx: LoginContext, _ idp: IdPURL, _ http: HTTPClient, _ options: LoginOptions, usernameWasAsked: Bool) throws {
        let secrets = federation.secrets
        try secrets.storeJSON(
            IdPSessionRecord(cookies: http.exportCookies(), username: ctx.username, savedAt: federation.clock.now),
            .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
        if usernameWasAsked, let typed = ctx.username, idp.username == nil {
            federation.rememberUsername?(idp, typed)
        }
        if options.rememberPassword, let password = ctx.passwordWasRead {
            try secrets.store(.password, key: idp.id, label: "leapp password \(idp.name)", secret: password)
        }
    }
}

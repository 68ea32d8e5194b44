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
        let ctx = LoginContext(
            idp: idp, http: http, parser: federation.parser, prompter: federation.prompter, clock: federation.clock,
            resumeCommand: login.resumeCommand, username: options.username ?? record?.username ?? idp.username,
            mfaCode: options.mfaCode, mfaFactor: options.mfaFactor, passwordSource: { options.password ?? storedPassword })
        ctx.keyring = secrets
        ctx.settings = federation.settings
        ctx.log = federation.log
        ctx.personReadsStderr = federation.personReadsStderr
        if let ms = federation.settings.pollIntervalMs {
            ctx.pollInterval = ms / 1000
            ctx.pollIntervalFixed = true
        }
        if let s = federation.settings.pollTimeout { ctx.pollTimeout = s }
        federation.log("logging in at \(idp.name) (\(idp.provider.rawValue))")
        let form = try Providers.make(idp.provider).login(ctx)
        try secrets.storeJSON(
            IdPSessionRecord(cookies: http.exportCookies(), username: ctx.username, savedAt: federation.clock.now),
            .idpSession, key: idp.id, label: "leapp IdP session \(idp.name)")
        if ctx.usernameWasAsked, let typed = ctx.username, idp.username == nil {
            federation.rememberUsername?(idp, typed)
        }
        if options.rememberPassword, let password = ctx.passwordWasRead {
            try secrets.store(.password, key: idp.id, label: "leapp password \(idp.name)", secret: password)
        }
        return form
    }
}

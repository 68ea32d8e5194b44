import ArgumentParser
import LeappCore
import LeappSystem

struct IdPURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idp-url", abstract: "Manage SAML 2.0 IdP URLs (shared by sessions).",
        subcommands: [Create.self, List.self, Edit.self, Delete.self, Roles.self, Logout.self])

    struct Create: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Add an IdP URL.")
        @Option(help: "The SAML 2.0 URL where login starts (https; http only to loopback).") var url: String?
        @Option(help: "The identity provider.") var provider: Provider?
        @Option(help: "A short name (default: from the host).") var name: String?
        @Option(help: "The username to log in with (asked at login when not set).") var username: String?
        @Option(help: "How logins happen here: headless (the default), browser, device (Okta Identity Engine) or paste.")
        var loginMethod: LoginMethodKind?
        @Option(help: "Okta Identity Engine: the client id of the org's OIDC native app (enables device login).")
        var oidcClientId: String?
        @Option(help: "Okta Identity Engine: the AWS federation app's id (0oa...), when the URL is not its embed link.")
        var oktaAppId: String?
        @Flag(help: "Read the accounts' names from the AWS sign-in page whenever roles are discovered here.") var accountNames = false
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let url = try value(url, "--url", "SAML 2.0 URL", context)
            let provider = try self.provider ?? askProvider(context, url: url)
            let created = try context.configStore.update { config in
                var idp = try config.addIdPURL(url: url, provider: provider, name: name, username: username)
                if let i = config.idpUrls.firstIndex(where: { $0.id == idp.id }) {
                    if let loginMethod { idp.loginMethod = loginMethod }
                    if let oidcClientId { idp.oidcClientId = try IdPURLCommand.oktaID(oidcClientId) }
                    if let oktaAppId { idp.oktaAppId = try IdPURLCommand.oktaID(oktaAppId, flag: "--okta-app-id") }
                    if accountNames { idp.accountNames = true }
                    config.idpUrls[i] = idp
                }
                return idp
            }
            context.confirm("created IdP URL \(created.name) (\(created.id))")
        }
    }

    /// An Okta id (a client or app id: letters and digits); empty forgets it.
    static func oktaID(_ text: String, flag: String = "--oidc-client-id") throws -> String? {
        let id = text.trimmed
        if id.isEmpty { return nil }
        guard id.count <= 128, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw LeappError(.validation, "\(flag) takes an Okta app id (letters and digits, like 0oa1b2c3d4EXAMPLE)")
        }
        return id
    }

    struct List: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List IdP URLs.")
        @OptionGroup var list: ListOptions
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            let config = try global.apply(to: context).loadConfig()
            let table = ListTable(
                columns: [
                    ListColumn(key: "name", header: "NAME"), ListColumn(key: "provider", header: "PROVIDER"),
                    ListColumn(key: "loginMethod", header: "LOGIN"), ListColumn(key: "sessions", header: "SESSIONS"),
                    ListColumn(key: "url", header: "URL"), ListColumn(key: "username", header: "USERNAME", inTable: false),
                    ListColumn(key: "oidcClientId", header: "OIDC CLIENT ID", inTable: false),
                    ListColumn(key: "oktaAppId", header: "OKTA APP ID", inTable: false),
                    ListColumn(key: "id", header: "ID", inTable: false),
                ],
                rows: config.idpUrls.map { idp in
                    [
                        "id": .string(idp.id), "name": .string(idp.name), "url": .string(idp.url),
                        "provider": .string(idp.provider.rawValue), "username": idp.username.map(JSONValue.string) ?? .null,
                        "loginMethod": .string((idp.loginMethod ?? .headless).rawValue),
                        "oidcClientId": idp.oidcClientId.map(JSONValue.string) ?? .null,
                        "oktaAppId": idp.oktaAppId.map(JSONValue.string) ?? .null,
                        "sessions": .number(Double(config.sessions.filter { $0.idpUrlId == idp.id }.count)),
                    ]
                },
                empty: "no IdP URLs; add one with `leapp idp-url create --url URL --provider PROVIDER`")
            context.write(try table.render(list))
        }
    }

    struct Edit: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change an IdP URL.")
        @Argument(help: "Id or name.", completion: Completions.idpURLs) var idpURL: String
        @Option(help: "The new SAML 2.0 URL.") var url: String?
        @Option(help: "The identity provider.") var provider: Provider?
        @Option(help: "The new name.") var name: String?
        @Option(help: "The username to suggest at login (empty to forget it).") var username: String?
        @Option(help: "How logins happen here: headless, browser, device (Okta Identity Engine) or paste.")
        var loginMethod: LoginMethodKind?
        @Option(help: "Okta Identity Engine: the OIDC native app's client id (empty to forget it).") var oidcClientId: String?
        @Option(help: "Okta Identity Engine: the AWS federation app's id (empty to forget it).") var oktaAppId: String?
        @Flag(
            inversion: .prefixedNo,
            help: "Read the accounts' names from the AWS sign-in page whenever roles are discovered here (one more POST).")
        var accountNames: Bool?
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            try context.configStore.update { config in
                guard let index = config.idpUrls.firstIndex(where: { $0.id == idpURL || $0.name == idpURL }) else {
                    throw LeappError(.usage, "no IdP URL '\(Validation.printable(idpURL))'", hint: "see `leapp idp-url list`")
                }
                var idp = config.idpUrls[index]
                if let url, url.trimmed != idp.url {
                    idp.url = url.trimmed
                    idp.oktaEngine = nil  // a new org may run another engine
                }
                if let provider { idp.provider = provider }
                if let name { idp.name = name }
                if let username { idp.username = username.isEmpty ? nil : username }
                if let loginMethod { idp.loginMethod = loginMethod == .headless ? nil : loginMethod }
                if let oidcClientId { idp.oidcClientId = try IdPURLCommand.oktaID(oidcClientId) }
                if let oktaAppId { idp.oktaAppId = try IdPURLCommand.oktaID(oktaAppId, flag: "--okta-app-id") }
                if let accountNames { idp.accountNames = accountNames ? true : nil }
                try Validation.check(idp, in: config)
                config.idpUrls[index] = idp
            }
            context.confirm("updated IdP URL \(name ?? idpURL)")
        }
    }

    struct Delete: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete an IdP URL (refused while sessions use it, unless --force).")
        @Argument(help: "Id or name.", completion: Completions.idpURLs) var idpURL: String
        @Flag(help: "Also delete the sessions that use it.") var force = false
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let (removed, sessions) = try context.configStore.update { config -> (IdPURL, [Session]) in
                guard let idp = config.idpUrls.first(where: { $0.id == idpURL || $0.name == idpURL }) else {
                    throw LeappError(.usage, "no IdP URL '\(Validation.printable(idpURL))'", hint: "see `leapp idp-url list`")
                }
                // Its sessions, and the sessions chained from them (nothing would log them in).
                let users = config.sessions.filter { config.root(of: $0)?.idpUrlId == idp.id }
                if !users.isEmpty && !force {
                    throw LeappError(
                        .validation,
                        "IdP URL \(idp.name) is used by \(users.count) session(s): "
                            + users.map(\.alias).joined(separator: ", "),
                        hint: "delete them first, or pass --force to delete them too")
                }
                config.sessions.removeAll { s in users.contains { $0.id == s.id } }
                config.idpUrls.removeAll { $0.id == idp.id }
                return (idp, users)
            }
            for session in sessions {
                try? context.profileWriter.clear(session)
                ConsoleBrowser.removeProfile(ConsoleProfile.directory(for: session, dataDirectory: context.dataDirectory))
            }
            cleanKeyring(context) { secrets in
                for session in sessions { try secrets.delete(.credentials, key: session.id) }
                for kind in SecretKind.perIdPURL { try secrets.delete(kind, key: removed.id) }
            }
            context.confirm(
                "deleted IdP URL \(removed.name)"
                    + (sessions.isEmpty ? "" : " and sessions " + sessions.map(\.alias).joined(separator: ", ")))
        }
    }
}

/// Removes keyring items after a deletion; the configuration change stands even when the keyring is away.
func cleanKeyring(_ context: AppContext, _ body: (SecretStore) throws -> Void) {
    do { try body(context.secrets) } catch let error as LeappError {
        context.note("leapp: note: \(error.message); stale keyring items may remain")
    } catch {}
}

/// A value from a flag, or asked on a terminal, or a usage error.
/// A field's value: the flag's, else asked on a terminal (a bad answer is said and asked
/// again, so earlier answers are not lost), else the default, else a usage error.
func value(
    _ given: String?, _ flag: String, _ what: String, _ context: AppContext, default fallback: String? = nil,
    check: (String) throws -> Void = { _ in }
) throws -> String {
    if let given { return given }
    guard context.prompter.isInteractive else {
        if let fallback { return fallback }
        throw LeappError(.usage, "missing \(flag)", hint: "give \(flag) (\(what)), or run on a terminal to be asked")
    }
    while true {
        var answer = try context.prompter.ask(fallback.map { "\(what) [\($0)]: " } ?? "\(what): ").trimmed
        if answer.isEmpty, let fallback { answer = fallback }
        do {
            guard !answer.isEmpty else { throw LeappError(.usage, "\(what) must not be empty") }
            try check(answer)
            return answer
        } catch let error as LeappError {
            context.prompter.notice("leapp: \(error); try again (Ctrl-C to give up)")
        }
    }
}

/// The provider of a new IdP URL: known from its host (Okta, OneLogin, Azure AD, Google,
/// Auth0, a Keycloak realm path), else asked on a terminal, else a usage error.
func askProvider(_ context: AppContext, url: String) throws -> Provider {
    let guessed = LeappWorkspaceImport.provider(for: url)
    if guessed != .generic {
        context.note("leapp: provider \(guessed.rawValue) (from the URL; --provider to choose another)")
        return guessed
    }
    guard context.prompter.isInteractive else {
        throw LeappError(.usage, "missing --provider", hint: "one of " + Provider.allValueStrings.joined(separator: ", "))
    }
    return Provider.allCases[try context.prompter.choose("Identity provider:", options: Provider.allValueStrings)]
}

import ArgumentParser
import LeappCore
import LeappSystem

/// Forgetting an IdP session: the next login at that IdP URL asks the person again.
func logout(_ idp: IdPURL, _ context: AppContext) throws {
    let removed = try context.secrets.delete(.idpSession, key: idp.id)
    context.confirm(removed ? "logged out of \(idp.name): its IdP session is gone from the keyring" : "no IdP session kept for \(idp.name)")
}

extension IdPURLCommand {
    struct Logout: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout", abstract: "Forget an IdP URL's session (its cookies in the keyring); the next login asks again.")
        @Argument(help: "Id or name.", completion: Completions.idpURLs) var idpURL: String
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            try logout(context.loadConfig().requireIdPURL(idpURL), context)
        }
    }
}

extension SessionCommand {
    struct Logout: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "logout", abstract: "Forget the IdP session of a session's IdP URL; cached credentials stay until they expire.")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let config = try context.loadConfig()
            let s = try context.session(session, in: config)
            guard let idp = config.rootIdPURL(for: s) else {
                throw LeappError(.config, "session \(s.alias) names an IdP URL that no longer exists")
            }
            try logout(idp, context)
        }
    }
}

import ArgumentParser
import LeappCore
import LeappSystem

extension IdPURLCommand {
    struct Roles: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "roles",
            abstract: "Log in once and list every AWS role the IdP offers you.")
        @Argument(help: "Id or name.", completion: Completions.idpURLs) var idpURL: String
        @OptionGroup var list: ListOptions
        @Flag(help: "Also read the accounts' names from the AWS sign-in page (one more POST; kept for later).") var accountNames = false
        @OptionGroup var login: LoginFlags
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let roles = try discover(idpURL, login: login, context: context, accountNames: accountNames)
            let table = ListTable(
                columns: [
                    ListColumn(key: "account", header: "ACCOUNT"), ListColumn(key: "accountName", header: "ACCOUNT NAME"),
                    ListColumn(key: "roleName", header: "ROLE"),
                    ListColumn(key: "roleArn", header: "ROLE ARN"), ListColumn(key: "idpArn", header: "IDP ARN"),
                ],
                rows: roles.map { r in
                    [
                        "account": .string(r.account), "accountName": r.accountName.map { .string($0) } ?? .null,
                        "roleName": .string(r.name), "roleArn": .string(r.role.roleArn),
                        "idpArn": .string(r.role.principalArn),
                    ]
                },
                empty: "the assertion offers no AWS roles")
            context.write(try table.render(list))
        }
    }
}

/// Logs in at the IdP URL and reads the roles of the assertion, sorted by account and name.
/// Account names are read from the AWS sign-in page with `--account-names` or the IdP URL's
/// setting, kept in the configuration, and shown from then on; when they cannot be read, one
/// note says so and the roles come without them.
func discover(_ reference: String, login: LoginFlags, context: AppContext, accountNames: Bool = false) throws -> [DiscoveredRole] {
    let config = try context.loadConfig()
    let idp = try config.requireIdPURL(reference)
    let found = try context.federation.discover(
        at: idp, options: try login.options(context, force: true), readNames: accountNames || idp.accountNames == true,
        knownNames: config.accountNames)
    if let failure = found.namesFailure {
        context.note("leapp: note: account names left out: \(failure.message)")
    } else if !found.newNames.isEmpty {
        try context.configStore.update { config in config.accountNames.merge(found.newNames) { _, new in new } }
    }
    return found.roles
}

/// `session add --from-idp-url`: one session per chosen role, with generated names.
struct AddFromIdP {
    var reference: String
    var all: Bool
    var region: String?
    var output: OutputMode?
    var login: LoginFlags
    var accountNames = false

    func run(_ context: AppContext) throws {
        let roles = try discover(reference, login: login, context: context, accountNames: accountNames)
        guard !roles.isEmpty else { throw LeappError(.saml, "the IdP offers no AWS roles") }
        let chosen: [DiscoveredRole]
        if all || roles.count == 1 {
            chosen = roles
        } else if context.prompter.isInteractive {
            for (i, r) in roles.enumerated() { context.error("  \(i + 1)) \(TerminalText.line("\(r.accountLabel)  \(r.name)"))\n") }
            let answer = try context.prompter.ask("Roles to add (e.g. 1,3-5 or all): ")
            chosen = try Self.pick(answer, from: roles)
        } else {
            throw LeappError(.usage, "the IdP offers \(roles.count) roles", hint: "pass --all, or run on a terminal to choose")
        }
        let added = try context.configStore.update { config -> [Session] in
            let idp = try config.requireIdPURL(reference)
            var added: [Session] = []
            for r in chosen where !config.sessions.contains(where: { $0.roleArn == r.role.roleArn && $0.idpUrlId == idp.id }) {
                let alias = Self.uniqueAlias(Self.alias(for: r, among: chosen), in: config)
                let defaultRegion = r.partition.regions.contains(config.defaultRegion) ? config.defaultRegion : r.partition.regions[0]
                let session = Session(
                    id: newID(), alias: alias, profile: alias, region: region ?? defaultRegion,
                    idpUrlId: idp.id, idpArn: r.role.principalArn, roleArn: r.role.roleArn,
                    output: output ?? .credentialProcess)
                try config.addSession(session)
                added.append(session)
            }
            return added
        }
        for s in added { context.confirm("added session \(s.alias) (\(s.roleArn))") }
        if added.isEmpty { context.confirm("no new sessions: every chosen role already has one") }
    }

    /// The role name, lowercased; prefixed with the account (its name when known, else its id)
    /// when the name occurs in several accounts.
    static func alias(for role: DiscoveredRole, among roles: [DiscoveredRole]) -> String {
        let name = Validation.name(from: role.name.lowercased(), fallback: "role")
        let clash = roles.filter { $0.name.lowercased() == role.name.lowercased() }.count > 1
        let account = role.accountName.map { Validation.name(from: $0.lowercased(), fallback: role.account) } ?? role.account
        return String((clash ? "\(account)-\(name)" : name).prefix(64))
    }

    static func uniqueAlias(_ base: String, in config: Configuration) -> String {
        Validation.unique(base) { alias in config.sessions.contains { $0.alias == alias } }
    }

    static func pick(_ answer: String, from roles: [DiscoveredRole]) throws -> [DiscoveredRole] {
        if answer.trimmed.lowercased() == "all" { return roles }
        var indices: [Int] = []
        for part in answer.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmed) }
            guard let first = bounds.first ?? nil, bounds.allSatisfy({ $0 != nil }), (1...roles.count).contains(first) else {
                throw LeappError(.usage, "not a choice: \(Validation.printable(String(part)))")
            }
            let last = bounds.count > 1 ? bounds[1]! : first
            guard (first...roles.count).contains(last) else { throw LeappError(.usage, "not a choice: \(part)") }
            indices += Array(first...last)
        }
        return Array(Set(indices)).sorted().map { roles[$0 - 1] }
    }
}

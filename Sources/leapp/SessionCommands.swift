import ArgumentParser
import LeappCore
import LeappSystem

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Manage and start AWS IAM Role Federated sessions.",
        subcommands: [
            Add.self, List.self, Edit.self, Delete.self, Start.self, Stop.self, Current.self,
            ChangeProfile.self, ChangeRegion.self, Generate.self, OpenWebConsole.self, Logout.self,
        ])
}

/// The session fields as flags, shared by add and edit.
struct SessionFields: ParsableArguments {
    @Option(help: "Friendly name, used in every command.") var alias: String?
    @Option(help: "The AWS CLI named profile the session fills.", completion: Completions.profiles) var profile: String?
    @Option(help: "AWS region, e.g. eu-west-1.", completion: Completions.regions) var region: String?
    @Option(name: .customLong("idp-url"), help: "IdP URL id, name, or a new SAML URL.", completion: Completions.idpURLs) var idpURL: String?
    @Option(name: .customLong("idp-arn"), help: "arn:aws:iam::ACCOUNT:saml-provider/NAME") var idpArn: String?
    @Option(name: .customLong("role-arn"), help: "arn:aws:iam::ACCOUNT:role/NAME") var roleArn: String?
    @Option(
        parsing: .unconditional,
        help: "Session length: 3600, 90m, 1h, 12h (15m..12h); default: the assertion's SessionDuration, else 1h; 0 clears it.")
    var duration: Duration?
    @Option(
        help: "Where credentials go: credential-process (the default; no secret on disk) or credentials-file (keys in ~/.aws/credentials).")
    var output: OutputMode?
    @Option(help: "Provider, when --idp-url is a new URL.") var provider: Provider?
    @Option(
        help: "A chained session: the session whose credentials assume --role-arn (sts:AssumeRole), instead of an IdP.",
        completion: Completions.sessions)
    var parent: String?
    @Option(name: .customLong("external-id"), help: "Chained: the external ID the role's trust policy asks for ('' clears it).")
    var externalId: String?
    @Option(name: .customLong("role-session-name"), help: "Chained: the role session name (default: assumed-from-leapp; '' resets it).")
    var roleSessionName: String?

    /// The chained-only flags given without --parent on a federated session, or IdP flags on a chained one.
    func checkKind(chained: Bool) throws {
        if chained, idpURL != nil || idpArn != nil || provider != nil {
            throw LeappError(.usage, "a chained session has no IdP: --idp-url, --idp-arn and --provider are for federated sessions")
        }
        if !chained, externalId != nil || roleSessionName != nil {
            throw LeappError(.usage, "--external-id and --role-session-name are for chained sessions (with --parent)")
        }
    }
    @Flag(
        inversion: .prefixedNo,
        help: "Let the session take over a profile that holds entries leapp did not write (saved, and put back at stop).")
    var takeOver: Bool?
}

/// One line when a session's profile holds the user's own credential entries.
func warnAboutProfile(_ session: Session, _ context: AppContext) {
    guard !session.takeOver, let conflict = try? context.profileWriter.conflicts(session).first else { return }
    context.note("leapp: warning: \(conflict.summary); `leapp session start \(session.alias)` will refuse them unless you pass --take-over")
}

extension SessionCommand {
    struct Add: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a session, or one per role the IdP offers (--from-idp-url).")
        @OptionGroup var fields: SessionFields
        @Option(name: .customLong("from-idp-url"), help: "Log in at this IdP URL and add sessions for the roles it offers.")
        var fromIdPURL: String?
        @Flag(help: "With --from-idp-url: add every offered role without asking.") var all = false
        @Flag(help: "With --from-idp-url or the role menu: read the accounts' names from the AWS sign-in page (kept for later).")
        var accountNames = false
        @OptionGroup var login: LoginFlags
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            if let fromIdPURL {
                return try AddFromIdP(
                    reference: fromIdPURL, all: all, region: fields.region, output: fields.output, login: login, accountNames: accountNames
                ).run(context)
            }
            if fields.parent != nil { return try addChained(context) }
            try fields.checkKind(chained: false)
            var config = try context.loadConfig()
            let (alias, profile) = try aliasAndProfile(in: config, context)
            var idpRef = try fields.idpURL ?? askIdPURL(config, context)
            var (idpArn, roleArn) = (fields.idpArn, fields.roleArn)
            if idpArn == nil, roleArn == nil, context.prompter.isInteractive {
                let answer = try context.prompter.ask("Pick the role from those the IdP offers (logs in)? [Y/n] ").trimmed.lowercased()
                if answer.isEmpty || answer.hasPrefix("y") {
                    // A SAML URL never seen before becomes an IdP URL first, so that the login
                    // has one (newcomers do not know their IdP ARN: the assertion brings it).
                    if config.findIdPURL(idpRef) == nil {
                        try Validation.checkSAMLURL(idpRef)
                        let provider = try fields.provider ?? askProvider(context, url: idpRef)
                        let url = idpRef
                        let created = try context.configStore.update { config -> IdPURL in
                            try config.findIdPURL(url) ?? config.addIdPURL(url: url, provider: provider)
                        }
                        context.note("leapp: added IdP URL \(created.name) (\(created.provider.rawValue))")
                        config = try context.loadConfig()
                        idpRef = created.name
                    }
                    let roles = try discover(idpRef, login: login, context: context, accountNames: accountNames)
                    guard !roles.isEmpty else { throw LeappError(.saml, "the IdP offers no AWS roles") }
                    let picked = roles[try context.prompter.choose("Role:", options: roles.map { "\($0.accountLabel) \($0.name)" })]
                    (idpArn, roleArn) = (picked.role.principalArn, picked.role.roleArn)
                }
            }
            let finalIdpArn = try value(idpArn, "--idp-arn", "IdP ARN", context) { _ = try IAMARN(parsing: $0, expecting: .samlProvider) }
            let finalRoleArn = try value(roleArn, "--role-arn", "Role ARN", context) { _ = try IAMARN(parsing: $0, expecting: .role) }
            let partition = (try? IAMARN(parsing: finalRoleArn, expecting: .role))?.partition ?? .aws
            let region = try value(fields.region, "--region", "Region", context, default: config.defaultRegion) {
                try Validation.checkRegion($0, partition: partition)
            }
            let needsProvider = config.findIdPURL(idpRef) == nil
            if needsProvider && WebURL(idpRef) == nil {
                throw LeappError(
                    .validation, "no IdP URL named '\(Validation.printable(idpRef))'", hint: "give a SAML URL or see `leapp idp-url list`")
            }
            let provider = needsProvider ? try fields.provider ?? askProvider(context, url: idpRef) : nil
            let session = try context.configStore.update { config -> Session in
                let idp: IdPURL
                if let existing = config.findIdPURL(idpRef) {
                    idp = existing
                } else {
                    guard WebURL(idpRef) != nil else {
                        throw LeappError(
                            .validation, "no IdP URL named '\(Validation.printable(idpRef))'",
                            hint: "give a SAML URL or see `leapp idp-url list`")
                    }
                    idp = try config.addIdPURL(url: idpRef, provider: provider ?? .generic)
                }
                let session = Session(
                    id: newID(), alias: alias, profile: profile, region: region, idpUrlId: idp.id,
                    idpArn: finalIdpArn, roleArn: finalRoleArn, duration: fields.duration?.seconds,
                    output: fields.output ?? .credentialProcess, takeOver: fields.takeOver ?? false)
                try config.addSession(session)
                return session
            }
            context.confirm("added session \(session.alias) (profile \(session.profile), \(session.region))")
            warnAboutProfile(session, context)
        }

        /// A new session's alias (free) and profile (default: the alias), given or asked.
        func aliasAndProfile(in config: Configuration, _ context: AppContext) throws -> (String, String) {
            let alias = try value(fields.alias, "--alias", "Alias", context) { answer in
                try Validation.checkName(answer, what: "alias")
                if config.sessions.contains(where: { $0.alias == answer }) {
                    throw LeappError(.validation, "a session named \(answer) already exists")
                }
            }
            let profile = try value(fields.profile, "--profile", "Named profile", context, default: alias) {
                try Validation.checkName($0, what: "profile")
            }
            return (alias, profile)
        }

        /// `--parent`: a chained session, whose role the parent's credentials assume.
        func addChained(_ context: AppContext) throws {
            try fields.checkKind(chained: true)
            let config = try context.loadConfig()
            let parent = try context.session(fields.parent!, in: config)
            let (alias, profile) = try aliasAndProfile(in: config, context)
            let roleArn = try value(fields.roleArn, "--role-arn", "Role ARN to assume", context) {
                _ = try IAMARN(parsing: $0, expecting: .role)
            }
            let session = try context.configStore.update { config -> Session in
                let session = Session.chained(
                    id: newID(), alias: alias, profile: profile, region: fields.region ?? parent.region, parent: parent, roleArn: roleArn,
                    externalId: fields.externalId.flatMap { $0.isEmpty ? nil : $0 },
                    roleSessionName: fields.roleSessionName.flatMap { $0.isEmpty ? nil : $0 }, duration: fields.duration?.seconds,
                    output: fields.output ?? .credentialProcess)
                try config.addSession(session)
                return session
            }
            context.confirm(
                "added chained session \(session.alias) (profile \(session.profile), \(session.region), assumed with \(parent.alias)'s credentials)"
            )
            warnAboutProfile(session, context)
        }
    }

    /// The IdP URL of a new session, asked: a menu of the known ones (and "a new SAML URL"),
    /// or the URL itself when there are none.
    static func askIdPURL(_ config: Configuration, _ context: AppContext) throws -> String {
        func askURL() throws -> String {
            try value(nil, "--idp-url", "SAML 2.0 URL (or IdP URL name)", context) { answer in
                if config.findIdPURL(answer) == nil { try Validation.checkSAMLURL(answer) }
            }
        }
        guard context.prompter.isInteractive, !config.idpUrls.isEmpty else { return try askURL() }
        let known = config.idpUrls.map { "\($0.name) (\($0.provider.rawValue))" }
        let choice = try context.prompter.choose("IdP URL:", options: known + ["a new SAML 2.0 URL"])
        return choice < config.idpUrls.count ? config.idpUrls[choice].name : try askURL()
    }

    struct List: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List sessions with their state.",
            discussion:
                "Columns: alias, profile, region, account (its name from `--account-names`, else its id), accountId, state, left, secondsLeft, provider, idpUrl, roleArn, type, parent, idpArn, samlUrl, expiration, duration, output, id (a chained session shows its chain's IdP URL)."
        )
        @OptionGroup var list: ListOptions
        @Option(help: "Only sessions whose COLUMN equals VALUE (repeatable), e.g. --filter profile=dev.") var filter: [String] = []
        @OptionGroup var global: GlobalOptions

        static let columns = [
            ListColumn(key: "alias", header: "ALIAS", aliases: ["session alias", "session name"]),
            ListColumn(key: "profile", header: "PROFILE", aliases: ["named profile"]),
            ListColumn(key: "region", header: "REGION"),
            ListColumn(key: "account", header: "ACCOUNT"),
            ListColumn(key: "accountId", header: "ACCOUNT ID", inTable: false),
            ListColumn(key: "state", header: "STATE", aliases: ["status"]),
            ListColumn(key: "left", header: "LEFT"),
            ListColumn(key: "secondsLeft", header: "SECONDS LEFT", inTable: false),
            ListColumn(key: "provider", header: "PROVIDER", inTable: false),
            ListColumn(key: "idpUrl", header: "IDP URL", inTable: false),
            ListColumn(key: "roleArn", header: "ROLE"),
            ListColumn(key: "type", header: "TYPE", inTable: false),
            ListColumn(key: "parent", header: "PARENT", inTable: false),
            ListColumn(key: "idpArn", header: "IDP ARN", inTable: false),
            ListColumn(key: "samlUrl", header: "SAML URL", inTable: false),
            ListColumn(key: "expiration", header: "EXPIRATION", inTable: false),
            ListColumn(key: "duration", header: "DURATION", inTable: false),
            ListColumn(key: "output", header: "OUTPUT", inTable: false),
            ListColumn(key: "id", header: "ID", inTable: false, aliases: ["session id"]),
        ]

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let config = try context.loadConfig()
            let states = context.sessionStates(config.sessions)
            let now = context.clock.now
            var table = ListTable(
                columns: Self.columns,
                rows: config.sessions.map { s in
                    let idp = config.rootIdPURL(for: s)
                    let parent = s.parentId.flatMap { id in config.sessions.first { $0.id == id } }
                    let accountId = (try? IAMARN(parsing: s.roleArn, expecting: .role))?.account
                    let state = states[s.id]
                    let seconds =
                        state?.hasValidCredentials == true ? state?.expiration.map { max(0, Int($0.timeIntervalSince(now))) } : nil
                    return [
                        "id": .string(s.id), "alias": .string(s.alias), "profile": .string(s.profile), "region": .string(s.region),
                        "samlUrl": idp.map { .string($0.url) } ?? .null, "idpUrl": idp.map { .string($0.name) } ?? .null,
                        "provider": idp.map { .string($0.provider.rawValue) } ?? .null,
                        "idpArn": s.isChained ? .null : .string(s.idpArn),
                        "account": (accountId.flatMap { config.accountNames[$0] } ?? accountId).map { .string($0) } ?? .null,
                        "accountId": accountId.map { .string($0) } ?? .null,
                        "type": .string(s.isChained ? "chained" : "federated"), "parent": parent.map { .string($0.alias) } ?? .null,
                        "roleArn": .string(s.roleArn), "duration": s.duration.map { .number(Double($0)) } ?? .null,
                        "output": .string(s.output.rawValue), "state": .string(state?.name ?? "unknown"),
                        "expiration": state?.expiration.map { .string(RFC3339.format($0)) } ?? .null,
                        "left": seconds.map { .string(DurationText.left($0)) } ?? .null,
                        "secondsLeft": seconds.map { .number(Double($0)) } ?? .null,
                    ]
                },
                empty: "no sessions; add one with `leapp session add`")
            for f in filter {
                guard let eq = f.firstIndex(of: "=") else {
                    throw LeappError(.usage, "--filter wants COLUMN=VALUE, got '\(Validation.printable(f))'")
                }
                let key = try table.column(String(f[..<eq])).key
                let value = String(f[f.index(after: eq)...])
                table.rows = table.rows.filter { ListTable.text($0[key]) == value }
            }
            context.write(try table.render(list))
        }
    }

    struct Edit: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a session's fields.")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @OptionGroup var fields: SessionFields
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let (before, after) = try context.configStore.update { config -> (Session, Session) in
                let before = try config.findSession(session)
                try fields.checkKind(chained: before.isChained)
                if fields.parent != nil && !before.isChained {
                    throw LeappError(
                        .usage, "session \(before.alias) is federated; a chained one is added with `leapp session add --parent`")
                }
                var s = before
                if let v = fields.parent { s.parentId = try config.findSession(v).id }
                if let v = fields.externalId { s.externalId = v.isEmpty ? nil : v }
                if let v = fields.roleSessionName { s.roleSessionName = v.isEmpty ? nil : v }
                if let v = fields.alias { s.alias = v }
                if let v = fields.profile { s.profile = v }
                if let v = fields.region { s.region = v }
                if let v = fields.idpArn { s.idpArn = v }
                if let v = fields.roleArn { s.roleArn = v }
                if let v = fields.duration?.seconds { s.duration = v == 0 ? nil : v }
                if let v = fields.output { s.output = v }
                if let v = fields.takeOver { s.takeOver = v }
                if let ref = fields.idpURL {
                    if let idp = config.findIdPURL(ref) {
                        s.idpUrlId = idp.id
                    } else if WebURL(ref) != nil {
                        s.idpUrlId = try config.addIdPURL(url: ref, provider: fields.provider ?? .generic).id
                    } else {
                        throw LeappError(.validation, "no IdP URL '\(Validation.printable(ref))'")
                    }
                }
                try Validation.check(s, in: config)
                // A started session's entries move with it: the new place must be free.
                if Self.movesEntries(before, s), try context.profileWriter.owns(before), !s.takeOver,
                    let conflict = try context.profileWriter.conflicts(s).first
                {
                    throw conflict.error(s)
                }
                config.sessions[config.sessions.firstIndex { $0.id == s.id }!] = s
                config.ensureProfile(s.profile, id: newID)
                return (before, s)
            }
            if Self.movesEntries(before, after), try context.profileWriter.owns(before) {
                try context.profileWriter.clear(before)
                try context.profileWriter.fill(after, credentials: try context.federation.cached(after))
            } else {
                warnAboutProfile(after, context)
            }
            context.confirm("updated session \(after.alias)")
        }

        static func movesEntries(_ a: Session, _ b: Session) -> Bool {
            a.profile != b.profile || a.output != b.output || a.alias != b.alias || a.region != b.region
        }
    }

    struct Delete: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a session (stopping it first).")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let removed = try context.configStore.update { config -> Session in
                let s = try context.session(session, in: config)
                let children = config.children(of: s)
                guard children.isEmpty else {
                    throw LeappError(
                        .validation, "session \(s.alias) is the parent of " + children.map(\.alias).joined(separator: ", "),
                        hint: "delete those first, or give them another parent (`leapp session edit ALIAS --parent ...`)")
                }
                config.sessions.removeAll { $0.id == s.id }
                return s
            }
            if let failure = try context.sessions.forget(deleted: removed) {
                context.note("leapp: note: \(failure.message); stale keyring items may remain")
            }
            ConsoleBrowser.removeProfile(ConsoleProfile.directory(for: removed, dataDirectory: context.dataDirectory))
            context.confirm("deleted session \(removed.alias)")
        }
    }

    struct Start: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Log in at the IdP, assume the role and fill the named profile.",
            discussion:
                "With valid cached credentials and no --force, nothing goes over the network. Without an alias: the directory's allowed .leapp-session, else $LEAPP_SESSION, else a menu."
        )
        @Argument(help: "Alias, id or unique alias prefix (when left out: see above).", completion: Completions.sessions) var session:
            String?
        @OptionGroup var login: LoginFlags
        @Flag(help: "Log in again even when cached credentials are valid.") var force = false
        @Flag(
            help:
                "Take over the profile even though it holds entries leapp did not write; they are saved and put back at stop (remembered on the session)."
        )
        var takeOver = false
        @Option(
            name: .customLong("all-of-idp-url"),
            help: "Start every session of this IdP URL with one login (one assertion carries all their roles).",
            completion: Completions.idpURLs)
        var allOfIdPURL: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if session != nil && allOfIdPURL != nil { throw ValidationError("give an alias or --all-of-idp-url, not both") }
        }

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            if let allOfIdPURL { return try startAll(allOfIdPURL, context) }
            var config = try context.loadConfig()
            var s = try context.session(session ?? context.defaultSession(for: "session start"), in: config)
            if takeOver && !s.takeOver {
                let id = s.id
                config = try context.configStore.update { config in
                    if let i = config.sessions.firstIndex(where: { $0.id == id }) { config.sessions[i].takeOver = true }
                    return config
                }
                s.takeOver = true
            }
            let started = try context.sessions.start(s, in: config, options: try login.options(context, force: force))
            Self.say(started, context)
        }

        /// The sessions a start stopped (one active session per named profile), and the start.
        static func say(_ started: SessionService.Started, _ context: AppContext) {
            let s = started.session
            for other in started.stopped {
                context.note("leapp: session \(other.alias) stopped (profile \(s.profile) now belongs to \(s.alias))")
            }
            context.note("leapp: " + started.summary(at: context.clock.now))
        }

        /// One login for every session of an IdP URL; each session's outcome is said.
        func startAll(_ reference: String, _ context: AppContext) throws {
            let config = try context.loadConfig()
            let idp = try config.requireIdPURL(reference)
            let outcome = try context.sessions.startAll(
                at: idp, in: config, options: try login.options(context, force: true), takeOver: takeOver)
            for (s, why) in outcome.skipped { context.note("leapp: skipping \(s.alias): \(why)") }
            for started in outcome.started { Self.say(started, context) }
            for (s, error) in outcome.failed { context.error(Style.errorLine("\(s.alias): \(error)")) }
            if let first = outcome.failed.first?.1 {
                let tried = outcome.started.count + outcome.failed.count
                throw LeappError(first.kind, "\(outcome.failed.count) of \(tried) sessions did not start (see above)")
            }
        }
    }

    struct Stop: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop", abstract: "Remove the profile entries and drop cached credentials.",
            discussion: "Without an alias: the directory's allowed .leapp-session, else $LEAPP_SESSION, else a menu.")
        @Argument(help: "Alias, id or unique alias prefix (when left out: see above).", completion: Completions.sessions) var session:
            String?
        @Flag(help: "Also forget the IdP session (cookies) and any remembered password.") var forget = false
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let config = try context.loadConfig()
            let s = try context.session(session ?? context.defaultSession(for: "session stop"), in: config)
            try context.sessions.stop(s, forgetIdP: forget)
            context.note("leapp: session \(s.alias) stopped")
        }
    }

    struct Current: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "current",
            abstract: "Show the active session: JSON by default, key: value pairs with --inline.",
            discussion:
                "Fails when no session, or more than one, matches. Keys: \(CurrentKey.allCases.map(\.rawValue).joined(separator: " ")).")
        @Option(help: "Only sessions on this named profile.", completion: Completions.profiles) var profile: String?
        @Option(help: "The keys to print, space separated, e.g. \"alias accountNumber roleArn\".") var format: String?
        @Flag(help: "Print key: value pairs on one line.") var inline = false
        @OptionGroup var global: GlobalOptions

        func run(_ context: AppContext) throws {
            global.apply(to: context)
            let keys =
                try
                (format?.split(separator: " ").map { k -> CurrentKey in
                    guard let key = CurrentKey(rawValue: String(k)) else {
                        throw LeappError(
                            .usage, "unknown key '\(Validation.printable(String(k)))' in --format",
                            hint: "keys: " + CurrentKey.allCases.map(\.rawValue).joined(separator: " "))
                    }
                    return key
                }) ?? CurrentKey.allCases
            let config = try context.loadConfig()
            let candidates = config.sessions.filter { profile == nil || $0.profile == profile }
            let states = context.sessionStates(candidates)
            let active = candidates.filter { states[$0.id]?.isActive == true }
            guard !active.isEmpty else {
                // A session this shell uses through `leapp env` is cached, not started: say so.
                if let named = context.namedSession(), let s = candidates.first(where: { $0.alias == named }),
                    states[s.id]?.hasValidCredentials == true
                {
                    throw LeappError(
                        .usage, "session \(s.alias) is cached for this shell (leapp env) but not started",
                        hint: "`leapp session start \(s.alias)` writes its profile")
                }
                throw LeappError(
                    .usage, "no active session" + (profile.map { " on profile \($0)" } ?? ""), hint: "`leapp session start ALIAS`")
            }
            // Several active: the one this directory or shell names, when it is one of them.
            let named = active.count > 1 ? context.namedSession().flatMap { name in active.first { $0.alias == name } } : nil
            guard let s = named ?? (active.count == 1 ? active.first : nil) else {
                throw LeappError(
                    .usage, "\(active.count) sessions are active: " + active.map(\.alias).joined(separator: ", "),
                    hint: "narrow it with --profile")
            }
            let values = keys.map { ($0.rawValue, $0.value(s, config: config, expiration: states[s.id]?.expiration)) }
            if inline {
                context.write(values.map { "\($0.0): \($0.1)" }.joined(separator: " ") + "\n")
            } else {
                context.write(renderJSON(.object(Dictionary(uniqueKeysWithValues: values.map { ($0.0, JSONValue.string($0.1)) }))))
            }
        }
    }

    enum CurrentKey: String, CaseIterable {
        case alias, accountNumber, roleName, roleArn, region, profile, expiration, provider, idpArn, id

        func value(_ s: Session, config: Configuration, expiration: Date?) -> String {
            let arn = try? IAMARN(parsing: s.roleArn, expecting: .role)
            switch self {
            case .alias: return s.alias
            case .accountNumber: return arn?.account ?? ""
            case .roleName: return arn?.name ?? ""
            case .roleArn: return s.roleArn
            case .region: return s.region
            case .profile: return s.profile
            case .expiration: return expiration.map(RFC3339.format) ?? ""
            case .provider: return config.rootIdPURL(for: s)?.provider.rawValue ?? ""
            case .idpArn: return s.idpArn
            case .id: return s.id
            }
        }
    }

    struct ChangeProfile: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "change-profile", abstract: "Move a session to another named profile.")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @Argument(help: "The named profile.", completion: Completions.profiles) var profile: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            let edit = try Edit.parse([session, "--profile", profile] + (global.verbose ? ["--verbose"] : []))
            try edit.run(context)
        }
    }

    struct ChangeRegion: LeappCommand {
        static let configuration = CommandConfiguration(commandName: "change-region", abstract: "Change a session's region.")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @Argument(help: "The region.", completion: Completions.regions) var region: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            let edit = try Edit.parse([session, "--region", region] + (global.verbose ? ["--verbose"] : []))
            try edit.run(context)
        }
    }

    struct Generate: LeappCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Print the credential_process JSON (Leapp's name for credential-process).")
        @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
        @OptionGroup var global: GlobalOptions
        func run(_ context: AppContext) throws {
            var command = CredentialProcess()
            command.session = session
            command.global = global
            try command.run(context)
        }
    }
}

import ArgumentParser
import LeappCore
import LeappSystem

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Manage and start AWS IAM Role Federated sessions.",
        subcommands: [Add.self, List.self, Edit.self, Delete.self, Start.self, Stop.self, Current.self])
}

/// The session fields as flags, shared by add and edit.
struct SessionFields: ParsableArguments {
    @Option(help: "Friendly name, used in every command.") var alias: String?
    @Option(help: "The AWS CLI named profile the session fills.") var profile: String?
    @Option(help: "AWS region, e.g. eu-west-1.") var region: String?
    @Option(name: .customLong("idp-url"), help: "IdP URL id, name, or a new SAML URL.") var idpURL: String?
    @Option(name: .customLong("idp-arn"), help: "arn:aws:iam::ACCOUNT:saml-provider/NAME") var idpArn: String?
    @Option(name: .customLong("role-arn"), help: "arn:aws:iam::ACCOUNT:role/NAME") var roleArn: String?
    @Option(help: "Session length in seconds (900..43200); default: the assertion's SessionDuration, else 3600.") var duration: Int?
    @Option(help: "credential-process (default, no secret on disk) or credentials-file (keys in ~/.aws/credentials).") var output: OutputMode?
    @Option(help: "Provider, when --idp-url is a new URL.") var provider: Provider?
}

extension SessionCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a session, or one per role the IdP offers (--from-idp-url).")
        @OptionGroup var fields: SessionFields
        @Option(name: .customLong("from-idp-url"), help: "Log in at this IdP URL and add sessions for the roles it offers.")
        var fromIdPURL: String?
        @Flag(help: "With --from-idp-url: add every offered role without asking.") var all = false
        @OptionGroup var login: LoginFlags
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            if let fromIdPURL {
                return try AddFromIdP(reference: fromIdPURL, all: all, region: fields.region, output: fields.output, login: login).run(context)
            }
            let alias = try value(fields.alias, "--alias", "Alias", context)
            let profile = try fields.profile ?? (context.prompter.isInteractive ? value(nil, "--profile", "Named profile [default]", context) : "default")
            let idpRef = try value(fields.idpURL, "--idp-url", "SAML 2.0 URL (or IdP URL name)", context)
            let idpArn = try value(fields.idpArn, "--idp-arn", "IdP ARN", context)
            let roleArn = try value(fields.roleArn, "--role-arn", "Role ARN", context)
            let region = try value(fields.region, "--region", "Region", context)
            let needsProvider = try context.loadConfig().findIdPURL(idpRef) == nil
            let provider = needsProvider ? try fields.provider ?? askProvider(context) : nil
            let session = try context.configStore.update { config -> Session in
                let idp: IdPURL
                if let existing = config.findIdPURL(idpRef) {
                    idp = existing
                } else {
                    guard WebURL(idpRef) != nil else {
                        throw LeappError(.validation, "no IdP URL named '\(Validation.printable(idpRef))'",
                                         hint: "give a SAML URL or see `leapp idp-url list`")
                    }
                    idp = try IdPURLCommand.create(url: idpRef, provider: provider ?? .generic, name: nil, username: nil, in: &config)
                }
                let session = Session(id: newID(), alias: alias, profile: profile, region: region, idpUrlId: idp.id,
                                      idpArn: idpArn, roleArn: roleArn, duration: fields.duration,
                                      output: fields.output ?? .credentialProcess)
                try Validation.check(session, in: config)
                config.sessions.append(session)
                return session
            }
            writeOut("added session \(session.alias) (profile \(session.profile), \(session.region))\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions with their state.")
        @Option(help: "table or json") var format: ListFormat = .table
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let config = try context.loadConfig()
            let states = SessionState.all(config.sessions, context)
            switch format {
            case .json:
                writeOut(renderJSON(.array(config.sessions.map { s in
                    let idp = config.idpURL(for: s)
                    let state = states[s.id]
                    return .object([
                        "id": .string(s.id), "alias": .string(s.alias), "profile": .string(s.profile),
                        "region": .string(s.region), "samlUrl": .string(idp?.url ?? ""), "idpUrl": .string(idp?.name ?? ""),
                        "provider": .string(idp?.provider.rawValue ?? ""), "idpArn": .string(s.idpArn),
                        "roleArn": .string(s.roleArn), "duration": s.duration.map { .number(Double($0)) } ?? .null,
                        "output": .string(s.output.rawValue), "state": .string(state?.name ?? "unknown"),
                        "expiration": state?.expiration.map { .string(RFC3339.format($0)) } ?? .null,
                    ])
                })))
            case .table:
                if config.sessions.isEmpty { writeOut("no sessions; add one with `leapp session add`\n"); return }
                let now = context.clock.now
                writeOut(renderTable(["ALIAS", "PROFILE", "REGION", "STATE", "LEFT", "ROLE"], config.sessions.map { s in
                    let state = states[s.id]
                    let left = state?.expiration.map { timeLeft(Int($0.timeIntervalSince(now))) } ?? "-"
                    return [s.alias, s.profile, s.region, state?.name ?? "unknown", state?.name == "active" ? left : "-", s.roleArn]
                }))
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a session's fields.")
        @Argument(help: "Alias, id or unique alias prefix.") var session: String
        @OptionGroup var fields: SessionFields
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let (before, after) = try context.configStore.update { config -> (Session, Session) in
                let before = try config.findSession(session)
                var s = before
                if let v = fields.alias { s.alias = v }
                if let v = fields.profile { s.profile = v }
                if let v = fields.region { s.region = v }
                if let v = fields.idpArn { s.idpArn = v }
                if let v = fields.roleArn { s.roleArn = v }
                if let v = fields.duration { s.duration = v == 0 ? nil : v }
                if let v = fields.output { s.output = v }
                if let ref = fields.idpURL {
                    if let idp = config.findIdPURL(ref) { s.idpUrlId = idp.id }
                    else if WebURL(ref) != nil {
                        s.idpUrlId = try IdPURLCommand.create(url: ref, provider: fields.provider ?? .generic, name: nil, username: nil, in: &config).id
                    } else { throw LeappError(.validation, "no IdP URL '\(Validation.printable(ref))'") }
                }
                try Validation.check(s, in: config)
                config.sessions[config.sessions.firstIndex { $0.id == s.id }!] = s
                return (before, s)
            }
            // A started session's profile entries follow the change.
            if before.profile != after.profile || before.output != after.output || before.alias != after.alias {
                try context.profileWriter.clear(before)
            }
            writeOut("updated session \(after.alias)\n")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a session (stopping it first).")
        @Argument(help: "Alias, id or unique alias prefix.") var session: String
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let removed = try context.configStore.update { config -> Session in
                let s = try config.findSession(session)
                config.sessions.removeAll { $0.id == s.id }
                return s
            }
            try context.profileWriter.clear(removed)
            cleanKeyring(context) { try $0.delete(.credentials, key: removed.id) }
            writeOut("deleted session \(removed.alias)\n")
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log in at the IdP, assume the role and fill the named profile.",
            discussion: "With valid cached credentials and no --force, nothing goes over the network.")
        @Argument(help: "Alias, id or unique alias prefix.") var session: String
        @OptionGroup var login: LoginFlags
        @Flag(help: "Log in again even when cached credentials are valid.") var force = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let config = try context.loadConfig()
            let s = try config.findSession(session)
            let options = try login.options(context, force: force)
            let (credentials, fresh) = try context.federation.credentials(for: s, in: config, options: options)
            try context.profileWriter.fill(s, credentials: credentials)
            let left = timeLeft(Int(credentials.expiration.timeIntervalSince(context.clock.now)))
            writeErr("leapp: session \(s.alias) \(fresh ? "started" : "is active") as \(credentials.assumedRoleArn ?? s.roleArn) (profile \(s.profile), \(left) left)\n")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the profile entries and drop cached credentials.")
        @Argument(help: "Alias, id or unique alias prefix.") var session: String
        @Flag(help: "Also forget the IdP session (cookies) and any remembered password.") var forget = false
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let config = try context.loadConfig()
            let s = try config.findSession(session)
            try context.profileWriter.clear(s)
            try context.federation.stop(s, in: config, forgetIdP: forget)
            writeErr("leapp: session \(s.alias) stopped\n")
        }
    }

    struct Current: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the active sessions.")
        @Option(help: "table or json") var format: ListFormat = .table
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let context = global.apply()
            let config = try context.loadConfig()
            let states = SessionState.all(config.sessions, context)
            let active = config.sessions.filter { states[$0.id]?.name == "active" }
            let now = context.clock.now
            switch format {
            case .json:
                writeOut(renderJSON(.array(active.map { s in
                    .object(["alias": .string(s.alias), "profile": .string(s.profile), "region": .string(s.region),
                             "roleArn": .string(s.roleArn),
                             "expiration": .string(RFC3339.format(states[s.id]!.expiration!))])
                })))
            case .table:
                if active.isEmpty { writeOut("no active session\n"); return }
                writeOut(renderTable(["ALIAS", "PROFILE", "REGION", "LEFT", "ROLE"], active.map { s in
                    [s.alias, s.profile, s.region, timeLeft(Int(states[s.id]!.expiration!.timeIntervalSince(now))), s.roleArn]
                }))
            }
        }
    }
}

/// A session's state from its cached credentials.
struct SessionState {
    var name: String
    var expiration: Date?

    static func all(_ sessions: [Session], _ context: AppContext) -> [String: SessionState] {
        var out: [String: SessionState] = [:]
        let now = context.clock.now
        var keyringError: LeappError?
        for s in sessions {
            guard keyringError == nil else { break }
            do {
                if let c = try context.federation.cached(s) {
                    out[s.id] = SessionState(name: c.expiration > now ? "active" : "expired", expiration: c.expiration)
                } else {
                    out[s.id] = SessionState(name: "stopped", expiration: nil)
                }
            } catch let e as LeappError { keyringError = e } catch {}
        }
        if let keyringError { writeErr("leapp: note: states unknown: \(keyringError.message)\n") }
        return out
    }
}

import ArgumentParser
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

struct Env: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print what exports a session's credentials: eval \"$(leapp env ALIAS)\".",
        discussion:
            "Starts or refreshes the session when needed. Unsets AWS_PROFILE and AWS_DEFAULT_PROFILE so no stale profile shadows the keys.")
    @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String?
    @Option(help: "The shell to print for (json: the credential_process document); default from $SHELL.", completion: Completions.envShells)
    var shell: ExportFormat?
    @Flag(help: "Print what removes every variable leapp sets.") var unset = false
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        let shell = self.shell ?? ExportFormat.guess(context.environment["SHELL"])
        if unset {
            context.write(SessionEnvironment.renderUnset(shell))
            return
        }
        try Self.export(session ?? context.defaultSession(for: "env"), shell: shell, context)
    }

    static func export(_ session: String, shell: ExportFormat, _ context: AppContext) throws {
        let (s, credentials) = try context.sessionWithCredentials(session)
        let env = SessionEnvironment(alias: s.alias, roleArn: s.roleArn, region: s.region, credentials: credentials)
        let state = HookState.render(shell, expiration: credentials.expiration, context: context)
        context.write(env.render(shell) + HookState.onlyWithHook(shell, state))
    }
}

/// The hook's own (unexported) bookkeeping: when to look at the credentials again.
enum HookState {
    static func render(_ shell: ExportFormat, expiration: Date, context: AppContext, due: Date? = nil) -> String {
        let now = context.clock.now
        let dueAt = due ?? expiration.addingTimeInterval(-context.federation.refreshMargin)
        return shell.dialect?.hookDeadlines(due: dueAt, expiration: expiration, now: now, uptime: uptimeSeconds) ?? ""
    }

    /// `leapp env` output is also eval'd in shells without the hook: there the hook's private
    /// variables would only be litter, so they are set only where the hook's function is
    /// defined (a builtin test, no process).
    static func onlyWithHook(_ shell: ExportFormat, _ state: String) -> String {
        guard !state.isEmpty, let dialect = shell.dialect else { return "" }
        return dialect.ifHookLoaded(state)
    }

    /// Whole seconds of /proc/uptime (fish reads the same file with its read builtin).
    static func uptimeSeconds() -> Int {
        guard let bytes = try? POSIXFileSystem().read("/proc/uptime") else { return 0 }
        return Int(String(decoding: bytes.prefix { $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: " ") }, as: UTF8.self)) ?? 0
    }
}

struct CredentialProcess: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential-process",
        abstract: "Print the AWS credential_process document for a session (what ~/.aws/config runs).")
    @Argument(help: "Alias, id or unique alias prefix.", completion: Completions.sessions) var session: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        try Self.document(session, global.apply(to: context))
    }

    static func document(_ session: String, _ context: AppContext) throws {
        context.allowPrompts = false  // the AWS CLI captures stderr: nobody could answer
        context.write(try context.sessionWithCredentials(session).1.processJSON + "\n")
    }
}

struct Exec: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with a session's credentials in its environment.",
        discussion:
            """
            leapp exec ALIAS COMMAND [ARGS...] (a -- before COMMAND is allowed); the command's exit status is passed through. Without a command: $SHELL.

            leapp exec --server ALIAS -- COMMAND: instead of keys, the command gets AWS_CONTAINER_CREDENTIALS_FULL_URI and \
            AWS_CONTAINER_AUTHORIZATION_TOKEN, a loopback endpoint of leapp's that the AWS SDKs and CLI call as their \
            credentials near expiry: a job longer than one STS duration keeps working.
            """
    )
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp(
            "[--server] ALIAS, then the command and its arguments; `-- COMMAND...` uses the default session (the directory's allowed .leapp-session, else $LEAPP_SESSION, else a menu).",
            valueName: "alias-and-command"),
        completion: Completions.sessions)
    var words: [String] = []
    @OptionGroup var global: GlobalOptions

    /// What the words mean: a leading `--` means no alias (everything after it is the command);
    /// otherwise the first word is the alias, matched whole (an alias or an id, never a prefix:
    /// a command word such as `terraform` must not select a session `terraform-admin`).
    static func split(_ words: [String]) -> (alias: String?, command: [String]) {
        var words = words
        if words.first == "--server" { words.removeFirst() }
        guard let first = words.first else { return (nil, []) }
        if first == "--" { return (nil, Array(words.dropFirst())) }
        let rest = words.dropFirst()
        return (first, Array(rest.first == "--" ? rest.dropFirst() : rest))
    }

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        if let first = words.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
        let server = words.first == "--server"
        var (alias, command) = Self.split(words)
        let reference: String
        if let alias {
            let config = try context.loadConfig()
            guard let found = config.sessions.first(where: { $0.alias == alias || $0.id == alias }) else {
                let near: [String] = config.sessions.map(\.alias).filter { $0.hasPrefix(alias) }.sorted()
                var hint = "to run a command with the default session: `leapp exec -- COMMAND...`"
                if !near.isEmpty { hint = "did you mean \(near.prefix(3).joined(separator: ", "))? " + hint }
                throw LeappError(.usage, "no session '\(Validation.printable(alias))' (exec takes a whole alias)", hint: hint)
            }
            reference = found.id
        } else {
            reference = try context.defaultSession(for: "exec")
        }
        let (s, credentials) = try context.sessionWithCredentials(reference)
        if server {
            guard !command.isEmpty else {
                throw LeappError(.usage, "exec --server needs a command", hint: "leapp exec --server \(s.alias) -- COMMAND...")
            }
            try Self.runWithServer(s, command: command, context)
        }
        if command.isEmpty {
            // A shell with the session's environment, as aws-vault and granted do.
            command = [context.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"]
            context.note("leapp: a \(command[0]) with session \(s.alias)'s credentials; `exit` to leave it")
        }
        let env = SessionEnvironment(alias: s.alias, roleArn: s.roleArn, region: s.region, credentials: credentials)
        ProcessCalls.replaceProcess(with: command, unset: SessionEnvironment.unsetVariables, set: env.variables)
    }
}

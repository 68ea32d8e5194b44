import ArgumentParser
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

/// A session's credential endpoint, running: the loopback server, its token and the refresher.
struct RunningEndpoint {
    let session: Session
    let endpoint: CredentialEndpoint
    let server: LoopbackServer
    let url: String

    /// Starts serving `session` at `address`. Refreshes run in a context of their own that
    /// never prompts (a command owns the terminal meanwhile) and draws no spinner; what fails
    /// is said in one line on the terminal leapp started from.
    static func start(_ session: Session, at address: EndpointAddress, _ context: AppContext) throws -> RunningEndpoint {
        let background = AppContext(environment: context.environment)
        background.allowPrompts = false
        background.implicit = true
        background.quiet = true
        background.verbose = context.verbose
        background.stderr = context.stderr
        let id = session.id
        let endpoint = CredentialEndpoint(
            token: CredentialEndpoint.newToken(), clock: background.clock, minimumMargin: background.federation.refreshMargin
        ) { margin in
            let config = try background.loadConfig()
            guard let s = config.sessions.first(where: { $0.id == id }) else {
                throw LeappError(.config, "session \(session.alias) was deleted", hint: "stop the endpoint")
            }
            let got = try background.sessions.credentials(for: s, in: config, margin: margin, servingStaleOn: { _ in true })
            return (got.credentials, got.refreshFailure)
        }
        let alias = session.alias
        let errorLine = context.stderr
        endpoint.onFailure = { error in
            let hint = error.hint.map { " (\($0))" } ?? ""
            errorLine(
                TerminalText.line(
                    "leapp: the endpoint could not refresh session \(alias): \(error.message)\(hint); it serves new credentials as soon as they are cached"
                )
                    + "\n")
        }
        endpoint.onRefused = { count in
            // The first, then every tenth, hundredth...: a flood does not flood the terminal.
            guard count == 1 || String(count).dropFirst().allSatisfy({ $0 == "0" }) else { return }
            errorLine("leapp: the endpoint refused a request without the right token (\(count) so far)\n")
        }
        let server = try LoopbackServer(address)
        let url = address.url(boundPort: server.port)
        try detachThread { server.serve { endpoint.respond(to: $0) } }
        try detachThread { endpoint.keepFresh() }
        return RunningEndpoint(session: session, endpoint: endpoint, server: server, url: url)
    }

    /// The summary line at exit: how many requests were served and refused.
    var summary: String {
        let (served, refused) = endpoint.counts
        return "leapp: the endpoint for \(session.alias) served \(served) request\(served == 1 ? "" : "s") and refused \(refused)"
    }
}

struct Serve: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a session's credentials to containers and SDKs over a local endpoint, until ^C.",
        discussion: """
            Prints AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN (or writes them to --env-file, \
            0600, for `docker run --env-file`). Listens on loopback only (default 127.0.0.1, a free port) or on a Unix \
            socket (0600). A request without the token gets 403. Credentials are refreshed ahead of the SDKs from the \
            keyring's IdP session; when the IdP needs a person, one line says so here.
            """)
    @Argument(
        help: "Alias, id or unique alias prefix (default: the directory's allowed .leapp-session, else $LEAPP_SESSION, else a menu).",
        completion: Completions.sessions)
    var session: String?
    @Option(help: "Listen on this loopback address and port (127.0.0.1:9911, [::1]:9911).") var listen: String?
    @Option(help: "Listen on this Unix socket instead (created 0600, removed at exit).") var socket: String?
    @Option(name: .customLong("env-file"), help: "Write the two variables to this file (0600, removed at exit) instead of stdout.")
    var envFile: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if listen != nil && socket != nil { throw ValidationError("--listen and --socket both say where to listen") }
    }

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        let address = try socket.map(EndpointAddress.socket) ?? listen.map(EndpointAddress.listen) ?? .loopback
        let (s, _) = try context.sessionWithCredentials(session ?? context.defaultSession(for: "serve"))
        TerminationSignals.block()
        let running = try RunningEndpoint.start(s, at: address, context)
        defer { running.server.removeSocket() }
        let lines = "AWS_CONTAINER_CREDENTIALS_FULL_URI=\(running.url)\nAWS_CONTAINER_AUTHORIZATION_TOKEN=\(running.endpoint.token)\n"
        if let envFile {
            try context.fs.writeAtomically(envFile, Array(lines.utf8), mode: 0o600)
        } else {
            context.write(lines)
        }
        var place = running.url
        if case .unix(let path) = address { place = "the Unix socket \(path)" }
        context.note(
            "leapp: serving session \(s.alias)'s credentials at \(place)\(envFile.map { " (variables in \($0))" } ?? ""); ^C stops")
        _ = TerminationSignals.wait()
        if let envFile { try? context.fs.remove(envFile) }
        context.note(running.summary)
    }
}

extension Exec {
    /// `leapp exec --server`: the command gets the endpoint's URL and token instead of keys,
    /// and leapp stays beside it, refreshing, until it exits.
    static func runWithServer(_ s: Session, command: [String], _ context: AppContext) throws -> Never {
        let running = try RunningEndpoint.start(s, at: .loopback, context)
        let env = EndpointEnvironment(alias: s.alias, roleArn: s.roleArn, region: s.region, url: running.url, token: running.endpoint.token)
        var set = env.variables
        var unset = EndpointEnvironment.unsetVariables
        // The SDKs read a default profile's credentials before the endpoint: such a file is
        // hidden from the command (one line says so).
        for (variable, path, isConfig) in [
            ("AWS_SHARED_CREDENTIALS_FILE", context.profileWriter.credentialsPath, false),
            ("AWS_CONFIG_FILE", context.profileWriter.configPath, true),
        ] {
            guard let bytes = try? context.fs.read(path),
                EndpointEnvironment.defaultProfileSuppliesCredentials(INIDocument(bytes), isConfig: isConfig)
            else { continue }
            unset.append(variable)
            set.append((variable, "/dev/null"))
            context.note(
                "leapp: note: the default profile in \(path) has credentials the AWS SDKs would prefer; the command runs without that file")
        }
        let status = ChildProcess.run(command, unset: unset, set: set)
        if running.endpoint.counts.refused > 0 || context.verbose { context.note(running.summary) }
        Glibc.exit(status)
    }
}

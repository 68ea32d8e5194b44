import LeappCore
import LeappSystem

/// The composition root: everything a command needs from the outside world, built
/// lazily so that a command pays only for what it uses (no libsecret or libcurl
/// for `hook`, `allow`, `--version`).
final class AppContext {
    let environment: [String: String]
    let home: String
    var verbose = false
    var allowPrompts = true
    /// `--quiet`: errors only (no notes, warnings or confirmations; data output stays).
    var quiet = false

    init(environment: [String: String]) {
        self.environment = environment
        self.home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
    }

    static func live() -> AppContext { AppContext(environment: ProcessCalls.environment()) }

    func xdg(_ variable: String, _ fallback: String) -> String {
        if let v = environment[variable], v.hasPrefix("/") { return v }
        return home + "/" + fallback
    }

    lazy var configDirectory = xdg("XDG_CONFIG_HOME", ".config") + "/leapp"
    lazy var dataDirectory = xdg("XDG_DATA_HOME", ".local/share") + "/leapp"
    lazy var fs: FileSystem = POSIXFileSystem()
    lazy var parser: MarkupParser = LibXMLParser()
    lazy var clock: Clock = SystemClock()
    lazy var prompter: Prompter = TerminalPrompter(allowed: allowPrompts, progress: !quiet, colors: Style.stderrColor)
    /// Set for what runs without a person waiting on it (`env`, `credential-process`, `exec`,
    /// the hook): the keyring gets a short deadline there, a long one where a person ran a
    /// command and waits (a busy machine or an unlock prompt may take seconds).
    var implicit = false
    static let implicitCommands: Set<String> = ["env", "credential-process", "exec", "hook-env"]
    static let implicitKeyringMs = 2000
    static let explicitKeyringMs = 60000
    lazy var keyringTimeoutMs: Int =
        environment["LEAPP_KEYRING_TIMEOUT_MS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        ?? (implicit ? Self.implicitKeyringMs : Self.explicitKeyringMs)
    /// Which store holds the secrets, and why (LEAPP_SECRET_STORE, the configuration, or the
    /// bus that is there or not); decided without a D-Bus round trip.
    /// The setting as the fast path's one walk of the configuration found it (nil: not read yet).
    var knownSecretStoreSetting: String??
    lazy var secretStoreChoice: Result<SecretStoreChoice, LeappError> = {
        do {
            return .success(
                try SecretStoreChoice.resolve(
                    requested: environment["LEAPP_SECRET_STORE"], configured: knownSecretStoreSetting ?? configStore.quickSecretStore(),
                    bus: sessionBus?.found))
        } catch let error as LeappError {
            return .failure(error)
        } catch {
            return .failure(LeappError(.config, "\(error)"))
        }
    }()
    /// The bus libsecret would use: DBUS_SESSION_BUS_ADDRESS, else a systemd user session's
    /// socket at $XDG_RUNTIME_DIR/bus (one stat, no D-Bus round trip).
    lazy var sessionBus: (address: String, found: SecretStoreChoice.SessionBus)? = {
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty { return (address, .address) }
        guard let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), ProcessCalls.isSocket(runtime + "/bus") else {
            return nil
        }
        return ("unix:path=\(runtime)/bus", .runtimeSocket)
    }()
    /// The settings the core works with, from the environment.
    lazy var settings = Settings(environment: environment)
    lazy var kernelScope = environment["LEAPP_KERNEL_KEYRING"].flatMap(KernelKeyringStore.Scope.init(rawValue:)) ?? .persistent
    /// Where the Secret Service's credentials are cached (see CredentialCache).
    lazy var credentialCache = KernelKeyringStore(scope: kernelScope, name: "leapp-cache")
    /// The encrypted secret file, its key kept in the kernel keyring until reboot.
    lazy var fileStore = EncryptedFileStore(
        fs: fs, path: dataDirectory + "/secrets.sealed", keyCache: KernelKeyringStore(scope: kernelScope)
    ) { [unowned self] confirm in try self.filePassphrase(confirm: confirm) }

    /// LEAPP_FILE_PASSPHRASE_FILE (never an environment variable's value, never argv), else a
    /// person at a terminal; nil when neither is there.
    func filePassphrase(confirm: Bool) throws -> String? {
        if let file = environment["LEAPP_FILE_PASSPHRASE_FILE"], !file.isEmpty {
            guard let bytes = try fs.read(file, limit: 4096, followLinks: true) else {
                throw LeappError(.config, "LEAPP_FILE_PASSPHRASE_FILE names \(Validation.printable(file)), which does not exist")
            }
            var text = String(decoding: bytes, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
        guard prompter.isInteractive else { return nil }
        let first = try prompter.askSecret(confirm ? "New passphrase for leapp's secret file: " : "Passphrase for leapp's secret file: ")
        if confirm {
            guard first.count >= 8 else { throw LeappError(.usage, "the passphrase is shorter than 8 characters") }
            guard try prompter.askSecret("The same again: ") == first else { throw LeappError(.usage, "the passphrases differ") }
        }
        return first
    }

    lazy var secrets: SecretStore = {
        switch secretStoreChoice {
        case .failure(let error): return UnusableSecretStore(error: error)
        case .success(let choice):
            log("secrets: \(choice.kind.description) (\(choice.reason))")
            return makeStore(choice.kind)
        }
    }()

    /// A store of the given kind; the Secret Service with the credential cache in front.
    func makeStore(_ kind: SecretStoreChoice.Kind) -> SecretStore {
        switch kind {
        case .secretService:
            let service = LibSecretStore(timeoutMs: keyringTimeoutMs)
            if !implicit {
                // The main thread is inside the keyring call meanwhile: the terminal is the notice's alone.
                let terminal = UncheckedBox(prompter)
                service.waiting = { waiting in
                    terminal.value.progress(waiting ? "waiting for the keyring (it may be asking you to unlock it)..." : nil)
                }
            }
            let cache = CredentialCache(store: service, cache: credentialCache, clock: clock)
            cache.enabled = environment["LEAPP_CREDENTIAL_CACHE"] != "0"
            cache.log = { [unowned self] in self.log($0) }
            return cache
        case .kernel: return KernelKeyringStore(scope: kernelScope)
        case .file: return fileStore
        }
    }
    lazy var configStore = ConfigStore(directory: configDirectory, fs: fs)
    lazy var profileLocks = ProfileLocks(fs: fs, dataDirectory: dataDirectory)

    func loadConfig() throws -> Configuration { try configStore.load() }

    /// Where output goes: the command's data and confirmations on stdout, notes, logs and
    /// errors on stderr. Every command writes through these (tests put in their own).
    var stdout: (String) -> Void = { writeOut($0) }
    var stderr: (String) -> Void = { writeErr($0) }

    /// The command's data (a list, an env script, JSON): written even when quiet.
    func write(_ data: String) { stdout(data) }

    /// An error line for one part of a command that goes on (the command's own error is main's).
    func error(_ line: String) { stderr(line) }

    func log(_ line: String) {
        if verbose && !quiet { stderr("leapp: " + TerminalText.line(line) + "\n") }
    }

    /// An informational line or a warning on stderr (a full line, `leapp:` included), unless quiet.
    func note(_ line: String) {
        if !quiet { stderr(TerminalText.line(line) + "\n") }
    }

    /// A confirmation on stdout ("added session dev ..."), unless quiet.
    func confirm(_ line: String) {
        if !quiet { stdout(line + "\n") }
    }

    /// An HTTP client with the user's CA bundle and timeout (`timeoutMs` caps the latter).
    func makeHTTP(timeoutMs cap: Int? = nil) throws -> HTTPClient { try httpFactory(cap) }

    /// Makes HTTP clients (tests put in one that fails when touched).
    lazy var httpFactory: (Int?) throws -> HTTPClient = { [unowned self] cap in try self.liveHTTP(timeoutMs: cap) }

    func liveHTTP(timeoutMs cap: Int?) throws -> HTTPClient {
        var options = CurlHTTPClient.Options()
        if let ca = environment["LEAPP_CA_BUNDLE"], !ca.isEmpty { options.caBundle = ca }
        if let t = environment["LEAPP_HTTP_TIMEOUT_MS"].flatMap(Int.init) { options.timeoutMs = t }
        if let cap { options.timeoutMs = min(options.timeoutMs, cap) }
        let client = try CurlHTTPClient(options: options)
        if verbose { client.trace = { [weak self] in self?.log($0) } }
        return client
    }

    lazy var federation: Federation = {
        var f = Federation(
            secrets: secrets, makeHTTP: { [unowned self] in try self.makeHTTP() }, parser: parser,
            prompter: prompter, clock: clock, settings: settings)
        f.log = { [unowned self] in self.log($0) }
        f.personReadsStderr = !implicit && allowPrompts
        f.rememberUsername = { [unowned self] idp, username in
            do {
                try self.configStore.update { config in
                    if let i = config.idpUrls.firstIndex(where: { $0.id == idp.id }), config.idpUrls[i].username == nil {
                        config.idpUrls[i].username = username
                    }
                }
                self.note(
                    "leapp: remembered \(username) as \(idp.name)'s username (`leapp idp-url edit \(idp.name) --username ''` forgets it)")
            } catch { self.log("could not remember the username: \(error)") }
        }
        f.rememberRole = { [unowned self] session, role in
            do {
                try self.configStore.update { config in
                    if let i = config.sessions.firstIndex(where: { $0.id == session.id }) {
                        config.sessions[i].roleArn = role.roleArn
                        config.sessions[i].idpArn = role.principalArn
                    }
                }
                self.note("leapp: session \(session.alias) now assumes \(role.roleArn)")
            } catch { self.note("leapp: warning: could not keep the role: \(error)") }
        }
        f.rememberOktaEngine = { [unowned self] idp, engine in
            do {
                try self.configStore.update { config in
                    if let i = config.idpUrls.firstIndex(where: { $0.id == idp.id && $0.url == idp.url }) {
                        config.idpUrls[i].oktaEngine = engine
                    }
                }
            } catch { self.log("could not keep \(idp.name)'s Okta engine: \(error)") }
        }
        f.openURL = { [unowned self] url in
            do { try self.openURL(url) } catch { self.log("could not open the browser: \(error)") }
        }
        f.withIdPLock = { [unowned self] idp, body in try self.profileLocks.waiting(forIdPURL: idp.id, body) }
        f.browser = { [unowned self] in
            ChromiumBrowser(environment: self.environment, verbose: self.verbose, log: { [unowned self] in self.log($0) })
        }
        if let m = environment["LEAPP_REFRESH_MARGIN"].flatMap(Double.init) { f.refreshMargin = m }
        return f
    }()

    /// The command the AWS CLI runs for credential_process: this binary by absolute path,
    /// quoted the way the AWS CLI splits the line (shlex).
    lazy var leappCommand: String = ShellQuoting.shlex(fs.realPath("/proc/self/exe") ?? "leapp")

    lazy var sessions = SessionService(federation: federation, profiles: profileWriter, locks: profileLocks, clock: clock)

    lazy var profileWriter: ProfileWriter = {
        var writer = ProfileWriter(
            fs: fs, secrets: secrets, home: home, leappCommand: leappCommand, stateDirectory: dataDirectory,
            credentialsFile: environment["AWS_SHARED_CREDENTIALS_FILE"], configFile: environment["AWS_CONFIG_FILE"])
        writer.notice = { [unowned self] in self.note($0) }
        return writer
    }()
}

extension AppContext {
    /// A session by alias, id or unique alias prefix; several matches give a menu on a
    /// terminal and an error listing them otherwise.
    func session(_ reference: String, in config: Configuration) throws -> Session {
        do {
            return try config.findSession(reference)
        } catch let error as LeappError where error.reason == .ambiguous && prompter.isInteractive {
            let candidates = config.sessions.filter { $0.alias.hasPrefix(reference) }
            return candidates[try prompter.choose("Which session?", options: candidates.map { "\($0.alias)  \($0.roleArn)" })]
        }
    }
}

extension AppContext {
    /// Credentials for a session (SessionService.credentials); stale ones served after a
    /// failed refresh come with one warning line.
    func credentials(
        for session: Session, in config: Configuration, servingStaleOn servesStale: (LeappError) -> Bool = { $0.kind == .needsUser }
    ) throws -> (credentials: AWSCredentials, refreshFailure: LeappError?) {
        let got = try sessions.credentials(for: session, in: config, servingStaleOn: servesStale)
        if let failure = got.refreshFailure {
            note("leapp: warning: " + sessions.staleWarning(session, got.credentials, failure))
        }
        return got
    }

    /// Each session's state; when the keyring fails, one note and the states read so far.
    func sessionStates(_ list: [Session]) -> [String: SessionState] {
        let (states, failure) = sessions.states(of: list)
        if let failure { note("leapp: note: states unknown: \(failure.message)") }
        return states
    }
}

extension AppContext {
    /// A session by reference and its credentials. An exact alias or id with valid cached
    /// credentials costs one small read of the configuration (a scan, however many sessions
    /// it holds) and one keyring read; anything else takes the full load.
    func sessionWithCredentials(_ reference: String) throws -> (Session, AWSCredentials) {
        if let quick = configStore.quickLookup(reference), let s = quick.session {
            knownSecretStoreSetting = .some(quick.secretStore)
            if let cached = try sessions.validCache(s) { return (s, cached) }
        }
        let config = try loadConfig()
        let s = try session(reference, in: config)
        return (s, try credentials(for: s, in: config).credentials)
    }

    /// Opens a URL (or a file leapp wrote) in the desktop's browser, detached (`DesktopOpener`).
    func openURL(_ target: String) throws {
        try DesktopOpener.open(target, environment: environment)
    }
}

/// Stands in for a store that cannot be chosen (an unknown name): every use says why.
final class UnusableSecretStore: SecretStore {
    let error: LeappError
    init(error: LeappError) { self.error = error }
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws { throw error }
    func lookup(_ kind: SecretKind, key: String) throws -> String? { throw error }
    func delete(_ kind: SecretKind, key: String) throws -> Bool { throw error }
    func checkWritable() throws { throw error }
    func list() throws -> [(SecretKind, String)] { throw error }
}

/// Hands a value to another thread where the code around it makes that safe (said at the use).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// What a login may use: the user's answers (given by flag, stdin or prompt) and the ports.
public final class LoginContext {
    public let idp: IdPURL
    public let http: HTTPClient
    public let parser: MarkupParser
    public let prompter: Prompter
    public let clock: Clock
    /// The command that completes a login a person must finish (for messages).
    public let resumeCommand: String
    public var username: String?
    /// What a poll waits for, as the progress line says it ("the Okta Verify push (tap 42)").
    public var waitingFor: String?
    /// Whether the person typed the username at the prompt (it is then remembered).
    public private(set) var usernameWasAsked = false
    public var mfaCode: String?
    public var mfaFactor: String?
    /// Where a password comes from when the IdP asks for one: stdin, the keyring, or a prompt.
    public var passwordSource: () throws -> String?
    /// The step being worked on, for error messages.
    public var step = "start"
    /// The password and codes of this login: `failure` and `needsUser` blank them out of
    /// any message (an IdP page may echo what was typed).
    public private(set) var secrets: [String] = []
    private var cachedPassword: String?
    /// How often to poll a push approval, and for how long.
    public var pollInterval: Double = 2
    /// Set when the user fixed the interval (LEAPP_POLL_INTERVAL_MS); otherwise an IdP's own
    /// interval is respected.
    public var pollIntervalFixed = false
    public var pollTimeout: Double = 120
    /// The keyring, for provider API credentials (OneLogin's client id and secret).
    public var keyring: SecretStore?
    /// Someone reads stderr though no terminal may be there (Federation.personReadsStderr):
    /// a push can be waited for.
    public var personReadsStderr = false
    /// `--verbose` lines (never secrets).
    public var log: (String) -> Void = { _ in }
    /// The person's settings (OneLogin's API client, Google's await URL, poll timing).
    public var settings = Settings()
    /// What this login has sent: a form that comes back after it is the IdP's refusal.
    public var submissions = Submissions()

    /// Marks the answers a form carries as sent, or throws the IdP's refusal when the form
    /// came back after them (see Submissions).
    public func submit(_ answers: Set<LoginAnswer>, why: @autoclosure () -> String?) throws {
        try submissions.submit(answers, why: why(), in: self)
    }

    public init(
        idp: IdPURL, http: HTTPClient, parser: MarkupParser, prompter: Prompter, clock: Clock,
        resumeCommand: String, username: String?, mfaCode: String?, mfaFactor: String?,
        passwordSource: @escaping () throws -> String?
    ) {
        self.idp = idp
        self.http = http
        self.parser = parser
        self.prompter = prompter
        self.clock = clock
        self.resumeCommand = resumeCommand
        self.username = username
        self.mfaCode = mfaCode
        self.mfaFactor = mfaFactor
        self.passwordSource = passwordSource
    }

    public var providerName: String { idp.provider.rawValue }

    /// An error from the IdP, naming the provider and the step.
    public func failure(_ what: String, hint: String? = nil) -> LeappError {
        LeappError(.idp, scrub("\(providerName): \(what) (step: \(step))"), hint: hint.map(scrub))
    }

    /// A message with this login's secrets replaced by `***`.
    public func scrub(_ message: String) -> String {
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(message) { $0.replacing($1, with: "***") }
    }

    /// A page this provider does not recognise: which provider (in the prefix), which URL path,
    /// what was expected, and what to do meanwhile.
    public func unexpectedPage(_ page: IdPPage, expected: String) -> LeappError {
        let path = WebURL(page.url)?.pathAndQuery.split(separator: "?").first.map(String.init) ?? "?"
        return needsBrowser(
            "unexpected page at \(Validation.printable(path, limit: 120)) (HTTP \(page.status)); expected \(expected)",
            why: "the IdP may serve a page generation leapp does not know yet")
    }

    /// The IdP asks for what only a browser can answer: says how to log in in one.
    public func needsBrowser(_ what: String, why: String? = nil) -> LeappError {
        let error = failure(what)
        let how = "log in in a browser: `\(resumeCommand) --browser` (or pass --saml-response-file)"
        return LeappError(error.kind, error.message, hint: why.map { "\($0): \(how)" } ?? how, reason: .needsBrowser)
    }

    /// The login needs a person and none can answer here.
    public func needsUser(_ what: String) -> LeappError {
        LeappError(
            .needsUser, "\(providerName) asks for \(what), and no terminal is available to ask",
            hint: "run `\(resumeCommand)` in a terminal (or pass --password-stdin / --mfa-code)")
    }

    public func requireUsername() throws -> String {
        if let username, !username.isEmpty { return username }
        guard prompter.isInteractive else {
            throw LeappError(
                .needsUser, "\(providerName) asks for a username, and no terminal is available to ask",
                hint: "run `\(resumeCommand) --username NAME` (or set it once: `leapp idp-url edit \(idp.name) --username NAME`)")
        }
        let answer = try prompter.ask("Username for \(idp.name): ").trimmed
        guard !answer.isEmpty else { throw failure("no username given") }
        username = answer
        usernameWasAsked = true
        return answer
    }

    public func requirePassword() throws -> String {
        if let cachedPassword { return cachedPassword }
        if let p = try passwordSource(), !p.isEmpty {
            remember(p)
            return p
        }
        guard prompter.isInteractive else { throw needsUser("a password") }
        let p = try prompter.askSecret("Password for \(username ?? "you") at \(idp.name): ")
        guard !p.isEmpty else { throw failure("no password given") }
        remember(p)
        return p
    }

    public var passwordWasRead: String? { cachedPassword }

    private func remember(_ password: String) {
        cachedPassword = password
        secrets.append(password)
    }

    /// An MFA code from --mfa-code (used once) or a prompt.
    public func requireCode(_ what: String) throws -> String {
        if let code = mfaCode {
            mfaCode = nil
            secrets.append(code)
            return code
        }
        guard prompter.isInteractive else { throw needsUser(what) }
        let code = try prompter.ask("\(what): ").trimmed
        guard !code.isEmpty else { throw failure("no code given") }
        secrets.append(code)
        return code
    }

    // MARK: pages

    /// Sends a request and reads the answer as JSON (nil when the body is not JSON).
    public func json(_ request: HTTPRequest) throws -> (status: Int, body: JSONValue) {
        let response = try send(request)
        return (response.status, JSONValue.parse(response.body) ?? .null)
    }

    /// Waits for the next poll of a push approval; throws once the wait is over.
    public func waitForPoll(started: Date) throws {
        // A push needs no input, but someone who sees that it waits: not the hook or the AWS CLI.
        guard prompter.isInteractive || personReadsStderr else { throw needsUser("an approval on your device (\(step))") }
        if clock.now.timeIntervalSince(started) > pollTimeout {
            throw failure("no answer to the push notification within \(Int(pollTimeout)) s", hint: "try again, or use a code")
        }
        prompter.progress("waiting for \(waitingFor ?? step)... \(Int(clock.now.timeIntervalSince(started))) s")
        clock.sleep(seconds: min(max(pollInterval, 0.01), 30))  // an IdP's interval, bounded
    }

    /// Sends a request; an IdP slower than 2 s gets a spinner naming the IdP URL and the step.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        prompter.progress("waiting for \(idp.name) (\(step))...", after: 2)
        defer { prompter.progress(nil) }
        return try http.send(request)
    }

    /// Sends a request and reads the answer as an HTML page.
    public func page(_ request: HTTPRequest) throws -> IdPPage {
        let response = try send(request)
        let doc = try parser.parseHTML(response.body)
        return IdPPage(response: response, document: doc, forms: try HTMLForm.all(in: doc))
    }
}

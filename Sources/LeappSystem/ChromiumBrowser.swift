import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// Browser login on a real Chromium-family browser (Chromium, Google Chrome, Microsoft Edge,
/// Brave), driven over the DevTools pipe. Each login gets a fresh private profile (0700) in
/// its own process group; the browser and the profile are gone when `catchPost` returns,
/// whatever happened: the catch, an error, the person closing the window, a crash, a timeout,
/// Ctrl-C or SIGTERM (the signal is raised again once everything is cleaned up).
public struct ChromiumBrowser: BrowserLauncher {
    /// Looked for on PATH in this order when LEAPP_BROWSER_BINARY is not set.
    public static let candidates = [
        "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "microsoft-edge-stable",
        "brave-browser", "brave",
    ]

    let environment: [String: String]
    let verbose: Bool
    let log: (String) -> Void

    public init(environment: [String: String], verbose: Bool, log: @escaping (String) -> Void) {
        self.environment = environment
        self.verbose = verbose
        self.log = log
    }

    /// The browser to run: LEAPP_BROWSER_BINARY (a path or a name on PATH), else the first
    /// candidate on PATH.
    public static func find(_ environment: [String: String]) throws -> String {
        func onPath(_ name: String) -> String? { executable(name, environment) }
        if let wanted = environment["LEAPP_BROWSER_BINARY"], !wanted.isEmpty {
            guard let found = onPath(wanted) else {
                throw LeappError(
                    .config, "LEAPP_BROWSER_BINARY names \(Validation.printable(wanted)), which is not an executable here",
                    hint: "point it at a Chromium-family browser, or unset it")
            }
            return found
        }
        guard let found = candidates.lazy.compactMap(onPath).first else {
            throw LeappError(
                .config, "no Chromium-family browser found on PATH (looked for chromium, google-chrome, microsoft-edge, brave)",
                hint: "install one (Debian/Ubuntu: `apt install chromium`) or set LEAPP_BROWSER_BINARY")
        }
        return found
    }

    public func checkAvailable() throws { _ = try Self.find(environment) }

    public func catchPost(_ request: BrowserCatchRequest) throws -> BrowserCatch {
        let binary = try Self.find(environment)
        let (profile, owner) = try makeProfile()
        defer { close(owner) }  // held until the profile is gone: while held, no sweep takes it
        let signals = leapp_signals_catch()
        var browser: RunningBrowser?
        let outcome: Result<BrowserCatch, Error>
        do {
            let started = try RunningBrowser.start(
                binary: binary, arguments: arguments(profile: profile, headless: request.headless),
                environment: childEnvironment(profile: profile), keepStderr: verbose,
                signals: signals, deadline: DevToolsPipe.now() + request.timeout)
            browser = started
            log("started \(binary) (pid \(started.pid)) with a private profile")
            outcome = .success(try drive(started.pipe, request))
        } catch {
            outcome = .failure(error)
        }
        let status = browser?.stop()
        let removed = leapp_remove_tree(profile)
        leapp_signals_release()
        if removed != 0 { log("could not remove the browser profile \(profile): errno \(removed)") }
        switch outcome {
        case .success(let caught): return caught
        case .failure(DevToolsPipe.Failure.signal(let number)):
            raise(number)  // the default action now that the handlers are back
            throw LeappError(.needsUser, "browser login interrupted")
        case .failure(let error): throw describe(error, status: status, timeout: request.timeout)
        }
    }

    func arguments(profile: String, headless: Bool) -> [String] {
        var args = [
            "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check",
            "--disable-sync", "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
            // Chromium's own password store would otherwise talk to the user's keyring.
            "--password-store=basic", "--disable-features=Translate,MediaRouter",
        ]
        if headless { args.append("--headless=new") }
        if geteuid() == 0 { args.append("--no-sandbox") }  // Chromium refuses to run as root with its sandbox
        args.append("about:blank")
        return args
    }

    /// The browser's environment: ours, with its temporary files (among them its singleton
    /// socket) inside the profile, so that they go with it.
    func childEnvironment(profile: String) -> [String] {
        var env = environment
        env["TMPDIR"] = profile + "/tmp"
        mkdir(profile + "/tmp", 0o700)
        return env.map { "\($0.key)=\($0.value)" }
    }

    /// Where profiles go: $XDG_RUNTIME_DIR (memory, the user's only, cleared at logout and
    /// reboot), else $TMPDIR, else /tmp. A socket path inside must fit in 108 bytes, so a long
    /// directory gives way to the next.
    func profileBase() -> String {
        for candidate in [environment["XDG_RUNTIME_DIR"], environment["TMPDIR"]] {
            guard let dir = candidate, dir.hasPrefix("/"), dir.utf8.count <= 40 else { continue }
            var st = stat()
            if stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == geteuid() || dir == environment["TMPDIR"] {
                return dir
            }
        }
        return "/tmp"
    }

    static let profilePrefix = "leapp-browser-"
    static let ownerFile = "/owner.lock"

    /// A private directory for one login's profile (0700), and the descriptor of the lock
    /// that marks it as in use. Profiles a killed leapp left behind (their lock free) are
    /// swept first: they hold IdP cookies.
    func makeProfile() throws -> (String, Int32) {
        let base = profileBase()
        Self.sweepStaleProfiles(in: base, log: log)
        var template = Array("\(base)/\(Self.profilePrefix)XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw LeappError(.file, "cannot make a browser profile directory in \(base): \(String(cString: strerror(errno)))")
        }
        let profile = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let owner = open(profile + Self.ownerFile, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard owner >= 0, flock(owner, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if owner >= 0 { close(owner) }
            _ = leapp_remove_tree(profile)
            throw LeappError(.file, "cannot lock the browser profile in \(base): \(reason)")
        }
        return (profile, owner)
    }

    /// Removes the profiles in `base` whose owner lock nobody holds (the leapp that made them
    /// was killed: SIGKILL, the OOM killer). Only directories of this user; a profile without
    /// a lock file (one being made this instant) is left alone.
    static func sweepStaleProfiles(in base: String, log: (String) -> Void) {
        for name in POSIXFileSystem.entries(of: base) where name.hasPrefix(profilePrefix) {
            let path = base + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == geteuid() else { continue }
            let fd = open(path + ownerFile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            let stale = flock(fd, LOCK_EX | LOCK_NB) == 0
            close(fd)
            if stale, leapp_remove_tree(path) == 0 { log("removed a browser profile a killed leapp left behind") }
        }
    }

    func drive(_ pipe: DevToolsPipe, _ request: BrowserCatchRequest) throws -> BrowserCatch {
        try pipe.call("Target.setDiscoverTargets", ["discover": true])
        let targets = try pipe.call("Target.getTargets")["targetInfos"]?.array ?? []
        var targetId = targets.first { $0["type"]?.string == "page" }?["targetId"]?.string
        if targetId == nil { targetId = try pipe.call("Target.createTarget", ["url": "about:blank"])["targetId"]?.string }
        guard let targetId else { throw DevToolsPipe.Failure.closed }
        guard let session = try pipe.call("Target.attachToTarget", ["targetId": .string(targetId), "flatten": true])["sessionId"]?.string
        else { throw DevToolsPipe.Failure.closed }
        if !request.cookies.isEmpty {
            try pipe.call("Storage.setCookies", ["cookies": .array(request.cookies.map(Self.cookieParam))])
        }
        try pipe.call("Page.enable", session: session)
        let patterns = request.catching.map { JSONValue.object(["urlPattern": .string("\($0)*"), "requestStage": "Request"]) }
        try pipe.call("Fetch.enable", ["patterns": .array(patterns)], session: session)
        let navigated = try pipe.call("Page.navigate", ["url": .string(request.url)], session: session)
        if let failure = navigated["errorText"]?.string, !failure.isEmpty {
            // A navigation aborted because the person closed the browser (or it is shutting
            // down) is said as such: a closing browser tells within moments.
            if failure.contains("ERR_ABORTED") { try awaitClosing(pipe, targetId: targetId, session: session, seconds: 2) }
            throw LeappError(
                .network, "the browser could not open \(WebURL(request.url)?.host ?? "the IdP URL"): \(Validation.printable(failure))",
                hint: "check the IdP URL and the network")
        }
        while true {
            let event = try pipe.nextEvent()
            let params = event["params"] ?? .object([:])
            if Self.isClosing(event, targetId: targetId, session: session) { throw BrowserClosed() }
            switch event["method"]?.string {
            case "Fetch.requestPaused":
                guard let requestId = params["requestId"]?.string else { continue }
                let url = params["request"]?["url"]?.string ?? ""
                guard request.catching.contains(where: { url.hasPrefix($0) }) else {
                    try pipe.call("Fetch.continueRequest", ["requestId": .string(requestId)], session: session)
                    continue
                }
                let body = Self.postBody(params["request"] ?? .null)
                // Nothing reaches AWS: the request ends here.
                try pipe.call("Fetch.failRequest", ["requestId": .string(requestId), "errorReason": "Aborted"], session: session)
                log("browser: caught the POST to \(WebURL(url).map { "\($0.host)\(Self.path($0))" } ?? "the sign-in page")")
                let cookies = try pipe.call("Storage.getCookies")["cookies"]?.array.compactMap(Self.cookie) ?? []
                return BrowserCatch(url: url, body: body, cookies: cookies)
            case "Page.frameNavigated":
                let frame = params["frame"] ?? .null
                if frame["parentId"] == nil, let url = frame["url"]?.string.flatMap(WebURL.init) {
                    log("browser: at \(url.origin)\(Self.path(url))")
                }
            case "Target.targetCrashed" where params["targetId"]?.string == targetId:
                throw LeappError(.idp, "the IdP's page crashed the browser tab", hint: "try again, or use --saml-response-file")
            default:
                continue
            }
        }
    }

    struct BrowserClosed: Error {}

    /// The events that say the browser (or the login's tab) is going away.
    static func isClosing(_ event: JSONValue, targetId: String, session: String) -> Bool {
        let params = event["params"] ?? .null
        switch event["method"]?.string {
        case "Target.targetDestroyed": return params["targetId"]?.string == targetId
        case "Target.detachedFromTarget": return params["sessionId"]?.string == session
        case "Inspector.detached": return true
        default: return false
        }
    }

    /// Throws `BrowserClosed` when the browser closes within `seconds`; returns otherwise.
    func awaitClosing(_ pipe: DevToolsPipe, targetId: String, session: String, seconds: Double) throws {
        let deadline = pipe.deadline
        pipe.deadline = min(deadline, DevToolsPipe.now() + seconds)
        defer { pipe.deadline = deadline }
        do {
            while true {
                if Self.isClosing(try pipe.nextEvent(), targetId: targetId, session: session) { throw BrowserClosed() }
            }
        } catch DevToolsPipe.Failure.timedOut {
            return
        } catch DevToolsPipe.Failure.closed {
            throw BrowserClosed()
        }
    }

    /// The path of a URL without its query (which may carry tokens).
    static func path(_ url: WebURL) -> String {
        Validation.printable(String(url.pathAndQuery.split(separator: "?", maxSplits: 1).first ?? ""), limit: 120)
    }

    static func postBody(_ request: JSONValue) -> [UInt8] {
        if let text = request["postData"]?.string { return Array(text.utf8) }
        return request["postDataEntries"]?.array.flatMap { Base64.decode($0["bytes"]?.string ?? "") ?? [] } ?? []
    }

    static func cookieParam(_ c: BrowserCookie) -> JSONValue {
        var param: [String: JSONValue] = [
            "name": .string(c.name), "value": .string(c.value), "path": .string(c.path), "secure": .bool(c.secure),
            "httpOnly": .bool(c.httpOnly),
        ]
        if c.domain.hasPrefix(".") {
            param["domain"] = .string(c.domain)
        } else {
            param["url"] = .string("\(c.secure ? "https" : "http")://\(c.domain)\(c.path)")
        }
        if let expires = c.expires { param["expires"] = .number(expires) }
        return .object(param)
    }

    static func cookie(_ json: JSONValue) -> BrowserCookie? {
        guard let name = json["name"]?.string, let domain = json["domain"]?.string, !domain.isEmpty else { return nil }
        let session = json["session"]?.bool ?? false
        let expires: Double? =
            if case .number(let n) = json["expires"] ?? .null, n > 0, !session { n } else { nil }
        return BrowserCookie(
            name: name, value: json["value"]?.string ?? "", domain: domain, path: json["path"]?.string ?? "/",
            secure: json["secure"]?.bool ?? false, httpOnly: json["httpOnly"]?.bool ?? false, expires: expires)
    }

    func describe(_ error: Error, status: RunningBrowser.Exit?, timeout: Double) -> Error {
        let again = "run the command again to retry"
        switch error {
        case DevToolsPipe.Failure.timedOut:
            return LeappError(
                .needsUser, "the browser login did not finish within \(DurationText.format(Int(timeout)))",
                hint: "set LEAPP_BROWSER_TIMEOUT for more time, and \(again)")
        case is BrowserClosed:
            return LeappError(.needsUser, "the browser was closed before the login finished", hint: again)
        case DevToolsPipe.Failure.closed:
            if case .signaled(let number) = status {
                return LeappError(.idp, "the browser crashed (signal \(number)) before the login finished", hint: again)
            }
            // A person closing the last window ends the browser cleanly, as SIGTERM does.
            return LeappError(.needsUser, "the browser was closed before the login finished", hint: again)
        case DevToolsPipe.Failure.tooLarge:
            return LeappError(
                .idp, "the browser sent a message larger than \(DevToolsPipe.maxMessage >> 20) MiB (a post that large is no login)",
                hint: "check the IdP URL; use --saml-response-file for a response captured elsewhere", reason: .tooLarge)
        case DevToolsPipe.Failure.command(let method, let message):
            return LeappError(
                .idp, "the browser refused \(method): \(Validation.printable(message))", hint: "is it a Chromium-family browser?")
        default:
            return error
        }
    }
}

import ArgumentParser
import Dispatch
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

/// `leapp doctor`: what stands between this machine and a working leapp, one line per check
/// with the exact fix. What only informs (no hook, no browser) is a note; a failure is what
/// stops leapp from working, and makes the exit status non-zero.
struct Doctor: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the keyring, the AWS files, the hooks, the libraries, the clock and the browser.",
        discussion: "Exit 0 when nothing stops leapp from working; 1 naming the failed checks otherwise.")
    enum Format: String, ExpressibleByArgumentCase { case table, json }
    @Option(help: "Output format: table or json.") var output: Format?
    @Flag(help: "Skip the checks that go over the network (the clock).") var offline = false
    @OptionGroup var global: GlobalOptions

    enum Status: String { case ok, note, fail }

    struct Check {
        var name: String
        var status: Status
        var detail: String
        var fix: String?
    }

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        var checks = [keyring(context)] + libraries() + awsFiles(context) + [hooks(context), binary(context)]
        if !offline { checks += clock(context) }
        checks.append(browser(context))
        if output == .json {
            context.write(
                renderJSON(
                    .array(
                        checks.map {
                            .object([
                                "check": .string($0.name), "status": .string($0.status.rawValue), "detail": .string($0.detail),
                                "fix": $0.fix.map(JSONValue.string) ?? .null,
                            ])
                        })))
        } else {
            let width = (checks.map(\.name.count).max() ?? 0) + 2
            for c in checks {
                let mark = c.status == .fail ? "FAIL" : c.status.rawValue
                let name = c.name + String(repeating: " ", count: width - c.name.count)
                let painted = Style.paint(mark, c.status == .fail ? "1;31" : c.status == .ok ? "32" : "33")
                context.write(
                    "\(painted)\(String(repeating: " ", count: 6 - mark.count))\(name)\(c.detail)\(c.fix.map { "; fix: \($0)" } ?? "")\n")
            }
        }
        let failed = checks.filter { $0.status == .fail }.map(\.name)
        if !failed.isEmpty {
            context.error("leapp: doctor: \(failed.count) check(s) failed: \(failed.joined(separator: ", "))\n")
            Glibc.exit(1)
        }
    }

    // MARK: checks

    static let keyringFix =
        "start a session bus and an unlocked keyring: `dbus-run-session -- $SHELL`, then `printf %s PASSWORD | gnome-keyring-daemon --unlock --components=secrets`"

    /// The collection's real lock state (its `Locked` property), not a lookup that finds nothing.
    func keyring(_ context: AppContext) -> Check {
        let choice: SecretStoreChoice
        switch context.secretStoreChoice {
        case .failure(let error): return Check(name: "keyring", status: .fail, detail: error.message, fix: error.hint)
        case .success(let chosen): choice = chosen
        }
        if choice.kind == .file, !context.fs.exists(context.fileStore.path) {
            return Check(
                name: "keyring", status: .ok,
                detail: "the encrypted file (\(choice.reason)) is made at the first login, which asks for its passphrase")
        }
        if choice.kind != .secretService {
            let place =
                choice.kind == .kernel
                ? "the kernel keyring (\(context.kernelScope.rawValue))"
                : "the encrypted file \(Validation.printable(context.fileStore.path, limit: 256)) (its key in the kernel keyring)"
            do {
                try context.secrets.checkWritable()
                return Check(name: "keyring", status: .ok, detail: "\(place) holds the secrets: \(choice.reason)")
            } catch let error as LeappError {
                return Check(name: "keyring", status: .fail, detail: error.message, fix: error.hint)
            } catch {
                return Check(name: "keyring", status: .fail, detail: "\(error)")
            }
        }
        guard context.sessionBus != nil else {
            return Check(
                name: "keyring", status: .fail,
                detail: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no $XDG_RUNTIME_DIR/bus)",
                fix: Self.keyringFix)
        }
        do {
            try context.secrets.checkWritable()
            return Check(
                name: "keyring", status: .ok, detail: "the Secret Service answers and its collection is unlocked (\(choice.reason))")
        } catch let error as LeappError {
            return Check(name: "keyring", status: .fail, detail: error.message, fix: error.hint ?? Self.keyringFix)
        } catch {
            return Check(name: "keyring", status: .fail, detail: "\(error)", fix: Self.keyringFix)
        }
    }

    func libraries() -> [Check] {
        let wanted = [
            ("libcurl", SharedLibrary.curl, "libcurl4"), ("libxml2", SharedLibrary.xml, "libxml2"),
            ("libsecret", SharedLibrary.secret, "libsecret-1-0"),
        ]
        return wanted.map { name, library, package in
            let files = library.sonames
            if let loaded = library.loadable {
                return Check(name: name, status: .ok, detail: "\(loaded) loads")
            }
            return Check(
                name: name, status: .fail, detail: "\(files.joined(separator: " or ")) cannot be loaded", fix: "install \(package)")
        }
    }

    func awsFiles(_ context: AppContext) -> [Check] {
        let writer = context.profileWriter
        var records: [ProfileLedger.Record] = []
        if let bytes = try? context.fs.read(writer.ledgerPath),
            let ledger = try? JSONDecoder().decode(ProfileLedger.self, from: Data(bytes))
        {
            records = ledger.records
        }
        let files: [(String, String, String)] = [
            ("AWS config", writer.configPath, "AWS_CONFIG_FILE"),
            ("AWS credentials", writer.credentialsPath, "AWS_SHARED_CREDENTIALS_FILE"),
        ]
        return files.map { name, path, variable in
            let shown = Validation.printable(path, limit: 512)
            let info = context.fs.inspect(path)
            switch info.kind {
            case .missing: return Check(name: name, status: .ok, detail: "\(shown) does not exist yet (leapp creates it when needed)")
            case .regular: break
            default:
                if info.isNullDevice {
                    return Check(name: name, status: .note, detail: "\(variable) is /dev/null: leapp writes nothing there")
                }
                return Check(
                    name: name, status: .fail, detail: "\(shown) is a \(info.kind.rawValue), not a file", fix: "point \(variable) at a file"
                )
            }
            guard let bytes = try? context.fs.read(path) ?? [] else {
                return Check(name: name, status: .fail, detail: "\(shown) cannot be read", fix: "check its owner and mode")
            }
            let ini = INIDocument(bytes)
            if let problem = ini.problems.first {
                return Check(
                    name: name, status: .fail, detail: "\(shown) line \(problem.line): \(problem.what)",
                    fix: "edit that line; the AWS CLI refuses the whole file")
            }
            let sections: [String] = records.filter { $0.file == path }.map { $0.section }
            let owned: [String] = Array(Set(sections)).sorted()
            let profiles = ini.sections.count
            return Check(
                name: name, status: .ok,
                detail: "\(shown): \(profiles) section(s)" + (owned.isEmpty ? "" : "; leapp's entries in: \(owned.joined(separator: ", "))")
            )
        }
    }

    func hooks(_ context: AppContext) -> Check {
        let home = context.home
        let configHome = context.environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let files = Shells.all.map {
            ($0.name, $0.rcFile(home: home, configHome: configHome, zdotdir: context.environment["ZDOTDIR"]))
        }
        let installed = files.filter { _, path in
            (try? context.fs.read(path)).flatMap { $0 }.map { String(decoding: $0, as: UTF8.self).contains("leapp hook") } ?? false
        }
        if installed.isEmpty {
            let line = Shells.guess(context.environment["SHELL"]).installLine
            return Check(
                name: "shell hook", status: .note, detail: "no shell hook installed (optional: the prompt and per-directory sessions)",
                fix: "add `\(line)` to your shell's rc file")
        }
        return Check(
            name: "shell hook", status: .ok,
            detail: "installed for " + installed.map { "\($0.0) (\(Validation.printable($0.1, limit: 256)))" }.joined(separator: ", "))
    }

    func binary(_ context: AppContext) -> Check {
        let me = context.fs.realPath("/proc/self/exe") ?? ""
        let named = context.environment["LEAPP_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? "leapp"
        guard let found = executable(named, context.environment), let real = context.fs.realPath(found) else {
            return Check(
                name: "hook binary", status: .note, detail: "`\(named)` is not on PATH: the hooks and credential_process need it",
                fix: "install leapp on PATH (`make install`) or set LEAPP_BIN")
        }
        if real == me {
            return Check(name: "hook binary", status: .ok, detail: "the hooks call this binary (\(Validation.printable(real, limit: 256)))")
        }
        return Check(
            name: "hook binary", status: .note,
            detail: "the hooks call \(Validation.printable(real, limit: 256)), not this binary (\(Validation.printable(me, limit: 256)))",
            fix: "put this leapp first on PATH, or set LEAPP_BIN")
    }

    /// SAML assertions and one-time codes are only valid minutes around the IdP's time.
    func clock(_ context: AppContext) -> [Check] {
        let config = try? context.loadConfig()
        let region = config?.defaultRegion ?? "us-east-1"
        let sts =
            context.environment["AWS_ENDPOINT_URL_STS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? context.environment["AWS_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Partition.aws.stsEndpoint(region: region)
        var targets: [(String, String)] = [("STS", sts)]
        for idp in config?.idpUrls ?? [] { if let origin = WebURL(idp.url)?.origin { targets.append((idp.name, origin + "/")) } }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0.1).inserted }
        // All at once, each with a short deadline: servers that never answer cost one deadline
        // together, not one each; a progress line says what is being waited for.
        context.prompter.progress("comparing this clock with \(targets.count) server(s)...")
        defer { context.prompter.progress(nil) }
        let clock = context.clock
        let jobs = targets.map { name, url in
            let client = Result { try context.makeHTTP(timeoutMs: Self.clockDeadlineMs) }
            return Job { Self.clockCheck(client, clock, name: name, url: url) }
        }
        let results = ConcurrentResults<Check>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in results.set(i, jobs[i].run()) }
        return results.values
    }

    /// One check's work, handed to another thread (each owns its HTTP client).
    struct Job: @unchecked Sendable {
        let run: () -> Check
    }

    static let clockDeadlineMs = 5000

    static func clockCheck(_ client: Result<HTTPClient, Error>, _ clock: Clock, name: String, url: String) -> Check {
        let check = "clock vs \(name)"
        let host = Validation.printable(WebURL(url)?.host ?? url)
        do {
            let response = try client.get().send(HTTPRequest(url: url))
            guard let date = response.date.flatMap(HTTPDate.parse) else {
                return Check(name: check, status: .note, detail: "\(host) sent no usable Date header")
            }
            let skew = Int(clock.now.timeIntervalSince(date).rounded())
            if abs(skew) > 120 {
                return Check(
                    name: check, status: .fail,
                    detail: "this clock is \(abs(skew)) s \(skew > 0 ? "ahead of" : "behind") \(host)",
                    fix: "sync the clock (`timedatectl set-ntp true`); SAML assertions and MFA codes fail on a skewed clock")
            }
            return Check(name: check, status: .ok, detail: "within \(max(abs(skew), 1)) s of \(host)")
        } catch {
            return Check(name: check, status: .note, detail: "could not reach \(host) to compare clocks (\(error))")
        }
    }

    func browser(_ context: AppContext) -> Check {
        do {
            let found = try ChromiumBrowser.find(context.environment)
            let display = context.settings.hasDisplay
            return Check(
                name: "browser", status: .ok,
                detail: "\(Validation.printable(found, limit: 256)) for browser login" + (display ? "" : " (no display here: it needs one)")
            )
        } catch {
            return Check(
                name: "browser", status: .note, detail: "no Chromium-family browser: browser login is unavailable (optional)",
                fix: "`apt install chromium`, or set LEAPP_BROWSER_BINARY")
        }
    }
}

/// Results written by concurrent workers, each to its own slot.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private var lock = pthread_mutex_t()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
        pthread_mutex_init(&lock, nil)
    }

    deinit { pthread_mutex_destroy(&lock) }

    func set(_ index: Int, _ value: T) {
        pthread_mutex_lock(&lock)
        slots[index] = value
        pthread_mutex_unlock(&lock)
    }

    var values: [T] {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return slots.compactMap { $0 }
    }
}

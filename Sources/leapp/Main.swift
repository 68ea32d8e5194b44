import ArgumentParser
import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

@main
struct Leapp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leapp",
        abstract: "Short-lived AWS credentials from a SAML 2.0 login, straight into your shell.",
        discussion: """
            Getting started:
              leapp idp-url create --url https://acme.okta.com/home/amazon_aws/0oa.../272
              leapp session add --from-idp-url acme   # a session per role you pick
              leapp session start dev                 # --browser: passkeys, Duo...
              eval "$(leapp env dev)"                 # or: leapp exec dev aws s3 ls
              leapp exec --server dev -- terraform apply   # refreshed while it runs
              eval "$(leapp hook bash)"               # in ~/.bashrc: prompt, cd
              leapp doctor                            # when something is wrong

            Global options (before or after any command):
              -v, --verbose           What leapp does, step by step (never secrets).
              -q, --quiet             Errors only: no notes, warnings or confirmations.
              --no-interactive        Never prompt; fail with what to run instead.
              --no-color              No color (also NO_COLOR, TERM=dumb).
            """,
        version: LeappVersion.current,
        subcommands: [
            SessionCommand.self, IdPURLCommand.self, ProfileCommand.self, RegionCommand.self, Env.self, CredentialProcess.self, Exec.self,
            Serve.self,
            Hook.self, Allow.self, Deny.self, ImportCommand.self, SecretsCommand.self, Lock.self, Doctor.self, VersionCommand.self,
            CompletionCommand.self, HookEnv.self,
        ])

    static func main() {
        hardenProcess()
        scrubSecretArguments()
        let context = AppContext.live()
        let args = GlobalOptions.extract(Array(CommandLine.arguments.dropFirst()), into: context)
        context.implicit = args.first.map(AppContext.implicitCommands.contains) ?? false
        do {
            if try FastPath.run(args, context) { return }
        } catch let error as LeappError {
            writeErr(Style.errorLine(error))
            Glibc.exit(error.exitCode)
        } catch {
            writeErr(Style.errorLine(error))
            Glibc.exit(1)
        }
        do {
            var command = try parseAsRoot(args)
            if let leappCommand = command as? LeappCommand { try leappCommand.run(context) } else { try command.run() }
        } catch let error as LeappError {
            writeErr(Style.errorLine(error))
            Glibc.exit(error.exitCode)
        } catch {
            exitWithUsageError(error, args: args)
        }
    }

    /// Help, version and completion answers go out as ArgumentParser prints them; a usage
    /// error becomes one line, like every other leapp error, naming the help to read.
    static func exitWithUsageError(_ error: Error, args: [String]) -> Never {
        let code = exitCode(for: error)
        let brief = message(for: error)
        guard code != .success, !brief.isEmpty else { exit(withError: error) }
        var text = brief.hasPrefix("Error: ") ? String(brief.dropFirst(7)) : brief
        // ArgumentParser's own suggestion goes: leapp adds one, in its own words, below.
        if let own = text.firstRange(of: ". Did you mean '") { text = String(text[..<own.lowerBound]) }
        // A word where a subcommand goes is an unknown command, not "unexpected arguments".
        if let word = DidYouMean.unknownCommand(args: args) { text = "unknown command '\(Validation.printable(word))'" }
        let lines = text.split(separator: "\n").map { $0.trimmed }
        let items = lines.dropFirst().filter { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
        text = items.isEmpty ? lines.joined(separator: "; ") : lines[0] + " " + items.joined(separator: ", ")
        if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase == true {
            text = first.lowercased() + text.dropFirst()
        }
        let full = fullMessage(for: error)
        // What the argument is for ("Help:  --duration <duration>  Session length ..."), when given.
        if let help = full.split(separator: "\n").first(where: { $0.hasPrefix("Help:") }),
            let about = help.split(separator: "  ", omittingEmptySubsequences: true).last?.trimmed,
            !about.isEmpty, !about.hasPrefix("Help:"), !text.contains("Please provide")
        {
            if text.hasSuffix(".") { text.removeLast() }
            text += ": " + about.prefix(1).lowercased() + about.dropFirst()
        }
        if let meant = DidYouMean.suggestion(forMessage: brief, args: args) {
            if text.hasSuffix(".") { text.removeLast() }
            text += " (did you mean `\(meant)`?)"
        }
        if let see = full.firstRange(of: "See '"), let end = full[see.upperBound...].firstIndex(of: "'") {
            if text.hasSuffix(".") { text.removeLast() }
            text += "; see `\(full[see.upperBound..<end])`"
        }
        writeErr(Style.errorLine(text))
        Glibc.exit(code.rawValue)
    }
}

/// Overwrites the values of secret-bearing flags in the process's own argv (what `ps` and
/// /proc/PID/cmdline show) once they have been copied; only one-time codes come this way,
/// passwords never do (they are read from stdin or a no-echo prompt).
func scrubSecretArguments() {
    let argc = Int(CommandLine.argc)
    let argv = CommandLine.unsafeArgv
    _ = CommandLine.arguments  // copy before scrubbing
    var i = 1
    while i < argc {
        guard let arg = argv[i] else { break }
        let text = String(cString: arg)
        if text == "--mfa-code", i + 1 < argc, let value = argv[i + 1] {
            memset(value, 0x78, strlen(value))
            i += 1
        } else if text.hasPrefix("--mfa-code=") {
            let offset = "--mfa-code=".utf8.count
            memset(arg + offset, 0x78, strlen(arg) - offset)
        }
        i += 1
    }
}

/// A leapp command: runs against the context `main` made (or a test's), never a global.
protocol LeappCommand: ParsableCommand {
    func run(_ context: AppContext) throws
}

extension LeappCommand {
    /// Only for ArgumentParser's own entry points; `main` calls `run(_:)` with its context.
    mutating func run() throws { try run(AppContext.live()) }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: [.customShort("v"), .long], help: "Print each step (hosts, paths, statuses; never secrets) on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Never prompt; fail with the command to run instead.")
    var noInteractive = false

    @Flag(name: [.customShort("q"), .long], help: "Print errors only (no notes, warnings or confirmations; data output stays).")
    var quiet = false

    @Flag(name: .long, help: "No color (also NO_COLOR=1; color only ever goes to a terminal).")
    var noColor = false

    /// Applies the flags to the context the command runs with.
    @discardableResult
    func apply(to context: AppContext) -> AppContext {
        if verbose { context.verbose = true }
        if noInteractive { context.allowPrompts = false }
        if quiet { context.quiet = true }
        if noColor { Style.configure(environment: context.environment, disabled: true) }
        return context
    }

    static let flags: Set<String> = ["--verbose", "-v", "--no-interactive", "--quiet", "-q", "--no-color"]

    /// Every global flag off, as the parser leaves them when none is given (global flags
    /// anywhere on the line were already applied to the context by `extract`).
    static var none: GlobalOptions {
        var options = GlobalOptions()
        options.verbose = false
        options.noInteractive = false
        options.quiet = false
        options.noColor = false
        return options
    }

    /// Takes the global flags from anywhere before a `--` (so `leapp --verbose session start A`
    /// works like `leapp session start A --verbose`), applies them and `LEAPP_VERBOSE` to the
    /// context, and returns the arguments without them: the fast path and the parser see the same.
    static func extract(_ args: [String], into context: AppContext) -> [String] {
        if context.environment["LEAPP_VERBOSE"] == "1" { context.verbose = true }
        var rest: [String] = []
        var noColor = false
        var passThrough = false
        var positionals = 0
        for arg in args {
            if !passThrough && arg == "--" { passThrough = true }
            // `leapp exec ALIAS COMMAND...`: from the command on, every word is the command's.
            if !passThrough && !arg.hasPrefix("-") {
                positionals += 1
                if positionals == 3 && rest.first(where: { !$0.hasPrefix("-") }) == "exec" { passThrough = true }
            }
            guard !passThrough, flags.contains(arg) else {
                rest.append(arg)
                continue
            }
            switch arg {
            case "--verbose", "-v": context.verbose = true
            case "--no-interactive": context.allowPrompts = false
            case "--no-color": noColor = true
            default: context.quiet = true
            }
        }
        Style.configure(environment: context.environment, disabled: noColor)
        return rest
    }
}

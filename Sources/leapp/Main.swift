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
        version: LeappVersion.current,
        subcommands: [
            SessionCommand.self, IdPURLCommand.self, Env.self, CredentialProcess.self, Exec.self,
            Hook.self, Allow.self, Deny.self, HookEnv.self,
        ])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as LeappError {
            writeErr("leapp: \(error)\n")
            Glibc.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Print each step (hosts, paths, statuses; never secrets) on stderr.")
    var verbose = false

    @Flag(name: .long, help: "Never prompt; fail with the command to run instead.")
    var noInteractive = false

    func apply() -> AppContext {
        let context = Runtime.context
        context.verbose = verbose || context.environment["LEAPP_VERBOSE"] == "1"
        if noInteractive { context.allowPrompts = false }
        return context
    }
}

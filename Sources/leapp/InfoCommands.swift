import ArgumentParser
import LeappCore
import LeappSystem

/// `leapp version`, beside `leapp --version`.
struct VersionCommand: LeappCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print leapp's version.")
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        context.write(LeappVersion.current + "\n")
    }
}

/// `leapp completion bash|zsh|fish`: the tab-completion script for a shell.
struct CompletionCommand: LeappCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the tab-completion script: source <(leapp completion bash), or save it where your shell looks.")
    @Argument(help: "bash, zsh or fish.", completion: Completions.hookShells) var shell: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: AppContext) throws {
        global.apply(to: context)
        guard let kind = CompletionShell(rawValue: shell) else {
            throw LeappError(.usage, "no completion for shell '\(Validation.printable(shell))'", hint: "use bash, zsh or fish")
        }
        context.write(Leapp.completionScript(for: kind) + "\n")
    }
}

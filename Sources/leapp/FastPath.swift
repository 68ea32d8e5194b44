import LeappCore
import LeappSystem

/// The commands that shells and the AWS CLI run over and over (`hook`, `hook-env`, `env`,
/// `credential-process`, and `--version`), answered without building ArgumentParser's command tree, which
/// costs about half of a run's start-up. Only the plainest argument shapes come this way;
/// anything else (a flag more, `--help`, a typo) goes to the full parser, so behaviour and
/// errors stay the same.
enum FastPath {
    static func run(_ args: [String], _ context: AppContext) throws -> Bool {
        switch args.first {
        case "--version":
            guard args.count == 1 else { return false }
            writeOut(LeappVersion.current + "\n")
        case "hook":
            guard args.count == 2, let script = Hook.script(for: args[1]) else { return false }
            writeOut(script)
        case "env":
            guard let (alias, options) = split(args, allowing: ["--shell"]), let alias,
                let shell = options["--shell"].map(ShellKind.init(rawValue:)) ?? ShellKind.guess(context.environment["SHELL"])
            else {
                return false
            }
            try Env.export(alias, shell: shell, context)
        case "credential-process":
            guard let (alias, options) = split(args, allowing: []), let alias, options.isEmpty else { return false }
            try CredentialProcess.document(alias, context)
        case "hook-env":
            guard let (positional, options) = split(args, allowing: ["--shell", "--marker", "--session"], flags: ["--refresh"]),
                positional == nil, let shell = options["--shell"].flatMap(ShellKind.init(rawValue:))
            else { return false }
            HookEnv.run(
                shell: shell, marker: options["--marker"], session: options["--session"],
                refresh: options["--refresh"] != nil, context)
        default:
            return false
        }
        return true
    }

    /// One optional positional argument and `--option value` pairs from a known set; nil for
    /// any other shape.
    static func split(_ args: [String], allowing: Set<String>, flags: Set<String> = []) -> (String?, [String: String])? {
        var positional: String?
        var options: [String: String] = [:]
        var i = 1
        while i < args.count {
            let a = args[i]
            if flags.contains(a) {
                options[a] = ""
            } else if allowing.contains(a), i + 1 < args.count, options[a] == nil {
                options[a] = args[i + 1]
                i += 1
            } else if !a.hasPrefix("-"), positional == nil {
                positional = a
            } else {
                return nil
            }
            i += 1
        }
        return (positional, options)
    }
}

import LeappCore
import LeappSystem

/// The commands that shells and the AWS CLI run over and over (`hook`, `hook-env`, `env`,
/// `credential-process`, and `--version`), answered without building ArgumentParser's command tree, which
/// costs about half of a run's start-up. Only the plainest argument shapes come this way;
/// anything else (a flag more, `--help`, a typo) goes to the full parser, so behaviour and
/// errors stay the same.
enum FastPath {
    /// What a fast-path shape means: the same command values the parser would build.
    enum Command {
        case version
        case hook(Hook)
        case env(Env)
        case credentialProcess(CredentialProcess)
        case hookEnv(HookEnv)
    }

    static func run(_ args: [String], _ context: AppContext) throws -> Bool {
        guard let command = command(args) else { return false }
        switch command {
        case .version: writeOut(LeappVersion.current + "\n")
        case .hook(let c): try c.run(context)
        case .env(let c): try c.run(context)
        case .credentialProcess(let c): try c.run(context)
        case .hookEnv(let c): try c.run(context)
        }
        return true
    }

    /// The command a plain argument shape means, built without ArgumentParser's command tree;
    /// nil for any other shape (the parser then handles it, errors included). Global flags were
    /// taken out before (GlobalOptions.extract), so both paths see the same arguments.
    static func command(_ args: [String]) -> Command? {
        switch args.first {
        case "--version":
            return args.count == 1 ? .version : nil
        case "hook":
            guard args.count == 2, Hook.script(for: args[1]) != nil else { return nil }
            var c = Hook()
            c.shell = args[1]
            c.global = .none
            return .hook(c)
        case "env":
            guard let (alias, options) = split(args, allowing: ["--shell"]), let alias else { return nil }
            var shell: ExportFormat?
            if let name = options["--shell"] {
                guard let format = ExportFormat(name: name) else { return nil }
                shell = format
            }
            var c = Env()
            c.session = alias
            c.shell = shell
            c.unset = false
            c.global = .none
            return .env(c)
        case "credential-process":
            guard let (alias, options) = split(args, allowing: []), let alias, options.isEmpty else { return nil }
            var c = CredentialProcess()
            c.session = alias
            c.global = .none
            return .credentialProcess(c)
        case "hook-env":
            guard let (positional, options) = split(args, allowing: ["--shell", "--marker", "--session"], flags: ["--refresh"]),
                positional == nil, let shell = options["--shell"].flatMap(ExportFormat.init(name:))
            else { return nil }
            var c = HookEnv()
            c.shell = shell
            c.marker = options["--marker"]
            c.session = options["--session"]
            c.refresh = options["--refresh"] != nil
            c.global = .none
            return .hookEnv(c)
        default:
            return nil
        }
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

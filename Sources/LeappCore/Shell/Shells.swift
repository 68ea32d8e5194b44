/// The one list of shells leapp writes for.
public enum Shells {
    public static let all: [any ShellDialect] = [Bash(), Zsh(), Fish()]

    public static var names: [String] { all.map(\.name) }

    /// The names as a sentence says them: "bash, zsh or fish".
    public static var spoken: String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    public static func named(_ name: String) -> (any ShellDialect)? { all.first { $0.name == name } }

    /// The shell `$SHELL` names; bash when it names none leapp knows.
    public static func guess(_ shellPath: String?) -> any ShellDialect {
        let name = shellPath?.split(separator: "/").last.map(String.init) ?? ""
        return named(name) ?? Bash()
    }
}

/// What `leapp env` prints: code for a shell, or a format that is not one.
public enum ExportFormat: Sendable {
    case shell(any ShellDialect)
    /// The AWS `credential_process` document.
    case json
    /// `NAME="value"` lines.
    case dotenv

    public init?(name: String) {
        switch name {
        case "json": self = .json
        case "dotenv": self = .dotenv
        default:
            guard let dialect = Shells.named(name) else { return nil }
            self = .shell(dialect)
        }
    }

    public var name: String {
        switch self {
        case .shell(let dialect): return dialect.name
        case .json: return "json"
        case .dotenv: return "dotenv"
        }
    }

    public static var names: [String] { Shells.names + ["json", "dotenv"] }

    /// The shell this format writes for; nil for the formats.
    public var dialect: (any ShellDialect)? {
        if case .shell(let dialect) = self { return dialect }
        return nil
    }

    /// The shell `$SHELL` names.
    public static func guess(_ shellPath: String?) -> ExportFormat { .shell(Shells.guess(shellPath)) }
}

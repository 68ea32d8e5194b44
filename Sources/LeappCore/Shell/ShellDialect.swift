/// What one shell needs from leapp: how to quote a value, export, remove and keep a private
/// variable, and how the hook saves what an activation will replace. One type per shell;
/// the output formats that are not shells (`json`, `dotenv`) are `ExportFormat`.
public protocol ShellDialect: Sendable {
    func quote(_ value: String) -> String
    /// Sets and exports a variable.
    func export(_ name: String, _ value: String) -> String
    /// Removes a variable (leaving the status 0).
    func unset(_ name: String) -> String
    /// Sets an unexported variable of the hook's own.
    func setPrivate(_ name: String, _ value: Int) -> String
    /// Calls the hook's save of the variables an activation replaces, once per activation.
    func saveBeforeActivation(_ names: [String]) -> String
}

/// bash and zsh read the same quoting and statements: one implementation, two shells.
public protocol POSIXDialect: ShellDialect {}

extension POSIXDialect {
    public func quote(_ value: String) -> String { ShellQuoting.posix(value) }
    public func export(_ name: String, _ value: String) -> String { "export \(name)=\(quote(value));\n" }
    public func unset(_ name: String) -> String { "unset \(name);\n" }
    public func setPrivate(_ name: String, _ value: Int) -> String { "\(name)=\(value);\n" }
    public func saveBeforeActivation(_ names: [String]) -> String {
        "[[ -n $__leapp_saved ]] || __leapp_save \(names.joined(separator: " "));\n"
    }
}

public struct Bash: POSIXDialect {
    public init() {}
}

public struct Zsh: POSIXDialect {
    public init() {}
}

public struct Fish: ShellDialect {
    public init() {}
    public func quote(_ value: String) -> String { ShellQuoting.fish(value) }
    /// `set -gx`: a plain `set -x` in sourced code can make a local.
    public func export(_ name: String, _ value: String) -> String { "set -gx \(name) \(quote(value));\n" }
    /// `set -e` of an unset variable returns 4 and fish's `set` passes the previous status
    /// through, so `leapp env ... | source; and aws ...` would never run: `or true`.
    public func unset(_ name: String) -> String { "set -e -g \(name); or true;\n" }
    public func setPrivate(_ name: String, _ value: Int) -> String { "set -g \(name) \(value);\n" }
    public func saveBeforeActivation(_ names: [String]) -> String {
        "test -n \"$__leapp_saved\"; or __leapp_save \(names.joined(separator: " "));\n"
    }
}

/// Outputs of `leapp env` that are not shell code.
public enum ExportFormat: Sendable {
    /// The AWS `credential_process` document.
    case json
    /// `NAME="value"` lines.
    case dotenv
}

extension ShellKind {
    /// The shell this kind writes for; nil for the formats.
    public var dialect: ShellDialect? {
        switch self {
        case .bash: return Bash()
        case .zsh: return Zsh()
        case .fish: return Fish()
        case .json, .dotenv: return nil
        }
    }
}

import LeappCore
import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

/// Color, only where a person reads it: a terminal, not `NO_COLOR` (https://no-color.org),
/// not `--no-color`, not `TERM=dumb`. Errors stay one line either way. Nothing is looked at
/// until something would be painted: start-up pays nothing for it.
enum Style {
    nonisolated(unsafe) private static var environment: [String: String] = [:]
    nonisolated(unsafe) private static var disabled = false

    static func configure(environment: [String: String], disabled: Bool) {
        Style.environment = environment
        Style.disabled = disabled
    }

    private static var allowed: Bool { !disabled && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb" }
    static var stderrColor: Bool { allowed && ProcessCalls.isTerminal(2) }
    static var stdoutColor: Bool { allowed && ProcessCalls.isTerminal(1) }

    /// The `leapp:` that starts an error line.
    static var errorPrefix: String { stderrColor ? "\u{1b}[1;31mleapp:\u{1b}[0m" : "leapp:" }

    /// An error as the one line leapp prints on stderr: the prefix, then the message through
    /// the terminal filter (errors quote what IdPs, STS and files said).
    static func errorLine(_ error: Any) -> String {
        "\(errorPrefix) \(TerminalText.line("\(error)"))\n"
    }

    /// Text for stdout, in the given SGR color when stdout is a terminal that may show it.
    static func paint(_ text: String, _ code: String) -> String {
        stdoutColor ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }
}

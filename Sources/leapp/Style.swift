import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// Color, only where a person reads it: a terminal, not `NO_COLOR` (https://no-color.org),
/// not `--no-color`, not `TERM=dumb`. Errors stay one line either way.
enum Style {
    nonisolated(unsafe) static var stderrColor = false
    nonisolated(unsafe) static var stdoutColor = false

    static func configure(environment: [String: String], disabled: Bool) {
        let allowed = !disabled && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        stderrColor = allowed && isatty(2) == 1
        stdoutColor = allowed && isatty(1) == 1
    }

    /// The `leapp:` that starts an error line.
    static var errorPrefix: String { stderrColor ? "\u{1b}[1;31mleapp:\u{1b}[0m" : "leapp:" }

    static func paint(_ text: String, _ code: String, stdout: Bool = true) -> String {
        (stdout ? stdoutColor : stderrColor) ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text
    }
}

/// zsh: the hook is `__leapp_precmd`, a precmd function.
public struct Zsh: POSIXDialect {
    public init() {}
    public var name: String { "zsh" }
    public func ifHookLoaded(_ body: String) -> String { "if (( ${+functions[__leapp_precmd]} )); then\n\(body)fi\n" }
    public func rcFile(home: String, configHome: String, zdotdir: String?) -> String {
        (zdotdir.flatMap { $0.isEmpty ? nil : $0 } ?? home) + "/.zshrc"
    }
}

/// bash: the hook is `__leapp_hook`, run from PROMPT_COMMAND.
public struct Bash: POSIXDialect {
    public init() {}
    public var name: String { "bash" }
    public func ifHookLoaded(_ body: String) -> String { "if declare -F __leapp_hook >/dev/null; then\n\(body)fi\n" }
    public func rcFile(home: String, configHome: String, zdotdir: String?) -> String { home + "/.bashrc" }
}

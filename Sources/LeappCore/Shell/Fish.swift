/// fish: its own quoting and `set`; the hook is `__leapp_on_prompt`.
public struct Fish: ShellDialect {
    public init() {}
    public var name: String { "fish" }
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
    public func ifHookLoaded(_ body: String) -> String { "if functions -q __leapp_on_prompt\n\(body)end\n" }
    /// fish has no builtin clock: its hook keeps deadlines in seconds of /proc/uptime.
    public func hookDeadlines(due: Date, expiration: Date, now: Date, uptime: () -> Int) -> String {
        let up = uptime()
        return setPrivate("__leapp_due_up", up + max(Int(due.timeIntervalSince(now)), 30))
            + setPrivate("__leapp_exp_up", up + Int(expiration.timeIntervalSince(now)))
    }
    public func rcFile(home: String, configHome: String, zdotdir: String?) -> String { configHome + "/fish/config.fish" }
    public var installLine: String { "leapp hook fish | source" }
}

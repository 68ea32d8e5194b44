/// Everything leapp knows about one shell: how to quote a value, export, remove and keep a
/// private variable, how the hook saves what an activation replaces and keeps its deadlines,
/// the rc file and the line that loads the hook, and the test for "the hook is loaded". One
/// file per shell (Bash.swift, Zsh.swift, Fish.swift), listed once in `Shells.all`; its hook
/// script is shell/leapp.NAME (README, Development: adding a shell).
public protocol ShellDialect: Sendable {
    /// The name people type (`leapp hook NAME`, `--shell NAME`) and `$SHELL` ends with.
    var name: String { get }
    func quote(_ value: String) -> String
    /// Sets and exports a variable.
    func export(_ name: String, _ value: String) -> String
    /// Removes a variable (leaving the status 0).
    func unset(_ name: String) -> String
    /// Sets an unexported variable of the hook's own.
    func setPrivate(_ name: String, _ value: Int) -> String
    /// Calls the hook's save of the variables an activation replaces, once per activation.
    func saveBeforeActivation(_ names: [String]) -> String
    /// `body`, run only where this shell's hook is loaded (a builtin test, no process).
    func ifHookLoaded(_ body: String) -> String
    /// The hook's deadlines: refresh due at `due`, credentials expiring at `expiration`.
    /// `uptime` gives whole seconds of /proc/uptime, for shells without a builtin clock.
    func hookDeadlines(due: Date, expiration: Date, now: Date, uptime: () -> Int) -> String
    /// The rc file the hook line goes in.
    func rcFile(home: String, configHome: String, zdotdir: String?) -> String
    /// The line that loads the hook, for the rc file.
    var installLine: String { get }
}

extension ShellDialect {
    public var installLine: String { "eval \"$(leapp hook \(name))\"" }

    /// Shells with a clock of their own (`$EPOCHSECONDS`, `printf %(%s)T`) keep the due time in
    /// epoch seconds, never less than 30 s ahead.
    public func hookDeadlines(due: Date, expiration: Date, now: Date, uptime: () -> Int) -> String {
        setPrivate("__leapp_due", max(due.epochSeconds, now.epochSeconds + 30))
    }
}

/// bash and zsh read the same quoting and statements.
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

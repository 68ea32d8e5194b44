import LeappCore
import LeappSystem

extension AppContext {
    /// The session a command means when its alias is left out: the nearest allowed
    /// `.leapp-session` (an un-allowed one counts for nothing), else `$LEAPP_SESSION` (the
    /// one active in this shell), else a menu on a terminal (type to filter), else an error
    /// listing the candidates.
    func defaultSession(for command: String) throws -> String {
        if let named = namedSession() { return named }
        let aliases = try loadConfig().sessions.map(\.alias).sorted()
        guard !aliases.isEmpty else { throw LeappError(.usage, "no sessions yet", hint: "add one with `leapp session add`") }
        if prompter.isInteractive {
            return aliases[try prompter.choose("Which session?", options: aliases)]
        }
        let shown = aliases.prefix(8).joined(separator: ", ") + (aliases.count > 8 ? " and \(aliases.count - 8) more" : "")
        throw LeappError(.usage, "which session? `leapp \(command) ALIAS`", hint: "sessions: \(shown)")
    }

    /// The session this place names: the nearest allowed `.leapp-session`, else `$LEAPP_SESSION`.
    func namedSession() -> String? {
        let list = AllowList(dataDirectory: dataDirectory, fs: fs)
        if let cwd = fs.realPath("."), let marker = list.find(from: cwd), let read = try? list.read(marker),
            (try? list.isAllowed(real: read.real, content: read.content)) == true
        {
            log("no alias given: using \(read.alias), named by \(Validation.printable(read.real, limit: 1024))")
            return read.alias
        }
        if let active = environment["LEAPP_SESSION"], !active.isEmpty {
            log("no alias given: using \(active), active in this shell ($LEAPP_SESSION)")
            return active
        }
        return nil
    }
}

import ArgumentParser
import LeappCore

/// Tab completion of names from the configuration (read only: no keyring, no network).
/// A missing or unreadable configuration completes nothing rather than failing.
enum Completions {
    /// Aliases; in zsh and fish with each one's state and time left as its description (read
    /// from the cached credentials with the short deadline of the implicit paths; never the
    /// network; no description when the keyring does not answer).
    static let sessions = CompletionKind.custom { _, _, prefix in
        let shell = CompletionShell.requesting
        guard shell == .zsh || shell == .fish else { return names(prefix) { $0.sessions.map(\.alias) } }
        let context = AppContext.live()
        context.implicit = true
        context.allowPrompts = false
        guard let config = try? context.loadConfig() else { return [] }
        let chosen = config.sessions.filter { $0.alias.hasPrefix(prefix) }.sorted { $0.alias < $1.alias }
        let (states, _) = context.sessions.states(of: chosen)
        let now = context.clock.now
        return chosen.map { s in
            guard let state = states[s.id] else { return s.alias }
            var about = state.name
            if state.hasValidCredentials, let until = state.expiration {
                about += ", " + DurationText.left(Int(until.timeIntervalSince(now))) + " left"
            }
            return s.alias + (shell == .zsh ? ":" : "\t") + about
        }
    }
    static let idpURLs = CompletionKind.custom { _, _, prefix in
        names(prefix) { $0.idpUrls.map(\.name) }
    }
    static let profiles = CompletionKind.custom { _, _, prefix in
        names(prefix) { ["default"] + $0.profiles.map(\.name) }
    }
    static let regions = CompletionKind.custom { _, _, prefix in
        Partition.allCases.flatMap(\.regions).filter { $0.hasPrefix(prefix) }
    }
    /// Column names of the list being completed (`session list --columns alias,reg<TAB>`):
    /// the names after the last comma, with what comes before kept.
    static let columns = CompletionKind.custom { words, _, prefix in
        let columns = words.contains("session") ? SessionCommand.List.columns : []
        let keys = columns.map(\.key) + columns.flatMap(\.aliases)
        let parts = prefix.split(separator: ",", omittingEmptySubsequences: false)
        let done = parts.dropLast().map { $0 + "," }.joined()
        let last = parts.last.map(String.init) ?? ""
        return keys.filter { $0.hasPrefix(last) && !$0.contains(" ") }.sorted().map { done + $0 }
    }
    static let hookShells = CompletionKind.list(Shells.names)
    static let envShells = CompletionKind.list(ExportFormat.names)

    private static func names(_ prefix: String, _ pick: (Configuration) -> [String]) -> [String] {
        // Completion callbacks come from ArgumentParser, outside any command: a context of their own.
        guard let config = try? AppContext.live().loadConfig() else { return [] }
        return pick(config).filter { $0.hasPrefix(prefix) }.sorted()
    }
}

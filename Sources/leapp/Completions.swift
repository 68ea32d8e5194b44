import ArgumentParser
import LeappCore

/// Tab completion of names from the configuration (read only: no keyring, no network).
/// A missing or unreadable configuration completes nothing rather than failing.
enum Completions {
    static let sessions = CompletionKind.custom { _, _, prefix in
        names(prefix) { $0.sessions.map(\.alias) }
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
    static let hookShells = CompletionKind.list(Shells.names)
    static let envShells = CompletionKind.list(ExportFormat.names)

    private static func names(_ prefix: String, _ pick: (Configuration) -> [String]) -> [String] {
        // Completion callbacks come from ArgumentParser, outside any command: a context of their own.
        guard let config = try? AppContext.live().loadConfig() else { return [] }
        return pick(config).filter { $0.hasPrefix(prefix) }.sorted()
    }
}

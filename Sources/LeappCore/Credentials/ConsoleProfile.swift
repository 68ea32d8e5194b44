/// Side-by-side consoles: each session's web console opens in a browser profile of its own
/// (a Chromium-family `--user-data-dir`, or a Firefox `--profile`) under leapp's data
/// directory, so two accounts' consoles stay signed in at once instead of logging each other
/// out. The profile keeps the console's cookies between opens; it goes with the session.
public enum ConsoleProfile {
    public enum BrowserKind: Equatable, Sendable {
        case chromium, firefox

        /// Firefox and its builds by their names; everything else is taken for Chromium's family.
        public static func of(_ binary: String) -> BrowserKind {
            let name = binary.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
            return ["firefox", "librewolf", "icecat", "iceweasel"].contains { name.hasPrefix($0) } ? .firefox : .chromium
        }
    }

    /// Where a session's console profile lives (created 0700 on first use).
    public static func directory(for session: Session, dataDirectory: String) -> String {
        dataDirectory + "/consoles/" + session.id
    }

    /// The command line that opens `target` (a file:// URL of leapp's) in the session's profile.
    /// The target comes last, after `--` for Chromium (no word after it is taken for a switch).
    public static func arguments(_ kind: BrowserKind, binary: String, profile: String, target: String) -> [String] {
        switch kind {
        case .chromium:
            return [binary, "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--new-window", "--", target]
        case .firefox:
            return [binary, "--profile", profile, "--new-window", target]
        }
    }
}

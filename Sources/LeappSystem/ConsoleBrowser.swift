import CLeappShims
import LeappCore

/// The browser a session's web console opens in, with a profile of the session's own
/// (`ConsoleProfile`): a Chromium-family browser (LEAPP_BROWSER_BINARY, else the first on PATH,
/// as for browser login), else Firefox.
public enum ConsoleBrowser {
    public static let firefoxCandidates = ["firefox", "firefox-esr"]

    /// The browser's path, or nil when neither family is installed.
    public static func find(_ environment: [String: String]) -> String? {
        if let chromium = try? ChromiumBrowser.find(environment) { return chromium }
        return firefoxCandidates.lazy.compactMap { executable($0, environment) }.first
    }

    /// Opens `target` in the profile, detached (the browser outlives leapp, as a console should).
    public static func open(_ target: String, binary: String, profile: String) throws {
        try DesktopOpener.launch(
            ConsoleProfile.arguments(ConsoleProfile.BrowserKind.of(binary), binary: binary, profile: profile, target: target))
    }

    /// Removes a session's console profile (the session was deleted).
    public static func removeProfile(_ path: String) {
        _ = leapp_remove_tree(path)
    }
}

/// The only URLs leapp hands to another program (the desktop's opener, a browser): an IdP sent
/// them, so they are checked as hostile. A URL passes when it is plain ASCII made of the URL
/// characters of RFC 3986 (no space, quote, backslash or control), has no user info, uses https
/// (plain http only to a real loopback address), and is on the expected origin. What is handed
/// over is rebuilt from its parts, so it always starts with `https://` or `http://`: it can never
/// be read as an option (`--renderer-cmd-prefix=...`) or name another scheme (`file:`, `ssh:`).
public enum OpenableURL {
    private static let allowed = ASCIISet(String.asciiLetters + String.asciiDigits + "-._~:/?#[]@!$&'()*+,;=%")

    /// `text` ready to be opened, or nil when it must not be.
    public static func check(_ text: String, origin: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 4096, text.consists(of: allowed) else { return nil }
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), let url = WebURL(text), url.isAllowedTransport else {
            return nil
        }
        let authority = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        guard !authority.contains("@"), url.origin == WebURL(origin)?.origin else { return nil }
        return url.origin + url.pathAndQuery
    }
}

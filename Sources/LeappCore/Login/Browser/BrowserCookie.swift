/// A cookie as a browser holds it (the DevTools protocol's `Network.Cookie`), and its
/// translation to and from the Netscape cookie-jar text that libcurl reads and writes, which
/// is what the keyring keeps per IdP URL. One record serves every login method: cookies a
/// browser earns are replayed by the headless driver and the other way round.
public struct BrowserCookie: Equatable, Sendable {
    public var name: String
    public var value: String
    /// The host (host-only cookie) or `.domain` (sent to subdomains too).
    public var domain: String
    public var path: String
    public var secure: Bool
    public var httpOnly: Bool
    /// Seconds since 1970; nil for a session cookie (kept: that is what an IdP session usually is).
    public var expires: Double?

    public init(
        name: String, value: String, domain: String, path: String = "/", secure: Bool = false, httpOnly: Bool = false,
        expires: Double? = nil
    ) {
        self.name = name
        self.value = value
        self.domain = domain
        self.path = path
        self.secure = secure
        self.httpOnly = httpOnly
        self.expires = expires
    }

    /// The host the cookie belongs to, without the leading dot of a domain cookie.
    public var host: String { domain.hasPrefix(".") ? String(domain.dropFirst()) : domain }

    /// Whether the cookie is sent to `host` (its own host, or a subdomain for a domain cookie).
    public func matches(host other: String) -> Bool {
        let other = other.lowercased()
        let mine = host.lowercased()
        return other == mine || (domain.hasPrefix(".") && other.hasSuffix("." + mine))
    }
}

/// The Netscape cookie-jar format: one cookie per line, seven tab-separated fields (domain,
/// include-subdomains, path, secure, expiry, name, value); `#HttpOnly_` before the domain
/// marks an HttpOnly cookie; an expiry of 0 is a session cookie.
public enum CookieJarText {
    static let httpOnlyPrefix = "#HttpOnly_"

    public static func parse(_ jar: String) -> [BrowserCookie] {
        jar.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { raw in
            var line = String(raw)
            var httpOnly = false
            if line.hasPrefix(httpOnlyPrefix) {
                line.removeFirst(httpOnlyPrefix.count)
                httpOnly = true
            } else if line.hasPrefix("#") || line.trimmed.isEmpty {
                return nil
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7, !fields[0].isEmpty, !fields[5].isEmpty else { return nil }
            let subdomains = fields[1].uppercased() == "TRUE"
            var domain = fields[0]
            if subdomains && !domain.hasPrefix(".") { domain = "." + domain }
            if !subdomains && domain.hasPrefix(".") { domain.removeFirst() }
            let expiry = Double(fields[4]) ?? 0
            return BrowserCookie(
                name: fields[5], value: fields[6...].joined(separator: "\t"), domain: domain, path: fields[2].isEmpty ? "/" : fields[2],
                secure: fields[3].uppercased() == "TRUE", httpOnly: httpOnly, expires: expiry > 0 ? expiry : nil)
        }
    }

    public static func render(_ cookies: [BrowserCookie]) -> String {
        cookies.map { c in
            // A far-future or non-finite expiry (the browser's JSON says so) is kept as a session cookie.
            let expiry = c.expires.flatMap { $0.isFinite && abs($0) < 1e15 ? String(Int64($0.rounded(.down))) : nil } ?? "0"
            let domain = (c.httpOnly ? httpOnlyPrefix : "") + c.domain
            let fields = [domain, c.domain.hasPrefix(".") ? "TRUE" : "FALSE", c.path, c.secure ? "TRUE" : "FALSE", expiry, c.name, c.value]
            return fields.joined(separator: "\t") + "\n"
        }.joined()
    }
}

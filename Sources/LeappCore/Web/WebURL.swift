/// The parts of an absolute http(s) URL leapp needs, parsed without Foundation's URL
/// so that the rules are ours and the same everywhere.
public struct WebURL: Equatable, Sendable {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// Path plus query, starting with "/".
    public let pathAndQuery: String

    public init?(_ string: String) {
        guard let sep = string.firstRange(of: "://") else { return nil }
        let scheme = string[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = string[sep.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = String(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "\\" }) else { return nil }
        var path = String(rest[authorityEnd...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if !path.hasPrefix("/") { path = "/" + path }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.pathAndQuery = path
    }

    public var origin: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(scheme)://\(h):\($0)" } ?? "\(scheme)://\(h)"
    }

    /// A real loopback address: `127.0.0.0/8` as an IPv4 literal, `::1`, `localhost` and
    /// `*.localhost` (RFC 6761). A name that only starts with `127.` is not one.
    public var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        let octets = parts.compactMap { p -> Int? in
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(p).flatMap { $0 <= 255 ? $0 : nil }
        }
        return octets.count == 4 && octets[0] == 127
    }

    /// Plain http is allowed only to loopback; https everywhere.
    public var isAllowedTransport: Bool { scheme == "https" || isLoopback }

    /// Resolves a (possibly relative) reference against this URL.
    public func resolve(_ reference: String) -> String {
        let ref = reference.trimmed
        if ref.isEmpty { return origin + pathAndQuery }
        if WebURL(ref) != nil { return ref }
        if ref.hasPrefix("//") { return scheme + ":" + ref }
        if ref.hasPrefix("/") { return origin + ref }
        if ref.hasPrefix("?") {
            let path = pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
            return origin + path + ref
        }
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        let dir = path.hasSuffix("/") ? path : String(path[..<(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.endIndex)])
        return origin + dir + ref
    }
}

/// Where the credential endpoint listens: a loopback address (IPv4 127.0.0.0/8 or IPv6 ::1)
/// and a port, or a Unix socket. Nothing else: the credentials must not be reachable from
/// another machine, and the SDKs accept plain http only from a loopback host.
public enum EndpointAddress: Equatable, Sendable {
    /// A loopback IP literal and a port (0: any free one).
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// The default: IPv4 loopback, a free port.
    public static let loopback = EndpointAddress.tcp(host: "127.0.0.1", port: 0)

    /// `--listen`: `127.0.0.1:PORT`, `[::1]:PORT`, `localhost:PORT` or a bare `PORT`.
    public static func listen(_ text: String) throws -> EndpointAddress {
        let refused = LeappError(
            .usage, "--listen takes a loopback address and port (127.0.0.1:9911, [::1]:9911), not '\(Validation.printable(text))'",
            hint: "the endpoint never listens beyond this machine; for a container use --network host, or --socket")
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw refused }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        if host == "localhost" { host = "127.0.0.1" }
        guard isLoopback(host), let port = Int(portText), (0...65535).contains(port), portText.allSatisfy(\.isNumber) else { throw refused }
        return .tcp(host: host, port: port)
    }

    /// `--socket`: an absolute or relative path that fits a sockaddr_un (107 bytes).
    public static func socket(_ path: String) throws -> EndpointAddress {
        guard !path.isEmpty, path.utf8.count <= 107, !path.contains("\0") else {
            throw LeappError(.usage, "--socket takes a path of at most 107 bytes")
        }
        return .unix(path: path)
    }

    /// 127.0.0.0/8 in dotted quads, or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }) else { return false }
        let numbers = parts.compactMap { Int($0) }
        return numbers.count == 4 && numbers[0] == 127 && numbers.allSatisfy { $0 <= 255 }
    }

    /// The URL for AWS_CONTAINER_CREDENTIALS_FULL_URI once bound to `port`. A Unix socket has
    /// no URL the SDKs can reach; its URL is the one a relay on localhost would serve.
    public func url(boundPort port: Int) -> String {
        switch self {
        case .tcp(let host, _):
            return "http://" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)" + CredentialEndpoint.path
        case .unix:
            return "http://localhost" + CredentialEndpoint.path
        }
    }
}

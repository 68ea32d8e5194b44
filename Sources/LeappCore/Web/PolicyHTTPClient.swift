/// One request on the wire, no redirect followed: what an HTTP adapter provides (libcurl's
/// in LeappSystem). Cookies live in the transport, one jar per login.
public protocol HTTPTransport: AnyObject {
    func perform(_ request: HTTPRequest, host: String) throws -> TransportAnswer
    func exportCookies() -> String
    func importCookies(_ jar: String)
}

/// What one request got back, before any redirect is followed.
public struct TransportAnswer: Sendable {
    public var status: Int
    /// The raw `Location` header, unresolved (RedirectPolicy checks and resolves it).
    public var location: String?
    /// The `Date` header.
    public var date: String?
    public var body: [UInt8]

    public init(status: Int, location: String?, date: String?, body: [UInt8]) {
        self.status = status
        self.location = location
        self.date = date
        self.body = body
    }
}

/// The HTTPClient every login uses: the transport and redirect rules of RedirectPolicy applied
/// here, in the core, around whatever transport an adapter gives, so that no adapter can skip
/// them: each URL is checked before it goes out, each redirect is checked and followed here
/// (a bounded number of times), and credentials never follow a redirect to another origin.
open class PolicyHTTPClient: HTTPClient {
    let transport: HTTPTransport
    public let maxRedirects: Int
    /// Called with one line per request (method, origin, path without query, status): never bodies.
    public var trace: ((String) -> Void)?

    public init(transport: HTTPTransport, maxRedirects: Int = 10) {
        self.transport = transport
        self.maxRedirects = maxRedirects
    }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var current = request
        for _ in 0...maxRedirects {
            let url = try RedirectPolicy.check(current.url)
            let answer = try transport.perform(current, host: url.host)
            trace?("\(current.method) \(url.origin)\(url.pathAndQuery.split(separator: "?").first ?? "") -> \(answer.status)")
            guard RedirectPolicy.redirectStatuses.contains(answer.status), let location = answer.location else {
                var response = HTTPResponse(status: answer.status, url: current.url, body: answer.body)
                response.date = answer.date
                return response
            }
            current = try RedirectPolicy.follow(current, from: url, status: answer.status, location: location)
        }
        throw LeappError(.network, "too many redirects (more than \(maxRedirects)) from \(WebURL(request.url)?.host ?? "?")")
    }

    public func exportCookies() -> String { transport.exportCookies() }
    public func importCookies(_ jar: String) { transport.importCookies(jar) }
}

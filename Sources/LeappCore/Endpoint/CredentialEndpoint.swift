import Synchronization

/// The answers of leapp's container-credentials endpoint: what the AWS SDKs and the AWS CLI
/// read from `AWS_CONTAINER_CREDENTIALS_FULL_URI`, sending `AWS_CONTAINER_AUTHORIZATION_TOKEN`
/// as the `Authorization` header. A request without the token, or with another, gets 403 and
/// is counted; a good one gets the documented JSON (`AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration`). The SDKs come back as their credentials near expiry; the endpoint refreshes
/// ahead of them (`keepFresh`), so a request almost never waits for a login.
///
/// Thread-safe: requests and the refresher may arrive on different threads; one mutex makes
/// every use of the source (the keyring, the IdP, STS) take turns.
public final class CredentialEndpoint: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var authorization: String?

        public init(method: String, path: String, authorization: String?) {
            self.method = method
            self.path = path
            self.authorization = authorization
        }
    }

    public struct Response: Equatable, Sendable {
        public var status: Int
        public var body: String

        public init(status: Int, body: String) {
            self.status = status
            self.body = body
        }

        public var reason: String {
            switch status {
            case 200: return "OK"
            case 400: return "Bad Request"
            case 403: return "Forbidden"
            case 404: return "Not Found"
            case 405: return "Method Not Allowed"
            default: return "Service Unavailable"
            }
        }
    }

    /// Where the credentials come from: the session's cached ones when they are valid for
    /// longer than the margin asked, else a refresh. The failure that did not stop it comes
    /// back beside them (stale credentials served).
    public typealias Source = (_ margin: TimeInterval) throws -> (AWSCredentials, LeappError?)

    /// The path the endpoint answers on.
    public static let path = "/credentials"

    public let token: String
    let source: Source
    let clock: Clock
    /// Credentials closer than this to expiry are refreshed whatever else is said (leapp's own margin).
    let minimumMargin: TimeInterval
    /// The SDKs refresh up to 15 minutes before expiry (botocore's advisory window): the
    /// endpoint keeps what it serves outside that window when the credentials live long enough.
    public static let sdkWindow: TimeInterval = 900
    /// Told each time a request is refused (the count so far) or a refresh fails.
    public var onRefused: (Int) -> Void = { _ in }
    public var onFailure: (LeappError) -> Void = { _ in }

    struct State {
        var current: AWSCredentials?
        var fetchedAt = Date.distantPast
        var lastFailure: String?
        var served = 0
        var refused = 0
    }
    private let state = Mutex(State())

    /// Requests answered with credentials, and requests refused for their token.
    public var counts: (served: Int, refused: Int) { state.withLock { ($0.served, $0.refused) } }

    public init(token: String, clock: Clock, minimumMargin: TimeInterval, source: @escaping Source) {
        self.token = token
        self.clock = clock
        self.minimumMargin = minimumMargin
        self.source = source
    }

    /// A new random token: 32 bytes from the system's generator, base64url (43 characters).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    public func respond(to request: Request) -> Response {
        guard request.path == Self.path || request.path.hasPrefix(Self.path + "?") else {
            return Response(status: 404, body: Self.error("NotFound", "leapp serves credentials at \(Self.path)"))
        }
        guard request.method == "GET" else {
            return Response(status: 405, body: Self.error("MethodNotAllowed", "only GET"))
        }
        guard let given = request.authorization, Self.same(given, token) else {
            let count = state.withLock {
                $0.refused += 1
                return $0.refused
            }
            onRefused(count)
            return Response(status: 403, body: Self.error("AccessDenied", "a wrong or missing authorization token"))
        }
        do {
            let credentials = try state.withLock {
                let credentials = try fresh(&$0)
                $0.served += 1
                return credentials
            }
            return Response(status: 200, body: Self.document(credentials))
        } catch let error as LeappError {
            return Response(status: 503, body: Self.error("CredentialsUnavailable", error.message))
        } catch {
            return Response(status: 503, body: Self.error("CredentialsUnavailable", "\(error)"))
        }
    }

    /// The container-credentials document.
    public static func document(_ c: AWSCredentials) -> String {
        var doc: [String: JSONValue] = [
            "AccessKeyId": .string(c.accessKeyId), "SecretAccessKey": .string(c.secretAccessKey),
            "Token": .string(c.sessionToken), "Expiration": .string(RFC3339.format(c.expiration)),
        ]
        if let arn = c.assumedRoleArn { doc["RoleArn"] = .string(arn) }
        return doc.jsonText
    }

    static func error(_ code: String, _ message: String) -> String {
        (["code": .string(code), "message": .string(message)] as [String: JSONValue]).jsonText
    }

    /// Compares in time that does not depend on where the first difference is.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    /// How long before expiry credentials fetched at `fetched` are refreshed: a third of the
    /// life they had then, at most the SDKs' window, at least leapp's own margin.
    public func margin(for c: AWSCredentials, fetchedAt fetched: Date) -> TimeInterval {
        max(minimumMargin, min(Self.sdkWindow, c.expiration.timeIntervalSince(fetched) / 3))
    }

    /// When the credentials in hand are due for a refresh (now if there are none).
    public func due() -> Date {
        state.withLock { state in
            guard let current = state.current else { return clock.now }
            return current.expiration.addingTimeInterval(-margin(for: current, fetchedAt: state.fetchedAt))
        }
    }

    /// Credentials valid beyond their margin: the ones in hand, else the source's. Called with the lock held.
    private func fresh(_ state: inout State) throws -> AWSCredentials {
        let now = clock.now
        if let current = state.current, current.expiration.timeIntervalSince(now) > margin(for: current, fetchedAt: state.fetchedAt) {
            return current
        }
        let wanted = state.current.map { margin(for: $0, fetchedAt: state.fetchedAt) } ?? minimumMargin
        do {
            let (got, failure) = try source(wanted)
            if got != state.current { (state.current, state.fetchedAt) = (got, now) }
            report(failure, &state)
            return got
        } catch let error as LeappError {
            report(error, &state)
            // Credentials still valid serve while the refresh fails (the IdP is down, or a
            // person must log in): the SDK comes back, and a later refresh may work.
            if let current = state.current, current.expiration > now { return current }
            throw error
        }
    }

    /// Each new failure once (the same one again is not repeated at every request).
    private func report(_ failure: LeappError?, _ state: inout State) {
        guard let failure else {
            state.lastFailure = nil
            return
        }
        guard failure.message != state.lastFailure else { return }
        state.lastFailure = failure.message
        onFailure(failure)
    }

    /// Refreshes ahead of the SDKs, forever: sleeps until the credentials in hand are due,
    /// refreshes, and after a failure tries again within 30 seconds. Run it on a thread of its own.
    public func keepFresh() -> Never {
        while true {
            let wait = due().timeIntervalSince(clock.now)
            if wait > 0 { clock.sleep(seconds: min(wait, 30)) }
            guard due() <= clock.now else { continue }
            let failed = state.withLock { state -> Bool in
                do {
                    _ = try fresh(&state)
                    return false
                } catch {
                    return true
                }
            }
            if failed || due() <= clock.now { clock.sleep(seconds: 5) }
        }
    }
}

/// The ports LeappCore needs from the outside world (this folder). LeappSystem implements them
/// on libcurl, libxml2, libsecret and POSIX; the tests implement them with fakes.

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Answer a 401 `WWW-Authenticate: Negotiate` with the user's Kerberos ticket (SPNEGO):
    /// Windows Integrated Authentication. Like any credential, it never follows a redirect to
    /// another origin.
    public var negotiate = false

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func form(_ url: String, _ fields: [(String, String)]) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: Array(FormEncoding.encode(fields).utf8))
    }

    public static func json(_ url: String, _ object: [String: JSONValue], headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers,
            body: Array(object.jsonText.utf8))
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// The URL that answered, after redirects.
    public var url: String
    public var body: [UInt8]
    /// The `Date` header, as the server sent it (clock-skew checks).
    public var date: String?

    public init(status: Int, url: String, body: [UInt8]) {
        self.status = status
        self.url = url
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public protocol HTTPClient: AnyObject {
    /// Sends the request, following redirects (PolicyHTTPClient's rules), keeping cookies.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
    /// The cookie jar as text (kept in the keyring between runs).
    func exportCookies() -> String
    func importCookies(_ jar: String)
}

/// The ports LeappCore needs from the outside world. LeappSystem implements them on
/// libcurl, libxml2, libsecret and POSIX; the tests implement them with fakes.

// MARK: HTTP

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func form(_ url: String, _ fields: [(String, String)]) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url,
                    headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Array(FormEncoding.encode(fields).utf8))
    }

    public static func json(_ url: String, _ object: [String: JSONValue], headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url,
                    headers: [("Content-Type", "application/json"), ("Accept", "application/json")] + headers,
                    body: Array(object.jsonText.utf8))
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// The URL that answered, after redirects.
    public var url: String
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, url: String, contentType: String? = nil, body: [UInt8]) {
        self.status = status
        self.url = url
        self.contentType = contentType
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public protocol HTTPClient: AnyObject {
    /// Sends the request, following redirects, keeping cookies.
    func send(_ request: HTTPRequest) throws -> HTTPResponse
    /// The cookie jar as text (kept in the keyring between runs).
    func exportCookies() -> String
    func importCookies(_ jar: String)
}

// MARK: Markup

public struct MarkupNode: Sendable {
    public let handle: Int
    public let name: String
    public let attributes: [String: String]
    public let text: String

    public init(handle: Int, name: String, attributes: [String: String], text: String) {
        self.handle = handle
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public subscript(attribute: String) -> String? { attributes[attribute] }
}

public protocol MarkupDocument: AnyObject {
    /// Nodes matching an XPath, relative to `node` when given.
    func select(_ xpath: String, in node: MarkupNode?) throws -> [MarkupNode]
}

extension MarkupDocument {
    public func select(_ xpath: String) throws -> [MarkupNode] { try select(xpath, in: nil) }
    public func first(_ xpath: String, in node: MarkupNode? = nil) throws -> MarkupNode? {
        try select(xpath, in: node).first
    }
}

public protocol MarkupParser {
    func parseHTML(_ bytes: [UInt8]) throws -> MarkupDocument
    /// Parses XML with no network, no entity expansion and no DTD; refuses a DOCTYPE.
    func parseXML(_ bytes: [UInt8]) throws -> MarkupDocument
}

// MARK: Secrets

public enum SecretKind: String, Sendable, CaseIterable {
    /// Cached STS credentials of a session (key: session id).
    case credentials
    /// The IdP cookie jar and refresh material (key: IdP URL id).
    case idpSession = "idp-session"
    /// A remembered password (key: IdP URL id), only with --remember-password.
    case password
    /// An IdP API client's id and secret (key: IdP URL id), e.g. OneLogin's.
    case apiClient = "api-client"
}

public protocol SecretStore: AnyObject {
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws
    func lookup(_ kind: SecretKind, key: String) throws -> String?
    /// Returns whether an item was removed.
    @discardableResult func delete(_ kind: SecretKind, key: String) throws -> Bool
    func keys(_ kind: SecretKind) throws -> [String]
}

// MARK: Terminal

public protocol Prompter {
    /// Whether a person can answer (stdin and stderr are terminals and prompting is allowed).
    var isInteractive: Bool { get }
    func ask(_ question: String) throws -> String
    func askSecret(_ question: String) throws -> String
    func choose(_ question: String, options: [String]) throws -> Int
    /// A one-line notice on stderr.
    func notice(_ line: String)
}

// MARK: Time

public protocol Clock {
    var now: Date { get }
    func sleep(seconds: Double)
}

// MARK: Files

public protocol FileSystem {
    func read(_ path: String) throws -> [UInt8]?
    /// Writes through a temporary file in the same directory and renames it over `path`.
    func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws
    func remove(_ path: String) throws
    func exists(_ path: String) -> Bool
    func createDirectory(_ path: String, mode: UInt32) throws
    /// Runs body holding an exclusive lock on `path + ".lock"`.
    func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T
    func realPath(_ path: String) -> String?
    /// Takes an exclusive lock on `path + ".lock"` without waiting: nil when another process
    /// holds it. The lock lasts as long as the returned object.
    func tryLock(_ path: String) throws -> AnyObject?
}

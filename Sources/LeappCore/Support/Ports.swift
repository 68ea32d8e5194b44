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
    public var contentType: String?
    public var body: [UInt8]
    /// The `Date` header, as the server sent it (clock-skew checks).
    public var date: String?

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
    /// A user's own AWS profile section, saved before a session took it over (key: the
    /// ledger record's backup key); put back when the session stops.
    case profileBackup = "profile-backup"
    /// The key of the encrypted secret file, derived from its passphrase, kept in the kernel
    /// keyring until reboot (key: from the file's salt). Never moved between stores.
    case fileKey = "file-key"
}

public protocol SecretStore: AnyObject {
    func store(_ kind: SecretKind, key: String, label: String, secret: String) throws
    func lookup(_ kind: SecretKind, key: String) throws -> String?
    /// Returns whether an item was removed (an item already gone counts as not removed).
    @discardableResult func delete(_ kind: SecretKind, key: String) throws -> Bool
    /// Fails when a store would fail for a reason a person must fix (a locked collection), so
    /// that a login stops before it sends a password anywhere.
    func checkWritable() throws
    /// Every record's kind and key (never a value): `leapp secrets list` and `migrate`.
    func list() throws -> [(SecretKind, String)]
}

extension SecretStore {
    public func checkWritable() throws {}
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
    /// A progress line for a long wait, redrawn in place on a terminal (nil clears it);
    /// nothing at all when stderr is not a terminal.
    func progress(_ line: String?)
    /// Shows `text` as a QR code where a terminal can (a phone opens it); nothing elsewhere.
    func showQRCode(_ text: String)
}

extension Prompter {
    public func progress(_ line: String?) {}
    public func showQRCode(_ text: String) {}
}

// MARK: Time

public protocol Clock {
    var now: Date { get }
    func sleep(seconds: Double)
}

// MARK: Files

/// What a path is, looked at without following a final symbolic link first.
public struct FileInfo: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case missing, regular, directory, fifo, socket
        case device = "device file"
        /// A symbolic link whose target does not exist.
        case danglingLink = "symbolic link to a missing file"
        case other = "special file"
    }
    /// The kind of what the path names after following symbolic links.
    public var kind: Kind
    /// Permission bits of the file (after links).
    public var mode: UInt32
    /// Whether the file belongs to this process's user.
    public var ownedByUser: Bool
    /// The file's group (kept when leapp replaces the file).
    public var group: UInt32 = 0
    /// The path after following symbolic links (nil when missing).
    public var target: String?
    /// Whether the path itself is a symbolic link.
    public var isLink: Bool

    public init(kind: Kind, mode: UInt32 = 0, ownedByUser: Bool = true, target: String? = nil, isLink: Bool = false) {
        self.kind = kind
        self.mode = mode
        self.ownedByUser = ownedByUser
        self.target = target
        self.isLink = isLink
    }

    /// `/dev/null`, the common way to say "no file".
    public var isNullDevice: Bool { kind == .device && target == "/dev/null" }
}

public protocol FileSystem {
    /// The whole content of a regular file; nil when it does not exist. A FIFO, device or
    /// directory is an error, never a wait.
    func read(_ path: String) throws -> [UInt8]?
    /// At most `limit` bytes of a regular file, without following a final symbolic link
    /// when `followLinks` is false (nil when missing).
    func read(_ path: String, limit: Int, followLinks: Bool) throws -> [UInt8]?
    /// Writes through a temporary file in the same directory (fsynced) and renames it over
    /// the target of `path` (a symbolic link is kept and its target replaced). An existing
    /// file keeps its mode; a new one gets `mode`.
    func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32) throws
    func remove(_ path: String) throws
    func exists(_ path: String) -> Bool
    func inspect(_ path: String) -> FileInfo
    func createDirectory(_ path: String, mode: UInt32) throws
    /// Runs body holding an exclusive lock on `path + ".lock"`.
    func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T
    func realPath(_ path: String) -> String?
    /// Takes an exclusive lock on `path + ".lock"` without waiting: nil when another process
    /// holds it. The lock lasts as long as the returned object.
    func tryLock(_ path: String) throws -> AnyObject?
}

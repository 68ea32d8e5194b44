import Foundation
import XCTest

@testable import LeappCore
@testable import LeappSystem

/// One step of a recorded login: what leapp must send, and what the IdP answered.
struct Exchange {
    var method: String
    /// The URL leapp must ask for (path and query are compared; the origin is the replay's).
    var path: String
    /// Fields the request body must carry (form fields, or top-level JSON keys), with their values.
    var sends: [String: String] = [:]
    /// Fields the request body must not carry.
    var omits: [String] = []
    var status = 200
    var contentType = "text/html; charset=utf-8"
    var body: String
    /// Where the answer came from after redirects (the HTTP client follows them): by default
    /// the path asked for.
    var answeredAt: String?

    func at(_ path: String) -> Exchange {
        var e = self
        e.answeredAt = path
        return e
    }

    static func get(_ path: String, status: Int = 200, json: Bool = false, _ body: String) -> Exchange {
        Exchange(method: "GET", path: path, status: status, contentType: json ? "application/json" : "text/html; charset=utf-8", body: body)
    }

    static func post(
        _ path: String, sends: [String: String] = [:], omits: [String] = [], status: Int = 200, json: Bool = false, _ body: String
    )
        -> Exchange
    {
        Exchange(
            method: "POST", path: path, sends: sends, omits: omits, status: status,
            contentType: json ? "application/json" : "text/html; charset=utf-8", body: body)
    }
}

extension Exchange {
    /// A page kept as a file under Tests/LeappSystemTests/Fixtures (read from the source tree:
    /// the folder is excluded from the target, so it is not a resource).
    static func fixture(_ name: String, file: StaticString = #filePath) -> String {
        let here = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        let path = here.deletingLastPathComponent().appendingPathComponent("Fixtures").appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("no fixture \(name) at \(path)")
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// An HTTP client that replays a recorded login in order and fails the test on any request
/// that is not the next one expected, or that does not post what the IdP needs.
final class ReplayHTTP: HTTPClient {
    let origin: String
    var exchanges: [Exchange]
    var sent: [HTTPRequest] = []
    let file: StaticString
    let line: UInt

    init(origin: String = "https://idp.example.com", _ exchanges: [Exchange], file: StaticString = #filePath, line: UInt = #line) {
        self.origin = origin
        self.exchanges = exchanges
        self.file = file
        self.line = line
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        sent.append(request)
        guard !exchanges.isEmpty else {
            XCTFail("unexpected request after the recording ended: \(request.method) \(request.url)", file: file, line: line)
            throw LeappError(.network, "replay: no more exchanges")
        }
        let expected = exchanges.removeFirst()
        let path = WebURL(request.url)?.pathAndQuery ?? request.url
        XCTAssertEqual("\(request.method) \(path)", "\(expected.method) \(expected.path)", "request \(sent.count)", file: file, line: line)
        let fields = Self.fields(of: request)
        for (name, value) in expected.sends {
            XCTAssertEqual(fields[name], value, "request \(sent.count) (\(expected.path)) field \(name)", file: file, line: line)
        }
        for name in expected.omits {
            XCTAssertNil(fields[name], "request \(sent.count) (\(expected.path)) must not send \(name)", file: file, line: line)
        }
        return HTTPResponse(
            status: expected.status, url: origin + (expected.answeredAt ?? expected.path),
            body: Array(expected.body.utf8))
    }

    /// The body's fields: a form, or a JSON object's top-level values as text.
    static func fields(of request: HTTPRequest) -> [String: String] {
        guard let body = request.body else { return [:] }
        if let json = JSONValue.parse(body), case .object(let object) = json {
            return object.compactMapValues { $0.string }
        }
        return Dictionary(FormEncoding.decode(String(decoding: body, as: UTF8.self)), uniquingKeysWith: { a, _ in a })
    }

    func exportCookies() -> String { "" }
    func importCookies(_ jar: String) {}

    func assertFinished(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(
            exchanges.isEmpty, "the login stopped before \(exchanges.first.map { "\($0.method) \($0.path)" } ?? "")", file: file, line: line
        )
    }
}

/// A clock that never waits (polls happen at once) but counts the waits asked for.
final class ReplayClock: Clock, @unchecked Sendable {
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    var slept: [Double] = []
    func sleep(seconds: Double) {
        slept.append(seconds)
        now = now.addingTimeInterval(seconds)
    }
}

/// Notices a login shows (number matching, push prompts), for assertions.
final class ReplayPrompter: Prompter, @unchecked Sendable {
    var notices: [String] = []
    var isInteractive: Bool { false }
    func ask(_ question: String) throws -> String { throw LeappError(.needsUser, "replay: no terminal") }
    func askSecret(_ question: String) throws -> String { throw LeappError(.needsUser, "replay: no terminal") }
    func choose(_ question: String, options: [String]) throws -> Int { throw LeappError(.needsUser, "replay: no terminal") }
    func notice(_ line: String) { notices.append(line) }
}

/// Runs one provider's login over a recording.
struct Replay {
    var provider: Provider
    var url: String
    var username: String? = "alice"
    var password: String? = "correct horse"
    var mfaCode: String?
    var mfaFactor: String?
    var settings = Settings()
    /// A person reads stderr (an explicit command): pushes may be waited for.
    var personReadsStderr = true

    func login(_ http: ReplayHTTP, prompter: ReplayPrompter = ReplayPrompter(), clock: ReplayClock = ReplayClock()) throws
        -> SAMLResponseForm
    {
        let idp = IdPURL(id: "i1", name: "acme", url: url, provider: provider)
        let password = self.password
        let ctx = LoginContext(
            idp: idp, http: http, parser: LibXMLParser(), prompter: prompter, clock: clock, resumeCommand: "leapp session start dev",
            username: username, mfaCode: mfaCode, mfaFactor: mfaFactor, passwordSource: { password })
        ctx.settings = settings
        ctx.personReadsStderr = personReadsStderr
        return try Providers.make(provider).login(ctx)
    }
}

/// The page every successful SAML login ends on: an auto-posting form to the AWS sign-in page.
func awsPostPage(_ response: String = "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+", relayState: String? = nil) -> String {
    """
    <!DOCTYPE html><html><head><title>Working...</title></head>
    <body onload="document.forms[0].submit()">
    <form method="post" action="https://signin.aws.amazon.com/saml">
    <input type="hidden" name="SAMLResponse" value="\(response)"/>\(relayState.map { #"<input type="hidden" name="RelayState" value="\#($0)"/>"# } ?? "")
    <noscript><input type="submit" value="Continue"/></noscript>
    </form></body></html>
    """
}

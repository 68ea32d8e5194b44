import XCTest

@testable import LeappCore

/// The redirect and transport rules hold around any transport, not only libcurl's.
final class PolicyHTTPClientTests: XCTestCase {
    /// A transport that answers from a script and records what went out.
    final class ScriptedTransport: HTTPTransport {
        var answers: [(String) -> TransportAnswer]
        var sent: [HTTPRequest] = []
        init(_ answers: [(String) -> TransportAnswer]) { self.answers = answers }
        func perform(_ request: HTTPRequest, host: String) throws -> TransportAnswer {
            sent.append(request)
            return answers.isEmpty ? TransportAnswer(status: 200, location: nil, date: nil, body: []) : answers.removeFirst()(request.url)
        }
        func exportCookies() -> String { "" }
        func importCookies(_ jar: String) {}
    }

    func redirect(_ to: String) -> (String) -> TransportAnswer { { _ in TransportAnswer(status: 302, location: to, date: nil, body: []) } }

    func testRulesHoldAroundAnyTransport() throws {
        // Credentials do not follow a redirect to another origin; a 302 turns a POST into a GET.
        let t = ScriptedTransport([redirect("https://idp.example.com/wia"), redirect("https://other.example.net/next")])
        var first = HTTPRequest(
            method: "POST", url: "https://idp.example.com/login", headers: [("Cookie", "sid=1"), ("Accept", "*/*")], body: [1])
        first.negotiate = true
        let response = try PolicyHTTPClient(transport: t).send(first)
        XCTAssertEqual(response.url, "https://other.example.net/next")
        XCTAssertEqual(t.sent.count, 3)
        XCTAssertTrue(t.sent[1].negotiate, "Kerberos stays within the origin")
        XCTAssertEqual(t.sent[2].method, "GET")
        XCTAssertEqual(t.sent[2].headers.map(\.0), ["Accept"])
        XCTAssertFalse(t.sent[2].negotiate, "a ticket never answers another origin")
        // A scheme other than http(s) is refused by name, and nothing is sent there.
        let file = ScriptedTransport([redirect("file:///etc/passwd")])
        XCTAssertThrowsError(try PolicyHTTPClient(transport: file).send(HTTPRequest(url: "https://idp.example.com/")))
        XCTAssertEqual(file.sent.count, 1)
        // Plain http off loopback never leaves.
        let plain = ScriptedTransport([])
        XCTAssertThrowsError(try PolicyHTTPClient(transport: plain).send(HTTPRequest(url: "http://idp.example.com/")))
        XCTAssertEqual(plain.sent.count, 0)
        // A redirect loop ends.
        let loop = ScriptedTransport(Array(repeating: redirect("/again"), count: 50))
        XCTAssertThrowsError(try PolicyHTTPClient(transport: loop, maxRedirects: 3).send(HTTPRequest(url: "https://idp.example.com/"))) {
            XCTAssertTrue("\($0)".contains("too many redirects"), "\($0)")
        }
        XCTAssertEqual(loop.sent.count, 4)
    }
}

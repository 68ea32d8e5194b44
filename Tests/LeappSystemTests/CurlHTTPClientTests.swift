import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

final class CurlHTTPClientTests: XCTestCase {
    nonisolated(unsafe) static var server: TestServer!

    override class func setUp() {
        server = try? TestServer("testserver")
    }

    override class func tearDown() { server = nil }

    var base: String { Self.server.url }

    func json(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    func testCookiesAreKeptAndExportedAndImported() throws {
        let client = try CurlHTTPClient()
        _ = try client.send(HTTPRequest(url: base + "/set-cookie"))
        let echoed = try json(client.send(HTTPRequest(url: base + "/echo")))
        XCTAssertEqual((echoed["cookies"] as? [String: String])?["session"], "s3cr3t-cookie")
        let jar = client.exportCookies()
        XCTAssertTrue(jar.contains("s3cr3t-cookie"))

        let fresh = try CurlHTTPClient()
        XCTAssertEqual((try json(fresh.send(HTTPRequest(url: base + "/echo")))["cookies"] as? [String: String])?.isEmpty, true)
        fresh.importCookies(jar)
        XCTAssertEqual(
            (try json(fresh.send(HTTPRequest(url: base + "/echo")))["cookies"] as? [String: String])?["session"], "s3cr3t-cookie")
    }

    func testUserAgentAndFormBody() throws {
        let client = try CurlHTTPClient()
        let echoed = try json(client.send(.form(base + "/echo", [("a", "1 2"), ("b", "&=")])))
        XCTAssertEqual(echoed["user_agent"] as? String, "leapp/\(LeappVersion.current)")
        XCTAssertEqual(echoed["body"] as? String, "a=1+2&b=%26%3D")
        XCTAssertEqual(echoed["content_type"] as? String, "application/x-www-form-urlencoded")
    }

    func testRedirectsAreFollowedAndPostBecomesGetOn303() throws {
        let client = try CurlHTTPClient()
        let response = try client.send(HTTPRequest(url: base + "/redirect/3"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.url, base + "/echo")
        let posted = try client.send(.form(base + "/see-other", [("x", "y")]))
        XCTAssertEqual(try json(posted)["method"] as? String, "GET")
        let kept = try client.send(.form(base + "/temporary", [("x", "y")]))
        XCTAssertEqual(try json(kept)["method"] as? String, "POST")
        XCTAssertEqual(try json(kept)["body"] as? String, "x=y")
    }

    func testRedirectLimit() throws {
        var options = CurlHTTPClient.Options()
        options.maxRedirects = 2
        let client = try CurlHTTPClient(options: options)
        XCTAssertThrowsError(try client.send(HTTPRequest(url: base + "/redirect/5"))) { error in
            XCTAssertTrue("\(error)".contains("too many redirects"), "\(error)")
        }
    }

    func testPlainHTTPOutsideLoopbackIsRefusedAlsoOnRedirect() throws {
        let client = try CurlHTTPClient()
        XCTAssertThrowsError(try client.send(HTTPRequest(url: "http://example.com/"))) { error in
            XCTAssertTrue("\(error)".contains("refusing plain http to example.com"), "\(error)")
        }
        XCTAssertThrowsError(try client.send(HTTPRequest(url: base + "/to-external"))) { error in
            XCTAssertTrue("\(error)".contains("refusing plain http to leapp-test.invalid"), "\(error)")
        }
    }

    func testTimeout() throws {
        var options = CurlHTTPClient.Options()
        options.timeoutMs = 300
        let client = try CurlHTTPClient(options: options)
        XCTAssertThrowsError(try client.send(HTTPRequest(url: base + "/slow?s=3"))) { error in
            XCTAssertTrue("\(error)".contains("127.0.0.1"), "\(error)")
            XCTAssertTrue("\(error)".contains("did not answer in time"), "\(error)")
        }
    }

    func testResponseSizeCap() throws {
        var options = CurlHTTPClient.Options()
        options.maxBodyBytes = 2 * 1024 * 1024
        let client = try CurlHTTPClient(options: options)
        XCTAssertThrowsError(try client.send(HTTPRequest(url: base + "/big?mb=10"))) { error in
            XCTAssertTrue("\(error)".contains("too large"), "\(error)")
        }
        XCTAssertEqual(try client.send(HTTPRequest(url: base + "/big?mb=1")).body.count, 1024 * 1024)
    }

    func testConnectionRefusedNamesHost() throws {
        let client = try CurlHTTPClient()
        XCTAssertThrowsError(try client.send(HTTPRequest(url: "http://127.0.0.1:9/"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("request to 127.0.0.1 failed"), text)
        }
    }

    func testCredentialsDoNotFollowARedirectToAnotherOrigin() throws {
        let client = try CurlHTTPClient()
        let port = base.split(separator: ":").last!
        func hop(_ target: String) throws -> [String: Any] {
            let to = base + "/to?code=307&location=" + FormEncoding.escape(target)
            return try json(
                client.send(HTTPRequest(method: "POST", url: to, headers: [("Authorization", "Basic c2VjcmV0")], body: Array("x=1".utf8))))
        }
        // Same origin: the header goes along. Another origin (localhost is not 127.0.0.1): it does not.
        XCTAssertEqual(try hop(base + "/echo")["authorization"] as? String, "Basic c2VjcmV0")
        let other = try hop("http://localhost:\(port)/echo")
        XCTAssertEqual(other["host"] as? String, "localhost:\(port)")
        XCTAssertTrue(other["authorization"] is NSNull, "\(other)")
        XCTAssertEqual(other["body"] as? String, "x=1", "a 307 keeps its body")
    }

    func testRedirectsToOtherSchemesAreRefusedByName() throws {
        let client = try CurlHTTPClient()
        for target in ["file:///etc/passwd", "javascript:alert(1)", "FILE:/etc/passwd"] {
            XCTAssertThrowsError(try client.send(HTTPRequest(url: base + "/to?location=" + FormEncoding.escape(target)))) { error in
                XCTAssertTrue(
                    "\(error)".contains("refusing a redirect") && "\(error)".lowercased().contains(String(target.prefix(4)).lowercased()),
                    "\(error)")
            }
        }
    }

    func testTLSHandshakeFailureIsReported() throws {
        // A TLS handshake against a plain HTTP server fails, and the message points at TLS.
        let client = try CurlHTTPClient()
        let port = base.split(separator: ":").last!
        XCTAssertThrowsError(try client.send(HTTPRequest(url: "https://127.0.0.1:\(port)/echo"))) { error in
            XCTAssertTrue("\(error)".contains("request to 127.0.0.1 failed"), "\(error)")
        }
    }
}

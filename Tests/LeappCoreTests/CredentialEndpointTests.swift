import XCTest

@testable import LeappCore

/// A clock tests move by hand (the endpoint reads it from more than one place).
final class SteppedClock: Clock, @unchecked Sendable {
    var now: Date
    init(_ now: Date) { self.now = now }
    func sleep(seconds: Double) { now = now.addingTimeInterval(seconds) }
}

final class CredentialEndpointTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func credentials(_ key: String, life: TimeInterval, from: Date) -> AWSCredentials {
        AWSCredentials(
            accessKeyId: key, secretAccessKey: "secret", sessionToken: "token", expiration: from.addingTimeInterval(life),
            assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/Dev/alice")
    }

    func request(_ token: String?, path: String = "/credentials") -> CredentialEndpoint.Request {
        CredentialEndpoint.Request(method: "GET", path: path, authorization: token)
    }

    func testAWrongOrMissingTokenIsRefusedAndCountedWithoutTouchingTheSource() {
        var fetched = 0
        let endpoint = CredentialEndpoint(token: "right", clock: FakeClock(now: start), minimumMargin: 300) { _ in
            fetched += 1
            return (self.credentials("ASIAONE", life: 3600, from: self.start), nil)
        }
        var told: [Int] = []
        endpoint.onRefused = { told.append($0) }
        XCTAssertEqual(endpoint.respond(to: request(nil)).status, 403)
        XCTAssertEqual(endpoint.respond(to: request("righ")).status, 403)
        XCTAssertEqual(endpoint.respond(to: request("right ")).status, 403)
        XCTAssertEqual(fetched, 0)
        XCTAssertEqual(told, [1, 2, 3])
        XCTAssertEqual(endpoint.respond(to: request("right")).status, 200)
        XCTAssertEqual(endpoint.counts.served, 1)
        XCTAssertEqual(endpoint.counts.refused, 3)
        XCTAssertEqual(endpoint.respond(to: request("right", path: "/other")).status, 404)
    }

    func testTheDocumentIsTheContainerCredentialsShape() throws {
        let c = credentials("ASIAONE", life: 3600, from: start)
        let doc = try XCTUnwrap(JSONValue.parse(Array(CredentialEndpoint.document(c).utf8)))
        XCTAssertEqual(doc["AccessKeyId"]?.string, "ASIAONE")
        XCTAssertEqual(doc["SecretAccessKey"]?.string, "secret")
        XCTAssertEqual(doc["Token"]?.string, "token")
        XCTAssertEqual(doc["Expiration"]?.string, RFC3339.format(c.expiration))
    }

    func testCredentialsAreRefreshedAheadOfTheSDKsWindowAndServedFromMemoryBefore() {
        let clock = SteppedClock(start)
        var asked: [TimeInterval] = []
        var issued = 0
        let endpoint = CredentialEndpoint(token: "t", clock: clock, minimumMargin: 300) { margin in
            asked.append(margin)
            issued += 1
            return (self.credentials("ASIA\(issued)", life: 3600, from: clock.now), nil)
        }
        XCTAssertEqual(endpoint.respond(to: request("t")).status, 200)
        clock.now = start.addingTimeInterval(2600)  // 1000 s left: outside the 15-minute window
        XCTAssertEqual(endpoint.respond(to: request("t")).body.contains("ASIA1"), true)
        XCTAssertEqual(issued, 1)
        clock.now = start.addingTimeInterval(2800)  // 800 s left: inside it
        XCTAssertTrue(endpoint.respond(to: request("t")).body.contains("ASIA2"))
        XCTAssertEqual(asked.last, 900)  // asked for credentials valid beyond the window
        // Short-lived credentials: a third of their life, not the whole window.
        XCTAssertEqual(endpoint.margin(for: credentials("X", life: 900, from: start), fetchedAt: start), 300)
        XCTAssertEqual(endpoint.margin(for: credentials("X", life: 30, from: start), fetchedAt: start), 300)
        let fast = CredentialEndpoint(token: "t", clock: clock, minimumMargin: 2) { _ in throw LeappError(.sts, "x") }
        XCTAssertEqual(fast.margin(for: credentials("X", life: 30, from: start), fetchedAt: start), 10)
    }

    func testAFailedRefreshServesValidCredentialsSaysSoOnceAndThen503() {
        let clock = SteppedClock(start)
        var failing = false
        let endpoint = CredentialEndpoint(token: "t", clock: clock, minimumMargin: 300) { _ in
            if failing { throw LeappError(.needsUser, "log in", hint: "run `leapp session start dev`") }
            return (self.credentials("ASIAONE", life: 3600, from: self.start), nil)
        }
        var failures: [String] = []
        endpoint.onFailure = { failures.append($0.message) }
        XCTAssertEqual(endpoint.respond(to: request("t")).status, 200)
        failing = true
        clock.now = start.addingTimeInterval(3400)
        XCTAssertEqual(endpoint.respond(to: request("t")).status, 200)
        XCTAssertEqual(endpoint.respond(to: request("t")).status, 200)
        XCTAssertEqual(failures, ["log in"])
        clock.now = start.addingTimeInterval(3601)
        let expired = endpoint.respond(to: request("t"))
        XCTAssertEqual(expired.status, 503)
        XCTAssertTrue(expired.body.contains("log in"))
    }

    func testTokensAreLongRandomAndHeaderSafe() {
        let a = CredentialEndpoint.newToken()
        XCTAssertEqual(a.count, 43)
        XCTAssertNotEqual(a, CredentialEndpoint.newToken())
        XCTAssertTrue(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    func testListenAcceptsOnlyLoopback() throws {
        XCTAssertEqual(try EndpointAddress.listen("127.0.0.1:9911"), .tcp(host: "127.0.0.1", port: 9911))
        XCTAssertEqual(try EndpointAddress.listen("[::1]:9911"), .tcp(host: "::1", port: 9911))
        XCTAssertEqual(try EndpointAddress.listen("localhost:80"), .tcp(host: "127.0.0.1", port: 80))
        XCTAssertEqual(try EndpointAddress.listen("9911"), .tcp(host: "127.0.0.1", port: 9911))
        for bad in ["0.0.0.0:1", "10.0.0.1:1", "[::]:1", "example.com:1", "127.0.0.1:99999", "127.0.0.1:-1", "127.1:80", "127.0.0.1.5:1"] {
            XCTAssertThrowsError(try EndpointAddress.listen(bad), bad)
        }
        XCTAssertEqual(EndpointAddress.tcp(host: "::1", port: 0).url(boundPort: 5), "http://[::1]:5/credentials")
    }
}

import XCTest

@testable import LeappCore

/// A launcher that records what it was asked and answers like a browser that saw the post.
final class RecordingLauncher: BrowserLauncher {
    var requests: [BrowserCatchRequest] = []
    var answer: BrowserCatch

    init(_ answer: BrowserCatch) { self.answer = answer }

    func catchPost(_ request: BrowserCatchRequest) throws -> BrowserCatch {
        requests.append(request)
        return answer
    }
}

/// What the core decides around a browser: which cookies go in, what comes out, what is kept.
final class BrowserLoginTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let idp = IdPURL(id: "i1", name: "acme", url: "https://idp.example.com/saml", provider: .generic)
    let identity = BrowserCookie(name: "KEYCLOAK_IDENTITY", value: "a\tb", domain: "idp.example.com", path: "/realms/", httpOnly: true)

    static var headless: Settings {
        var s = Settings()
        s.browserHeadless = true
        return s
    }

    func federation(_ secrets: FakeSecrets, _ launcher: RecordingLauncher, env: Settings = headless) -> Federation {
        var f = Federation(
            secrets: secrets, makeHTTP: { FakeHTTP { _ in throw LeappError(.network, "no HTTP in a browser login") } },
            parser: UnusedParser(), prompter: SilentPrompter(), clock: FakeClock(now: now), settings: env)
        f.browser = { launcher }
        return f
    }

    func login(_ f: Federation, username: String? = nil) throws -> SAMLResponseForm {
        var options = LoginOptions(username: username)
        options.method = .browser
        return try f.samlResponse(
            at: idp, http: try f.makeHTTP(), options: options, resumeCommand: "leapp session start dev", pastedPartition: nil)
    }

    func testCookieJarRoundTrip() {
        let cookies = [
            identity,
            BrowserCookie(name: "sid", value: "x y", domain: ".example.com", secure: true, expires: 1_900_000_000),
        ]
        let jar = CookieJarText.render(cookies)
        XCTAssertEqual(
            jar,
            "#HttpOnly_idp.example.com\tFALSE\t/realms/\tFALSE\t0\tKEYCLOAK_IDENTITY\ta\tb\n"
                + ".example.com\tTRUE\t/\tTRUE\t1900000000\tsid\tx y\n")
        XCTAssertEqual(CookieJarText.parse(jar), cookies)
        // libcurl's own lines (a domain cookie written without its dot) read the same way.
        XCTAssertEqual(CookieJarText.parse("example.com\tTRUE\t/\tFALSE\t0\tk\tv\n# comment\n\n").first?.domain, ".example.com")
        XCTAssertTrue(cookies[1].matches(host: "login.example.com"))
        XCTAssertFalse(identity.matches(host: "other.idp.example.com"))
    }

    func testCookiesGoInAndComeBackToTheOneRecord() throws {
        let secrets = FakeSecrets()
        try secrets.storeJSON(
            IdPSessionRecord(cookies: CookieJarText.render([identity]), username: "alice", savedAt: now), .idpSession, key: "i1", label: "")
        let aws = BrowserCookie(name: "aws-creds", value: "x", domain: ".signin.aws.amazon.com")
        let earned = BrowserCookie(name: "new", value: "1", domain: "idp.example.com")
        let launcher = RecordingLauncher(
            BrowserCatch(
                url: "https://signin.amazonaws-us-gov.com/saml", body: Array("SAMLResponse=PHg%2B&RelayState=r".utf8),
                cookies: [identity, earned, aws]))
        let form = try login(federation(secrets, launcher))
        XCTAssertEqual(form.samlResponse, "PHg+")
        XCTAssertEqual(form.relayState, "r")
        XCTAssertEqual(form.partition, .awsUSGov)
        XCTAssertEqual(launcher.requests.first?.cookies, [identity])
        XCTAssertEqual(launcher.requests.first?.url, idp.url)
        XCTAssertEqual(launcher.requests.first?.catching.contains("https://signin.aws.amazon.com/saml"), true)
        let record = try XCTUnwrap(try secrets.loadJSON(IdPSessionRecord.self, .idpSession, key: "i1"))
        XCTAssertEqual(CookieJarText.parse(record.cookies), [identity, earned], "AWS's cookies are not the IdP's")
        XCTAssertEqual(record.username, "alice")
    }

    func testAnotherUsersSessionIsNotCarriedIn() throws {
        let secrets = FakeSecrets()
        try secrets.storeJSON(
            IdPSessionRecord(cookies: CookieJarText.render([identity]), username: "alice", savedAt: now), .idpSession, key: "i1", label: "")
        let launcher = RecordingLauncher(
            BrowserCatch(url: "https://signin.aws.amazon.com/saml", body: Array("SAMLResponse=eA".utf8), cookies: []))
        _ = try login(federation(secrets, launcher), username: "bob")
        XCTAssertEqual(launcher.requests.first?.cookies, [])
    }

    func testAPostWithoutAResponseAndNoDisplayAreErrors() throws {
        let launcher = RecordingLauncher(
            BrowserCatch(url: "https://signin.aws.amazon.com/saml", body: Array("RelayState=x".utf8), cookies: []))
        XCTAssertThrowsError(try login(federation(FakeSecrets(), launcher))) {
            XCTAssertEqual(($0 as? LeappError)?.message, "the browser posted to the AWS sign-in page without a SAMLResponse")
        }
        XCTAssertThrowsError(try login(federation(FakeSecrets(), launcher, env: Settings()))) {
            XCTAssertEqual(($0 as? LeappError)?.kind, .needsUser)
        }
        XCTAssertTrue(launcher.requests.count == 1, "no browser without a display")
    }
}

import XCTest

@testable import LeappCore

/// The core's decisions with fakes: when to use the cache, how STS answers are read and retried.
final class FederationTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let idp = IdPURL(id: "i1", name: "acme", url: "https://idp.example.com/saml", provider: .generic)
    lazy var session = Session(
        id: "s1", alias: "dev", profile: "dev", region: "eu-west-1", idpUrlId: "i1",
        idpArn: "arn:aws:iam::123456789012:saml-provider/acme", roleArn: "arn:aws:iam::123456789012:role/Dev")
    lazy var config = Configuration(idpUrls: [idp], sessions: [session])

    func federation(_ secrets: FakeSecrets, http: FakeHTTP) -> Federation {
        Federation(
            secrets: secrets, makeHTTP: { http }, parser: UnusedParser(), prompter: SilentPrompter(),
            clock: FakeClock(now: now), settings: Settings())
    }

    func cache(_ secrets: FakeSecrets, expiresIn seconds: Double) throws {
        let c = AWSCredentials(accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t", expiration: now.addingTimeInterval(seconds))
        try secrets.store(.credentials, key: "s1", label: "", secret: String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
    }

    func testValidCacheIsUsedWithoutNetwork() throws {
        let secrets = FakeSecrets()
        try cache(secrets, expiresIn: 3000)
        let http = FakeHTTP { _ in
            XCTFail("no network expected")
            throw LeappError(.network, "x")
        }
        let (c, fresh) = try federation(secrets, http: http).credentials(for: session, in: config)
        XCTAssertEqual(c.accessKeyId, "ASIA1")
        XCTAssertFalse(fresh)
        XCTAssertEqual(secrets.reads, 1, "one keyring read")
    }

    func testNearExpiryGoesToTheIdP() throws {
        let secrets = FakeSecrets()
        try cache(secrets, expiresIn: 200)  // inside the 5-minute window
        let http = FakeHTTP { _ in throw LeappError(.network, "idp down") }
        XCTAssertThrowsError(try federation(secrets, http: http).credentials(for: session, in: config)) {
            XCTAssertEqual(($0 as? LeappError)?.message, "IdP URL acme (session dev): idp down", "the IdP URL and session named")
        }
        XCTAssertEqual(http.requests.first?.url, idp.url)
    }

    func testSTSErrorMapping() {
        XCTAssertTrue(STSClient.mapError(code: "AccessDenied", message: "no", status: 403).description.contains("trust policy"))
        let duration = STSClient.mapError(
            code: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", status: 400
        )
        XCTAssertTrue(STSClient.isDurationRefusal(duration))
        XCTAssertFalse(STSClient.isDurationRefusal(STSClient.mapError(code: "ValidationError", message: "other", status: 400)))
        XCTAssertTrue(STSClient.mapError(code: "Weird\u{1b}[31m", message: "m", status: 400).description.contains("Weird?[31m"))
    }

    func testEndpointResolution() {
        let http = FakeHTTP { _ in throw LeappError(.network, "x") }
        func sts(_ endpoint: String?) -> STSClient {
            STSClient(http: http, parser: UnusedParser(), clock: FakeClock(now: now), endpoint: endpoint)
        }
        XCTAssertEqual(sts(nil).endpoint(region: "eu-west-1", partition: .aws), "https://sts.eu-west-1.amazonaws.com/")
        XCTAssertEqual(sts(nil).endpoint(region: "cn-north-1", partition: .awsCN), "https://sts.cn-north-1.amazonaws.com.cn/")
        XCTAssertEqual(sts("http://127.0.0.1:1").endpoint(region: "eu-west-1", partition: .aws), "http://127.0.0.1:1")
    }

    func testNetworkFailuresAreRetriedThenReported() throws {
        var calls = 0
        let http = FakeHTTP { _ in
            calls += 1
            throw LeappError(.network, "request to sts failed: Connection refused")
        }
        let sts = STSClient(http: http, parser: UnusedParser(), clock: FakeClock(now: now))
        XCTAssertThrowsError(
            try sts.assumeRoleWithSAML(
                role: OfferedRole(roleArn: session.roleArn, principalArn: session.idpArn),
                assertion: "x", duration: 3600, region: "eu-west-1", partition: .aws)
        ) {
            XCTAssertTrue("\($0)".hasPrefix("cannot reach STS"), "\($0)")
        }
        XCTAssertEqual(calls, 4)
    }

    func testConfigStoreRoundTripAndCorruption() throws {
        let fs = MemoryFS()
        let store = ConfigStore(directory: "/c", fs: fs)
        try store.update { $0 = config }
        XCTAssertEqual(try store.load(), config)
        XCTAssertEqual(fs.modes["/c/config.json"], 0o600)
        fs.files["/c/config.json"] = Array("{oops".utf8)
        XCTAssertThrowsError(try store.update { $0.sessions = [] })
        XCTAssertEqual(fs.files["/c/config.json"], Array("{oops".utf8))
    }

    let goodCredentials = AWSCredentials(
        accessKeyId: "ASIAAAAAAAAAAAAAAAAA", secretAccessKey: "c2VjcmV0c2VjcmV0c2VjcmV0",
        sessionToken: "dG9rZW4dG9rZW4dG9rZW4=", expiration: Date(timeIntervalSince1970: 1_800_000_000))

    func writer(_ fs: MemoryFS, _ secrets: FakeSecrets = FakeSecrets()) -> ProfileWriter {
        ProfileWriter(fs: fs, secrets: secrets, home: "/h", leappCommand: "/bin/leapp", stateDirectory: "/s")
    }

    func testProfileWriterModes() throws {
        let fs = MemoryFS()
        let writer = writer(fs)
        try writer.fill(session, credentials: goodCredentials)
        XCTAssertEqual(
            String(decoding: fs.files["/h/.aws/config"]!, as: UTF8.self),
            "[profile dev]\nregion = eu-west-1\ncredential_process = /bin/leapp credential-process dev\n")
        XCTAssertNil(fs.files["/h/.aws/credentials"])
        var fileMode = session
        fileMode.output = .credentialsFile
        try writer.fill(fileMode, credentials: goodCredentials)
        XCTAssertTrue(
            String(decoding: fs.files["/h/.aws/credentials"]!, as: UTF8.self).hasPrefix("[dev]\naws_access_key_id = ASIAAAAAAAAAAAAAAAAA\n")
        )
        XCTAssertEqual(String(decoding: fs.files["/h/.aws/config"]!, as: UTF8.self), "[profile dev]\nregion = eu-west-1\n")
        try writer.clear(fileMode)
        XCTAssertEqual(String(decoding: fs.files["/h/.aws/credentials"]!, as: UTF8.self), "")
        XCTAssertEqual(String(decoding: fs.files["/h/.aws/config"]!, as: UTF8.self), "")
    }

    func testProfileWriterRefusesTheUsersEntriesAndPutsBackWhatItTookOver() throws {
        let fs = MemoryFS()
        let secrets = FakeSecrets()
        let writer = writer(fs, secrets)
        let mine = Array("[profile dev]\ncredential_process = /usr/bin/helper\noutput = json\n".utf8)
        fs.files["/h/.aws/config"] = mine
        XCTAssertEqual(try writer.conflicts(session).map(\.keys), [["credential_process"]])
        XCTAssertThrowsError(try writer.fill(session, credentials: goodCredentials)) {
            XCTAssertEqual(($0 as? LeappError)?.kind, .conflict)
        }
        XCTAssertEqual(fs.files["/h/.aws/config"], mine)
        var takeOver = session
        takeOver.takeOver = true
        try writer.fill(takeOver, credentials: goodCredentials)
        XCTAssertEqual(
            String(decoding: fs.files["/h/.aws/config"]!, as: UTF8.self),
            "[profile dev]\noutput = json\nregion = eu-west-1\ncredential_process = /bin/leapp credential-process dev\n")
        XCTAssertEqual(secrets.items.count, 1, "the user's section is saved in the keyring")
        // Another session's stop leaves it; this session's stop puts the bytes back.
        var other = session
        other.id = "s2"
        try writer.clear(other)
        XCTAssertNotEqual(fs.files["/h/.aws/config"], mine)
        try writer.clear(takeOver)
        XCTAssertEqual(fs.files["/h/.aws/config"], mine)
        XCTAssertTrue(secrets.items.isEmpty)
    }

    func testCredentialsOutsideTheirAlphabetAreRefused() {
        var bad = goodCredentials
        bad.sessionToken = "dG9rZW4dG9rZW4\n[default]"
        XCTAssertThrowsError(try AWSCredentials.check(bad))
        bad = goodCredentials
        bad.accessKeyId = "asia lowercase key"
        XCTAssertThrowsError(try AWSCredentials.check(bad))
        XCTAssertNoThrow(try AWSCredentials.check(goodCredentials))
    }

    func testIdPMessagesNeverCarryTheLoginsSecrets() throws {
        let ctx = LoginContext(
            idp: idp, http: FakeHTTP { _ in throw LeappError(.network, "x") }, parser: UnusedParser(),
            prompter: SilentPrompter(), clock: FakeClock(now: now), resumeCommand: "leapp session start dev",
            username: "alice", mfaCode: "424242", mfaFactor: nil, passwordSource: { "hunter2-pass" })
        _ = try ctx.requirePassword()
        _ = try ctx.requireCode("code")
        let error = ctx.failure("the IdP said: 'hunter2-pass' and 424242 are wrong", hint: "not hunter2-pass")
        XCTAssertEqual(error.message, "generic: the IdP said: '***' and *** are wrong (step: start)")
        XCTAssertEqual(error.hint, "not ***")
    }

    func testValidationMessagesAreSafe() {
        XCTAssertEqual(Validation.printable("a\u{1b}]0;pwn\u{7}b"), "a?]0;pwn?b")
        XCTAssertThrowsError(try Validation.checkName("a\u{0}", what: "alias"))
    }
}

/// The parser is not reached in these tests.
struct UnusedParser: MarkupParser {
    func parseHTML(_ bytes: [UInt8]) throws -> MarkupDocument { throw LeappError(.markup, "unused") }
    func parseXML(_ bytes: [UInt8]) throws -> MarkupDocument { throw LeappError(.markup, "unused") }
}

final class SessionLookupTests: XCTestCase {
    func testFindsOneSessionWithoutFullDecode() throws {
        var config = Configuration(idpUrls: [IdPURL(id: "i", name: "n", url: "https://x/saml", provider: .okta)])
        for i in 0..<300 {
            config.sessions.append(
                Session(
                    id: "id-\(i)", alias: "s\(i)", profile: "p", region: "eu-west-1", idpUrlId: "i",
                    idpArn: "arn:aws:iam::123456789012:saml-provider/x", roleArn: "arn:aws:iam::123456789012:role/R\(i)",
                    duration: i % 2 == 0 ? nil : 3600))
        }
        for pretty in [true, false] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : []
            let bytes = Array(try encoder.encode(config))
            XCTAssertEqual(SessionLookup.find("s123", in: bytes), config.sessions[123])
            XCTAssertEqual(SessionLookup.find("id-299", in: bytes), config.sessions[299])
            XCTAssertNil(SessionLookup.find("s1234", in: bytes))
            XCTAssertNil(SessionLookup.find("s12", in: Array(bytes.prefix(bytes.count / 2))))
        }
        let escaped = Array(
            #"{"sessions":[{"alias":"a\"b","id":"x","profile":"p","region":"r","idpUrlId":"i","idpArn":"a","roleArn":"b","output":"credential-process"}],"version":1}"#
                .utf8)
        XCTAssertEqual(SessionLookup.find("a\"b", in: escaped)?.id, "x")
        XCTAssertNil(SessionLookup.find("a", in: Array(#"{"version":99,"sessions":[]}"#.utf8)))
    }
}

final class MFAPolicyTests: XCTestCase {
    let options = [
        MFAOption(id: "sms", label: "SMS code to +1 555", kind: .sentCode),
        MFAOption(id: "totp", label: "Google Authenticator code", kind: .code),
        MFAOption(id: "push", label: "Okta Verify push", kind: .push),
        MFAOption(id: "email", label: "email code", kind: .sentCode),
    ]

    func context(code: String? = nil, factor: String? = nil) -> LoginContext {
        LoginContext(
            idp: IdPURL(id: "i", name: "acme", url: "https://idp.example.com/saml", provider: .okta),
            http: FakeHTTP { _ in throw LeappError(.network, "x") }, parser: UnusedParser(), prompter: SilentPrompter(),
            clock: FakeClock(now: Date(timeIntervalSince1970: 0)), resumeCommand: "leapp session start dev",
            username: "alice", mfaCode: code, mfaFactor: factor, passwordSource: { nil })
    }

    func testACodeGivenPicksACodeFactorNeverOneThatSendsAText() throws {
        XCTAssertEqual(try context(code: "123456").chooseFactor(options), 1)
    }

    func testWithoutACodeTheDefaultThenPush() throws {
        XCTAssertEqual(try context().chooseFactor(options), 2, "push, not the first (an SMS)")
        var withDefault = options
        withDefault[3].isDefault = true
        XCTAssertEqual(try context().chooseFactor(withDefault), 3, "the IdP's default first")
        XCTAssertEqual(try context(code: "1").chooseFactor([options[0], options[2]]), 1, "no code factor: push, never the SMS")
    }

    func testOneLoginDeviceTypes() {
        XCTAssertEqual(OneLogin.kind(ofDevice: "OneLogin Protect"), .push)
        for sent in ["SMS", "OneLogin SMS", "Email", "OneLogin Voice"] { XCTAssertEqual(OneLogin.kind(ofDevice: sent), .sentCode, sent) }
        for code in ["Google Authenticator", "Yubico YubiKey", "OneLogin OTP"] {
            XCTAssertEqual(OneLogin.kind(ofDevice: code), .code, code)
        }
    }

    func testTheFlagWinsAndAMissIsAnError() throws {
        XCTAssertEqual(try context(code: "1", factor: "email").chooseFactor(options), 3)
        XCTAssertEqual(try context(factor: "Okta Verify").chooseFactor(options), 2)
        XCTAssertThrowsError(try context(factor: "yubikey").chooseFactor(options)) { error in
            XCTAssertTrue("\(error)".contains("no MFA factor matches 'yubikey'"), "\(error)")
        }
        XCTAssertThrowsError(
            try context(factor: "sms").chooseFactor([options[2]]), "a flag that names nothing offered is refused, even with one option")
    }
}

import XCTest

@testable import LeappCore

/// The session use-cases' rules (README, "Your AWS files" and "Coming from Leapp") on the
/// in-memory file system and fake secrets: files before the keyring, rollback when the
/// keyring fails, a stop that fails leaves the session whole, one active session per profile.
final class SessionServiceTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let idp = IdPURL(id: "i1", name: "acme", url: "https://idp.example.com/saml", provider: .generic)
    let dev = Session(
        id: "s1", alias: "dev", profile: "dev", region: "eu-west-1", idpUrlId: "i1",
        idpArn: "arn:aws:iam::123456789012:saml-provider/acme", roleArn: "arn:aws:iam::123456789012:role/Dev")
    let fs = MemoryFS()
    let secrets = FakeSecrets()
    let offline = FakeHTTP { _ in throw LeappError(.network, "no network in this test") }

    func service() -> SessionService {
        let federation = Federation(
            secrets: secrets, makeHTTP: { self.offline }, parser: UnusedParser(), prompter: SilentPrompter(),
            clock: FakeClock(now: now), settings: Settings())
        let profiles = ProfileWriter(
            fs: fs, secrets: secrets, home: "/h", leappCommand: "/bin/leapp", stateDirectory: "/s")
        return SessionService(
            federation: federation, profiles: profiles, locks: ProfileLocks(fs: fs, dataDirectory: "/s"), clock: FakeClock(now: now))
    }

    func credentials(_ key: String, expiresIn seconds: Double = 3000) -> AWSCredentials {
        AWSCredentials(
            accessKeyId: key.padding(toLength: 20, withPad: "0", startingAt: 0), secretAccessKey: "c2VjcmV0c2VjcmV0",
            sessionToken: "dG9rZW4dG9rZW4dG9rZW4=", expiration: now.addingTimeInterval(seconds))
    }

    func cache(_ c: AWSCredentials, for s: Session) throws {
        try secrets.store(.credentials, key: s.id, label: "", secret: String(decoding: try JSONEncoder().encode(c), as: UTF8.self))
    }

    func file(_ name: String) -> String { fs.files["/h/.aws/\(name)"].map { String(decoding: $0, as: UTF8.self) } ?? "" }

    func testAStartOnValidCacheFillsTheProfileWithoutANetworkCall() throws {
        try cache(credentials("ASIACACHED"), for: dev)
        let started = try service().start(dev, in: Configuration(idpUrls: [idp], sessions: [dev]), options: LoginOptions())
        XCTAssertFalse(started.fresh)
        XCTAssertTrue(started.credentials.accessKeyId.hasPrefix("ASIACACHED"))
        XCTAssertEqual(offline.requests.count, 0)
        XCTAssertTrue(file("config").contains("credential_process = /bin/leapp credential-process dev"), file("config"))
    }

    func testAKeyringThatFailsAfterTheFilesLeavesNoProfileForANewSession() throws {
        var fileMode = dev
        fileMode.output = .credentialsFile
        secrets.writesFail = LeappError(.keyring, "the keyring went away")
        XCTAssertThrowsError(try service().persist(credentials("ASIANEW"), for: fileMode, fill: true)) {
            XCTAssertEqual(($0 as? LeappError)?.message, "the keyring went away")
        }
        XCTAssertFalse(file("credentials").contains("ASIANEW"), "the keys written first are taken back")
        XCTAssertFalse(file("config").contains("[profile dev]"), file("config"))
        XCTAssertTrue(secrets.items.isEmpty)
    }

    func testAKeyringThatFailsOnARefreshKeepsTheActiveSessionsKeysInTheFile() throws {
        var fileMode = dev
        fileMode.output = .credentialsFile
        let service = service()
        try cache(credentials("ASIAOLD"), for: fileMode)
        try service.profiles.fill(fileMode, credentials: credentials("ASIAOLD"))
        secrets.writesFail = LeappError(.keyring, "the keyring went away")
        XCTAssertThrowsError(try service.persist(credentials("ASIANEW"), for: fileMode))
        XCTAssertTrue(file("credentials").contains("aws_access_key_id = ASIAOLD"), file("credentials"))
        XCTAssertFalse(file("credentials").contains("ASIANEW"))
    }

    func testAStopWhoseKeyringFailsLeavesTheFilesAndTheSessionActive() throws {
        let service = service()
        try cache(credentials("ASIAOLD"), for: dev)
        try service.profiles.fill(dev, credentials: nil)
        let before = fs.files
        secrets.writesFail = LeappError(.keyring, "the keyring went away")
        XCTAssertThrowsError(try service.stop(dev, forgetIdP: false))
        XCTAssertEqual(fs.files, before)
        XCTAssertEqual(service.states(of: [dev]).states["s1"], .active(until: now.addingTimeInterval(3000)))
        secrets.writesFail = nil
        try service.stop(dev, forgetIdP: false)
        XCTAssertEqual(service.states(of: [dev]).states["s1"], .stopped)
        XCTAssertFalse(file("config").contains("[profile dev]"))
    }

    func testStartingASessionStopsTheOthersOnItsProfile() throws {
        var other = dev
        other.id = "s2"
        other.alias = "admin"
        other.roleArn = "arn:aws:iam::123456789012:role/Admin"
        var elsewhere = dev
        elsewhere.id = "s3"
        elsewhere.alias = "prod"
        elsewhere.profile = "prod"
        try cache(credentials("ASIAOTHER"), for: other)
        try cache(credentials("ASIAPROD"), for: elsewhere)
        try cache(credentials("ASIADEV"), for: dev)
        let config = Configuration(idpUrls: [idp], sessions: [dev, other, elsewhere])
        let service = service()
        let started = try service.start(dev, in: config, options: LoginOptions())
        XCTAssertEqual(started.stopped.map(\.alias), ["admin"])
        let states = service.states(of: config.sessions).states
        XCTAssertEqual(states["s2"], .stopped)
        XCTAssertEqual(states["s3"]?.hasValidCredentials, true, "another profile's session is left alone")
        XCTAssertEqual(states["s1"]?.isActive, true)
    }

    func testTheUsersOwnProfileIsRefusedBeforeAnyLogin() throws {
        fs.files["/h/.aws/config"] = Array("[profile dev]\ncredential_process = /usr/bin/mine\n".utf8)
        XCTAssertThrowsError(try service().start(dev, in: Configuration(idpUrls: [idp], sessions: [dev]), options: LoginOptions())) {
            XCTAssertEqual(($0 as? LeappError)?.kind, .conflict)
        }
        XCTAssertEqual(offline.requests.count, 0, "no login for a start that cannot write its profile")
    }

    /// One meaning of active: credentials a refresh cached for `leapp env` without a profile
    /// make the session cached, not active; a start (its profile written) makes it active.
    func testCachedIsNotActiveUntilTheProfileIsWritten() throws {
        let service = service()
        try service.persist(credentials("ASIAENV"), for: dev)  // what env, exec and the hook do
        XCTAssertEqual(service.states(of: [dev]).states["s1"], .cached(until: now.addingTimeInterval(3000)))
        XCTAssertFalse(file("config").contains("[profile dev]"))
        _ = try service.start(dev, in: Configuration(idpUrls: [idp], sessions: [dev]), options: LoginOptions())
        XCTAssertEqual(service.states(of: [dev]).states["s1"], .active(until: now.addingTimeInterval(3000)))
        try service.stop(dev, forgetIdP: false)
        XCTAssertEqual(service.states(of: [dev]).states["s1"], .stopped)
        XCTAssertEqual(
            SessionState.of(credentials("ASIAOLD", expiresIn: -1), profileWritten: true, at: now), .expired(at: now.addingTimeInterval(-1)))
    }

    func testStatesAndAKeyringThatFailsPartWay() throws {
        var expired = dev
        expired.id = "s2"
        try cache(credentials("ASIA1"), for: dev)
        try cache(credentials("ASIA2", expiresIn: -60), for: expired)
        var stopped = dev
        stopped.id = "s3"
        let (states, failure) = service().states(of: [dev, expired, stopped])
        XCTAssertNil(failure)
        XCTAssertEqual(states.mapValues(\.name), ["s1": "cached", "s2": "expired", "s3": "stopped"], "no profile written: cached")
    }

    func testStaleCredentialsServeWhenARefreshNeedsAPerson() throws {
        try cache(credentials("ASIASTALE", expiresIn: 120), for: dev)  // inside the refresh window, still valid
        let config = Configuration(idpUrls: [idp], sessions: [dev])
        let service = service()
        XCTAssertThrowsError(try service.credentials(for: dev, in: config, servingStaleOn: { _ in false }))
        let (served, failure) = try service.credentials(for: dev, in: config, servingStaleOn: { _ in true })
        XCTAssertTrue(served.accessKeyId.hasPrefix("ASIASTALE"))
        XCTAssertNotNil(failure)
        XCTAssertTrue(service.staleWarning(dev, served, failure!).contains("run `leapp session start dev`"))
    }

    // MARK: chained sessions

    var admin: Session {
        Session.chained(
            id: "s2", alias: "admin", profile: "admin", region: "us-west-2", parent: dev, roleArn: "arn:aws:iam::210987654321:role/Admin",
            externalId: "acme-42")
    }

    func testAChainedRefreshAssumesItsRoleSignedWithTheParentsCachedCredentials() throws {
        try cache(credentials("ASIAPARENT"), for: dev)
        let config = Configuration(idpUrls: [idp], sessions: [dev, admin])
        XCTAssertThrowsError(try service().credentials(for: admin, in: config))  // the fake network ends it
        // No login (the parent's cached credentials serve): only AssumeRole, tried as STS calls are.
        XCTAssertEqual(offline.requests.count, STSClient(http: offline, parser: UnusedParser(), clock: FakeClock(now: now)).maxAttempts)
        let request = try XCTUnwrap(offline.requests.first)
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        XCTAssertTrue(body.contains("Action=AssumeRole&"), body)
        XCTAssertTrue(body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2FAdmin"), body)
        XCTAssertTrue(body.contains("RoleSessionName=assumed-from-leapp") && body.contains("ExternalId=acme-42"), body)
        let auth = try XCTUnwrap(request.headers.first { $0.0 == "Authorization" }?.1)
        XCTAssertTrue(auth.contains("Credential=ASIAPARENT"), auth)
        XCTAssertTrue(auth.contains("/us-west-2/sts/aws4_request"), auth)
        XCTAssertEqual(request.url, "https://sts.us-west-2.amazonaws.com/")
    }

    func testAChainedSessionWithoutItsParentSaysWhatToRun() throws {
        let config = Configuration(idpUrls: [idp], sessions: [admin])
        XCTAssertThrowsError(try service().credentials(for: admin, in: config)) {
            XCTAssertTrue("\($0)".contains("parent session no longer exists"), "\($0)")
        }
        XCTAssertEqual(offline.requests.count, 0)
    }

    func testAChainedSessionsValidCacheNeedsNeitherParentNorNetwork() throws {
        try cache(credentials("ASIACHAINED"), for: admin)
        let got = try service().credentials(for: admin, in: Configuration(idpUrls: [idp], sessions: [admin]))
        XCTAssertTrue(got.credentials.accessKeyId.hasPrefix("ASIACHAINED"))
        XCTAssertEqual(offline.requests.count, 0)
    }
}

/// The provider a SAML URL's shape names (when none is given).
final class ProviderGuessTests: XCTestCase {
    func testTheEnterpriseIdPsAreKnownByTheirURLs() {
        XCTAssertEqual(
            LeappWorkspaceImport.provider(for: "https://fs.acme.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices"),
            .adfs)
        XCTAssertEqual(
            LeappWorkspaceImport.provider(for: "https://idp.acme.edu/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices"),
            .shibboleth)
        XCTAssertEqual(
            LeappWorkspaceImport.provider(for: "https://sso.acme.com/idp/startSSO.ping?PartnerSpId=urn:amazon:webservices"), .pingFederate)
        XCTAssertEqual(LeappWorkspaceImport.provider(for: "https://sso.jumpcloud.com/saml2/aws"), .jumpCloud)
        XCTAssertEqual(LeappWorkspaceImport.provider(for: "https://idp.example.com/saml"), .generic)
    }
}

import XCTest

@testable import LeappCore
@testable import LeappSystem

/// Okta's classic authentication API, in the JSON shapes of Okta's API reference (authn
/// transactions, factors, the push challenge), replayed through the provider.
final class OktaReplayTests: XCTestCase {
    let origin = "https://acme.okta.com"
    let app = "/home/amazon_aws/0oa1b2c3d4AWS/272"
    var replay: Replay { Replay(provider: .okta, url: origin + app) }
    let signInPage = #"<html><head><title>acme - Sign In</title></head><body><div id="okta-sign-in"></div></body></html>"#

    func redirect(_ token: String) -> String {
        "/login/sessionCookieRedirect?checkAccountSetupComplete=true&token=\(token)&redirectUrl=" + FormEncoding.escapeQuery(origin + app)
    }

    func success(_ token: String = "20111h0ZlxqVRU") -> String {
        #"{"expiresAt":"2026-11-29T12:00:00.000Z","status":"SUCCESS","sessionToken":"\#(token)","_embedded":{"user":{"id":"00ub0oNGTSWTBKOLGLNR","profile":{"login":"alice@acme.com"}}}}"#
    }

    func factor(_ id: String, _ type: String, provider: String = "OKTA", profile: String = "{}") -> String {
        #"{"id":"\#(id)","factorType":"\#(type)","provider":"\#(provider)","vendorName":"\#(provider)","profile":\#(profile),"_links":{"verify":{"href":"\#(origin)/api/v1/authn/factors/\#(id)/verify","hints":{"allow":["POST"]}}}}"#
    }

    func mfaRequired(_ factors: [String]) -> String {
        #"{"stateToken":"007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb","expiresAt":"2026-11-29T12:00:00.000Z","status":"MFA_REQUIRED","_embedded":{"factors":[\#(factors.joined(separator: ","))]}}"#
    }

    func testPasswordThenSessionCookieRedirect() throws {
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", sends: ["username": "alice", "password": "correct horse"], json: true, success()),
                .get(redirect("20111h0ZlxqVRU"), awsPostPage()),
            ])
        XCTAssertEqual(try replay.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
    }

    func testACodeGivenUsesTheAuthenticatorNotTheSMS() throws {
        var r = replay
        r.mfaCode = "246810"
        let factors = [
            factor("sms193zUBEROPBNZKPPE", "sms", profile: #"{"phoneNumber":"+1 XXX-XXX-1337"}"#),
            factor("opf3hkfocI4JTLAju0g4", "push", profile: #"{"name":"Pixel"}"#),
            factor("ufs2bysphxKODSZKWVCT", "token:software:totp", provider: "GOOGLE"),
        ]
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", json: true, mfaRequired(factors)),
                .post(
                    "/api/v1/authn/factors/ufs2bysphxKODSZKWVCT/verify",
                    sends: ["stateToken": "007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb", "passCode": "246810"], json: true, success("ST2")),
                .get(redirect("ST2"), awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testPushWithNumberChallengeIsPolledAndTheNumberShown() throws {
        let waiting =
            #"{"stateToken":"007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb","status":"MFA_CHALLENGE","factorResult":"WAITING","_embedded":{"factor":{"id":"opf3hkfocI4JTLAju0g4","factorType":"push","_embedded":{"challenge":{"correctAnswer":42}}}},"_links":{"next":{"name":"poll","href":"\#(origin)/api/v1/authn/factors/opf3hkfocI4JTLAju0g4/verify"}}}"#
        let verify = "/api/v1/authn/factors/opf3hkfocI4JTLAju0g4/verify"
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", json: true, mfaRequired([factor("opf3hkfocI4JTLAju0g4", "push")])),
                .post(verify, sends: ["stateToken": "007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb"], json: true, waiting),
                .post(verify, json: true, waiting),
                .post(verify, json: true, success("ST3")),
                .get(redirect("ST3"), awsPostPage()),
            ])
        let prompter = ReplayPrompter()
        let clock = ReplayClock()
        _ = try replay.login(http, prompter: prompter, clock: clock)
        http.assertFinished()
        XCTAssertEqual(prompter.notices, ["leapp: approve the Okta Verify push on your phone; tap 42"])
        XCTAssertEqual(clock.slept.count, 2, "one wait before each poll")
    }

    /// Where nobody sees it (the hook, credential_process), a push is not waited for.
    func testNoPushWaitWhereNobodySeesIt() throws {
        let waiting =
            #"{"stateToken":"007uc","status":"MFA_CHALLENGE","factorResult":"WAITING","_embedded":{"factor":{"id":"opf3","factorType":"push"}},"_links":{"next":{"name":"poll","href":"\#(origin)/api/v1/authn/factors/opf3/verify"}}}"#
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", json: true, mfaRequired([factor("opf3", "push")])),
                .post("/api/v1/authn/factors/opf3/verify", json: true, waiting),
            ])
        var r = replay
        r.personReadsStderr = false
        let clock = ReplayClock()
        XCTAssertThrowsError(try r.login(http, clock: clock)) { error in
            XCTAssertEqual((error as? LeappError)?.kind, .needsUser, "\(error)")
            XCTAssertTrue("\(error)".contains("run `leapp session start dev`"), "\(error)")
        }
        XCTAssertEqual(clock.slept.count, 0, "no wait at all")
    }

    func testWrongPassword() throws {
        let failed =
            #"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorLink":"E0000004","errorId":"oaeX","errorCauses":[]}"#
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", status: 401, json: true, failed),
                .get("/.well-known/okta-organization", json: true, #"{"id":"00o1","pipeline":"v1","_links":{}}"#),
            ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual("\(error)", "okta: login refused: Authentication failed (step: password); check the username and password")
        }
    }

    func testIdentityEngineOrgIsRecognised() throws {
        let failed = #"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorCauses":[]}"#
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", status: 401, json: true, failed),
                .get("/.well-known/okta-organization", json: true, #"{"id":"00o1","pipeline":"idx","_links":{}}"#),
            ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("runs Identity Engine"), "\(error)")
        }
    }

    func testStepUpPageResumesItsStateToken() throws {
        let stepUp = #"<html><script>var stateToken = '00BClWr4T\x2DmnIqGV2aHq4s';</script></html>"#
        var r = replay
        r.mfaCode = "112233"
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, stepUp),
                .post(
                    "/api/v1/authn", sends: ["stateToken": "00BClWr4T-mnIqGV2aHq4s"], omits: ["password"], json: true,
                    mfaRequired([factor("ost1", "token:software:totp")])),
                .post("/api/v1/authn/factors/ost1/verify", sends: ["passCode": "112233"], json: true, success("ST4")),
                .get(redirect("ST4"), awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }
}

extension OktaReplayTests {
    func testASuccessfulStepUpFollowsTheLinkOktaGives() throws {
        let stepUp = #"<html><script>var stateToken = '00BClWr4T\x2DmnIqGV2aHq4s';</script></html>"#
        let done =
            #"{"expiresAt":"2026-11-29T12:00:00.000Z","status":"SUCCESS","_embedded":{"user":{"profile":{"login":"alice@acme.com"}}},"_links":{"next":{"name":"original","href":"https://acme.okta.com/login/step-up/redirect?stateToken=00BClWr4T-mnIqGV2aHq4s","hints":{"allow":["GET"]}}}}"#
        var r = replay
        r.mfaCode = "112233"
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, stepUp),
                .post(
                    "/api/v1/authn", sends: ["stateToken": "00BClWr4T-mnIqGV2aHq4s"], json: true,
                    mfaRequired([factor("ost1", "token:software:totp")])),
                .post("/api/v1/authn/factors/ost1/verify", sends: ["passCode": "112233"], json: true, done),
                .get("/login/step-up/redirect?stateToken=00BClWr4T-mnIqGV2aHq4s", awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }
}

extension OktaReplayTests {
    func testSMSFactorSendsThenChecksTheCode() throws {
        var r = replay
        r.mfaCode = "424242"
        r.mfaFactor = "sms"
        let sent =
            #"{"stateToken":"007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb","status":"MFA_CHALLENGE","factorResult":"CHALLENGE","_links":{"next":{"name":"verify","href":"https://acme.okta.com/api/v1/authn/factors/sms193zUBEROPBNZKPPE/verify"}}}"#
        let verify = "/api/v1/authn/factors/sms193zUBEROPBNZKPPE/verify"
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post(
                    "/api/v1/authn", json: true,
                    mfaRequired([
                        factor("sms193zUBEROPBNZKPPE", "sms", profile: #"{"phoneNumber":"+1 XXX-XXX-1337"}"#),
                        factor("ost1", "token:software:totp"),
                    ])),
                .post(verify, sends: ["stateToken": "007ucIX7PATyn94hsHfOLVaXAmOBkKHWnOOLG43bsb"], omits: ["passCode"], json: true, sent),
                .post(verify, sends: ["passCode": "424242"], json: true, success("ST5")),
                .get(redirect("ST5"), awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testWrongCode() throws {
        var r = replay
        r.mfaCode = "000000"
        let http = ReplayHTTP(
            origin: origin,
            [
                .get(app, signInPage),
                .post("/api/v1/authn", json: true, mfaRequired([factor("ost1", "token:software:totp")])),
                .post(
                    "/api/v1/authn/factors/ost1/verify", status: 403, json: true,
                    #"{"errorCode":"E0000068","errorSummary":"Invalid Passcode/Answer","errorCauses":[{"errorSummary":"Your passcode doesn't match our records. Please try again."}]}"#
                ),
            ])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertEqual(
                "\(error)", "okta: code refused: Invalid Passcode/Answer (step: MFA token:software:totp); check the code and try again")
        }
    }
}

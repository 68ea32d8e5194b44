import XCTest

@testable import LeappCore
@testable import LeappSystem

/// OneLogin's API v2 (OAuth token, saml_assertion, verify_factor) in the shapes of its API
/// reference, replayed through the provider.
final class OneLoginReplayTests: XCTestCase {
    var replay: Replay {
        var r = Replay(provider: .onelogin, url: "https://acme.onelogin.com/trust/saml2/launch/123456")
        r.settings.oneLoginClient = Settings.APIClient(id: "cid", secret: "csecret")
        return r
    }
    let token =
        #"{"access_token":"xx508xx63817x752xx74004x30705xx92x58349x5x78f5xx34xxxxx51","created_at":"2026-11-29T10:00:00.000Z","expires_in":36000,"refresh_token":"628x9x0xx447xx4x421x517x4x474x33x2065x4x1xx523xxxxx6x7x20","token_type":"bearer","account_id":555555}"#
    let saml = #"{"data":"PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+","message":"Success"}"#

    func mfa(_ devices: String) -> String {
        #"{"state_token":"5xxx604x8xx9x694xx860173xxx3x78x3x870x56","message":"MFA is required for this user","devices":[\#(devices)],"callback_url":"https://api.us.onelogin.com/api/2/saml_assertion/verify_factor","user":{"email":"alice@acme.com","username":"alice","firstname":"Alice","lastname":"A","id":88888888}}"#
    }

    func testPasswordGivesTheAssertion() throws {
        let http = ReplayHTTP([
            .post("/auth/oauth2/v2/token", sends: ["grant_type": "client_credentials"], json: true, token),
            .post(
                "/api/2/saml_assertion",
                sends: ["username_or_email": "alice", "password": "correct horse", "app_id": "123456", "subdomain": "acme"],
                json: true, saml),
        ])
        XCTAssertEqual(try replay.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        XCTAssertEqual(http.sent.first?.headers.first { $0.0 == "Authorization" }?.1, "Basic " + Base64.encode(Array("cid:csecret".utf8)))
        XCTAssertEqual(
            http.sent.last?.headers.first { $0.0 == "Authorization" }?.1, "Bearer xx508xx63817x752xx74004x30705xx92x58349x5x78f5xx34xxxxx51"
        )
        http.assertFinished()
    }

    func testACodeGoesToTheAuthenticatorAndNoTextIsSent() throws {
        var r = replay
        r.mfaCode = "123456"
        let http = ReplayHTTP([
            .post("/auth/oauth2/v2/token", json: true, token),
            .post(
                "/api/2/saml_assertion", json: true,
                mfa(#"{"device_id":666666,"device_type":"SMS"},{"device_id":777777,"device_type":"Google Authenticator"}"#)),
            .post(
                "/api/2/saml_assertion/verify_factor",
                sends: [
                    "device_id": "777777", "otp_token": "123456", "state_token": "5xxx604x8xx9x694xx860173xxx3x78x3x870x56",
                    "app_id": "123456",
                ],
                json: true, saml),
        ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testProtectPushIsPolledWhilePending() throws {
        let pending = #"{"message":"Authentication pending on OL Protect"}"#
        let http = ReplayHTTP([
            .post("/auth/oauth2/v2/token", json: true, token),
            .post("/api/2/saml_assertion", json: true, mfa(#"{"device_id":"111","device_type":"OneLogin Protect"}"#)),
            .post("/api/2/saml_assertion/verify_factor", sends: ["device_id": "111"], omits: ["otp_token"], json: true, pending),
            .post("/api/2/saml_assertion/verify_factor", json: true, pending),
            .post("/api/2/saml_assertion/verify_factor", json: true, saml),
        ])
        let prompter = ReplayPrompter()
        _ = try replay.login(http, prompter: prompter)
        http.assertFinished()
        XCTAssertEqual(prompter.notices, ["leapp: approve the OneLogin Protect notification on your phone"])
    }

    func testWrongPassword() throws {
        let refused = #"{"statusCode":401,"name":"Unauthorized","message":"Authentication Failed: Invalid user credentials"}"#
        let http = ReplayHTTP([
            .post("/auth/oauth2/v2/token", json: true, token),
            .post("/api/2/saml_assertion", status: 401, json: true, refused),
        ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)",
                "onelogin: login refused: Authentication Failed: Invalid user credentials (step: password); check the username and password"
            )
        }
    }

    func testRefusedAPIClient() throws {
        let http = ReplayHTTP([
            .post(
                "/auth/oauth2/v2/token", status: 401, json: true,
                #"{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}"#)
        ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("API client id and secret were refused (Authentication Failure)"), "\(error)")
        }
    }
}

extension OneLoginReplayTests {
    func testSMSDeviceChosenByFlagSendsThenChecksTheCode() throws {
        var r = replay
        r.mfaCode = "880011"
        r.mfaFactor = "sms"
        let http = ReplayHTTP([
            .post("/auth/oauth2/v2/token", json: true, token),
            .post(
                "/api/2/saml_assertion", json: true,
                mfa(#"{"device_id":666666,"device_type":"SMS"},{"device_id":777777,"device_type":"Google Authenticator"}"#)),
            .post(
                "/api/2/saml_assertion/verify_factor", sends: ["device_id": "666666"], omits: ["otp_token"], json: true,
                #"{"message":"SMS token sent"}"#),
            .post("/api/2/saml_assertion/verify_factor", sends: ["device_id": "666666", "otp_token": "880011"], json: true, saml),
        ])
        _ = try r.login(http)
        http.assertFinished()
    }
}

import XCTest

@testable import LeappCore
@testable import LeappSystem

/// Keycloak's pages as its own themes render them (login.ftl, login-otp.ftl, login-username.ftl,
/// webauthn-authenticate.ftl), replayed through the provider's state machine.
final class KeycloakReplayTests: XCTestCase {
    let replay = Replay(provider: .keycloak, url: "https://idp.example.com/realms/acme/protocol/saml/clients/amazon-aws")
    let start = "/realms/acme/protocol/saml/clients/amazon-aws"
    let action = "/realms/acme/login-actions/authenticate?session_code=Xy1&execution=e1&client_id=urn%3Aamazon%3Awebservices&tab_id=t1"

    func loginPage(error: String? = nil, usernameOnly: Bool = false, passwordOnly: Bool = false) -> String {
        """
        <html><body><div id="kc-content">
        \(error.map { #"<div class="alert-error pf-c-alert pf-m-inline pf-m-danger"><span class="kc-feedback-text">\#($0)</span></div>"# } ?? "")
        <form id="kc-form-login" onsubmit="login.disabled = true; return true;" action="https://idp.example.com\(action)" method="post">
          \(passwordOnly ? "" : #"<label for="username">Username or email</label><input tabindex="1" id="username" name="username" value="" type="text" autofocus autocomplete="off"/>"#)
          \(usernameOnly ? "" : #"<label for="password">Password</label><input tabindex="2" id="password" name="password" type="password" autocomplete="off"/>"#)
          <div id="kc-form-buttons"><input type="hidden" id="id-hidden-input" name="credentialId"/>
          <input tabindex="4" name="login" id="kc-login" type="submit" value="Sign In"/></div>
        </form></div></body></html>
        """
    }

    func otpPage(credentials: [(String, String)] = [], error: String? = nil) -> String {
        let radios = credentials.enumerated().map { i, c in
            #"<input id="kc-otp-credential-\#(i)" type="radio" name="selectedCredentialId" value="\#(c.0)" \#(i == 0 ? "checked" : "")><label for="kc-otp-credential-\#(i)">\#(c.1)</label>"#
        }.joined()
        return """
            <html><body>\(error.map { #"<span id="input-error-otp-code" class="kc-feedback-text">\#($0)</span>"# } ?? "")
            <form id="kc-otp-login-form" class="form-horizontal" action="https://idp.example.com\(action)" method="post">
              <div id="kc-otp-credentials">\(radios)</div>
              <label for="otp">One-time code</label><input id="otp" name="otp" autocomplete="off" type="text" autofocus/>
              <input name="login" id="kc-login" type="submit" value="Sign In"/>
            </form></body></html>
            """
    }

    func testPasswordLogin() throws {
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, sends: ["username": "alice", "password": "correct horse", "credentialId": ""], awsPostPage()),
        ])
        let form = try replay.login(http)
        XCTAssertEqual(form.samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        XCTAssertEqual(form.partition, .aws)
        http.assertFinished()
    }

    func testWrongPasswordNamesTheIdPsMessageAndTheStep() throws {
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, sends: ["username": "alice"], loginPage(error: "Invalid username or password.")),
        ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)", "keycloak: login refused: Invalid username or password. (step: login form); check the username and password")
        }
    }

    func testUsernameFirstThenPassword() throws {
        let http = ReplayHTTP([
            .get(start, loginPage(usernameOnly: true)),
            .post(action, sends: ["username": "alice"], omits: ["password"], loginPage(passwordOnly: true)),
            .post(action, sends: ["password": "correct horse"], omits: ["username"], awsPostPage()),
        ])
        _ = try replay.login(http)
        http.assertFinished()
    }

    func testOTPWithSeveralAuthenticatorsChosenByFlag() throws {
        var r = replay
        r.mfaCode = "123456"
        r.mfaFactor = "tablet"
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, sends: ["username": "alice"], otpPage(credentials: [("c0", "phone"), ("c1", "tablet")])),
            .post(action, sends: ["otp": "123456", "selectedCredentialId": "c1"], awsPostPage()),
        ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testWrongOTPKeepsTheIdPsMessage() throws {
        var r = replay
        r.mfaCode = "000000"
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, otpPage()),
            .post(action, sends: ["otp": "000000"], otpPage(error: "Invalid authenticator code.")),
        ])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertTrue("\(error)".hasPrefix("keycloak: one-time code refused: Invalid authenticator code. (step: OTP"), "\(error)")
        }
    }

    func testSecurityKeyPageIsRefusedWithTheWayOut() throws {
        let webauthn =
            #"<html><body><form id="webauth" action="\#(action)" method="post"><input type="hidden" id="clientDataJSON" name="clientDataJSON"/></form></body></html>"#
        let http = ReplayHTTP([.get(start, loginPage()), .post(action, webauthn)])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("security key (WebAuthn)") && "\(error)".contains("--saml-response-file"), "\(error)")
        }
    }

    func testKerberosPageIsPassedOn() throws {
        let kerberos = #"<html><body><p>Kerberos Unsupported</p><form action="\#(action)" method="post"></form></body></html>"#
        let http = ReplayHTTP([
            .get(start, status: 401, kerberos),
            .post(action, loginPage()),
            .post(action, sends: ["username": "alice"], awsPostPage()),
        ])
        _ = try replay.login(http)
        http.assertFinished()
    }
}

/// The page generations and custom themes beside the current default one.
extension KeycloakReplayTests {
    func testKeycloak3TotpForm() throws {
        var r = replay
        r.mfaCode = "654321"
        let totp =
            #"<html><body><form id="kc-totp-login-form" class="form-horizontal" action="\#(action)" method="post"><label for="totp">One-time code</label><input id="totp" name="totp" type="text" class="form-control"/><input class="btn btn-primary" name="login" id="kc-login" type="submit" value="Log In"/></form></body></html>"#
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, totp),
            .post(action, sends: ["totp": "654321"], omits: ["otp"], awsPostPage()),
        ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testACustomThemeThatRenamesTheLoginForm() throws {
        let custom =
            #"<html><body><form id="acme-signin" action="\#(action)" method="post"><input name="username" type="text"/><input name="password" type="password"/><button type="submit">Go</button></form></body></html>"#
        let http = ReplayHTTP([
            .get(start, custom), .post(action, sends: ["username": "alice", "password": "correct horse"], awsPostPage()),
        ])
        _ = try replay.login(http)
        http.assertFinished()
    }

    /// Clickable entries: each holds an unnamed hidden input with the credential id and a
    /// heading; the page's script copies the clicked one into the hidden selectedCredentialId.
    func clickableOTPPage(selected: String) -> String {
        """
        <html><body><form id="kc-otp-login-form" action="https://idp.example.com\(action)" method="post">
          <div class="kc-select-otp-list"><input type="hidden" value="cred-phone"><div class="kc-select-otp-list-item"><span class="kc-otp-circle"></span><h2 class="kc-select-otp-heading">Phone</h2></div></div>
          <div class="kc-select-otp-list"><input type="hidden" value="cred-yubi"><div class="kc-select-otp-list-item"><span class="kc-otp-circle"></span><h2 class="kc-select-otp-heading">Yubikey OTP</h2></div></div>
          <input id="selectedCredentialId" type="hidden" name="selectedCredentialId" value="\(selected)">
          <input id="otp" name="otp" autocomplete="off" type="text"/><input name="login" id="kc-login" type="submit" value="Sign In"/>
        </form></body></html>
        """
    }

    func testClickableAuthenticatorsAreChosenByTheFlag() throws {
        var r = replay
        r.mfaCode = "777777"
        r.mfaFactor = "yubikey"
        let http = ReplayHTTP([
            .get(start, loginPage()),
            .post(action, clickableOTPPage(selected: "cred-phone")),
            .post(action, sends: ["otp": "777777", "selectedCredentialId": "cred-yubi"], awsPostPage()),
        ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testAFlagNamingNoAuthenticatorFailsLoudly() throws {
        var r = replay
        r.mfaCode = "777777"
        r.mfaFactor = "tablet"
        let http = ReplayHTTP([.get(start, loginPage()), .post(action, clickableOTPPage(selected: "cred-phone"))])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertTrue("\(error)".contains("no MFA factor matches 'tablet'") && "\(error)".contains("Phone, Yubikey OTP"), "\(error)")
        }
    }

    func testKeycloakV2ErrorIsInTheFieldsOwnContainer() throws {
        var r = replay
        r.mfaCode = "000000"
        let v2 = Exchange.fixture("keycloak/otp-v2-invalid-code.html")
        let http = ReplayHTTP([.get(start, loginPage()), .post(action, otpPage()), .post(action, sends: ["otp": "000000"], v2)])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertTrue("\(error)".contains("one-time code refused: Invalid authenticator code."), "\(error)")
        }
    }
}

extension KeycloakReplayTests {
    func testAnUnknownPageSaysWhereAndWhatWasExpected() throws {
        let http = ReplayHTTP([.get(start, #"<html><body><div id="new-flow-2027"><p>Welcome</p></div></body></html>"#)])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)",
                "keycloak: unexpected page at /realms/acme/protocol/saml/clients/amazon-aws (HTTP 200); expected the login form, an OTP form, or the Kerberos page (step: open SAML URL); the IdP may serve a page generation leapp does not know yet: log in in a browser: `leapp session start dev --browser` (or pass --saml-response-file)"
            )
            XCTAssertEqual((error as? LeappError)?.reason, .needsBrowser, "so that a person at a terminal is offered the browser")
        }
    }
}

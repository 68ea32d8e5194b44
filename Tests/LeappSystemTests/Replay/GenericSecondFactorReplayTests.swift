import XCTest

@testable import LeappCore
@testable import LeappSystem

/// The generic provider's second factors: a form whose one visible field is a one-time code
/// (ADFS's RSA SecurID `Passcode`, its Azure MFA adapter's `VerificationCode`, an `otp` field)
/// is answered with --mfa-code (or a prompt) and named as such, never taken for a refused
/// password. Pages written from ADFS's documented forms-authentication shapes.
final class GenericSecondFactorReplayTests: XCTestCase {
    let start = "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices"
    let action = "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices&client-request-id=3c1e"

    var replay: Replay {
        var r = Replay(provider: .generic, url: "https://idp.example.com" + start)
        r.mfaCode = "123456"
        return r
    }

    var formsLogin: String {
        """
        <html><body><form method="post" id="loginForm" autocomplete="off" novalidate="novalidate" action="\(action)">
        <input id="userNameInput" name="UserName" type="email" value="" autocomplete="off">
        <input id="passwordInput" name="Password" type="password" autocomplete="off">
        <input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"/>
        <span id="submitButton" class="submit" onclick="return Login.submitLoginRequest();">Sign in</span>
        </form></body></html>
        """
    }

    func securID(error: String? = nil) -> String {
        """
        <html><body>\(error.map { #"<div id="error" class="fieldMargin error smallText"><span id="errorText">\#($0)</span></div>"# } ?? "")
        <form method="post" id="loginForm" autocomplete="off" action="\(action)">
        <div id="passcodeArea"><input id="passcodeInput" name="Passcode" type="password" autocomplete="off"></div>
        <input id="authMethod" type="hidden" name="AuthMethod" value="SecurIDAuthentication"/>
        <input id="context" type="hidden" name="Context" value="ctx-1"/>
        <span id="submitButton" class="submit">Submit</span></form></body></html>
        """
    }

    func testRSAPasscodeAfterThePassword() throws {
        let http = ReplayHTTP([
            .get(start, formsLogin),
            .post(action, sends: ["UserName": "alice", "Password": "correct horse", "AuthMethod": "FormsAuthentication"], securID()),
            .post(action, sends: ["Passcode": "123456", "AuthMethod": "SecurIDAuthentication", "Context": "ctx-1"], awsPostPage()),
        ])
        XCTAssertEqual(try replay.login(http).partition, .aws)
        http.assertFinished()
    }

    func testAWrongPasscodeIsNamedAsSuch() throws {
        let http = ReplayHTTP([
            .get(start, formsLogin),
            .post(action, securID()),
            .post(action, sends: ["Passcode": "123456"], securID(error: "The passcode you entered is incorrect.")),
        ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("one-time code refused: The passcode you entered is incorrect."), "\(error)")
            XCTAssertFalse("\(error)".contains("check the username and password"), "\(error)")
        }
    }

    func testAzureMFAAdapterVerificationCode() throws {
        let azureMFA = """
            <html><body><form method="post" id="options" action="\(action)">
            <label for="verificationCodeInput">Verification code</label>
            <input id="verificationCodeInput" name="VerificationCode" type="text" autocomplete="off">
            <input type="hidden" name="AuthMethod" value="AzureMfaAuthentication"/><input type="hidden" name="Context" value="c2"/>
            <input id="submitButton" type="submit" value="Sign in"></form></body></html>
            """
        let http = ReplayHTTP([
            .get(start, formsLogin),
            .post(action, azureMFA),
            .post(action, sends: ["VerificationCode": "123456", "AuthMethod": "AzureMfaAuthentication"], awsPostPage()),
        ])
        XCTAssertEqual(try replay.login(http).partition, .aws)
        http.assertFinished()
    }

    /// Without --mfa-code and without a terminal: what to run, naming the code.
    func testNoCodeAndNoTerminalSaysWhatToRun() throws {
        var quiet = replay
        quiet.mfaCode = nil
        let http = ReplayHTTP([.get(start, formsLogin), .post(action, securID())])
        XCTAssertThrowsError(try quiet.login(http)) { error in
            XCTAssertTrue("\(error)".contains("--mfa-code"), "\(error)")
        }
    }
}

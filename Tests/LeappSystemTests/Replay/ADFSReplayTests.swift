import XCTest

@testable import LeappCore
@testable import LeappSystem

/// AD FS pages as its documented templates render them (the forms page, the options page, a
/// SecurID passcode page), replayed through the provider.
final class ADFSReplayTests: XCTestCase {
    let replay = Replay(provider: .adfs, url: "https://idp.example.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices")
    let start = "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices"
    let action = "/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices&client-request-id=1f2e"

    var formsPage: String {
        """
        <html><body><form method="post" id="loginForm" autocomplete="off" novalidate="novalidate" action="\(action)">
        <input id="userNameInput" name="UserName" type="email" value="" class="text fullWidth"/>
        <input id="passwordInput" name="Password" type="password" class="text fullWidth"/>
        <div id="error" class="fieldMargin error smallText"><span id="errorText" for=""></span></div>
        <span id="submitButton" class="submit" role="button" onclick="return Login.submitLoginRequest();">Sign in</span>
        <input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"/></form></body></html>
        """
    }

    var optionsPage: String {
        """
        <html><body><form method="post" id="options" class="hidden" action="\(action)">
        <input id="context" type="hidden" name="Context" value="ctx1"/><input id="optionSelection" type="hidden" name="AuthMethod"/></form>
        <div id="idp_list">
        <div class="idp" role="button" id="DuoAdfsAdapter" onclick="return Options.selectOption(this);"><span>Duo Security</span></div>
        <div class="idp" role="button" id="SecurIDAuthentication" onclick="return Options.selectOption(this);"><span>RSA SecurID</span></div>
        </div></body></html>
        """
    }

    func passcodePage(error: String? = nil) -> String {
        """
        <html><body><form method="post" id="loginForm" autocomplete="off" action="\(action)">
        <input id="context" type="hidden" name="Context" value="ctx1"/>
        <input id="passcodeInput" name="Passcode" type="password" class="text fullWidth"/>
        \(error.map { #"<span id="errorText" role="alert">\#($0)</span>"# } ?? "")
        <input id="authMethod" type="hidden" name="AuthMethod" value="SecurIDAuthentication"/></form></body></html>
        """
    }

    func testTheOptionsPageThenAPasscode() throws {
        var r = replay
        r.mfaFactor = "securid"
        r.mfaCode = "24680"
        let http = ReplayHTTP([
            .get(start, status: 401, "<html>401</html>"),  // Windows Integrated Authentication without a ticket
            .get(start, formsPage),
            .post(action, sends: ["UserName": "alice", "Password": "correct horse", "AuthMethod": "FormsAuthentication"], optionsPage),
            .post(action, sends: ["AuthMethod": "SecurIDAuthentication", "Context": "ctx1"], passcodePage()),
            .post(action, sends: ["Passcode": "24680", "AuthMethod": "SecurIDAuthentication"], awsPostPage()),
        ])
        XCTAssertEqual(try r.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
        XCTAssertTrue(http.sent[0].negotiate, "the first request offers Kerberos")
        XCTAssertFalse(http.sent[1].negotiate)
    }

    func testAWrongPasscodeIsNamedAsACode() throws {
        var r = replay
        r.mfaCode = "11111"
        let http = ReplayHTTP([
            .get(start, formsPage), .post(action, passcodePage()),
            .post(action, sends: ["Passcode": "11111"], passcodePage(error: "The passcode you entered is incorrect.")),
        ])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertTrue(
                "\(error)".hasPrefix(
                    "adfs: one-time code refused: The passcode you entered is incorrect. (step: MFA SecurIDAuthentication)"),
                "\(error)")
        }
    }
}

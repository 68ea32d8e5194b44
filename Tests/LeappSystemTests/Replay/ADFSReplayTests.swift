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

/// Shibboleth, PingFederate and JumpCloud pages replayed: the transit pages a browser follows by
/// itself, each provider's own page, and its refusal.
final class EnterpriseReplayTests: XCTestCase {
    func testShibbolethLoadsTheSessionInformationThenLogsIn() throws {
        let r = Replay(
            provider: .shibboleth, url: "https://idp.example.com/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices")
        let loading = """
            <html><body onload="doLoad()"><h1>Loading Session Information</h1>
            <form action="/idp/profile/SAML2/Unsolicited/SSO?execution=e1s1" method="post">
            <input type="hidden" name="csrf_token" value="_c1" /><input name="shib_idp_ls_exception.shib_idp_session_ss" type="hidden" />
            <input name="shib_idp_ls_success.shib_idp_session_ss" type="hidden" value="false" />
            <input name="shib_idp_ls_supported" type="hidden" /><input name="_eventId_proceed" type="hidden" /></form>
            <script>function doLoad() { document.forms[0].submit(); }</script></body></html>
            """
        let login = """
            <html><body><form action="/idp/profile/SAML2/Unsolicited/SSO?execution=e1s2" method="post">
            <input type="hidden" name="csrf_token" value="_c1" /><input id="username" name="j_username" type="text" value="">
            <input id="password" name="j_password" type="password" value="">
            <section><p class="form-element form-error">The password you entered was incorrect.</p></section>
            <button class="form-element form-button" type="submit" name="_eventId_proceed">Login</button></form></body></html>
            """
        let http = ReplayHTTP([
            .get("/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices", loading),
            .post("/idp/profile/SAML2/Unsolicited/SSO?execution=e1s1", sends: ["csrf_token": "_c1", "_eventId_proceed": ""], login),
            .post(
                "/idp/profile/SAML2/Unsolicited/SSO?execution=e1s2",
                sends: ["j_username": "alice", "j_password": "correct horse", "_eventId_proceed": "", "csrf_token": "_c1"], login),
        ])
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertEqual(
                "\(error)",
                "shibboleth: login refused: The password you entered was incorrect. (step: login page); check the username and password")
        }
    }

    func testPingFederateSetsPfOkAndFollowsThePingIDHandOff() throws {
        var r = Replay(provider: .pingFederate, url: "https://idp.example.com/idp/startSSO.ping?PartnerSpId=urn:amazon:webservices")
        r.mfaCode = "908172"
        let login = """
            <html><body><form method="POST" action="/idp/Ab1/resumeSAML20/idp/startSSO.ping" autocomplete="off">
            <input id="username" type="text" name="pf.username" value=""><input id="password" type="password" name="pf.pass">
            <input type="hidden" name="pf.ok" value="" id="ok"/><input type="hidden" name="pf.cancel" value="" id="cancel"/>
            </form></body></html>
            """
        let handOff = """
            <html><body onload="document.forms[0].submit()"><form method="post" action="/pingid/ppm/auth">
            <input type="hidden" name="ppm_request" value="jwt1"/><noscript><input type="submit" value="Resume"/></noscript></form></body></html>
            """
        let otp = """
            <html><body><form id="otp-form" method="post" action="/pingid/ppm/auth/otp"><input type="hidden" name="message" value="m1"/>
            <input type="text" id="otp" name="otp" autocomplete="off"/></form></body></html>
            """
        let back = """
            <html><body onload="document.forms[0].submit()"><form method="post" action="/idp/Ab1/resumeSAML20/idp/startSSO.ping">
            <input type="hidden" name="ppm_response" value="jwt2"/></form></body></html>
            """
        let http = ReplayHTTP([
            .get("/idp/startSSO.ping?PartnerSpId=urn:amazon:webservices", login),
            .post(
                "/idp/Ab1/resumeSAML20/idp/startSSO.ping", sends: ["pf.username": "alice", "pf.pass": "correct horse", "pf.ok": "clicked"],
                handOff),
            .post("/pingid/ppm/auth", sends: ["ppm_request": "jwt1"], otp),
            .post("/pingid/ppm/auth/otp", sends: ["otp": "908172", "message": "m1"], back),
            .post("/idp/Ab1/resumeSAML20/idp/startSSO.ping", sends: ["ppm_response": "jwt2"], awsPostPage()),
        ])
        XCTAssertEqual(try r.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
    }

    func testJumpCloudAsksForTheCodeTheAPINames() throws {
        var r = Replay(provider: .jumpCloud, url: "https://idp.example.com/saml2/aws")
        r.mfaCode = "314159"
        let http = ReplayHTTP([
            .get("/saml2/aws", #"<html><body><div id="root"></div><script src="/main.js"></script></body></html>"#),
            .get("/userconsole/xsrf", json: true, #"{"xsrf":"x1"}"#),
            .post(
                "/userconsole/auth", sends: ["email": "alice", "password": "correct horse", "context": "sso", "redirectTo": "saml2/aws"],
                status: 401, json: true, #"{"message":"MFA required.","factors":[{"type":"totp","status":"available"}]}"#),
            .post("/userconsole/auth", sends: ["otp": "314159"], json: true, #"{"redirectTo":"https://idp.example.com/saml2/aws"}"#),
            .get("/saml2/aws", awsPostPage()),
        ])
        XCTAssertEqual(try r.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
        XCTAssertEqual(http.sent[2].headers.first { $0.0 == "X-Xsrftoken" }?.1, "x1")
    }
}

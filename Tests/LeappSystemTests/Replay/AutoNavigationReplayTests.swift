import XCTest

@testable import LeappCore
@testable import LeappSystem

/// What a browser does by itself on transit pages, done by the page driver for every provider:
/// self-submitting hidden forms, meta refresh and script redirects; loops stopped by name, and
/// nothing followed on a page a person must fill in. Pages written from the shapes the IdPs
/// serve (Shibboleth IdP v4/v5's "Loading Session Information", Azure AD's `hiddenform`, a
/// PingFederate hand-off), through the generic provider.
final class AutoNavigationReplayTests: XCTestCase {
    let replay = Replay(
        provider: .generic, url: "https://idp.example.com/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices")
    let start = "/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices"

    /// Shibboleth: a form of hidden local-storage fields and a CSRF token, posted by script
    /// (with `_eventId_proceed`), then the login form, then the AWS post.
    func shibbolethLoadingPage(execution: String) -> String {
        """
        <!DOCTYPE html><html><head><title>Loading Session Information</title></head>
        <body onload="doLoad()">
        <noscript><p><strong>Note:</strong> Since your browser does not support JavaScript, you must press the Continue button once to proceed.</p></noscript>
        <form name="form1" action="/idp/profile/SAML2/Unsolicited/SSO?execution=\(execution)" method="post">
          <input type="hidden" name="csrf_token" value="_a1b2c3" />
          <input name="shib_idp_ls_exception.shib_idp_session_ss" type="hidden" />
          <input name="shib_idp_ls_success.shib_idp_session_ss" type="hidden" value="false" />
          <input name="shib_idp_ls_value.shib_idp_session_ss" type="hidden" />
          <input name="shib_idp_ls_supported" type="hidden" />
          <noscript><input type="submit" name="_eventId_proceed" value="Continue" /></noscript>
        </form>
        <script>
        function doLoad() { var localStorageSupported = true; document.form1["shib_idp_ls_supported"].value = localStorageSupported; document.form1.submit(); }
        </script></body></html>
        """
    }

    func shibbolethLogin(execution: String) -> String {
        """
        <html><body><form action="/idp/profile/SAML2/Unsolicited/SSO?execution=\(execution)" method="post">
        <input type="hidden" name="csrf_token" value="_d4e5f6" />
        <label for="username">Username</label><input id="username" name="j_username" type="text" value="">
        <label for="password">Password</label><input id="password" name="j_password" type="password">
        <button type="submit" name="_eventId_proceed">Login</button>
        </form></body></html>
        """
    }

    func testShibbolethLoadingSessionInformationIsSubmittedLikeABrowser() throws {
        let http = ReplayHTTP([
            .get(start, shibbolethLoadingPage(execution: "e1s1")),
            .post(
                "/idp/profile/SAML2/Unsolicited/SSO?execution=e1s1",
                sends: ["csrf_token": "_a1b2c3", "shib_idp_ls_success.shib_idp_session_ss": "false"],
                shibbolethLogin(execution: "e1s2")),
            .post(
                "/idp/profile/SAML2/Unsolicited/SSO?execution=e1s2",
                sends: ["j_username": "alice", "j_password": "correct horse", "csrf_token": "_d4e5f6", "_eventId_proceed": ""],
                awsPostPage()),
        ])
        XCTAssertEqual(try replay.login(http).partition, .aws)
        http.assertFinished()
    }

    /// Azure AD after "Stay signed in?" on a fresh login: `hiddenform` posted to the portal by
    /// script (a `<noscript>` submit button beside it), which answers with the SAMLRequest relay.
    func testAzureHiddenFormThenRelayThenSignIn() throws {
        let hidden = """
            <html><head><title>Working...</title></head><body>
            <form method="POST" name="hiddenform" action="https://idp.example.com/landing">
            <input type="hidden" name="code" value="0.AXo" /><input type="hidden" name="id_token" value="eyJ0" />
            <input type="hidden" name="state" value="OpenIdConnect.AuthenticationProperties=x" />
            <input type="hidden" name="session_state" value="9f1c" />
            <noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
            </form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>
            """
        let relay = """
            <html><body onload="document.forms[0].submit()"><form method="post" action="https://idp.example.com/saml2">
            <input type="hidden" name="SAMLRequest" value="fVJNT8MwDL33V1S5t2m6AiNaKw0mxKQBEwMOXFDaeixSmpQ4Hf332b7E"/>
            </form></body></html>
            """
        let http = ReplayHTTP([
            .get(start, hidden),
            .post("/landing", sends: ["code": "0.AXo", "id_token": "eyJ0", "session_state": "9f1c"], relay),
            .post("/saml2", sends: ["SAMLRequest": "fVJNT8MwDL33V1S5t2m6AiNaKw0mxKQBEwMOXFDaeixSmpQ4Hf332b7E"], awsPostPage()),
        ])
        XCTAssertEqual(try replay.login(http).partition, .aws)
        http.assertFinished()
    }

    func testMetaRefreshAndEveryScriptRedirectShape() throws {
        let shapes = [
            #"<meta http-equiv="refresh" content="0;url=/next">"#,
            #"<meta http-equiv="Refresh" content="2; URL='/next'">"#,
            #"<script>window.location = '/next';</script>"#,
            #"<script>window.location.href = "/next";</script>"#,
            #"<script>location.replace('\/next');</script>"#,
            #"<script>window.location.replace("\x2Fnext")</script>"#,
        ]
        for shape in shapes {
            let http = ReplayHTTP([
                .get(start, "<html><head>\(shape)</head><body>Redirecting...</body></html>"), .get("/next", awsPostPage()),
            ])
            XCTAssertEqual(try replay.login(http).partition, .aws, shape)
            http.assertFinished()
        }
    }

    func testALoopIsStoppedByName() throws {
        let back = #"<html><head><meta http-equiv="refresh" content="0;url=/a"></head></html>"#
        let http = ReplayHTTP([.get(start, back), .get("/a", back), .get("/a", back)])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("in a loop (back to https://idp.example.com/a)"), "\(error)")
        }
    }

    /// A page a person fills in is the provider's: its cancel handler's redirect and a slow
    /// meta refresh (a session timeout page) are never followed.
    func testNothingIsFollowedOnAPageAPersonFillsIn() throws {
        let login = """
            <html><head><meta http-equiv="refresh" content="1800;url=/timeout"></head><body>
            <form method="post" action="/login"><input name="username" type="text"><input name="password" type="password"></form>
            <script>function cancel() { window.location = '/logout'; }</script></body></html>
            """
        let http = ReplayHTTP([
            .get(start, login), .post("/login", sends: ["username": "alice", "password": "correct horse"], awsPostPage()),
        ])
        XCTAssertEqual(try replay.login(http).partition, .aws)
        http.assertFinished()
    }

    /// A form that does not submit itself (no script, no `<noscript>` button) waits for a person.
    func testAHiddenFormThatDoesNotSubmitItselfIsNotSubmitted() throws {
        let page = #"<html><body><form method="post" action="/x"><input type="hidden" name="a" value="1"></form></body></html>"#
        let http = ReplayHTTP([.get(start, page)])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".contains("has neither a SAMLResponse nor a login form"), "\(error)")
        }
        http.assertFinished()
    }

    /// Script targets other than http(s) are not URLs leapp opens.
    func testNoOtherSchemeIsFollowed() throws {
        for target in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x"] {
            let page = "<html><head><script>window.location = '\(target)';</script></head></html>"
            let http = ReplayHTTP([.get(start, page)])
            XCTAssertThrowsError(try replay.login(http), target)
            http.assertFinished()
        }
    }
}

import XCTest

@testable import LeappCore
@testable import LeappSystem

/// The generic provider over a SimpleSAMLphp-shaped login (its loginuserpass page, its wrong
/// password answer: HTTP 200 with the form again and the message beside an error icon).
final class GenericReplayTests: XCTestCase {
    let replay = Replay(provider: .generic, url: "https://idp.example.com/saml2/idp/SSOService.php?spentityid=urn%3Aamazon%3Awebservices")
    let start = "/saml2/idp/SSOService.php?spentityid=urn%3Aamazon%3Awebservices"
    let login = "/module.php/core/loginuserpass.php?AuthState=_b29c%3Ahttp"

    func loginPage(error: Bool = false) -> String {
        """
        <html><body onload="SimpleSAML_focus('password');"><div id="content">
        \(error ? #"<div style="border-left: 1px solid #e8e8e8"><img src="/resources/icons/experience/gtk-dialog-error.48x48.png" class="float-l erroricon" alt=""/><h2>Error</h2><p><strong>Incorrect username or password</strong></p><p>Either no user with the given username could be found, or the password you gave was wrong.</p></div>"# : "")
        <form action="?" method="post" name="f"><table><tr><td><input id="username" type="text" name="username" value=""/></td></tr>
        <tr><td><input id="password" type="password" name="password"/></td></tr></table>
        <input type="hidden" name="AuthState" value="_b29c:http"/><button class="btn" id="submit_button" type="submit">Login</button></form>
        </div></body></html>
        """
    }

    func testLoginFormPostsTheFieldsAndTheState() throws {
        let http = ReplayHTTP([
            .get(start, loginPage()).at(login),
            .post(
                "/module.php/core/loginuserpass.php?",
                sends: ["username": "alice", "password": "correct horse", "AuthState": "_b29c:http"], awsPostPage()),
        ])
        _ = try replay.login(http)
        http.assertFinished()
    }

    func testWrongPasswordQuotesTheIdPsWords() throws {
        let http = ReplayHTTP([
            .get(start, loginPage()).at(login),
            .post("/module.php/core/loginuserpass.php?", loginPage(error: true)).at(login),
        ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)", "generic: login refused: Incorrect username or password (step: login form); check the username and password")
        }
    }

    func testACookieOnlyGetGoesStraightToTheResponse() throws {
        let http = ReplayHTTP([.get(start, awsPostPage())])
        _ = try replay.login(http)
        http.assertFinished()
    }
}

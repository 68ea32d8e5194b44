import XCTest

@testable import LeappCore
@testable import LeappSystem

/// Google Workspace's current sign-in: `/v3/signin/identifier` (field `identifier`), then
/// `/v3/signin/challenge/pwd`, forms whose buttons carry the value a browser posts; 2-Step pages
/// told apart by their action; the phone prompt answered through Google's await call.
final class GoogleReplayTests: XCTestCase {
    var replay: Replay {
        var r = Replay(provider: .google, url: "https://accounts.google.com/o/saml2/initsso?idpid=C01abcd&spid=123456789&forceauthn=false")
        r.username = "alice@acme.com"
        r.settings.googleAwaitURL = "https://content.googleapis.com/cryptauth/v1/authzen/awaittx"
        return r
    }
    let start = "/o/saml2/initsso?idpid=C01abcd&spid=123456789&forceauthn=false"
    let identifier = "/v3/signin/identifier?continue=https%3A%2F%2Faccounts.google.com%2Fo%2Fsaml2%2Fcontinue&flowName=GlifWebSignIn"
    let pwd = "/v3/signin/challenge/pwd?TL=AGEVcSQ&flowName=GlifWebSignIn"

    func v3Page(action: String, field: String, type: String = "text", error: String? = nil, extra: String = "") -> String {
        """
        <!DOCTYPE html><html lang="en"><head><title>Sign in - Google Accounts</title></head><body><c-wiz>
        <form method="post" action="\(action)" novalidate>
          <input type="hidden" name="TL" value="AGEVcSQ"><input type="hidden" name="gxf" value="AFoagUV:1700">\(extra)
          <input type="\(type)" name="\(field)" autocomplete="username" spellcheck="false">
          \(error.map { #"<div class="o6cuMc" aria-live="assertive">\#($0)</div>"# } ?? "")
          <button type="submit" name="action" value="1" jsname="LgbsSe"><span>Next</span></button>
        </form></c-wiz></body></html>
        """
    }

    func testCurrentSignInPostsTheIdentifierThePasswordAndTheButton() throws {
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, v3Page(action: identifier, field: "identifier")).at(identifier),
                .post(
                    identifier, sends: ["identifier": "alice@acme.com", "action": "1", "TL": "AGEVcSQ"],
                    v3Page(action: pwd, field: "Passwd", type: "password")
                ).at(pwd),
                .post(pwd, sends: ["Passwd": "correct horse", "action": "1"], awsPostPage()),
            ])
        XCTAssertEqual(try replay.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
    }

    func testWrongPasswordQuotesGoogle() throws {
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, v3Page(action: identifier, field: "identifier")).at(identifier),
                .post(identifier, v3Page(action: pwd, field: "Passwd", type: "password")).at(pwd),
                .post(
                    pwd,
                    v3Page(
                        action: pwd, field: "Passwd", type: "password",
                        error: "Wrong password. Try again or click Forgot password to reset it.")
                ).at(pwd),
            ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertTrue("\(error)".hasPrefix("google: login refused: Wrong password. Try again"), "\(error)")
        }
    }

    func testBackupCode() throws {
        var r = replay
        r.mfaCode = "1234 5678"
        let bc = "/signin/challenge/bc/4?TL=AGEVcSQ"
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, v3Page(action: identifier, field: "identifier")).at(identifier),
                .post(identifier, v3Page(action: pwd, field: "Passwd", type: "password")).at(pwd),
                .post(
                    pwd,
                    v3Page(
                        action: bc, field: "Pin",
                        extra: #"<input type="hidden" name="challengeId" value="4"><input type="hidden" name="challengeType" value="8">"#)
                ).at(bc),
                .post(bc, sends: ["Pin": "1234 5678", "challengeId": "4", "TrustDevice": "on"], awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }

    func testPhonePromptWaitsOnGooglesAwaitCallAndShowsTheNumber() throws {
        let az = "/signin/challenge/az/2?TL=AGEVcSQ"
        let prompt = """
            <html><body><div data-api-key="AIzaSyAbc" data-tx-id="tx-123"><div jsname="EKvSSd">42</div></div>
            <form id="challenge" method="post" action="\(az)"><input type="hidden" name="challengeId" value="2">
            <input type="hidden" name="challengeType" value="39"><input type="hidden" name="TL" value="AGEVcSQ">
            <input type="hidden" name="action" value="2"></form></body></html>
            """
        let awaitURL = "https://content.googleapis.com/cryptauth/v1/authzen/awaittx?alt=json&key=AIzaSyAbc"
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, v3Page(action: identifier, field: "identifier")).at(identifier),
                .post(identifier, v3Page(action: pwd, field: "Passwd", type: "password")).at(pwd),
                .post(pwd, prompt).at(az),
                .post(
                    String(awaitURL.dropFirst("https://content.googleapis.com".count)), sends: ["txId": "tx-123"], status: 500, json: true,
                    "{}"),
                .post(
                    String(awaitURL.dropFirst("https://content.googleapis.com".count)), sends: ["txId": "tx-123"], json: true,
                    #"{"txToken":"tok-789"}"#),
                .post(az, sends: ["token": "tok-789", "TrustDevice": "on", "challengeId": "2", "action": "2"], awsPostPage()),
            ])
        let prompter = ReplayPrompter()
        _ = try replay.login(http, prompter: prompter)
        http.assertFinished()
        XCTAssertEqual(prompter.notices, ["leapp: tap Yes on the Google prompt on your phone; pick 42"])
        XCTAssertEqual(http.sent[3].url, awaitURL)
    }
}

/// The older generation: `gaia_loginform` with `Email`, then `Passwd`, then a challenge page.
extension GoogleReplayTests {
    func testOlderGenerationWithAuthenticatorCode() throws {
        var r = replay
        r.mfaCode = "246802"
        let email =
            #"<form novalidate method="post" action="/signin/v1/lookup" id="gaia_loginform"><input type="hidden" name="TL" value="t1"><input id="Email" type="email" name="Email" value=""><input id="next" name="signIn" type="submit" value="Next"></form>"#
        let password =
            #"<form novalidate method="post" action="/signin/challenge/sl/password" id="gaia_loginform"><input type="hidden" name="TL" value="t1"><input type="hidden" name="Email" value="alice@acme.com"><input id="Passwd" type="password" name="Passwd"><input id="signIn" name="signIn" type="submit" value="Sign in"></form>"#
        let totp =
            #"<form method="post" id="challenge" action="/signin/challenge/totp/2"><input type="hidden" name="TL" value="t1"><input type="hidden" name="challengeId" value="2"><input type="tel" name="Pin" id="totpPin"><input type="submit" id="submit" value="Next"></form>"#
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, email).at("/ServiceLogin?continue=x"),
                .post("/signin/v1/lookup", sends: ["Email": "alice@acme.com", "signIn": "Next"], password),
                .post("/signin/challenge/sl/password", sends: ["Passwd": "correct horse", "Email": "alice@acme.com"], totp),
                .post("/signin/challenge/totp/2", sends: ["Pin": "246802", "TrustDevice": "on", "challengeId": "2"], awsPostPage()),
            ])
        _ = try r.login(http)
        http.assertFinished()
    }
}

extension GoogleReplayTests {
    /// The older "choose how you want to sign in" page (`/signin/selectchallenge`): one form per
    /// method; with a code given, the method the code is for is posted, then its page answered.
    func testTheMethodChooserPostsTheMethodTheCodeIsFor() throws {
        var r = replay
        r.mfaCode = "123456"
        let chooser = """
            <html><body><ul>
            <li><form method="post" action="/signin/challenge/az/4" data-challengeentry="4" data-challengetype="39">
              <input type="hidden" name="challengeId" value="4"><input type="hidden" name="TL" value="AGEVcSQ">
              <button type="submit">Tap Yes on your phone</button></form></li>
            <li><form method="post" action="/signin/challenge/totp/2" data-challengeentry="2" data-challengetype="6">
              <input type="hidden" name="challengeId" value="2"><input type="hidden" name="TL" value="AGEVcSQ">
              <button type="submit">Get a verification code from the Google Authenticator app</button></form></li>
            </ul></body></html>
            """
        let totp = """
            <html><body><form method="post" id="challenge" action="/signin/challenge/totp/2">
            <input type="hidden" name="TL" value="AGEVcSQ"><input type="tel" name="Pin" id="totpPin">
            <input type="checkbox" name="TrustDevice"></form></body></html>
            """
        let http = ReplayHTTP(
            origin: "https://accounts.google.com",
            [
                .get(start, v3Page(action: pwd, field: "Passwd", type: "password")).at(pwd),
                .post(pwd, sends: ["Passwd": "correct horse"], chooser).at("/signin/selectchallenge?TL=AGEVcSQ"),
                .post("/signin/challenge/totp/2", sends: ["challengeId": "2"], totp),
                .post("/signin/challenge/totp/2", sends: ["Pin": "123456", "TrustDevice": "on"], awsPostPage()),
            ])
        XCTAssertEqual(try r.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
    }
}

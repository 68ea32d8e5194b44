import XCTest

@testable import LeappCore
@testable import LeappSystem

/// Auth0's New Universal Login, as a tenant on it serves the SAML URL: the identifier page, then
/// the password page, plain forms posting `state`, the typed field and the button's `action=default`.
final class Auth0ReplayTests: XCTestCase {
    var replay: Replay {
        var r = Replay(provider: .auth0, url: "https://acme.us.auth0.com/samlp/AbCdEf0123456789AbCdEf0123456789")
        r.username = "alice@acme.com"
        return r
    }
    let state = "hKFo2SBpT2xHa0ZqRjVOeVp0"

    func page(_ kind: String, error: String? = nil) -> String {
        let field =
            kind == "identifier"
            ? #"<input class="input" name="username" id="username" type="text" value="" autocomplete="username" autofocus>"#
            : #"<input type="hidden" name="username" value="alice@acme.com"><input class="input" name="password" id="password" type="password">"#
        let err =
            error.map {
                #"<span id="error-element-password" class="ulp-input-error-message" data-error-code="wrong-credentials">\#($0)</span>"#
            } ?? ""
        return """
            <!DOCTYPE html><html><head><title>Log in | acme</title></head><body><main>
            <form method="POST" class="_form-login-\(kind)" data-form-primary="true">
            <input type="hidden" name="state" value="\(state)">\(field)\(err)
            <input type="hidden" name="js-available" value="false"><input type="hidden" name="webauthn-available" value="false">
            <div class="action-button"><button type="submit" name="action" value="default" data-action-button-primary="true">Continue</button></div>
            </form></main></body></html>
            """
    }

    var saml: String { "/samlp/AbCdEf0123456789AbCdEf0123456789" }
    var identifier: String { "/u/login/identifier?state=\(state)" }
    var password: String { "/u/login/password?state=\(state)" }

    func testIdentifierThenPasswordPagesPostStateFieldAndButton() throws {
        let http = ReplayHTTP(
            origin: "https://acme.us.auth0.com",
            [
                .get(saml, page("identifier")).at(identifier),
                .post(identifier, sends: ["state": state, "username": "alice@acme.com", "action": "default"], page("password")).at(
                    password),
                .post(password, sends: ["state": state, "password": "correct horse", "action": "default"], awsPostPage()).at(saml),
            ])
        XCTAssertEqual(try replay.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
    }

    func testWrongPasswordQuotesTheFieldsError() throws {
        let http = ReplayHTTP(
            origin: "https://acme.us.auth0.com",
            [
                .get(saml, page("identifier")).at(identifier),
                .post(identifier, page("password")).at(password),
                .post(password, page("password", error: "Wrong email or password")).at(password),
            ])
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)", "auth0: login refused: Wrong email or password (step: password page); check the username and password")
        }
    }
}

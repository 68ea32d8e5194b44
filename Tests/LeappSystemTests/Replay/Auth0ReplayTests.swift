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

/// Auth0 Classic: the Lock page's embedded session info, the client's configuration script, the
/// usernamepassword login and its callback form.
extension Auth0ReplayTests {
    func testClassicLockPage() throws {
        let info =
            #"{"auth0Domain":"acme.us.auth0.com","auth0Tenant":"acme","clientConfigurationBaseUrl":"https://acme.us.auth0.com/","callbackURL":"https://signin.aws.amazon.com/saml","clientID":"AbCdEf0123456789AbCdEf0123456789","extraParams":{"protocol":"samlp","response_type":"code","_csrf":"csrf-1","_intstate":"deprecated","state":"st-1"}}"#
        let lock =
            "<html><body><script>var config = JSON.parse(decodeURIComponent(escape(window.atob('\(Base64.encode(Array(info.utf8)))'))));</script></body></html>"
        let client =
            #"Auth0.setClient({"id":"AbCdEf0123456789AbCdEf0123456789","tenant":"acme","strategies":[{"name":"auth0","connections":[{"name":"Username-Password-Authentication"}]}]});"#
        let callback =
            #"<form method="post" name="hiddenform" action="https://acme.us.auth0.com/login/callback"><input type="hidden" name="wa" value="wsignin1.0"><input type="hidden" name="wresult" value="eyJ0.tk.sig"><input type="hidden" name="wctx" value="{}"></form>"#
        let http = ReplayHTTP(
            origin: "https://acme.us.auth0.com",
            [
                .get(saml, lock).at("/login?state=st-1&client=AbCdEf0123456789AbCdEf0123456789&protocol=samlp"),
                .get("/client/AbCdEf0123456789AbCdEf0123456789.js", client),
                .post(
                    "/usernamepassword/login",
                    sends: [
                        "client_id": "AbCdEf0123456789AbCdEf0123456789", "connection": "Username-Password-Authentication",
                        "username": "alice@acme.com",
                        "password": "correct horse", "state": "st-1", "_csrf": "csrf-1", "tenant": "acme",
                    ],
                    callback),
                .post("/login/callback", sends: ["wresult": "eyJ0.tk.sig", "wa": "wsignin1.0"], awsPostPage()).at(saml),
            ])
        _ = try replay.login(http)
        http.assertFinished()
    }
}

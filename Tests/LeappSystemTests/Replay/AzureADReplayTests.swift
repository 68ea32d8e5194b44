import XCTest

@testable import LeappCore
@testable import LeappSystem

/// login.microsoftonline.com's pages as they come: the 200 script redirect of the documented
/// SAML URL, `$Config` blobs (pgid, sFT, sCtx, canary, urlPost...), sErrorCode 50058 on a fresh
/// sign-in page, and the MFA page's polling interval in milliseconds.
final class AzureADReplayTests: XCTestCase {
    let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    var replay: Replay {
        var r = Replay(
            provider: .azureAD,
            url:
                "https://account.activedirectory.windowsazure.com/applications/redirecttofederatedapplication.aspx?Operation=LinkedSignIn&applicationId=9d8e7f60-1111-4222-8333-444455556666"
        )
        r.username = "alice@acme.com"
        return r
    }
    let start =
        "/applications/redirecttofederatedapplication.aspx?Operation=LinkedSignIn&applicationId=9d8e7f60-1111-4222-8333-444455556666"
    var saml2: String { "/\(tenant)/saml2?SAMLRequest=fZJNb4Mw&RelayState=" }

    func config(_ pgid: String, _ extra: String = "", urlPost: String? = nil) -> String {
        #"""
        <!DOCTYPE html><html dir="ltr" lang="en"><head><title>Sign in to your account</title></head><body>
        <script type="text/javascript">//<![CDATA[
        $Config={"pgid":"\#(pgid)","sFT":"AQABAAEAAAD--DLA3VO7QrddgJg7WevrFT1","sFTName":"flowToken","sCtx":"rQQIARAAhZK9b","canary":"C4nary=","apiCanary":"ApiC4nary","sessionId":"9a1f","urlPost":"\#(urlPost ?? "/" + tenant + "/login")","urlGetCredentialType":"https://login.microsoftonline.com/common/GetCredentialType?mkt=en-US","sErrorCode":"","iMaxPollErrors":5\#(extra)};
        //]]></script><script src="https://aadcdn.msftauth.net/shared/1.0/content/js/ConvergedLogin_PCore_x.js"></script></body></html>
        """#
    }

    var redirectPage: String {
        // As the app gallery link answers: HTTP 200, a script, escaped the way JavaScript strings are.
        "<html><head><title>Redirecting</title></head><body><script type=\"text/javascript\">window.location = 'https:\\/\\/login.microsoftonline.com\\/\(tenant)\\/saml2?SAMLRequest=fZJNb4Mw\\u0026RelayState=';</script></body></html>"
    }

    let credentialType =
        #"{"Username":"alice@acme.com","Display":"alice@acme.com","IfExistsResult":0,"IsUnmanaged":false,"ThrottleStatus":0,"Credentials":{"PrefCredential":1,"HasPassword":true,"RemoteNgcParams":null,"FidoParams":null,"SasParams":null,"CertAuthParams":null,"GoogleParams":null,"FacebookParams":null},"FlowToken":"AQABAAEAAAD--FT2","IsSignupDisallowed":true,"apiCanary":"x"}"#

    func working() -> String {
        #"<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="https://signin.aws.amazon.com/saml"><input type="hidden" name="SAMLResponse" value="PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+" /><noscript><input type="submit" value="Submit" /></noscript></form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>"#
    }

    func signIn(then: [Exchange]) -> [Exchange] {
        [
            .get(start, redirectPage),
            .get(saml2, config("ConvergedSignIn", #","sErrorCode":"50058""#).replacing(#""sErrorCode":"","#, with: "")),
            .post(
                "/common/GetCredentialType?mkt=en-US",
                sends: ["username": "alice@acme.com", "flowToken": "AQABAAEAAAD--DLA3VO7QrddgJg7WevrFT1"], json: true, credentialType),
        ] + then
    }

    func testScriptRedirectAndTheNotSignedInStateLeadToTheSAMLResponse() throws {
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post(
                    "/\(tenant)/login",
                    sends: [
                        "login": "alice@acme.com", "passwd": "correct horse", "flowToken": "AQABAAEAAAD--FT2", "ctx": "rQQIARAAhZK9b",
                        "canary": "C4nary=",
                    ],
                    config("KmsiInterrupt")),
                .post("/\(tenant)/login", sends: ["LoginOptions": "1", "type": "28"], working()),
            ]))
        XCTAssertEqual(try replay.login(http).samlResponse, "PHNhbWxwOlJlc3BvbnNlPjwvc2FtbHA6UmVzcG9uc2U+")
        http.assertFinished()
        XCTAssertEqual(http.sent[1].url, "https://login.microsoftonline.com/\(tenant)/saml2?SAMLRequest=fZJNb4Mw&RelayState=")
    }

    func testWrongPasswordIsAnError() throws {
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post("/\(tenant)/login", config("ConvergedSignIn", #","sErrorCode":"50126""#).replacing(#""sErrorCode":"","#, with: ""))
            ]))
        XCTAssertThrowsError(try replay.login(http)) { error in
            XCTAssertEqual(
                "\(error)", "azure-ad: login refused: invalid username or password (step: ConvergedSignIn); check them and try again")
        }
    }

    func mfaPage(_ proofs: String, interval: String) -> String {
        config(
            "ConvergedTFA",
            #","arrUserProofs":[\#(proofs)],"urlBeginAuth":"https://login.microsoftonline.com/common/SAS/BeginAuth","urlEndAuth":"https://login.microsoftonline.com/common/SAS/EndAuth",\#(interval)"#,
            urlPost: "/common/SAS/ProcessAuth")
    }

    func testPushPollsAtTheMethodsIntervalInSeconds() throws {
        let proofs = #"{"authMethodId":"PhoneAppNotification","data":"PhoneAppNotification","display":"+X XXXXXXXX12","isDefault":true}"#
        let pending = #"{"Success":false,"ResultValue":"AuthenticationPending","Retry":true,"FlowToken":"FT3","Ctx":"C3"}"#
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post(
                    "/\(tenant)/login",
                    mfaPage(proofs, interval: #""iPollingInterval":5000,"oPerAuthPollingInterval":{"PhoneAppNotification":3.0}"#)),
                .post(
                    "/common/SAS/BeginAuth", sends: ["AuthMethodId": "PhoneAppNotification", "Method": "BeginAuth"], json: true,
                    #"{"Success":true,"ResultValue":"Success","SessionId":"S1","FlowToken":"FT2","Ctx":"C2","Entropy":47}"#),
                .post("/common/SAS/EndAuth", sends: ["Method": "EndAuth", "SessionId": "S1"], json: true, pending),
                .post("/common/SAS/EndAuth", json: true, #"{"Success":true,"ResultValue":"Success","FlowToken":"FT4","Ctx":"C4"}"#),
                .post(
                    "/common/SAS/ProcessAuth", sends: ["type": "22", "mfaAuthMethod": "PhoneAppNotification", "flowToken": "FT4"],
                    config("KmsiInterrupt")),
                .post("/\(tenant)/login", working()),
            ]))
        let prompter = ReplayPrompter()
        let clock = ReplayClock()
        _ = try replay.login(http, prompter: prompter, clock: clock)
        http.assertFinished()
        XCTAssertEqual(clock.slept, [3.0], "the method's own interval, given in seconds (not milliseconds)")
        XCTAssertEqual(prompter.notices, ["leapp: approve the sign-in in Microsoft Authenticator; enter 47"])
    }

    func testVoiceCallIsNotAnnouncedAsAnAppApproval() throws {
        let proofs = #"{"authMethodId":"TwoWayVoiceMobile","data":"TwoWayVoiceMobile","display":"+X XXXXXXXX34","isDefault":true}"#
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post("/\(tenant)/login", mfaPage(proofs, interval: #""iPollingInterval":5000"#)),
                .post(
                    "/common/SAS/BeginAuth", json: true,
                    #"{"Success":true,"ResultValue":"Success","SessionId":"S1","FlowToken":"FT2","Ctx":"C2"}"#),
                .post("/common/SAS/EndAuth", json: true, #"{"Success":true,"ResultValue":"Success","FlowToken":"FT4","Ctx":"C4"}"#),
                .post("/common/SAS/ProcessAuth", config("KmsiInterrupt")),
                .post("/\(tenant)/login", working()),
            ]))
        let prompter = ReplayPrompter()
        _ = try replay.login(http, prompter: prompter)
        XCTAssertEqual(prompter.notices, ["leapp: answer the phone call to +X XXXXXXXX34 and press # to approve"])
    }
}

/// The kit's reading of pages that send the browser on without a form.
final class PageRedirectTests: XCTestCase {
    func page(_ html: String, url: String = "https://idp.example.com/a/start") throws -> IdPPage {
        let doc = try LibXMLParser().parseHTML(Array(html.utf8))
        return IdPPage(
            response: HTTPResponse(status: 200, url: url, body: Array(html.utf8)), document: doc, forms: try HTMLForm.all(in: doc))
    }

    func testMetaRefreshAndScriptAssignments() throws {
        let cases: [(String, String?)] = [
            (#"<meta http-equiv="refresh" content="0; url=/next?x=1">"#, "https://idp.example.com/next?x=1"),
            (#"<meta http-equiv="Refresh" content="0;URL='https://other.example.com/p'">"#, "https://other.example.com/p"),
            (#"<script>window.location.replace("https:\/\/idp.example.com\/b\x3fq=1");</script>"#, "https://idp.example.com/b?q=1"),
            (#"<script>window.location.href = 'relative';</script>"#, "https://idp.example.com/a/relative"),
            (#"<script src="https://cdn.example.com/app.js"></script><p>no redirect</p>"#, nil),
            (#"<script>var x = window.location;</script>"#, nil),
        ]
        for (html, expected) in cases {
            XCTAssertEqual(PageRedirect.target(in: try page("<html><head>\(html)</head><body></body></html>")), expected, html)
        }
    }
}

extension AzureADReplayTests {
    func testAuthenticatorCodeIsSentWithEndAuth() throws {
        var r = replay
        r.mfaCode = "135790"
        let proofs = #"{"authMethodId":"PhoneAppNotification","isDefault":true},{"authMethodId":"PhoneAppOTP","isDefault":false}"#
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post("/\(tenant)/login", mfaPage(proofs, interval: #""iPollingInterval":5000"#)),
                .post(
                    "/common/SAS/BeginAuth", sends: ["AuthMethodId": "PhoneAppOTP"], json: true,
                    #"{"Success":true,"ResultValue":"Success","SessionId":"S1","FlowToken":"FT2","Ctx":"C2"}"#),
                .post(
                    "/common/SAS/EndAuth", sends: ["AdditionalAuthData": "135790", "AuthMethodId": "PhoneAppOTP"], json: true,
                    #"{"Success":true,"ResultValue":"Success","FlowToken":"FT4","Ctx":"C4"}"#),
                .post("/common/SAS/ProcessAuth", sends: ["type": "19", "otc": "135790"], config("KmsiInterrupt")),
                .post("/\(tenant)/login", working()),
            ]))
        _ = try r.login(http)
        http.assertFinished()
    }

    func testWrongAuthenticatorCode() throws {
        var r = replay
        r.mfaCode = "000000"
        let proofs = #"{"authMethodId":"PhoneAppOTP","isDefault":true}"#
        let http = ReplayHTTP(
            origin: "https://login.microsoftonline.com",
            signIn(then: [
                .post("/\(tenant)/login", mfaPage(proofs, interval: #""iPollingInterval":5000"#)),
                .post(
                    "/common/SAS/BeginAuth", json: true,
                    #"{"Success":true,"ResultValue":"Success","SessionId":"S1","FlowToken":"FT2","Ctx":"C2"}"#),
                .post(
                    "/common/SAS/EndAuth", json: true, #"{"Success":false,"ResultValue":"OathCodeIncorrect","Retry":false,"Message":null}"#),
            ]))
        XCTAssertThrowsError(try r.login(http)) { error in
            XCTAssertEqual("\(error)", "azure-ad: code refused (OathCodeIncorrect) (step: MFA PhoneAppOTP); check the code and try again")
        }
    }
}

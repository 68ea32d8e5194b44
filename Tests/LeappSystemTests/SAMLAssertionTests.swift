import LeappCore
import XCTest

@testable import LeappSystem

/// Assertion reading on real libxml2 with responses shaped like real IdPs'.
final class SAMLAssertionTests: XCTestCase {
    let parser = LibXMLParser()

    func response(
        roles: [String], duration: Int? = 7200, encrypted: Bool = false,
        status: String = "urn:oasis:names:tc:SAML:2.0:status:Success"
    ) -> String {
        let values = roles.map { "<saml:AttributeValue>\($0)</saml:AttributeValue>" }.joined()
        let durationAttr =
            duration.map {
                "<saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/SessionDuration\"><saml:AttributeValue>\($0)</saml:AttributeValue></saml:Attribute>"
            } ?? ""
        let assertion =
            encrypted
            ? "<saml:EncryptedAssertion><x/></saml:EncryptedAssertion>"
            : """
            <saml:Assertion><saml:Conditions NotBefore="2026-01-01T00:00:00Z" NotOnOrAfter="2026-01-01T00:05:00.123Z"/>
            <saml:AttributeStatement>
            <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>
            <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">\(values)</saml:Attribute>\(durationAttr)
            </saml:AttributeStatement></saml:Assertion>
            """
        let xml = """
            <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Destination="https://signin.aws.amazon.com/saml">
            <samlp:Status><samlp:StatusCode Value="\(status)"/></samlp:Status>\(assertion)</samlp:Response>
            """
        return Data(xml.utf8).base64EncodedString()
    }

    let role = "arn:aws:iam::123456789012:role/Dev"
    let idp = "arn:aws:iam::123456789012:saml-provider/acme"

    func testReadsRolesInEitherOrderAndAttributes() throws {
        let other = "arn:aws:iam::210987654321:role/path/Admin"
        let otherIdP = "arn:aws:iam::210987654321:saml-provider/acme"
        let a = try SAMLAssertion(
            encoded: response(roles: ["\(role),\(idp)", "\(otherIdP), \(other)", "\(role),\(idp)", "garbage"]), parser: parser)
        XCTAssertEqual(a.roles, [OfferedRole(roleArn: role, principalArn: idp), OfferedRole(roleArn: other, principalArn: otherIdP)])
        XCTAssertEqual(a.roleSessionName, "alice@example.com")
        XCTAssertEqual(a.sessionDuration, 7200)
        XCTAssertEqual(a.destination, "https://signin.aws.amazon.com/saml")
        XCTAssertEqual(a.notOnOrAfter.map(RFC3339.format), "2026-01-01T00:05:00Z")
        XCTAssertFalse(a.isEncrypted)
    }

    func testWrappedBase64IsAccepted() throws {
        var wrapped = ""
        for (i, c) in response(roles: ["\(role),\(idp)"]).enumerated() {
            wrapped.append(c)
            if i % 76 == 75 { wrapped += "\r\n" }
        }
        XCTAssertEqual(try SAMLAssertion(encoded: wrapped, parser: parser).roles.count, 1)
    }

    func testEncryptedAssertion() throws {
        let a = try SAMLAssertion(encoded: response(roles: [], encrypted: true), parser: parser)
        XCTAssertTrue(a.isEncrypted)
        XCTAssertTrue(a.roles.isEmpty)
    }

    func testFailureStatusIsReported() {
        XCTAssertThrowsError(
            try SAMLAssertion(encoded: response(roles: [], status: "urn:oasis:names:tc:SAML:2.0:status:Responder"), parser: parser)
        ) {
            XCTAssertTrue("\($0)".contains("SAML status Responder"), "\($0)")
        }
    }

    func testHostileInputs() {
        let cases: [(String, String)] = [
            ("not base64 !!", "not valid base64"),
            (String(response(roles: []).prefix(40)), "SAML"),
            (Data("<html>hello</html>".utf8).base64EncodedString(), "not a SAML 2.0 Response"),
            (Data("<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><Response>&a;</Response>".utf8).base64EncodedString(), "DOCTYPE"),
        ]
        for (input, expected) in cases {
            XCTAssertThrowsError(try SAMLAssertion(encoded: input, parser: parser)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(input.prefix(20)): \(error)")
            }
        }
    }

    func testFiveHundredRoles() throws {
        let roles = (0..<500).map {
            "arn:aws:iam::\(String(100_000_000_000 + $0)):role/R\($0),arn:aws:iam::\(String(100_000_000_000 + $0)):saml-provider/acme"
        }
        let a = try SAMLAssertion(encoded: response(roles: roles), parser: parser)
        XCTAssertEqual(a.roles.count, 500)
        XCTAssertEqual(a.roles.last?.roleArn, "arn:aws:iam::100000000499:role/R499")  // speed: `make bench`
    }
}

import LeappCore
import LeappSystem
import XCTest

/// The AWS SAML sign-in page's account headings, read with the real libxml2 HTML parser.
final class SignInPageTests: XCTestCase {
    let parser = LibXMLParser()

    func page(_ headings: [String], headingClass: String = "saml-account-name") -> [UInt8] {
        let blocks = headings.enumerated().map { i, text in
            """
            <div class="saml-account"><div onClick="expandCollapse(\(i));"><img id="image\(i)" src="/down.png"></img>
            <div class="\(headingClass)">\(text)</div></div><hr>
            <div id="\(i)" class="saml-account"><div class="saml-role"><input type="radio" name="roleIndex"
             value="arn:aws:iam::123456789012:role/Dev" class="saml-radio" id="arn:aws:iam::123456789012:role/Dev" />
            <label for="arn:aws:iam::123456789012:role/Dev" class="saml-role-description">Dev</label></div></div></div>
            """
        }
        return Array("<!DOCTYPE html><html><body><form id=\"saml_form\"><fieldset>\(blocks.joined())</fieldset></form></body></html>".utf8)
    }

    func testNamedAndUnnamedAccounts() throws {
        let names = try AWSSignInPage.accountNames(
            parser.parseHTML(
                page([
                    "Account: acme-prod (210987654321)", "Account: 333333333333", "\n   Account:   Acme Dev  (123456789012)\n ",
                    "Account: acme &amp; co (444444444444)",
                ])))
        XCTAssertEqual(names, ["210987654321": "acme-prod", "123456789012": "Acme Dev"])
    }

    func testAPageWithoutTheHeadingsIsAChangedPage() throws {
        XCTAssertThrowsError(try AWSSignInPage.accountNames(parser.parseHTML(page(["Account: x (210987654321)"], headingClass: "title")))) {
            XCTAssertTrue("\($0)".contains("markup changed"))
        }
    }

    func testAHeadingThatIsNotAnAccountNamesNothing() throws {
        let names = try AWSSignInPage.accountNames(parser.parseHTML(page(["Account: prod (12345)", "Account: (210987654321", "x"])))
        XCTAssertEqual(names, [:])
    }
}

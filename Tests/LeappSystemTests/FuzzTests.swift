import Foundation
import XCTest

@testable import LeappCore
@testable import LeappSystem

/// A seeded random loop over the HTML extraction and assertion parsing: mutated real-shaped
/// inputs must give an answer or a LeappError, never a crash or a hang. The iteration count
/// is bounded (LEAPP_FUZZ_ITERATIONS, default 3000) so CI time stays fixed.
final class FuzzTests: XCTestCase {
    let parser = LibXMLParser()

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let assertionXML = """
        <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Destination="https://signin.aws.amazon.com/saml"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion><saml:Conditions NotOnOrAfter="2030-01-01T00:00:00Z"/><saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:role/Dev,arn:aws:iam::123456789012:saml-provider/acme</saml:AttributeValue></saml:Attribute><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml:AttributeValue>3600</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>
        """

    static var page: String {
        """
        <html><body onload="document.forms[0].submit()"><form id="kc-form-login" action="/login?x=1&amp;y=2" method="post">
        <input name="username" value="a&quot;b"><input type="password" name="password"><select name="s"><option value="1" selected>1</option></select>
        </form><form method="post" action="https://signin.aws.amazon.com/saml"><input type="hidden" name="SAMLResponse" value="\(Data(assertionXML.utf8).base64EncodedString())"/>
        <input type="hidden" name="RelayState" value=""/></form><script>$Config={"pgid":"x","sFT":"y"};var stateToken = 'ab\\x2Dcd';</script></body></html>
        """
    }

    func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        let tokens: [[UInt8]] = [
            "<", ">", "\"", "'", "&", "&#x", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<![CDATA[", "]]>", "\u{0}",
            "<form>", "</form>", "<input name=SAMLResponse value=", "=", "%", "\u{FFFD}", "\\x", "$Config={",
        ]
        .map { Array($0.utf8) }
        for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng)))
            case 2: bytes.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
            case 3: bytes = Array(bytes[..<at])
            default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 200)], at: at)
            }
        }
        return bytes
    }

    func testMutatedPagesAndAssertions() {
        let iterations = ProcessInfo.processInfo.environment["LEAPP_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 3000
        var rng = SplitMix(state: 20_261_129)
        let page = Array(Self.page.utf8)
        let xml = Array(Self.assertionXML.utf8)
        var outcomes = [0, 0]
        for _ in 0..<iterations {
            let html = mutate(page, &rng)
            if let doc = try? parser.parseHTML(html), let forms = try? HTMLForm.all(in: doc) {
                _ = try? SAMLPage.classify(forms, pageURL: "https://idp.example.com/a")
                _ = AzureAD.config(in: String(decoding: html, as: UTF8.self))
                _ = Okta.stateToken(in: String(decoding: html, as: UTF8.self))
                _ = Auth0.embeddedConfig(String(decoding: html, as: UTF8.self))
            }
            let encoded = Data(mutate(xml, &rng)).base64EncodedString()
            do {
                _ = try SAMLAssertion(encoded: encoded, parser: parser)
                outcomes[0] += 1
            } catch is LeappError {
                outcomes[1] += 1
            } catch {
                XCTFail("a non-LeappError escaped: \(error)")
            }
        }
        // Both outcomes occur: the mutations reach past the first parse error.
        XCTAssertGreaterThan(outcomes[0], 0)
        XCTAssertGreaterThan(outcomes[1], 0)
    }
}

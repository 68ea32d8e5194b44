import Foundation
import XCTest

@testable import LeappCore

/// leapp's base64 against Foundation's, on random bytes, and on the shapes IdPs send.
final class Base64Tests: XCTestCase {
    func testAgreesWithFoundationOnRandomBytes() {
        var rng = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let reference = Data(bytes).base64EncodedString()
            XCTAssertEqual(Base64.encode(bytes), reference)
            XCTAssertEqual(Base64.decode(reference), bytes)
            // Wrapped at 76 columns with CRLF, as some IdPs post it.
            let wrapped = Data(bytes).base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ])
            XCTAssertEqual(Base64.decode(" \(wrapped)\n"), bytes)
            // Padding left off.
            XCTAssertEqual(Base64.decode(reference.replacingOccurrences(of: "=", with: "")), bytes)
        }
    }

    func testRefusesWhatIsNotBase64() {
        for bad in ["abc$", "ab=c", "abcd=", "a", "abcde", "ab===", "YWJj\u{00E9}", "ab-_"] {
            XCTAssertNil(Base64.decode(bad), bad)
        }
        XCTAssertEqual(Base64.decode(""), [])
    }

    func testTrimmedDropsOnlyASCIIWhiteSpaceAtTheEnds() {
        XCTAssertEqual(" \r\n\tnaïve café\u{00A0}\r\n ".trimmed, "naïve café\u{00A0}")
        XCTAssertEqual("\r\n".trimmed, "")
        XCTAssertEqual("x".trimmed, "x")
        XCTAssertEqual("  a b  "[...].trimmed, "a b")
    }
}

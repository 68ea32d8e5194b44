import XCTest

@testable import LeappCore

/// What IdPs send, held to the rules: shown through one filter, opened only when it is the
/// org's own https page, numbers parsed without traps.
final class UntrustedTextTests: XCTestCase {
    func testTheTerminalFilterShowsControlsAsQuestionMarks() {
        XCTAssertEqual(TerminalText.line("a\u{1B}]52;c;x\u{07}b"), "a?]52;c;x?b")
        XCTAssertEqual(TerminalText.line("csi\u{9B}2J del\u{7F} nl\n tab\t"), "csi?2J del? nl? tab?")
        XCTAssertEqual(TerminalText.line("rtl\u{202E}lrt \u{2066}x\u{2069}"), "rtl?lrt ?x?")
        XCTAssertEqual(TerminalText.line("café ✓ 日本"), "café ✓ 日本", "printable unicode stays")
        XCTAssertEqual(TerminalText.line("abcdef", limit: 3), "abc...")
    }

    func testOnlyTheOrgsOwnHTTPSPageIsOpenable() {
        let origin = "https://acme.okta.com"
        XCTAssertEqual(
            OpenableURL.check("https://acme.okta.com/activate?user_code=ABCD", origin: origin),
            "https://acme.okta.com/activate?user_code=ABCD")
        XCTAssertEqual(OpenableURL.check("HTTPS://ACME.okta.com/activate", origin: origin), "https://acme.okta.com/activate")
        for hostile in [
            "--renderer-cmd-prefix=touch /tmp/x", "-https://acme.okta.com/", "file:///etc/passwd", "ssh://acme.okta.com/",
            "javascript:alert(1)", "https://evil.example/activate", "https://acme.okta.com@evil.example/",
            "https://user@acme.okta.com/", "https://acme.okta.com/a b", "https://acme.okta.com/\"x", "https://acme.okta.com/\u{1B}[2J",
            "http://acme.okta.com/activate", "https://acme.okta.com.evil.example/", "",
        ] {
            XCTAssertNil(OpenableURL.check(hostile, origin: origin), hostile)
        }
        XCTAssertEqual(
            OpenableURL.check("http://127.0.0.1:8080/activate", origin: "http://127.0.0.1:8080"), "http://127.0.0.1:8080/activate")
    }

    func testHostileNumbersDoNotTrap() {
        XCTAssertNil(JSONValue.number(1e300).int)
        XCTAssertNil(JSONValue.number(.infinity).int)
        XCTAssertNil(JSONValue.number(.nan).int)
        XCTAssertEqual(JSONValue.number(42).int, 42)
        XCTAssertEqual(JSONValue.number(1e300).string, "1e+300")
        XCTAssertNil(HTTPDate.parse("Sun, 06 Nov 99999999999999 08:49:37 GMT"))
        XCTAssertNotNil(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
    }

    func testDevicePollingIsClamped() {
        XCTAssertEqual(DevicePolling(interval: 0, expiresIn: 600).interval, DevicePolling.minInterval)
        XCTAssertEqual(DevicePolling(interval: -5, expiresIn: 600).interval, DevicePolling.minInterval)
        XCTAssertEqual(DevicePolling(interval: Int.max, expiresIn: 600).interval, DevicePolling.maxInterval)
        XCTAssertEqual(DevicePolling(interval: 5, expiresIn: Int.max).expiresIn, DevicePolling.maxLifetime)
        XCTAssertEqual(DevicePolling(interval: nil, expiresIn: nil).interval, 5)
    }
}

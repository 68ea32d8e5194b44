import XCTest

@testable import LeappCore

final class INIDocumentTests: XCTestCase {
    func testSetKeepsEveryOtherByte() {
        let original =
            "# comment\n[default]\naws_access_key_id = A ; note\n\n[dev]\naws_access_key_id = OLD\nregion=x\naws_security_token = STALE\n\n[other]\nk = v\n"
        var ini = INIDocument(original)
        ini.set([("aws_access_key_id", "NEW"), ("aws_session_token", "T")], in: "dev")
        ini.remove(["aws_security_token"], from: "dev")
        XCTAssertEqual(
            ini.text,
            "# comment\n[default]\naws_access_key_id = A ; note\n\n[dev]\naws_access_key_id = NEW\nregion=x\naws_session_token = T\n\n[other]\nk = v\n"
        )
        ini.remove(["aws_access_key_id", "region", "aws_session_token"], from: "dev")
        XCTAssertEqual(ini.text, "# comment\n[default]\naws_access_key_id = A ; note\n\n[dev]\n\n[other]\nk = v\n")
    }

    func testNewSectionOnEmptyAndCRLFFiles() {
        var empty = INIDocument("")
        empty.set([("region", "eu-west-1")], in: "profile dev")
        XCTAssertEqual(empty.text, "[profile dev]\nregion = eu-west-1\n")
        var crlf = INIDocument("[a]\r\nk = v\r\n")
        crlf.set([("x", "1")], in: "b")
        XCTAssertEqual(crlf.text, "[a]\r\nk = v\r\n\r\n[b]\r\nx = 1\r\n")
        XCTAssertEqual(crlf.value("k", in: "a"), "v")
    }

    func testMixedEndingsAndNonUTF8BytesSurviveAddAndRemove() {
        let original: [UInt8] = Array("[a]\r\nk = caf".utf8) + [0xE9] + Array("\n# x\ry\n[b]\nk = v".utf8)
        var ini = INIDocument(original)
        let appended = ini.set([("region", "eu-west-1")], in: "profile dev")
        XCTAssertEqual(Array(ini.bytes.prefix(original.count)), original)
        XCTAssertEqual(
            appended,
            {
                var a = AppendedSection()
                a.addedFinalNewline = true
                a.addedSeparator = true
                return a
            }())
        ini.removeSection("profile dev", appended: appended)
        XCTAssertEqual(ini.bytes, original, "byte for byte, final newline absence included")
    }

    func testIndentedLinesFollowBotocore() {
        // Right after a header an indented line is a key; after a key it continues the value.
        var ini = INIDocument("[dev]\n  aws_access_key_id = OLD\ns3 =\n  max_concurrent_requests = 10\nregion = x\n")
        XCTAssertEqual(ini.value("aws_access_key_id", in: "dev"), "OLD")
        XCTAssertEqual(ini.entries(in: "dev").map(\.key), ["aws_access_key_id", "s3", "region"])
        ini.set([("aws_access_key_id", "NEW")], in: "dev")
        XCTAssertEqual(ini.text, "[dev]\naws_access_key_id = NEW\ns3 =\n  max_concurrent_requests = 10\nregion = x\n")
        ini.remove(["s3"], from: "dev")
        XCTAssertEqual(ini.text, "[dev]\naws_access_key_id = NEW\nregion = x\n", "a key goes with its nested lines")
    }

    func testSavedSectionGoesBackInPlace() {
        let original = "[a]\nk = 1\n\n[default]\naws_access_key_id = AKIA\n# mine\n\n[z]\nq = 2\n"
        var ini = INIDocument(original)
        let saved = ini.sectionBytes("default")!
        ini.remove(["aws_access_key_id"], from: "default")
        ini.set([("x", "y")], in: "default")
        XCTAssertNotEqual(ini.text, original)
        ini.restoreSection("default", bytes: saved)
        XCTAssertEqual(ini.text, original)
    }
}

final class ShellQuotingTests: XCTestCase {
    func testPosix() {
        XCTAssertEqual(ShellQuoting.posix("ASIA123/abc+def="), "ASIA123/abc+def=")
        XCTAssertEqual(ShellQuoting.posix("it's"), "'it'\\''s'")
        XCTAssertEqual(ShellQuoting.posix(""), "''")
        XCTAssertEqual(ShellQuoting.posix("$(rm -rf ~)"), "'$(rm -rf ~)'")
        XCTAssertEqual(ShellQuoting.posix("a\nb'\\"), "$'a\\nb\\'\\\\'")
        XCTAssertEqual(ShellQuoting.posix("=x"), "'=x'")
        XCTAssertEqual(ShellQuoting.posix("~/x"), "'~/x'")
    }

    func testFish() {
        XCTAssertEqual(ShellQuoting.fish("ab"), "'ab'")
        XCTAssertEqual(ShellQuoting.fish("a\\"), "'a\\\\'")
        XCTAssertEqual(ShellQuoting.fish("it's"), "'it\\'s'")
        XCTAssertEqual(ShellQuoting.fish("a\nb"), "'a'\\x0A'b'")
        XCTAssertEqual(ShellQuoting.fish(""), "''")
    }

    func testShellGuess() {
        XCTAssertEqual(Shells.guess("/usr/bin/fish").name, "fish")
        XCTAssertEqual(Shells.guess("/bin/zsh").name, "zsh")
        XCTAssertEqual(Shells.guess(nil).name, "bash")
    }
}

final class TimeAndURLTests: XCTestCase {
    func testRFC3339() {
        XCTAssertEqual(RFC3339.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970, 0)
        XCTAssertEqual(RFC3339.parse("2024-02-29T12:30:15.5Z")?.timeIntervalSince1970, 1709209815.5)
        XCTAssertEqual(RFC3339.parse("2024-02-29T14:30:15+02:00")?.timeIntervalSince1970, 1_709_209_815)
        XCTAssertNil(RFC3339.parse("2024-13-01T00:00:00Z"))
        XCTAssertNil(RFC3339.parse("yesterday"))
        XCTAssertEqual(RFC3339.format(Date(timeIntervalSince1970: 1709209815.9)), "2024-02-29T12:30:15Z")
        XCTAssertEqual(RFC3339.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
    }

    func testWebURL() throws {
        let u = try XCTUnwrap(WebURL("https://User@IdP.Example.com:8443/a/b?x=1#frag"))
        XCTAssertEqual(u.host, "idp.example.com")
        XCTAssertEqual(u.port, 8443)
        XCTAssertEqual(u.pathAndQuery, "/a/b?x=1")
        XCTAssertEqual(u.resolve("c"), "https://idp.example.com:8443/a/c")
        XCTAssertEqual(u.resolve("/z"), "https://idp.example.com:8443/z")
        XCTAssertEqual(u.resolve("?q"), "https://idp.example.com:8443/a/b?q")
        XCTAssertEqual(u.resolve("//other/p"), "https://other/p")
        XCTAssertTrue(WebURL("http://127.0.0.1:5000/")!.isAllowedTransport)
        XCTAssertTrue(WebURL("http://[::1]:5000/")!.isAllowedTransport)
        XCTAssertFalse(WebURL("http://example.com/")!.isAllowedTransport)
        for lookalike in [
            "127.evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "127.0.0.256",
            "127.1", "0127.0.0.1", "127.0.0.1.", "evil-localhost", "128.0.0.1", "[::2]",
        ] {
            XCTAssertFalse(WebURL("http://\(lookalike):80/")?.isLoopback ?? false, lookalike)
            XCTAssertFalse(WebURL("http://\(lookalike)/")?.isAllowedTransport ?? false, lookalike)
        }
        for loopback in ["127.0.0.1", "127.255.1.2", "localhost", "LocalHost", "idp.localhost", "[::1]"] {
            XCTAssertTrue(WebURL("http://\(loopback):8080/")?.isLoopback ?? false, loopback)
        }
        XCTAssertNil(WebURL("file:///etc/passwd"))
        XCTAssertNil(WebURL("https://"))
    }

    func testFormEncoding() {
        XCTAssertEqual(FormEncoding.encode([("a b", "c&d=é")]), "a+b=c%26d%3D%C3%A9")
        XCTAssertEqual(FormEncoding.decode("a+b=c%26d%3D%C3%A9&x").map { "\($0.0)|\($0.1)" }, ["a b|c&d=é", "x|"])
    }
}

final class PastedResponseTests: XCTestCase {
    let xml = #"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a+b/c=">ok ~~~ ??? >>> </samlp:Response>"#
    var base64: String { Base64.encode(Array(xml.utf8)) }

    func testEveryShapePeopleCopyGivesTheSameValue() throws {
        let b64 = base64
        XCTAssertTrue(b64.contains("+") && b64.contains("/"), "the fixture exercises + and /")
        let urlEncoded = b64.replacing("+", with: "%2B").replacing("/", with: "%2F").replacing("=", with: "%3D")
        let entities = b64.replacing("+", with: "&#x2B;").replacing("/", with: "&#47;").replacing("=", with: "&#x3D;")
        let wrapped = stride(from: 0, to: b64.count, by: 20).map { String(b64.dropFirst($0).prefix(20)) }.joined(separator: "\n")
        let shapes = [
            b64, "  \(b64)\n", wrapped, urlEncoded,
            "SAMLResponse=\(urlEncoded)&RelayState=https%3A%2F%2Fconsole.aws.amazon.com",
            "RelayState=x&SAMLResponse=\(urlEncoded)",
            entities,
            #"<input type="hidden" name="SAMLResponse" value="\#(entities)" />"#,
            #"<html><form method="post" action="https://signin.aws.amazon.com/saml"><input name="SAMLResponse" value="\#(b64)"></form></html>"#,
            xml,
        ]
        for shape in shapes {
            XCTAssertEqual(try PastedResponse.normalize(shape), b64, shape)
        }
    }

    func testWhatIsNotAResponseIsRefused() {
        for junk in ["", "   ", "hello world", "SAMLResponse=", Base64.encode(Array("not xml".utf8)), "https://signin.aws.amazon.com/saml"]
        {
            XCTAssertThrowsError(try PastedResponse.normalize(junk), junk)
        }
    }
}

final class DurationTextTests: XCTestCase {
    func testTheWaysPeopleWriteALength() {
        let cases: [(String, Int?)] = [
            ("3600", 3600), ("90m", 5400), ("1h", 3600), ("12h", 43200), ("1h30m", 5400), ("45s", 45), (" 2H ", 7200),
            ("", nil), ("h", nil), ("1x", nil), ("1h30", nil), ("m90", nil), ("1.5h", nil),
        ]
        for (text, seconds) in cases { XCTAssertEqual(DurationText.seconds(text), seconds, text) }
    }
}

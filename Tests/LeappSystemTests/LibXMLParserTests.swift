import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

#if canImport(Glibc)
    import Glibc
#endif

final class LibXMLParserTests: XCTestCase {
    let parser = LibXMLParser()

    func testHTMLFormsWithDecodedEntities() throws {
        let page = """
            <html><body onload="document.forms[0].submit()">
            <form id="other" action="/x"><input name="q" value="1"></form>
            <form method="post" action="https://signin.aws.amazon.com/saml">
              <input type="hidden" name="SAMLResponse" value="PHNhbWw+&#x3D;&amp;"/>
              <input type="hidden" name="RelayState" value="a&amp;b"/>
              <input type="submit" value="Go"/>
            </form></body></html>
            """
        let doc = try parser.parseHTML(Array(page.utf8))
        let forms = try HTMLForm.all(in: doc)
        XCTAssertEqual(forms.count, 2)
        guard case .response(let final) = try SAMLPage.classify(forms, pageURL: "https://idp.example.com/sso") else {
            return XCTFail("no SAMLResponse found")
        }
        XCTAssertEqual(final.samlResponse, "PHNhbWw+=&")
        XCTAssertEqual(final.relayState, "a&b")
        XCTAssertEqual(final.partition, .aws)
    }

    func testRelayFormAndPartitions() throws {
        let relay = #"<form method="post" action="/broker"><input name="SAMLRequest" value="abc"></form>"#
        let forms = try HTMLForm.all(in: parser.parseHTML(Array(relay.utf8)))
        guard case .relay(let form) = try SAMLPage.classify(forms, pageURL: "https://idp.example.com/a/b") else {
            return XCTFail("relay form not recognised")
        }
        XCTAssertEqual(form.request(from: "https://idp.example.com/a/b").url, "https://idp.example.com/broker")
        let cn = #"<form method="post" action="https://signin.amazonaws.cn/saml"><input name="SAMLResponse" value="x"></form>"#
        guard case .response(let r) = try SAMLPage.classify(HTMLForm.all(in: parser.parseHTML(Array(cn.utf8))), pageURL: "https://idp/")
        else {
            return XCTFail()
        }
        XCTAssertEqual(r.partition, .awsCN)
    }

    func testSeveralDifferentResponsesAreRefused() throws {
        let page = """
            <form method="post" action="https://signin.aws.amazon.com/saml"><input name="SAMLResponse" value="one"></form>
            <form method="post" action="https://signin.aws.amazon.com/saml"><input name="SAMLResponse" value="two"></form>
            """
        XCTAssertThrowsError(try SAMLPage.classify(HTMLForm.all(in: parser.parseHTML(Array(page.utf8))), pageURL: "https://idp/"))
    }

    func testXXEIsRefused() {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Response>&x;</Response>
            """
        XCTAssertThrowsError(try parser.parseXML(Array(xxe.utf8))) { error in
            XCTAssertTrue("\(error)".contains("DOCTYPE"), "\(error)")
        }
    }

    func testBillionLaughsIsRefused() {
        var bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { bomb += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        bomb += "]><lolz>&lol9;</lolz>"
        XCTAssertThrowsError(try parser.parseXML(Array(bomb.utf8))) { error in
            XCTAssertEqual((error as? LeappError)?.kind, .markup, "\(error)")  // refused, never expanded
        }
    }

    /// In UTF-16 no byte sequence spells `<!DOCTYPE`: the refusal must come from the parsed
    /// document, below any byte-level pre-check.
    func testDoctypeIsRefusedInAnyEncoding() throws {
        func utf16(_ text: String) -> [UInt8] { [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let secret = try String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmed
        let xxe =
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\"><!ENTITY y \"expanded\">]><Response>&x;&y;</Response>"
        XCTAssertThrowsError(try parser.parseXML(utf16(xxe))) { error in
            XCTAssertTrue("\(error)".contains("DOCTYPE"), "\(error)")
            XCTAssertFalse("\(error)".contains(secret))
        }
        let plain = try parser.parseXML(utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><Response>ok</Response>"))
        XCTAssertEqual(try plain.first("/Response")?.text, "ok", "UTF-16 without a DOCTYPE parses")
    }

    func testHTMLEntitiesFromDTDAreNotExpanded() throws {
        let page = """
            <!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/hostname">]>
            <html><body><form action="/a"><input name="v" value="&x;"></form></body></html>
            """
        let form = try XCTUnwrap(HTMLForm.all(in: parser.parseHTML(Array(page.utf8))).first)
        XCTAssertFalse((form.value("v") ?? "").contains(try String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmed))
    }

    func testOversizedInputIsRefused() {
        var small = LibXMLParser()
        small.maxBytes = 1024
        XCTAssertThrowsError(try small.parseHTML([UInt8](repeating: 0x61, count: 2048))) { error in
            XCTAssertTrue("\(error)".contains("larger than"), "\(error)")
        }
    }

    func testMalformedXMLIsAnError() {
        XCTAssertThrowsError(try parser.parseXML(Array("<a><b></a".utf8)))
        XCTAssertThrowsError(try parser.parseXML([]))
    }

    func testXPathRelativeToNode() throws {
        let doc = try parser.parseHTML(Array("<div id='a'><p>1</p></div><div id='b'><p>2</p><p>3</p></div>".utf8))
        let b = try XCTUnwrap(doc.first("//div[@id='b']"))
        XCTAssertEqual(try doc.select(".//p", in: b).map(\.text), ["2", "3"])
        XCTAssertThrowsError(try doc.select("//[bad"))
    }
}

/// libxml2's own options, below the check made on the parsed tree: what the parser reads
/// *while* parsing. An entity or a DTD naming a FIFO nobody writes to would block the parse
/// for ever if libxml2 opened it (entity substitution, external DTD loading): the parse must
/// come back at once, refused.
final class LibXMLParseOptionTests: XCTestCase {
    func parsesWithoutOpening(_ document: (String) -> String, html: Bool = false) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "leapp-fifo-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("entity").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // XML goes in UTF-16, where no byte sequence spells `<!DOCTYPE`: past leapp's byte
        // check, down to libxml2's options (the check on the parsed tree comes too late).
        let text = document(fifo)
        let bytes = html ? Array(text.utf8) : [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let parser = LibXMLParser()
            _ = html ? try? parser.parseHTML(bytes) : try? parser.parseXML(bytes)
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 5) == .success
        if !finished {
            // Release the blocked reader so the process can end.
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            _ = done.wait(timeout: .now() + 5)
        }
        XCTAssertTrue(finished, "libxml2 opened \(fifo) while parsing")
    }

    func testNoExternalEntityIsRead() throws {
        try parsesWithoutOpening {
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://\($0)\">]><r>&x;</r>"
        }
        try parsesWithoutOpening {
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"\($0)\">]><r a=\"&x;\">&x;</r>"
        }
    }

    func testNoExternalDTDIsLoaded() throws {
        try parsesWithoutOpening { "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r SYSTEM \"file://\($0)\"><r/>" }
        try parsesWithoutOpening { "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"\($0)\"> %p;]><r/>" }
    }

    func testHTMLReadsNothingEither() throws {
        try parsesWithoutOpening(
            { "<!DOCTYPE html SYSTEM \"file://\($0)\"><html><body><form><input name=a value=\"&x;\"></form></body></html>" }, html: true)
    }
}

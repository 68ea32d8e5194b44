import XCTest

@testable import LeappCore

final class ConsoleProfileTests: XCTestCase {
    func testEachSessionHasItsOwnProfileAndTheCommandLineCarriesIt() {
        let a = Session(id: "id-a", alias: "a", profile: "a", region: "eu-west-1", idpUrlId: "i", idpArn: "x", roleArn: "y")
        var b = a
        b.id = "id-b"
        let dirA = ConsoleProfile.directory(for: a, dataDirectory: "/data/leapp")
        let dirB = ConsoleProfile.directory(for: b, dataDirectory: "/data/leapp")
        XCTAssertNotEqual(dirA, dirB)
        XCTAssertEqual(dirA, "/data/leapp/consoles/id-a")
        let args = ConsoleProfile.arguments(.chromium, binary: "/usr/bin/chromium", profile: dirA, target: "file:///run/x.html")
        XCTAssertEqual(args.first, "/usr/bin/chromium")
        XCTAssertTrue(args.contains("--user-data-dir=/data/leapp/consoles/id-a"))
        XCTAssertEqual(Array(args.suffix(2)), ["--", "file:///run/x.html"])
        let firefox = ConsoleProfile.arguments(.firefox, binary: "firefox-esr", profile: dirB, target: "file:///run/y.html")
        XCTAssertEqual(firefox, ["firefox-esr", "--profile", "/data/leapp/consoles/id-b", "--new-window", "file:///run/y.html"])
    }

    func testTheBrowserFamilyByName() {
        XCTAssertEqual(ConsoleProfile.BrowserKind.of("/usr/bin/firefox-esr"), .firefox)
        XCTAssertEqual(ConsoleProfile.BrowserKind.of("librewolf"), .firefox)
        XCTAssertEqual(ConsoleProfile.BrowserKind.of("/usr/bin/google-chrome-stable"), .chromium)
        XCTAssertEqual(ConsoleProfile.BrowserKind.of("/opt/brave/brave-browser"), .chromium)
    }
}

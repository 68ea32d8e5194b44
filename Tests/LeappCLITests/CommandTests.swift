import ArgumentParser
import Foundation
import LeappCore
import XCTest

@testable import leapp

/// Commands run against a context the test makes (its own HOME and XDG directories), the way
/// `main` runs them against the process's: no global state, no keyring for these commands.
final class CommandTests: XCTestCase {
    var root: URL!
    var context: AppContext!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        context = AppContext(environment: [
            "HOME": root.path, "XDG_CONFIG_HOME": root.path + "/config", "XDG_DATA_HOME": root.path + "/data",
        ])
        context.allowPrompts = false
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func run(_ args: [String]) throws {
        let rest = GlobalOptions.extract(args, into: context)
        let command = try Leapp.parseAsRoot(rest)
        try XCTUnwrap(command as? LeappCommand, "\(args)").run(context)
    }

    func testAddingASessionWritesTheContextsConfigurationOnly() throws {
        try run([
            "idp-url", "create", "--name", "acme", "--provider", "keycloak", "--url",
            "https://sso.example.com/realms/a/protocol/saml/clients/aws",
        ])
        try run([
            "--no-interactive", "session", "add", "--alias", "dev", "--region", "eu-west-1", "--idp-url", "acme",
            "--idp-arn", "arn:aws:iam::123456789012:saml-provider/acme", "--role-arn", "arn:aws:iam::123456789012:role/Dev",
        ])
        let config = try context.loadConfig()
        XCTAssertEqual(config.sessions.map(\.alias), ["dev"])
        XCTAssertEqual(config.sessions.first?.profile, "dev", "the profile defaults to the alias, never `default`")
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.path + "/config/leapp/config.json"))
        XCTAssertFalse(context.allowPrompts, "--no-interactive before the subcommand reached the context")
    }

    func testValidationErrorsLeaveNothingBehind() throws {
        XCTAssertThrowsError(
            try run([
                "session", "add", "--alias", "bad alias", "--profile", "p", "--region", "eu-west-1", "--idp-url",
                "https://sso.example.com/x",
                "--provider", "generic", "--idp-arn", "arn:aws:iam::123456789012:saml-provider/a", "--role-arn",
                "arn:aws:iam::123456789012:role/R",
            ]))
        XCTAssertEqual(try context.loadConfig().sessions.count, 0)
    }

    func testAllowRecordsTheMarkerInTheContextsDataDirectory() throws {
        let project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Data("dev\n".utf8).write(to: project.appendingPathComponent(".leapp-session"))
        try run(["allow", project.path, "--verbose"])
        let allowed = try String(contentsOfFile: root.path + "/data/leapp/allowed.json", encoding: .utf8)
        XCTAssertTrue(allowed.contains(project.resolvingSymlinksInPath().path + "/.leapp-session"), allowed)
        XCTAssertTrue(context.verbose)
    }
}

/// The environment names the core's settings come from, read in one place.
final class SettingsFromEnvironmentTests: XCTestCase {
    func testTheNamesAndTheirPrecedence() {
        XCTAssertNil(Settings(environment: [:]).stsEndpoint)
        XCTAssertEqual(Settings(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1"]).stsEndpoint, "http://127.0.0.1:1")
        XCTAssertEqual(
            Settings(environment: ["AWS_ENDPOINT_URL": "http://a", "AWS_ENDPOINT_URL_STS": " http://127.0.0.1:2 "]).stsEndpoint,
            "http://127.0.0.1:2")
        XCTAssertTrue(Settings(environment: ["WAYLAND_DISPLAY": "wayland-0"]).canOpenBrowser)
        XCTAssertFalse(Settings(environment: ["DISPLAY": ""]).canOpenBrowser, "an empty DISPLAY is no display")
        XCTAssertTrue(Settings(environment: ["LEAPP_BROWSER_HEADLESS": "yes"]).canOpenBrowser)
        XCTAssertEqual(Settings(environment: ["LEAPP_BROWSER_TIMEOUT": "2m"]).browserTimeout, 120)
        XCTAssertNil(Settings(environment: ["LEAPP_ONELOGIN_CLIENT_ID": "only the id"]).oneLoginClient)
        XCTAssertEqual(Settings(environment: [:]).oneLoginRegion, "us")
    }
}

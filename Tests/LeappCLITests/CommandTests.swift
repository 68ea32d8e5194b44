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
    var output: Captured!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        (context, output) = AppContext.forTests(root: root)
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

    /// `-q` silences every confirmation, a deletion's included; data output stays.
    func testQuietSilencesConfirmationsButNotData() throws {
        try run(["idp-url", "create", "--name", "acme", "--provider", "generic", "--url", "https://sso.example.com/saml"])
        XCTAssertTrue(output.stdout.contains("acme"), output.stdout)
        output.stdout = ""
        try run(["-q", "idp-url", "list", "--format", "json"])
        XCTAssertTrue(output.stdout.contains("\"acme\""), "a list is data: \(output.stdout)")
        output.stdout = ""
        let secrets = MemorySecrets()
        context.secrets = secrets  // a deletion drops the IdP URL's records
        let id = try XCTUnwrap(context.loadConfig().idpUrls.first?.id)
        try run(["-q", "idp-url", "delete", "acme"])
        XCTAssertEqual(output.stdout, "")
        XCTAssertEqual(output.stderr, "")
        XCTAssertEqual(try context.loadConfig().idpUrls.count, 0)
        XCTAssertTrue(secrets.deleted.contains("idp-session/\(id)"), "\(secrets.deleted)")
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

/// The shapes of ArgumentParser's messages that leapp's one-line usage errors and its
/// did-you-mean read (Main.exitWithUsageError, DidYouMean): a new ArgumentParser release that
/// rewords them fails here instead of in front of a user.
final class ArgumentParserShapesTests: XCTestCase {
    func error(_ args: [String]) -> Error? {
        do {
            _ = try Leapp.parseAsRoot(args)
            return nil
        } catch { return error }
    }

    func testTheMessagesLeappReads() throws {
        // An unknown option is named between single quotes (DidYouMean takes the word from them).
        let unknown = try XCTUnwrap(error(["session", "start", "--forse"]))
        XCTAssertTrue(Leapp.message(for: unknown).hasPrefix("Unknown option '--forse'"), Leapp.message(for: unknown))
        XCTAssertEqual(DidYouMean.suggestion(forMessage: Leapp.message(for: unknown), args: ["session", "start", "--forse"]), "--force")
        // The full message names the help to read as: See 'COMMAND --help'.
        XCTAssertTrue(Leapp.fullMessage(for: unknown).contains("See 'leapp session start --help'"), Leapp.fullMessage(for: unknown))
        // An unexpected word is quoted the same way, and a mistyped subcommand is found from it.
        let word = try XCTUnwrap(error(["sesion", "list"]))
        XCTAssertTrue(Leapp.message(for: word).contains("'sesion'"), Leapp.message(for: word))
        XCTAssertEqual(DidYouMean.suggestion(forMessage: Leapp.message(for: word), args: ["sesion", "list"]), "session")
        // A bad value carries a "Help:" line whose last two-space column says what the option is for.
        let value = try XCTUnwrap(error(["session", "add", "--duration", "soon"]))
        let help = Leapp.fullMessage(for: value).split(separator: "\n").first { $0.hasPrefix("Help:") }
        XCTAssertNotNil(help, Leapp.fullMessage(for: value))
        XCTAssertTrue(help?.contains("  Session length") == true, "\(help ?? "")")
        // A validate() error keeps its text and exits 64.
        let both = try XCTUnwrap(error(["session", "start", "dev", "--all-of-idp-url", "acme"]))
        XCTAssertEqual(Leapp.message(for: both), "give an alias or --all-of-idp-url, not both")
        XCTAssertEqual(Leapp.exitCode(for: both).rawValue, 64)
    }
}

/// Every global flag the line extractor takes is listed in the top-level help.
final class GlobalHelpTests: XCTestCase {
    func testEveryGlobalFlagIsInTheTopLevelHelp() {
        let help = Leapp.helpMessage(columns: 200)
        for flag in GlobalOptions.flags { XCTAssertTrue(help.contains(flag), flag) }
    }
}

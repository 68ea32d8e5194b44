import ArgumentParser
import XCTest

@testable import leapp

/// The fast path answers the commands shells and the AWS CLI run most without ArgumentParser's
/// command tree. It must mean exactly what the parser means: for every shape it takes, both
/// build the same command value; every shape it declines still parses (or fails) as before.
final class FastPathTests: XCTestCase {
    /// A command value as text: its type and every field, so that any drift shows.
    func describe(_ command: Any) -> String {
        switch command {
        case let c as Env: return "env session=\(c.session ?? "-") shell=\(c.shell?.name ?? "-") unset=\(c.unset) \(describe(c.global))"
        case let c as CredentialProcess: return "credential-process session=\(c.session) \(describe(c.global))"
        case let c as Hook: return "hook shell=\(c.shell) \(describe(c.global))"
        case let c as HookEnv:
            return
                "hook-env shell=\(c.shell.name) marker=\(c.marker ?? "-") session=\(c.session ?? "-") refresh=\(c.refresh) \(describe(c.global))"
        case let g as GlobalOptions: return "verbose=\(g.verbose) noInteractive=\(g.noInteractive) quiet=\(g.quiet) noColor=\(g.noColor)"
        default: return "other \(type(of: command))"
        }
    }

    func fast(_ args: [String]) -> String? {
        switch FastPath.command(args) {
        case .none: return nil
        case .version: return "version"
        case .hook(let c): return describe(c)
        case .env(let c): return describe(c)
        case .credentialProcess(let c): return describe(c)
        case .hookEnv(let c): return describe(c)
        }
    }

    func parsed(_ args: [String]) throws -> String { describe(try Leapp.parseAsRoot(args)) }

    func testEveryFastShapeMeansWhatTheParserMeans() throws {
        let shapes: [[String]] = [
            ["hook", "bash"], ["hook", "zsh"], ["hook", "fish"],
            ["env", "dev"], ["env", "dev", "--shell", "fish"], ["env", "--shell", "zsh", "dev"], ["env", "a.b@c+d", "--shell", "json"],
            ["env", "dev", "--shell", "dotenv"],
            ["credential-process", "dev"], ["credential-process", "prod-admin"],
            ["hook-env", "--shell", "bash", "--marker", "/p/.leapp-session"],
            ["hook-env", "--shell", "fish", "--session", "dev", "--refresh"],
            ["hook-env", "--refresh", "--shell", "zsh", "--marker", "/a b/.leapp-session", "--session", "x"],
        ]
        for args in shapes {
            let viaFastPath = try XCTUnwrap(fast(args), "the fast path should take \(args)")
            XCTAssertEqual(viaFastPath, try parsed(args), "\(args)")
        }
        XCTAssertEqual(fast(["--version"]), "version")
    }

    func testShapesTheFastPathDeclinesGoToTheParser() {
        let declined: [[String]] = [
            ["hook"], ["hook", "tcsh"], ["hook", "bash", "extra"], ["env"], ["env", "dev", "--shell", "tcsh"], ["env", "dev", "--unset"],
            ["env", "--help"], ["credential-process"], ["credential-process", "dev", "--verbose"], ["credential-process", "a", "b"],
            ["hook-env", "--marker", "/m"], ["hook-env", "--shell", "bash", "positional"], ["--version", "x"], ["session", "list"],
        ]
        for args in declined { XCTAssertNil(fast(args), "\(args)") }
    }

    func testGlobalFlagsAreTakenOutForBothPaths() {
        let context = AppContext(environment: [:])
        let rest = GlobalOptions.extract(["--verbose", "env", "dev", "--no-interactive", "-q", "--", "--verbose", "-q"], into: context)
        XCTAssertEqual(rest, ["env", "dev", "--", "--verbose", "-q"])
        XCTAssertTrue(context.verbose)
        XCTAssertFalse(context.allowPrompts)
        XCTAssertTrue(context.quiet)
        let quiet = AppContext(environment: ["LEAPP_VERBOSE": "1"])
        XCTAssertEqual(GlobalOptions.extract(["credential-process", "dev"], into: quiet), ["credential-process", "dev"])
        XCTAssertTrue(quiet.verbose, "LEAPP_VERBOSE counts on every path")
    }
}

import ArgumentParser
import LeappCore
import XCTest

@testable import LeappCore
@testable import leapp

/// One renderer for every list: formats, columns, sorting with absent values, quoting.
final class ListOutputTests: XCTestCase {
    let table = ListTable(
        columns: [
            ListColumn(key: "alias", header: "ALIAS"), ListColumn(key: "left", header: "LEFT"),
            ListColumn(key: "secondsLeft", header: "SECONDS", inTable: false, aliases: ["seconds left"]),
        ],
        rows: [
            ["alias": "b", "left": "1h", "secondsLeft": .number(3600)],
            ["alias": "a,\"x\"", "left": .null, "secondsLeft": .null],
            ["alias": "c", "left": "5m", "secondsLeft": .number(300)],
        ],
        empty: "nothing")

    func options(_ args: [String]) throws -> ListOptions { try ListOptions.parse(args) }

    func testSortingPutsAbsentValuesLastEitherWay() throws {
        let up = try table.render(options(["--output", "csv", "--columns", "alias", "--sort", "secondsLeft", "--no-header"]))
        XCTAssertEqual(up, "c\nb\n\"a,\"\"x\"\"\"\n")
        let down = try table.render(options(["--output", "csv", "--columns", "alias", "--sort", "-Seconds Left", "--no-header"]))
        XCTAssertEqual(down, "b\nc\n\"a,\"\"x\"\"\"\n", "a column by its alias, descending; null still last")
    }

    func testJSONKeepsTypesAndTheTableItsDefaultColumns() throws {
        let json = try table.render(options(["--format", "json", "--columns", "alias,secondsLeft"]))
        XCTAssertTrue(json.contains("\"secondsLeft\" : 3600") && json.contains("\"secondsLeft\" : null"), json)
        let text = try table.render(options([]))
        XCTAssertEqual(text.split(separator: "\n").first.map(String.init), "ALIAS  LEFT")
        XCTAssertTrue(text.contains("a,\"x\"  -"), "absent shows as -")
        XCTAssertEqual(try ListTable(columns: table.columns, rows: [], empty: "nothing").render(options([])), "nothing\n")
    }

    func testUnknownColumnsAreNamed() throws {
        XCTAssertThrowsError(try table.render(options(["--sort", "colour"]))) {
            XCTAssertEqual(($0 as? LeappError)?.message, "unknown column 'colour'")
        }
    }

    func testDidYouMeanIsCloseOrAUniquePrefix() {
        XCTAssertEqual(Nearest.word("strat", in: ["start", "stop", "status"]), "start")
        XCTAssertEqual(Nearest.word("--forse", in: ["--force", "--format"]), "--force")
        XCTAssertEqual(Nearest.word("sess", in: ["session", "exec"]), "session")
        XCTAssertNil(Nearest.word("banana", in: ["start", "stop"]))
        XCTAssertEqual(Nearest.distance("ab", "ba"), 1, "a transposition is one edit")
    }
}

/// YAML output stays a valid document and shows no escape sequence, whatever a value holds.
final class YAMLOutputTests: XCTestCase {
    func testEveryCharacterYAMLDoesNotAllowIsEscaped() {
        XCTAssertEqual(ListTable.yamlString("a\u{7F}b\u{9B}c\u{1B}d\u{85}"), "\"a\\x7Fb\\x9Bc\\x1Bd\\x85\"")
        XCTAssertEqual(ListTable.yamlString("q\"b\\n\n\u{202E}\u{FFFF}"), "\"q\\\"b\\\\n\\n\\u202E\\uFFFF\"")
        XCTAssertEqual(ListTable.yamlString("日本 ✓"), "\"日本 ✓\"")
        XCTAssertEqual(ListTable.yaml(.array(["x\u{1B}", .number(3), .null])), "[\"x\\x1B\", 3, null]")
    }
}

import ArgumentParser
import LeappCore

enum ListFormat: String, ExpressibleByArgumentCase {
    case table, json, csv, yaml
}

/// The output options every list shares: `session list`, `idp-url list`, `profile list`,
/// `idp-url roles`.
struct ListOptions: ParsableArguments {
    @Option(help: "Output format: table, json, csv or yaml.") var output: ListFormat?
    @Option(help: "Same as --output.") var format: ListFormat?
    @Option(help: "Only these columns, in this order (comma-separated names).", completion: Completions.columns) var columns: String?
    @Flag(help: "Leave out the header line (table, csv).") var noHeader = false
    @Option(parsing: .unconditional, help: "Sort by a column; -COLUMN sorts descending.", completion: Completions.columns)
    var sort: String?
}

/// One column of a list: its key (JSON, csv and yaml use it), its table header, and whether
/// the table shows it when no --columns is given.
struct ListColumn {
    let key: String
    let header: String
    var inTable = true
    /// Other names people use for it (Leapp's "Named Profile", "Role ARN"...).
    var aliases: [String] = []
}

/// A list as typed values, rendered in the format asked for. JSON keeps the types (numbers,
/// `null`); table, csv and yaml show the same values as text.
struct ListTable {
    let columns: [ListColumn]
    var rows: [[String: JSONValue]]
    /// What the table says when there are no rows.
    let empty: String

    func column(_ name: String) throws -> ListColumn {
        let wanted = name.lowercased().filter { $0.isLetter || $0.isNumber }
        func squash(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        if let c = columns.first(where: {
            squash($0.key) == wanted || squash($0.header) == wanted || $0.aliases.map(squash).contains(wanted)
        }) {
            return c
        }
        throw LeappError(
            .usage, "unknown column '\(Validation.printable(name))'", hint: "columns: " + columns.map(\.key).joined(separator: ", "))
    }

    func render(_ options: ListOptions) throws -> String {
        var rows = self.rows
        if var key = options.sort {
            let descending = key.hasPrefix("-")
            if descending { key.removeFirst() }
            let column = try column(key).key
            let first = columns[0].key
            rows.sort { a, b in
                let (x, y) = (a[column] ?? .null, b[column] ?? .null)
                // Absent values go last whichever the direction.
                if (x == .null) != (y == .null) { return y == .null }
                let order = Self.compare(x, y)
                if order != 0 { return descending ? order > 0 : order < 0 }
                return Self.compare(a[first] ?? .null, b[first] ?? .null) < 0
            }
        }
        let format = options.output ?? options.format ?? .table
        let chosen: [ListColumn]
        if let names = options.columns {
            chosen = try names.split(separator: ",").map { try column(String($0).trimmed) }
        } else {
            chosen = format == .table ? columns.filter(\.inTable) : columns
        }
        switch format {
        case .json:
            return renderJSON(
                .array(rows.map { row in .object(Dictionary(uniqueKeysWithValues: chosen.map { ($0.key, row[$0.key] ?? .null) })) }))
        case .csv:
            let lines = rows.map { row in chosen.map { Self.csv(Self.text(row[$0.key])) }.joined(separator: ",") }
            return ((options.noHeader ? [] : [chosen.map(\.key).joined(separator: ",")]) + lines).map { $0 + "\n" }.joined()
        case .yaml:
            if rows.isEmpty { return "[]\n" }
            return rows.map { row in
                chosen.enumerated().map { i, c in (i == 0 ? "- " : "  ") + "\(c.key): " + Self.yaml(row[c.key] ?? .null) }
                    .joined(separator: "\n")
            }.joined(separator: "\n") + "\n"
        case .table:
            if rows.isEmpty { return empty + "\n" }
            let body = rows.map { row in chosen.map { Self.text(row[$0.key], empty: "-") } }
            let text = renderTable(chosen.map(\.header), body)
            return options.noHeader ? String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).last ?? "") : text
        }
    }

    /// A value as table or csv text.
    static func text(_ value: JSONValue?, empty: String = "") -> String {
        switch value ?? .null {
        case .null: return empty
        case .string(let s): return s.isEmpty ? empty : s
        case .number, .bool: return value?.string ?? ""
        case .array(let items): return items.isEmpty ? empty : items.map { text($0) }.joined(separator: ", ")
        case .object: return "{...}"
        }
    }

    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1  // absent values last
        case (_, .null): return -1
        case (.number(let x), .number(let y)): return x < y ? -1 : x > y ? 1 : 0
        default:
            let (x, y) = (text(a), text(b))
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    static func csv(_ v: String) -> String {
        v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + v.replacing("\"", with: "\"\"") + "\"" : v
    }

    /// A YAML flow value: numbers, booleans and null as JSON writes them; strings double-quoted
    /// with every character YAML does not allow printed (C0, DEL, C1, U+FFFE/U+FFFF) and the
    /// bidirectional overrides escaped, so the document stays valid and shows no escape sequence.
    static func yaml(_ v: JSONValue) -> String {
        switch v {
        case .string(let text): return yamlString(text)
        case .array(let items): return "[" + items.map(yaml).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.sorted { $0.key < $1.key }.map { yamlString($0.key) + ": " + yaml($0.value) }.joined(separator: ", ") + "}"
        default:
            let doc: [String: JSONValue] = ["v": v]
            return String(doc.jsonText.dropFirst(5).dropLast())
        }
    }

    static func yamlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                let v = scalar.value
                if TerminalText.isUnsafe(scalar) || v == 0xFFFE || v == 0xFFFF {
                    let hex = String(v, radix: 16, uppercase: true)
                    out +=
                        v <= 0xFF
                        ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

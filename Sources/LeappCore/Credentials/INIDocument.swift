/// Edits sections of an AWS INI file (credentials or config) as bytes: every line leapp
/// does not touch keeps its exact bytes and its own line ending (LF, CRLF, a lone CR inside
/// a line, no final newline), and text that is not UTF-8 passes through unchanged.
///
/// Lines are read the way botocore's parser (Python's configparser) reads them: a line
/// indented deeper than the key before it continues that key's value (a nested `s3 =`
/// block), while an indented line with no key before it in the section is a key itself.
public struct INIDocument {
    struct Line {
        var content: [UInt8]
        /// "\n", "\r\n", or empty for a last line without a newline.
        var ending: [UInt8]
    }

    enum Kind: Equatable {
        case blank, comment, continuation, other
        case header(String)
        case key(String)
    }

    private(set) var lines: [Line]
    private var kinds: [Kind]
    /// The line ending new lines get: the file's first one, else LF.
    private let newline: [UInt8]

    public init(_ bytes: [UInt8]) {
        var parsed: [Line] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            var content = Array(bytes[start..<i])
            var ending: [UInt8] = [0x0A]
            if content.last == 0x0D {
                content.removeLast()
                ending = [0x0D, 0x0A]
            }
            parsed.append(Line(content: content, ending: ending))
            start = i + 1
        }
        if start < bytes.count { parsed.append(Line(content: Array(bytes[start...]), ending: [])) }
        lines = parsed
        newline = parsed.first(where: { !$0.ending.isEmpty })?.ending ?? [0x0A]
        kinds = []
        reclassify()
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    public var bytes: [UInt8] { lines.flatMap { $0.content + $0.ending } }
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Reading

    private mutating func reclassify() {
        kinds = []
        kinds.reserveCapacity(lines.count)
        var keyIndent: Int?  // indentation of the current key, when a value may continue
        for line in lines {
            let indent = line.content.prefix { $0 == 0x20 || $0 == 0x09 }.count
            let body = Self.trim(line.content)
            if body.isEmpty {
                kinds.append(.blank)
            } else if body.first == UInt8(ascii: "#") || body.first == UInt8(ascii: ";") {
                kinds.append(.comment)
            } else if let k = keyIndent, indent > k {
                kinds.append(.continuation)
            } else if body.first == UInt8(ascii: "["), let close = body.lastIndex(of: UInt8(ascii: "]")) {
                kinds.append(.header(String(decoding: Self.trim(Array(body[1..<close])), as: UTF8.self)))
                keyIndent = nil
            } else if let eq = body.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) {
                kinds.append(.key(String(decoding: Self.trim(Array(body[..<eq])), as: UTF8.self)))
                keyIndent = indent
            } else {
                kinds.append(.other)
            }
        }
    }

    static func trim(_ bytes: [UInt8]) -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(bytes[first...last])
    }

    /// Lines of a section, header included; it ends at the next header.
    func range(of section: String) -> Range<Int>? {
        guard let start = kinds.firstIndex(of: .header(section)) else { return nil }
        var end = start + 1
        while end < kinds.count {
            if case .header = kinds[end] { break }
            end += 1
        }
        return start..<end
    }

    /// The section names, in order.
    public var sections: [String] {
        kinds.compactMap { if case .header(let name) = $0 { return name } else { return nil } }
    }

    /// Lines the AWS CLI (botocore's configparser) would refuse, by 1-based line number: a
    /// line that is neither a section, a key, a comment nor a continuation, and a key before
    /// any section.
    public var problems: [(line: Int, what: String)] {
        var seenHeader = false
        var found: [(Int, String)] = []
        for (i, kind) in kinds.enumerated() {
            switch kind {
            case .header: seenHeader = true
            case .key where !seenHeader: found.append((i + 1, "a key before any [section]"))
            case .other: found.append((i + 1, "neither a [section] nor key = value"))
            default: break
            }
        }
        return found
    }

    /// The section's keys and values, in order (a value's continuation lines are not included).
    public func entries(in section: String) -> [(key: String, value: String)] {
        guard let r = range(of: section) else { return [] }
        return r.compactMap { i in
            guard case .key(let k) = kinds[i] else { return nil }
            return (k, value(ofLine: i))
        }
    }

    public func value(_ key: String, in section: String) -> String? {
        entries(in: section).first { $0.key == key }?.value
    }

    private func value(ofLine i: Int) -> String {
        let body = Self.trim(lines[i].content)
        guard let eq = body.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") }) else { return "" }
        return String(decoding: Self.trim(Array(body[(eq + 1)...])), as: UTF8.self)
    }

    /// The exact bytes of a section, header to the line before the next header.
    public func sectionBytes(_ section: String) -> [UInt8]? {
        range(of: section).map { r in lines[r].flatMap { $0.content + $0.ending } }
    }

    // MARK: Writing

    private func line(_ text: String) -> Line { Line(content: Array(text.utf8), ending: newline) }

    /// Lines of a key: its own line and the continuation lines that follow it.
    private func keyLines(at i: Int) -> Range<Int> {
        var end = i + 1
        while end < kinds.count, kinds[end] == .continuation { end += 1 }
        return i..<end
    }

    /// Sets keys in a section, replacing existing lines in place and adding new keys after
    /// the section's last non-blank line; a missing section is added at the end of the file.
    /// Returns what had to be added around a new section (so that removing it can undo that).
    @discardableResult
    public mutating func set(_ pairs: [(String, String)], in section: String) -> AppendedSection? {
        guard let r = range(of: section) else {
            var appended = AppendedSection()
            if let last = lines.indices.last {
                if lines[last].ending.isEmpty {
                    lines[last].ending = newline
                    appended.addedFinalNewline = true
                }
                if !Self.trim(lines[last].content).isEmpty {
                    lines.append(line(""))
                    appended.addedSeparator = true
                }
            }
            lines.append(line("[\(section)]"))
            lines.append(contentsOf: pairs.map { line("\($0.0) = \($0.1)") })
            reclassify()
            return appended
        }
        var pending = pairs
        var i = r.upperBound - 1
        while i > r.lowerBound {
            if case .key(let k) = kinds[i], let p = pending.firstIndex(where: { $0.0 == k }) {
                let pair = pending.remove(at: p)
                lines.replaceSubrange(
                    keyLines(at: i),
                    with: [Line(content: Array("\(pair.0) = \(pair.1)".utf8), ending: lines[i].ending.isEmpty ? newline : lines[i].ending)])
            }
            i -= 1
        }
        reclassify()
        if !pending.isEmpty, let r = range(of: section) {
            var at = r.upperBound
            while at > r.lowerBound + 1, kinds[at - 1] == .blank || kinds[at - 1] == .comment { at -= 1 }
            if at > 0, lines[at - 1].ending.isEmpty { lines[at - 1].ending = newline }
            lines.insert(contentsOf: pending.map { line("\($0.0) = \($0.1)") }, at: at)
            reclassify()
        }
        return nil
    }

    /// Removes keys (with their continuation lines) from a section.
    public mutating func remove(_ keys: Set<String>, from section: String) {
        guard let r = range(of: section) else { return }
        var i = r.upperBound - 1
        while i > r.lowerBound {
            if case .key(let k) = kinds[i], keys.contains(k) { lines.removeSubrange(keyLines(at: i)) }
            i -= 1
        }
        reclassify()
    }

    /// Whether a section holds nothing but its header, blank lines and comments.
    public func isEmpty(_ section: String) -> Bool {
        guard let r = range(of: section) else { return true }
        return r.dropFirst().allSatisfy { kinds[$0] == .blank }
    }

    /// Removes a whole section, undoing what `set` added around it when it was created.
    public mutating func removeSection(_ section: String, appended: AppendedSection? = nil) {
        guard let r = range(of: section) else { return }
        let atEnd = r.upperBound == lines.count
        lines.removeSubrange(r)
        if let appended {
            if appended.addedSeparator, r.lowerBound > 0, r.lowerBound == lines.count, Self.trim(lines[r.lowerBound - 1].content).isEmpty {
                lines.remove(at: r.lowerBound - 1)
            }
            if appended.addedFinalNewline, atEnd, let last = lines.indices.last { lines[last].ending = [] }
        }
        reclassify()
    }

    /// Puts a section's saved bytes back in place of the current section (or at the end).
    public mutating func restoreSection(_ section: String, bytes saved: [UInt8]) {
        let restored = INIDocument(saved).lines
        if let r = range(of: section) {
            lines.replaceSubrange(r, with: restored)
        } else {
            if let last = lines.indices.last, lines[last].ending.isEmpty { lines[last].ending = newline }
            lines.append(contentsOf: restored)
        }
        reclassify()
    }
}

/// What `INIDocument.set` added around a section it created at the end of the file.
public struct AppendedSection: Codable, Equatable, Sendable {
    public var addedSeparator = false
    public var addedFinalNewline = false
    public init() {}
}

/// Edits one section of an AWS INI file (credentials or config) and keeps every other
/// byte as it was: comments, other profiles, their order and the file's line endings.
public struct INIDocument {
    private var lines: [Substring]
    private let newline: String

    public init(_ text: String) {
        newline = text.contains("\r\n") ? "\r\n" : "\n"
        // Split by scalars: "\r\n" is a single Character.
        var parts = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Substring(String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0))) }
        if parts.last == "" { parts.removeLast() }
        lines = parts
    }

    public var text: String {
        if lines.isEmpty { return "" }
        return lines.joined(separator: newline) + newline
    }

    static func sectionName(_ line: Substring) -> String? {
        let t = line.trimmed
        guard t.hasPrefix("["), let close = t.lastIndex(of: "]") else { return nil }
        return String(t[t.index(after: t.startIndex)..<close]).trimmed
    }

    static func key(_ line: Substring) -> String? {
        let t = line.trimmed
        guard !t.hasPrefix("#"), !t.hasPrefix(";"), !t.hasPrefix("["), let eq = t.firstIndex(of: "=") else { return nil }
        if line.first == " " || line.first == "\t" { return nil } // continuation of a nested value
        return String(t[..<eq]).trimmed
    }

    /// Range of the section's lines, header included; the section ends at the next header.
    private func range(of section: String) -> Range<Int>? {
        guard let start = lines.firstIndex(where: { Self.sectionName($0) == section }) else { return nil }
        var end = start + 1
        while end < lines.count, Self.sectionName(lines[end]) == nil { end += 1 }
        return start..<end
    }

    public func value(_ key: String, in section: String) -> String? {
        guard let r = range(of: section) else { return nil }
        for line in lines[r] where Self.key(line) == key {
            let t = line.trimmed
            return String(t[t.index(after: t.firstIndex(of: "=")!)...]).trimmed
        }
        return nil
    }

    public func hasSection(_ section: String) -> Bool { range(of: section) != nil }

    /// Sets keys in a section (creating it at the end), updating existing lines in place,
    /// and removes the keys in `remove`.
    public mutating func set(_ pairs: [(String, String)], in section: String, remove: [String] = []) {
        guard let r = range(of: section) else {
            if let last = lines.last, !last.trimmed.isEmpty { lines.append("") }
            lines.append(Substring("[\(section)]"))
            lines.append(contentsOf: pairs.map { Substring("\($0.0) = \($0.1)") })
            return
        }
        var body = Array(lines[(r.lowerBound + 1)..<r.upperBound])
        var pending = pairs
        body = body.compactMap { line in
            guard let k = Self.key(line) else { return line }
            if remove.contains(k) { return nil }
            if let i = pending.firstIndex(where: { $0.0 == k }) {
                let pair = pending.remove(at: i)
                return Substring("\(pair.0) = \(pair.1)")
            }
            return line
        }
        // New keys go after the last non-blank line of the section.
        var insertAt = body.count
        while insertAt > 0, body[insertAt - 1].trimmed.isEmpty { insertAt -= 1 }
        body.insert(contentsOf: pending.map { Substring("\($0.0) = \($0.1)") }, at: insertAt)
        lines.replaceSubrange((r.lowerBound + 1)..<r.upperBound, with: body)
    }

    /// Removes keys from a section; drops the section when nothing but blank lines is left.
    public mutating func remove(_ keys: [String], from section: String) {
        guard let r = range(of: section) else { return }
        let body = lines[(r.lowerBound + 1)..<r.upperBound].filter { line in
            guard let k = Self.key(line) else { return true }
            return !keys.contains(k)
        }
        if body.allSatisfy({ $0.trimmed.isEmpty }) {
            lines.removeSubrange(r)
            // Keep one blank separator at most where the section was.
            if r.lowerBound > 0, r.lowerBound <= lines.count, lines[r.lowerBound - 1].trimmed.isEmpty,
               r.lowerBound == lines.count || lines[r.lowerBound].trimmed.isEmpty {
                lines.remove(at: r.lowerBound - 1)
            }
        } else {
            lines.replaceSubrange((r.lowerBound + 1)..<r.upperBound, with: body)
        }
    }

    public mutating func removeSection(_ section: String) {
        guard let r = range(of: section) else { return }
        let keys = lines[r].compactMap { Self.key($0) }
        remove(keys, from: section)
        if let r2 = range(of: section) { lines.removeSubrange(r2) }
    }
}

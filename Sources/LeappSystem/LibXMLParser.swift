import CLeappShims
import LeappCore

#if canImport(Glibc)
    import Glibc
#endif

/// The markup port on libxml2. Documents never touch the network, never expand
/// entities and never load a DTD; XML with a DOCTYPE and oversized input are refused.
public struct LibXMLParser: MarkupParser {
    public var maxBytes = 8 * 1024 * 1024

    public init() {}

    public func parseHTML(_ bytes: [UInt8]) throws -> MarkupDocument {
        try parse(bytes, html: true)
    }

    /// XML with a document type declaration is refused. The guarantee is the C shim's check
    /// of the parsed document (no encoding can hide a DTD from it); the byte scan here only
    /// gives the clear message for a plain-text DOCTYPE that libxml2 would fail to parse
    /// anyway. The parse never substitutes entities, loads a DTD or touches the network.
    public func parseXML(_ bytes: [UInt8]) throws -> MarkupDocument {
        if Self.containsDoctype(bytes) { throw LeappError(.markup, Self.doctypeRefusal) }
        return try parse(bytes, html: false)
    }

    static let doctypeRefusal = "XML with a DOCTYPE is refused (entity or DTD tricks are not allowed in SAML or STS answers)"

    /// Whether the bytes spell `<!DOCTYPE` (any case) anywhere, comments included.
    static func containsDoctype(_ bytes: [UInt8]) -> Bool {
        let needle = Array("<!doctype".utf8)
        guard bytes.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == 0x3C {
                var match = true
                for j in 0..<needle.count where (bytes[i + j] | (j >= 2 ? 0x20 : 0)) != needle[j] {
                    match = false
                    break
                }
                if match { return true }
            }
            i += 1
        }
        return false
    }

    private func parse(_ bytes: [UInt8], html: Bool) throws -> MarkupDocument {
        guard bytes.count <= maxBytes else {
            throw LeappError(.markup, "document of \(bytes.count / 1024 / 1024) MiB is larger than the \(maxBytes / 1024 / 1024) MiB limit")
        }
        if bytes.isEmpty {
            if html { return LibXMLDocument(nil) }
            throw LeappError(.markup, "empty XML document")
        }
        var error: UnsafeMutablePointer<CChar>?
        let doc: UnsafeMutableRawPointer? = bytes.withUnsafeBufferPointer { buf in
            let base = UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
            return leapp_xml_parse(base, Int32(buf.count), html ? 1 : 0, &error)
        }
        if let doc { return LibXMLDocument(doc) }
        if html { return LibXMLDocument(nil) }  // An empty page is a page with nothing on it.
        throw LeappError(.markup, takeString(error) ?? "cannot parse XML")
    }
}

final class LibXMLDocument: MarkupDocument {
    private let doc: UnsafeMutableRawPointer?
    private var nodes: [UnsafeMutableRawPointer] = []

    init(_ doc: UnsafeMutableRawPointer?) { self.doc = doc }
    deinit { if let doc { leapp_xml_free(doc) } }

    func select(_ xpath: String, in node: MarkupNode?) throws -> [MarkupNode] {
        guard let doc else { return [] }
        var out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        let context = node.map { nodes[$0.handle] }
        let count = xpath.withCString { leapp_xml_xpath(doc, context, $0, &out) }
        defer { leapp_free(out) }
        guard count != -2 else { throw LeappError(.markup, "out of memory evaluating \(xpath)") }
        guard count >= 0 else { throw LeappError(.markup, "bad XPath expression \(xpath)") }
        var result: [MarkupNode] = []
        result.reserveCapacity(Int(count))
        for i in 0..<Int(count) {
            guard let raw = out?[i] else { continue }
            nodes.append(raw)
            var n: Int32 = 0
            var attributes: [String: String] = [:]
            if let attrs = leapp_xml_node_attributes(raw, &n) {
                var p = UnsafePointer(attrs)
                for _ in 0..<n {
                    let name = String(cString: p)
                    p += strlen(p) + 1
                    let value = String(cString: p)
                    p += strlen(p) + 1
                    attributes[name] = value
                }
                leapp_free(attrs)
            }
            let text = takeString(leapp_xml_node_text(raw)) ?? ""
            result.append(
                MarkupNode(
                    handle: nodes.count - 1, name: String(cString: leapp_xml_node_name(raw)),
                    attributes: attributes, text: text))
        }
        return result
    }
}

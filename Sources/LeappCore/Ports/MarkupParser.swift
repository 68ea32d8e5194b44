public struct MarkupNode: Sendable {
    public let handle: Int
    public let name: String
    public let attributes: [String: String]
    public let text: String

    public init(handle: Int, name: String, attributes: [String: String], text: String) {
        self.handle = handle
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public subscript(attribute: String) -> String? { attributes[attribute] }
}

public protocol MarkupDocument: AnyObject {
    /// Nodes matching an XPath, relative to `node` when given.
    func select(_ xpath: String, in node: MarkupNode?) throws -> [MarkupNode]
}

extension MarkupDocument {
    public func select(_ xpath: String) throws -> [MarkupNode] { try select(xpath, in: nil) }
    public func first(_ xpath: String, in node: MarkupNode? = nil) throws -> MarkupNode? {
        try select(xpath, in: node).first
    }
}

public protocol MarkupParser {
    func parseHTML(_ bytes: [UInt8]) throws -> MarkupDocument
    /// Parses XML with no network, no entity expansion and no DTD; refuses a DOCTYPE.
    func parseXML(_ bytes: [UInt8]) throws -> MarkupDocument
}

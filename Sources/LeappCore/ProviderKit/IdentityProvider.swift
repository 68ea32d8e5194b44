/// An IdP page: the response, its document and forms.
public struct IdPPage {
    public let response: HTTPResponse
    public let document: MarkupDocument
    public let forms: [HTMLForm]
    public var url: String { response.url }
    public var status: Int { response.status }

    public func form(id: String) -> HTMLForm? { forms.first { $0.id == id } }

    /// Text of the first element matching the XPath, cleaned for a one-line message.
    public func text(_ xpath: String) -> String? {
        guard let node = try? document.first(xpath) else { return nil }
        let t = node.text.split(whereSeparator: { $0 == "\n" || $0 == "\t" || $0 == " " }).joined(separator: " ")
        return t.isEmpty ? nil : Validation.printable(t, limit: 160)
    }
}

/// One provider's login: from the SAML URL to the SAMLResponse.
public protocol IdentityProvider {
    func login(_ context: LoginContext) throws -> SAMLResponseForm
}

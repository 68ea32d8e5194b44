/// The AWS SAML sign-in page (`https://signin.aws.amazon.com/saml`): what a browser shows after
/// the IdP posts the SAMLResponse there and the assertion offers more than one role. Each account
/// has a heading, `<div class="saml-account-name">`, whose text is `Account: NAME (ID)`, or
/// `Account: ID` for an account without an alias; its roles follow as radio buttons
/// (`input.saml-radio`, name `roleIndex`, value the role ARN). Only the headings are read.
public enum AWSSignInPage {
    /// Account id -> name for the accounts the page names. Throws when the page has none of the
    /// headings (AWS changed it, or answered with something else). A name outside the characters
    /// an account alias or name uses is left out, so nothing foreign reaches a terminal or an alias.
    public static func accountNames(_ doc: MarkupDocument) throws -> [String: String] {
        let headings = try doc.select("//*[contains(concat(' ', normalize-space(@class), ' '), ' saml-account-name ')]")
        guard !headings.isEmpty else {
            throw LeappError(.saml, "the AWS sign-in page has no account headings (saml-account-name): its markup changed")
        }
        var names: [String: String] = [:]
        for heading in headings {
            guard let (id, name) = parse(heading.text), let name else { continue }
            names[id] = name
        }
        return names
    }

    /// `Account: NAME (ID)` -> (ID, NAME); `Account: ID` -> (ID, nil).
    static func parse(_ text: String) -> (String, String?)? {
        var rest = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if rest.hasPrefix("Account:") { rest = String(rest.dropFirst("Account:".count)).trimmed }
        func isID(_ s: Substring) -> Bool { s.count == 12 && s.allSatisfy { $0.isASCII && $0.isNumber } }
        if isID(Substring(rest)) { return (rest, nil) }
        guard rest.hasSuffix(")"), let open = rest.lastIndex(of: "(") else { return nil }
        let id = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
        let name = rest[..<open].trimmed
        guard isID(id) else { return nil }
        return (String(id), isSafeName(name) ? name : nil)
    }

    /// Letters, digits, spaces and `-_.@+()`, at most 100 characters.
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || " -_.@+()".contains($0) }
    }
}

/// A role the assertion offers: the role and the SAML provider that may assume it.
public struct OfferedRole: Equatable, Hashable, Sendable {
    public let roleArn: String
    public let principalArn: String

    public init(roleArn: String, principalArn: String) {
        self.roleArn = roleArn
        self.principalArn = principalArn
    }
}

/// What leapp reads from a SAMLResponse before calling STS.
public struct SAMLAssertion: Sendable {
    public static let roleAttribute = "https://aws.amazon.com/SAML/Attributes/Role"
    public static let sessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
    public static let durationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration"

    /// The base64 SAMLResponse as posted.
    public let encoded: String
    public let roles: [OfferedRole]
    public let roleSessionName: String?
    public let sessionDuration: Int?
    public let notOnOrAfter: Date?
    public let destination: String?
    /// Whether the assertion is encrypted (roles cannot be read client-side).
    public let isEncrypted: Bool

    public init(encoded: String, parser: MarkupParser) throws {
        guard encoded.utf8.count <= SAMLPage.maxEncodedSize else {
            throw LeappError(.saml, "the SAMLResponse is larger than \(SAMLPage.maxEncodedSize / 1024 / 1024) MiB")
        }
        guard let xml = Base64.decode(encoded), !xml.isEmpty else {
            throw LeappError(.saml, "the SAMLResponse is not valid base64")
        }
        let doc: MarkupDocument
        do { doc = try parser.parseXML(xml) } catch let e as LeappError {
            throw LeappError(.saml, "the SAMLResponse is not a usable XML document (\(e.message))")
        }
        guard let root = try doc.first("/*"), root.name == "Response" else {
            throw LeappError(.saml, "the SAMLResponse is not a SAML 2.0 Response")
        }
        if let status = try doc.first("/*/*[local-name()='Status']/*[local-name()='StatusCode']"),
            let value = status["Value"], !value.hasSuffix(":Success")
        {
            let code = value.split(separator: ":").last.map(String.init) ?? value
            throw LeappError(
                .saml, "the IdP answered with SAML status \(Validation.printable(code))",
                hint: "the IdP refused to issue an assertion for this user")
        }
        self.encoded = encoded
        self.destination = root["Destination"]
        self.isEncrypted = try doc.first("//*[local-name()='EncryptedAssertion']") != nil
        func values(_ attribute: String) throws -> [String] {
            try doc.select("//*[local-name()='Attribute'][@Name='\(attribute)']/*[local-name()='AttributeValue']").map { $0.text.trimmed }
        }
        var seen = Set<OfferedRole>()
        var roles: [OfferedRole] = []
        for value in try values(Self.roleAttribute) {
            guard let role = Self.parseRole(value), seen.insert(role).inserted else { continue }
            roles.append(role)
        }
        self.roles = roles
        self.roleSessionName = try values(Self.sessionNameAttribute).first
        self.sessionDuration = try values(Self.durationAttribute).first.flatMap { Int($0) }
        let conditions = try doc.first("//*[local-name()='Assertion']/*[local-name()='Conditions']")
        self.notOnOrAfter = conditions?["NotOnOrAfter"].flatMap(RFC3339.parse)
    }

    /// "role,provider" in either order.
    static func parseRole(_ value: String) -> OfferedRole? {
        let parts = value.split(separator: ",").map { $0.trimmed }
        guard parts.count == 2 else { return nil }
        let isRole = { (s: String) in (try? IAMARN(parsing: s, expecting: .role)) != nil }
        let isProvider = { (s: String) in (try? IAMARN(parsing: s, expecting: .samlProvider)) != nil }
        if isRole(parts[0]), isProvider(parts[1]) { return OfferedRole(roleArn: parts[0], principalArn: parts[1]) }
        if isRole(parts[1]), isProvider(parts[0]) { return OfferedRole(roleArn: parts[1], principalArn: parts[0]) }
        return nil
    }
}

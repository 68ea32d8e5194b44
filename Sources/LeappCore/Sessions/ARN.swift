/// An IAM ARN of the two kinds a federated session names.
public struct IAMARN: Equatable, Sendable {
    public enum ResourceType: String, Sendable {
        case role
        case samlProvider = "saml-provider"
    }
    public let partition: Partition
    public let account: String
    public let type: ResourceType
    /// Role path plus name, or the SAML provider's name.
    public let resource: String

    public var name: String { String(resource.split(separator: "/").last ?? "") }
    public var text: String { "arn:\(partition.rawValue):iam::\(account):\(type.rawValue)/\(resource)" }

    private static let nameChars = ASCIISet(String.asciiLetters + String.asciiDigits + "+=,.@_-")

    public init(parsing text: String, expecting type: ResourceType) throws {
        let what = type == .role ? "role ARN" : "IdP ARN"
        let shape = type == .role ? "arn:aws:iam::123456789012:role/NAME" : "arn:aws:iam::123456789012:saml-provider/NAME"
        func bad(_ why: String) -> LeappError {
            LeappError(.validation, "invalid \(what) '\(Validation.printable(text))': \(why)", hint: "expected \(shape)")
        }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { throw bad("not an ARN") }
        guard let partition = Partition(rawValue: String(parts[1])) else {
            throw bad("unknown partition '\(Validation.printable(String(parts[1])))'")
        }
        guard parts[2] == "iam" else { throw bad("not an IAM ARN") }
        guard parts[3].isEmpty else { throw bad("IAM ARNs have no region") }
        let account = String(parts[4])
        guard account.count == 12, account.consists(of: String.digitSet) else { throw bad("account must be 12 digits") }
        let resource = parts[5]
        guard resource.hasPrefix(type.rawValue + "/") else { throw bad("resource must start with '\(type.rawValue)/'") }
        let rest = String(resource.dropFirst(type.rawValue.count + 1))
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard let last = segments.last, !last.isEmpty else { throw bad("missing name") }
        if type == .samlProvider && segments.count != 1 { throw bad("SAML provider names have no path") }
        for segment in segments.dropLast() where segment.isEmpty || !segment.consists(of: Self.nameChars) {
            throw bad("bad path")
        }
        guard last.count <= (type == .role ? 64 : 128), last.consists(of: Self.nameChars) else {
            throw bad("name has characters outside [A-Za-z0-9+=,.@_-] or is too long")
        }
        self.partition = partition
        self.account = account
        self.type = type
        self.resource = rest
    }
}

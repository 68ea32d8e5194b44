/// Temporary credentials from STS, as cached in the keyring.
public struct AWSCredentials: Codable, Equatable, Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var expiration: Date
    /// The assumed-role ARN STS reported.
    public var assumedRoleArn: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiration: Date, assumedRoleArn: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.assumedRoleArn = assumedRoleArn
    }

    public func isValid(at now: Date, margin: TimeInterval) -> Bool {
        expiration.timeIntervalSince(now) > margin
    }

    enum CodingKeys: String, CodingKey { case accessKeyId, secretAccessKey, sessionToken, expiration, assumedRoleArn }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accessKeyId = try c.decode(String.self, forKey: .accessKeyId)
        secretAccessKey = try c.decode(String.self, forKey: .secretAccessKey)
        sessionToken = try c.decode(String.self, forKey: .sessionToken)
        expiration = Date(timeIntervalSince1970: try c.decode(Double.self, forKey: .expiration))
        assumedRoleArn = try c.decodeIfPresent(String.self, forKey: .assumedRoleArn)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(accessKeyId, forKey: .accessKeyId)
        try c.encode(secretAccessKey, forKey: .secretAccessKey)
        try c.encode(sessionToken, forKey: .sessionToken)
        try c.encode(expiration.timeIntervalSince1970, forKey: .expiration)
        try c.encodeIfPresent(assumedRoleArn, forKey: .assumedRoleArn)
    }

    /// Refuses values outside what STS issues: an access key id of capitals and digits, a
    /// secret and token in the base64 alphabet. Such values end up in shell code and INI
    /// lines, where a newline or a quote could inject more.
    public static func check(_ c: AWSCredentials) throws {
        func ok(_ value: String, _ allowed: (UInt8) -> Bool, min: Int) -> Bool {
            value.utf8.count >= min && value.utf8.allSatisfy(allowed)
        }
        let keyId: (UInt8) -> Bool = { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
        let base64: (UInt8) -> Bool = {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D
        }
        guard ok(c.accessKeyId, keyId, min: 16) else {
            throw LeappError(.sts, "STS returned an access key id that is not one (expected capitals and digits)")
        }
        guard ok(c.secretAccessKey, base64, min: 16) else {
            throw LeappError(.sts, "STS returned a secret access key with characters outside its alphabet")
        }
        guard ok(c.sessionToken, base64, min: 16) else {
            throw LeappError(.sts, "STS returned a session token with characters outside its alphabet")
        }
    }

    /// The AWS `credential_process` document (Version 1).
    public var processJSON: String {
        let doc: [String: JSONValue] = [
            "Version": 1, "AccessKeyId": .string(accessKeyId), "SecretAccessKey": .string(secretAccessKey),
            "SessionToken": .string(sessionToken), "Expiration": .string(RFC3339.format(expiration)),
        ]
        return doc.jsonText
    }
}

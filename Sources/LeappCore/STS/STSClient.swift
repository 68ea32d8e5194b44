/// STS over the HTTP port: AssumeRoleWithSAML (a federated session) and AssumeRole signed with
/// a parent session's credentials (a chained one). Endpoint choice, request, response and
/// error mapping, retries with backoff for throttling and server errors.
public struct STSClient {
    public let http: HTTPClient
    public let parser: MarkupParser
    public let clock: Clock
    /// STS's endpoint when not the region's (Settings.stsEndpoint).
    public let endpointOverride: String?
    public var maxAttempts = 4
    public var baseDelay = 0.25

    public init(http: HTTPClient, parser: MarkupParser, clock: Clock, endpoint: String? = nil) {
        self.http = http
        self.parser = parser
        self.clock = clock
        self.endpointOverride = endpoint
    }

    /// `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the regional endpoint.
    public func endpoint(region: String, partition: Partition) -> String {
        endpointOverride ?? partition.stsEndpoint(region: region)
    }

    public func assumeRoleWithSAML(
        role: OfferedRole, assertion: String, duration: Int,
        region: String, partition: Partition
    ) throws -> AWSCredentials {
        let (url, parsed) = try checkedEndpoint(region: region, partition: partition)
        let request = HTTPRequest.form(
            url,
            [
                ("Action", "AssumeRoleWithSAML"), ("Version", "2011-06-15"),
                ("RoleArn", role.roleArn), ("PrincipalArn", role.principalArn),
                ("SAMLAssertion", assertion), ("DurationSeconds", String(duration)),
            ])
        return try call("AssumeRoleWithSAML", host: parsed.host) { request }
    }

    /// sts:AssumeRole with a parent session's credentials (role chaining), signed with SigV4
    /// for the session's region.
    public func assumeRole(
        _ roleArn: String, sessionName: String, externalId: String?, duration: Int,
        with parent: AWSCredentials, region: String, partition: Partition
    ) throws -> AWSCredentials {
        let (url, parsed) = try checkedEndpoint(region: region, partition: partition)
        var fields = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName), ("DurationSeconds", String(duration)),
        ]
        if let externalId { fields.append(("ExternalId", externalId)) }
        let signer = SigV4(parent, region: region)
        // Signed again for each attempt: a retry carries a new date.
        return try call("AssumeRole", host: parsed.host) { signer.sign(HTTPRequest.form(url, fields), at: clock.now) }
    }

    /// The endpoint, refused unless https (plain http only to loopback).
    func checkedEndpoint(region: String, partition: Partition) throws -> (String, WebURL) {
        let url = endpoint(region: region, partition: partition)
        guard let parsed = WebURL(url), parsed.isAllowedTransport else {
            throw LeappError(.sts, "STS endpoint \(Validation.printable(url)) must be https (http only to loopback)")
        }
        return (url, parsed)
    }

    /// Sends the request an action makes, with retries, and reads the credentials it returns.
    func call(_ action: String, host: String, _ makeRequest: () -> HTTPRequest) throws -> AWSCredentials {
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<AWSCredentials, LeappError>
            var retryable = false
            do {
                let response = try http.send(makeRequest())
                outcome = try interpret(response, host: host, action: action)
                if case .failure(let e) = outcome {
                    retryable = response.status >= 500 || response.status == 429 || e.reason == .throttled
                }
            } catch let e as LeappError where e.kind == .network {
                outcome = .failure(LeappError(.sts, "cannot reach STS: \(e.message)", hint: e.hint, reason: e.reason))
                retryable = e.reason != .tooLarge
            }
            switch outcome {
            case .success(let credentials): return credentials
            case .failure(let error):
                guard retryable, attempt < maxAttempts else { throw error }
                clock.sleep(seconds: baseDelay * Double(1 << (attempt - 1)))
            }
        }
    }

    func interpret(_ response: HTTPResponse, host: String, action: String = "AssumeRoleWithSAML") throws -> Result<
        AWSCredentials, LeappError
    > {
        let doc = try? parser.parseXML(response.body)
        if response.status == 200, let doc {
            let base = "/*[local-name()='\(action)Response']/*[local-name()='\(action)Result']"
            func value(_ path: String) throws -> String? { try doc.first(base + path)?.text.trimmed }
            let c = "/*[local-name()='Credentials']/*[local-name()="
            if let key = try value(c + "'AccessKeyId']"), let secret = try value(c + "'SecretAccessKey']"),
                let token = try value(c + "'SessionToken']"), let exp = try value(c + "'Expiration']").flatMap(RFC3339.parse),
                !key.isEmpty, !secret.isEmpty, !token.isEmpty
            {
                let arn = try value("/*[local-name()='AssumedRoleUser']/*[local-name()='Arn']")
                let credentials = AWSCredentials(
                    accessKeyId: key, secretAccessKey: secret, sessionToken: token,
                    expiration: exp, assumedRoleArn: arn)
                do { try AWSCredentials.check(credentials) } catch let e as LeappError { return .failure(e) }
                return .success(credentials)
            }
            return .failure(LeappError(.sts, "STS at \(host) answered 200 without credentials"))
        }
        if response.status == 200 {
            return .failure(LeappError(.sts, "STS at \(host) answered 200 without credentials"))
        }
        if let doc, let code = try doc.first("//*[local-name()='Error']/*[local-name()='Code']")?.text.trimmed {
            let message = try doc.first("//*[local-name()='Error']/*[local-name()='Message']")?.text.trimmed ?? ""
            return .failure(Self.mapError(code: code, message: message, status: response.status, action: action))
        }
        return .failure(
            LeappError(
                .sts, "STS at \(host) answered HTTP \(response.status)",
                hint: response.status >= 500 ? "try again later" : "check AWS_ENDPOINT_URL_STS and the region"))
    }

    static func mapError(code: String, message: String, status: Int, action: String = "AssumeRoleWithSAML") -> LeappError {
        let detail = Validation.printable(message, limit: 200)
        switch code {
        case "AccessDenied" where action == "AssumeRole":
            return LeappError(
                .sts, "STS denied AssumeRole (AccessDenied): \(detail)",
                hint: "check that the role's trust policy allows the parent session's role, and the external ID")
        case "ExpiredToken" where action == "AssumeRole":
            return LeappError(
                .sts, "STS says the parent session's credentials have expired: \(detail)",
                hint: "start the parent session again")
        case "AccessDenied":
            return LeappError(
                .sts, "STS denied AssumeRoleWithSAML (AccessDenied): \(detail)",
                hint: "check the role's trust policy names this IdP ARN")
        case "InvalidIdentityToken":
            return LeappError(
                .sts, "STS rejected the SAML assertion (InvalidIdentityToken): \(detail)",
                hint: "check the IdP ARN and that the provider's metadata in IAM is current")
        case "IDPRejectedClaim":
            return LeappError(.sts, "STS rejected a claim of the assertion (IDPRejectedClaim): \(detail)")
        case "ExpiredTokenException", "ExpiredToken":
            return LeappError(
                .sts, "STS says the SAML assertion has expired: \(detail)",
                hint: "check this machine's clock, then start the session again")
        case "ValidationError" where message.contains("DurationSeconds"):
            return LeappError(.sts, "STS refused the requested duration: \(detail)", reason: .durationAboveMaximum)
        case "Throttling", "ThrottlingException", "RequestLimitExceeded":
            return LeappError(.sts, "STS is throttling requests (\(code))", hint: "try again in a minute", reason: .throttled)
        case "RegionDisabledException":
            return LeappError(
                .sts, "STS is not activated in this region (RegionDisabledException)",
                hint: "activate it in IAM account settings or use another region")
        default:
            return LeappError(.sts, "STS error \(Validation.printable(code)) (HTTP \(status)): \(detail)")
        }
    }

    /// Whether an STS error is the duration-above-maximum refusal.
    public static func isDurationRefusal(_ error: LeappError) -> Bool {
        error.reason == .durationAboveMaximum
    }
}

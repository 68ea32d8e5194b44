/// The AWS federation sign-in for the web console: `getSigninToken` with the session's
/// credentials, then the `login` URL that carries the token.
public struct ConsoleSignIn {
    public let endpoint: String
    public let partition: Partition

    public init(partition: Partition, settings: Settings) {
        self.partition = partition
        self.endpoint = settings.federationURL ?? partition.federationEndpoint
    }

    public func tokenRequest(_ credentials: AWSCredentials) -> HTTPRequest {
        let session: [String: JSONValue] = [
            "sessionId": .string(credentials.accessKeyId),
            "sessionKey": .string(credentials.secretAccessKey),
            "sessionToken": .string(credentials.sessionToken),
        ]
        return HTTPRequest(url: endpoint + "?Action=getSigninToken&Session=" + FormEncoding.escapeQuery(session.jsonText))
    }

    public func signinToken(from response: HTTPResponse) throws -> String {
        guard response.status == 200, let token = JSONValue.parse(response.body)?["SigninToken"]?.string, !token.isEmpty else {
            throw LeappError(
                .sts, "the AWS federation endpoint answered HTTP \(response.status) without a sign-in token",
                hint: "the credentials may have expired: `leapp session start ALIAS --force`")
        }
        return token
    }

    /// The console page to land on: a service's home in a region, else the console home.
    public func destination(region: String, service: String? = nil) -> String {
        guard let service, !service.isEmpty else { return partition.consoleURL + "console/home?region=" + region }
        return partition.consoleURL + FormEncoding.escape(service.lowercased()) + "/home?region=" + region
    }

    public func loginURL(token: String, region: String, destination: String? = nil) -> String {
        let destination = destination ?? self.destination(region: region)
        return endpoint + "?Action=login&Issuer=leapp&Destination=" + FormEncoding.escapeQuery(destination)
            + "&SigninToken=" + FormEncoding.escapeQuery(token)
    }
}

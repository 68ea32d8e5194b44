/// AWS partitions, their regions and endpoints.
public enum Partition: String, Sendable, CaseIterable {
    case aws
    case awsCN = "aws-cn"
    case awsUSGov = "aws-us-gov"

    public var regions: [String] {
        switch self {
        case .aws:
            return [
                "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
                "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
                "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1",
                "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1", "eu-central-1",
                "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
                "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
            ]
        case .awsCN: return ["cn-north-1", "cn-northwest-1"]
        case .awsUSGov: return ["us-gov-west-1", "us-gov-east-1"]
        }
    }

    /// The AWS sign-in endpoint that SAML responses are posted to.
    public var signinHost: String {
        switch self {
        case .aws: return "signin.aws.amazon.com"
        case .awsCN: return "signin.amazonaws.cn"
        case .awsUSGov: return "signin.amazonaws-us-gov.com"
        }
    }

    public static func forSigninHost(_ host: String) -> Partition? {
        allCases.first { $0.signinHost == host.lowercased() }
    }

    /// The regional STS endpoint.
    public func stsEndpoint(region: String) -> String {
        switch self {
        case .aws: return "https://sts.\(region).amazonaws.com/"
        case .awsCN: return "https://sts.\(region).amazonaws.com.cn/"
        case .awsUSGov: return "https://sts.\(region).amazonaws.com/"
        }
    }

    public var federationEndpoint: String { "https://\(signinHost)/federation" }
    public var consoleURL: String {
        switch self {
        case .aws: return "https://console.aws.amazon.com/"
        case .awsCN: return "https://console.amazonaws.cn/"
        case .awsUSGov: return "https://console.amazonaws-us-gov.com/"
        }
    }
}

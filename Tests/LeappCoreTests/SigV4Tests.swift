import XCTest

@testable import LeappCore

final class SigV4Tests: XCTestCase {
    /// The worked example of AWS's SigV4 guide (IAM ListUsers, 2015-08-30T12:36:00Z), whose
    /// canonical-request hash and signature AWS publishes; botocore computes the same.
    func testTheGuidesWorkedExample() throws {
        let signer = SigV4(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: nil,
            region: "us-east-1", service: "iam")
        let url = try XCTUnwrap(WebURL("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"))
        let headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("X-Amz-Date", "20150830T123600Z")]
        let (canonical, signed) = signer.canonicalRequest(method: "GET", url: url, headers: headers, body: [])
        XCTAssertEqual(signed, "content-type;host;x-amz-date")
        XCTAssertEqual(sha256Hex(Array(canonical.utf8)), "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        XCTAssertEqual(
            signer.authorization(method: "GET", url: url, headers: headers, body: [], amzDate: "20150830T123600Z"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        )
    }

    func testASignedRequestCarriesTheDateTheTokenAndTheAuthorization() throws {
        let c = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token", expiration: Date())
        let request = HTTPRequest.form("http://127.0.0.1:5000/", [("Action", "AssumeRole")])
        let signed = SigV4(c, region: "eu-west-1").sign(request, at: Date(timeIntervalSince1970: 1_440_938_160))
        let headers = Dictionary(signed.headers, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(headers["X-Amz-Date"], "20150830T123600Z")
        XCTAssertEqual(headers["X-Amz-Security-Token"], "token")
        let auth = try XCTUnwrap(headers["Authorization"])
        XCTAssertTrue(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/eu-west-1/sts/aws4_request, "))
        XCTAssertTrue(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"))
        XCTAssertEqual(SigV4.hostHeader(try XCTUnwrap(WebURL("http://127.0.0.1:5000/"))), "127.0.0.1:5000")
        XCTAssertEqual(SigV4.hostHeader(try XCTUnwrap(WebURL("https://sts.eu-west-1.amazonaws.com:443/"))), "sts.eu-west-1.amazonaws.com")
    }
}

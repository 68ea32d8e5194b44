import Foundation
import LeappCore
import XCTest

@testable import LeappSystem

final class POSIXFileSystemTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("leapp-fs-\(UUID().uuidString)").path
        try POSIXFileSystem().createDirectory(dir, mode: 0o700)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testAtomicWriteModeAndLeftoversOfKilledWriters() throws {
        let fs = POSIXFileSystem()
        let target = dir + "/credentials"
        let leftover = target + ".leapp-tmp-99999"
        _ = FileManager.default.createFile(atPath: leftover, contents: Data("half written secret".utf8))
        try fs.writeAtomically(target, Array("new".utf8), mode: 0o600)
        XCTAssertEqual(try fs.read(target), Array("new".utf8))
        XCTAssertFalse(fs.exists(leftover))
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testWritesThroughASymlinkToItsTarget() throws {
        let fs = POSIXFileSystem()
        let real = dir + "/real"
        try fs.writeAtomically(real, Array("a".utf8), mode: 0o600)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: real)
        try fs.writeAtomically(dir + "/link", Array("b".utf8), mode: 0o600)
        XCTAssertEqual(try fs.read(real), Array("b".utf8))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link"), real)
    }

    func testTryLockIsExclusive() throws {
        let fs = POSIXFileSystem()
        let first = try fs.tryLock(dir + "/p")
        XCTAssertNotNil(first)
        // flock locks belong to open file descriptions: a second open in this process conflicts too.
        XCTAssertNil(try fs.tryLock(dir + "/p"))
        withExtendedLifetime(first) {}
    }
}

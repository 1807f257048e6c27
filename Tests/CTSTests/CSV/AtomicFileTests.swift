import CTSCore
import Foundation
import Testing

@testable import CTSIO

@Suite struct AtomicFileTests {
    @Test func writesPiecesInOrderAndLeavesNoTemporaryFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/out.csv"
        try AtomicFile.write(to: path) { put in
            put("a,b\n")
            for i in 0..<1000 { put("\(i),é\n") }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("a,b\n0,é\n1,é\n") && text.hasSuffix("999,é\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    @Test func aFailingWriterLeavesTheOldFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("out.csv", "old\n")
        #expect(throws: InputError.self) {
            try AtomicFile.write(to: path) { put in
                put("new, half written\n")
                throw InputError("stopped")
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }

    /// A link planted where the temporary file used to be made (`NAME.tmp-PID`) must not be followed: its
    /// target is left alone, and the output is a plain file readable by others.
    @Test func aPlantedLinkIsNotFollowed() throws {
        let dir = TemporaryDirectory()
        let victim = dir.write("victim.txt", "keep me\n")
        let path = dir.path + "/index.html"
        try FileManager.default.createSymbolicLink(
            atPath: path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)", withDestinationPath: victim)
        try AtomicFile.write("<html></html>\n", to: path)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "<html></html>\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o044 } == 0o044)
    }
}

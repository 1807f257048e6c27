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
}

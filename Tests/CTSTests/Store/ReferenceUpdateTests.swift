import CTSCLI
import CTSCore
import CTSIO
import Foundation
import Testing

@Suite struct ReferenceUpdateTests {
    /// A copy of the shipped reference tables to change freely.
    func copyOfReference() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        for name in ReferenceData.files {
            dir.write(name, try! String(contentsOfFile: Repo.path("reference/\(name)"), encoding: .utf8))
        }
        return dir
    }

    @Test func populationIsLoadedForKnownCountriesOnly() {
        let population = Repo.reference.population
        #expect(population.persons("DEU", 2020) == 83_160_871)
        #expect(population.persons("USA", 2020) == 331_577_720)
        #expect(population.persons("WLD", 2020) == nil)
        #expect(population.count > 13_000)
    }

    @Test func planCountsChangesAndApplyReplacesTheFile() throws {
        let current = copyOfReference()
        let incoming = TemporaryDirectory()
        let text = try String(contentsOfFile: current.path + "/population.csv", encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        lines.removeLast()  // one row removed
        lines = lines.map { $0 == "DEU,2020,83160871" ? "DEU,2020,83160900" : $0 }  // one changed
        lines.append("DEU,2025,83500000")  // one added
        incoming.write("population.csv", lines.joined(separator: "\n") + "\n")
        let changes = try ReferenceUpdate.plan(current: current.path, incoming: incoming.path)
        #expect(changes.count == 1)
        #expect(changes[0].added == 1 && changes[0].removed == 1 && changes[0].changed == 1)
        // The dry run shows the rows, not only their number ("1 changed" said nothing of which).
        let removed = text.split(separator: "\n").last.map(String.init) ?? ""
        let dry = runCTS(["reference", "update", "--from", incoming.path, "--reference", current.path, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.out.contains("  ~ DEU,2020: 83160871 -> 83160900\n"), "\(dry.out)")
        #expect(dry.out.contains("  + DEU,2025,83500000\n") && dry.out.contains("  - \(removed)\n"), "\(dry.out)")
        #expect(try String(contentsOfFile: current.path + "/population.csv", encoding: .utf8) == text)
        try ReferenceUpdate.apply(changes, current: current.path, incoming: incoming.path)
        let updated = try ReferenceData.load(directory: current.path)
        #expect(updated.population.persons("DEU", 2020) == 83_160_900)
        #expect(updated.population.persons("DEU", 2025) == 83_500_000)
    }

    @Test func anInvalidSetIsRefusedWithItsLocation() throws {
        let current = copyOfReference()
        let incoming = TemporaryDirectory()
        incoming.write("iccs.csv", "code,level,parent,section,title\n0101,2,01,01,Intentional homicide\n")
        #expect {
            try ReferenceUpdate.plan(current: current.path, incoming: incoming.path)
        } throws: { error in
            (error as? InputError)?.message.contains("no parent 01") == true
        }
        let before = try String(contentsOfFile: current.path + "/iccs.csv", encoding: .utf8)
        #expect(before.contains("0102"))
    }
}

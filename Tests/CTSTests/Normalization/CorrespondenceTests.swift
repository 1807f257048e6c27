import CTSCore
import CTSIO
import Foundation
import Testing

@Suite struct ICCSRepairTests {
    let iccs = Repo.reference.iccs

    @Test func readsCodesAsSpreadsheetsLeaveThem() {
        #expect(ICCSRepair.read("0101", in: iccs) == .exact(ICCSCode("0101")!))
        #expect(ICCSRepair.read(" ", in: iccs) == .blank)
        guard case .repaired(let c, _) = ICCSRepair.read("806.0", level: 2, in: iccs) else {
            Issue.record("806.0 not repaired")
            return
        }
        #expect(c.rawValue == "0806")
        guard case .repaired(let g, _) = ICCSRepair.read("8062", level: 3, section: "08", in: iccs) else {
            Issue.record("8062 not repaired")
            return
        }
        #expect(g.rawValue == "08062")
    }

    @Test func refusesWhatIsAmbiguous() {
        // Chile CUM 544: section 10, level-2 column "101": by its digits 0101 (homicide), by its section not.
        guard case .rejected(let why) = ICCSRepair.read("101", level: 2, section: "10", in: iccs) else {
            Issue.record("101 in section 10 accepted")
            return
        }
        #expect(why.contains("0101") && why.contains("section 01"))
        // Chile CUM 544/999: a level-2 code in the level-3 column.
        guard case .rejected(let level) = ICCSRepair.read("1001", level: 3, section: "10", in: iccs) else {
            Issue.record("1001 as level 3 accepted")
            return
        }
        #expect(level.contains("level-2 code in a level-3 column"))
        // Without a level, "101" fits one code only when it is unique among lengths.
        guard case .rejected = ICCSRepair.read("0110", in: iccs) else {
            Issue.record("0110 accepted")
            return
        }
    }
}

@Suite struct CorrespondenceTests {
    let chile = Repo.root + "/../shared/data/chile_offence_to_iccs/Final_TC_2023.csv"
    let chileColumns = CorrespondenceLoader.Columns(
        code: "CUM", label: "GLOSA 2023",
        iccs: ["N1-2023 UNODC", "N2-2023 UNODC", "N3-2023 UNODC", "N4-2023 UNODC"], relation: nil, share: nil)

    @Test(
        .enabled(
            if: FileManager.default.fileExists(
                atPath: Repo.root + "/../shared/data/chile_offence_to_iccs/Final_TC_2023.csv")))
    func realChileanTable() throws {
        let result = try CorrespondenceLoader.load(path: chile, columns: chileColumns, iccs: Repo.reference.iccs)
        let entries = result.correspondence.entries
        let errors = result.findings.filter { $0.severity == .error }
        // Every error names a row of the real table; these are the quirks its PROVENANCE lists.
        let rejected = Set(errors.map { $0.message.split(separator: ":")[0] })
        #expect(
            rejected == [
                "National code 544", "National code 706", "National code 768", "National code 7030",
                "National code 10017", "National code 12131", "National code 22100", "National code 22101",
            ])
        #expect(
            errors.first { $0.message.hasPrefix("National code 544") }?.message.contains("level-2 code in a level-3")
                == true)
        #expect(errors.first { $0.message.hasPrefix("National code 7030") }?.message.contains("060124") == true)
        #expect(
            errors.first { $0.message.hasPrefix("National code 22100") }?.message.contains("not an ICCS section")
                == true)
        #expect(errors.allSatisfy { $0.location?.line ?? 0 > 1 && $0.location?.columnName?.hasPrefix("N") == true })
        // Leading zeros restored where only one code fits, each with a warning.
        #expect(entries["101"]?.mapping == .exact(ICCSCode("08062")!))
        #expect(entries["202"]?.mapping == .exact(ICCSCode("02022")!))
        #expect(result.findings.filter { $0.ruleID == "correspondence.repaired" }.count > 400)
        // Categories the table excludes (N1 "Excluido 2023", e.g. CUM 999) are excluded, not mapped.
        guard case .excluded(let why) = entries["999"]?.mapping else {
            Issue.record("999 not excluded: \(String(describing: entries["999"]))")
            return
        }
        #expect(why.contains("Excluido"))
        #expect(entries.count + rejected.count == 585)
        // With --skip-invalid-rows the rest loads and these eight codes stay unmapped.
        #expect(Set(result.correspondence.skipped.keys) == Set(rejected.map { String($0.dropFirst("National code ".count)) }))
    }

    /// The extract of the real table shipped in Tests/Fixtures/chile: the same quirks, found the same way,
    /// wherever the tests run.
    @Test func extractOfTheChileanTable() throws {
        let result = try CorrespondenceLoader.load(
            path: Repo.path("Tests/Fixtures/chile/Final_TC_2023-extract.csv"), columns: chileColumns,
            iccs: Repo.reference.iccs)
        let errors = result.findings.filter { $0.severity == .error }
        #expect(
            Set(errors.map { $0.message.split(separator: ":")[0] }) == [
                "National code 544", "National code 706", "National code 768", "National code 7030",
                "National code 10017", "National code 12131", "National code 22100", "National code 22101",
            ])
        #expect(errors.first { $0.message.hasPrefix("National code 7030") }?.message.contains("060124") == true)
        let entries = result.correspondence.entries
        #expect(entries["101"]?.mapping == .exact(ICCSCode("08062")!))
        #expect(entries["202"]?.mapping == .exact(ICCSCode("02022")!))
        guard case .excluded = entries["999"]?.mapping else {
            Issue.record("999 not excluded: \(String(describing: entries["999"]))")
            return
        }
        #expect(entries.count == 25 - 8)
        // The codes of the rows in error are held apart with their first error, for --skip-invalid-rows.
        #expect(
            Set(result.correspondence.skipped.keys) == ["544", "706", "768", "7030", "10017", "12131", "22100", "22101"])
        #expect(result.correspondence.skipped["7030"]?.contains("060124") == true)
        #expect(result.correspondence.map(nationalCode: "544", value: 3).outcome == .unmapped)
    }

    @Test func standardLayoutWithPartialShares() throws {
        let dir = TemporaryDirectory()
        let file = dir.write(
            "tc.csv",
            """
            national_code,national_label,iccs,relation,share
            A1,Homicidio,101,exact,
            B2,Robo con violencia,0401,partial,0.75
            B2,Robo con violencia,020111,partial,0.25
            C3,Ebriedad,,excluded,
            D4,Otro,0401,partial,0.8
            D4,Otro,0502,partial,0.5

            """)
        let result = try CorrespondenceLoader.load(path: file, iccs: Repo.reference.iccs)
        let c = result.correspondence
        #expect(c.entries["A1"]?.mapping == .exact(ICCSCode("0101")!))
        #expect(result.findings.contains { $0.ruleID == "correspondence.repaired" && $0.location?.line == 2 })
        let (outcome, parts) = c.map(nationalCode: "B2", value: 100)
        #expect(outcome == .split)
        #expect(parts.map(\.value) == [75, 25])
        #expect(c.map(nationalCode: "C3", value: 5).outcome == .excluded)
        #expect(c.map(nationalCode: "ZZ", value: 5).outcome == .unmapped)
        #expect(result.findings.contains { $0.ruleID == "correspondence.share" && $0.message.contains("1.3") })
    }
}

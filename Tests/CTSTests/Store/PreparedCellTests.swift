import CTSCore
import CTSIO
import Foundation
import Testing

@testable import CTSStore

/// Ingest takes a cell's breakdown text from a cache (`PreparedCell.Preparer`) keyed by the
/// numbers of its packed key: every cell must come out as if prepared on its own.
@Suite struct PreparedCellTests {
    @Test func cellsPreparedThroughTheSlotCacheAreThoseMadeOneByOne() throws {
        let reader = ReturnFixture.reader()
        let normalizer = Normalizer(questionnaire: Repo.questionnaire, countries: Repo.reference.countries)
        var compared = 0
        var breakdowns = Set<String>()
        for name in try Repo.sampleReturns(every: 10) {
            let preparer = PreparedCell.Preparer(normalizer: normalizer)
            _ = try reader.forEachCell(path: name) { cell, key in
                let alone = PreparedCell(copy cell, normalizer: normalizer)
                let cached = preparer.prepare(cell, key: key)
                #expect(cached.cell == alone.cell)
                #expect(cached.breakdown == alone.breakdown, "\(alone.cell.key)")
                #expect(cached.digest == alone.digest)
                #expect(cached.observations == alone.observations)
                #expect(cached.national == alone.national)
                breakdowns.insert(alone.breakdown)
                compared += 1
            }
        }
        // Several countries, years, variables and breakdowns went through one cache per return.
        #expect(compared > 1_000)
        #expect(breakdowns.count > 10)
    }
}

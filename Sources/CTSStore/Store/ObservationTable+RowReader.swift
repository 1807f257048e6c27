import CTSCore

extension ObservationTable {
    /// Turns observation blocks into table rows, numbering their texts as they come.
    ///
    /// Series come numbered from `observation_series`; places are numbered once per block; statuses,
    /// national codes and shares by their bytes. A struct with mutating methods, so that its state is
    /// checked for exclusive access when compiled, not at run time on every observation.
    struct BlockReader {
        var table: ObservationTable
        /// The table's series number of each `observation_series` id (-1: none).
        private let seriesOf: [Int32]
        /// Cells whose observations are no longer valid at the time read.
        private let ended: Set<Int64>
        /// Statuses and national codes by their bytes.
        private var texts = ByteCodeTable()
        private var placeNumbers: [[String]: Int] = [:]
        private var shareNumbers: [UInt64: UInt32] = [:]
        private var lastShare: (bits: UInt64, number: UInt32)?
        private static let statusSlot: Int32 = 0
        private static let nationalSlot: Int32 = 1

        /// Starts from `table` (empty, its series those `seriesOf` numbers), with room for `capacity` rows.
        /// The room is made here, in the table this reader owns: made in the caller's copy, the first row
        /// added would copy it into a new buffer twice the size.
        init(table: ObservationTable, seriesOf: [Int32], ended: Set<Int64>, capacity: Int) {
            self.table = table
            self.seriesOf = seriesOf
            self.ended = ended
            self.table.rows.reserveCapacity(capacity)
        }

        /// Adds the observations of the block row `r` is on: id, submission_id, reporter, iso3, m49, year,
        /// observations.
        mutating func add(_ r: Statement) throws {
            let placeKey = [Self.text(r, 2), Self.text(r, 3), Self.text(r, 4)]
            let place = placeNumbers[placeKey] ?? table.places.count
            if place == table.places.count {
                placeNumbers[placeKey] = place
                table.places.append(Place(reporter: placeKey[0], iso3: placeKey[1], m49: placeKey[2]))
            }
            guard place <= Int(UInt16.max) else {
                throw DatabaseError(
                    code: 1, message: "The store has more reporters than an observation row can number.")
            }
            let submission = Int32(truncatingIfNeeded: r.int64(1))
            let year = Int32(truncatingIfNeeded: r.int64(5))
            let block = r.int64(0)
            do {
                try ObservationBlock.forEach(in: r.textBytes(6)) { e in
                    if !ended.isEmpty && ended.contains(e.cell) { return }
                    guard e.series >= 0, e.series < seriesOf.count, seriesOf[Int(e.series)] >= 0 else {
                        throw DatabaseError(
                            code: 1,
                            message: "Observation block \(block) names series \(e.series), which the store lacks.")
                    }
                    let status = try number(e.status, in: Self.statusSlot, count: table.statuses.count) { t, text in
                        t.statuses.append(ObservationStatus(rawValue: text) ?? .normal)
                    }
                    guard status <= Int(UInt8.max) else {
                        throw DatabaseError(
                            code: 1, message: "The store has more statuses than an observation row can number.")
                    }
                    var national = 0
                    if let code = e.national {
                        national =
                            1
                            + (try number(code, in: Self.nationalSlot, count: table.nationals.count) {
                                $0.nationals.append($1)
                            })
                    }
                    table.rows.append(
                        Row(
                            value: e.value ?? 0, series: UInt32(seriesOf[Int(e.series)]), national: UInt32(national),
                            submission: submission, share: shareNumber(e.share.bitPattern), year: year,
                            place: UInt16(place), status: UInt8(status), hasValue: e.value != nil))
                }
            } catch let error as BlockJSON.FormatError {
                throw DatabaseError(code: 1, message: "Observation block \(block): \(error)")
            }
        }

        private static func text(_ r: Statement, _ c: Int) -> String { String(decoding: r.textBytes(c), as: UTF8.self) }

        /// The number of `text` in `slot`; a new one is `count`, and `make` adds it to the table.
        private mutating func number(
            _ text: BlockJSON.Text, in slot: Int32, count: Int, make: (inout ObservationTable, String) -> Void
        ) throws -> Int {
            if let known = texts.find(text.bytes, in: slot) { return Int(known) }
            texts.insert(text.bytes, in: slot, value: Int32(count))
            make(&table, text.string)
            return count
        }

        /// The number of a share (by its bits), numbering it if it is new.
        private mutating func shareNumber(_ bits: UInt64) -> UInt32 {
            if let lastShare, lastShare.bits == bits { return lastShare.number }
            let share = shareNumbers[bits] ?? UInt32(table.shares.count)
            if share == table.shares.count {
                shareNumbers[bits] = share
                table.shares.append(Double(bitPattern: bits))
            }
            lastShare = (bits, share)
            return share
        }
    }
}

import CTSCore

extension ObservationTable {
    /// Turns the rows of the observation query into table rows, numbering their texts as they come.
    ///
    /// Columns: reporter, iso3, m49, year, indicator, series, iccs, breakdown, value, status,
    /// national_code, share, submission_id. A struct with mutating methods, so that its state is checked
    /// for exclusive access when compiled, not at run time on every column.
    struct RowReader {
        var table: ObservationTable
        /// Texts by their bytes, one slot per kind: places, series, national codes, statuses.
        private var texts = ByteCodeTable()
        /// The key being looked up: its columns' bytes, each followed by 0xFF (0xFE stands for NULL).
        private var key: [UInt8] = []
        private var shareNumbers: [UInt64: UInt32] = [:]
        private var lastShare: (bits: UInt64, number: UInt32)?
        /// Consecutive rows mostly share their reporter and status: those keys are compared with the last
        /// row's before any hashing.
        private var lastPlace: (key: [UInt8], number: Int) = ([], -1)
        private var lastStatus: (key: [UInt8], number: Int) = ([], -1)
        private static let placeSlot: Int32 = 0
        private static let seriesSlot: Int32 = 1
        private static let nationalSlot: Int32 = 2
        private static let statusSlot: Int32 = 3

        /// Starts from `table` (empty), with room for `capacity` rows. The room is made here, in the table
        /// this reader owns: made in the caller's copy, the first row added would copy it into a new buffer
        /// twice the size.
        init(table: ObservationTable, capacity: Int) {
            self.table = table
            self.table.rows.reserveCapacity(capacity)
            key.reserveCapacity(256)
        }

        /// Adds the row `r` is on.
        mutating func add(_ r: Statement) throws {
            add(r, 0)
            add(r, 1)
            add(r, 2)
            let place = number(Self.placeSlot, count: table.places.count, last: .place) { table in
                table.places.append(Place(reporter: Self.text(r, 0), iso3: Self.text(r, 1), m49: Self.text(r, 2)))
            }
            add(r, 4)
            add(r, 5)
            add(r, 6)
            add(r, 7)
            let series = number(Self.seriesSlot, count: table.series.count) { table in
                let iccs = r.textBytes(6).baseAddress == nil ? nil : Self.text(r, 6)
                table.series.append(
                    Series(
                        indicator: Self.text(r, 4), series: Self.text(r, 5), iccsText: iccs,
                        iccs: iccs.flatMap(ICCSCode.init), breakdown: Self.text(r, 7)))
            }
            var national = 0
            if r.textBytes(10).baseAddress != nil {
                add(r, 10)
                national =
                    1
                    + number(Self.nationalSlot, count: table.nationals.count) { $0.nationals.append(Self.text(r, 10)) }
            }
            add(r, 9)
            let status = number(Self.statusSlot, count: table.statuses.count, last: .status) { table in
                table.statuses.append(ObservationStatus(rawValue: Self.text(r, 9)) ?? .normal)
            }
            let share = shareNumber(r.double(11).bitPattern)
            guard place <= Int(UInt16.max), status <= Int(UInt8.max) else {
                throw DatabaseError(
                    code: 1, message: "The store has more reporters or statuses than an observation row can number.")
            }
            let hasValue = !r.isNull(8)
            table.rows.append(
                Row(
                    value: hasValue ? r.double(8) : 0, series: UInt32(series), national: UInt32(national),
                    submission: Int32(truncatingIfNeeded: r.int64(12)), share: share,
                    year: Int32(truncatingIfNeeded: r.int64(3)), place: UInt16(place), status: UInt8(status),
                    hasValue: hasValue))
        }

        private static func text(_ r: Statement, _ c: Int) -> String { String(decoding: r.textBytes(c), as: UTF8.self) }

        /// Adds column `c` to `key` (NULL, which only iccs and national_code may be, kept apart from '').
        private mutating func add(_ r: Statement, _ c: Int) {
            let bytes = r.textBytes(c)
            if bytes.baseAddress == nil { key.append(0xFE) } else { key.append(contentsOf: bytes) }
            key.append(0xFF)
        }

        /// The number of the texts in `key` in `slot`; a new one is `count`, and `make` adds it.
        private mutating func number(_ slot: Int32, count: Int, make: (inout ObservationTable) -> Void) -> Int {
            defer { key.removeAll(keepingCapacity: true) }
            if let known = key.withUnsafeBytes({ texts.find($0, in: slot) }) { return Int(known) }
            key.withUnsafeBytes { texts.insert($0, in: slot, value: Int32(count)) }
            make(&table)
            return count
        }

        /// The columns whose last key is kept.
        private enum Last { case place, status }

        /// As `number`, first trying the last row's key of `last`.
        private mutating func number(
            _ slot: Int32, count: Int, last: Last, make: (inout ObservationTable) -> Void
        ) -> Int {
            let remembered = last == .place ? lastPlace : lastStatus
            if remembered.number >= 0 && key == remembered.key {
                key.removeAll(keepingCapacity: true)
                return remembered.number
            }
            let keyNow = key
            let n = number(slot, count: count, make: make)
            if last == .place { lastPlace = (keyNow, n) } else { lastStatus = (keyNow, n) }
            return n
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

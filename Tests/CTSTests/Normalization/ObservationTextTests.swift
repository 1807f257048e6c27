import CTSCore
import Testing

/// The breakdown text is part of every stored cell's key and of every export: its form must not drift.
@Suite struct ObservationTextTests {
    @Test(arguments: [
        ([String](), [String](), ""),
        (["sex", "age"], ["", ""], ""),
        (["sex", "age"], ["F", ""], "sex=F"),
        (["sex", "age"], ["", "0-14"], "age=0-14"),
        (["sex", "age", "citizenship"], ["F", "0-14", "_T"], "sex=F;age=0-14;citizenship=_T"),
        (["sex", "age", "citizenship"], ["M", "", "FOR"], "sex=M;citizenship=FOR"),
    ])
    func breakdownTextJoinsTheCodesGivenInDimensionOrder(dimensions: [String], codes: [String], text: String) {
        #expect(Observation.breakdownText(dimensions: dimensions, codes: codes) == text)
    }
}

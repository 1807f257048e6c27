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
        // Texts beyond ASCII and longer than a small string; a code without a dimension is left out.
        (
            ["sex", "région"], ["F", "Île-de-France et Provence-Alpes-Côte d’Azur"],
            "sex=F;région=Île-de-France et Provence-Alpes-Côte d’Azur"
        ),
        (["sex"], ["F", "0-14"], "sex=F"),
    ])
    func breakdownTextJoinsTheCodesGivenInDimensionOrder(dimensions: [String], codes: [String], text: String) {
        #expect(Observation.breakdownText(dimensions: dimensions, codes: codes) == text)
    }
}

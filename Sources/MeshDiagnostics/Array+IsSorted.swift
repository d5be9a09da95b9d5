extension Array {
    /// Whether each element is in order after the one before it. Elements
    /// are read in place (no pair is copied out): callers check a list of
    /// thousands before deciding to sort a copy of it.
    package func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { areInIncreasingOrder(self[$0 - 1], self[$0]) }
    }
}

extension Array {
    /// Whether each element is in order after the one before it. Elements
    /// are read in place (no pair is copied out): callers check a list of
    /// thousands before deciding to sort a copy of it. Inlinable, so each
    /// caller gets it specialized to its element type; the generic body
    /// across the module boundary copied every element it compared.
    @inlinable
    package func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        var index = startIndex + 1
        while index < endIndex {
            if !areInIncreasingOrder(self[index - 1], self[index]) { return false }
            index += 1
        }
        return true
    }
}

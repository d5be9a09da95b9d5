/// A growable buffer of plain values (no references inside), used by the
/// tree builder instead of `Array` on its hottest path: appends compile to a
/// store and a compare, with no uniqueness checks, and the finished memory
/// is handed to `YAMLTree` without a copy.
///
/// Not a general container: `T` must be trivial (Int32, UInt8, `YAMLTree.Node`),
/// and the owner must either call `take()` once or `free()`.
struct GrowableBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    subscript(index: Int) -> T {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow(toAtLeast: count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    mutating func append(_ values: UnsafeBufferPointer<T>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        if count + values.count > capacity { grow(toAtLeast: count + values.count) }
        (base + count).initialize(from: source, count: values.count)
        count += values.count
    }

    /// Appends elements `start..<count` of `other` (which may be `self`'s sibling buffer).
    mutating func append(from other: GrowableBuffer<T>, start: Int) {
        append(UnsafeBufferPointer(start: other.base + start, count: other.count - start))
    }

    /// Drops the last elements (trivial values need no deinitialization).
    mutating func truncate(to newCount: Int) {
        count = newCount
    }

    /// Hands the memory over; the caller deallocates it.
    func take() -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }

    func free() {
        base.deallocate()
    }

    private mutating func grow(toAtLeast minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

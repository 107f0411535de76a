import WeirColumnar

/// A map from values to values that remembers the order keys were first inserted.
struct OrderedMap {
    private var slots: [Value.MapEntry?] = []
    private var index: [Value: Int] = [:]

    subscript(key: Value) -> Value? {
        get { index[key].flatMap { slots[$0]?.value } }
        set {
            guard let newValue else { return remove(key) }
            if let i = index[key] {
                slots[i]!.value = newValue
            } else {
                index[key] = slots.count
                slots.append(Value.MapEntry(key: key, value: newValue))
            }
        }
    }

    mutating func remove(_ key: Value) {
        guard let i = index.removeValue(forKey: key) else { return }
        slots[i] = nil
    }

    var entries: [Value.MapEntry] { slots.compactMap { $0 } }
}

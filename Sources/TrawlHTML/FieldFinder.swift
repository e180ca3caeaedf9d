/// Finds labelled fields without rules: a label cell (`<dt>`, `<th>`, `<strong>`, `<label>`,
/// a short `<span>`) whose text is a known label, and the value in the element that follows
/// it — the way release pages lay out 담당부서 / 작성자 / 연락처.
struct FieldFinder {
    static let labels: [String: [String]] = [
        "department": ["담당부서", "담당 부서", "부서", "부서명", "소관부서", "주관부서", "department", "division", "dept", "abteilung", "referat"],
        "author": ["작성자", "담당자", "author", "writer", "autor", "verfasser"],
        "contact": ["연락처", "문의", "문의처", "전화", "전화번호", "contact", "tel", "phone", "telephone", "kontakt", "telefon"],
    ]

    func find(in doc: HTMLDocument) -> [String: (value: String, label: String)] {
        let xpath = "//*[self::dt or self::th or self::strong or self::b or self::label or self::span or self::em][string-length(normalize-space(.)) < 24]"
        guard case .nodes(let nodes) = (try? doc.evaluate(xpath)) ?? .value("") else { return [:] }
        var byLabel: [String: String] = [:]
        for (field, names) in Self.labels { for n in names { byLabel[n] = field } }
        var found: [String: (String, String)] = [:]
        for node in nodes {
            let label = node.stringValue.trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: ":：")))
            guard let field = byLabel[label.lowercased()], found[field] == nil,
                  let value = nextElement(after: node).map({ TextExtractor().text(of: $0) }),
                  !value.isEmpty, value.count <= 120, byLabel[value.lowercased()] == nil else { continue }
            found[field] = (value.split(separator: "\n").joined(separator: " "), label)
        }
        return found
    }

    private func nextElement(after node: HTMLNode) -> HTMLNode? {
        guard let parent = node.parent else { return nil }
        var seen = false
        for child in parent.children {
            if seen, child.kind == .element { return child }
            if child.pointer == node.pointer { seen = true }
        }
        return nil
    }
}

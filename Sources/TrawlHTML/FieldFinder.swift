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
        var byLabel: [String: String] = [:]
        for (field, names) in Self.labels { for n in names { byLabel[n] = field } }
        var found: [String: (String, String)] = [:]
        for (label, node) in PageSignals.labelCells(doc) {
            guard let field = byLabel[label.lowercased()], found[field] == nil,
                  let value = PageSignals.value(after: node, skippingBlank: false).map({ TextExtractor().text(of: $0) }),
                  !value.isEmpty, value.count <= 120, byLabel[value.lowercased()] == nil else { continue }
            found[field] = (value.split(separator: "\n").joined(separator: " "), label)
        }
        return found
    }
}

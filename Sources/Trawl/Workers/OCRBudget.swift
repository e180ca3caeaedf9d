/// The OCR pages a run may still spend (`ocr.max_pages_per_run`). A document reserves up to
/// its own limit before its job starts and gives back what it did not use, so two workers
/// never both spend the last pages; a document that finds the budget empty reports its
/// pages as skipped (`run_budget`) instead of waiting.
public actor OCRBudget {
    private var remaining: Int?
    public private(set) var spent = 0

    /// `total` nil: no limit.
    public init(total: Int?) { remaining = total }

    /// Takes up to `pages` from the budget and returns how many were granted.
    public func reserve(upTo pages: Int) -> Int {
        guard let left = remaining else { return pages }
        let granted = max(0, min(pages, left))
        remaining = left - granted
        return granted
    }

    /// Returns the unused part of a reservation and records what was spent.
    public func settle(reserved: Int, used: Int) {
        let used = min(max(0, used), reserved)
        spent += used
        if let left = remaining { remaining = left + reserved - used }
    }
}

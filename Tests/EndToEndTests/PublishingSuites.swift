import Testing

/// The suites of publishing, search and `trawl serve` run one after another (each spawns many
/// processes, a browser or database servers): beside the rest of the end-to-end tests, all of
/// them at once overloaded two cores to the point where in-process database sessions of other
/// tests stalled past the server's idle-in-transaction timeout.
@Suite(.serialized) enum PublishingSuites {}

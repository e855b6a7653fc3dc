/// Stops the statement a connection is running, called from another thread: a worker told to
/// give up its transaction must not wait for one long statement to end. The statement then fails
/// with an error, and the transaction can be rolled back as after any failure.
public protocol StatementCanceller: Sendable {
  func cancelRunningStatement()
}

import Kafka
import Logging

@testable import Worker

/// Where a seek action of `ConsumeLoopState` points.
struct SeekTarget: Equatable {
  let partition: TopicPartition
  let offset: Offset
}

/// The actions of one `ConsumeLoopState` step, picked out by kind, for tests to compare.
extension [ConsumeAction] {
  var batches: [[PartitionTracker.Stamped]] {
    compactMap { if case .startBatch(let batch) = $0 { batch } else { nil } }
  }
  var commits: [[TopicPartition: Offset]] {
    compactMap { if case .commit(let offsets) = $0 { offsets } else { nil } }
  }
  var finalCommits: [[TopicPartition: Offset]] {
    compactMap { if case .commitBeforeLeaving(let offsets) = $0 { offsets } else { nil } }
  }
  var exits: [FleetExit] { compactMap { if case .exit(let exit) = $0 { exit } else { nil } } }
  var pauses: [[TopicPartition]] {
    compactMap { if case .pause(let partitions) = $0 { partitions } else { nil } }
  }
  var resumes: [[TopicPartition]] {
    compactMap { if case .resume(let partitions) = $0 { partitions } else { nil } }
  }
  var rechecks: [TopicPartition] {
    compactMap { if case .recheckParked(let entry) = $0 { entry.partition } else { nil } }
  }
  var seeks: [SeekTarget] {
    compactMap {
      if case .seekParked(let partition, let offset) = $0 {
        SeekTarget(partition: partition, offset: offset)
      } else {
        nil
      }
    }
  }
  var plainSeeks: [SeekTarget] {
    compactMap {
      if case .seek(let partition, let offset) = $0 {
        SeekTarget(partition: partition, offset: offset)
      } else {
        nil
      }
    }
  }
  var lowWatermarkReads: [Offset] {
    compactMap { if case .readLowWatermark(let message) = $0 { message.offset } else { nil } }
  }
  var drainProbes: [Set<TopicPartition>] {
    compactMap { if case .probeDrain(let holding, _, _) = $0 { holding } else { nil } }
  }
  /// The messages logged at info level and above.
  var logLines: [String] {
    compactMap {
      if case .log(let level, let message, _) = $0, level >= .info { "\(message)" } else { nil }
    }
  }
}

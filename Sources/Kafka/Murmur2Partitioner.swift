/// The partition a key lands on with `partitioner=murmur2_random` (librdkafka) — the same
/// murmur2 hash as the Java client's default partitioner. Lets a reader (e.g. replay) go
/// straight to a key's partition.
public enum Murmur2Partitioner {
  public static func partition(forKey key: [UInt8], partitionCount: Int) -> PartitionID {
    precondition(partitionCount > 0, "partitionCount must be positive")
    let positive = murmur2(key) & 0x7fff_ffff
    return PartitionID(Int32(positive % UInt32(partitionCount)))
  }

  public static func partition(forKey key: String, partitionCount: Int) -> PartitionID {
    partition(forKey: Array(key.utf8), partitionCount: partitionCount)
  }

  /// Kafka's murmur2 (seed 0x9747b28c).
  static func murmur2(_ data: [UInt8]) -> UInt32 {
    let m: UInt32 = 0x5bd1_e995
    let r: UInt32 = 24
    var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: data.count)
    let blocks = data.count / 4
    for block in 0..<blocks {
      let i = block * 4
      var k =
        UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3])
        << 24
      k = k &* m
      k ^= k >> r
      k = k &* m
      h = h &* m
      h ^= k
    }
    let tail = blocks * 4
    switch data.count & 3 {
    case 3:
      h ^= UInt32(data[tail + 2]) << 16
      h ^= UInt32(data[tail + 1]) << 8
      h ^= UInt32(data[tail])
      h = h &* m
    case 2:
      h ^= UInt32(data[tail + 1]) << 8
      h ^= UInt32(data[tail])
      h = h &* m
    case 1:
      h ^= UInt32(data[tail])
      h = h &* m
    default: break
    }
    h ^= h >> 13
    h = h &* m
    h ^= h >> 15
    return h
  }
}

import CMallocTrim
public import ServiceLifecycle

/// Gives the memory the service freed back to the operating system every ``interval``
/// (glibc's `malloc_trim(0)`; a no-op where the C library is not glibc).
///
/// glibc keeps freed memory in its arenas for reuse. After a burst (a report's sections side by side,
/// overviews of schools with a thousand signals each at 32 connections) the server's resident size
/// stayed at its peak: at 1,000× volume 297 MB, of which `malloc_trim(0)` returned 125 MB. Trimming
/// walks the arenas once (milliseconds), so every few seconds costs nothing measurable.
public struct MemoryTrimService: Service {
    let interval: Duration

    /// - Parameter interval: time between two trims; 5 s by default.
    public init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// Caps glibc's malloc arenas at `count` (`mallopt(M_ARENA_MAX)`; a no-op without glibc). Call it
    /// first thing in the process: threads that allocated already keep the arena they have.
    ///
    /// glibc gives each thread that meets a locked arena a new one, up to eight per core; the event
    /// loops, the concurrency pool and the blocking pool then each hold freed memory of their own, and
    /// what one thread freed is not reused by another. With two arenas the server's resident size after
    /// the 1,000× benchmark's overview passes fell from 166 to 144–155 MB (docs/decisions/0023).
    public static func limitMallocArenas(_ count: Int32 = 2) {
        _ = dubbelslot_limit_malloc_arenas(count)
    }

    /// Fixes glibc's mmap threshold at `bytes` (`mallopt(M_MMAP_THRESHOLD)`; a no-op without glibc),
    /// so that every buffer of at least that size is mapped on its own and returned when freed. Call
    /// it first thing in the process, beside ``limitMallocArenas(_:)``.
    ///
    /// glibc starts at 128 kB but raises the threshold to the size of each large block freed (up to
    /// 32 MB), so after a report's answers of megabytes its buffers came from the heap and stayed
    /// resident. Fixed at 128 kB, the 1,000× benchmark's server stood at 116 MB after the overview
    /// passes and 131 MB after the report, where it stood at 129 and 178 MB (docs/decisions/0023).
    public static func fixMmapThreshold(_ bytes: Int32 = 128 << 10) {
        _ = dubbelslot_fix_mmap_threshold(bytes)
    }

    /// Trims every ``interval`` until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                _ = dubbelslot_malloc_trim()
            }
        }
    }
}

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The clusters of this process that are still running, stopped by an `atexit` handler.
enum EmbeddedPostgresRegistry {
    private static let running = Mutex<[ObjectIdentifier: EmbeddedPostgres]>([:])
    private static let installed = Mutex(false)

    static func register(_ server: EmbeddedPostgres) {
        running.withLock { $0[ObjectIdentifier(server)] = server }
        let install = installed.withLock { done in
            defer { done = true }
            return !done
        }
        if install { atexit { EmbeddedPostgresRegistry.stopAll() } }
    }

    static func unregister(_ server: EmbeddedPostgres) {
        _ = running.withLock { $0.removeValue(forKey: ObjectIdentifier(server)) }
    }

    static func stopAll() {
        let servers = running.withLock { Array($0.values) }
        for server in servers { server.stop() }
    }
}

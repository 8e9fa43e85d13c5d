using Confluent.Kafka;
using Orchestrator.Grains.Configuration;

namespace Orchestrator.Grains.Ingestion.Kafka;

/// <summary>
/// The one place Kafka clients are configured (idempotent producers with acks=all), and where
/// the native library is loaded: Debian's librdkafka1 ships only the versioned soname, which
/// Confluent.Kafka does not look for by itself.
/// </summary>
public static class KafkaClients
{
    private const string VersionedLibrary = "librdkafka.so.1";
    private static readonly Lock ResolverLock = new();
    private static bool _resolverSet;

    /// <summary>
    /// Points the client's import of "librdkafka" at the system's versioned library. Once per
    /// process, before any client is built.
    /// </summary>
    public static void LoadNativeLibrary()
    {
        lock (ResolverLock)
        {
            if (_resolverSet || !OperatingSystem.IsLinux())
            {
                return;
            }
            System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, assembly, searchPath) =>
                name == "librdkafka" && System.Runtime.InteropServices.NativeLibrary.TryLoad(VersionedLibrary, out var handle)
                    ? handle
                    : IntPtr.Zero);
            _resolverSet = true;
        }
    }

    public static AdminClientConfig Admin(KafkaOptions options, string clientId)
    {
        LoadNativeLibrary();
        return new AdminClientConfig { BootstrapServers = options.BootstrapServers, ClientId = clientId };
    }

    public static ProducerConfig Producer(KafkaOptions options, string clientId)
    {
        LoadNativeLibrary();
        return new ProducerConfig
        {
        BootstrapServers = options.BootstrapServers,
        ClientId = clientId,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
        MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
        RequestTimeoutMs = (int)Math.Min(options.ProduceTimeout.TotalMilliseconds, 30_000),
        };
    }

    /// <summary>
    /// Offsets are stored by hand, only after the events are committed to PostgreSQL, and
    /// committed from the store every KAFKA_COMMIT_INTERVAL_MS (and on close).
    /// </summary>
    public static ConsumerConfig Consumer(KafkaOptions options, string clientId)
    {
        LoadNativeLibrary();
        return new ConsumerConfig
        {
        BootstrapServers = options.BootstrapServers,
        ClientId = clientId,
        GroupId = options.ConsumerGroup,
        EnableAutoCommit = true,
        EnableAutoOffsetStore = false,
        AutoCommitIntervalMs = (int)options.CommitInterval.TotalMilliseconds,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
        // A silo that dies holds its partitions until the group notices; keep that short.
        SessionTimeoutMs = (int)options.SessionTimeout.TotalMilliseconds,
        HeartbeatIntervalMs = (int)Math.Max(500, options.SessionTimeout.TotalMilliseconds / 4),
        };
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// librdkafka's built-in mock Kafka cluster: real brokers speaking the Kafka protocol on
/// loopback TCP ports, held by this test process. Every client — in this process or in a
/// child silo process — connects to <see cref="BootstrapServers"/> as to any Kafka.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private const string Library = "librdkafka.so.1";
    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;

    public MockKafkaCluster(int brokers = 3)
    {
        Brokers = brokers;
        var errors = new StringBuilder(512);
        var conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "0", errors, (UIntPtr)errors.Capacity);
        _handle = rd_kafka_new(0, conf, errors, (UIntPtr)errors.Capacity);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {errors}");
        }
        _cluster = rd_kafka_mock_cluster_new(_handle, brokers);
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))!;
    }

    public string BootstrapServers { get; }

    public int Brokers { get; }

    public void CreateTopic(string topic, int partitions)
    {
        var error = rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
        if (error != 0)
        {
            throw new InvalidOperationException($"creating topic {topic} failed with error {error}");
        }
    }

    /// <summary>Takes every broker down: connections drop and new ones are refused.</summary>
    public void StopBrokers()
    {
        for (var broker = 1; broker <= Brokers; broker++)
        {
            rd_kafka_mock_broker_set_down(_cluster, broker);
        }
    }

    public void StartBrokers()
    {
        for (var broker = 1; broker <= Brokers; broker++)
        {
            rd_kafka_mock_broker_set_up(_cluster, broker);
        }
    }

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_handle);
    }

    [DllImport(Library)] private static extern IntPtr rd_kafka_conf_new();
    [DllImport(Library)] private static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, StringBuilder errstr, UIntPtr size);
    [DllImport(Library)] private static extern IntPtr rd_kafka_new(int type, IntPtr conf, StringBuilder errstr, UIntPtr size);
    [DllImport(Library)] private static extern void rd_kafka_destroy(IntPtr rk);
    [DllImport(Library)] private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);
    [DllImport(Library)] private static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);
    [DllImport(Library)] private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
    [DllImport(Library)] private static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replication);
    [DllImport(Library)] private static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int broker);
    [DllImport(Library)] private static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int broker);
}

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A test with its own database, a webhook receiver, and (unless a test class says otherwise)
/// one all-in-one node — silo plus API — with a client for tenant A.
/// </summary>
public abstract class ClusterTest : IAsyncLifetime
{
    protected TestDatabase Database { get; } = new();
    protected TestCluster Cluster { get; private set; } = null!;
    protected WebhookReceiver Receiver { get; private set; } = null!;
    protected TestNode Node { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? Overrides => null;

    protected virtual bool StartsAllInOneNode => true;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Receiver = await WebhookReceiver.StartAsync();
        Cluster = new TestCluster(Database, Overrides);
        if (StartsAllInOneNode)
        {
            Node = await Cluster.StartSiloAsync(withApi: true);
            Client = Cluster.Client(Node);
        }
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
        await Database.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Orchestrator.Api.Hosting;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>A silo or API node running in this test process on a real loopback port.</summary>
public sealed class TestNode(WebApplication app, Uri baseAddress)
{
    public WebApplication App { get; } = app;
    public Uri BaseAddress { get; } = baseAddress;
    public IServiceProvider Services => App.Services;
}

/// <summary>
/// Start, stop and kill silos and API nodes sharing one database, in the spirit of Orleans'
/// TestingHost. Nodes are the real hosts the product runs (SiloHost, ApiHost), configured
/// with fast retries and short poll intervals so that tests finish in seconds.
/// </summary>
public sealed class TestCluster(TestDatabase database, IReadOnlyDictionary<string, string?>? overrides = null) : IAsyncDisposable
{
    public const string TenantA = "tenant-a";
    public const string KeyA = "key-a-0123456789";
    public const string TenantB = "tenant-b";
    public const string KeyB = "key-b-0123456789";
    public const string AdminKey = "admin-key-0123456789";

    private readonly List<TestNode> _nodes = [];

    public IReadOnlyDictionary<string, string?> Settings { get; } = Merge(database.Settings, new Dictionary<string, string?>
    {
        ["ORCH_API_KEYS"] = $"{TenantA}:{KeyA},{TenantB}:{KeyB}",
        ["ORCH_RETRY_BASE_MS"] = "50",
        ["ORCH_RETRY_MAX_MS"] = "400",
        ["SCHEDULER_POLL_INTERVAL_MS"] = "250",
        ["DB_POOL_SIZE"] = "8",
        ["ORCH_STATISTICS_REFRESH_MS"] = "200",
        ["ORCH_LEASE_RECOVERY_INTERVAL_MS"] = "200",
        ["ORCH_API_KEY_CACHE_SECONDS"] = "1",
        ["ORCH_ADMIN_KEY"] = AdminKey,
        ["ORCH_MAINTENANCE_TICK_MS"] = "50",
        ["ORCH_SILO_HEARTBEAT_MS"] = "250",
        ["ORCH_SILO_DEAD_AFTER_MS"] = "3000",
        ["ORCH_LEADER_LEASE_MS"] = "2000",
        // Tests deliver to receivers on loopback; the SSRF tests turn this off.
        ["ORCH_ALLOW_PRIVATE_DESTINATIONS"] = "true",
        ["ORCH_WEBHOOK_SECRET_CACHE_SECONDS"] = "1",
    }, overrides);

    public Task<TestNode> StartSiloAsync(bool withApi = false) =>
        StartAsync(configure => SiloHost.Build(Args(withApi ? SiloHost.WithApiFlag : null), configure), SiloHost.StartAsync);

    public Task<TestNode> StartApiAsync() =>
        StartAsync(configure => ApiHost.Build(Args(null), configure), ApiHost.StartAsync);

    /// <summary>Stops a node gracefully: in-flight deliveries finish and are recorded.</summary>
    public async Task StopAsync(TestNode node)
    {
        _nodes.Remove(node);
        await node.App.StopAsync();
        await node.App.DisposeAsync();
    }

    public HttpClient AdminClient(TestNode node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{AdminKey}")));
        return client;
    }

    public HttpClient Client(TestNode node, string apiKey = KeyA)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.ToList())
        {
            await StopAsync(node);
        }
    }

    private async Task<TestNode> StartAsync(
        Func<Action<WebApplicationBuilder>, WebApplication> build, Func<WebApplication, CancellationToken, Task> start)
    {
        var app = build(builder =>
        {
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await start(app, timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var node = new TestNode(app, new Uri(address));
        _nodes.Add(node);
        return node;
    }

    private static string[] Args(string? flag) =>
        flag is null ? ["--urls=http://127.0.0.1:0"] : ["--urls=http://127.0.0.1:0", flag];

    private static Dictionary<string, string?> Merge(params IReadOnlyDictionary<string, string?>?[] layers)
    {
        var merged = new Dictionary<string, string?>();
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer ?? new Dictionary<string, string?>())
            {
                merged[key] = value;
            }
        }
        return merged;
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>A scripted reply: a status code, and optionally a Retry-After in seconds.</summary>
public sealed record Reply(int Status, int? RetryAfterSeconds = null);

/// <summary>One request as the receiver saw it on arrival.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt, int Status)
{
    public Guid EventId => Guid.Parse(Headers["Idempotency-Key"]);
}

/// <summary>
/// A real HTTP receiver on loopback. Each path answers 200 unless scripted otherwise; a path
/// can be held so requests hang until released. Tracks the highest concurrency per path.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _holds = new();
    private readonly ConcurrentDictionary<string, int> _concurrent = new();
    private readonly ConcurrentDictionary<string, int> _maxConcurrent = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.Run(receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>The next requests to <paramref name="path"/> get these replies in turn; then 200.</summary>
    public void Script(string path, params Reply[] replies) => _scripts[path] = new ConcurrentQueue<Reply>(replies);

    public void Hold(string path) => _holds[path] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string path)
    {
        if (_holds.TryRemove(path, out var hold))
        {
            hold.TrySetResult();
        }
    }

    public IReadOnlyList<ReceivedRequest> Received(string? path = null) =>
        _received.Where(r => path is null || r.Path == path).ToList();

    public int MaxConcurrency(string path) => _maxConcurrent.GetValueOrDefault(path);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var reply = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var next) ? next : new Reply(200);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedRequest(path, headers, body, DateTimeOffset.UtcNow, reply.Status));

        var now = _concurrent.AddOrUpdate(path, 1, (_, n) => n + 1);
        _maxConcurrent.AddOrUpdate(path, now, (_, max) => Math.Max(max, now));
        try
        {
            if (_holds.TryGetValue(path, out var hold))
            {
                await hold.Task;
            }
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString();
            }
        }
        finally
        {
            _concurrent.AddOrUpdate(path, 0, (_, n) => n - 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var path in _holds.Keys)
        {
            Release(path);
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

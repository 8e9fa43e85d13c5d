using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Orchestrator.Bench.Sink;

/// <summary>
/// A fast local receiver listening on several ports — each port is a destination of its own
/// to the product (its own gate and concurrency limit). Each payload carries its event number
/// and due time; the sink records when each first arrived, counts duplicates and tracks the
/// highest concurrency each destination saw.
/// </summary>
public sealed class DeliverySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long[] _receivedAtMs = [];
    private long[] _dueMs = [];
    private long _received;
    private long _duplicates;
    private readonly int[] _inFlight;
    private readonly int[] _maxInFlight;

    private DeliverySink(WebApplication app, int destinations)
    {
        _app = app;
        _inFlight = new int[destinations];
        _maxInFlight = new int[destinations];
    }

    private Dictionary<int, int> _destinationByPort = [];

    public IReadOnlyList<Uri> Destinations { get; private set; } = [];

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public static async Task<DeliverySink> StartAsync(int destinations)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Enumerable.Range(0, destinations).Select(_ => "http://127.0.0.1:0").ToArray());
        var sink = new DeliverySink(builder.Build(), destinations);
        sink._app.Run(sink.HandleAsync);
        await sink._app.StartAsync();
        sink.Destinations = sink._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(new Uri(a), "/sink")).ToList();
        sink._destinationByPort = sink.Destinations.Select((d, i) => (d.Port, i)).ToDictionary(x => x.Port, x => x.i);
        return sink;
    }

    /// <summary>Forgets what arrived; expects events numbered 0 … count-1.</summary>
    public void Reset(int count)
    {
        _receivedAtMs = new long[count];
        _dueMs = new long[count];
        _received = 0;
        _duplicates = 0;
        Array.Clear(_maxInFlight);
    }

    public int MaxConcurrency => _maxInFlight.Max();

    /// <summary>Lateness of each delivery: first arrival minus due time, in ms.</summary>
    public double[] LagsMs() => _receivedAtMs.Select((at, i) => at == 0 ? double.NaN : at - _dueMs[i]).Where(l => !double.IsNaN(l)).ToArray();

    public long LastArrivalMs => _receivedAtMs.Max();

    /// <summary>When each event first arrived (Unix ms), in arrival order.</summary>
    public long[] ArrivalsMs()
    {
        var arrivals = _receivedAtMs.Where(at => at != 0).ToArray();
        Array.Sort(arrivals);
        return arrivals;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var destination = _destinationByPort[context.Connection.LocalPort];
        var now = Interlocked.Increment(ref _inFlight[destination]);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight[destination])) && Interlocked.CompareExchange(ref _maxInFlight[destination], now, seen) != seen)
        {
        }
        try
        {
            var arrivedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var n = body.RootElement.GetProperty("n").GetInt32();
            var due = body.RootElement.GetProperty("due").GetInt64();
            if (n < _receivedAtMs.Length)
            {
                _dueMs[n] = due;
                if (Interlocked.CompareExchange(ref _receivedAtMs[n], arrivedMs, 0) == 0)
                {
                    Interlocked.Increment(ref _received);
                }
                else
                {
                    Interlocked.Increment(ref _duplicates);
                }
            }
            context.Response.StatusCode = 200;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight[destination]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

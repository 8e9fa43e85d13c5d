using System.Threading.Channels;
using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Reminders;

/// <summary>
/// Writes delivery outcomes in bulk: whatever outcomes have arrived since the last write go
/// in one UPDATE, so a thousand deliveries cost a handful of statements, not a thousand
/// transactions. If the database is briefly away it keeps retrying; the claims' leases
/// bound how long that may take before other silos recover the events.
/// </summary>
public sealed class TransitionRecorder(
    EventStore store,
    ReminderWakeups wakeups,
    SchedulerOptions options,
    SiloIdentity silo,
    ILogger<TransitionRecorder> logger) : BackgroundService
{
    private const int MaxBatch = 2_000;

    /// <summary>
    /// How long outcomes gather after the first arrives before they are written. A few
    /// milliseconds of a status's visibility buy statements of hundreds of rows instead of
    /// tens; the deliveries themselves are not held back.
    /// </summary>
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(10);
    private readonly Channel<EventTransition> _pending = Channel.CreateUnbounded<EventTransition>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(EventTransition transition) => _pending.Writer.TryWrite(transition);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<EventTransition>(MaxBatch);
        // Not cancelled by stoppingToken: on shutdown the channel is completed and drained.
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (batch.Count < MaxBatch && !stoppingToken.IsCancellationRequested)
            {
                // The last batch was not full, so outcomes are arriving slower than they are
                // written: let a few milliseconds' worth gather into this one.
                await Task.Delay(GatherWindow, CancellationToken.None);
            }
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var transition))
            {
                batch.Add(transition);
            }
            await WriteAsync(batch);
            if (batch.Any(t => t.Status == EventStatus.Pending && t.RetryDelay < options.PollInterval))
            {
                wakeups.DueSoon.Set();
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken);
        }
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<EventTransition> batch)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        var giveUpAt = DateTimeOffset.UtcNow + options.ClaimLease;
        while (true)
        {
            try
            {
                await store.RecordTransitionsAsync(silo.Id, batch, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (DateTimeOffset.UtcNow < giveUpAt)
            {
                logger.LogWarning("Recording {Count} delivery outcomes failed, retrying: {Reason}", batch.Count, ex.Message);
                await Task.Delay(delay);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
            catch (Exception ex)
            {
                // Past the lease the events are other silos' to recover; they will be delivered again.
                logger.LogError(ex, "Dropping {Count} delivery outcomes after the claim lease ran out", batch.Count);
                return;
            }
        }
    }
}

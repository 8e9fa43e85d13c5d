using Orchestrator.Grains.Configuration;
using Orchestrator.Grains.Events;
using Orchestrator.Grains.Runtime;
using Orchestrator.Grains.Storage.Events;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Silo.Reminders;

/// <summary>
/// The silo's reminder loop: claim due events in batches sized to free delivery capacity,
/// hand each to its grain, and go straight back for more while batches come back full.
/// When nothing more is due it sleeps until the next due time, the poll interval, or a
/// wake-up (NOTIFY from any node), whichever is first. It never waits on a delivery.
/// </summary>
public sealed class ReminderService(
    EventStore store,
    IGrainFactory grains,
    TransitionRecorder recorder,
    ReminderWakeups wakeups,
    SchedulerOptions options,
    SiloIdentity silo,
    OrchestratorMetrics metrics,
    ILogger<ReminderService> logger) : BackgroundService
{
    private int _inFlight;
    private long _fired;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The free room worth a claim while deliveries are under way: a quarter of a batch.</summary>
    private int ClaimWhenFree => Math.Max(1, Math.Min(options.BatchSize, options.MaxInFlight) / 4);

    /// <summary>Reminders this silo has fired since it started.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Meter.CreateObservableGauge("orchestrator_deliveries_in_flight", () => InFlight,
            description: "Deliveries this silo has under way.");
        logger.LogInformation("Silo {SiloId} firing reminders: batch {BatchSize}, up to {MaxInFlight} in flight, lease {Lease}",
            silo.Id, options.BatchSize, options.MaxInFlight, options.ClaimLease);
        while (!stoppingToken.IsCancellationRequested)
        {
            var free = options.MaxInFlight - InFlight;
            if (free < ClaimWhenFree)
            {
                // Claim in batches, not one slot at a time: each claim statement has a fixed
                // cost (planning, a round trip, a commit) that a herd would otherwise pay per
                // delivery.
                await wakeups.CapacityFreed.WaitAsync(options.PollInterval, stoppingToken);
                continue;
            }
            var wanted = Math.Min(free, options.BatchSize);
            IReadOnlyList<DueEvent> claimed;
            try
            {
                claimed = await store.ClaimDueAsync(silo.Id, wanted, options.ClaimLease, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Claiming due events failed, retrying after the poll interval: {Reason}", ex.Message);
                await wakeups.DueSoon.WaitAsync(Jittered(options.PollInterval), stoppingToken);
                continue;
            }

            Interlocked.Add(ref _fired, claimed.Count);
            if (claimed.Count > 0)
            {
                metrics.Fired.Add(claimed.Count);
                metrics.ClaimBatchSize.Record(claimed.Count);
            }
            var now = DateTimeOffset.UtcNow;
            foreach (var due in claimed)
            {
                metrics.FiringLag.Record(Math.Max(0, (now - due.DueAt).TotalSeconds));
                Interlocked.Increment(ref _inFlight);
                _ = FireAsync(due);
            }
            if (claimed.Count == wanted)
            {
                continue;
            }
            await wakeups.DueSoon.WaitAsync(await UntilNextDueAsync(stoppingToken), stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Let the deliveries under way finish and be recorded; whatever the host's shutdown
        // timeout cuts off is recovered by another silo when its lease runs out.
        while (InFlight > 0 && !cancellationToken.IsCancellationRequested)
        {
            await wakeups.CapacityFreed.WaitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    private async Task FireAsync(DueEvent due)
    {
        // Whatever is logged while firing carries the event and its tenant (never the payload).
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["EventId"] = due.Id, ["TenantId"] = due.TenantId });
        try
        {
            // Deliveries are bounded by their own timeout; they are not cut short by shutdown.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var transition = await grains.GetGrain<IEventGrain>(due.Id).ReceiveReminderAsync(due, CancellationToken.None);
            // Counted before it is recorded, so no reader sees the outcome before the counters.
            Count(transition, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            recorder.Record(transition);
        }
        catch (Exception ex)
        {
            // The claim stays until its lease runs out and recovery returns the event.
            logger.LogError(ex, "Firing event {EventId} of tenant {TenantId} failed unexpectedly", due.Id, due.TenantId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            wakeups.CapacityFreed.Set();
        }
    }

    private void Count(EventTransition transition, TimeSpan took)
    {
        if (transition.Deferred)
        {
            return;
        }
        metrics.DeliveryLatency.Record(took.TotalSeconds);
        switch (transition.Status)
        {
            case EventStatus.Completed:
                metrics.Delivered.Add(1);
                break;
            case EventStatus.DeadLetter:
                metrics.Failed.Add(1);
                metrics.DeadLettered.Add(1);
                break;
            case EventStatus.Pending:
                metrics.Failed.Add(1);
                metrics.Retried.Add(1);
                break;
        }
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken stoppingToken)
    {
        try
        {
            var next = await store.TimeUntilNextDueAsync(stoppingToken);
            return next is { } wait && wait < options.PollInterval ? wait : Jittered(options.PollInterval);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Reading the next due time failed: {Reason}", ex.Message);
            return Jittered(options.PollInterval);
        }
    }

    /// <summary>±10 % so that silos started together do not poll the database in step.</summary>
    private static TimeSpan Jittered(TimeSpan interval) =>
        interval * (0.9 + Random.Shared.NextDouble() * 0.2);
}

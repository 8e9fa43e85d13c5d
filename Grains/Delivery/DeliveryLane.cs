using System.Threading.RateLimiting;

namespace Orchestrator.Grains.Delivery;

/// <summary>
/// What deliveries to one destination pass through: a concurrency limit and, if set, a rate
/// limit (deliveries started per second). A delivery takes its slot first and holds it while it
/// waits for a rate token, so starts never bunch above the rate; both queues are first come,
/// first served.
/// </summary>
public sealed class DeliveryLane
{
    private readonly ConcurrencyLimiter _slots;
    private readonly TokenBucketRateLimiter? _rate;

    public DeliveryLane(int concurrency, int? ratePerSecond)
    {
        Concurrency = concurrency;
        RatePerSecond = ratePerSecond;
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = concurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (ratePerSecond is { } rate)
        {
            // Refilled ten times a second (or once per token below 10/s), holding at most one
            // refill: no burst beyond a tenth of a second's worth.
            var refill = rate >= 10 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1.0 / rate);
            var tokens = rate >= 10 ? rate / 10 : 1;
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokens,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = refill,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    public int Concurrency { get; }

    public int? RatePerSecond { get; }

    public int InFlight => Concurrency - (int)(_slots.GetStatistics()?.CurrentAvailablePermits ?? Concurrency);

    /// <summary>Waits for a slot and a rate token; dispose the result to give the slot back.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var slot = _slots.AttemptAcquire(1) is { IsAcquired: true } free ? free : await _slots.AcquireAsync(1, cancellationToken);
        if (_rate is null)
        {
            return slot;
        }
        try
        {
            using var token = _rate.AttemptAcquire(1) is { IsAcquired: true } ready ? ready : await _rate.AcquireAsync(1, cancellationToken);
            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }
}
